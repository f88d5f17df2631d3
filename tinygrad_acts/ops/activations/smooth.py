"""The exponential-linear units (ELU, SELU, CELU), GELU (exact and tanh-approximated), and
the rational shapes softsign and tanhshrink."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.function import Function, Node
from ...kernels import _tanhshrink_poly
from ...kernels.arrays import scaled
from ...kernels.elu import elu_derivative_array, elu_exp, elu_parts
from ...kernels.erfc import gelu_parts
from ...kernels.gelu_tanh import GATE_LIMIT, gelu_tanh_gate_array
from ..basic import Abs, Clamp, Sign, array_of
from ..derivatives import derivative
from ..special import (
    GELUSlope,
    GeluTanhGate,
    GeluTanhGateSlope,
    Tanh,
    TanhDerivative,
    gelu_tanh_argument_slope,
)
from .piecewise_linear import NEGATIVE_SLOPE_IN_PLACE

# -- exponential-linear units ----------------------------------------------------------------


class ELU(Function):
    """The ELU family: f(x) = scale·x for x > 0, else scale·α·(e^{x/d} - 1).

    f'(x) = scale for x > 0, else scale·(α/d)·e^{x/d}; at 0 the second branch (elu'(0) = α,
    as torch), and f''(0) = 0 (torch's double backward): ``ELUDerivative``.  Saves the input
    and e^{min(x, 0)/d}, which the forward computes beside expm1 (``kernels.elu``): every
    derivative is a multiple of it.
    elu: scale = d = 1.  selu: fixed α ≈ 1.6733, scale ≈ 1.0507.  celu: scale = 1, d = α.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, *, alpha: float, scale: float = 1.0, divisor: float = 1.0
    ) -> np.ndarray:
        out, exp = elu_parts(x, alpha, scale, divisor)
        exp.flags.writeable = False  # kept for every backward: a caller copies to write
        ctx.save_for_backward(x, exp)
        ctx.alpha, ctx.scale, ctx.divisor = alpha, scale, divisor
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        if ctx.alpha < 0 and getattr(ctx, "self_is_result", False):  # as leaky_relu's
            raise RuntimeError(NEGATIVE_SLOPE_IN_PLACE.format("elu"))
        x, exp = ctx.saved_tensors
        params = {"alpha": ctx.alpha, "scale": ctx.scale, "divisor": ctx.divisor}
        return ELUDerivative.apply(x, grad, **params, order=1, exp=array_of(exp))


class ELUDerivative(Function):
    """g·f⁽ⁿ⁾(x) of the ELU family (see ``ELU``), n = ``order`` ≥ 1 (g = 1 when not given).

    f'(x) = scale for x > 0, else scale·(α/d)·e^{x/d} (x = 0 included, as torch).
    f⁽ⁿ⁾(x) = scale·(α/dⁿ)·e^{x/d} for x < 0, else 0 (n ≥ 2; f''(0) = 0 is torch's double
    backward).  ∂/∂x = g·f⁽ⁿ⁺¹⁾(x): the next order;  ∂/∂g = f⁽ⁿ⁾(x). Saves x and g;
    ``exp`` is e^{min(x, 0)/d} when the caller has it (then no exponential).
    """

    @staticmethod
    def forward(
        ctx: Node,
        x: np.ndarray,
        g: Any = None,
        *,
        alpha: float,
        scale: float,
        divisor: float,
        order: int,
        exp: np.ndarray | None = None,
    ) -> np.ndarray:
        ctx.save_for_backward(x, g)
        ctx.alpha, ctx.scale, ctx.divisor, ctx.order = alpha, scale, divisor, order
        if exp is None:
            exp = elu_exp(x, divisor)
        ctx.exp = exp
        return elu_derivative_array(x, exp, alpha, scale, divisor, order, g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        params = {"alpha": ctx.alpha, "scale": ctx.scale, "divisor": ctx.divisor, "exp": ctx.exp}
        dx = dg = None
        if need_x:
            upstream = grad if g is None else grad * g
            dx = ELUDerivative.apply(x, upstream, **params, order=ctx.order + 1)
        if need_g:
            dg = ELUDerivative.apply(x, grad, **params, order=ctx.order)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


# -- GELU ------------------------------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


class GELU(Function):
    """gelu(x) = x·Φ(x), Φ the standard normal distribution function.

    f'(x) = Φ(x) + x·φ(x), φ the normal density.  Smooth. Saves the input and f'(x).
    Φ through erfc, not 1 + erf: torch's gelu(-36) is -0.0, the true value -6.7e-285.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        # f and f' together (``gelu_parts``): Φ costs as much as the rest, and φ comes with it
        out, slope = gelu_parts(x)
        slope.flags.writeable = False  # kept for every backward: a caller copies to write
        ctx.save_for_backward(x)
        ctx.slope = slope
        return out  # gelu(-inf) = -inf·0 is nan, as in torch

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        slope = ctx.slope

        def first(t: Any) -> Any:  # gelu'(x), already known
            return GELUSlope.apply(t, value=slope)

        return derivative(x, first, "gelu", grad)


def _gelu_tanh_derivative(x: Any) -> Any:
    """f'(x) = s(x) + x·s'(x), s'(x) = σ'(z)·z'(x).

    x is clamped where it multiplies s' (0 past |x| = 1e4): the same values and derivatives,
    but the backward sends x·z' ≈ 1e8·x into σ'(z), which overflowed at x = 1e308 (inf·0)."""
    slope = GeluTanhGateSlope.apply(x) * gelu_tanh_argument_slope(x)
    return GeluTanhGate.apply(x) + Clamp.apply(x, min=-GATE_LIMIT, max=GATE_LIMIT) * slope


class GELUTanh(Function):
    """gelu(x, approximate='tanh') = ½x·(1 + tanh(u)) = x·s(x),  s = σ(2u),
    u = √(2/π)·(x + 0.044715x³).

    f'(x) = s(x) + x·s'(x),  s'(x) = σ'(2u)·2u'(x).  Smooth. Saves the input.
    Through σ(2u) rather than 1 + tanh(u), which cancels to 0 for x < -10, and with 2u carried
    in double-double (``special.GeluTanhGate``): in the left tail σ magnifies the rounding of
    its argument by |2u|, 600 ulps at x = -20.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # -inf·0 is nan, as in torch
        return x * gelu_tanh_gate_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return derivative(x, _gelu_tanh_derivative, "gelu_tanh", grad)


# -- shapes from rational functions ------------------------------------------------------------


class Softsign(Function):
    """softsign(x) = x / (1 + |x|).

    f'(x) = 1 / (1 + |x|)².  Smooth at 0 in f and f' (f'' jumps there). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = np.abs(x, out=np.empty_like(x))
        out += 1.0
        np.divide(x, out, out=out)  # inf/inf: nan, as in torch
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return SoftsignDerivative.apply(x, grad)


class SoftsignDerivative(Function):
    """g·f'(x) = g / (1 + |x|)² of softsign (g = 1 when not given): one division, by d²
    formed in place.

    ∂/∂x = g·f''(x),  f''(x) = -2·sign(x)/(1 + |x|)³ (0 at x = 0);  ∂/∂g = f'(x).
    Saves x and g. f'' is divided by d three times, never by d² or d³: those underflow (or
    overflow) where f'' itself is a normal number (|x| up to 1e100 in float64).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, g: Any = None) -> np.ndarray:
        ctx.save_for_backward(x, g)
        out = np.abs(x, out=np.empty_like(x))  # an array also for 0-d x
        out += 1.0
        out *= out
        return np.divide(1.0 if g is None else g, out, out=out)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        dx = dg = None
        if need_x:
            scale = grad if g is None else grad * g
            d = Abs.apply(x) + 1.0
            dx = scale * Sign.apply(x) * -2.0 / d / d / d
        if need_g:
            dg = SoftsignDerivative.apply(x, grad)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


class Tanhshrink(Function):
    """tanhshrink(x) = x - tanh(x).

    f'(x) = tanh²(x).  Smooth. Saves the input.
    For |x| < 1 the difference cancels (torch's tanhshrink(1e-16) is 0, the true value
    3.3e-49), so there it is x³·P(x²), P a near-minimax fit of (x - tanh x)/x³ = 1/3 - 2x²/15
    + 17x⁴/315 - … (``_tanhshrink_poly``, from tools/gen_tanhshrink_poly.py: 17 terms to
    below 2 ulps in float64, 8 in float32, where the Taylor series needs 48).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = np.tanh(x, out=np.empty_like(x))  # an array also for 0-d x (assigned into below)
        np.subtract(x, out, out=out)
        # The polynomial only where it is needed, gathered by index.
        small = np.flatnonzero((x > -1.0) & (x < 1.0))
        if small.size:
            xs = np.ravel(x)[small]
            x2 = xs * xs
            highest, *rest = (
                _tanhshrink_poly.FLOAT64 if x.dtype == np.float64 else (_tanhshrink_poly.FLOAT32)
            )
            series = np.full_like(xs, highest)
            for c in rest:  # Horner's rule in x², in place
                series *= x2
                series += c
            series *= x2
            series *= xs
            out.reshape(-1)[small] = series  # (out is our own contiguous array: a view)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return TanhshrinkDerivative.apply(x, grad)


class TanhshrinkDerivative(Function):
    """g·f'(x) = g·tanh²(x), tanhshrink's (g = 1 when not given).

    ∂/∂x = g·f''(x),  f''(x) = 2·tanh(x)·sech²(x);  ∂/∂g = f'(x). Saves x and g.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, g: Any = None) -> np.ndarray:
        ctx.save_for_backward(x, g)
        out = np.tanh(x, out=np.empty_like(x))  # an array also for 0-d x
        out *= out
        return scaled(out, g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        dx = dg = None
        if need_x:
            scale = grad if g is None else grad * g
            dx = TanhDerivative.apply(x, scale) * (2.0 * Tanh.apply(x))
        if need_g:
            dg = TanhshrinkDerivative.apply(x, grad)
        return (dx, dg)[: len(ctx.next)]  # one per argument given
