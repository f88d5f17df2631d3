"""Comparisons as torch has them: ``== != < <= > >=`` and ``eq``, ``lt`` … (with torch's aliases
``greater``, ``less_equal`` …), ``isfinite``, ``isnan``, ``isinf``, ``isposinf``, ``isneginf``,
``isclose``, ``allclose``, ``equal``: Tensor methods and ``torch.eq(x, y)`` functions.

A comparison gives a bool tensor outside the graph (no gradient flows through a comparison),
and compares in torch's result dtype: ``float32_tensor == float64_0d_tensor`` casts the 0-d one
to float32 first, as torch does (NumPy would compare in float64).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .arithmetic import invalid_arguments
from .checks import _check_broadcast, tensor_argument, type_name
from .dtypes import _is_number, result_type, torch_dtype_name

# The two forms torch.eq(input, other) takes; the methods take the same without ``input``.
_FUNCTION_SIGNATURES = [
    "(Tensor input, Tensor other, *, Tensor out = None)",
    "(Tensor input, Number other, *, Tensor out = None)",
]
_METHOD_SIGNATURES = ["(Tensor other)", "(Number other)"]


class TensorComparisons:
    """The comparison methods of ``Tensor``."""

    # The operators: anything but a tensor, a number or a NumPy array is NotImplemented, so
    # Python answers as torch does (``t == None`` is False, ``t < None`` a TypeError).

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return _operator(np.equal, self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return _operator(np.not_equal, self, other)

    def __lt__(self, other: Any) -> Any:
        return _operator(np.less, self, other)

    def __le__(self, other: Any) -> Any:
        return _operator(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Any:
        return _operator(np.greater, self, other)

    def __ge__(self, other: Any) -> Any:
        return _operator(np.greater_equal, self, other)

    # The methods: a tensor or a number, else torch's TypeError.

    def eq(self, other: Any) -> Tensor:
        """self == other, elementwise: a bool tensor."""
        return compare(np.equal, self, _method_operand("eq", other))

    def ne(self, other: Any) -> Tensor:
        """self != other, elementwise."""
        return compare(np.not_equal, self, _method_operand("ne", other))

    def lt(self, other: Any) -> Tensor:
        """self < other, elementwise."""
        return compare(np.less, self, _method_operand("lt", other))

    def le(self, other: Any) -> Tensor:
        """self <= other, elementwise."""
        return compare(np.less_equal, self, _method_operand("le", other))

    def gt(self, other: Any) -> Tensor:
        """self > other, elementwise."""
        return compare(np.greater, self, _method_operand("gt", other))

    def ge(self, other: Any) -> Tensor:
        """self >= other, elementwise."""
        return compare(np.greater_equal, self, _method_operand("ge", other))

    not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge

    def isfinite(self) -> Tensor:
        """Neither infinite nor NaN (every integer and bool is finite)."""
        return _test(self, np.isfinite, integers=True)

    def isnan(self) -> Tensor:
        """NaN (never for integers and bools)."""
        return _test(self, np.isnan, integers=False)

    def isinf(self) -> Tensor:
        """+inf or -inf."""
        return _test(self, np.isinf, integers=False)

    def isposinf(self) -> Tensor:
        """+inf."""
        return _test(self, np.isposinf, integers=False)

    def isneginf(self) -> Tensor:
        """-inf."""
        return _test(self, np.isneginf, integers=False)

    def isclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|self - other| ≤ atol + rtol·|other|, elementwise, as torch (and NumPy) define it:
        not symmetric in self and other. Equal values are close (infinities of one sign too);
        NaN is close to NaN only with ``equal_nan``. Both tensors must have one dtype."""
        tensor_argument("isclose", other, "other", 1)
        return _isclose("isclose", self, other, rtol, atol, equal_nan)

    def allclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """Are all elements close (``isclose``)? A Python bool."""
        tensor_argument("allclose", other, "other", 1)
        return bool(_isclose("allclose", self, other, rtol, atol, equal_nan).array.all())

    def equal(self, other: Tensor) -> bool:
        """The same shape and the same values (compared in the result dtype; NaN is equal to
        nothing)? A Python bool."""
        tensor_argument("equal", other, "other", 1)
        return _equal(self, other)


def _operator(ufunc: np.ufunc, t: Tensor, other: Any) -> Any:
    if isinstance(other, np.ndarray):  # ``array < tensor`` arrives here as ``tensor > array``
        other = Tensor._make(other, None)
    elif not isinstance(other, Tensor) and not _is_number(other):
        return NotImplemented
    return compare(ufunc, t, other)


def compare(ufunc: np.ufunc, t: Tensor, other: Any) -> Tensor:
    """``ufunc(t, other)`` in torch's result dtype of the two: a bool tensor outside the graph;
    a tensor ``other`` must broadcast with ``t`` (torch's error)."""
    if isinstance(other, np.generic):
        other = other.item()  # a NumPy scalar is a Python number, as in the arithmetic
    target = result_type(t, other)
    a = t.array.astype(target, copy=False)
    if isinstance(other, Tensor):
        _check_broadcast(t.array.shape, other.array.shape)
        other = other.array.astype(target, copy=False)
    with np.errstate(all="ignore"):  # an integer beyond int64 compares without a warning
        return Tensor._make(np.asarray(ufunc(a, other)), None)


def _method_operand(name: str, other: Any) -> Any:
    if isinstance(other, Tensor) or _is_number(other):
        return other
    raise invalid_arguments(name, (other,), _METHOD_SIGNATURES, method=True)


def _test(t: Tensor, ufunc: np.ufunc, integers: bool) -> Tensor:
    """A test of each float's value; for integers and bools the answer ``integers`` for all."""
    if t.array.dtype.kind != "f":
        return Tensor._make(np.full(t.array.shape, integers), None)
    return Tensor._make(np.asarray(ufunc(t.array)), None)


def _isclose(name: str, a: Tensor, b: Tensor, rtol: Any, atol: Any, equal_nan: bool) -> Tensor:
    """torch's isclose: equal, or (NaN and NaN with ``equal_nan``), or |a - b| finite and within
    atol + |rtol·b| — computed in a's dtype (integers and bools in float32, torch's default)."""
    for tol, value in (("rtol", rtol), ("atol", atol)):
        if not _is_number(value):
            raise TypeError(f"{name}(): argument '{tol}' must be float, not {type_name(value)}")
        if value < 0:
            raise RuntimeError(f"{tol} must be greater than or equal to zero, but got {value:g}")
    if a.array.dtype != b.array.dtype:
        names = torch_dtype_name(a.array.dtype), torch_dtype_name(b.array.dtype)
        raise RuntimeError(f"{names[0]} did not match {names[1]}")
    _check_broadcast(a.array.shape, b.array.shape)
    x, y = a.array, b.array
    with np.errstate(all="ignore"):  # inf - inf is NaN: not close, silently
        close = x == y
        if equal_nan:
            close |= np.isnan(x) & np.isnan(y)
        if x.dtype.kind != "f":
            x, y = x.astype(np.float32), y.astype(np.float32)
        error = np.abs(x - y)
        close |= np.isfinite(error) & (error <= atol + np.abs(rtol * y))
    return Tensor._make(np.asarray(close), None)


def _equal(a: Tensor, b: Tensor) -> bool:
    return a.array.shape == b.array.shape and bool(compare(np.equal, a, b).array.all())


# -- torch.eq(x, y) …: the same, as functions ----------------------------------------------------


def _operands(name: str, input: Any, other: Any) -> tuple[Tensor, Any]:
    if isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other)):
        return input, other
    raise invalid_arguments(name, (input, other), _FUNCTION_SIGNATURES)


def eq(input: Tensor, other: Any) -> Tensor:
    """input == other, elementwise: a bool tensor (other: a tensor or a number)."""
    input, other = _operands("eq", input, other)
    return compare(np.equal, input, other)


def ne(input: Tensor, other: Any) -> Tensor:
    """input != other, elementwise."""
    input, other = _operands("ne", input, other)
    return compare(np.not_equal, input, other)


def lt(input: Tensor, other: Any) -> Tensor:
    """input < other, elementwise."""
    input, other = _operands("lt", input, other)
    return compare(np.less, input, other)


def le(input: Tensor, other: Any) -> Tensor:
    """input <= other, elementwise."""
    input, other = _operands("le", input, other)
    return compare(np.less_equal, input, other)


def gt(input: Tensor, other: Any) -> Tensor:
    """input > other, elementwise."""
    input, other = _operands("gt", input, other)
    return compare(np.greater, input, other)


def ge(input: Tensor, other: Any) -> Tensor:
    """input >= other, elementwise."""
    input, other = _operands("ge", input, other)
    return compare(np.greater_equal, input, other)


def not_equal(input: Tensor, other: Any) -> Tensor:
    """``ne``."""
    input, other = _operands("not_equal", input, other)
    return compare(np.not_equal, input, other)


def less(input: Tensor, other: Any) -> Tensor:
    """``lt``."""
    input, other = _operands("less", input, other)
    return compare(np.less, input, other)


def less_equal(input: Tensor, other: Any) -> Tensor:
    """``le``."""
    input, other = _operands("less_equal", input, other)
    return compare(np.less_equal, input, other)


def greater(input: Tensor, other: Any) -> Tensor:
    """``gt``."""
    input, other = _operands("greater", input, other)
    return compare(np.greater, input, other)


def greater_equal(input: Tensor, other: Any) -> Tensor:
    """``ge``."""
    input, other = _operands("greater_equal", input, other)
    return compare(np.greater_equal, input, other)


def isfinite(input: Tensor) -> Tensor:
    """Neither infinite nor NaN, elementwise."""
    return tensor_argument("isfinite", input).isfinite()


def isnan(input: Tensor) -> Tensor:
    """NaN, elementwise."""
    return tensor_argument("isnan", input).isnan()


def isinf(input: Tensor) -> Tensor:
    """±inf, elementwise."""
    return tensor_argument("isinf", input).isinf()


def isposinf(input: Tensor) -> Tensor:
    """+inf, elementwise."""
    return tensor_argument("isposinf", input).isposinf()


def isneginf(input: Tensor) -> Tensor:
    """-inf, elementwise."""
    return tensor_argument("isneginf", input).isneginf()


def isclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """|input - other| ≤ atol + rtol·|other|, elementwise (``Tensor.isclose``)."""
    tensor_argument("isclose", input)
    tensor_argument("isclose", other, "other", 2)
    return _isclose("isclose", input, other, rtol, atol, equal_nan)


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """Are all elements close (``isclose``)? A Python bool."""
    tensor_argument("allclose", input)
    tensor_argument("allclose", other, "other", 2)
    return bool(_isclose("allclose", input, other, rtol, atol, equal_nan).array.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """The same shape and the same values? A Python bool."""
    tensor_argument("equal", input)
    tensor_argument("equal", other, "other", 2)
    return _equal(input, other)


__all__ = [
    "allclose",
    "eq",
    "equal",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "le",
    "less",
    "less_equal",
    "lt",
    "ne",
    "not_equal",
]
