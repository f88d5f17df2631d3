"""Derivatives of smooth activations as ops, exact also near their roots.

Where f'(x) or f''(x) crosses zero, a formula that adds terms cancels: silu''(x) =
σ'(x)·(2 - x·tanh(x/2)) keeps only as many digits as 2 and x·tanh(x/2) do not share — 500 ulps
lost at x = -2.4. So a smooth activation's backward multiplies by ``Derivative(x)``: the value of
its derivative formula, replaced within a window about each root (each series its own) by the
Taylor series about that root (``_root_series``, generated from the 50-digit reference by
tools/gen_root_series.py), and whose own backward is the next ``Derivative`` — so f'' is
patched the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor
from ..torch_compat.autograd_api import grad
from . import _root_series


def patch_near_roots(values: np.ndarray, x: np.ndarray, key: tuple[str, int]) -> np.ndarray:
    """Replace ``values`` of f^(order) near its roots by the Taylor series there: within
    r - below < x < r + above of each root r (the window of that series).

    Writes into ``values`` when it is a writable array (the caller's own), else into a copy.
    Only the few elements near a root are gathered (by index: faster than a boolean mask when
    they are few), so away from the roots this costs three comparisons.
    """
    for r_hi, r_lo, (below, above, coeffs) in _root_series.SERIES.get(key, ()):
        near = np.flatnonzero((x > r_hi - below) & (x < r_hi + above))
        if near.size == 0:
            continue
        d = (np.ravel(x)[near].astype(np.float64) - r_hi) - r_lo  # x - r, with r in two parts
        series = np.zeros_like(d)
        for c in reversed(coeffs):  # Horner: Σ c_k d^k, k ≥ 1
            series *= d
            series += c
        series *= d
        if not (
            isinstance(values, np.ndarray) and values.flags.writeable and values.flags.c_contiguous
        ):
            values = np.array(values)  # writable, contiguous, and an array also for 0-d x
        values.reshape(-1)[near] = series  # a view of values, being contiguous
    return values


def _nth_derivative(first: Callable[[Tensor], Tensor], x: np.ndarray, order: int) -> np.ndarray:
    """f^(order)(x) elementwise: ``first`` (f' in Tensor operations), then the engine."""
    with enable_grad():
        t = Tensor._make(x, None)
        if order > 1:
            t = t.detach().requires_grad_(True)
        y = first(t)
        for _ in range(order - 1):
            if not y.requires_grad:  # a constant derivative: the next ones are 0
                return np.zeros_like(y.data)
            (y,) = grad(
                y, t, grad_outputs=Tensor._make(np.ones_like(y.data), None), create_graph=True
            )
    return y.data


class Derivative(Function):
    """f^(order)(x) of a smooth activation, from its f' formula ``first``, exact near roots.

    Derivative: the op of the next order. Saves the input. ``name`` keys the root series.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, *, first: Callable[[Tensor], Tensor], order: int, name: str
    ) -> np.ndarray:
        ctx.save_for_backward(x)
        # Not ctx.name: that is the node's own name() (``DerivativeBackward``).
        ctx.first, ctx.order, ctx.activation = first, order, name
        return derivative_array(x, first, order, name)

    @staticmethod
    def backward(ctx: Node, g: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        return g * Derivative.apply(x, first=ctx.first, order=ctx.order + 1, name=ctx.activation)


def derivative_array(
    x: np.ndarray, first: Callable[[Tensor], Tensor], order: int, name: str
) -> np.ndarray:
    """f^(order)(x) as an array: the engine's value, patched near the roots (see ``Derivative``)."""
    return patch_near_roots(_nth_derivative(first, x, order), x, (name, order))


def derivative(x: Tensor, first: Callable[[Tensor], Tensor], name: str) -> Tensor:
    """f'(x) for an activation whose derivative is ``first`` (Tensor ops), exact near roots."""
    return Derivative.apply(x, first=first, order=1, name=name)
