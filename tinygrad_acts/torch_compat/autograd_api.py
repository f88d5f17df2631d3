"""``torch.autograd``'s entry points — ``backward`` and ``grad`` — with torch's checks of their
arguments, on the core's backward pass (``run_backward``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.engine import run_backward
from ..core.tensor import Tensor
from .functions import stack


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Any] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, leaving every ``.grad`` untouched.

    As ``torch.autograd.grad``: returns a tuple with one entry per input. With
    ``create_graph=True`` the results are themselves differentiable (higher derivatives).
    ``is_grads_batched``: the first dimension of each grad_output is a batch; each input's
    result is the batch of its gradients (torch uses vmap; here a loop, one pass per row).
    """
    if is_grads_batched:
        return _batched(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)
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
                result[i] = Tensor._make(np.zeros_like(t.array), None)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
    return tuple(result)


def _batched(
    outputs: Any, inputs: Any, grad_outputs: Any, retain: Any, create: bool, unused: Any
) -> tuple[Tensor | None, ...]:
    """``grad(..., is_grads_batched=True)``: one pass per row of the grad_outputs, stacked."""
    outs, rows = as_list(outputs), as_list(grad_outputs) if grad_outputs is not None else []
    if len(rows) != len(outs) or not all(isinstance(g, Tensor) for g in rows):
        raise RuntimeError("is_grads_batched=True needs one batched Tensor per output")
    for i, (g, out) in enumerate(zip(rows, outs)):
        if g.array.ndim == 0 or g.array.shape[1:] != out.array.shape:
            raise RuntimeError(
                "If `is_grads_batched=True`, we interpret the first dimension of each "
                "grad_output as the batch dimension. The sizes of the remaining dimensions are "
                "expected to match the shape of corresponding output, but a mismatch was "
                f"detected: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a "
                f"shape of {out.shape}."
            )
    n = rows[0].array.shape[0]
    per_row = [
        grad(outs, inputs, [g[k] for g in rows], retain if k == n - 1 else True, create, unused)
        for k in range(n)
    ]
    return tuple(None if column[0] is None else stack(list(column), 0) for column in zip(*per_row))


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Add the gradients of ``tensors`` to the leaves' ``.grad`` (as ``torch.autograd.backward``).

    ``grad_tensors`` may be left out for one-element tensors (then it is 1); ``retain_graph`` keeps
    what the graph saved; ``create_graph`` records the pass, so the gradients can be
    differentiated again; ``inputs`` limits the pass to these tensors."""
    outputs = as_list(tensors)
    grads = seed_gradients(outputs, None if grad_tensors is None else as_list(grad_tensors))
    targets = None if inputs is None else as_list(inputs)
    if targets is not None and not targets:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(
        outputs, grads, retain_graph=retain, create_graph=create_graph, inputs=targets
    )
    for t, g in zip(targets or (), captured):  # a non-leaf among inputs gets its .grad too
        if t.grad_fn is not None and g is not None:
            t.grad = g if t._grad is None else t._grad + g


def tensor_backward(
    self: Tensor,
    gradient: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """``tensor.backward(...)``: the core's, after torch's checks of its arguments."""
    (seed,) = seed_gradients([self], None if gradient is None else [gradient])
    targets = None if inputs is None else as_list(inputs)
    if targets is not None and not targets:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    _CORE_BACKWARD(self, seed, retain_graph, create_graph, targets)


# The core's ``Tensor.backward`` (this module is imported before torch_compat replaces it).
_CORE_BACKWARD = Tensor.backward


def seed_gradients(outputs: list[Tensor], grad_outputs: list[Any] | None) -> list[Tensor]:
    """Step 2's gradients, checked: one per output, of its shape (``1`` for a scalar)."""
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor):
            raise TypeError(f"outputs must be Tensors, got {type(out).__name__}")
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None and out.array.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if g is None:
            g = Tensor._make(np.ones_like(out.array), None)
        elif not isinstance(g, Tensor):  # numbers, as torch takes them
            try:
                g = Tensor._make(np.asarray(g, dtype=out.array.dtype), None)
            except (TypeError, ValueError) as e:
                raise TypeError(f"gradient must be a Tensor or numbers, not {type(g)}") from e
        if g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of torch.Size({list(g.shape)}) "
                f"and output[{i}] has a shape of torch.Size({list(out.shape)})."
            )
        grads.append(g)
    return grads


def as_list(tensors: Any) -> list[Any]:
    """One tensor, a sequence of them, or None, as a list."""
    if tensors is None:
        return []
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)
