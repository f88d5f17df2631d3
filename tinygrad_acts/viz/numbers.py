"""How numbers are written on the picture: short on the node, in full in the tooltip."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def number(value: Any, precision: int) -> str:
    """One number with ``precision`` significant digits (``nan``, ``inf`` and ``-inf`` as such)."""
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    text = f"{v:.{precision}g}"
    return "0" if text == "-0" else text


def summary(array: Any, precision: int) -> str:
    """A short form: the number itself, a few values, or ``mean … [min, max]`` for more."""
    a = np.asarray(array)
    if a.dtype.kind == "b":
        a = a.astype(np.int8)
    if a.size == 1:
        return number(a.reshape(()), precision)
    if a.size == 0:
        return "[]"
    flat = a.reshape(-1).astype(np.float64)
    if a.size <= 4:
        return "[" + ", ".join(number(v, precision) for v in flat) + "]"
    finite = flat[np.isfinite(flat)]
    if finite.size == 0:
        return f"{a.size} values, none finite"
    mean = number(finite.mean(), precision)
    lo, hi = number(finite.min(), precision), number(finite.max(), precision)
    extra = "" if finite.size == flat.size else f", {flat.size - finite.size} non-finite"
    return f"mean {mean} [{lo}, {hi}]{extra}"


def full(array: Any, precision: int) -> str:
    """All values (up to a thousand), for the tooltip."""
    a = np.asarray(array)
    if a.ndim == 0:
        return number(a, precision + 2) if a.dtype.kind in "fiu" else str(a)
    return np.array2string(a, precision=precision + 2, threshold=1000, separator=", ")


def shape_dtype(shape: tuple[int, ...] | None, dtype: Any) -> str:
    """``2×3 float32`` (just the dtype for a scalar)."""
    kind = str(dtype) if dtype is not None else ""
    if not shape:
        return kind
    return "×".join(str(n) for n in shape) + (f" {kind}" if kind else "")
