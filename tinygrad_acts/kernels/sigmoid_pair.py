"""σ(x) and σ(-x) together, on arrays, from one exponential: what glu's backward is made of.

σ'(x) = σ(x)·σ(-x). With both kept from the forward, a backward needs no second exponential,
and σ(-x) is computed, not 1 - σ(x) (which keeps no digits where σ(x) is near 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .sigmoid import EXP_SAFE


def sigmoid_pair(x: np.ndarray, out: Sequence[np.ndarray]) -> None:
    """Write σ(x) into ``out[0]`` and σ(-x) into ``out[1]`` (arrays of x's shape; views of
    one array may be): with E = e^{-x}, σ(x) = 1/(1 + E) and σ(-x) = E·σ(x), each within
    ~2 ulps.

    Where E overflows (x below -88.7 in float32, -709 in float64) or is inf (x = -inf, and
    inf·0 is NaN) — rare, and told by NumPy's flags, not by a pass over x — the elements
    below -80 take the mirrored form from e^{x}: σ(x) = e^x/(1 + e^x), σ(-x) = 1/(1 + e^x).
    """
    above, below = out
    try:
        with np.errstate(over="raise", invalid="raise"):
            _pair(x, above, below)
    except FloatingPointError:
        _pair(x, above, below)
        far = x < -EXP_SAFE
        e = np.exp(x[far])
        denominator = 1.0 + e
        above[far] = e / denominator
        below[far] = 1.0 / denominator


def _pair(x: np.ndarray, above: np.ndarray, below: np.ndarray) -> None:
    np.negative(x, out=below)  # E, then σ(-x)
    np.exp(below, out=below)
    np.add(below, 1.0, out=above)
    np.divide(1.0, above, out=above)
    below *= above
