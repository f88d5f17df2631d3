"""erfc, erfcx, and the standard normal density φ and distribution Φ built from them.

Each keeps full relative accuracy in the tails, in pure NumPy: erfc(25) = 8.3e-274 and
Φ(-36) = 1.9e-284 to the last digits, where ``1 - erf`` would be 0.
"""

from __future__ import annotations

import math

import numpy as np

from . import _erfcx_table
from .arrays import clip
from .exponential import exp_neg_half_square, exp_neg_square
from .rounding import two_product

_SQRT_HALF = math.sqrt(0.5)
_SQRT_HALF_LO = -4.833646656726457e-17  # √½ - _SQRT_HALF, the part a double cannot hold
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
# Past |x| = 40, φ(x) = e^{-x²/2}/√(2π) is 0 in float64 (0 below 1e-347), Φ(x) 0 or 1.
NORMAL_TAIL = 40.0


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
    """φ(x) = e^{-x²/2} / √(2π), to full relative accuracy also in the tails."""
    return exp_neg_half_square(x) * _INV_SQRT_2PI


def normal_cdf_array(x: np.ndarray) -> np.ndarray:
    """Φ(x) = ½·erfc(z), z = -x/√2, with the rounding of z itself corrected.

    In the tail, erfc magnifies an error δ in its argument by 2z (relatively): the one ulp
    lost in forming -x/√2 costs 1,300 ulps at x = -36. So z is formed as a rounded z̃ plus
    its exact error δ (``two_product``), and Φ = ½·erfc(z̃)·(1 - δ·r) to first order, with
    r = -erfc'(z̃)/erfc(z̃) — needed only to a few digits, since δ·r is ~1e-13.
    """
    # Past |x| = 40, Φ(x) is 0 or 1 in float64: clipped, δ·r stays finite (0·inf was nan).
    x64 = clip(np.asarray(x, dtype=np.float64), -NORMAL_TAIL, NORMAL_TAIL)
    z, err = two_product(x64, -_SQRT_HALF)
    delta = err - x64 * _SQRT_HALF_LO
    tail, r = erfc_parts(z)
    out = 0.5 * tail * (1.0 - np.where(np.isfinite(delta), delta, 0.0) * r)
    return out.astype(np.asarray(x).dtype, copy=False)
