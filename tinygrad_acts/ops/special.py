"""Special functions that activations and their derivatives are built from.

Each is an op with its own backward, computed in a form that keeps full relative accuracy in
the tails, so that an activation whose derivative is written with them is accurate at every
order: σ'(x), the normal density φ(x) and the normal distribution Φ(x).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.tensor import Tensor
from ..kernels.float_errors import unless_overflow
from ..kernels import _erfcx_table

_SQRT_HALF = math.sqrt(0.5)
_SQRT_HALF_LO = -4.833646656726457e-17  # √½ - _SQRT_HALF, the part a double cannot hold
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def two_product(a: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    """p + e = a·b exactly, with p = fl(a·b) (Dekker's algorithm; NumPy has no fma).

    For |a·b| below ~1e300 (the splitting constant must not overflow).
    """
    split = 134217729.0  # 2^27 + 1
    a_big = a * split
    a_hi = a_big - (a_big - a)
    a_lo = a - a_hi
    b_big = b * split
    b_hi = b_big - (b_big - b)
    b_lo = b - b_hi
    p = a * b
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def erfcx(z: np.ndarray) -> np.ndarray:
    """The scaled complementary error function e^{z²}·erfc(z), for z ≥ 0 (float64).

    With t = 2/(2 + z) and u = 2t - 1, erfcx(z) = t·e^{g(u)} where g is smooth on [-1, 1]:
    one Chebyshev series of 30 terms (``_erfcx_table``, generated from mpmath by
    tools/gen_erfcx_table.py) gives it to about 2 ulps, with no branches.
    """
    t = 2.0 / (2.0 + z)
    u = 2.0 * t - 1.0
    two_u = 2.0 * u
    coeffs = _erfcx_table.COEFFICIENTS
    b1 = np.zeros_like(u)
    b2 = np.zeros_like(u)
    tmp = np.empty_like(u)
    for c in coeffs[:0:-1]:  # Clenshaw's recurrence, in place: b1, b2 = 2u·b1 - b2 + c, b1
        np.multiply(two_u, b1, out=tmp)
        tmp -= b2
        tmp += c
        b1, b2, tmp = tmp, b1, b2
    g = u * b1 - b2 + coeffs[0]
    return t * np.exp(g)


def exact_in_binary(c: float) -> bool:
    """Is multiplying or dividing by ``c`` exact (c = ±2^k, barring underflow)?"""
    return math.frexp(c)[0] in (0.5, -0.5)


def product_residual(x: np.ndarray, c: float, p: np.ndarray) -> np.ndarray:
    """x·c - p for p = fl(x·c) in x's dtype, to working precision in float64 (the float64
    product's own residual exactly, by ``two_product``)."""
    with np.errstate(all="ignore"):  # x·2^27 overflows past 1e300: the residual is then nan
        p64, e = two_product(x.astype(np.float64, copy=False), c)
        r = (p64 - p) + e
    return np.where(np.isfinite(r), r, 0.0)


def quotient_residual(x: np.ndarray, c: float, q: np.ndarray) -> np.ndarray:
    """x/c - q for q = fl(x/c), to working precision: (x - q·c)/c, with q·c exact."""
    with np.errstate(all="ignore"):
        p, e = two_product(q.astype(np.float64, copy=False), c)
        r = ((x - p) - e) / c
    return np.where(np.isfinite(r), r, 0.0)


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """s + e = a + b exactly, with s = fl(a + b) (Knuth's algorithm)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


# gelu's tanh approximation: z(x) = 2u = k·(x + c·x³), constants split into double + rest.
_GELU_C, _GELU_C_LO = 0.044715, 2.1960211427085595e-18
_GELU_K, _GELU_K_LO = 1.5957691216057308, -9.96930880911092e-17  # 2·√(2/π)
_GATE_LIMIT = 1e4  # past |x| = 1e4, |z| > 1e11: the gate σ(z) is 0 or 1, its slope 0
# Past |x| = 40, φ(x) = e^{-x²/2}/√(2π) is 0 in float64 (0 below 1e-347), Φ(x) 0 or 1.
_NORMAL_TAIL = 40.0


def gelu_tanh_argument(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z = 2√(2/π)·(x + 0.044715·x³) as a rounded z̃ and its error δ (z = z̃ + δ).

    σ(z) magnifies an error in z by |z| in the left tail (z = -665 at x = -20.7): formed in
    plain float64, gelu_tanh loses 600 ulps there. Carried in double-double, it loses none.
    """
    x = clip(x.astype(np.float64, copy=False), -_GATE_LIMIT, _GATE_LIMIT)  # σ(z) 0 or 1 beyond
    x2, x2_err = two_product(x, x)
    x3, e = two_product(x2, x)
    x3_err = e + x2_err * x
    cx3, e = two_product(x3, _GELU_C)
    cx3_err = e + x3_err * _GELU_C + x3 * _GELU_C_LO
    inner, e = two_sum(x, cx3)
    inner_err = e + cx3_err
    z, e = two_product(inner, _GELU_K)
    return z, e + inner_err * _GELU_K + inner * _GELU_K_LO


# Beyond this |x|, e^{|x|} could overflow (float32 overflows at 88.7): the rare elements past it
# take the other, mirrored form of a formula (see ``sigmoid_array``).
_EXP_SAFE = 80.0


# The dtype object of native float64 (a singleton: ``x.dtype is _FLOAT64`` is the cheapest test,
# and leaves other byte orders to the array path).
_FLOAT64 = np.dtype(np.float64)


def _filled(like: np.ndarray, value: float) -> np.ndarray:
    """A new array of like's shape and dtype, holding ``value``: the result of a kernel given
    one element.

    A learner's scalar graph runs every kernel on one element. There a NumPy call costs ten
    times its arithmetic, and watching for overflow (``unless_overflow``) a third of a
    microsecond more: so the sigmoid and tanh kernels, given one float64 element in their
    formula's safe range, compute it with Python's ``math`` (the C library's exp, as NumPy's
    own float64 kernel within an ulp; sech² from e^{-2|x|}). Anything else, NaN included,
    takes the array path. (Not float32: computed in double and rounded once, a value can differ
    by an ulp from NumPy's float32 kernels — and by more after a cancellation, as in silu'.)
    ``like`` must be an ndarray: a NumPy scalar's ``fill`` does nothing (the kernels check).
    """
    out = like.copy()
    out.fill(value)
    return out


try:  # np.clip's Python wrapper costs a microsecond a call: the ufunc it calls, directly
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover
    clip = np.clip

# Up to this many elements NumPy's cost per call outweighs the data (and an ufunc writing into
# one of its own inputs costs twice a fresh result): kernels take their fewest-calls form there,
# and work in place only on larger arrays, where new arrays cost page faults and passes.
SMALL = 64


def times(d: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """d·grad, written into d (a new array of the caller's own) unless d is small."""
    if d.size <= SMALL:
        return d * grad
    d *= grad
    return d


def largest(x: np.ndarray) -> Any:
    """max(x) over the elements that are not NaN (-inf if none): "is any element beyond a
    limit?" must not turn False because another element is NaN. (``np.nanmax``'s wrapper
    costs a microsecond more per call, and warns on all-NaN input.)"""
    return np.fmax.reduce(x, axis=None, initial=-np.inf)


def smallest(x: np.ndarray) -> Any:
    """min(x) over the elements that are not NaN (inf if none): ``largest``'s mirror."""
    return np.fmin.reduce(x, axis=None, initial=np.inf)


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^{-x}) in one new array, to ~1 ulp.

    Where e^{-x} overflows (x < -709 in float64; rare) 1/inf would be 0, while σ(-710) =
    4.5e-309 is not: then the elements below -80 take e^{x} / (1 + e^{x}) instead.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is _FLOAT64:  # see _filled
        v = x.item()
        if v >= -_EXP_SAFE:
            return _filled(x, 1.0 / (1.0 + math.exp(-v)))
    out = unless_overflow(_sigmoid_plain, x)
    if out is None:
        out = _sigmoid_plain(x)
        far = x < -_EXP_SAFE
        e = np.exp(x[far])
        out[far] = e / (1.0 + e)
    return out


def _sigmoid_plain(x: np.ndarray) -> np.ndarray:
    if x.size <= SMALL:
        # np.reciprocal(d) is 1.0/d to the bit, and saves converting a Python 1.0 on every
        # call; on large arrays it is the slower (NumPy does not vectorise it), so not there.
        return np.asarray(np.reciprocal(np.exp(-x) + 1.0))  # an array also for 0-d x
    out = np.negative(x, out=np.empty_like(x))  # worked in in place
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def sigmoid_product_array(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """y·σ(-x) = y / (1 + e^{x}), in one new array: with y = σ(x) it is σ'(x) (to ~2 ulps,
    without the cancellation of σ(1 - σ)); with y = a·σ(x), a·σ'(x).

    Where e^{x} overflows (y/inf = 0, while σ'(710) = 4.5e-309) the elements above 80 take
    y·e^{-x}/(1 + e^{-x}) instead.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is _FLOAT64 and type(y) is np.ndarray:
        v = x.item()  # one element (see _filled), and y alike
        if v <= _EXP_SAFE and y.shape == x.shape and y.dtype == x.dtype:
            return _filled(x, y.item() / (math.exp(v) + 1.0))
    out = unless_overflow(_sigmoid_product_plain, x, y)
    if out is None:
        out = _sigmoid_product_plain(x, y)
        far = x > _EXP_SAFE
        e = np.exp(-x[far])
        out[far] = np.broadcast_to(y, out.shape)[far] * (e / (1.0 + e))
    return out


def _sigmoid_product_plain(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.size <= SMALL:
        return np.asarray(y / (np.exp(x) + 1.0))
    out = np.exp(x, out=np.empty_like(x))
    out += 1.0
    return np.divide(y, out, out=out)


class GeluTanhGate(Function):
    """s(x) = σ(z(x)) = (1 + tanh(u))/2, the gate of gelu's tanh approximation (z = 2u).

    s'(x) = σ'(z)·z'(x),  z'(x) = 2√(2/π)·(1 + 3·0.044715·x²). Saves the input.
    To first order σ(z̃ + δ) = σ(z̃)·(1 + δ·σ(-z̃)), with z̃, δ from ``gelu_tanh_argument``.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gelu_tanh_gate_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * GeluTanhGateSlope.apply(x) * gelu_tanh_argument_slope(x)


class GeluTanhGateSlope(Function):
    """σ'(z(x)), with z from ``gelu_tanh_argument``:  σ'(z̃ + δ) = σ'(z̃)·(1 - δ·tanh(z̃/2)).

    Derivative: σ''(z)·z'(x) = -σ'(z)·tanh(z/2)·z'(x). Saves the input.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gelu_tanh_gate_slope_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors

        slope = GeluTanhGateSlope.apply(x)
        return -grad * slope * Tanh.apply(_gelu_tanh_half_z(x)) * gelu_tanh_argument_slope(x)


def _gelu_tanh_half_z(x: Tensor) -> Tensor:
    """z/2 = √(2/π)·(x + 0.044715·x³) (differentiable), of x clamped as the gate's own."""
    x = x.clamp(-_GATE_LIMIT, _GATE_LIMIT)
    return (x + x * x * x * _GELU_C) * (0.5 * _GELU_K)


def gelu_tanh_gate_slope_array(x: np.ndarray) -> np.ndarray:
    """σ'(z(x)), corrected for the rounding of z (see ``GeluTanhGateSlope``)."""
    z, delta = gelu_tanh_argument(x)
    t = np.exp(-np.abs(z))
    out = t / ((1.0 + t) * (1.0 + t)) * (1.0 - delta * np.tanh(0.5 * z))
    return out.astype(x.dtype, copy=False)


def gelu_tanh_gate_array(x: np.ndarray) -> np.ndarray:
    """σ(z(x)) for gelu's tanh approximation, corrected for the rounding of z."""
    z, delta = gelu_tanh_argument(x)
    out = sigmoid_array(z) * (1.0 + delta * sigmoid_array(-z))
    return out.astype(x.dtype, copy=False)


def gelu_tanh_argument_slope(x: Tensor) -> Tensor:
    """z'(x) = 2√(2/π)·(1 + 3·0.044715·x²) (differentiable), of x clamped as the gate's own:
    past |x| = 1e4 the gate's slope σ'(z) is 0, and 0·z'(1e200) must be 0, not 0·inf."""
    x = x.clamp(-_GATE_LIMIT, _GATE_LIMIT)
    return (x * x * (3.0 * _GELU_C) + 1.0) * _GELU_K


def _erfc_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """erfc(z) and e^{-z²}/erfc(z)·2/√π = -erfc'(z)/erfc(z), for float64 z (NaN-safe)."""
    a = np.abs(z)
    a = np.where(np.isfinite(a), a, 0.0)  # ±inf handled below; NaN becomes 0, restored below
    e = exp_neg_square(a)
    scaled = erfcx(a)
    tail = e * scaled
    tail = np.where(np.isinf(z), 0.0, tail)
    out = np.where(z < 0, 2.0 - tail, tail)
    out = np.where(np.isnan(z), np.nan, out)
    # For z ≥ 0, e^{-z²}/erfc(z) = 1/erfcx(z): no underflow; for z < 0 erfc(z) ≥ 1.
    ratio = np.where(z < 0, e / out, 1.0 / scaled) * _TWO_OVER_SQRT_PI
    return out, ratio


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function, elementwise, to a few ulps, in pure NumPy.

    erfc(z) = e^{-z²}·erfcx(z) for z ≥ 0, with e^{-z²} formed without the rounding error of
    z² (``exp_neg_square``): it keeps full relative accuracy deep in the tail (erfc(25) =
    8.3e-274 to the last digits), where ``1 - erf`` would be 0. For z < 0, 2 - erfc(-z).
    """
    x = np.asarray(x)
    with np.errstate(all="ignore"):  # also called outside an op (by the accuracy tests)
        out, _ = _erfc_parts(x.astype(np.float64))
    return out.astype(x.dtype, copy=False)


def exp_neg_square(x: np.ndarray) -> np.ndarray:
    """exp(-x²) to full relative accuracy, also for large |x| (see ``exp_neg_half_square``)."""
    x = clip(x, -64.0, 64.0)
    hi = _round_to_1024ths(x)
    lo = x - hi
    return np.exp(-hi * hi) * np.exp(-lo * (hi + x))


def _round_to_1024ths(x: np.ndarray) -> np.ndarray:
    """x rounded to a multiple of 2⁻¹⁰, for |x| ≤ 64: adding and subtracting 1.5·2⁴² rounds
    to the nearest such multiple in two additions (np.round is several times slower)."""
    magic = 6755399441055744.0 / 1024.0  # 1.5·2⁵² scaled: its ulp is 2⁻¹⁰
    return (x + magic) - magic


def exp_neg_half_square(x: np.ndarray) -> np.ndarray:
    """exp(-x²/2) to full relative accuracy, also for large |x|.

    Computed naively, the rounding error of x² (relative ε) becomes an error of ε·x²/2 in
    the exponent: 650 ulps at x = 36. Split x = hi + lo with hi on a grid of 2⁻¹⁰ so that hi²
    is exact; then x² = hi² + lo·(2hi + lo) and the small part costs nothing in accuracy.
    """
    x = clip(x, -64.0, 64.0)  # exp(-64²/2) is already 0; keeps ±inf from making inf·0
    hi = _round_to_1024ths(x)
    lo = x - hi
    return np.exp(-0.5 * hi * hi) * np.exp(-0.5 * lo * (hi + x))


def sigmoid_derivative_array(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x) / (1 + e^x) (see ``SigmoidDerivative``): the values sigmoid's array
    backward gives, which reuses σ(x) from the forward."""
    return sigmoid_product_array(x, sigmoid_array(x))


class SigmoidDerivative(Function):
    """σ'(x) = σ(x)·σ(-x) = σ(x) / (1 + e^x).

    Derivative: σ''(x) = -σ'(x)·tanh(x/2). Saves the input.

    Written with σ(-x) = 1 / (1 + e^x) it keeps full relative accuracy in the tails
    (σ'(698) = 2.5e-303), where σ·(1 - σ) gives 0 (past x = 80 the mirrored form takes over,
    ``sigmoid_product_array``). (1/(4cosh²(x/2)) is a little faster but a little less exact:
    2 ulps more in mish'' and silu''.)
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return sigmoid_derivative_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors

        return -grad * SigmoidDerivative.apply(x) * Tanh.apply(x * 0.5)


def tanh_derivative_array(x: np.ndarray, grad: Any = 1.0) -> np.ndarray:
    """grad·sech²(x) = grad / cosh²(x), in one new array (see ``TanhDerivative``); sech²(x)
    itself without ``grad``. Dividing by cosh² takes one pass fewer than multiplying by 1/cosh².

    Past |x| ≈ 355 cosh² overflows (rare): there the tail's exact form 4e^{-2|x|}.
    (1/cosh(x))² would need no such patch, but is half an ulp less exact.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is _FLOAT64:  # see _filled
        v = x.item()
        if abs(v) <= _EXP_SAFE / 2:
            if type(grad) is float or type(grad) is np.float64:  # a 0-d gradient's scalar too
                return _filled(x, float(grad) * _sech2(v))
            if type(grad) is np.ndarray and grad.shape == x.shape and grad.dtype is _FLOAT64:
                return _filled(x, grad.item() * _sech2(v))
    out = unless_overflow(_sech2_plain, x, grad)
    if out is None:
        out = _sech2_plain(x, grad)
        far = np.abs(x) > 354.0
        out[far] = np.broadcast_to(grad, out.shape)[far] * (4.0 * np.exp(-2.0 * np.abs(x[far])))
    return out


def _sech2(v: float) -> float:
    """sech²(v) = 4E/(1 + E)², E = e^{-2|v|}, for one Python float: within 3 ulps, where the
    C library's cosh, squared, reaches 4 (NumPy's vectorised cosh does better than both)."""
    e = math.exp(-2.0 * abs(v))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _sech2_plain(x: np.ndarray, grad: Any) -> np.ndarray:
    if x.size <= SMALL:
        c = np.cosh(x)
        return np.asarray(grad / (c * c))
    out = np.cosh(x, out=np.empty_like(x))
    out *= out
    return np.divide(grad, out, out=out)


class TanhDerivative(Function):
    """tanh'(x) = sech²(x) = 1 / cosh²(x).

    Derivative: tanh''(x) = -2·tanh(x)·sech²(x). Saves the input.
    1 - tanh² cancels for |x| > 1 (torch's tanh'(25.3) is 0, the true value 4.2e-22); this
    form keeps every digit.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return tanh_derivative_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors

        return -2.0 * grad * Tanh.apply(x) * TanhDerivative.apply(x)


class NormalPDF(Function):
    """φ(x) = e^{-x²/2} / √(2π), the standard normal density.   φ'(x) = -x·φ(x). Saves the input."""

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return normal_pdf_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        # φ(x) is 0 past |x| = 40: clamped there, no product of its derivatives overflows
        # (x·x·φ(x) was inf·0 = nan at x = 1e155); x·φ(x) first: grad·0, not (grad·x)·0.
        x = x.clamp(-_NORMAL_TAIL, _NORMAL_TAIL)
        return -grad * (x * NormalPDF.apply(x))


def normal_pdf_array(x: np.ndarray) -> np.ndarray:
    """φ(x) = e^{-x²/2} / √(2π), to full relative accuracy also in the tails."""
    return exp_neg_half_square(x) * _INV_SQRT_2PI


class NormalCDF(Function):
    """Φ(x) = ½·erfc(-x/√2), the standard normal distribution.   Φ'(x) = φ(x). Saves the input.

    Through erfc, not ½(1 + erf(x/√2)): for x = -36 the sum 1 + erf cancels to 0, while
    erfc gives Φ(-36) = 1.9e-284 to full precision.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, value: np.ndarray | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        return normal_cdf_array(x) if value is None else value  # value: Φ(x), already known

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * NormalPDF.apply(x)


def _tanh_softplus(x: np.ndarray) -> np.ndarray:
    """t = tanh(softplus(x)) from w = e^{-|x|} ≤ 1, without overflow.

    With n = e^x(e^x + 2), t = n/(n + 2); for x ≥ 0 numerator and denominator are divided by
    e^{2x}: t = (1 + 2w)/(1 + 2w + 2w²).
    """
    w = np.exp(-np.abs(x))
    n = w * (w + 2.0)  # n for x < 0
    return np.where(x >= 0, (1.0 + 2.0 * w) / (1.0 + 2.0 * w * (1.0 + w)), n / (n + 2.0))


def _sech2_softplus(x: np.ndarray) -> np.ndarray:
    """S = sech²(softplus(x)) = 1 - t² = 4(n + 1)/(n + 2)², from w = e^{-|x|}.

    For x ≥ 0 in w: 4w²(1 + w)²/(1 + 2w + 2w²)², which keeps its digits where 1 - t² is 0.
    """
    w = np.exp(-np.abs(x))
    d_pos = 1.0 + 2.0 * w * (1.0 + w)
    n = w * (w + 2.0)
    return np.where(
        x >= 0,
        4.0 * (w * (1.0 + w)) ** 2 / (d_pos * d_pos),
        4.0 * (n + 1.0) / ((n + 2.0) * (n + 2.0)),
    )


class TanhSoftplus(Function):
    """t(x) = tanh(softplus(x)), mish's gate.   t'(x) = sech²(softplus(x))·σ(x). Saves the input."""

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _tanh_softplus(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors

        return grad * Sech2Softplus.apply(x) * Sigmoid.apply(x)


class Sech2Softplus(Function):
    """S(x) = sech²(softplus(x)) = 1 - t(x)².   S'(x) = -2·t(x)·S(x)·σ(x). Saves the input."""

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _sech2_softplus(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors

        return -2.0 * grad * TanhSoftplus.apply(x) * Sech2Softplus.apply(x) * Sigmoid.apply(x)


def normal_cdf_array(x: np.ndarray) -> np.ndarray:
    """Φ(x) = ½·erfc(z), z = -x/√2, with the rounding of z itself corrected.

    In the tail, erfc magnifies an error δ in its argument by 2z (relatively): the one ulp
    lost in forming -x/√2 costs 1,300 ulps at x = -36. So z is formed as a rounded z̃ plus
    its exact error δ (``two_product``), and Φ = ½·erfc(z̃)·(1 - δ·r) to first order, with
    r = -erfc'(z̃)/erfc(z̃) — needed only to a few digits, since δ·r is ~1e-13.
    """
    # Past |x| = 40, Φ(x) is 0 or 1 in float64: clipped, δ·r stays finite (0·inf was nan).
    x64 = clip(np.asarray(x, dtype=np.float64), -_NORMAL_TAIL, _NORMAL_TAIL)
    z, err = two_product(x64, -_SQRT_HALF)
    delta = err - x64 * _SQRT_HALF_LO
    tail, r = _erfc_parts(z)
    out = 0.5 * tail * (1.0 - np.where(np.isfinite(delta), delta, 0.0) * r)
    return out.astype(np.asarray(x).dtype, copy=False)


def sigmoid_derivative(x: Tensor) -> Tensor:
    return SigmoidDerivative.apply(x)


def normal_pdf(x: Tensor) -> Tensor:
    return NormalPDF.apply(x)


def normal_cdf(x: Tensor, value: np.ndarray | None = None) -> Tensor:
    """Φ(x) as an op; ``value`` passes Φ(x) when the caller has already computed it."""
    return NormalCDF.apply(x, value=value)


# -- σ and tanh themselves: their derivatives above are written with them -------------------


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e^{-x}).

    σ'(x) = σ(x)·σ(-x).  Smooth. Saves the input and the output. Not σ·(1 - σ), as torch: 1 - σ(x)
    loses every digit for large x (torch's σ'(698) is 0, the true value 2.5e-303); the array
    backward takes σ(x) / (1 + e^x) instead, reusing σ(x).
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = sigmoid_array(x)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, _ = ctx.saved_tensors
        return grad * sigmoid_derivative(x)


class Tanh(Function):
    """tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x}).

    tanh'(x) = 1 - tanh²(x) = sech²(x).  Smooth. Saves the input: 1 - y² cancels for
    |x| > 1 (torch's tanh'(25.3) is 0, the true value 4.2e-22); 1/cosh²(x) does not.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.tanh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * TanhDerivative.apply(x)
