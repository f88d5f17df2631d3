"""Small tools every kernel uses: NumPy's cheapest spellings of clip, max, min and a product
into an array of one's own, and the size below which a kernel takes its fewest-calls form."""

from __future__ import annotations

from typing import Any

import numpy as np

try:  # np.clip's Python wrapper costs a microsecond a call: the ufunc it calls, directly
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover
    clip = np.clip

# Up to this many elements NumPy's cost per call outweighs the data (and an ufunc writing into
# one of its own inputs costs twice a fresh result): kernels take their fewest-calls form there,
# and work in place only on larger arrays, where new arrays cost page faults and passes.
SMALL = 64

# The dtype object of native float64 (a singleton: ``x.dtype is FLOAT64`` is the cheapest test,
# and leaves other byte orders to the array path).
FLOAT64 = np.dtype(np.float64)


def filled(like: np.ndarray, value: float) -> np.ndarray:
    """A new array of like's shape and dtype, holding ``value``: the result of a kernel given
    one element.

    A learner's scalar graph runs every kernel on one element. There a NumPy call costs ten
    times its arithmetic, and watching for overflow (``unless_overflow``) a third of a
    microsecond more: so the sigmoid and tanh kernels, given one float64 element in their
    formula's safe range, compute it with Python's ``math`` (the C library's exp, as NumPy's
    own float64 kernel within an ulp; sech² from e^{-2|x|}). Anything else, NaN included,
    takes the array path. (Not float32: computed in double and rounded once, a value can differ
    by an ulp from NumPy's float32 kernels — and by more after a cancellation, as in silu'.)
    ``like`` must be an ndarray: a NumPy scalar's ``fill`` does nothing (the kernels check).
    """
    out = like.copy()
    out.fill(value)
    return out


def times(d: np.ndarray, grad: Any) -> np.ndarray:
    """d·grad, written into d (a new array of the caller's own) unless d is small or
    read-only (a value an op keeps for every backward)."""
    if d.size <= SMALL or not d.flags.writeable:
        return d * grad
    d *= grad
    return d


def scaled(d: np.ndarray, grad: Any) -> np.ndarray:
    """d·grad as ``times`` (d itself when grad is None): a derivative kernel's result times
    the incoming gradient, in the same array when grad is an array of d's shape."""
    if grad is None:
        return d
    if type(grad) is np.ndarray and grad.shape == d.shape:
        return times(d, grad)
    return d * grad  # a number, or an array to broadcast d to: a new array


def largest(x: np.ndarray) -> Any:
    """max(x) over the elements that are not NaN (-inf if none): "is any element beyond a
    limit?" must not turn False because another element is NaN. (``np.nanmax``'s wrapper
    costs a microsecond more per call, and warns on all-NaN input.)"""
    return np.fmax.reduce(x, axis=None, initial=-np.inf)


def smallest(x: np.ndarray) -> Any:
    """min(x) over the elements that are not NaN (inf if none): ``largest``'s mirror."""
    return np.fmin.reduce(x, axis=None, initial=np.inf)


# Long formulas run over blocks of this many elements: their temporaries then stay in the
# processor's cache, and are reused rather than freshly mapped (a new 8 MB array costs ~2,000
# page faults with glibc's default allocator).
BLOCK = 16384


def blockwise(kernel: Any, x: np.ndarray, dtype: Any = None) -> np.ndarray:
    """kernel(x) for an elementwise ``kernel`` of one array, block by block, into one new
    array of ``dtype`` (x's by default). Each block is 1-d (also for 0-d x): kernels may work
    in place on what they make."""
    flat = x.reshape(-1)
    if x.size <= BLOCK:
        return np.asarray(kernel(flat), dtype=dtype).reshape(x.shape)
    # An array of its own, not a view of one (the engine copies a view before a leaf's .grad
    # may keep it), written through a flat view.
    out = np.empty(x.shape, x.dtype if dtype is None else dtype)
    out_flat = out.reshape(-1)
    for start in range(0, flat.size, BLOCK):
        out_flat[start : start + BLOCK] = kernel(flat[start : start + BLOCK])
    return out
