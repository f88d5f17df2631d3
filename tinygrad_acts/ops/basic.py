"""The basic ops beyond the core's: powers, roots, clamps, steps, indexing, matmul.

Each op is a ``Function``: ``forward`` on NumPy arrays and one ``backward`` rule, written with
operators and ops so that it runs on arrays (a first-order pass) and on Tensors
(``create_graph``) alike. Broadcasting is not handled here: the engine sums each gradient back
to its input's shape.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.ops import Log, reshape, sum_to
from ..core.tensor import Tensor
from ..kernels.masks import clamp_masks, sign_array, step_times
from ..kernels.powers import power

# -- arithmetic ------------------------------------------------------------------------------


class Pow(Function):
    """a ** b.   ∂/∂a = b·a^(b-1),   ∂/∂b = a^b·log(a)  (taken as 0 where a = 0 and b ≥ 0).

    Saves both inputs, and the output when ∂/∂b is needed (as torch: ``h = w ** 2`` may then
    change in place).
    """

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        out = power(a, b)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        b_values = np.asarray(array_of(b))
        if ctx.needs_input_grad[0]:
            if isinstance(b, (int, float)) and b == 0:
                grad_a = grad * 0.0
            else:
                grad_a = grad * b * Pow.apply(a, b - 1)
                if np.any(b_values == 0):  # ∂(a⁰)/∂a = 0, also at a = 0 where 0·0⁻¹ is nan
                    grad_a = where(np.broadcast_to(b_values == 0, grad_a.shape), 0.0, grad_a)
        if ctx.needs_input_grad[1]:
            zero_base = (np.asarray(array_of(a)) == 0) & (b_values >= 0)  # a^b·log a → 0
            safe_a = where(zero_base, 1.0, a) if np.any(zero_base) else a
            log_a = np.log(safe_a) if isinstance(safe_a, (int, float)) else Log.apply(safe_a)
            grad_b = grad * out * log_a
        return grad_a, grad_b


class Linear(Function):
    """x Wᵀ + b (b optional), as one op: ``F.linear``, torch's addmm.

    ∂/∂x = g W,  ∂/∂W = Σ gᵀ x over the leading axes,  ∂/∂b = g (the engine sums it over the
    axes b was broadcast along).  Saves x and W. One node instead of three (transpose, matmul,
    add), so a training step records and visits a third as many.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None
    ) -> np.ndarray:
        ctx.save_for_backward(x, weight)
        out = np.matmul(x, weight.T)
        if bias is not None:
            out += bias  # in place: out is a new array
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, weight = ctx.saved_tensors
        return _linear_gradients(grad, x, weight, ctx.needs_input_grad)


def _linear_gradients(grad: Any, x: Any, weight: Any, needs: tuple[bool, ...]) -> tuple[Any, ...]:
    """Linear's three gradients, in operations that Tensors and arrays share (``@``, ``.T``,
    ``reshape``): one rule for both kinds of pass."""
    need_x, need_w, need_b = needs
    rows = math.prod(x.shape[:-1])  # every leading axis is a batch axis
    return (
        grad @ weight if need_x else None,
        grad.reshape(rows, weight.shape[0]).T @ x.reshape(rows, weight.shape[1])
        if need_w
        else None,
        grad if need_b else None,
    )


# -- elementwise functions -------------------------------------------------------------------


class Sqrt(Function):
    """√a.   ∂/∂a = 1/(2√a) (saves the output)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(Function):
    """|a|.   ∂/∂a = sign(a), and 0 at a = 0 (torch's convention). Saves the input."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad * Sign.apply(a)


class Clamp(Function):
    """min(max(a, lo), hi).   ∂/∂a = 1 for lo ≤ a ≤ hi (bounds included, as torch), else 0."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, min: Any = None, max: Any = None) -> np.ndarray:
        ctx.save_for_backward(a)
        ctx.min, ctx.max = min, max
        out = a
        if min is not None:
            out = np.maximum(out, np.asarray(min, dtype=a.dtype))
        if max is not None:
            out = np.minimum(out, np.asarray(max, dtype=a.dtype))
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return step_scale(grad, a, clamp_masks(array_of(a), ctx.min, ctx.max, a.shape)[0])


class ClampBetween(Function):
    """min(max(a, lo), hi) with tensor bounds, broadcast with a (either bound may be None).

    As torch's clamp with tensor bounds: ∂/∂a = 1 where lo ≤ a ≤ hi;  ∂/∂lo = 1 where a < lo
    (and lo < hi);  ∂/∂hi = 1 where a > hi (or hi < lo: then every value is hi)
    (``clamp_masks``). Saves all three.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        ctx.save_for_backward(a, lo, hi)
        out = a
        if lo is not None:
            out = np.maximum(out, lo)  # NaN in either stays NaN, as in torch
        if hi is not None:
            out = np.minimum(out, hi)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        saved = ctx.saved_tensors
        arrays = [None if t is None else array_of(t) for t in saved]
        masks = clamp_masks(*arrays, grad.shape)
        return tuple(
            step_scale(grad, t, m) if need else None
            for t, m, need in zip(saved, masks, ctx.needs_input_grad)
        )


class StepScale(Function):
    """grad·s(x), where s is a step function of x given by its values ``factor``.

    The backward of every piecewise-linear activation: f'(x) is constant between kinks, so
    grad·f'(x) is one multiplication, and its derivative with respect to x is 0 — yet still
    connected to x, so a second derivative is a zero rather than an error (as in torch).
    ∂/∂grad = s(x), ∂/∂x = 0.
    """

    @staticmethod
    def forward(ctx: Node, grad: np.ndarray, x: np.ndarray, *, factor: np.ndarray) -> np.ndarray:
        ctx.factor, ctx.x_meta = factor, (x.shape, x.dtype)
        return step_times(grad, factor)

    @staticmethod
    def backward(ctx: Node, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_grad, need_x = ctx.needs_input_grad
        zeros = np.zeros(*ctx.x_meta)  # s(x) is a step: its derivative is 0
        return (StepScale.apply(g, zeros, factor=ctx.factor) if need_grad else None), (
            zeros if need_x else None
        )


def step_scale(grad: Tensor, x: Tensor, factor: np.ndarray) -> Tensor:
    """``StepScale``: grad times the step function of x whose values are ``factor`` (a mask of
    where it is 1, or its values)."""
    return StepScale.apply(grad, x, factor=factor)


class Sign(Function):
    """sign(x) ∈ {-1, 0, 1}, and 0 at NaN (torch's).   Derivative 0 (a step function)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return sign_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad * 0.0


class Where(Function):
    """cond ? a : b.   ∂/∂a = cond, ∂/∂b = not cond (the condition gets no gradient)."""

    @staticmethod
    def forward(ctx: Node, cond: np.ndarray, a: Any, b: Any) -> np.ndarray:
        ctx.cond = cond
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor | None, Tensor | None]:
        _, need_a, need_b = ctx.needs_input_grad
        return (
            None,
            Where.apply(ctx.cond, grad, 0.0) if need_a else None,
            Where.apply(ctx.cond, 0.0, grad) if need_b else None,
        )


class Clone(Function):
    """A copy of a.   ∂/∂a = 1."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        return a.copy()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad


# -- along an axis: the values at given indices, and back ------------------------------------


class ScatterAlong(Function):
    """Zeros of ``shape`` with ``a`` placed at ``indices`` along ``dim`` (the backward of picking
    values along an axis: max(dim), ``TakeAlong``)."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int, shape: tuple[int, ...]
    ) -> np.ndarray:
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=a.dtype)
        np.put_along_axis(out, indices, a, axis=dim)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return TakeAlong.apply(grad, indices=ctx.indices, dim=ctx.dim)


class TakeAlong(Function):
    """The entries of ``a`` at ``indices`` along ``dim`` (ScatterAlong's backward)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int) -> np.ndarray:
        ctx.indices, ctx.dim, ctx.shape = indices, dim, a.shape
        return np.take_along_axis(a, indices, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return ScatterAlong.apply(grad, indices=ctx.indices, dim=ctx.dim, shape=ctx.shape)


# -- shape -----------------------------------------------------------------------------------


class Permute(Function):
    """a with its axes reordered to ``dims``.   The gradient gets the inverse order."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return Permute.apply(grad, dims=tuple(int(d) for d in np.argsort(ctx.dims)))


class Index(Function):
    """a[index] (NumPy indexing).   The gradient is added back at the indexed places."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, index: Any) -> np.ndarray:
        ctx.index, ctx.shape = index, a.shape
        out = np.asarray(a[_element_as_view(index)])

        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return IndexAdd.apply(grad, index=ctx.index, shape=ctx.shape)


def _element_as_view(index: Any) -> Any:
    """An index of integers alone picks one element: NumPy returns a copy of it (a scalar),
    torch a 0-d view (``x[0].mul_(2)`` changes x); followed by an Ellipsis, NumPy's too."""
    whole = index if isinstance(index, tuple) else (index,)
    if all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in whole):
        return (*whole, Ellipsis)
    return index


class IndexAdd(Function):
    """Zeros of ``shape`` with ``a`` added at ``index`` (repeats add up). Index's backward."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, index: Any, shape: tuple[int, ...]) -> np.ndarray:
        ctx.index = index
        out = np.zeros(shape, dtype=a.dtype)
        np.add.at(out, index, a)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return Index.apply(grad, index=ctx.index)


class IndexPut(Function):
    """``a`` with ``v`` written at ``index`` (``a[index] = v``, recorded out of place).

    ∂/∂a = grad with zeros at ``index`` (those values were overwritten); ∂/∂v = grad at
    ``index``, summed back to v's shape (v was broadcast there). Saves nothing.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, v: Any, *, index: Any) -> np.ndarray:
        ctx.index, ctx.v_shape = index, np.shape(v)
        out = a.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_a, need_v = ctx.needs_input_grad
        grad_a = grad_v = None
        if need_a:
            zeros = np.zeros(np.shape(array_of(grad)[ctx.index]), grad.dtype)
            grad_a = IndexPut.apply(grad, zeros, index=ctx.index)
        if need_v:
            grad_v = sum_to(Index.apply(grad, index=ctx.index), ctx.v_shape)
        return grad_a, grad_v


class Cat(Function):
    """The inputs joined along ``dim``.   Each input's gradient is its slice of ``grad``."""

    @staticmethod
    def forward(ctx: Node, *arrays: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        ctx.bounds = np.cumsum([0] + [a.shape[dim] for a in arrays])
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        grads = []
        for need, lo, hi in zip(ctx.needs_input_grad, ctx.bounds[:-1], ctx.bounds[1:]):
            index: list[Any] = [slice(None)] * grad.ndim
            index[ctx.dim] = slice(int(lo), int(hi))
            grads.append(Index.apply(grad, index=tuple(index)) if need else None)
        return tuple(grads)


class MatMul(Function):
    """a @ b, with NumPy's rules for 1-D and batched operands.

    ∂/∂a = grad @ bᵀ, ∂/∂b = aᵀ @ grad (saves both inputs); a 1-D a is a row, a 1-D b a
    column, and the axis added for it is taken off the gradient again.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # a dot product
            return grad * b if need_a else None, grad * a if need_b else None
        a2 = reshape(a, (1, *a.shape)) if a.ndim == 1 else a
        b2 = reshape(b, (*b.shape, 1)) if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = reshape(g2, (*g2.shape[:-1], 1, g2.shape[-1]))
        if b.ndim == 1:
            g2 = reshape(g2, (*g2.shape, 1))
        grad_a = grad_b = None
        if need_a:
            grad_a = g2 @ transpose(b2, -1, -2)
            if a.ndim == 1:
                grad_a = reshape(sum_to(grad_a, (1, *a.shape)), a.shape)
        if need_b:
            grad_b = transpose(a2, -1, -2) @ g2
            if b.ndim == 1:
                grad_b = reshape(sum_to(grad_b, (*b.shape, 1)), b.shape)
        return grad_a, grad_b


class Transpose(Function):
    """a with axes ``dim0`` and ``dim1`` swapped.   The gradient is swapped back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim0: int, dim1: int) -> np.ndarray:
        ctx.dim0, ctx.dim1 = dim0, dim1
        return np.swapaxes(a, dim0, dim1)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return transpose(grad, ctx.dim0, ctx.dim1)


def transpose(x: Any, dim0: int, dim1: int) -> Any:
    return Transpose.apply(x, dim0=dim0, dim1=dim1)


# -- the ops namespace: functions that backward rules call, on arrays and on Tensors alike -------


def where(condition: np.ndarray, a: Any, b: Any) -> Any:
    """``a`` where ``condition`` (a boolean array) holds, ``b`` elsewhere."""
    return Where.apply(condition, a, b)


def cat(parts: list[Any], dim: int) -> Any:
    """``parts`` joined along ``dim``."""
    return Cat.apply(*parts, dim=dim)


def array_of(x: Any) -> Any:
    """The values of ``x``: a Tensor's array, or ``x`` itself (an array or a number)."""
    return x.array if isinstance(x, Tensor) else x
