"""Tensor's arithmetic operators (``+ - * / ** @ // %``) with torch's dtype rules and checks;
each calls one op. Also what the elementwise modules beside it share: torch's messages for
arguments of the wrong type, and writing a result in place."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from ..ops.rounding import Remainder
from .checks import type_name
from .dtypes import (
    BOOL_NEGATION,
    _float_division,
    _is_boolean,
    _is_number,
    _no_boolean_power,
    _no_boolean_subtraction,
    _operands,
    result_type,
    torch_dtype_name,
)
from .functions import _check_matmul
from .in_place import assign_in_place


class TensorArithmetic:
    """The arithmetic methods of ``Tensor``."""

    def __add__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return core_ops.add(a, b)

    def __radd__(self, other: Any) -> Tensor:
        return self.__add__(other)  # recorded as self + other: torch's order of next_functions

    def __sub__(self, other: Any) -> Tensor:
        _no_boolean_subtraction(self, other)
        a, b = _operands(self, other)
        return core_ops.sub(a, b)

    def __rsub__(self, other: Any) -> Tensor:
        _no_boolean_subtraction(self, other)
        b, a = _operands(self, other)
        return core_ops.sub(a, b)

    def __mul__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return core_ops.mul(a, b)

    def __rmul__(self, other: Any) -> Tensor:
        return self.__mul__(other)  # recorded as self * other: torch's order of next_functions

    def __truediv__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return core_ops.div(*_float_division(a, b))

    def __rtruediv__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return core_ops.div(*_float_division(a, b))

    def __pow__(self, other: Any) -> Tensor:
        if _is_boolean(self) and type(other) is bool:  # x¹ = x, x⁰ = 1: booleans
            return Tensor._make(self.array.copy() if other else np.ones_like(self.array), None)
        _no_boolean_power(self, other)
        a, b = _operands(self, other)
        return _basic.Pow.apply(a, b)

    def __rpow__(self, other: Any) -> Tensor:
        _no_boolean_power(self, other)
        b, a = _operands(self, other)
        return _basic.Pow.apply(a, b)

    def __matmul__(self, other: Any) -> Tensor:
        if _is_number(other):
            return NotImplemented  # Python's TypeError, as torch: no product with a number
        if not isinstance(other, Tensor):
            other = Tensor(other)
        _check_matmul(self.array, other.array)
        try:
            np.broadcast_shapes(self.array.shape[:-2], other.array.shape[:-2])
        except ValueError:
            raise RuntimeError(
                f"matmul: batch dimensions {self.array.shape[:-2]} and {other.array.shape[:-2]} "
                "do not broadcast"
            ) from None
        return _basic.MatMul.apply(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        if _is_number(other):
            return NotImplemented
        return Tensor(other).__matmul__(self)

    def __neg__(self) -> Tensor:
        if self.array.dtype == np.bool_:
            raise RuntimeError(BOOL_NEGATION)
        return core_ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    mul, pow, matmul, neg = __mul__, __pow__, __matmul__, __neg__
    multiply, true_divide = __mul__, __truediv__

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self + alpha * other``, as torch's ``add``."""
        return self + _scaled("add", self, other, alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self - alpha * other``, as torch's ``sub``."""
        return self - _scaled("sub", self, other, alpha)

    subtract = sub

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other``; ``rounding_mode`` "trunc" or "floor" rounds the quotient (outside
        the graph, as torch's rounded division has no gradient)."""
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return self // other
        if rounding_mode == "trunc":
            quotient = self / other
            kind = result_type(self, other)
            values = np.trunc(quotient.array)
            return Tensor._make(values.astype(kind) if kind.kind in "iu" else values, None)
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )

    divide = div

    def __floordiv__(self, other: Any) -> Tensor:
        """``self // other``: torch's floor_divide, ⌊self/other⌋ in the result dtype (integers
        stay integers). Not differentiable, as in torch: the result is outside the graph."""
        a, b = _operands(self, other)
        return _floor_divide(a, b)

    def __rfloordiv__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return _floor_divide(a, b)

    def __mod__(self, other: Any) -> Tensor:
        """``self % other``: torch's remainder, of ``other``'s sign (Python's %).

        Differentiable: ∂/∂self = 1, ∂/∂other = -⌊self/other⌋ (``ops.rounding.Remainder``).
        """
        a, b = _operands(self, other)
        return _remainder(a, b)

    def __rmod__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return _remainder(a, b)

    floor_divide, remainder, negative = __floordiv__, __mod__, __neg__

    def floor_divide_(self, other: Any) -> Tensor:
        return assign_in_place(self, self // other)

    def remainder_(self, other: Any) -> Tensor:
        return assign_in_place(self, self % other)

    __ifloordiv__, __imod__ = floor_divide_, remainder_


def _floor_divide(a: Any, b: Any) -> Tensor:
    """⌊a/b⌋ as torch's floor_divide (NumPy's floor_divide is the same formula), for a and b
    already in the result dtype."""
    _integer_division_checks("div_floor_cpu", a, b)
    with np.errstate(all="ignore"):  # x // 0.0 is ±inf or NaN, silently, as in torch
        values = np.floor_divide(_values(a), _values(b))
    return Tensor._make(np.asarray(values), None)


def _remainder(a: Any, b: Any) -> Tensor:
    """a mod b, for a and b already in the result dtype."""
    _integer_division_checks("remainder_cpu", a, b)
    return Remainder.apply(a, b)


def _integer_division_checks(kernel: str, a: Any, b: Any) -> None:
    """torch has no floor division or remainder of booleans, and refuses integer division by
    zero (NumPy would give 0, with a warning)."""
    dtype = next(v.array.dtype for v in (a, b) if isinstance(v, Tensor))
    if dtype == np.bool_:
        raise dtype_refusal(kernel, dtype)
    if dtype.kind in "iu" and np.any(_values(b) == 0):
        raise RuntimeError("ZeroDivisionError")


def _values(v: Any) -> Any:
    return v.array if isinstance(v, Tensor) else v


# -- shared by the elementwise modules -----------------------------------------------------------


def invalid_arguments(
    function: str, args: tuple[Any, ...], signatures: list[str], method: bool = False
) -> TypeError:
    """torch's TypeError for arguments that fit none of a function's signatures, e.g.

    eq() received an invalid combination of arguments - got (float, Tensor), but expected one of:
     * (Tensor input, Tensor other, *, Tensor out = None)
     * (Tensor input, Number other, *, Tensor out = None)

    ``signatures`` as torch prints them, "(Tensor input, Number other, *, Tensor out = None)".
    A method's message (``method``) adds under each signature the arguments it did not take,
    marked !so!: "didn't match because some of the arguments have invalid types: (Tensor, !str!)".
    """
    got = ", ".join(_name(a) for a in args)
    lines = [f"{function}() received an invalid combination of arguments - got ({got}), but "
             "expected one of:"]  # fmt: skip
    for signature in signatures:
        lines.append(f" * {signature}")
        if method:
            kinds = [p.split()[0] for p in signature.strip("()").split(", ")]
            marked = ", ".join(
                _described(a) if _fits(a, kind) else f"!{_described(a)}!"
                for a, kind in zip(args, kinds)
            )
            lines.append(
                f"      didn't match because some of the arguments have invalid types: ({marked})"
            )
    return TypeError("\n".join(lines) + "\n")


def _fits(value: Any, kind: str) -> bool:
    return isinstance(value, Tensor) if kind == "Tensor" else _is_number(value)


def _described(value: Any) -> str:
    """A value's type as torch describes an argument: "list of [int, float]", "str"."""
    if isinstance(value, list):  # one level deep: [1, [2]] is "list of [int, list]"
        return f"list of [{', '.join(_name(v) for v in value)}]"
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(_name(v) for v in value)})"
    return _name(value)


def _name(value: Any) -> str:
    return "Tensor" if isinstance(value, Tensor) else type_name(value)


def dtype_refusal(kernel: str, dtype: np.dtype) -> NotImplementedError:
    """torch's error for a dtype a kernel has no loop for: '"floor_vml_cpu" not implemented
    for 'Bool''."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")


def _scaled(name: str, t: Tensor, other: Any, alpha: Any) -> Any:
    """``alpha * other`` for add/sub, with torch's refusal of a float alpha for integers."""
    if type(alpha) is int and alpha == 1:
        return other
    if result_type(t, other).kind in "biu" and not isinstance(alpha, (int, np.integer)):
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )
    return other * alpha
