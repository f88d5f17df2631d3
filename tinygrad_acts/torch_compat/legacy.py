"""torch's legacy tensor types and ``Variable``: ``torch.FloatTensor([1, 2])``,
``torch.LongTensor(3)``, ``isinstance(x, torch.FloatTensor)``, ``Variable(x, requires_grad=True)``.

They are not classes of tensors: a tensor is always a ``Tensor``. ``FloatTensor`` is a name for
"a Tensor of dtype float32": calling it makes one, and ``isinstance`` asks for the dtype. Python
lets a class answer those two questions only through its metaclass (``__call__`` and
``__instancecheck__``), which is what torch does too.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .creation import _FLOAT_ONLY, _to_array, new_leaf, size_argument
from .device import cpu_device
from .dtypes import c10_dtype_name, torch_dtype
from .size import Size


class TensorType(type):
    """The type of ``FloatTensor`` and its kin: each stands for one ``dtype``."""

    dtype: Any

    def __call__(cls, *data: Any, device: Any = None) -> Tensor:  # type: ignore[override]
        """A new tensor of the type's dtype: of the sizes given (``LongTensor(2, 3)``, its values
        undefined — zeros here), of the data given (``LongTensor([1, 2])``), or empty."""
        cpu_device(device)
        dtype = np.dtype(cls.dtype)
        if not data:
            return new_leaf(np.zeros(0, dtype))
        first = data[0]
        if isinstance(first, (int, np.integer, Size)) and not isinstance(first, (bool, np.bool_)):
            shape = size_argument("new", data)
            return new_leaf(np.zeros(shape, dtype))
        if len(data) > 1:
            raise TypeError(f"new() takes 1 positional argument but {len(data)} were given")
        if isinstance(first, Tensor):
            if first.array.dtype != dtype:  # torch does not convert a tensor here
                raise TypeError(f"expected {_options(dtype)} (got {_options(first.array.dtype)})")
            return first
        if isinstance(first, (float, bool, np.floating, np.bool_)):
            raise TypeError(f"new(): data must be a sequence (got {type(first).__name__})")
        return new_leaf(_to_array(first, dtype).copy())

    def __instancecheck__(cls, instance: Any) -> bool:
        """``isinstance(x, FloatTensor)``: is x a Tensor of this dtype?"""
        return isinstance(instance, Tensor) and instance.array.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _options(dtype: np.dtype) -> str:
    """How torch's messages print a tensor's options (dtype, device, layout …)."""
    return (
        f"TensorOptions(dtype={c10_dtype_name(dtype)}, device=cpu, layout=Strided, "
        "requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt))"
    )


class FloatTensor(metaclass=TensorType):
    dtype = torch_dtype(np.float32)


class DoubleTensor(metaclass=TensorType):
    dtype = torch_dtype(np.float64)


class HalfTensor(metaclass=TensorType):
    dtype = torch_dtype(np.float16)


class LongTensor(metaclass=TensorType):
    dtype = torch_dtype(np.int64)


class IntTensor(metaclass=TensorType):
    dtype = torch_dtype(np.int32)


class ShortTensor(metaclass=TensorType):
    dtype = torch_dtype(np.int16)


class CharTensor(metaclass=TensorType):
    dtype = torch_dtype(np.int8)


class ByteTensor(metaclass=TensorType):
    dtype = torch_dtype(np.uint8)


class BoolTensor(metaclass=TensorType):
    dtype = torch_dtype(np.bool_)


TENSOR_TYPES = (
    FloatTensor,
    DoubleTensor,
    HalfTensor,
    LongTensor,
    IntTensor,
    ShortTensor,
    CharTensor,
    ByteTensor,
    BoolTensor,
)

_VOLATILE = "volatile was removed and now has no effect. Use `with torch.no_grad():` instead."


class VariableType(type):
    """The type of ``Variable``: every Tensor is a Variable, and calling it gives a tensor."""

    def __call__(  # type: ignore[override]
        cls, data: Any = None, requires_grad: bool = False, volatile: Any = None
    ) -> Tensor:
        """``data``'s values as a new leaf (sharing its memory and version), asking for
        gradients if ``requires_grad``: what ``Variable(x)`` meant before tensors had grads."""
        if volatile is not None:
            warnings.warn(_VOLATILE, UserWarning, stacklevel=2)
        if data is None:
            data = new_leaf(np.zeros(0, np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if requires_grad and data.array.dtype.kind != "f":
            raise RuntimeError(_FLOAT_ONLY)
        return data.detach().requires_grad_(bool(requires_grad))

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Tensor)

    def __repr__(cls) -> str:
        return "<class 'torch.autograd.variable.Variable'>"


class Variable(metaclass=VariableType):
    """torch's old wrapper of a tensor with a gradient; now ``Variable(x)`` is a tensor."""


__all__ = [
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
]
