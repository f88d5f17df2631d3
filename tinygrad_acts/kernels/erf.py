"""erf and its inverse, to a few ulps in float64, in pure NumPy (erfc itself is in ``erfc.py``).

Both are computed in float64 and rounded once to the input's dtype.
"""

from __future__ import annotations

import math

import numpy as np

from .erfc import erfc, erfc_parts
from .exponential import exp_neg_square

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# erf(x) = 2/√π · Σ (-1)ⁿ x^{2n+1} / (n!(2n+1)): for |x| < ½ the terms left out are below 2⁻⁶⁰
# of the first, and the sum does not cancel (each term is under a twelfth of the one before).
_SERIES = [(-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(13)]


def erf(x: np.ndarray) -> np.ndarray:
    """The error function erf(x) = 2/√π ∫₀ˣ e^{-t²} dt, elementwise.

    Near 0 its Taylor series (1 - erfc(x) would lose the relative accuracy of small values:
    erf(1e-20) = 1.1e-20, not 0); from |x| = ½ on, ±(1 - erfc(|x|)), where erfc < ½ and the
    difference is exact to half an ulp.
    """
    x = np.asarray(x)
    x64 = x.astype(np.float64)
    a = np.abs(x64)
    near = np.where(a < 0.5, x64, 0.0)  # the series only where it is used (no inf·0 elsewhere)
    square = near * near
    series = np.zeros_like(near)
    for c in reversed(_SERIES):  # Horner's scheme in x²
        series = series * square + c
    far = np.copysign(1.0 - erfc(a), x64)
    return np.where(a < 0.5, near * series * _TWO_OVER_SQRT_PI, far).astype(x.dtype, copy=False)


def erfinv(x: np.ndarray) -> np.ndarray:
    """The inverse error function: erfinv(erf(y)) = y, for -1 ≤ x ≤ 1 (±inf at ±1, NaN beyond).

    Giles' single-precision approximation ("Approximating the erfinv function", 2010) starts
    y, Newton's method finishes it (each step doubles the digits), on an equation that keeps
    its relative accuracy:

    - |x| < ½: erf(y) = |x|, two Halley steps (1e-7 → 1e-21);
    - |x| ≥ ½: log erfc(y) = log(1 - |x|), with 1 - |x| exact (Sterbenz), four Newton steps:
      there erf(y) rounds to 1 (its own rounding would hide the equation), while log erfc is
      nearly a parabola, so Newton converges also from Giles' poor start beyond
      1 - 10⁻⁷ (5.18 for the true 5.86 at 1 - 2⁻⁵³).
    """
    x = np.asarray(x)
    a = np.abs(x.astype(np.float64))
    inside = a < 1.0
    a_in = np.where(inside, a, 0.5)  # the edges and NaN are filled in at the end
    central = a_in < 0.5
    y = _giles(a_in)
    for _ in range(2):  # Halley on f(y) = erf(y) - a: f''/f' = -2y
        u = (erf(y) - a_in) / (_TWO_OVER_SQRT_PI * exp_neg_square(y))
        y = np.where(central, y - u / (1.0 + y * u), y)
    rest = 1.0 - a_in
    for _ in range(4):  # Newton on log erfc(y) - log(1 - a), whose derivative is -r
        tail, r = erfc_parts(y)
        y = np.where(central, y, y + np.log1p((tail - rest) / rest) / r)
    y = np.where(inside, y, np.where(a == 1.0, np.inf, np.nan))
    return np.copysign(y, x).astype(x.dtype, copy=False)


def _giles(a: np.ndarray) -> np.ndarray:
    """erfinv(a) to about 1e-7 relative for 0 ≤ a ≤ 1 - 10⁻⁷ (Giles' polynomials in
    w = -log(1 - a²)); rougher beyond."""
    w = -np.log1p(-a) - np.log1p(a)
    central = np.polyval(
        [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
         -0.00125372503, -0.00417768164, 0.246640727, 1.50140941],
        w - 2.5,
    )  # fmt: skip
    tail = np.polyval(
        [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
         -0.0076224613, 0.00943887047, 1.00167406, 2.83297682],
        np.sqrt(w) - 3.0,
    )  # fmt: skip
    return np.where(w < 5.0, central, tail) * a
