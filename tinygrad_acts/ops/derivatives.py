"""Derivatives of smooth activations as ops, exact also near their roots.

Where f'(x) or f''(x) crosses zero, a formula that adds terms cancels (silu'' loses 500 ulps at
x = -2.4). So a smooth activation's backward is ``Derivative(x, g)``: g times the value of its
derivative formula, replaced within a window about each root by the Taylor series about that
root (``kernels/roots.py``), and whose own backward is the ``Derivative`` of the next order — so
f'' is patched the same way.

The activation gives f' as ``first``, written with ops (so it runs on arrays and on Tensors).
Order 1 is ``first`` itself; a higher order is the engine's derivative of it, computed only when
a second derivative is asked for (``create_graph=True``, then a backward through it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.engine import run_backward
from ..core.function import Function, Node
from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor
from ..kernels.arrays import scaled
from ..kernels.roots import patch_near_roots

First = Callable[[Any], Any]  # f'(x), written with ops


def _nth_derivative(first: First, x: np.ndarray, order: int) -> np.ndarray:
    """f^(order)(x) elementwise: ``first`` itself on the array x, or differentiated order - 1
    times by the engine (each element depends on its own x alone: seeded with ones, the
    gradient is f'')."""
    if order == 1:
        return first(x)
    with enable_grad():
        t = Tensor._make(x, None).requires_grad_(True)
        y = first(t)
        for _ in range(order - 1):
            if not y.requires_grad:  # a constant derivative: the next ones are 0
                return np.zeros_like(y.array)
            (y,) = run_backward(
                [y],
                [Tensor._make(np.ones_like(y.array), None)],
                retain_graph=True,  # the next order differentiates through this graph too
                create_graph=True,
                inputs=[t],
                accumulate=False,
            )
            if y is None:  # first does not depend on x
                return np.zeros_like(x)
    return y.array


def derivative_array(x: np.ndarray, first: First, order: int, name: str) -> np.ndarray:
    """f^(order)(x) as a new array, patched near the roots (see ``Derivative``)."""
    return patch_near_roots(_nth_derivative(first, x, order), x, (name, order))


class Derivative(Function):
    """g·f^(order)(x) of a smooth activation (g = 1 when not given), from its f' formula
    ``first``, exact near the roots; ``name`` keys the root series.

    ∂/∂x = g·f^(order+1)(x): the op of the next order;  ∂/∂g = f^(order)(x). Saves x and g.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, g: Any = None, *, first: First, order: int, name: str
    ) -> np.ndarray:
        ctx.save_for_backward(x, g)
        # Not ctx.name: that is the node's own name() (``DerivativeBackward``).
        ctx.first, ctx.order, ctx.activation = first, order, name
        return scaled(derivative_array(x, first, order, name), g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        same = {"first": ctx.first, "name": ctx.activation}
        dx = dg = None
        if need_x:
            scale = grad if g is None else grad * g
            dx = Derivative.apply(x, scale, order=ctx.order + 1, **same)
        if need_g:
            dg = Derivative.apply(x, grad, order=ctx.order, **same)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


def derivative(x: Any, first: First, name: str, grad: Any = None) -> Any:
    """f'(x) for an activation whose derivative is ``first`` (ops), exact near the roots;
    grad·f'(x), in the same pass, when ``grad`` is given."""
    if grad is None:
        return Derivative.apply(x, first=first, order=1, name=name)
    return Derivative.apply(x, grad, first=first, order=1, name=name)
