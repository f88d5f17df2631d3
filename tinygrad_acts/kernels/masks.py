"""Masks and signs, on arrays: the gradient through the flat side of a kink is exactly 0."""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrays import SMALL


def clamp_masks(a: np.ndarray, lo: Any, hi: Any, shape: tuple[int, ...]) -> list[Any]:
    """Where the gradient of min(max(a, lo), hi) reaches a, lo and hi (numbers or arrays, or
    None; each mask broadcast to ``shape``), as torch: a where lo ≤ a ≤ hi; lo where a < lo
    (and lo < hi); hi where a > hi (or hi < lo: then every value is hi)."""
    if lo is None:
        inside, to_lo, to_hi = a <= hi, None, a > hi
    elif hi is None:
        inside, to_lo, to_hi = a >= lo, a < lo, None
    else:
        inside, to_lo, to_hi = (a >= lo) & (a <= hi), (a < lo) & (lo < hi), (a > hi) | (hi < lo)
    return [None if m is None else np.broadcast_to(m, shape) for m in (inside, to_lo, to_hi)]


def step_times(grad: np.ndarray, factor: np.ndarray) -> np.ndarray:
    if factor.dtype == np.bool_:
        return masked(grad, factor)
    return np.multiply(grad, factor, dtype=grad.dtype)


# The unsigned integer of each float's width, for ``masked``.
_UNSIGNED = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def masked(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` where ``keep`` holds, else exactly 0, in a new array.

    The gradient through the flat side of a kink (relu, clamp, hardtanh, ...) is 0 even when
    the incoming gradient is inf or nan: ``sqrt(relu(x))`` at x < 0 sends back 1/(2·√0) = inf,
    and relu must answer 0, as torch's masked backwards do, not 0·inf = nan. So not a product:
    the bits. ``keep`` as unsigned integers of the floats' width, negated (1 → all ones,
    0 → all zeros), ANDed with the floats' bits — a pass as cheap as a product, where
    ``np.where`` is several times slower on a random mask. (Small arrays take ``np.where``:
    one call.)
    """
    if values.size == 1 and keep.shape == values.shape:  # one element: looked at
        return np.array(values) if keep.item() else np.zeros(values.shape, values.dtype)
    unsigned = _UNSIGNED.get(values.dtype.itemsize)
    if values.size <= SMALL or keep.shape != values.shape or unsigned is None:
        return np.where(keep, values, 0.0)  # a Python 0.0 keeps values.dtype (NEP 50)
    out = np.empty(values.shape, values.dtype)  # an array of its own (not a view: the engine
    bits = out.view(unsigned)  # would copy a view before a leaf's .grad may keep it)
    np.copyto(bits, keep)
    np.negative(bits, out=bits)
    np.bitwise_and(values.view(unsigned), bits, out=bits)
    return out


def masked_in_place(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` set to exactly +0 where ``keep`` does not hold, in place (``masked`` without a
    new array), and returned: their bits times [keep], one pass — exact where values are inf
    or nan, where 0·values would be nan."""
    unsigned = _UNSIGNED.get(values.dtype.itemsize)
    if values.size <= SMALL or keep.shape != values.shape or unsigned is None:
        np.copyto(values, 0, where=~keep)
        return values
    bits = values.view(unsigned)
    np.multiply(bits, keep, out=bits)
    return values


def where_else(keep: np.ndarray, values: np.ndarray, other: float) -> np.ndarray:
    """``values`` where ``keep`` holds, else the number ``other`` (in values' dtype), exactly,
    in a new array.

    A select by bits, in three passes: values' bits XOR other's, times [keep], XOR other's
    again — values where keep (v ^ o ^ o = v), other elsewhere (0 ^ o = o); NaN stays NaN.
    (``np.where`` on a random mask is several times slower.)
    """
    unsigned = _UNSIGNED.get(values.dtype.itemsize)
    fill = np.asarray(other, values.dtype)
    if values.size <= SMALL or keep.shape != values.shape or unsigned is None:
        return np.where(keep, values, fill)
    fill_bits = fill.view(unsigned)
    out = np.empty(values.shape, values.dtype)  # an array of its own (see ``masked``)
    bits = out.view(unsigned)
    np.bitwise_xor(values.view(unsigned), fill_bits, out=bits)
    np.multiply(bits, keep, out=bits)
    bits ^= fill_bits
    return out


def sign_array(x: np.ndarray) -> np.ndarray:
    """sign(x) ∈ {-1, 0, 1}, and 0 at NaN as torch's (NumPy's is NaN): so |x|' at NaN is 0."""
    out = np.sign(x)
    if out.dtype.kind == "f" and np.isnan(np.add.reduce(out, axis=None)):  # any NaN (rare)
        out = np.asarray(out)  # an array also for 0-d x
        out[np.isnan(out)] = 0
    return out
