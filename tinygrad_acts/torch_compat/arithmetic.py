"""Tensor's arithmetic, comparisons and elementwise functions, with torch's dtype rules and
checks; each calls one op."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from .checks import _check_broadcast
from .dtypes import (
    BOOL_NEGATION,
    _float_division,
    _floating,
    _is_boolean,
    _is_number,
    _no_boolean_power,
    _no_boolean_subtraction,
    _operands,
    _raw,
    result_type,
)
from .functions import _check_matmul


class TensorArithmetic:
    """The arithmetic methods of ``Tensor``."""

    def __add__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return core_ops.add(a, b)

    def __radd__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return core_ops.add(a, b)

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
        b, a = _operands(self, other)
        return core_ops.mul(a, b)

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
        return Tensor(other).__matmul__(self)

    def __neg__(self) -> Tensor:
        if self.array.dtype == np.bool_:
            raise RuntimeError(BOOL_NEGATION)
        return core_ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    add, sub, mul, div, pow, matmul, neg = (
        __add__,
        __sub__,
        __mul__,
        __truediv__,
        __pow__,
        __matmul__,
        __neg__,
    )

    def __lt__(self, other: Any) -> Tensor:
        return _compare(operator.lt, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _compare(operator.le, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _compare(operator.gt, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _compare(operator.ge, self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(operator.eq, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(operator.ne, self, other)

    def exp(self) -> Tensor:
        return core_ops.exp(_floating(self))

    def log(self) -> Tensor:
        return core_ops.log(_floating(self))

    def sqrt(self) -> Tensor:
        return _basic.Sqrt.apply(_floating(self))

    def abs(self) -> Tensor:
        return _basic.Abs.apply(self)

    def sign(self) -> Tensor:
        return _basic.Sign.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Limit every value to ``[min, max]``; the gradient is 1 inside, bounds included.

        The bounds are numbers, or tensors (then broadcast with ``self``, and they get
        gradients too: ``ops.basic.ClampBetween``). Beside a number, a tensor bound must be a
        0-d tensor without grad (read as a number), as in torch.
        """
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for name, bound in (("min", min), ("max", max)):
            if bound is not None and not (_is_number(bound) or isinstance(bound, Tensor)):
                raise TypeError(
                    f"clamp(): argument '{name}' must be a number, not {type(bound).__name__}"
                )
        if not _is_number(min) and not _is_number(max):  # tensors (or None): torch's clamp.Tensor
            bounds = [b for b in (min, max) if b is not None]
            for b in bounds:
                _check_broadcast(self.array.shape, b.array.shape)
            target = result_type(self, *bounds)
            lo, hi = (
                None if b is None else b if b.dtype == target else b.to(target) for b in (min, max)
            )
            source = self if target == self.array.dtype else self.to(target)
            return _basic.ClampBetween.apply(source, lo, hi)
        for bound in (min, max):  # torch reads only a 0-d tensor without grad as a number
            if isinstance(bound, Tensor) and (bound.array.ndim or bound.requires_grad):
                kinds = ", ".join(type(b).__name__ for b in (min, max))
                raise TypeError(
                    f"clamp() received an invalid combination of arguments - got ({kinds}), but "
                    "expected one of: (Tensor min = None, Tensor max = None) or (Number min = "
                    "None, Number max = None)"
                )
        min = min.item() if isinstance(min, Tensor) else min
        max = max.item() if isinstance(max, Tensor) else max
        target = result_type(self, *(b for b in (min, max) if b is not None))
        source = self if target == self.array.dtype else self.to(target)
        return _basic.Clamp.apply(source, min=min, max=max)

    clip = clamp


def _compare(op: Callable[[Any, Any], Any], t: Tensor, other: Any) -> Tensor:
    """A comparison: a boolean tensor outside the graph; shapes must broadcast (torch's error)."""
    value = _raw(other)
    if isinstance(value, np.ndarray) and value.shape != t.array.shape:
        _check_broadcast(t.array.shape, value.shape)
    return Tensor._make(np.asarray(op(t.array, value)), None)
