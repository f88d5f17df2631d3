"""Tensor's shape methods and indexing, with torch's checks: reshape and view, flatten and
unflatten, squeeze, expand, permute, flip, repeat, split and chunk, narrow, ``x[key]``; and the
same as top-level functions (``flip(x, (0,))``). (Selection by an index tensor — gather,
scatter, index_select, masked_fill …: ``selection.py``.)

The views among them (reshape, view, transpose, permute, expand, narrow, split, basic indexing)
note their base for the in-place rules; the others make new tensors, as in torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from ..ops.shapes import Flip, Repeat
from .checks import (
    _check_dim,
    _check_dims,
    _check_index_key,
    _index_message,
    _integers_first,
    _raw_index,
    check_expandable,
)
from .dtypes import torch_dtype_name
from .nodes import name_node
from .views import _view, expanded, permuted, reshaped

_VIEW_STRIDES = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead."
)


def _sizes(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Sizes or dims given as ints (``x.reshape(2, 3)``) or as one sequence (``((2, 3))``)."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def _swapped(n: int, dim0: int, dim1: int) -> tuple[int, ...]:
    """The axes of an ``n``-d tensor with ``dim0`` and ``dim1`` swapped."""
    dims = list(range(n))
    dims[dim0], dims[dim1] = dim1, dim0
    return tuple(dims)


class TensorShapes:
    """The shape methods of ``Tensor``."""

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in ``shape`` (one size may be -1: inferred); a view when the
        elements' layout allows, else a copy."""
        new_shape = _new_shape(self, _sizes(shape), "reshape")
        out = core_ops.Reshape.apply(self, shape=new_shape)
        return _view(out, self, reshaped(self.array.shape, new_shape))

    def view(self, *shape: Any) -> Tensor:
        """``reshape`` that is always a view: refused, in torch's words, where the new shape
        would need a copy (``x.t().view(-1)``: a dimension would span two separate runs of
        memory). ``.reshape`` or ``.contiguous().view`` then."""
        new_shape = _new_shape(self, _sizes(shape), "view")
        if not _viewable(self.array, new_shape):
            raise RuntimeError(_VIEW_STRIDES)
        return self.reshape(new_shape)

    def view_as(self, other: Tensor) -> Tensor:
        """``view(other.shape)``."""
        return self.view(other.array.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """``reshape(other.shape)``."""
        return self.reshape(other.array.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` (both included) merged into one, as torch."""
        n = self.array.ndim
        start, end = _check_dim(start_dim, n), _check_dim(end_dim, n)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.array.shape
        merged = math.prod(shape[start : end + 1])  # not -1: ambiguous when a size is 0
        return self.reshape(*shape[:start], merged, *shape[end + 1 :]) if n else self.reshape(1)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Dimension ``dim`` split into ``sizes`` (one may be -1), as torch."""
        d = _check_dim(dim, self.array.ndim)
        sizes = tuple(sizes)
        if not sizes:
            raise RuntimeError("unflatten: sizes must be non-empty")
        shape = self.array.shape
        size = shape[d] if shape else 1
        known = math.prod(n for n in sizes if n != -1)
        if known != size and (-1 not in sizes or known == 0 or size % known):
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                f"{d} ({size}) in the input tensor"
            )
        return self.reshape(*shape[:d], *sizes, *shape[d + 1 :])

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        n = self.array.ndim
        dim0 = _check_dim(dim0, n, "transpose(): argument 'dim0' (position 1)")
        dim1 = _check_dim(dim1, n, "transpose(): argument 'dim1' (position 2)")
        if n == 0:
            return self  # a 0-d tensor has nothing to swap (torch allows dims 0 and -1)
        out = _basic.Transpose.apply(self, dim0=dim0, dim1=dim1)
        return _view(out, self, permuted(_swapped(n, dim0, dim1)))

    @property
    def T(self) -> Tensor:
        """The axes reversed (a matrix transposed)."""
        return self.permute(*reversed(range(self.array.ndim))) if self.array.ndim else self

    def permute(self, *dims: Any) -> Tensor:
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        dims = _sizes(dims)
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
        return _view(_basic.Permute.apply(self, dims=dims), self, permuted(dims))

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """The dimensions ``source`` moved to the places ``destination``; the others keep their
        order in the places left (a ``permute``)."""
        given = [
            (d,) if isinstance(d, (int, np.integer)) else tuple(d) for d in (source, destination)
        ]
        if len(given[0]) != len(given[1]):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({list(given[0])} dims) "
                f"should contain the same number of dims as destination ({list(given[1])} dims)"
            )
        n = self.array.ndim
        src, dst = ([_check_dim(d, n) for d in dims] for dims in given)
        for name, dims, raw in (("source", src, given[0]), ("destination", dst, given[1])):
            if len(set(dims)) != len(dims):
                raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(raw)})")
        order: list[int | None] = [None] * n
        for s, d in zip(src, dst):
            order[d] = s
        rest = iter(d for d in range(n) if d not in src)
        return self.permute([next(rest) if o is None else o for o in order])

    moveaxis = movedim

    def unsqueeze(self, dim: int) -> Tensor:
        dim = _check_dim(dim, self.array.ndim + 1)
        shape = self.array.shape[:dim] + (1,) + self.array.shape[dim:]
        out = name_node(core_ops.Reshape.apply(self, shape=shape), "UnsqueezeBackward0")
        return _view(out, self, reshaped(self.array.shape, shape))

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove axes of length 1 (all of them, or those among ``dim`` — an int or a tuple)."""
        if dim is None:
            shape = tuple(n for n in self.array.shape if n != 1)
        else:
            dims = _check_dims(dim, self.array.ndim) or ()
            shape = tuple(n for i, n in enumerate(self.array.shape) if not (i in dims and n == 1))
        overload = 0 if dim is None else 1 if isinstance(dim, (int, np.integer)) else 2
        out = name_node(core_ops.Reshape.apply(self, shape=shape), f"SqueezeBackward{overload}")
        return _view(out, self, reshaped(self.array.shape, shape))

    def expand(self, *shape: Any) -> Tensor:
        """Broadcast to ``shape`` without copying (the gradient is summed back)."""
        shape = _sizes(shape)
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
        return _view(out, self, reshaped(self.array.shape, shape) if whole else expanded(shape))

    def expand_as(self, other: Tensor) -> Tensor:
        """``expand(other.shape)``."""
        return self.expand(other.array.shape)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum down to ``size``: the gradient of NumPy broadcasting from ``size`` to this shape.

        An input broadcast along an axis was used once per position on that axis, so its
        gradient is the sum over that axis: the core's ``SumTo``, which the engine's conform
        step uses too.
        """
        shape = _sizes(size)
        check_expandable(shape, self.array.shape)
        return core_ops.sum_to(self, shape)

    def repeat(self, *repeats: Any) -> Tensor:
        """A copy tiled ``repeats[i]`` times along each dimension i; more repeats than
        dimensions add leading ones (``x.repeat(2, 1, 1)`` of a matrix stacks two copies)."""
        if not repeats:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        repeats = _int_sizes(_sizes(repeats), "repeat", "repeats")
        n = self.array.ndim
        if len(repeats) < n:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
            )
        shape = [r * s for r, s in zip(repeats, (1,) * (len(repeats) - n) + self.array.shape)]
        for size in shape:
            if size < 0:
                raise RuntimeError(
                    f"Trying to create tensor with negative dimension {size}: {shape}"
                )
        return Repeat.apply(self, repeats=repeats)

    def flip(self, *dims: Any) -> Tensor:
        """A copy with the order of the elements reversed along each of ``dims``."""
        if not dims:
            raise TypeError('flip() missing 1 required positional arguments: "dims"')
        checked = _check_dims(_sizes(dims), self.array.ndim)
        if not checked:  # no dims, or a 0-d tensor: nothing to reverse
            return _basic.Clone.apply(self)
        return Flip.apply(self, dims=checked)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        """The ``length`` elements from ``start`` along ``dim``: a view, as torch's."""
        if self.array.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        d = _check_dim(dim, self.array.ndim)
        size = self.array.shape[d]
        start = int(start)
        if not -size <= start <= size:
            raise IndexError(
                f"start out of range (expected to be in range of [{-size}, {size}], but got "
                f"{start})"
            )
        start %= max(size, 1)
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if start + length > size:
            raise RuntimeError(
                f"start ({start}) + length ({length}) exceeds dimension size ({size})."
            )
        return self[(slice(None),) * d + (slice(start, start + length),)]

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim``, that dimension removed (``x[:, i]``): a view."""
        d = _check_dim(dim, self.array.ndim)
        return self[(slice(None),) * d + (index,)]

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """Every slice along ``dim``, that dimension removed."""
        d = _check_dim(dim, self.array.ndim)
        parts = (self.select(d, i) for i in range(self.array.shape[d]))
        return tuple(name_node(part, "UnbindBackward0") for part in parts)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Views of consecutive pieces along ``dim``: of ``split_size`` each (the last may be
        smaller), or of the sizes in a list (which must add up to the dimension)."""
        if self.array.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        d = _check_dim(dim, self.array.ndim)
        size = self.array.shape[d]
        pieces = split_size_or_sections
        if isinstance(pieces, (int, np.integer)) and not isinstance(pieces, bool):
            if pieces < 0:
                raise RuntimeError(
                    f"split expects split_size be non-negative, but got split_size={pieces}"
                )
            if pieces == 0 and size != 0:
                raise RuntimeError(
                    "split_size can only be 0 if dimension size is 0, but got dimension size of "
                    f"{size}"
                )
            whole, rest = divmod(size, pieces) if pieces else (0, 0)
            sizes = [int(pieces)] * whole + ([rest] if rest else []) or [0]
        else:
            if not isinstance(pieces, (tuple, list)):
                raise TypeError(
                    "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of "
                    f"ints, not {type(pieces).__name__}"
                )
            sizes = list(_int_sizes(tuple(pieces), "split_with_sizes", "split_sizes"))
            if any(n < 0 for n in sizes):
                raise RuntimeError(
                    "split_with_sizes expects split_sizes have only non-negative entries, but "
                    f"got split_sizes={sizes}"
                )
            if sum(sizes) != size:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                    f"tensor's size at dimension {d}), but got split_sizes={sizes}"
                )
        starts = np.cumsum([0, *sizes[:-1]])
        node = (
            "SplitBackward0" if isinstance(pieces, (int, np.integer)) else "SplitWithSizesBackward0"
        )
        return tuple(name_node(self.narrow(d, int(s), n), node) for s, n in zip(starts, sizes))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` views of equal size along ``dim`` (the last may be smaller)."""
        if self.array.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)):
            raise TypeError(
                f"chunk(): argument 'chunks' (position 1) must be int, not {type(chunks).__name__}"
            )
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        d = _check_dim(dim, self.array.ndim)
        size = self.array.shape[d]
        if size == 0:
            return self.split([0] * int(chunks), d)
        return self.split(-(-size // int(chunks)), d)

    def __getitem__(self, index: Any) -> Tensor:
        index = _raw_index(index)
        split = _integers_first(index)
        if split is not None:  # torch's order: x[0, :, [0, 2]] is x[0][:, [0, 2]]
            return self[split[0]][split[1]]
        _check_index_key(index, self.array.shape)
        try:
            self.array[index]
        except IndexError as e:
            raise IndexError(_index_message(str(e), self.array.ndim)) from None
        return _view(_basic.Index.apply(self, index=index), self, index=index)


def _new_shape(t: Tensor, shape: tuple[Any, ...], name: str) -> tuple[int, ...]:
    """``shape`` for ``t.reshape`` or ``t.view``, with its -1 worked out; torch's errors."""
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                f"{name}(): argument 'shape' must be a tuple of ints, but found element of "
                f"type {type(n).__name__}"
            )
    for i, n in enumerate(shape):
        if n < -1:  # NumPy takes any negative size for -1; torch only -1
            raise RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(shape)}")
    if list(shape).count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    try:
        return np.empty(t.array.shape, dtype=np.bool_).reshape(shape).shape
    except (ValueError, TypeError) as e:
        raise RuntimeError(
            f"shape '{list(shape)}' is invalid for input of size {t.array.size}"
        ) from e


def _viewable(array: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Can ``array`` take ``shape`` without a copy? torch's rule (``computeStride``): the old
    dimensions fall into chunks, each a run of memory with even spacing (a dimension's stride is
    the next one's stride times its size); the new dimensions must split each chunk exactly,
    never spanning two."""
    old = array.shape
    if not old or array.size == 0:
        return True
    strides = [s // array.itemsize for s in array.strides]
    new_d = len(shape) - 1
    base, chunk, covered = strides[-1], 1, 1  # the chunk's spacing, its size, new dims' size
    for d in range(len(old) - 1, -1, -1):
        chunk *= old[d]
        if d == 0 or (old[d - 1] != 1 and strides[d - 1] != chunk * base):  # a chunk ends
            while new_d >= 0 and (covered < chunk or shape[new_d] == 1):
                covered *= shape[new_d]
                new_d -= 1
            if covered != chunk:
                return False
            if d > 0:
                base, chunk, covered = strides[d - 1], 1, 1
    return new_d == -1


def _int_sizes(sizes: tuple[Any, ...], name: str, argument: str) -> tuple[int, ...]:
    """``sizes`` as ints; torch's TypeError naming the first that is not one."""
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                f"{name}(): argument '{argument}' failed to unpack the object at pos {i + 1} "
                f'with error "type must be tuple of ints,but got {type(n).__name__}"'
            )
    return tuple(int(n) for n in sizes)
