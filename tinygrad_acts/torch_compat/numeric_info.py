"""What the number types can hold, as ``torch.finfo`` and ``torch.iinfo`` say, and the
constants ``torch.pi``, ``torch.e``, ``torch.inf``, ``torch.nan``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .dtypes import dtype, get_default_dtype

pi, e, inf, nan = math.pi, math.e, math.inf, math.nan


def _numpy_dtype(function: str, value: Any) -> np.dtype:
    """The NumPy dtype of a torch dtype (or Python's ``float``/``int``/``bool``, as torch takes
    them); torch's error for anything else (a NumPy type included)."""
    if isinstance(value, dtype):
        return value.dtype
    if value in (float, int, bool):
        return np.dtype({float: np.float64, int: np.int64, bool: np.bool_}[value])
    raise TypeError(
        f"{function}(): argument 'type' (position 1) must be torch.dtype, not "
        f"{type(value).__name__}"
    )


class finfo:
    """The limits of a floating dtype (the default dtype if none is given):

    - ``bits``: its width; ``eps``: the gap between 1 and the next number;
    - ``max``, ``min``: the largest and most negative finite numbers;
    - ``tiny`` (= ``smallest_normal``): the smallest positive normal number;
    - ``resolution``: 10^-(decimal digits it holds).
    """

    def __init__(self, type: Any = None) -> None:
        kind = get_default_dtype().dtype if type is None else _numpy_dtype("finfo", type)
        if kind.kind != "f":
            raise TypeError(
                "torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                "'torch.finfo'"
            )
        info = np.finfo(kind)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)  # as a Python float: 1e-06, not ~1e-06
        self.dtype = kind.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, finfo) and self.dtype == other.dtype

    def __hash__(self) -> int:
        return hash(self.dtype)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """The limits of an integer dtype: ``bits``, ``max``, ``min`` (Python ints)."""

    def __init__(self, type: Any) -> None:
        kind = _numpy_dtype("iinfo", type)
        if kind.kind == "b":
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if kind.kind not in "iu":
            raise TypeError(
                "torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                "'torch.iinfo'"
            )
        info = np.iinfo(kind)
        self.bits, self.max, self.min = int(info.bits), int(info.max), int(info.min)
        self.dtype = kind.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, iinfo) and self.dtype == other.dtype

    def __hash__(self) -> int:
        return hash(self.dtype)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


__all__ = ["e", "finfo", "iinfo", "inf", "nan", "pi"]
