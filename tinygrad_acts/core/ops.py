"""The elementary ops, and the Tensor arithmetic made of them.

Each op is a ``Function``: ``forward`` on NumPy arrays, and **one** ``backward`` written with
operators and the functions at the end of this file, which run on arrays (a first-order pass)
and on Tensors (``create_graph=True``) alike. Broadcasting is not undone here: the engine sums
each gradient back to its input's shape (``sum_to``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .function import Function, Node
from .tensor import Tensor

# -- arithmetic ----------------------------------------------------------------------------------


class Add(Function):
    """a + b.   ∂/∂a = 1, ∂/∂b = 1."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        return a + b

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        return grad, grad


class Sub(Function):
    """a - b.   ∂/∂a = 1, ∂/∂b = -1."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        return a - b

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Function):
    """a · b.   ∂/∂a = b, ∂/∂b = a (saves the inputs whose gradient the other's needs)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Function):
    """a / b.   ∂/∂a = 1/b, ∂/∂b = -a/b² (saves b, and a if b needs a gradient)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        grad_a = grad / b
        # -grad·a/b² as -(grad/b)·(a/b): b² would overflow for large b
        return grad_a if ctx.needs_input_grad[0] else None, (
            -grad_a * (a / b) if ctx.needs_input_grad[1] else None
        )


class Neg(Function):
    """-a.   ∂/∂a = -1."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        return -a

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return -grad


class Exp(Function):
    """eᵃ.   ∂/∂a = eᵃ (saves the output)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """log a.   ∂/∂a = 1/a (saves the input). log 0 = -inf, log(-1) = nan, as in torch."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (a,) = ctx.saved_tensors
        return grad / a


# -- sums and shapes -----------------------------------------------------------------------------


class Sum(Function):
    """Σ a over ``dim`` (every axis if None).   ∂/∂a = 1: the gradient is spread back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: tuple[int, ...] | None, keepdim: bool) -> Any:
        ctx.shape, ctx.dim = a.shape, dim
        wide = np.int64 if a.dtype.kind in "biu" else None  # integers add up in int64 (torch)
        return np.sum(a, axis=dim, keepdims=keepdim, dtype=wide)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        dims = range(len(ctx.shape)) if ctx.dim is None else ctx.dim
        kept = tuple(1 if i in dims else n for i, n in enumerate(ctx.shape))
        return expand(reshape(grad, kept), ctx.shape)


class SumTo(Function):
    """a summed down to ``shape``: an input broadcast along an axis was used once per position
    on it, so its gradient is the sum over that axis.   ∂/∂a = 1: the gradient is expanded back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        lead = a.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1
        )
        return np.sum(a, axis=axes, keepdims=True).reshape(shape)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return expand(grad, ctx.shape)


class Reshape(Function):
    """a with a new shape (of as many elements).   The gradient is reshaped back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return reshape(grad, ctx.shape)


class Expand(Function):
    """a broadcast to ``shape``, without a copy.   The gradient is summed back (``sum_to``)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        out = np.broadcast_to(a, shape)  # read-only: one element in many places
        if a.flags.writeable and not any(s == 0 and n > 1 for s, n in zip(out.strides, shape)):
            out = np.lib.stride_tricks.as_strided(a, shape, out.strides)  # nothing repeated
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return sum_to(grad, ctx.shape)


class Cast(Function):
    """a in another ``dtype``.   The gradient is cast back to a's dtype."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dtype: np.dtype) -> np.ndarray:
        ctx.dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return cast(grad, ctx.dtype)


# -- the namespace rules are written in: each works on arrays and on Tensors alike ---------------

add, sub, mul, div = Add.apply, Sub.apply, Mul.apply, Div.apply
neg, exp, log = Neg.apply, Exp.apply, Log.apply


def total(x: Any) -> Any:
    return Sum.apply(x, dim=None, keepdim=False)


def reshape(x: Any, shape: tuple[int, ...]) -> Any:
    return x if x.shape == shape else Reshape.apply(x, shape=tuple(shape))


def expand(x: Any, shape: tuple[int, ...]) -> Any:
    return x if x.shape == shape else Expand.apply(x, shape=tuple(shape))


def sum_to(x: Any, shape: tuple[int, ...]) -> Any:
    return x if x.shape == shape else SumTo.apply(x, shape=tuple(shape))


def cast(x: Any, dtype: Any) -> Any:
    return x if x.dtype == dtype else Cast.apply(x, dtype=np.dtype(dtype))


# -- Tensor's arithmetic is these ops: ``a + b`` is ``add(a, b)``, ``2 - a`` is ``sub(2, a)`` ------

Tensor.__add__, Tensor.__radd__ = add, lambda a, b: add(b, a)
Tensor.__sub__, Tensor.__rsub__ = sub, lambda a, b: sub(b, a)
Tensor.__mul__, Tensor.__rmul__ = mul, lambda a, b: mul(b, a)
Tensor.__truediv__, Tensor.__rtruediv__ = div, lambda a, b: div(b, a)
Tensor.__neg__, Tensor.exp, Tensor.log, Tensor.sum = neg, exp, log, total
