"""Making tensors, under torch's names: ``zeros``, ``ones``, ``full``, ``empty``, ``arange``,
``linspace``, ``logspace``, their ``*_like`` forms, ``as_tensor`` and ``from_numpy`` (and, from
``random.py``, the random ones: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal`` …).

Without ``dtype`` they follow torch: floats are of the default dtype (float32 unless
``set_default_dtype`` changed it), an integer ``full`` or ``arange`` is int64, and a ``*_like``
keeps its tensor's dtype. Each takes ``device=`` (the CPU, the only one here) and
``requires_grad=``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..kernels.fused import fma32, fma64
from .checks import tensor_argument
from .creation import _to_array, new_leaf, size_argument, tensor
from .device import cpu_device
from .dtypes import DTypeLike, check_fits, get_default_dtype
from .random import normal, rand, rand_like, randint, randint_like, randn, randn_like, randperm


def _float_or(dtype: DTypeLike) -> np.dtype:
    """``dtype``, or the default dtype when it is None."""
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def zeros(
    *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    shape = size_argument("zeros", size)
    return new_leaf(np.zeros(shape, _float_or(dtype)), requires_grad, device)


def ones(
    *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    shape = size_argument("ones", size)
    return new_leaf(np.ones(shape, _float_or(dtype)), requires_grad, device)


def empty(
    *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor whose values are whatever the memory held (as torch's: write before reading)."""
    shape = size_argument("empty", size)
    return new_leaf(np.empty(shape, _float_or(dtype)), requires_grad, device)


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ``size`` (a tuple) holding ``fill_value``: the default dtype for a float,
    int64 for an integer, bool for a bool, unless ``dtype`` says otherwise."""
    if not isinstance(size, (tuple, list)):  # torch takes no bare int here
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    shape = size_argument("full", (size,))
    return new_leaf(_filled(shape, fill_value, dtype), requires_grad, device)


def _filled(shape: tuple[int, ...], fill_value: Any, dtype: DTypeLike) -> np.ndarray:
    """``shape`` full of ``fill_value``, in ``dtype`` or the one torch infers from the value."""
    value = fill_value.item() if isinstance(fill_value, (Tensor, np.generic)) else fill_value
    if dtype is None:
        kind = np.asarray(value).dtype.kind
        dtype = {"b": np.bool_, "i": np.int64, "u": np.int64}.get(kind, get_default_dtype())
    check_fits(value, dtype)
    return np.full(shape, value, dtype=dtype)


def _like(name: str, input: Any, dtype: DTypeLike) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and dtype a ``*_like`` factory makes (``input``'s, unless ``dtype`` is given)."""
    input = tensor_argument(name, input)
    return input.array.shape, input.array.dtype if dtype is None else np.dtype(dtype)


def zeros_like(
    input: Tensor, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``input``'s shape and dtype."""
    shape, dtype = _like("zeros_like", input, dtype)
    return new_leaf(np.zeros(shape, dtype), requires_grad, device)


def ones_like(
    input: Tensor, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``input``'s shape and dtype."""
    shape, dtype = _like("ones_like", input, dtype)
    return new_leaf(np.ones(shape, dtype), requires_grad, device)


def empty_like(
    input: Tensor, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """An uninitialised tensor of ``input``'s shape and dtype."""
    shape, dtype = _like("empty_like", input, dtype)
    return new_leaf(np.empty(shape, dtype), requires_grad, device)


def full_like(
    input: Tensor,
    fill_value: Any,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` in ``input``'s shape and dtype (``full_like(int_tensor, 2.7)`` holds 2)."""
    shape, dtype = _like("full_like", input, dtype)
    return new_leaf(_filled(shape, fill_value, dtype), requires_grad, device)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """start, start + step, ... up to ``end`` (excluded); ``arange(n)`` is 0 … n - 1.

    int64 when every argument is an integer, else the default dtype, as in torch.
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
        dtype = np.int64 if integral else get_default_dtype()
    elif np.dtype(dtype).kind in "iu":  # torch counts in integers then: arange(0, 5, 1.5) is 0…4
        start, step = int(start), int(step)
    # Counted in double, then cast (as torch): arange(0, 1, 0.1) has 10 values.
    values = np.arange(start, end, step, dtype=np.float64 if np.dtype(dtype).kind == "f" else None)
    return new_leaf(values.astype(dtype), requires_grad, device)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    dtype = _float_or(dtype)
    _check_steps("linspace", steps)
    if dtype.kind in "iu":  # torch: the ends made integers, the values truncated
        start, end = int(start), int(end)
    return new_leaf(_spaced(start, end, steps, dtype), requires_grad, device)


def _spaced(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """torch's linspace, bit for bit: in the dtype, step = (end - start)/(steps - 1); the first
    half counted up from start, the second down from end, each value one fused multiply-add."""
    if dtype.kind != "f" or steps < 2:
        return np.linspace(start, end, steps, dtype=np.float64).astype(dtype)
    work = np.float32 if dtype.itemsize <= 4 else np.float64
    a, b = work(start), work(end)
    step = (b - a) / work(steps - 1)
    i = np.arange(steps, dtype=work)
    half = steps // 2
    fma = fma32 if work is np.float32 else fma64
    values = np.concatenate([fma(i[:half], step, a), fma(i[half:] - (steps - 1), step, b)])
    return values.astype(dtype)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` values from base^start to base^end, evenly spaced in the exponent."""
    dtype = _float_or(dtype)
    _check_steps("logspace", steps)
    values = np.power(float(base), np.linspace(start, end, steps, dtype=np.float64))
    return new_leaf(values.astype(dtype), requires_grad, device)


def _check_steps(name: str, steps: Any) -> None:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")


def as_tensor(data: Any, dtype: DTypeLike = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory when it can (as ``torch.as_tensor``): a Tensor of
    the asked dtype is returned itself (otherwise converted, in the graph), a NumPy array of
    it is shared; anything else is copied, as by ``tensor``."""
    if isinstance(data, Tensor):
        cpu_device(device)
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return new_leaf(_to_array(data), False, device)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares ``array``'s memory (writes to one show in the other), as torch's."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor(array)


__all__ = [
    "arange",
    "as_tensor",
    "empty",
    "empty_like",
    "from_numpy",
    "full",
    "full_like",
    "linspace",
    "logspace",
    "normal",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "tensor",
    "zeros",
    "zeros_like",
]
