"""The activations along a dimension: softmax, softmin, log-softmax and GLU."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.function import Function, Node
from ...core.ops import Exp, Sum
from ...kernels.sigmoid_pair import sigmoid_pair
from ..basic import Index, TakeAlong, array_of, cat, where
from ..special import Sigmoid, Tanh, sigmoid_derivative

# -- along a dimension -------------------------------------------------------------------------


class Softmax(Function):
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = y·(grad - Σ_j grad_j·y_j).  Saves the output (as torch).
    Computed as e^{x - max x}: never overflows, and a row of 1e4s gives 1/n each.
    At the maximum of a saturated row (y_max > 3/4) grad_max - Σ_j grad_j·y_j cancels —
    torch's softmax([37.4, 0])' is 0, the true value 5.5e-17 — so when a row is, the forward
    also saves where each row's maximum is and c = 1 - y_max summed from the other terms, and
    there the backward takes grad_max·c - Σ_{j≠max} grad_j·y_j.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        return _softmax(ctx, x, dim, negated=False)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        return SoftmaxGradient.apply(grad, y, dim=ctx.dim, top=ctx.top, c=ctx.c, negated=False)


class Softmin(Function):
    """softmin(x) = softmax(-x) along ``dim``: e^{-x_i} / Σ_j e^{-x_j}.

    ∂: grad_in = -y·(grad - Σ_j grad_j·y_j), softmax's negated.  Saves the output.
    Computed as e^{min x - x}, to the bit softmax's e^{(-x) - max(-x)} without making -x; a
    saturated row (its minimum's y > 3/4) is treated as in softmax.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        return _softmax(ctx, x, dim, negated=True)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        return SoftmaxGradient.apply(grad, y, dim=ctx.dim, top=ctx.top, c=ctx.c, negated=True)


def _softmax(ctx: Node, x: np.ndarray, dim: int, negated: bool) -> np.ndarray:
    """softmax(x), or softmax(-x) if ``negated``, along ``dim`` (``Softmax``, ``Softmin``)."""
    ctx.dim, ctx.top, ctx.c = dim % max(x.ndim, 1), None, None
    if x.size == 0:
        out = x.copy()
        ctx.save_for_backward(out)
        return out
    # a row holding inf gives nan, as in torch
    if negated:
        out = np.subtract(np.min(x, axis=dim, keepdims=True), x, out=np.empty_like(x))
    else:
        out = np.subtract(x, np.max(x, axis=dim, keepdims=True), out=np.empty_like(x))
    np.exp(out, out=out)
    total = np.sum(out, axis=dim, keepdims=True)
    out /= total
    if np.any(total < 1.0 / (1.0 - _SATURATED)):  # a row saturates: keep c = 1 - y_max
        top = np.expand_dims((np.argmin if negated else np.argmax)(x, axis=dim), dim)
        ctx.top, ctx.c = top, _sum_but_top(out, top, dim)
    ctx.save_for_backward(out)
    return out


class SoftmaxGradient(Function):
    """softmax's gradient y·W, W = grad - Σ_j grad_j·y_j, as one op on (grad, y); softmin's
    (``negated``) is -y·W.

    At the maximum of a saturated row (``top``, and c = 1 - y_max < 1/4 from the forward) W
    is grad_max·c - Σ_{j≠max} grad_j·y_j instead; rows that do not saturate pay nothing for it.
    Derivatives (the Jacobian y_i·(δ_ij - y_j) is symmetric):  ∂/∂grad: the same op on the
    incoming g;  ∂/∂y = g·W - (Σ_j g_j·y_j)·grad, the usual form's (the other form's differs by
    a constant per row, which softmax's own backward sends to 0); both negated for softmin.
    Saves grad and y.
    """

    @staticmethod
    def forward(
        ctx: Node, grad: np.ndarray, y: np.ndarray, *, dim: int, top: Any, c: Any, negated: bool
    ) -> np.ndarray:
        ctx.save_for_backward(grad, y)
        ctx.dim, ctx.top, ctx.c, ctx.negated = dim, top, c, negated
        out = grad * y
        total = np.sum(out, axis=dim, keepdims=True)
        if top is not None:
            rest = _sum_but_top(out, top, dim)  # Σ_{j≠max} grad_j·y_j
            g_top = np.take_along_axis(np.broadcast_to(grad, y.shape), top, axis=dim)
            at_top = g_top * c - rest
        if negated:  # -W, in the same pass
            np.subtract(total, grad, out=out)
        else:
            np.subtract(grad, total, out=out)
        if top is not None:
            usual = np.take_along_axis(out, top, axis=dim)
            at_top = np.where(c < _SATURATED, -at_top if negated else at_top, usual)
            np.put_along_axis(out, top, at_top, axis=dim)
        out *= y
        return out

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any]:
        grad, y = ctx.saved_tensors
        need_grad, need_y = ctx.needs_input_grad
        dim, top, c, negated = ctx.dim, ctx.top, ctx.c, ctx.negated
        d_grad = None
        if need_grad:
            d_grad = SoftmaxGradient.apply(g, y, dim=dim, top=top, c=c, negated=negated)
        d_y = None
        if need_y:
            inner = _softmax_inner(grad, y, dim, top, c)
            d_y = g * inner - Sum.apply(g * y, dim=(dim,), keepdim=True) * grad
            if negated:
                d_y = -d_y
        return d_grad, d_y


def _softmax_inner(grad: Any, y: Any, dim: int, top: Any, c: Any) -> Any:
    """W of ``SoftmaxGradient`` in ops: every element grad - Σ_j grad_j·y_j, but the maximum
    of a saturated row grad_max·c - Σ_{j≠max} grad_j·y_j (c: the forward's value)."""
    gy = grad * y
    usual = grad - Sum.apply(gy, dim=(dim,), keepdim=True)
    if top is None:
        return usual
    rest = _sum_of_others(gy, top, dim)
    c_of_y = _valued(_sum_of_others(y, top, dim), c)
    at_top = TakeAlong.apply(grad, indices=top, dim=dim) * c_of_y - rest
    return where(_saturated_tops(top, y.shape, dim, c), at_top, usual)


def _sum_of_others(a: Any, top: np.ndarray, dim: int) -> Any:
    """Σ_{j≠max} a_j per row along ``dim`` (dims kept), in ops: the terms themselves added, not
    the total less a_max (which keeps none of their digits when a_max dominates)."""
    others = where(_top_mask(top, a.shape, dim), 0.0, a)
    return Sum.apply(others, dim=(dim,), keepdim=True)


def _valued(a: Any, value: np.ndarray) -> Any:
    """``a`` with the values ``value`` (the same quantity, computed apart to a few ulps), and
    a's derivative: value - a is exact for so close numbers, and so is a + (value - a)."""
    return a + (value - array_of(a))


def _sum_but_top(a: np.ndarray, top: np.ndarray, dim: int) -> np.ndarray:
    """Σ_{j≠max} a_j per row, on arrays (``_sum_of_others`` in ops)."""
    rest = a.copy()
    np.put_along_axis(rest, top, 0.0, axis=dim)
    return np.sum(rest, axis=dim, keepdims=True)


# A row saturates when 1 - y_max = c < 1/4 (y_max > 3/4): there the usual formula loses
# more than ~4 ulps at the maximum, and only there the maximum takes the other one.
_SATURATED = 0.25


def _top_mask(top: np.ndarray, shape: tuple[int, ...], dim: int) -> np.ndarray:
    """True at each row's maximum (for softmin, its minimum: where y is largest)."""
    is_top = np.zeros(shape, np.bool_)
    np.put_along_axis(is_top, top, True, axis=dim)
    return is_top


def _saturated_tops(top: np.ndarray, shape: tuple[int, ...], dim: int, c: np.ndarray) -> Any:
    """True at the maximum of each saturated row (c = 1 - y_max below 1/4)."""
    return _top_mask(top, shape, dim) & (c < _SATURATED)


class LogSoftmax(Function):
    """log_softmax(x)_i = x_i - log Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = grad - softmax(x)·Σ_j grad_j = grad - e^y·Σ grad.  Saves the output (as torch);
    keeps the forward's e^{x - max} and their row sums for the backward, which has e^y from them
    without a second exponential and writes the gradient into them; when a row saturates, also
    where each row's maximum is and c = 1 - e^{y_max}.
    The sum is 1 + (the others) with the maximum's own term exactly 1, so it is taken as
    log1p(others): log_softmax([1e4, 0]) = [-0, -1e4] exactly, and tiny gaps keep their digits.
    At a row's maximum grad_max - e^{y_max}·Σ grad cancels when the row saturates (torch's
    log_softmax([37.6, 0])' is 1.1e-16, the true value 4.7e-17): there it is taken as
    grad_max·c - e^{y_max}·(Σ grad - grad_max) — exact for the one-hot gradient of a loss.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim, ctx.top, ctx.c = dim % max(x.ndim, 1), None, None
        ctx.exps, ctx.sums = None, 1.0
        if x.size == 0:
            out = x.copy()
        else:
            top = np.expand_dims(np.argmax(x, axis=dim), dim)
            m = np.take_along_axis(x, top, axis=dim)
            out = x - m
            e = np.exp(out)  # 1 at the maximum
            np.put_along_axis(e, top, 0.0, axis=dim)
            others = np.sum(e, axis=dim, keepdims=True)  # Σ_{j≠max} e^{x_j - max}
            np.put_along_axis(e, top, 1.0, axis=dim)
            out -= np.log1p(others)
            finite = np.isfinite(m)
            if not finite.all():  # a row whose maximum is ±inf or nan: all nan
                out = np.where(finite, out, np.nan)
                e = np.where(finite, e, np.nan)
            ctx.exps, ctx.sums = e, others + 1.0  # e^y = e^{x - max} / Σ_j e^{x_j - max}
            c = others / ctx.sums  # c = 1 - e^{y_max}
            if np.any(c < _SATURATED):  # a row saturates: its maximum takes the other formula
                ctx.top, ctx.c = top, c
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        # The gradient is written into the kept exponentials: they serve one backward (a
        # second one, through a retained graph, takes e^y again).
        (exps, sums), (ctx.exps, ctx.sums) = (ctx.exps, ctx.sums), (None, 1.0)
        params = dict(dim=ctx.dim, top=ctx.top, c=ctx.c)
        return LogSoftmaxGradient.apply(grad, y, exps=exps, sums=sums, **params)


class LogSoftmaxGradient(Function):
    """log_softmax's gradient grad - p·Σ_j grad_j, p = e^y, as one op on (grad, y).

    ``exps``, when given, are the forward's e^{x - max} (and ``sums`` their row sums): then
    p = exps/sums, and the result is written into ``exps``; without them p = e^y.
    At the maximum of a saturated row (``top``, c = 1 - p_max < 1/4 from the forward) it is
    grad_max·c - p_max·(Σ_j grad_j - grad_max) instead; rows that do not saturate pay nothing.
    Derivatives:  ∂/∂grad = g - Σ_j g_j·p_j (at a saturated maximum g_max·c - Σ_{j≠max} g_j·p_j);
    ∂/∂y = -g·p·Σ_j grad_j, and in a saturated row -(g - g_max)·p·Σ_j grad_j: it differs by a
    multiple of p, which log_softmax's own backward sends to 0, and is 0 at the maximum, so
    that there the other formula's Σ_j grad_j - grad_max keeps its digits. Saves grad and y.
    """

    @staticmethod
    def forward(
        ctx: Node,
        grad: np.ndarray,
        y: np.ndarray,
        *,
        dim: int,
        top: Any,
        c: Any,
        exps: np.ndarray | None = None,
        sums: Any = 1.0,
    ) -> np.ndarray:
        ctx.save_for_backward(grad, y)
        ctx.dim, ctx.top, ctx.c = dim, top, c
        out = np.exp(y, out=np.empty_like(y)) if exps is None else exps
        total = np.sum(grad, axis=dim, keepdims=True)
        if top is not None:
            p_top = np.take_along_axis(out, top, axis=dim) / sums
            g_top = np.take_along_axis(np.broadcast_to(grad, y.shape), top, axis=dim)
        np.multiply(out, total / sums, out=out)  # p·Σ grad
        np.subtract(grad, out, out=out)
        if top is not None:  # the maximum of a saturated row: the other formula
            usual = np.take_along_axis(out, top, axis=dim)
            at_top = np.where(c < _SATURATED, g_top * c - p_top * (total - g_top), usual)
            np.put_along_axis(out, top, at_top, axis=dim)
        return out

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any]:
        grad, y = ctx.saved_tensors
        need_grad, need_y = ctx.needs_input_grad
        dim, top, c = ctx.dim, ctx.top, ctx.c
        p = Exp.apply(y)
        d_grad = d_y = None
        if need_grad:
            gp = g * p
            d_grad = g - Sum.apply(gp, dim=(dim,), keepdim=True)
            if top is not None:
                # e^y magnifies y's rounding by |y| (30 ulps at y = -33): c is the forward's
                # value, with the derivative of Σ_{j≠max} e^{y_j}.
                c_of_p = _valued(_sum_of_others(p, top, dim), c)
                at_top = TakeAlong.apply(g, indices=top, dim=dim) * c_of_p
                at_top = at_top - _sum_of_others(gp, top, dim)
                d_grad = where(_saturated_tops(top, y.shape, dim, c), at_top, d_grad)
        if need_y:
            shifted = g
            if top is not None:  # 0 at the maximum of a saturated row (see the docstring)
                g_max = TakeAlong.apply(g, indices=top, dim=dim)
                shifted = where(np.broadcast_to(c < _SATURATED, y.shape), g - g_max, g)
            d_y = -(shifted * p) * Sum.apply(grad, dim=(dim,), keepdim=True)
        return d_grad, d_y


class GLU(Function):
    """glu(x) = a·σ(b), where a, b are the two halves of x along ``dim``.

    ∂/∂a = σ(b),  ∂/∂b = a·σ'(b) = y·σ(-b); the two halves of the gradient are joined
    (``GLUGradient``). Saves the input and the output; keeps σ(b) and σ(-b), both from the
    forward's one exponential, in the two halves of one array, into which the backward writes
    the gradient.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim = dim % max(x.ndim, 1)
        a, b = np.split(x, 2, axis=dim)
        ctx.sigmoids = np.empty_like(x)
        sigma, sigma_neg = np.split(ctx.sigmoids, 2, axis=dim)
        sigmoid_pair(b, out=(sigma, sigma_neg))
        out = np.multiply(a, sigma)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, y = ctx.saved_tensors
        # They serve one backward (a second one, through a retained graph, takes them again).
        sigmoids, ctx.sigmoids = ctx.sigmoids, None
        return GLUGradient.apply(grad, x, dim=ctx.dim, output=array_of(y), sigmoids=sigmoids)


class GLUGradient(Function):
    """glu's gradient [grad·σ(b), grad·a·σ'(b)] (the halves joined along ``dim``), as one op.

    a·σ'(b) = y·σ(-b), y = a·σ(b) the forward's output (``output``, a value): three products.
    ``sigmoids``, when given, holds σ(b) and σ(-b) in its halves, and the result is written
    into it; without it they are computed here.
    Derivatives, for g = [g_a, g_b]:  ∂/∂grad = g_a·σ(b) + g_b·a·σ'(b);
    ∂/∂a = g_b·grad·σ'(b);  ∂/∂b = grad·(g_a·σ'(b) + g_b·a·σ''(b)),  σ'' = -σ'·tanh(b/2).
    Saves grad and x.
    """

    @staticmethod
    def forward(
        ctx: Node,
        grad: np.ndarray,
        x: np.ndarray,
        *,
        dim: int,
        output: np.ndarray,
        sigmoids: np.ndarray | None = None,
    ) -> np.ndarray:
        ctx.save_for_backward(grad, x)
        ctx.dim = dim
        out = sigmoids
        if out is None:
            out = np.empty_like(x)
            sigmoid_pair(np.split(x, 2, axis=dim)[1], out=np.split(out, 2, axis=dim))
        grad_a, grad_b = np.split(out, 2, axis=dim)  # σ(b) and σ(-b): worked in in place
        grad_a *= grad
        grad_b *= output
        grad_b *= grad
        return out

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any]:
        grad, x = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad
        dim = ctx.dim
        a, b = _halves(x, dim)
        g_a, g_b = _halves(g, dim)
        slope = sigmoid_derivative(b)
        grad_grad = g_a * Sigmoid.apply(b) + g_b * a * slope if need_grad else None
        grad_x = None
        if need_x:
            grad_b = grad * slope * (g_a - g_b * a * Tanh.apply(b * 0.5))
            grad_x = cat([g_b * grad * slope, grad_b], dim=dim)
        return grad_grad, grad_x


def _halves(x: Any, dim: int) -> tuple[Any, Any]:
    """The two halves of x along ``dim`` (ops: on arrays, views)."""
    half = x.shape[dim] // 2
    first: list[Any] = [slice(None)] * x.ndim
    second: list[Any] = [slice(None)] * x.ndim
    first[dim], second[dim] = slice(0, half), slice(half, None)
    return Index.apply(x, index=tuple(first)), Index.apply(x, index=tuple(second))
