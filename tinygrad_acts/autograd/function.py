"""``Function``: torch's base class for a custom differentiable op.

Subclass it as in torch — ``forward(ctx, *args)`` and ``backward(ctx, *grads)`` static methods,
called through ``MyOp.apply(...)``. ``forward`` gets NumPy arrays; ``backward`` gets and returns
Tensors in every pass (the package's own ops, on the core's ``Function``, get arrays in a
first-order pass), so it may use any Tensor method and is itself differentiable.
"""

from __future__ import annotations

from ..core.function import Function as _CoreFunction
from ..core.function import Node


class Function(_CoreFunction):
    """Base class of a custom op: define ``forward`` and ``backward``, call ``apply``."""

    backward_on_arrays = False


__all__ = ["Function", "Node"]
