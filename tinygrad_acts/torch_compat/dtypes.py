"""torch's dtype rules: which dtype an op on given operands has, and torch's names of dtypes.

NumPy and torch agree on most promotions; where they differ (an integer tensor and a Python
float give float32 in torch, float64 in NumPy; a 0-d tensor counts for less than a tensor with
dimensions), the binary operators cast first, here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .checks import _check_broadcast

DTypeLike = Any


# -- torch's dtype objects: a NumPy dtype under torch's name --------------------------------------


class dtype:
    """torch's dtype (``torch.float32``): a NumPy dtype that prints with torch's name.

    It stands wherever NumPy takes a dtype (NumPy reads its ``dtype`` attribute), compares and
    hashes equal to its NumPy dtype (``x.dtype == np.float32``), and answers NumPy's questions
    (``.kind``, ``.itemsize``); ``Tensor.dtype`` and ``tga.float32`` … are these.
    """

    __slots__ = ("dtype",)

    def __init__(self, numpy_dtype: Any) -> None:
        self.dtype = np.dtype(numpy_dtype)  # NumPy's protocol: np.dtype(d) is this

    def __repr__(self) -> str:
        return f"torch.{self.dtype.name}"

    def __eq__(self, other: object) -> bool:
        if other is None:
            return False
        try:
            return self.dtype == np.dtype(other)  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self.dtype)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.dtype, name)  # kind, itemsize, name, char …

    def __reduce__(self) -> tuple[Any, ...]:
        return torch_dtype, (self.dtype,)

    @property
    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    @property
    def is_signed(self) -> bool:
        return self.dtype.kind in "fic"


_DTYPES: dict[np.dtype, dtype] = {}


def torch_dtype(numpy_dtype: Any) -> dtype:
    """The one ``dtype`` object of a NumPy dtype (``x.dtype is y.dtype`` when they agree)."""
    key = np.dtype(numpy_dtype)
    found = _DTYPES.get(key)
    if found is None:
        found = _DTYPES[key] = dtype(key)
    return found


# -- the default dtype: what Python floats and the float factories become -------------------------

_default_dtype = np.dtype(np.float32)  # torch's default


def get_default_dtype() -> np.dtype:
    """The dtype of ``tensor(1.5)``, ``zeros(2)``, ``rand(2)``, ``int_tensor / 2`` (float32
    unless ``set_default_dtype`` changed it), as ``torch.get_default_dtype``."""
    return torch_dtype(_default_dtype)


def set_default_dtype(d: DTypeLike) -> None:
    """Make ``d`` (a floating dtype) the default, as ``torch.set_default_dtype``: Python floats
    and the float factories follow it from then on; a NumPy array keeps its own dtype."""
    global _default_dtype
    message = "only floating-point types are supported as the default type"
    if not (
        isinstance(d, (np.dtype, dtype)) or (isinstance(d, type) and issubclass(d, np.generic))
    ):
        raise TypeError(f"invalid dtype object: {message}")  # Python's float too, as torch
    if np.dtype(d).kind != "f":
        raise TypeError(message)
    _default_dtype = np.dtype(d)


def is_dtype(value: Any) -> bool:
    """Is ``value`` a dtype (``tga.float64``, ``np.float32``, or Python's ``float``, ``int``,
    ``bool``, which torch also takes for float64, int64, bool)?"""
    if isinstance(value, (np.dtype, dtype)):
        return True
    return isinstance(value, type) and issubclass(value, (np.generic, float, int, bool))


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integer < floating


def _promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch.promote_types: within a category the wider type; across, the higher category's
    (int64 with float32 is float32, where NumPy would say float64)."""
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """torch's rule for operands of lower priority (0-d tensors below tensors with dimensions,
    Python numbers below both): they only matter when they are of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return _promote_types(higher, lower)
    return higher


def _scalar_dtype(value: Any) -> np.dtype:
    """The dtype a Python number stands for: torch's defaults (the default dtype, int64, bool)."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(value, (int, np.integer)):
        return np.dtype(np.int64)
    return get_default_dtype()


def result_type(*operands: Any) -> np.dtype:
    """The dtype of an elementwise op on ``operands``, by torch's rules (``torch.result_type``).

    Tensors with dimensions decide; a 0-d tensor or a Python number changes the result only
    when it is of a higher category (bool < int < float): ``float32 * 2.0`` is float32,
    ``int64 + 2.5`` is float32 (the default dtype), ``float32 * tensor(2., float64)`` float32.
    """
    dims = zeros = numbers_ = None
    for v in operands:
        if isinstance(v, Tensor):
            if v.array.ndim:
                dims = v.array.dtype if dims is None else _promote_types(dims, v.array.dtype)
            else:
                zeros = v.array.dtype if zeros is None else _promote_types(zeros, v.array.dtype)
        else:
            d = _scalar_dtype(v)
            numbers_ = d if numbers_ is None else _promote_types(numbers_, d)
    return _combine(dims, _combine(zeros, numbers_))  # type: ignore[return-value]


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)) and (
        not isinstance(value, np.ndarray)
    )


def _operands(tensor: Tensor, other: Any) -> tuple[Tensor, Any]:
    """The two operands of a binary op, cast to torch's result dtype.

    A Python number stays a number: NumPy's "weak scalar" rule then keeps the tensor's dtype,
    as torch does. Tensors of another dtype are cast (differentiably) to the result dtype.
    """
    if type(other) in (float, int) and tensor.array.dtype.kind == "f":
        return tensor, other  # the common case: a floating tensor keeps its dtype
    if _is_number(other):
        other = other.item() if isinstance(other, np.generic) else other
        target = result_type(tensor, other)
        return (tensor if target == tensor.array.dtype else tensor.to(target)), other
    if not isinstance(other, Tensor):
        other = Tensor(other)
    _check_broadcast(tensor.array.shape, other.array.shape)
    if tensor.array.dtype == other.array.dtype:
        return tensor, other
    target = result_type(tensor, other)
    return tensor.to(target), other.to(target)


def _float_division(a: Any, b: Any) -> tuple[Any, Any]:
    """True division of integers gives floats (of the default dtype), as in torch."""

    def is_integral(v: Any) -> bool:
        if isinstance(v, Tensor):
            return v.array.dtype.kind != "f"
        return not isinstance(v, float)

    if is_integral(a) and is_integral(b):
        return tuple(v.to(get_default_dtype()) if isinstance(v, Tensor) else v for v in (a, b))
    return a, b


def _floating(t: Tensor) -> Tensor:
    """Integer and bool tensors enter exp/log/sqrt in the default dtype (float32), as in torch."""
    return t if t.array.dtype.kind == "f" else t.to(get_default_dtype())


def _raw(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


def _is_boolean(value: Any) -> bool:
    """A bool, or a tensor, array or NumPy scalar of bools."""
    if type(value) is bool:
        return True
    return isinstance(value, (Tensor, np.ndarray, np.generic)) and _raw(value).dtype.kind == "b"


# torch's refusals of ``-`` on booleans (it means logical not or xor there, not arithmetic),
# also raised by the activations made of them (softmin, tanhshrink).
BOOL_NEGATION = (
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
    "a mask, use the `~` or `logical_not()` operator instead."
)


BOOL_SUBTRACTION = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
    "invert a mask, use the `~` or `logical_not()` operator instead."
)


def _no_boolean_subtraction(tensor: Tensor, other: Any) -> None:
    """torch refuses ``-`` on booleans."""
    if _is_boolean(tensor) and _is_boolean(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if _is_boolean(tensor) or _is_boolean(other):
        raise RuntimeError(BOOL_SUBTRACTION)


def _no_boolean_power(tensor: Tensor, other: Any) -> None:
    """torch has no power of two booleans (NumPy would give int8)."""
    if _is_boolean(tensor) and _is_boolean(other):
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")


# torch's names for dtypes, for messages in its words ("result type Float can't be cast ...").
_TORCH_NAMES = {
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "uint8": "Byte",
    "bool": "Bool",
}


def torch_dtype_name(dtype: Any) -> str:
    """torch's name of a dtype in its messages: ``Float`` for float32, ``Long`` for int64, ..."""
    name = np.dtype(dtype).name
    return _TORCH_NAMES.get(name, name)


def tensor_type_name(dtype: Any) -> str:
    """torch's name of a tensor's type, as ``Tensor.type()`` gives it: ``torch.FloatTensor``."""
    return f"torch.{torch_dtype_name(dtype)}Tensor"


def tensor_type(name: str) -> np.dtype:
    """The dtype a type name such as ``"torch.DoubleTensor"`` stands for (``Tensor.type``)."""
    for numpy_name in _TORCH_NAMES:
        if tensor_type_name(numpy_name) == name:
            return np.dtype(numpy_name)
    raise ValueError(f"invalid type: '{name}'")


# The C++ type names torch prints in some other messages ("double != float").
_C10_NAMES = {
    "float64": "double",
    "float32": "float",
    "float16": "c10::Half",
    "int64": "long int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
}


def c10_dtype_name(dtype: Any) -> str:
    """torch's C++ name of a dtype: ``double`` for float64, ``float`` for float32, ..."""
    name = np.dtype(dtype).name
    return _C10_NAMES.get(name, torch_dtype_name(dtype).lower())


def cast_refusal(result: Any, output: Any) -> RuntimeError:
    """torch's error for a result of dtype ``result`` that cannot go into one of ``output``."""
    return RuntimeError(
        f"result type {torch_dtype_name(result)} can't be cast to the desired output type "
        f"{torch_dtype_name(output)}"
    )


# The C types torch names when a number does not fit an integer dtype.
_C_INTEGER_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int"}


def check_fits(value: Any, dtype: Any) -> None:
    """torch's refusal of a float that an integer ``dtype`` cannot hold (it would wrap):
    outside [min, max] of the type, or not finite. Python ints wrap, as in torch."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu" or not isinstance(value, float):
        return
    info = np.iinfo(dtype)
    if not (info.min <= value <= info.max):  # also false for nan
        name = _C_INTEGER_NAMES.get(dtype.name, f"{dtype.name}_t")
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
