"""silu(x) = x·σ(x) and its derivative from one exponential, E = e^x, which the forward keeps for
the backward: with D = 1 + E, σ(x) = E/D, silu(x) = x·σ(x) and silu'(x) = σ(x)·(1 + x + E)/D.

silu' is the formula of ``kernels.sigmoid.silu_derivative_array``, to the bit: near its root
(x = -1.28) 1 + x + E cancels, as any form does, but 1 + x is exact there and only E carries a
rounding. Only E is kept between the passes (D and σ are one pass each to remake): arrays kept
together are freed together, and glibc returns a freed 16 MB at the heap's top to the kernel, to
be faulted in again by the next call (see ``benchmarks/environment.py``).
"""

from __future__ import annotations

import numpy as np

from .arrays import largest
from .sigmoid import EXP_SAFE, sigmoid_array, silu_derivative_array


def silu_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(silu(x), E, far): silu = x·E/(1 + E) and E = e^x in two new arrays.

    Past x = 80 E may overflow (float32's e^{89}, or x = inf: inf/inf would be NaN): those
    elements (rare) take x·σ(x) from e^{-x} instead, and their derivative is computed apart
    too; ``far`` says where they are (None: nowhere).
    """
    e = np.exp(x, out=np.empty_like(x))  # an array also for 0-d x
    sigma = np.add(e, 1.0, out=np.empty_like(e))  # D, then σ = E/D in place
    np.divide(e, sigma, out=sigma)
    out = np.multiply(x, sigma, out=np.empty_like(e))  # silu(-inf) = -inf·0 is nan, as torch
    far = None
    if largest(x) > EXP_SAFE:
        far = x > EXP_SAFE
        xf = x[far]
        out[far] = xf * sigmoid_array(xf)
    return out, e, far


def silu_derivative_from_parts(x: np.ndarray, e: np.ndarray, far: np.ndarray | None) -> np.ndarray:
    """silu'(x) = (E/D)·((1 + x + E)/D) in one new array, from the forward's E and far."""
    out = np.add(x, 1.0, out=np.empty_like(x))  # 1 + x: exact near the root
    out += e
    d = np.add(e, 1.0, out=np.empty_like(e))
    out /= d  # not E·(1 + x + E)/D²: that overflows from x = 44 in float32
    out *= np.divide(e, d, out=d)  # σ, into D's array
    if far is not None:
        out[far] = silu_derivative_array(x[far])
    return out
