"""Powers with torch's rules, on arrays."""

from __future__ import annotations

from typing import Any

import numpy as np


def power(a: Any, b: Any) -> np.ndarray:
    """a ** b, with torch's rules for integers to negative integer powers: an error when b is
    a Python number, else 1 for a = 1, ±1 for a = -1 (by the parity of b), 0 for any other a
    (NumPy refuses them all). A power of -0.5 is 1/√a in float32 and float64, torch's rsqrt
    (NumPy takes √a for 0.5): -inf at -0 and nan at -inf, where the C library's pow gives inf
    and 0 — and that is also the derivative of √a there."""
    if type(b) is float and b == -0.5 and isinstance(a, np.ndarray) and a.dtype.char in "fd":
        return np.divide(1.0, np.sqrt(a))
    try:
        return np.power(a, b)
    except ValueError as e:
        if not isinstance(b, np.ndarray):
            raise RuntimeError(str(e)) from None  # torch's words, in its type
        return _integer_power(a, b)


def _integer_power(a: Any, b: np.ndarray) -> np.ndarray:
    negative = b < 0
    out = np.power(a, np.where(negative, 0, b))
    parity = np.where(b % 2 == 0, 1, -1)
    below = np.where(np.equal(a, 1), 1, np.where(np.equal(a, -1), parity, 0))
    return np.where(negative, below, out).astype(out.dtype)
