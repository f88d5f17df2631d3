"""The sigmoid family beyond σ itself: log σ, softplus, SiLU and Mish, with the derivative ops
each backward is (one pass: the gradient is multiplied in where f' is computed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.function import Function, Node
from ...kernels.arrays import clip, largest, scaled
from ...kernels.rounding import exact_in_binary, product_residual
from ...kernels.sigmoid import sigmoid_array, silu_derivative_array
from ...kernels.softplus import (
    MISH_FAR,
    log1p_exp,
    mish_derivative_array,
    mish_derivative_from_parts,
    mish_parts,
)
from ..basic import Clamp, array_of, where
from ..derivatives import derivative
from ..special import Sech2Softplus, Sigmoid, SigmoidDerivative, Tanh, TanhSoftplus


class LogSigmoid(Function):
    """log σ(x) = -log(1 + e^{-x}) = min(x, 0) - log1p(e^{-|x|}).

    f'(x) = σ(-x) = 1 - e^{f(x)} = -expm1(f(x)).  Smooth. Saves the input and the output.
    logsigmoid(-1000) = -1000 exactly. The backward is ``LogSigmoidDerivative`` given y.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.abs(x, out=np.empty_like(x))
        np.negative(out, out=out)
        np.exp(out, out=out)
        np.log1p(out, out=out)
        np.subtract(clip(x, -np.inf, 0.0), out, out=out)  # min(x, 0) - log1p(e^{-|x|})
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, y = ctx.saved_tensors
        return LogSigmoidDerivative.apply(x, grad, y=array_of(y))


class LogSigmoidDerivative(Function):
    """g·σ(-x) = g·logsigmoid'(x)  (g = 1 when not given).

    ∂/∂x = -g·σ'(x),  ∂/∂g = σ(-x). Saves x and g. Given y = logsigmoid(x), σ(-x) = -expm1(y):
    one pass, and accurate (expm1 keeps the digits of 1 - e^y for y near 0, where σ(-x) is
    tiny); else σ(-x) from x.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, g: Any = None, *, y: Any = None) -> np.ndarray:
        ctx.save_for_backward(x, g)
        ctx.y = y
        if y is None:
            out = sigmoid_array(np.negative(x))
        else:
            out = np.expm1(y, out=np.empty_like(y))
            np.subtract(0.0, out, out=out)  # not negative(): σ(-x) underflows to +0, not -0
        return scaled(out, g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        dx = dg = None
        if need_x:  # logsigmoid''(x) = -σ'(x)
            dx = SigmoidDerivative.apply(x, -(grad if g is None else grad * g))
        if need_g:
            dg = LogSigmoidDerivative.apply(x, grad, y=ctx.y)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


class Softplus(Function):
    """softplus(x) = (1/β)·log(1 + e^{βx}), and x itself where βx > threshold.

    f'(x) = σ(βx) = 1 - e^{-βf(x)} = -expm1(-βf(x)), and 1 where βx > threshold (strictly, as
    torch).  Saves the input and the output. Parameters: beta (≠ 0), threshold.
    βx is rounded unless β is a power of two, and e^{βx} magnifies that by |βx| (100 ulps at
    βx = -219): its residual r is carried, as log(1 + e^{z + r}) = log(1 + e^z) + r·σ(z).
    The backward is ``SoftplusDerivative`` given y.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, beta: float, threshold: float) -> np.ndarray:
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta if beta != 1.0 else x  # β = 1 (the default): no product, no division
        out = log1p_exp(z)
        if not exact_in_binary(beta):
            out += (product_residual(x, beta, z) * sigmoid_array(z)).astype(x.dtype, copy=False)
        if beta != 1.0:
            out /= beta
        ctx.linear = None  # where βx > threshold (usually nowhere): x itself, and f' = 1
        if largest(z) > threshold:
            ctx.linear = z > threshold
            np.copyto(out, x, where=ctx.linear)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, y = ctx.saved_tensors
        return SoftplusDerivative.apply(
            x, grad, y=array_of(y), beta=ctx.beta, threshold=ctx.threshold, linear=ctx.linear
        )


class SoftplusDerivative(Function):
    """g·softplus'(x) = g·σ(βx), and g where βx > threshold (g = 1 when not given), from
    y = softplus(x): σ(βx) = -expm1(-βy), one pass, accurate at both ends. ``linear``: where
    βx > threshold (None: nowhere).

    ∂/∂x = g·β·σ'(βx), and 0 where βx > threshold;  ∂/∂g = softplus'(x). Saves x and g.
    With r the rounding residual of βx, σ'(z + r) = σ'(z)·(1 - r·tanh(z/2)) to first order.
    """

    @staticmethod
    def forward(
        ctx: Node,
        x: np.ndarray,
        g: Any = None,
        *,
        y: np.ndarray,
        beta: float,
        threshold: float,
        linear: np.ndarray | None,
    ) -> np.ndarray:
        ctx.save_for_backward(x, g)
        ctx.y, ctx.beta, ctx.threshold, ctx.linear = y, beta, threshold, linear
        out = np.multiply(y, -beta, out=np.empty_like(y))
        np.expm1(out, out=out)
        np.negative(out, out=out)
        if linear is not None:
            np.copyto(out, 1.0, where=linear)
        return scaled(out, g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        beta = ctx.beta
        dx = dg = None
        if need_x:  # softplus''(x) = β·σ'(βx), and 0 where βx > threshold
            z = x * beta
            dx = SigmoidDerivative.apply(z, (grad if g is None else grad * g) * beta)
            if not exact_in_binary(beta):  # r is a constant: its derivative is σ''(z + r) too
                r = product_residual(array_of(x), beta, array_of(z)).astype(array_of(z).dtype)
                dx = dx * (1.0 - r * Tanh.apply(z * 0.5))
            if ctx.linear is not None:
                dx = where(ctx.linear, 0.0, dx)
        if need_g:
            same = {"y": ctx.y, "threshold": ctx.threshold, "linear": ctx.linear}
            dg = SoftplusDerivative.apply(x, grad, beta=beta, **same)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


class SiLU(Function):
    """silu(x) = x·σ(x)  (also called swish).

    f'(x) = σ(x) + x·σ'(x) (``SiLUDerivative``, patched near its roots: ``Derivative``).
    Smooth. Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = sigmoid_array(x)
        out *= x  # silu(-inf) = -inf·0 is nan, as in torch
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return derivative(x, SiLUDerivative.apply, "silu", grad)


class SiLUDerivative(Function):
    """silu'(x) = σ(x) + x·σ'(x) = σ(x)·(1 + x·σ(-x)), with one exponential
    (``kernels.sigmoid.silu_derivative_array``).

    Derivative: silu''(x) = σ'(x)·(2 - x·tanh(x/2)). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return silu_derivative_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return SigmoidDerivative.apply(x, grad) * (2.0 - x * Tanh.apply(x * 0.5))


class Mish(Function):
    """mish(x) = x·t(x),  t(x) = tanh(softplus(x)).

    f'(x) = t(x) + x·S(x)·σ(x),  S = sech²(softplus(x)) = 1 - t² (``MishDerivative``, patched
    near its roots: ``Derivative``).  Smooth. Saves the input and the parts the forward and
    mish' share: x̂ (x within [-1e4, 40]), E = e^x̂ and D = E(E + 2) + 2
    (``kernels.softplus.mish_parts``), so the backward needs no exponential.
    t and S are ops of their own, computed from e^{-|x|} (``special.py``): torch's mish'' is
    NaN for x > 709 and loses every digit of S long before; here all orders stay exact.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        capped, e, n = mish_parts(x)
        d = np.add(n, 2.0, out=np.empty_like(n))
        n /= d  # t = n / (n + 2)
        n *= x  # mish(-inf) = -inf·0 is nan, as in torch
        for kept in (e, d) if capped is x else (capped, e, d):  # (x is the caller's)
            kept.flags.writeable = False  # kept for every backward
        ctx.save_for_backward(x, capped, e, d)
        return n

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, *parts = ctx.saved_tensors
        known = tuple(array_of(p) for p in parts)
        return derivative(x, lambda t: MishDerivative.apply(t, parts=known), "mish", grad)


class MishDerivative(Function):
    """mish'(x) = t(x) + x·S(x)·σ(x), with one exponential
    (``kernels.softplus.mish_derivative_array``), none when the caller has the forward's
    ``parts`` (x̂, E, D: ``kernels.softplus.mish_derivative_from_parts``).

    Derivative: mish''(x) = 2S·σ + x·S·(σ' - 2t·σ²)  (S' = -2t·S·σ). Saves the input.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, *, parts: tuple[np.ndarray, ...] | None = None
    ) -> np.ndarray:
        ctx.save_for_backward(x)
        if parts is None:
            return mish_derivative_array(x)
        return mish_derivative_from_parts(x, *parts)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        t, s2, s = TanhSoftplus.apply(x), Sech2Softplus.apply(x), Sigmoid.apply(x)
        # The factor x clamped to ±1e4, where every term it multiplies is exactly 0 or
        # constant: the same values, but its own derivatives never meet x·(-2) = -inf (1e308).
        xc = Clamp.apply(x, min=-MISH_FAR, max=MISH_FAR)
        return grad * (2.0 * s2 * s + xc * s2 * (SigmoidDerivative.apply(x) - 2.0 * t * s * s))
