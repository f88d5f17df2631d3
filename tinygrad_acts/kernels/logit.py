"""The logit, log(x / (1 - x)), to full relative accuracy also near ½, where it crosses 0."""

from __future__ import annotations

from typing import Any

import numpy as np


def logit_bounds(eps: float | None, dtype: np.dtype) -> tuple[Any, Any] | None:
    """The interval torch's logit limits x to, [eps, 1 - eps], in x's dtype as torch computes
    it (1 - float32(0.1) in float32); None without eps, or for eps < 0."""
    if eps is None or eps < 0:
        return None
    lo = dtype.type(eps)
    return lo, dtype.type(1) - lo


def logit(x: np.ndarray, eps: float | None = None) -> np.ndarray:
    """log(x / (1 - x)), elementwise; with ``eps``, x is first taken to eps where below it and
    to 1 - eps where above (torch's order of the two tests, which matters when eps > ½).

    The quotient x / (1 - x) is near 1 about x = ½, and the log of a number near 1 keeps only
    its absolute error: logit(½ + 1e-10) would lose six digits. So near ½ it is
    log1p((2x - 1) / (1 - x)), whose 2x - 1 is exact for x in [¼, ¾]; elsewhere
    log(x) - log1p(-x), where the two terms never cancel.
    """
    bounds = logit_bounds(eps, x.dtype)
    if bounds is not None:
        lo, hi = bounds
        x = np.where(x < lo, lo, np.where(x > hi, hi, x))  # NaN stays NaN
    wide = x.astype(np.float32) if x.dtype == np.float16 else x  # float16 steps in float32
    central = (wide >= 0.25) & (wide <= 0.75)
    with np.errstate(all="ignore"):  # logit(0) = -inf, logit(2) = NaN, silently; also outside ops
        near_half = np.log1p((2.0 * wide - 1.0) / (1.0 - wide))
        apart = np.log(wide) - np.log1p(-wide)
    return np.where(central, near_half, apart).astype(x.dtype, copy=False)
