"""σ(x), σ'(x), tanh'(x) and silu'(x) on arrays: one exponential each, no cancellation.

σ'(x) = σ(x)·σ(-x) = σ(x)/(1 + e^x) keeps full relative accuracy in both tails, where
σ·(1 - σ) gives 0 (σ'(698) = 2.5e-303); tanh'(x) = 1/cosh²(x) likewise, where 1 - tanh² is 0
past |x| ≈ 19. Each kernel returns a new array of its own (callers may write into it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .arrays import FLOAT64, SMALL, blockwise, filled, largest, scaled
from .float_errors import unless_overflow

# Beyond this |x|, e^{|x|} could overflow (float32 overflows at 88.7): the rare elements past it
# take the other, mirrored form of a formula (see ``sigmoid_array``).
EXP_SAFE = 80.0


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^{-x}) in one new array, to ~1 ulp.

    Where e^{-x} overflows (x < -709 in float64; rare) 1/inf would be 0, while σ(-710) =
    4.5e-309 is not: then the elements below -80 take e^{x} / (1 + e^{x}) instead.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is FLOAT64:  # see arrays.filled
        v = x.item()
        if v >= -EXP_SAFE:
            return filled(x, 1.0 / (1.0 + math.exp(-v)))
    out = unless_overflow(_sigmoid_plain, x)
    if out is None:
        out = _sigmoid_plain(x)
        far = x < -EXP_SAFE
        e = np.exp(x[far])
        out[far] = e / (1.0 + e)
    return out


def _sigmoid_plain(x: np.ndarray) -> np.ndarray:
    if x.size <= SMALL:
        # np.reciprocal(d) is 1.0/d to the bit, and saves converting a Python 1.0 on every
        # call; on large arrays it is the slower (NumPy does not vectorise it), so not there.
        return np.asarray(np.reciprocal(np.exp(-x) + 1.0))  # an array also for 0-d x
    out = np.negative(x, out=np.empty_like(x))  # worked in in place
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def sigmoid_product_array(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """y·σ(-x) = y / (1 + e^{x}), in one new array: with y = σ(x) it is σ'(x) (to ~2 ulps,
    without the cancellation of σ(1 - σ)); with y = a·σ(x), a·σ'(x).

    Where e^{x} overflows (y/inf = 0, while σ'(710) = 4.5e-309) the elements above 80 take
    y·e^{-x}/(1 + e^{-x}) instead.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is FLOAT64 and type(y) is np.ndarray:
        v = x.item()  # one element (see arrays.filled), and y alike
        if v <= EXP_SAFE and y.shape == x.shape and y.dtype == x.dtype:
            return filled(x, y.item() / (math.exp(v) + 1.0))
    out = unless_overflow(_sigmoid_product_plain, x, y)
    if out is None:
        out = _sigmoid_product_plain(x, y)
        far = x > EXP_SAFE
        e = np.exp(-x[far])
        out[far] = np.broadcast_to(y, out.shape)[far] * (e / (1.0 + e))
    return out


def _sigmoid_product_plain(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.size <= SMALL:
        return np.asarray(y / (np.exp(x) + 1.0))
    out = np.exp(x, out=np.empty_like(x))
    out += 1.0
    return np.divide(y, out, out=out)


def sigmoid_derivative_array(
    x: np.ndarray, sigma: np.ndarray | None = None, grad: Any = None
) -> np.ndarray:
    """grad·σ'(x) = grad·σ(x)/(1 + e^x) in one new array (σ'(x) without ``grad``), with σ(x)
    given as ``sigma`` when already known."""
    if sigma is None:
        sigma = sigmoid_array(x)
    elif (
        type(x) is np.ndarray
        and x.size == 1
        and x.dtype is FLOAT64
        and type(sigma) is np.ndarray
        and sigma.shape == x.shape
        and sigma.dtype is FLOAT64
        and type(grad) is np.ndarray
        and grad.shape == x.shape
        and grad.dtype is FLOAT64
    ):  # one element (see arrays.filled): sigmoid_product_array's value, times grad
        v = x.item()
        if v <= EXP_SAFE:
            return filled(x, sigma.item() / (math.exp(v) + 1.0) * grad.item())
    return scaled(sigmoid_product_array(x, sigma), grad)


def tanh_derivative_array(x: np.ndarray, grad: Any = 1.0) -> np.ndarray:
    """grad·sech²(x) = grad / cosh²(x), in one new array; sech²(x) itself without ``grad``.
    Dividing by cosh² takes one pass fewer than multiplying by 1/cosh².

    Past |x| ≈ 355 cosh² overflows (rare): there the tail's exact form 4e^{-2|x|}.
    (1/cosh(x))² would need no such patch, but is half an ulp less exact.
    """
    if type(x) is np.ndarray and x.size == 1 and x.dtype is FLOAT64:  # see arrays.filled
        v = x.item()
        if abs(v) <= EXP_SAFE / 2:
            if type(grad) is float or type(grad) is np.float64:  # a 0-d gradient's scalar too
                return filled(x, float(grad) * _sech2(v))
            if type(grad) is np.ndarray and grad.shape == x.shape and grad.dtype is FLOAT64:
                return filled(x, grad.item() * _sech2(v))
    out = unless_overflow(_sech2_plain, x, grad)
    if out is None:
        out = _sech2_plain(x, grad)
        far = np.abs(x) > 354.0
        out[far] = np.broadcast_to(grad, out.shape)[far] * (4.0 * np.exp(-2.0 * np.abs(x[far])))
    return out


def _sech2(v: float) -> float:
    """sech²(v) = 4E/(1 + E)², E = e^{-2|v|}, for one Python float: within 3 ulps, where the
    C library's cosh, squared, reaches 4 (NumPy's vectorised cosh does better than both)."""
    e = math.exp(-2.0 * abs(v))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _sech2_plain(x: np.ndarray, grad: Any) -> np.ndarray:
    if x.size <= SMALL:
        c = np.cosh(x)
        return np.asarray(grad / (c * c))
    out = np.cosh(x, out=np.empty_like(x))
    out *= out
    return np.divide(grad, out, out=out)


def silu_derivative_array(x: np.ndarray) -> np.ndarray:
    """silu'(x) = σ(x)·(1 + x·σ(-x)) = e^x·(1 + x + e^x) / (1 + e^x)², in one new array.

    One exponential. Near the root of silu' (x = -1.28) 1 + x + e^x cancels, as any form does,
    but here only e^x carries a rounding error (1 + x is exact for x in [-2, -1/2]): within 3.5
    ulps from 0.15 of the root on, where ``roots.patch_near_roots`` stops — the form
    (e^x + silu(x))/(1 + e^x), with silu(x)'s own rounding in the sum, needed 0.8. For x > 80
    e^x may overflow: those elements take σ(x)·(1 + x·σ(-x)) from e^{-x} instead. Block by
    block on large arrays (``arrays.blockwise``): three temporaries, in cache.
    """
    out = blockwise(_silu_derivative_plain, x) if x.size > SMALL else _silu_derivative_plain(x)
    if largest(x) > EXP_SAFE:
        far = x > EXP_SAFE
        xf = x[far]
        e = np.exp(-xf)
        out[far] = (1.0 + xf * (e / (1.0 + e))) / (1.0 + e)
    return out


def _silu_derivative_plain(x: np.ndarray) -> np.ndarray:
    out = np.exp(x, out=np.empty_like(x))
    d = out + 1.0
    n = x + 1.0
    n += out  # 1 + x + e^x
    n /= d
    out /= d  # σ(x): each factor divided apart, as e^x·(1 + x + e^x) overflows from x = 44
    out *= n  # in float32 (355 in float64)
    return out
