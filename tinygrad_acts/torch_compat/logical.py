"""Masks combined as torch combines them: ``&``, ``|``, ``^``, ``~`` on bool and integer tensors
(``(x > 0) & (x < 5)``), and ``logical_and``/``or``/``xor``/``not`` on any dtype. The results
are outside the graph: there is no gradient through a mask."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .checks import _check_broadcast, tensor_argument
from .dtypes import result_type, torch_dtype_name

_BITWISE = {np.bitwise_and: "and", np.bitwise_or: "or", np.bitwise_xor: "xor"}


def _values(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


def _bitwise(ufunc: np.ufunc, a: Any, b: Any) -> Any:
    """a <op> b on bools and integers, in torch's result dtype; floats refused in its words."""
    if not isinstance(b, (Tensor, bool, int, np.bool_, np.integer)):
        return NotImplemented
    target = result_type(a, b)
    if target.kind not in "biu":
        kernel = f"bitwise_{_BITWISE[ufunc]}_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(target)}'")
    x, y = _values(a), _values(b)
    if isinstance(y, np.ndarray):
        _check_broadcast(x.shape, y.shape)
    return Tensor._make(np.asarray(ufunc(x, y, dtype=target)), None)


def _logical(ufunc: np.ufunc, a: Any, b: Any) -> Tensor:
    x, y = _values(a), _values(b)
    if isinstance(y, np.ndarray):
        _check_broadcast(np.shape(x), y.shape)
    return Tensor._make(np.asarray(ufunc(x, y)), None)


class TensorLogical:
    """The mask operators and methods of ``Tensor``."""

    def __and__(self, other: Any) -> Any:
        return _bitwise(np.bitwise_and, self, other)

    def __or__(self, other: Any) -> Any:
        return _bitwise(np.bitwise_or, self, other)

    def __xor__(self, other: Any) -> Any:
        return _bitwise(np.bitwise_xor, self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__  # the same both ways round

    def __invert__(self) -> Tensor:
        """``~mask``: not, of bools; the bitwise complement of integers (torch: ~x = -x - 1)."""
        if self.array.dtype.kind not in "biu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return Tensor._make(np.invert(self.array), None)

    bitwise_and, bitwise_or, bitwise_xor, bitwise_not = __and__, __or__, __xor__, __invert__

    def logical_and(self, other: Tensor) -> Tensor:
        """True where both are non-zero (any dtypes)."""
        return _logical(np.logical_and, self, tensor_argument("logical_and", other))

    def logical_or(self, other: Tensor) -> Tensor:
        return _logical(np.logical_or, self, tensor_argument("logical_or", other))

    def logical_xor(self, other: Tensor) -> Tensor:
        return _logical(np.logical_xor, self, tensor_argument("logical_xor", other))

    def logical_not(self) -> Tensor:
        return Tensor._make(np.logical_not(self.array), None)


def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """True where both are non-zero."""
    return tensor_argument("logical_and", input).logical_and(other)


def logical_or(input: Tensor, other: Tensor) -> Tensor:
    """True where either is non-zero."""
    return tensor_argument("logical_or", input).logical_or(other)


def logical_xor(input: Tensor, other: Tensor) -> Tensor:
    """True where exactly one is non-zero."""
    return tensor_argument("logical_xor", input).logical_xor(other)


def logical_not(input: Tensor) -> Tensor:
    """True where it is zero."""
    return tensor_argument("logical_not", input).logical_not()


def bitwise_and(input: Tensor, other: Any) -> Tensor:
    return tensor_argument("bitwise_and", input) & other


def bitwise_or(input: Tensor, other: Any) -> Tensor:
    return tensor_argument("bitwise_or", input) | other


def bitwise_xor(input: Tensor, other: Any) -> Tensor:
    return tensor_argument("bitwise_xor", input) ^ other


def bitwise_not(input: Tensor) -> Tensor:
    return ~tensor_argument("bitwise_not", input)


__all__ = [
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
]
