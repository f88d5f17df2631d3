"""Derivatives of smooth activations near their roots: Taylor series instead of the formula.

Where f'(x) or f''(x) crosses zero, a formula that adds terms cancels: silu''(x) =
σ'(x)·(2 - x·tanh(x/2)) keeps only as many digits as 2 and x·tanh(x/2) do not share — 500 ulps
lost at x = -2.4. Within a window about each root (each series its own) the value is replaced
by the Taylor series about that root (``_root_series``, generated from the 50-digit reference
by tools/gen_root_series.py).
"""

from __future__ import annotations

import numpy as np

from . import _root_series
from .arrays import BLOCK
from .sparse import true_indices


def _series(d: np.ndarray, coeffs: list[float]) -> np.ndarray:
    """Σ c_k d^k, k ≥ 1, by Horner's rule, in place on one new array."""
    out = np.zeros_like(d)
    for c in reversed(coeffs):
        out *= d
        out += c
    out *= d
    return out


def patch_near_roots(values: np.ndarray, x: np.ndarray, key: tuple[str, int]) -> np.ndarray:
    """Replace ``values`` of f^(order) near its roots by the Taylor series there: within
    r - below < x < r + above of each root r (the window of that series); ``key`` is
    (activation's name, order).

    Writes into ``values`` when it is a writable array (the caller's own), else into a copy.
    Only the few elements near a root are gathered (by index: faster than a boolean mask when
    they are few), so away from the roots this costs three comparisons.
    """
    for r_hi, r_lo, (below, above, coeffs) in _root_series.SERIES.get(key, ()):
        near = true_indices((x > r_hi - below) & (x < r_hi + above))
        if near.size == 0:
            continue
        d = (np.ravel(x)[near].astype(np.float64) - r_hi) - r_lo  # x - r, with r in two parts
        series = np.empty_like(d)
        for start in range(0, d.size, BLOCK):  # in blocks: the series' passes stay in cache
            block = slice(start, start + BLOCK)
            series[block] = _series(d[block], coeffs)
        if not (
            isinstance(values, np.ndarray) and values.flags.writeable and values.flags.c_contiguous
        ):
            values = np.array(values)  # writable, contiguous, and an array also for 0-d x
        values.reshape(-1)[near] = series  # a view of values, being contiguous
    return values
