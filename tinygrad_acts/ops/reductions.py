"""Reductions as ops: means, products, spreads, order statistics, norms, log-sum-exp, and the
running sums and products.

Each op is a ``Function`` with one ``backward`` rule written with operators and ops, so that it
runs on arrays (a first-order pass) and on Tensors (``create_graph``) alike. A reduction over
``dim`` (a tuple of axes, or None for all) gives a gradient of the output's shape; ``spread``
takes it back to the input's shape, as one gradient per reduced element.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.ops import Sum, exp, expand, reshape
from .basic import Abs, Index, Pow, ScatterAlong, Sign, array_of, cat, where

Dims = tuple[int, ...] | None


def keepdim_shape(shape: tuple[int, ...], dim: Dims) -> tuple[int, ...]:
    """The shape of a reduction over ``dim`` with keepdim=True."""
    if dim is None:
        return (1,) * len(shape)
    return tuple(1 if i in dim else n for i, n in enumerate(shape))


def reduced_shape(shape: tuple[int, ...], dim: Dims) -> tuple[int, ...]:
    """The shape of a reduction over ``dim`` without keepdim."""
    return () if dim is None else tuple(n for i, n in enumerate(shape) if i not in dim)


def reduced_count(shape: tuple[int, ...], dim: Dims) -> int:
    """How many elements each output of a reduction over ``dim`` gathers."""
    return math.prod(shape) if dim is None else math.prod(shape[d] for d in dim)


def spread(grad: Any, shape: tuple[int, ...], dim: Dims) -> Any:
    """The gradient of a reduction over ``dim`` sent back to each of its inputs: ``grad`` (with
    or without the kept axes) reshaped to keepdim's shape and expanded to ``shape``."""
    return expand(reshape(grad, keepdim_shape(shape, dim)), shape)


def _float16_wide(dtype: np.dtype) -> Any:
    """float16 adds up in float32, as torch's CPU does (1000 × 100 would overflow float16)."""
    return np.float32 if dtype == np.float16 else None


# -- means and spreads ---------------------------------------------------------------------------


class Mean(Function):
    """Mean of a over ``dim``.   ∂/∂a = 1/n, spread back over the n reduced elements."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: Dims, keepdim: bool) -> np.ndarray:
        ctx.shape, ctx.dim = a.shape, dim
        n = reduced_count(a.shape, dim)
        # sum/n rather than np.mean: the mean of nothing is nan, silently (as torch)
        total = np.sum(a, axis=dim, keepdims=keepdim, dtype=_float16_wide(a.dtype))
        return np.asarray(total / n, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return spread(grad, ctx.shape, ctx.dim) / max(reduced_count(ctx.shape, ctx.dim), 1)


def _variance(a: np.ndarray, dim: Dims, correction: float, keepdim: bool) -> np.ndarray:
    """Σ(a - mean)² / (n - correction), in two passes (the mean first, then the squares of the
    deviations: no cancellation); a divisor ≤ 0 is taken as 0, giving inf or nan (torch)."""
    wide = a.astype(np.float32) if a.dtype == np.float16 else a
    n = reduced_count(a.shape, dim)
    centred = wide - np.sum(wide, axis=dim, keepdims=True) / max(n, 1)
    squares = np.sum(centred * centred, axis=dim, keepdims=keepdim)
    return np.asarray(squares / max(n - correction, 0), dtype=a.dtype)


def _variance_gradient(grad: Any, a: Any, dim: Dims, correction: float) -> Any:
    """∂var/∂a = 2 (a - mean) / (n - correction), times ``grad``: Var's rule, and Std's."""
    dof = reduced_count(a.shape, dim) - correction
    factor = 2.0 / dof if dof > 0 else math.inf
    centred = a - Mean.apply(a, dim=dim, keepdim=True)
    return spread(grad, a.shape, dim) * centred * factor


class Var(Function):
    """Variance over ``dim``: Σ(a - mean)² / (n - correction).

    ∂/∂a = 2 (a - mean) / (n - correction). Saves the input.
    """

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, dim: Dims, correction: float, keepdim: bool
    ) -> np.ndarray:
        ctx.save_for_backward(a)
        ctx.dim, ctx.correction = dim, correction
        return _variance(a, dim, correction, keepdim)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (a,) = ctx.saved_tensors
        return _variance_gradient(grad, a, ctx.dim, ctx.correction)


class Std(Function):
    """Standard deviation over ``dim``: √var.

    ∂/∂a = (a - mean) / ((n - correction) · std): var's gradient times 1/(2 std); 0 where
    std = 0 (as torch, instead of 0/0). Saves the input and the output.
    """

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, dim: Dims, correction: float, keepdim: bool
    ) -> np.ndarray:
        out = np.sqrt(_variance(a, dim, correction, keepdim))
        ctx.save_for_backward(a, out)
        ctx.dim, ctx.correction = dim, correction
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, out = ctx.saved_tensors
        zero = array_of(out) == 0
        safe = where(zero, 1.0, out) if np.any(zero) else out  # no 0/0, in any order
        scaled = where(zero, 0.0, grad / (2.0 * safe)) if np.any(zero) else grad / (2.0 * out)
        return _variance_gradient(scaled, a, ctx.dim, ctx.correction)


# -- products ------------------------------------------------------------------------------------


def _shifted(x: Any, dim: int, toward_end: bool) -> Any:
    """x moved one place along ``dim``, a 1 in the place left empty: (1, x₀, …, x₍ₙ₋₂₎) toward
    the end, (x₁, …, x₍ₙ₋₁₎, 1) toward the start."""
    n = x.shape[dim]
    keep: list[Any] = [slice(None)] * len(x.shape)
    keep[dim] = slice(0, n - 1) if toward_end else slice(1, n)
    one = np.ones(keepdim_shape(x.shape, (dim,)), dtype=x.dtype)
    rest = Index.apply(x, index=tuple(keep))
    return cat([one, rest] if toward_end else [rest, one], dim)


def products_of_others(x: Any, dim: int) -> Any:
    """∏ⱼ≠ᵢ xⱼ along ``dim`` for each i: the product of the ones before times the product of
    the ones after (two running products), with no division, so zeros are no special case."""
    before = Cumprod.apply(_shifted(x, dim, toward_end=True), dim=dim, reverse=False)
    after = Cumprod.apply(_shifted(x, dim, toward_end=False), dim=dim, reverse=True)
    return before * after


class Prod(Function):
    """∏ a over ``dim`` (an int, or None for all).

    ∂/∂aᵢ = ∏ⱼ≠ᵢ aⱼ — not prod/aᵢ, which is 0/0 at a zero (``products_of_others``). Saves the
    input.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: int | None, keepdim: bool) -> np.ndarray:
        ctx.save_for_backward(a)
        ctx.dim = dim
        wide = np.int64 if a.dtype.kind in "biu" else None  # integers multiply in int64 (torch)
        return np.prod(a, axis=dim, keepdims=keepdim, dtype=wide)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (a,) = ctx.saved_tensors
        dims = None if ctx.dim is None else (ctx.dim,)
        g = spread(grad, a.shape, dims)
        n = math.prod(a.shape)
        if n == 0:
            return g
        if ctx.dim is None:  # every element: the product of all the others, in one line
            return g * reshape(products_of_others(reshape(a, (n,)), 0), a.shape)
        return g * products_of_others(a, ctx.dim)


# -- running sums and products -------------------------------------------------------------------


def _running(function: Any, a: np.ndarray, dim: int, reverse: bool, dtype: Any) -> np.ndarray:
    """np.cumsum or np.cumprod along ``dim``; ``reverse`` runs it from the end back."""
    if not reverse:
        return function(a, axis=dim, dtype=dtype)
    return np.flip(function(np.flip(a, dim), axis=dim, dtype=dtype), dim)


def _running_dtypes(dtype: np.dtype) -> tuple[Any, np.dtype]:
    """What a running sum or product is computed in, and its result's dtype: as torch's CPU,
    integers in int64, and float16/float32 in float64, rounded back at the end (a float32
    cumsum of 10⁵ values keeps float32's accuracy instead of losing digits at every step)."""
    if dtype.kind in "biu":
        return np.int64, np.dtype(np.int64)
    return (np.float64 if dtype.itemsize < 8 else None), dtype


class Cumsum(Function):
    """Running sum along ``dim``: yₖ = Σ_{j≤k} aⱼ (from the end if ``reverse``).

    ∂L/∂aⱼ = Σ_{k≥j} gₖ: the running sum of the gradient, the other way.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: int, reverse: bool = False) -> np.ndarray:
        ctx.dim, ctx.reverse = dim, reverse
        wide, result = _running_dtypes(a.dtype)
        return _running(np.cumsum, a, dim, reverse, wide).astype(result, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return Cumsum.apply(grad, dim=ctx.dim, reverse=not ctx.reverse)


class Cumprod(Function):
    """Running product along ``dim``: yₖ = ∏_{j≤k} aⱼ (from the end if ``reverse``).

    ∂L/∂aᵢ = Σ_{k≥i} gₖ ∏_{j≤k, j≠i} aⱼ. Without zeros that is (Σ_{k≥i} gₖyₖ)/aᵢ, a running sum
    the other way over aᵢ (as torch). With a zero the products are taken as written: for each
    i, the running product of a with aᵢ set to 1 (n² values) — exact, and differentiable again
    at the zeros (torch's double backward does the same). Saves the input and the output.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: int, reverse: bool = False) -> np.ndarray:
        wide, result = _running_dtypes(a.dtype)
        out = _running(np.cumprod, a, dim, reverse, wide).astype(result, copy=False)
        ctx.save_for_backward(a, out)
        ctx.dim, ctx.reverse = dim, reverse
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, out = ctx.saved_tensors
        dim, reverse = ctx.dim, ctx.reverse
        if not np.any(array_of(a) == 0):
            return Cumsum.apply(grad * out, dim=dim, reverse=not reverse) / a
        n, shape = a.shape[dim], a.shape
        # A new axis i before ``dim``: row i is a with aᵢ replaced by 1.
        wide = shape[:dim] + (n,) + shape[dim:]
        axes = (1,) * dim + (n, n) + (1,) * (len(shape) - dim - 1)
        left_out = where(
            np.broadcast_to(np.eye(n, dtype=bool).reshape(axes), wide),
            1.0,
            expand(reshape(a, shape[:dim] + (1,) + shape[dim:]), wide),
        )
        partial = Cumprod.apply(left_out, dim=dim + 1, reverse=reverse)
        later = np.triu(np.ones((n, n), dtype=bool))  # the products yₖ that hold aᵢ: k ≥ i
        later = (later.T if reverse else later).reshape(axes)
        g = expand(reshape(grad, shape[:dim] + (1,) + shape[dim:]), wide)
        terms = where(np.broadcast_to(later, wide), g * partial, 0.0)
        return Sum.apply(terms, dim=(dim + 1,), keepdim=False)


# -- order statistics: max, min, median ----------------------------------------------------------


def _median_lower(a: np.ndarray, dim: Dims, keepdim: bool) -> np.ndarray:
    """The lower of the two middle values (torch's median), nan where a nan is."""
    flat = a.reshape(-1) if dim is None else a
    axis = 0 if dim is None else dim[0]
    n = flat.shape[axis]
    out = np.take(np.sort(flat, axis=axis), [(n - 1) // 2], axis=axis)  # nan sorts last
    if a.dtype.kind == "f":
        out = np.where(np.isnan(flat).any(axis=axis, keepdims=True), np.nan, out)
    if dim is None:
        return out.reshape(keepdim_shape(a.shape, None) if keepdim else ())
    return out if keepdim else np.squeeze(out, axis=axis)


class OrderStatistic(Function):
    """The max, min or (lower) median of a over ``dim`` (``which``): one of a's own values.

    ∂/∂a = 1/k at each of the k entries equal to it (tied ones share, as torch's amax and
    max(); a nan result is the nan entries'), 0 elsewhere. Saves the input and the output.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, which: str, dim: Dims, keepdim: bool) -> np.ndarray:
        ctx.dim = dim
        if which == "median":
            out = _median_lower(a, dim, keepdim)
        else:
            out = (np.max if which == "max" else np.min)(a, axis=dim, keepdims=keepdim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, out = ctx.saved_tensors
        return spread(grad, a.shape, ctx.dim) * tie_shares(array_of(a), array_of(out), ctx.dim)


def tie_shares(values: np.ndarray, result: np.ndarray, dim: Dims) -> np.ndarray:
    """1/k at each of the k entries of ``values`` equal to the reduction's ``result`` over
    ``dim`` (the nan entries where the result is nan), 0 elsewhere: a constant, in values' dtype."""
    kept = result.reshape(keepdim_shape(values.shape, dim))
    ties = np.where(np.isnan(kept), np.isnan(values), values == kept)
    return (ties / np.sum(ties, axis=dim, keepdims=True)).astype(values.dtype)


class SelectAlong(Function):
    """The entries of a at ``indices`` along ``dim``, that axis dropped unless ``keepdim``: the
    values of max(dim), min(dim) and median(dim), whose indices the caller found (``which``
    says which of them, for the node's name).

    ∂/∂a = 1 at the chosen index, 0 elsewhere (as torch: no sharing between ties).
    """

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int, keepdim: bool, which: str
    ) -> np.ndarray:
        idx = np.expand_dims(indices, dim)
        ctx.indices, ctx.dim, ctx.shape, ctx.keepdim = idx, dim, a.shape, keepdim
        out = np.take_along_axis(a, idx, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        kept = reshape(grad, keepdim_shape(ctx.shape, (ctx.dim,)))
        return ScatterAlong.apply(kept, indices=ctx.indices, dim=ctx.dim, shape=ctx.shape)


# -- log-sum-exp and norms -----------------------------------------------------------------------


class LogSumExp(Function):
    """log Σ exp(a) over ``dim``, computed as m + log1p(Σ_{a<m} e^{a-m} + (ties - 1)) with m
    the maximum: no overflow, and the small terms are kept (log of 1 + tiny would lose them).

    ∂/∂a = exp(a - out): the softmax. A row of -inf gives -inf (and a nan gradient), as torch.
    Saves the input and the output.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim: Dims, keepdim: bool) -> np.ndarray:
        ctx.dim = dim
        top = np.max(a, axis=dim, keepdims=True, initial=-np.inf)
        top = np.where(np.isfinite(top), top, 0.0).astype(a.dtype)  # ±inf rows: no shift
        terms = np.exp(a - top)
        at_top = a == top
        rest = np.sum(np.where(at_top, 0.0, terms), axis=dim, keepdims=True)
        rest = rest + (np.sum(at_top, axis=dim, keepdims=True) - 1)
        out = (top + np.log1p(rest)).astype(a.dtype)
        out = out if keepdim else out.reshape(reduced_shape(a.shape, dim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, out = ctx.saved_tensors
        kept = keepdim_shape(a.shape, ctx.dim)
        return spread(grad, a.shape, ctx.dim) * exp(a - reshape(out, kept))


def _power_of_two_scale(largest: np.ndarray) -> np.ndarray:
    """A power of two near each of ``largest`` (1 where it is 0 or not finite): dividing by it
    is exact, and brings the largest |a| to [0.5, 1), so that |a|^p neither overflows nor
    underflows."""
    usable = np.isfinite(largest) & (largest > 0)
    exponent = np.frexp(np.where(usable, largest, 1.0))[1]
    return np.ldexp(np.ones_like(largest), np.where(usable, exponent, 0))


def vector_norm_array(a: np.ndarray, ord: float, dim: Dims, keepdim: bool) -> np.ndarray:
    """(Σ|a|^p)^(1/p) over ``dim``; max |a| for p = inf, min for -inf, the count of non-zeros
    for p = 0. For p > 0 the values are scaled by a power of two first, so that the result is
    finite whenever it fits (torch overflows for |a| > 1e154 at p = 2)."""
    size = np.abs(a)
    if ord == math.inf or ord == -math.inf:
        return (np.max if ord > 0 else np.min)(size, axis=dim, keepdims=keepdim)
    if ord == 0:
        return np.sum(size != 0, axis=dim, keepdims=keepdim).astype(a.dtype)
    if ord == 1:
        return np.sum(size, axis=dim, keepdims=keepdim, dtype=_float16_wide(a.dtype))
    wide = size.astype(np.float32) if a.dtype == np.float16 else size
    scale = np.ones((), wide.dtype)
    if ord > 0:
        scale = _power_of_two_scale(np.max(wide, axis=dim, keepdims=True, initial=0.0))
    scaled = wide / scale
    if ord == 2:
        total = np.sqrt(np.sum(scaled * scaled, axis=dim, keepdims=True))
    else:
        total = np.sum(scaled**ord, axis=dim, keepdims=True) ** (1.0 / ord)
    out = total * scale
    return out if keepdim else out.reshape(reduced_shape(a.shape, dim))


class VectorNorm(Function):
    """‖a‖_p over ``dim`` (torch's linalg.vector_norm): (Σ|a|^p)^(1/p), max |a| for p = inf.

    ∂/∂a, as torch: a/‖a‖ for p = 2;  sign(a) for p = 1;  sign(a)/k at the k entries of largest
    |a| for p = inf (smallest for -inf);  0 for p = 0;  else sign(a)|a|^(p-1)/‖a‖^(p-1) (for
    p < 1: 0 where a = 0). Where ‖a‖ = 0 the gradient is 0, not 0/0. Saves input and output.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, ord: float, dim: Dims, keepdim: bool) -> np.ndarray:
        out = np.asarray(vector_norm_array(a, ord, dim, keepdim), dtype=a.dtype)
        ctx.save_for_backward(a, out)
        ctx.ord, ctx.dim = ord, dim
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, out = ctx.saved_tensors
        p, shape, dim = ctx.ord, a.shape, ctx.dim
        if p == 0:
            return spread(grad, shape, dim) * 0.0
        if p == 1:
            return spread(grad, shape, dim) * Sign.apply(a)
        norm = reshape(out, keepdim_shape(shape, dim))
        if p == math.inf or p == -math.inf:  # grad/k at the k extremes of |a|
            shares = tie_shares(np.abs(array_of(a)), array_of(out), dim)
            return spread(grad, shape, dim) * shares * Sign.apply(a)
        zero = array_of(norm) == 0
        safe = where(zero, 1.0, norm) if np.any(zero) else norm
        if p == 2:
            scale = grad_over(grad, safe, zero, shape, dim, 1.0)
            return a * scale
        size = Abs.apply(a)
        if p < 1:  # |a|^(p-1) is infinite at a = 0: those entries get 0, as in torch
            at_zero = array_of(a) == 0
            size = where(at_zero, 1.0, size) if np.any(at_zero) else size
            slope = Sign.apply(a) * Pow.apply(size, p - 1)
            return slope * spread(grad, shape, dim) * Pow.apply(norm, 1 - p)
        if p < 2:
            return (
                Sign.apply(a)
                * Pow.apply(size, p - 1)
                * grad_over(grad, safe, zero, shape, dim, p - 1)
            )
        return a * Pow.apply(size, p - 2) * grad_over(grad, safe, zero, shape, dim, p - 1)


def grad_over(
    grad: Any, norm: Any, zero: np.ndarray, shape: tuple[int, ...], dim: Dims, power: float
) -> Any:
    """grad / ‖a‖^power spread back to ``shape``, 0 where the norm is 0 (``norm`` is safe
    there: 1, so that no 0/0 appears even in a derivative of this)."""
    kept = reshape(grad, norm.shape)
    divisor = norm if power == 1 else Pow.apply(norm, power)
    scaled = where(zero, 0.0, kept / divisor) if np.any(zero) else kept / divisor
    return expand(scaled, shape)
