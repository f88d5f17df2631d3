"""Making tensors, under torch's names: ``zeros``, ``ones``, ``full``, ``arange``, ``linspace``,
``zeros_like``, ``ones_like``, ``randn``, ``rand``, ``from_numpy``.

Without ``dtype`` they follow torch: floats are float32 (torch's default dtype), an integer
``full`` or ``arange`` is int64, and a ``*_like`` keeps its tensor's dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .dtypes import torch_dtype_name
from .random import generator


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """``zeros(2, 3)`` and ``zeros((2, 3))`` alike; torch's error for a negative size."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, int) and n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)} "
                "(sizes must be non-negative)"
            )
    return shape


def zeros(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of ones (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` (a tuple) holding ``fill_value``: float32 for a float (NumPy's too),
    int64 for an integer, bool for a bool, unless ``dtype`` says otherwise."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    if dtype is None:
        kind = np.asarray(fill_value).dtype.kind
        dtype = {"b": np.bool_, "i": np.int64, "u": np.int64}.get(kind, np.float32)
    return Tensor(np.full(_shape((size,)), fill_value, dtype=dtype), requires_grad=requires_grad)


def zeros_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``input``'s shape and dtype."""
    return Tensor(np.zeros_like(input.array, dtype=dtype), requires_grad=requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``input``'s shape and dtype."""
    return Tensor(np.ones_like(input.array, dtype=dtype), requires_grad=requires_grad)


def arange(
    start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """start, start + step, ... up to ``end`` (excluded); ``arange(n)`` is 0 … n - 1.

    int64 when every argument is an integer, else float32, as in torch.
    """
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    for bound in (start, end):
        if not np.isfinite(bound):
            raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        integral = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if integral else np.float32
    elif np.dtype(dtype).kind in "iu":  # torch counts in integers then: arange(0, 5, 1.5) is 0…4
        start, step = int(start), int(step)
    # Counted in double, then cast (as torch): arange(0, 1, 0.1) has 10 values.
    values = np.arange(start, end, step, dtype=np.float64 if np.dtype(dtype).kind == "f" else None)
    return Tensor(values.astype(dtype), requires_grad=requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = np.float32, requires_grad: bool = False
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    if isinstance(steps, int) and steps < 0:
        raise RuntimeError(f"number of steps must be non-negative (got steps={steps})")
    if np.dtype(dtype).kind in "iu":  # torch: the ends made integers, the values truncated
        start, end = int(start), int(end)
    values = np.linspace(start, end, steps, dtype=np.float64).astype(dtype)
    return Tensor(values, requires_grad=requires_grad)


def randn(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """Samples of the standard normal distribution, from the package's generator
    (``manual_seed`` repeats them; the numbers are NumPy's, not torch's)."""
    _floating("normal_kernel_cpu", dtype)
    values = generator().standard_normal(_shape(shape)).astype(dtype)
    return Tensor(values, requires_grad=requires_grad)


def rand(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """Samples of the uniform distribution on [0, 1), from the package's generator."""
    _floating("check_uniform_bounds", dtype)
    values = generator().random(_shape(shape)).astype(dtype)
    below_one = np.nextafter(np.ones((), dtype), 0)  # rounding to float16 could reach 1
    return Tensor(np.minimum(values, below_one), requires_grad=requires_grad)


def _floating(kernel: str, dtype: Any) -> None:
    """torch samples floats only, and names the kernel that refuses the rest."""
    if np.dtype(dtype).kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares ``array``'s memory (writes to one show in the other), as torch's."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor(array)
