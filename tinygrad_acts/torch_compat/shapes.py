"""Tensor's shape methods and indexing, with torch's checks; the views among them (reshape,
transpose, permute, expand, basic indexing) note their base for the in-place rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from .checks import (
    _check_dim,
    _check_dims,
    _index_message,
    _integers_first,
    _raw_index,
    check_expandable,
)
from .dtypes import torch_dtype_name
from .in_place import _reshaped_back, _view


class TensorShapes:
    """The shape methods of ``Tensor``."""

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        for n in shape:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(
                    f"reshape(): argument 'shape' must be a tuple of ints, but found element of "
                    f"type {type(n).__name__}"
                )
        for i, n in enumerate(shape):
            if n < -1:  # NumPy takes any negative size for -1; torch only -1
                raise RuntimeError(
                    f"invalid shape dimension {n} at index {i} of shape {list(shape)}"
                )
        if list(shape).count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        try:
            new_shape = np.empty(self.array.shape, dtype=np.bool_).reshape(shape).shape
        except (ValueError, TypeError) as e:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {self.array.size}"
            ) from e
        return _view(
            core_ops.Reshape.apply(self, shape=new_shape), self, _reshaped_back(self.array.shape)
        )

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` (both included) merged into one, as torch."""
        n = self.array.ndim
        start, end = _check_dim(start_dim, n), _check_dim(end_dim, n)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.array.shape
        merged = math.prod(shape[start : end + 1])  # not -1: ambiguous when a size is 0
        return self.reshape(*shape[:start], merged, *shape[end + 1 :]) if n else self.reshape(1)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        n = self.array.ndim
        dim0 = _check_dim(dim0, n, "transpose(): argument 'dim0' (position 1)")
        dim1 = _check_dim(dim1, n, "transpose(): argument 'dim1' (position 2)")
        if n == 0:
            return self  # a 0-d tensor has nothing to swap (torch allows dims 0 and -1)
        out = _basic.Transpose.apply(self, dim0=dim0, dim1=dim1)
        return _view(out, self, lambda r: r.transpose(dim0, dim1))

    @property
    def T(self) -> Tensor:
        """The axes reversed (a matrix transposed)."""
        return self.permute(*reversed(range(self.array.ndim))) if self.array.ndim else self

    def permute(self, *dims: Any) -> Tensor:
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        n = self.array.ndim
        if len(dims) != n:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match "
                f"the length of the desired ordering of dimensions i.e. input.dim() = {n} is not "
                f"equal to len(dims) = {len(dims)}"
            )
        dims = tuple(_check_dim(d, n) for d in dims)
        if len(set(dims)) != n:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        back = tuple(int(i) for i in np.argsort(dims))
        return _view(_basic.Permute.apply(self, dims=dims), self, lambda r: r.permute(back))

    def unsqueeze(self, dim: int) -> Tensor:
        dim = _check_dim(dim, self.array.ndim + 1)
        shape = self.array.shape[:dim] + (1,) + self.array.shape[dim:]
        return _view(
            core_ops.Reshape.apply(self, shape=shape), self, _reshaped_back(self.array.shape)
        )

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove axes of length 1 (all of them, or those among ``dim`` — an int or a tuple)."""
        if dim is None:
            shape = tuple(n for n in self.array.shape if n != 1)
        else:
            dims = _check_dims(dim, self.array.ndim) or ()
            shape = tuple(n for i, n in enumerate(self.array.shape) if not (i in dims and n == 1))
        return _view(
            core_ops.Reshape.apply(self, shape=shape), self, _reshaped_back(self.array.shape)
        )

    def expand(self, *shape: Any) -> Tensor:
        """Broadcast to ``shape`` without copying (the gradient is summed back)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        own = self.array.shape
        lead = len(shape) - len(own)
        if lead < 0:
            raise RuntimeError(
                f"expand(torch.{torch_dtype_name(self.array.dtype)}Tensor{{{list(own)}}}, "
                f"size={list(shape)}): the number of sizes provided ({len(shape)}) must be "
                f"greater or equal to the number of dimensions in the tensor ({len(own)})"
            )
        for i, n in enumerate(shape):  # torch's checks, in its words
            if i < lead and n == -1:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            if i >= lead and n not in (-1, own[i - lead]) and (own[i - lead] != 1 or n < 0):
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) must match the existing size "
                    f"({own[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                    f"{list(shape)}.  Tensor sizes: {list(own)}"
                )
        shape = tuple(own[i - lead] if n == -1 else n for i, n in enumerate(shape))
        out = core_ops.Expand.apply(self, shape=shape)
        # an expand that repeats nothing (new axes of 1) is a view of all of self
        whole = math.prod(shape) == self.array.size
        return _view(out, self, _reshaped_back(self.array.shape) if whole else None)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum down to ``size``: the gradient of NumPy broadcasting from ``size`` to this shape.

        An input broadcast along an axis was used once per position on that axis, so its
        gradient is the sum over that axis: the core's ``SumTo``, which the engine's conform
        step uses too.
        """
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        check_expandable(shape, self.array.shape)
        return core_ops.sum_to(self, shape)

    def __getitem__(self, index: Any) -> Tensor:
        index = _raw_index(index)
        split = _integers_first(index)
        if split is not None:  # torch's order: x[0, :, [0, 2]] is x[0][:, [0, 2]]
            return self[split[0]][split[1]]
        try:
            self.array[index]
        except IndexError as e:
            raise IndexError(_index_message(str(e), self.array.ndim)) from None
        return _view(_basic.Index.apply(self, index=index), self, None)
