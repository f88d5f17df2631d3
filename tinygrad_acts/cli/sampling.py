"""Values and derivatives of a function of one variable on a grid, ours and torch's.

Shared by the plots and the command line, and free of matplotlib so that ``show``, ``eval``
and ``check`` work on the base install.

The n-th derivative is computed by the autograd engine, never by a formula: for an
elementwise f, the vector-Jacobian product with a vector of ones is the elementwise derivative,

    d/dx_i sum_j f(x_j) = f'(x_i),

and repeating that on f' (recorded with ``create_graph=True``) gives f'', and so on.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd import grad
from ..core.tensor import Tensor
from ..registry import ACTIVATIONS, Activation


def lookup(name: str) -> Activation:
    """The registry entry for ``name``, or a ValueError that suggests the nearest names."""
    if name in ACTIVATIONS:
        return ACTIVATIONS[name]
    for entry in ACTIVATIONS.values():  # torch's module name: nn.ReLU is relu
        if name == entry.module.__name__:
            return entry
    close = difflib.get_close_matches(name, list(ACTIVATIONS), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown activation {name!r}{hint} (`tinygrad-acts list` shows them all)")


def elementwise(entry: Activation) -> Activation:
    """``entry`` itself, or a ValueError if it has no curve (softmax mixes its inputs)."""
    if not entry.elementwise:
        raise ValueError(
            f"{entry.name} is not elementwise (each output depends on several inputs), "
            "so it has no curve f(x) to plot or evaluate"
        )
    return entry


def derivatives(
    f: Callable[[Tensor], Any], x: Any, orders: Iterable[int] = (0, 1)
) -> dict[int, np.ndarray]:
    """``{n: f⁽ⁿ⁾(x)}`` for each requested order, by repeated autograd on ``f``.

    ``x`` is an array of points (float64 unless it is another floating dtype). A derivative
    that no longer depends on x (relu's f' is a step) is zero from there on: the engine
    reports such an input as unused, and that is the answer, not an error.
    """
    orders = sorted(set(orders))
    if not orders or orders[0] < 0:
        raise ValueError(f"derivative orders must be integers >= 0, got {orders}")
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    xt = Tensor(x, requires_grad=True)
    current = f(xt)
    if not isinstance(current, Tensor):
        raise TypeError(f"the function must return a Tensor, got {type(current).__name__}")
    if current.shape != xt.shape:
        raise ValueError(
            f"the function must be elementwise: input shape {xt.shape}, output {current.shape}"
        )
    out: dict[int, np.ndarray] = {}
    for n in range(orders[-1] + 1):
        if n in orders:
            out[n] = np.broadcast_to(current.array, x.shape).astype(x.dtype)
        if n == orders[-1]:
            break
        if not current.requires_grad:  # a constant: every further derivative is 0
            current = Tensor(np.zeros_like(x))
            continue
        ones = Tensor(np.ones_like(current.array))
        (g,) = grad(current, xt, grad_outputs=ones, create_graph=True, allow_unused=True)
        current = Tensor(np.zeros_like(x)) if g is None else g
    return out


def torch_derivatives(
    entry: Activation, x: np.ndarray, orders: Iterable[int] = (0, 1)
) -> dict[int, np.ndarray]:
    """The same as :func:`derivatives`, computed by torch's ``torch.nn.functional.<name>``.

    Raises ImportError if torch is not installed. Where torch has no double backward for
    an op (hardsigmoid) or its first derivative is constant, its f'' is 0, as ours.
    """
    import torch

    orders = sorted(set(orders))
    params = entry.call_params()
    xt = torch.tensor(x, requires_grad=True)
    if entry.name == "prelu":  # the slope is a tensor argument in torch
        weight = torch.tensor(np.full(1, params.pop("weight"), dtype=x.dtype))
        current = torch.nn.functional.prelu(xt, weight)
    else:
        current = getattr(torch.nn.functional, entry.name)(xt, **params)
    out: dict[int, np.ndarray] = {}
    for n in range(orders[-1] + 1):
        if n in orders:
            out[n] = current.detach().numpy(force=True).astype(x.dtype)
        if n == orders[-1]:
            break
        g = None
        if current.requires_grad:
            try:
                (g,) = torch.autograd.grad(
                    current, xt, torch.ones_like(current), create_graph=True, allow_unused=True
                )
            except RuntimeError as e:  # no double backward: the rule is piecewise constant
                if "not implemented" not in str(e):
                    raise
        current = torch.zeros_like(xt) if g is None else g
    return out
