"""erfc, erfcx, and the standard normal density φ and distribution Φ built from them.

Each keeps full relative accuracy in the tails, in pure NumPy: erfc(25) = 8.3e-274 and
Φ(-36) = 1.9e-284 to the last digits, where ``1 - erf`` would be 0.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from . import _erfcx_table
from .arrays import BLOCK, blockwise, clip
from .exponential import exp_neg_half_square, exp_neg_square
from .rounding import two_product

_SQRT_HALF = math.sqrt(0.5)
_SQRT_HALF_LO = -4.833646656726457e-17  # √½ - _SQRT_HALF, the part a double cannot hold
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
# Past |x| = 40, φ(x) = e^{-x²/2}/√(2π) is 0 in float64 (0 below 1e-347), Φ(x) 0 or 1.
NORMAL_TAIL = 40.0


def _in_powers(chebyshev: list[float]) -> list[float]:
    """The coefficients of Σ c_k·T_k(u) in powers of u (lowest first), converted exactly, in
    rationals, and rounded once. On [-1, 1] this series' power form is as well conditioned as
    its Chebyshev form (Σ|m_j| = 1.5), and Horner's rule takes two passes a term where
    Clenshaw's recurrence takes three."""
    polynomials = [[Fraction(1)], [Fraction(0), Fraction(1)]]  # T_0, T_1 in powers of u
    while len(polynomials) < len(chebyshev):  # T_k = 2u·T_{k-1} - T_{k-2}
        doubled = [Fraction(0)] + [2 * v for v in polynomials[-1]]
        before = polynomials[-2] + [Fraction(0)] * (len(doubled) - len(polynomials[-2]))
        polynomials.append([a - b for a, b in zip(doubled, before)])
    total = [Fraction(0)] * len(chebyshev)
    for c, t_k in zip(chebyshev, polynomials):
        for j, v in enumerate(t_k):
            total[j] += Fraction(c) * v
    return [float(v) for v in total]


_ERFCX_POWERS = _in_powers(_erfcx_table.COEFFICIENTS)
# For a float32 result: the series cut after 16 terms (the next are below 1e-10, a 600th of
# float32's ε), in powers of u too: half the passes.
_ERFCX_POWERS_SINGLE = _in_powers(_erfcx_table.COEFFICIENTS[:16])


def erfcx(z: np.ndarray) -> np.ndarray:
    """The scaled complementary error function e^{z²}·erfc(z), for z ≥ 0 (float64).

    With t = 2/(2 + z) and u = 2t - 1, erfcx(z) = t·e^{g(u)} where g is smooth on [-1, 1]:
    one Chebyshev series of 30 terms (``_erfcx_table``, generated from mpmath by
    tools/gen_erfcx_table.py), evaluated in powers of u, gives it to about 2 ulps, with no
    branches.
    """
    return blockwise(_erfcx_block, np.asarray(z), np.float64)


def _erfcx_block(z: np.ndarray, powers: list[float] = _ERFCX_POWERS) -> np.ndarray:
    t = np.add(z, 2.0, out=np.empty(z.shape, np.float64))
    np.divide(2.0, t, out=t)
    u = t * 2.0
    u -= 1.0
    g = u * powers[-1]
    for m in powers[-2:0:-1]:  # Horner's rule, in place
        g += m
        g *= u
    g += powers[0]
    np.exp(g, out=g)
    g *= t
    return g


def erfc_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
        out, _ = erfc_parts(x.astype(np.float64))
    return out.astype(x.dtype, copy=False)


def normal_pdf_array(x: np.ndarray) -> np.ndarray:
    """φ(x) = e^{-x²/2} / √(2π), to full relative accuracy also in the tails (float64 block by
    block: ``exp_neg_half_square`` makes a dozen passes)."""
    if x.dtype == np.float64:
        return blockwise(_normal_pdf_block, x)
    return _normal_pdf_block(x)


def _normal_pdf_block(x: np.ndarray) -> np.ndarray:
    out = exp_neg_half_square(x)
    out *= _INV_SQRT_2PI
    return out


def gelu_slope_array(x: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """gelu'(x) = Φ(x) + x·φ(x) in one new array, given Φ(x)."""
    out = np.asarray(normal_pdf_array(x))
    if out.ndim == 0:  # a 0-d x: the scalar arithmetic of NumPy
        return np.asarray(out * x + cdf)
    out *= x  # -inf·0 is nan at x = -inf, as torch's
    out += cdf
    return out


def gelu_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """gelu(x) = x·Φ(x) and gelu'(x) = Φ(x) + x·φ(x), two new arrays in x's dtype, computed
    together block by block: φ comes with Φ's own exponential (``_normal_block``), and Φ is
    never a whole array."""
    x = np.asarray(x)
    flat = x.reshape(-1)
    kernel = _normal_block if x.dtype == np.float64 else _normal_block_single
    value, slope = np.empty(x.shape, x.dtype), np.empty(x.shape, x.dtype)  # arrays of
    value_flat, slope_flat = value.reshape(-1), slope.reshape(-1)  # their own, not views
    for start in range(0, max(flat.size, 1), BLOCK):
        block = slice(start, start + BLOCK)
        xb = flat[block].astype(np.float64, copy=False)  # read, never written
        cdf, pdf = kernel(xb)
        pdf *= xb  # x·φ: -inf·0 is nan at x = -inf, as torch's
        pdf += cdf
        slope_flat[block] = pdf
        cdf *= xb
        value_flat[block] = cdf
    return value, slope


def normal_cdf_array(x: np.ndarray) -> np.ndarray:
    """Φ(x) = h for x < 0 and 1 - h for x ≥ 0, h = ½·erfc(a) ≤ ½ with a = |x|/√2.

    In the tail, erfc magnifies an error δ in its argument by 2a (relatively): the one ulp
    lost in forming a would cost 1,300 ulps at x = -36. So a is formed as a rounded ã plus
    its exact error δ (``two_product``), and to first order
    h = ½·e^{-ã²}·(erfcx(ã) - δ·2/√π)  (erfc' = -2/√π·e^{-a²}; δ·2/√π is ~1e-13 of erfcx).
    Then 1 - h is |1 - h| and h is |0 - h|: the select costs a subtraction and an absolute
    value (``np.where`` on a random mask costs ten passes).
    """
    x = np.asarray(x)
    kernel = _normal_block if x.dtype == np.float64 else _normal_block_single
    out = blockwise(lambda b: kernel(b)[0], x.astype(np.float64, copy=False).reshape(-1))
    return out.astype(x.dtype, copy=False).reshape(x.shape)


def _normal_block(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ(x) and φ(x) of a 1-d float64 block (see ``normal_cdf_array``)."""
    # Past |x| = 40, Φ(x) is 0 or 1 and φ(x) 0 in float64: clipped, the products stay finite.
    flat = clip(x, -NORMAL_TAIL, NORMAL_TAIL)
    magnitude = np.abs(flat)
    a, delta = two_product(magnitude, _SQRT_HALF)
    magnitude *= _SQRT_HALF_LO
    delta += magnitude  # ã + δ = |x|·√½ to about 2⁻¹⁰⁶ (√½ itself carried in two parts)
    e = exp_neg_square(a)
    pdf = a * delta  # e^{-x²/2} = e^{-ã²}·e^{-2ãδ}: to first order e^{-ã²} - 2ãδ·e^{-ã²}
    pdf *= -2.0
    pdf *= e
    pdf += e
    pdf *= _INV_SQRT_2PI
    delta *= _TWO_OVER_SQRT_PI
    h = erfcx(a)  # NaN stays NaN
    h -= delta
    h *= e
    h *= 0.5
    np.subtract(np.greater_equal(flat, 0.0), h, out=h)
    return np.abs(h, out=h), pdf


def _normal_block_single(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Φ and φ for a float32 result, computed in float64: the shorter series, and neither a's
    rounding error nor that of a² matters (both below 1e-13, where float32's ε is 6e-8)."""
    flat = clip(x, -NORMAL_TAIL, NORMAL_TAIL)
    a = np.abs(flat)
    a *= _SQRT_HALF
    h = _erfcx_block(a, _ERFCX_POWERS_SINGLE)
    a *= a
    np.negative(a, out=a)
    np.exp(a, out=a)
    h *= a
    h *= 0.5
    np.subtract(np.greater_equal(flat, 0.0), h, out=h)
    a *= _INV_SQRT_2PI
    return np.abs(h, out=h), a
