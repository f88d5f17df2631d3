"""Making a tensor from Python data with torch's dtype rules: ``Tensor(data)`` and ``tensor``;
and what every factory shares: reading its ``size`` arguments, and the new leaf with torch's
checks of ``device`` and ``requires_grad``."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .device import cpu_device
from .dtypes import DTypeLike, check_fits, get_default_dtype
from .size import Size

_FLOAT_ONLY = "Only Tensors of floating point and complex dtype can require gradients"

_COPY_CONSTRUCT = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)


def _to_array(data: Any, dtype: DTypeLike = None) -> np.ndarray:
    """Convert user data to an array with torch's dtype rules.

    Python floats (and lists holding any) become the default dtype (float32), Python ints int64,
    bools bool; a NumPy array keeps its dtype (float64 stays float64) unless ``dtype`` is given.
    """
    if isinstance(data, Tensor):
        data = data.array
    if isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, np.generic):
        array = np.asarray(data)
    else:
        has_float = _check_numeric(data, dtype is not None and np.dtype(dtype).kind == "f")
        data = _values_of_tensors(data)
        if dtype is not None:  # straight to the asked dtype: 0.7 must not pass through float32
            array = np.asarray(data, dtype=np.dtype(dtype))
        else:
            array = np.asarray(data, dtype=np.float64 if has_float else None)
            if array.dtype == np.float64 and has_float != _DOUBLE:
                array = array.astype(get_default_dtype())  # for Python floats
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"a Tensor holds numbers; got data of type {type(data).__name__}"
            + (f" with dtype {array.dtype}" if isinstance(data, np.ndarray) else "")
        )
    if not array.dtype.isnative:  # a big-endian file's array: torch refuses it; we convert
        array = array.astype(array.dtype.newbyteorder("="))
    if dtype is not None:
        array = array.astype(np.dtype(dtype), copy=False)
    return array


_INT64 = np.iinfo(np.int64)


_DOUBLE = "double"  # what _check_numeric says of data holding a NumPy float64 (or wider)


def _check_numeric(data: Any, floating: bool = False) -> bool | str:
    """Reject anything that is not a number or a (nested) list/tuple of numbers, naming its type.

    Returns whether the data holds a float — ``_DOUBLE`` when one is a NumPy float of 64 bits
    or more: then the tensor is float64, as torch infers from a double (a Python float gives
    the default float32). A Python int beyond int64 is refused unless the tensor will be
    floating (a float among the data, or ``floating``), as torch refuses it: NumPy would make it
    uint64 or an object.
    """
    stack = [data]
    has_float: bool | str = False
    too_big = False
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Tensor):
            if item.array.size != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            if item.array.dtype.kind == "f":  # a float64 tensor counts as a double, as in torch
                has_float = _DOUBLE if item.array.dtype.itemsize >= 8 else has_float or True
        elif isinstance(item, int) and not isinstance(item, bool):
            too_big = too_big or not _INT64.min <= item <= _INT64.max
        elif isinstance(item, np.floating) and item.dtype.itemsize >= 8:
            has_float = _DOUBLE
        elif isinstance(item, (float, np.floating)):
            has_float = has_float or True
        elif not isinstance(item, (numbers.Number, np.ndarray, np.generic)):
            raise TypeError(f"a Tensor holds numbers; got data of type {type(item).__name__}")
    if too_big and not (has_float or floating):
        raise ValueError("Overflow when unpacking long long")
    return has_float


def _values_of_tensors(data: Any) -> Any:
    """``data`` with each nested (0-d) Tensor replaced by its array: ``tensor([loss, loss2])``
    takes their values, as torch's does, also from tensors that require grad (NumPy would
    ask their ``__array__``, which refuses those)."""
    if isinstance(data, Tensor):
        return data.array.reshape(())  # one element (checked), as a number
    if isinstance(data, (list, tuple)) and any(isinstance(v, (Tensor, list, tuple)) for v in data):
        return [_values_of_tensors(v) for v in data]
    return data


def tensor(
    data: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Make a tensor from a number, a nested list or an array (as ``torch.tensor``).

    The data is copied, so later changes to the array do not reach the tensor. A tensor given
    as the data is copied too, with torch's warning (``x.detach().clone()`` says it plainly).
    """
    if isinstance(data, Tensor):
        warnings.warn(_COPY_CONSTRUCT, UserWarning, stacklevel=2)
    array = _to_array(data, dtype)
    if array is data or (isinstance(data, Tensor) and array is data.array):
        array = array.copy()
    return new_leaf(array, requires_grad, device)


def new_leaf(array: np.ndarray, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A new tensor holding ``array``, made by the user (a leaf): the CPU is the only
    ``device``, and only floating tensors may require grad (torch's errors otherwise)."""
    cpu_device(device)
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError(_FLOAT_ONLY)
    return Tensor(array, requires_grad=requires_grad)


def size_argument(name: str, sizes: tuple[Any, ...]) -> tuple[int, ...]:
    """A factory's size, given as ints (``zeros(2, 3)``) or as one sequence (``zeros((2, 3))``,
    a list or a ``Size``), checked with torch's errors, which name the factory."""
    if not sizes:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if _is_int(sizes[0]):
        items = sizes
    elif len(sizes) > 1:
        raise TypeError(f"{name}() takes 1 positional argument but {len(sizes)} were given")
    elif isinstance(sizes[0], (tuple, list)):
        items = tuple(sizes[0])
    else:
        raise TypeError(
            f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
            f"{type(sizes[0]).__name__}"
        )
    for i, n in enumerate(items):
        if _is_int(n):
            continue
        if i == 0:
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element "
                f"of type {type(n).__name__} at pos 0"
            )
        raise TypeError(
            f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
            f'"type must be tuple of ints,but got {type(n).__name__}"'
        )
    shape = tuple(int(n) for n in items)
    for n in shape:
        if n < 0 and name == "zeros":  # torch 2.13's zeros words it on its own
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape


def _is_int(value: Any) -> bool:
    """An int, a NumPy integer or a one-element integer tensor; not a bool (torch's rule)."""
    if isinstance(value, Tensor):
        return value.array.size == 1 and value.array.dtype.kind in "iu"
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


# The core's ``__init__``, given data already converted (imported before this replaces it).
_CORE_INIT = Tensor.__init__


class TensorCreation:
    """``Tensor(data, requires_grad=False, dtype=None)`` with torch's conversion rules; the
    legacy ``Tensor(2, 3)`` (a float tensor of that size); and ``new_zeros``, ``new_ones``,
    ``new_full``, ``new_empty``, ``new_tensor``: new leaves with this tensor's dtype unless
    ``dtype`` is given."""

    def __init__(self, *data: Any, requires_grad: bool = False, dtype: DTypeLike = None) -> None:
        if len(data) == 2 and isinstance(data[1], bool):  # the core's Tensor(data, requires_grad)
            data, requires_grad = data[:1], data[1]
        if len(data) != 1 or (
            isinstance(data[0], (Size, int, np.integer))
            and not isinstance(data[0], (bool, np.bool_))
        ):  # sizes, as torch's legacy constructor: Tensor(2, 3), Tensor(3)
            shape = size_argument("new", data) if data else (0,)
            array = np.zeros(shape, get_default_dtype() if dtype is None else np.dtype(dtype))
        else:
            (value,) = data
            if dtype is None and isinstance(value, (list, tuple)):
                dtype = get_default_dtype()  # torch.Tensor([1, 2]) is float, as torch's class
            array = _to_array(value, dtype)
        if requires_grad and array.dtype.kind != "f":  # torch.tensor's words, not requires_grad_'s
            raise RuntimeError(_FLOAT_ONLY)
        _CORE_INIT(self, array, requires_grad)

    def new_zeros(
        self, *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Zeros of ``size``, in this tensor's dtype unless ``dtype`` is given."""
        shape = size_argument("new_zeros", size)
        return new_leaf(np.zeros(shape, _own_or(self, dtype)), requires_grad, device)

    def new_ones(
        self, *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Ones of ``size``, in this tensor's dtype unless ``dtype`` is given."""
        shape = size_argument("new_ones", size)
        return new_leaf(np.ones(shape, _own_or(self, dtype)), requires_grad, device)

    def new_empty(
        self, *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """A tensor of ``size`` whose values are whatever the memory held (write before
        reading), in this tensor's dtype unless ``dtype`` is given."""
        shape = size_argument("new_empty", size)
        return new_leaf(np.empty(shape, _own_or(self, dtype)), requires_grad, device)

    def new_full(
        self,
        size: Any,
        fill_value: Any,
        *,
        dtype: DTypeLike = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """``fill_value`` in the shape ``size`` (a tuple), in this tensor's dtype unless
        ``dtype`` is given."""
        if not isinstance(size, (tuple, list)):  # torch takes no bare int here
            raise TypeError(
                "new_full(): argument 'size' (position 1) must be tuple of ints, not "
                f"{type(size).__name__}"
            )
        shape = size_argument("new_full", (size,))
        kind = _own_or(self, dtype)
        value = fill_value.item() if isinstance(fill_value, (Tensor, np.generic)) else fill_value
        check_fits(value, kind)
        return new_leaf(np.full(shape, value, dtype=kind), requires_grad, device)

    def new_tensor(
        self, data: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """``tensor(data)`` in this tensor's dtype unless ``dtype`` is given (Python ints
        included: ``float_tensor.new_tensor([1, 2])`` is float)."""
        if isinstance(data, Tensor):
            warnings.warn(_COPY_CONSTRUCT, UserWarning, stacklevel=2)
        array = _to_array(data, _own_or(self, dtype))
        if array is data or (isinstance(data, Tensor) and array is data.array):
            array = array.copy()
        return new_leaf(array, requires_grad, device)


def _own_or(t: Tensor, dtype: DTypeLike) -> np.dtype:
    """``dtype``, or ``t``'s when it is None."""
    return t.array.dtype if dtype is None else np.dtype(dtype)
