"""``torch.autograd.grad``: the gradients of outputs with respect to given inputs, on the
core's backward pass (``torch.autograd.backward`` is the core's ``backward``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.engine import as_list, run_backward, seed_gradients
from ..core.tensor import Tensor


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Any] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, leaving every ``.grad`` untouched.

    As ``torch.autograd.grad``: returns a tuple with one entry per input. With
    ``create_graph=True`` the results are themselves differentiable (higher derivatives).
    """
    outs = as_list(outputs)
    ins = as_list(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    for i, t in enumerate(ins):
        if not isinstance(t, Tensor):
            raise TypeError(f"inputs[{i}] must be a Tensor, got {type(t).__name__}")
        if not t.requires_grad:
            raise RuntimeError(
                f"One of the differentiated Tensors (inputs[{i}]) does not require grad"
            )
    grads = seed_gradients(outs, None if grad_outputs is None else as_list(grad_outputs))
    if retain_graph is None:
        retain_graph = create_graph
    result = run_backward(
        outs,
        grads,
        retain_graph=retain_graph,
        create_graph=create_graph,
        inputs=ins,
        accumulate=False,
    )
    # An input listed twice gets its gradient in each place (the pass fills the last).
    last = {id(t): i for i, t in enumerate(ins)}
    result = [result[last[id(t)]] for t in ins]
    for i, (t, g) in enumerate(zip(ins, result)):
        if g is None:
            if materialize_grads:
                result[i] = Tensor._make(np.zeros_like(t.data), None)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
    return tuple(result)
