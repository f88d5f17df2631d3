"""a·b + c with one rounding, as a fused multiply-add (FMA) gives it: torch's CPU kernels are
compiled with FMAs, and NumPy has none. float32: the product of two float32 is exact in float64,
so one float64 sum and a cast round once (but for a tie, rarely). float64: the product's rounding
error found exactly by Dekker's splitting and added back after the sum (Knuth's two-sum) — one
rounding almost always.
"""

from __future__ import annotations

import numpy as np


def fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """a·b + c rounded once to float32 (the product is exact in float64)."""
    return (np.asarray(a, np.float64) * b + np.asarray(c, np.float64)).astype(np.float32)


def fma64(x: np.ndarray, y: float, c: float) -> np.ndarray:
    """x·y + c in float64 with (almost always) one rounding: the product's rounding error found
    exactly by Dekker's splitting, then added back after the sum (Knuth's two-sum)."""
    product = x * y
    split = 134217729.0  # 2²⁷ + 1
    xh = x * split - (x * split - x)
    yh = y * split - (y * split - y)
    error = ((xh * yh - product) + xh * (y - yh) + (x - xh) * yh) + (x - xh) * (y - yh)
    total = product + c
    bv = total - product
    sum_error = (product - (total - bv)) + (c - bv)
    return total + (sum_error + error)
