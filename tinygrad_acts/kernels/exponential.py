"""Gaussian exponentials e^{-x²} and e^{-x²/2} to full relative accuracy, also for large |x|.

Computed naively, the rounding error of x² (relative ε) becomes an error of ε·x² in the
exponent: 650 ulps in e^{-x²/2} at x = 36. Split x = hi + lo with hi on a grid of 2⁻¹⁰ so that
hi² is exact; then x² = hi² + lo·(hi + x) and the small part costs nothing in accuracy.
The grid needs double precision (2⁻¹⁰ steps up to 64): float32 and float16 are computed in
float64 and rounded once.
"""

from __future__ import annotations

import numpy as np

from .arrays import clip


def exp_neg_square(x: np.ndarray) -> np.ndarray:
    """exp(-x²) to full relative accuracy, also for large |x|."""
    if x.dtype != np.float64:
        return exp_neg_square(x.astype(np.float64)).astype(x.dtype)
    x = clip(x, -64.0, 64.0)  # exp(-64²) is already 0; keeps ±inf from making inf·0
    hi = _round_to_1024ths(x)
    lo = x - hi
    return np.exp(-hi * hi) * np.exp(-lo * (hi + x))


def exp_neg_half_square(x: np.ndarray) -> np.ndarray:
    """exp(-x²/2) to full relative accuracy, also for large |x|."""
    if x.dtype != np.float64:
        return exp_neg_half_square(x.astype(np.float64)).astype(x.dtype)
    x = clip(x, -64.0, 64.0)
    hi = _round_to_1024ths(x)
    lo = x - hi
    big = np.exp(-0.5 * hi * hi)
    # e^{-lo(hi + x)/2} is within 4% of 1: as 1 + expm1, its rounding goes into a small term
    return big + big * np.expm1(-0.5 * lo * (hi + x))


def _round_to_1024ths(x: np.ndarray) -> np.ndarray:
    """x rounded to a multiple of 2⁻¹⁰, for |x| ≤ 64: adding and subtracting 1.5·2⁴² rounds
    to the nearest such multiple in two additions (np.round is several times slower)."""
    magic = 6755399441055744.0 / 1024.0  # 1.5·2⁵² scaled: its ulp is 2⁻¹⁰
    return (x + magic) - magic
