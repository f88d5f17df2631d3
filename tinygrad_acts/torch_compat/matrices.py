"""Functions of matrices and of lists of tensors: ``tril``, ``triu``, ``diag``, ``diagonal``,
``trace``, ``bmm``; ``hstack``, ``vstack``, ``column_stack``, ``concat``/``concatenate`` — as
Tensor methods where torch has them and as ``torch.tril(x)`` functions, with torch's dtypes and
errors.

Each is composed of existing ops, its final node given torch's name: ``tril``/``triu`` are
``Where`` with a triangular mask (∂/∂x keeps the gradient inside the triangle), ``diag`` and
``diagonal`` are ``Index`` / ``IndexPut`` at the diagonal's places, ``trace`` is the sum of the
diagonal, ``bmm`` is ``MatMul``, and the stacks are ``cat`` after giving every tensor enough
dimensions. ``diagonal`` is a copy here, where torch's is a view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops.basic import Index, IndexPut, MatMul, Where
from ..ops.shapes import Diagonal, diagonal_places
from .checks import _check_dim, tensor_argument, type_name
from .dtypes import torch_dtype_name
from .functions import cat
from .nodes import name_node
from .views import Maps, _view


def _diagonal_argument(name: str, diagonal: Any, position: int) -> int:
    if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
        where = f" (position {position})" if position else ""
        raise TypeError(
            f"{name}(): argument 'diagonal'{where} must be int, not {type_name(diagonal)}"
        )
    return int(diagonal)


def _triangle(t: Tensor, diagonal: Any, name: str, lower: bool) -> Tensor:
    """tril or triu: the entries on and below (above) the ``diagonal``-th diagonal of the last
    two dimensions kept, the others 0."""
    k = _diagonal_argument(name, diagonal, 0)
    if t.array.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    rows, cols = t.array.shape[-2:]
    keep = np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1, dtype=bool)
    zero = np.zeros((), t.array.dtype)
    return name_node(Where.apply(keep, t, zero), f"{name.capitalize()}Backward0")


class TensorMatrices:
    """The matrix methods of ``Tensor``."""

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle (on and below the ``diagonal``-th diagonal) of the last two
        dimensions; the rest 0."""
        return _triangle(self, diagonal, "tril", lower=True)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle (on and above the ``diagonal``-th diagonal); the rest 0."""
        return _triangle(self, diagonal, "triu", lower=False)

    def diag(self, diagonal: int = 0) -> Tensor:
        """Of a vector, the square matrix with it on the ``diagonal``-th diagonal; of a matrix,
        the vector of that diagonal."""
        k = _diagonal_argument("diag", diagonal, 1)
        if self.array.ndim == 1:
            n = self.array.shape[0] + abs(k)
            zeros = np.zeros((n, n), self.array.dtype)
            places = diagonal_places(n, n, k)
            return name_node(IndexPut.apply(zeros, self, index=places), "DiagEmbedBackward0")
        if self.array.ndim != 2:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.array.ndim}D")
        places = diagonal_places(*self.array.shape, k)
        return name_node(Index.apply(self, index=places), "DiagonalBackward0_copy")

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The ``offset``-th diagonal of the matrices in dimensions ``dim1`` and ``dim2``, as the
        last dimension of the result (the others keep their order)."""
        n = self.array.ndim
        d1, d2 = _check_dim(dim1, n), _check_dim(dim2, n)
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        rest = [d for d in range(n) if d not in (d1, d2)]
        moved = self.permute(*rest, d1, d2) if rest + [d1, d2] != list(range(n)) else self
        places = diagonal_places(self.array.shape[d1], self.array.shape[d2], offset)
        out = name_node(Diagonal.apply(moved, offset=offset), "DiagonalBackward0")
        # a view, as torch's: written back at its places, taken again by the same op
        again = Maps(lambda b: b.diagonal(offset, -2, -1), None)
        return _view(out, moved, again, index=(Ellipsis, *places))

    def trace(self) -> Tensor:
        """The sum of the main diagonal of a matrix; integers add up in int64."""
        if self.array.dtype == np.bool_:
            raise NotImplementedError("\"trace\" not implemented for 'Bool'")
        if self.array.ndim != 2:
            raise RuntimeError(
                f"trace: expected a matrix, but got tensor with dim {self.array.ndim}"
            )
        places = diagonal_places(*self.array.shape, 0)
        summed = core_ops.Sum.apply(Index.apply(self, index=places), dim=None, keepdim=False)
        return name_node(summed, "TraceBackward0")

    def bmm(self, mat2: Tensor) -> Tensor:
        """Batched matrix product: (b, n, m) @ (b, m, p) → (b, n, p), no broadcasting."""
        mat2 = tensor_argument("bmm", mat2, "mat2", 2)
        for which, t in (("batch1", self), ("batch2", mat2)):
            if t.array.ndim != 3:
                raise RuntimeError(f"{which} must be a 3D tensor")
        batch, _, inner = self.array.shape
        if mat2.array.shape[:2] != (batch, inner):
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, "
                f"{inner}] but got: [{mat2.array.shape[0]}, {mat2.array.shape[1]}]."
            )
        if self.array.dtype != mat2.array.dtype:
            raise RuntimeError(
                f"expected scalar type {torch_dtype_name(self.array.dtype)} but found "
                f"{torch_dtype_name(mat2.array.dtype)}"
            )
        return name_node(MatMul.apply(self, mat2), "BmmBackward0")


def _kind(value: Any) -> str:
    """A type as torch's argument errors name it (``Tensor``, ``int``)."""
    return "Tensor" if isinstance(value, Tensor) else type_name(value)


def _tensor_sequence(name: str, tensors: Any) -> list[Tensor]:
    """The stacks' argument: a non-empty tuple or list of Tensors, else torch's error."""
    if not isinstance(tensors, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{_kind(tensors)}"
        )
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type_name(t)}")
    return list(tensors)


def _at_least(t: Tensor, ndim: int) -> Tensor:
    """``t`` with leading dimensions of 1 up to ``ndim`` (torch's atleast_1d, atleast_2d)."""
    if t.array.ndim >= ndim:
        return t
    return core_ops.reshape(t, (1,) * (ndim - t.array.ndim) + t.array.shape)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join side by side: vectors end to end (dimension 0), anything larger along dimension 1."""
    parts = [_at_least(t, 1) for t in _tensor_sequence("hstack", tensors)]
    return cat(parts, 0 if parts[0].array.ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join one under the other along dimension 0, a vector as a row."""
    return cat([_at_least(t, 2) for t in _tensor_sequence("vstack", tensors)], 0)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join as columns: each number or vector becomes a column, matrices join along
    dimension 1."""
    parts = _tensor_sequence("column_stack", tensors)
    columns = [core_ops.reshape(t, (t.array.size, 1)) if t.array.ndim < 2 else t for t in parts]
    return cat(columns, 1)


def _joined(name: str, tensors: Any, dim: int | None, axis: int | None) -> Tensor:
    """concat and concatenate: ``cat``, with ``dim`` or NumPy's ``axis`` (0 by default)."""
    if axis is not None and dim is not None:
        raise TypeError(f"{name}() got an unexpected keyword argument 'axis'")
    if not isinstance(tensors, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{_kind(tensors)}"
        )
    return cat(tensors, dim if dim is not None else axis if axis is not None else 0)


def concat(tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """``cat`` (``dim`` or NumPy's ``axis``; 0 by default)."""
    return _joined("concat", tensors, dim, axis)


def concatenate(
    tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None
) -> Tensor:
    """``cat`` under NumPy's name (``dim`` or ``axis``; 0 by default)."""
    return _joined("concatenate", tensors, dim, axis)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """``input.tril(diagonal)``."""
    return tensor_argument("tril", input).tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """``input.triu(diagonal)``."""
    return tensor_argument("triu", input).triu(diagonal)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """``input.diag(diagonal)``: vector to matrix, or matrix to vector."""
    _diagonal_argument("diag", diagonal, 2)
    return tensor_argument("diag", input).diag(diagonal)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``input.diagonal(offset, dim1, dim2)``."""
    return tensor_argument("diagonal", input).diagonal(offset, dim1, dim2)


def trace(input: Tensor) -> Tensor:
    """``input.trace()``."""
    return tensor_argument("trace", input).trace()


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """``input.bmm(mat2)``."""
    return tensor_argument("bmm", input).bmm(mat2)


__all__ = [
    "bmm",
    "column_stack",
    "concat",
    "concatenate",
    "diag",
    "diagonal",
    "hstack",
    "trace",
    "tril",
    "triu",
    "vstack",
]
