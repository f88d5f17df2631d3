"""The exact rounding error of a product, a quotient or a sum (error-free transformations).

A kernel that feeds a rounded argument into a function that magnifies errors (e^{βx}, erfc(z),
σ(z) in the tails) carries the argument's rounding error along and corrects for it to first
order: these give that error.
"""

from __future__ import annotations

import math

import numpy as np


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


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """s + e = a + b exactly, with s = fl(a + b) (Knuth's algorithm)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


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
