"""Powers with torch's rules, on arrays."""

from __future__ import annotations

from typing import Any

import numpy as np


def square(a: np.ndarray) -> np.ndarray:
    """a² as a·a: one rounding, as the C library's pow."""
    return np.multiply(a, a)


def cube(a: np.ndarray) -> np.ndarray:
    """a³ as (a·a)·a, torch's own kernel for a power of 3 (two roundings: within 1.5 ulps).

    NumPy sends a power of 3 to the C library's general pow, which costs ~50 times a product
    (40 µs on 2,000 float64 elements, where a·a·a takes 4): a polynomial fit spent most of
    its time there."""
    out = np.multiply(a, a)
    if type(out) is not np.ndarray:  # 0-d input: NumPy returns a scalar
        return out * a
    out *= a
    return out


# Small integer exponents of float arrays, as torch computes them (its pow_tensor_scalar
# kernel): products and a reciprocal instead of the general pow.
_INTEGER_POWERS = {2: square, 3: cube}


def power(a: Any, b: Any) -> np.ndarray:
    """a ** b, with torch's rules for integers to negative integer powers: an error when b is
    a Python number, else 1 for a = 1, ±1 for a = -1 (by the parity of b), 0 for any other a
    (NumPy refuses them all). A power of -0.5 is 1/√a in float32 and float64, torch's rsqrt
    (NumPy takes √a for 0.5): -inf at -0 and nan at -inf, where the C library's pow gives inf
    and 0 — and that is also the derivative of √a there. Powers of 2 and 3 of float32 and
    float64 arrays are products (``square``, ``cube``), as torch's."""
    if (type(b) is int or type(b) is float) and isinstance(a, np.ndarray) and a.dtype.char in "fd":
        kernel = _INTEGER_POWERS.get(b)  # 3.0 finds 3 too
        if kernel is not None:
            return kernel(a)
        if b == -0.5:
            return np.divide(1.0, np.sqrt(a))
    if isinstance(b, np.ndarray) and np.result_type(a, b) == np.float32:
        # a float32 tensor to a tensor's powers: torch's kernel computes in double and rounds
        return np.power(np.asarray(a, np.float64), b).astype(np.float32)
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
