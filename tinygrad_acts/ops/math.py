"""torch's elementwise math as ops: trigonometric and hyperbolic functions, sinc, exponentials
and logarithms, xlogy, roots and reciprocals, the error function, logit, maximum, lerp.
(Rounding, remainder and fmod: ``rounding.py``.)

Each op is a ``Function``: ``forward`` on NumPy arrays and one ``backward`` rule written with
operators and ops, so that it runs on arrays (a first-order pass) and on Tensors
(``create_graph``) alike. Where a derivative is itself a function with a derivative (sin's is
cos), it calls that op. The engine sums each gradient back to its input's shape.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.ops import exp
from ..kernels.erf import erf, erfinv
from ..kernels.erfc import erfc
from ..kernels.exponential import exp_neg_square
from ..kernels.logit import logit, logit_bounds
from .basic import array_of, where

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0
PI_SQUARED = math.pi**2
# sinc'(x)/(πu) = Σₖ₌₁ (-1)ᵏ·2k·u²⁽ᵏ⁻¹⁾/(2k+1)!, u = πx: the coefficients of u⁰, u², u⁴, …
SINC_SLOPE_SERIES = tuple((-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 14))

# -- trigonometric -------------------------------------------------------------------------------


class Sin(Function):
    """sin x.   ∂/∂x = cos x."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * Cos.apply(x)


class Cos(Function):
    """cos x.   ∂/∂x = -sin x."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -grad * Sin.apply(x)


class Tan(Function):
    """tan x.   ∂/∂x = 1 + tan² x (saves the output; as exact as 1/cos² x, one op fewer)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.tan(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1.0 + out * out)


class Asin(Function):
    """arcsin x.   ∂/∂x = 1/√(1 - x²), inf at ±1 and NaN beyond (torch's): the ``Rsqrt`` of
    ``OneMinusSquare``."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * Rsqrt.apply(OneMinusSquare.apply(x))


class Acos(Function):
    """arccos x.   ∂/∂x = -1/√(1 - x²), -inf at ±1 and NaN beyond (as ``Asin``)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -grad * Rsqrt.apply(OneMinusSquare.apply(x))


class OneMinusSquare(Function):
    """1 - x², as (1 - x)(1 + x).   ∂/∂x = -2x.

    Near ±1 one factor is exact and small, where 1 - x² would lose the digits of x² that the
    subtraction cancels (torch's float32 asin'(0.999) is 39 ulps off). An op of its own so
    that its derivative is -2x, not the engine's -(1 + x) + (1 - x), which cancels near 0.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return (1.0 - x) * (1.0 + x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * -2.0 * x


class Atan(Function):
    """arctan x.   ∂/∂x = 1/(1 + x²)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (1.0 + x * x)


class Atan2(Function):
    """atan2(y, x), the angle of the point (x, y), in (-π, π].

    ∂/∂y = x/(x² + y²),  ∂/∂x = -y/(x² + y²);  0 at the origin (torch's). Saves both inputs.
    Both are computed with x and y scaled by a power of two s near max(|x|, |y|) (exactly, a
    constant of the graph: the quotients do not depend on s), so that x² + y² neither
    overflows nor underflows: at (1e-200, 1e-200) the gradient is 5e199, not inf·0.
    """

    @staticmethod
    def forward(ctx: Node, y: Any, x: Any) -> np.ndarray:
        ctx.save_for_backward(y, x)
        return np.arctan2(y, x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        y, x = ctx.saved_tensors
        y_values, x_values = array_of(y), array_of(x)
        _, exponent = np.frexp(np.fmax(np.abs(y_values), np.abs(x_values)))
        s = np.ldexp(np.ones((), grad.dtype), exponent - 1)  # max/s in [1, 2); inf, NaN: s = ½
        ys, xs = y / s, x / s
        squares = xs * xs + ys * ys
        at_origin = np.broadcast_to(array_of(squares) == 0, squares.shape)
        squares = where(at_origin, np.inf, squares) if at_origin.any() else squares
        need_y, need_x = ctx.needs_input_grad
        return (
            grad * (xs / squares) / s if need_y else None,
            -grad * (ys / squares) / s if need_x else None,
        )


class Sinc(Function):
    """sinc x = sin(πx)/(πx), 1 at 0.   ∂/∂x = (cos πx - sinc x)/x, 0 at 0 (``SincSlope``).

    As torch: πx is rounded to the input's dtype (float16 computes in float32), so float32
    sinc(1) is -2.8e-8, not 0 (π·1 is not π there). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        wide = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        product = np.pi * wide
        out = np.where(wide == 0, 1.0, np.sin(product) / np.where(wide == 0, 1.0, product))
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * SincSlope.apply(x)


class SincSlope(Function):
    """sinc' x = (cos πx - sinc x)/x, 0 at 0: sinc's derivative, as an op so that it has one.

    Near 0 the difference cancels, so for |x| < ½ the series π·Σₖ (-1)ᵏ·2k·u²ᵏ⁻¹/(2k+1)!,
    u = πx (-u/3 + u³/30 - …, 13 terms: below an ulp there); float16 and float32 compute in
    float64. Within 3 ulps on (-1, 1); near sinc′'s own roots (tan πx = πx: x ≈ ±1.43, ±2.46 …)
    the error is absolute, a few ε.
    ∂/∂x = sinc'' x = -π² sinc x - 2 sinc'(x)/x, -π²/3 at 0. Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        wide = x.astype(np.float64)
        u = np.pi * wide
        small = np.abs(wide) < 0.5
        safe = np.where(small, 1.0, wide)
        sinc = np.sin(np.pi * safe) / (np.pi * safe)
        far = (np.cos(np.pi * safe) - sinc) / safe
        u2 = u * u
        near = np.zeros_like(u)
        for c in reversed(SINC_SLOPE_SERIES):  # Horner in u²
            near = near * u2 + c
        near *= np.pi * u
        return (np.where(small, near, far) + 0.0).astype(x.dtype, copy=False)  # +0 at 0

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        at_zero = np.broadcast_to(array_of(x) == 0, grad.shape)
        safe = where(at_zero, 1.0, x) if at_zero.any() else x  # no 0/0 even in a dropped branch
        curvature = -PI_SQUARED * Sinc.apply(x) - 2.0 * SincSlope.apply(x) / safe
        return grad * (where(at_zero, -PI_SQUARED / 3.0, curvature) if at_zero.any() else curvature)


# -- hyperbolic ----------------------------------------------------------------------------------


class Sinh(Function):
    """sinh x.   ∂/∂x = cosh x."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * Cosh.apply(x)


class Cosh(Function):
    """cosh x.   ∂/∂x = sinh x."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * Sinh.apply(x)


# -- exponentials and logarithms -----------------------------------------------------------------


class Exp2(Function):
    """2ˣ.   ∂/∂x = 2ˣ·ln 2 (saves the output)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.exp2(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out * LN2


class Expm1(Function):
    """eˣ - 1, exact also near 0 (where eˣ - 1 cancels).   ∂/∂x = eˣ.

    Not (eˣ - 1) + 1 from the output, as torch: for x = -40 that is 0, the true 4.2e-18.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.expm1(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * exp(x)


class Log2(Function):
    """log₂ x.   ∂/∂x = 1/(x·ln 2)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log2(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x * LN2)


class Log10(Function):
    """log₁₀ x.   ∂/∂x = 1/(x·ln 10)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log10(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x * LN10)


class Log1p(Function):
    """log(1 + x), exact also near 0 (where 1 + x rounds away x's digits).   ∂/∂x = 1/(1 + x)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (1.0 + x)


# -- roots and reciprocals -----------------------------------------------------------------------


class Rsqrt(Function):
    """1/√x.   ∂/∂x = -½·x^{-3/2} = -½·rsqrt(x)/x (saves the input and the output).

    rsqrt(x)/x: two roundings where torch's rsqrt(x)³ has four.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.divide(1.0, np.sqrt(x), dtype=x.dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        return grad * -0.5 * (out / x)


class Reciprocal(Function):
    """1/x.   ∂/∂x = -1/x² = -(1/x)² (saves the output)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.divide(1.0, x, dtype=x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return -grad * (out * out)


# -- maximum, minimum, lerp ----------------------------------------------------------------------


class Maximum(Function):
    """max(a, b), elementwise; NaN if either is NaN.

    ∂/∂a = 1 where a > b, 0 where a < b, ½ at a tie (torch's: the gradient is shared); where
    either is NaN both get the whole gradient (torch's). ∂/∂b likewise. Saves both inputs.
    """

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        a_values, b_values = array_of(a), array_of(b)
        need_a, need_b = ctx.needs_input_grad
        tie = a_values == b_values
        return (
            _shared(grad, a_values < b_values, tie) if need_a else None,
            _shared(grad, a_values > b_values, tie) if need_b else None,
        )


class Minimum(Function):
    """min(a, b), elementwise; NaN if either is NaN.   The gradient as ``Maximum``'s: 1 to the
    smaller, ½ each at a tie, the whole to both where either is NaN. Saves both inputs."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        a_values, b_values = array_of(a), array_of(b)
        need_a, need_b = ctx.needs_input_grad
        tie = a_values == b_values
        return (
            _shared(grad, a_values > b_values, tie) if need_a else None,
            _shared(grad, a_values < b_values, tie) if need_b else None,
        )


def _shared(grad: Any, lost: np.ndarray, tie: np.ndarray) -> Any:
    """The gradient an operand of max or min gets: exactly 0 where it lost (also for an
    infinite gradient), half at a tie, the whole elsewhere."""
    lost, tie = np.broadcast_to(lost, grad.shape), np.broadcast_to(tie, grad.shape)
    if tie.any():
        grad = where(tie, grad * 0.5, grad)
    return where(lost, 0.0, grad) if lost.any() else grad


class Lerp(Function):
    """a + w·(b - a), the point a fraction w of the way from a to b (w a tensor or a number).

    As torch's: for |w| < ½ a + w·(b - a), else b - (b - a)·(1 - w), so that w = 1 gives b
    exactly.  ∂/∂a = 1 - w,  ∂/∂b = w,  ∂/∂w = b - a.  Saves all three.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray, w: Any) -> np.ndarray:
        ctx.save_for_backward(a, b, w)
        step = b - a
        return np.where(np.abs(w) < 0.5, a + w * step, b - step * (1 - w))

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any, Any]:
        a, b, w = ctx.saved_tensors
        need_a, need_b, need_w = ctx.needs_input_grad
        return (
            grad * (1.0 - w) if need_a else None,
            grad * w if need_b else None,
            grad * (b - a) if need_w else None,
        )


class Xlogy(Function):
    """x·log y, and 0 where x = 0 (also for y = 0 or y < 0), NaN where y is NaN.

    ∂/∂x = xlogy(1, y) = log y, 0 where x = 0 and y ≤ 0 (torch's);  ∂/∂y = x/y.
    Saves both inputs, which arrive in one floating dtype.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, y)
        out = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), out.dtype), out)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        grad_x = None
        if need_x:
            grad_x = Xlogy.apply(grad, y)
            flat = np.broadcast_to((array_of(x) == 0) & (array_of(y) <= 0), grad_x.shape)
            grad_x = where(flat, 0.0, grad_x) if flat.any() else grad_x
        return grad_x, grad * x / y if need_y else None


# -- the error function and logit ----------------------------------------------------------------


class ExpNegSquare(Function):
    """e^{-x²}, to full relative accuracy also for large |x| (``kernels.exponential``): the
    error function's derivative, over 2/√π.   ∂/∂x = -2x·e^{-x²} (saves the input and the
    output)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = exp_neg_square(x.astype(np.float64)).astype(x.dtype, copy=False)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        return grad * -2.0 * x * out


class Erf(Function):
    """erf x = 2/√π ∫₀ˣ e^{-t²} dt (``kernels.erf``).   ∂/∂x = 2/√π·e^{-x²}."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return erf(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * ExpNegSquare.apply(x) * TWO_OVER_SQRT_PI


class Erfc(Function):
    """erfc x = 1 - erf x, exact also in the tail (``kernels.erfc``: erfc(25) = 8.3e-274).

    ∂/∂x = -2/√π·e^{-x²}.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return erfc(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -grad * ExpNegSquare.apply(x) * TWO_OVER_SQRT_PI


class Erfinv(Function):
    """erfinv x, the y with erf y = x (``kernels.erf``); ±inf at ±1, NaN beyond.

    ∂/∂x = 1/erf'(y) = √π/2·e^{y²} = √π/2 / e^{-y²} (saves the output y).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = erfinv(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * SQRT_PI_OVER_TWO / ExpNegSquare.apply(out)


class Logit(Function):
    """log(x / (1 - x)), the inverse of σ, exact also near ½ (``kernels.logit``); with
    ``eps``, x is first limited to [eps, 1 - eps].

    ∂/∂x = 1/(x(1 - x)); with eps, 0 where x is outside [eps, 1 - eps]; without it, NaN
    outside [0, 1] (torch's). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, eps: float | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.eps = eps
        return logit(x, eps)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        values = array_of(x)
        bounds = logit_bounds(ctx.eps, values.dtype)
        lo, hi = (0.0, 1.0) if bounds is None else bounds
        outside = np.broadcast_to((values < lo) | (values > hi), grad.shape)
        slope = grad / (x * (1.0 - x) + 0.0)  # + 0.0: +inf at x = -0 too, as torch's
        if not outside.any():
            return slope
        return where(outside, np.nan if bounds is None else 0.0, slope)
