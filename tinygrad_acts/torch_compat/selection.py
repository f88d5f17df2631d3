"""Tensor's selection by index, with torch's checks: ``index_select``, ``repeat_interleave``,
``index_add``, ``gather``, ``scatter`` and ``scatter_add``, ``masked_fill`` (and their in-place
forms). Each makes a new tensor, as in torch; the ops are in ``ops/shapes.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops import basic as _basic
from ..ops.shapes import Gather, Scatter, ScatterAdd
from .arithmetic import dtype_refusal, invalid_arguments
from .checks import (
    _check_broadcast,
    _check_dim,
    type_name,
)
from .dtypes import c10_dtype_name, check_fits, torch_dtype_name
from .in_place import assign_in_place
from .nodes import name_node

_INDEX_DTYPES = (np.dtype(np.int32), np.dtype(np.int64))


class TensorSelection:
    """The selection-by-index methods of ``Tensor``."""

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The slices at ``index`` (a vector of integers) along ``dim``, in a new tensor."""
        index = _index_argument("index_select", index)
        if index.array.dtype not in _INDEX_DTYPES:
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if index.array.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        d = _check_dim(dim, self.array.ndim)
        size = self.array.shape[d] if self.array.ndim else 1
        wanted = index.array.reshape(-1)
        outside = wanted[(wanted < 0) | (wanted >= size)]
        if outside.size:
            raise RuntimeError(
                f"INDICES element is out of DATA bounds, id={outside[0]} axis_dim={size}"
            )
        if self.array.ndim == 0:
            return _basic.Clone.apply(self)
        out = _basic.Index.apply(self, index=(slice(None),) * d + (wanted,))
        return name_node(out, "IndexSelectBackward0")

    def repeat_interleave(
        self, repeats: Any = None, dim: int | None = None, *, output_size: int | None = None
    ) -> Tensor:
        """Each slice along ``dim`` (each element of the flattened tensor, without ``dim``)
        repeated ``repeats`` times in a row: an int, or a tensor of counts, one per slice (or
        one for all). Without ``repeats`` this tensor holds the counts, and the result is the
        indices they repeat: ``[1, 2]`` gives ``[0, 1, 1]``.

        ∂/∂self: the gradients of each slice's copies, added (it is ``index_select``, or with
        an int an expand, as torch's).
        """
        if repeats is None:
            return _repeated_indices(self, output_size)
        if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer, Tensor)):
            signatures = [
                "(Tensor repeats, int dim = None, *, int output_size = None)",
                "(int repeats, int dim = None, *, int output_size = None)",
            ]
            raise invalid_arguments("repeat_interleave", (repeats,), signatures)
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _check_dim(dim, x.array.ndim)
        size = x.array.shape[d] if x.array.ndim else 1
        if isinstance(repeats, Tensor):
            counts = repeats.array
            if counts.size == 1 and counts.ndim <= 1:  # one count for every slice
                counts = np.full(size, counts.reshape(()))
            elif counts.ndim != 1:
                raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
            elif len(counts) != size:
                raise RuntimeError(
                    "repeats must have the same size as input along dim, but got "
                    f"repeats.size(0) = {len(counts)} and input.size(0) = {size}"
                )
            places = _repeated_indices(Tensor._make(counts, None), output_size)
            return x.index_select(d, places)
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        if output_size is not None and output_size != size * repeats:
            raise RuntimeError(
                "repeat_interleave: Invalid output_size, expected "
                f"{size * repeats} but got {output_size}"
            )
        if x.array.ndim == 0:
            x = x.reshape(1)
        copies = x.unsqueeze(d + 1).expand(*x.shape[: d + 1], int(repeats), *x.shape[d + 1 :])
        return copies.flatten(d, d + 1)

    def index_add(self, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
        """A copy with ``alpha``·``source`` added along ``dim`` at the slices ``index`` (a
        vector of integers) names: out[index[i]] += alpha·source[i], a repeated index adding
        up.  ∂/∂self = grad,  ∂/∂source = alpha·grad[index] (along ``dim``)."""
        index = _index_argument("index_add", index)
        if not isinstance(source, Tensor):
            raise TypeError(
                "index_add(): argument 'source' (position 3) must be Tensor, not "
                f"{type_name(source)}"
            )
        d = _check_dim(dim, self.array.ndim)
        places = index.array
        if places.ndim > 1:
            raise IndexError(
                "index_add_(): Index is supposed to be a vector, but got dim: "
                f"{places.ndim} with type: {torch_dtype_name(places.dtype)} and size: "
                f"{list(places.shape)}"
            )
        if places.dtype not in _INDEX_DTYPES:
            raise RuntimeError(
                "index_add_(): Expected dtype int32/int64 for index but got: "
                f"{torch_dtype_name(places.dtype)}"
            )
        dtype = self.array.dtype
        if source.array.dtype != dtype:
            raise RuntimeError(
                f"index_add_(): self ({torch_dtype_name(dtype)}) and source "
                f"({torch_dtype_name(source.array.dtype)}) must have the same scalar type"
            )
        shape, source_shape = self.array.shape or (1,), source.array.shape or (1,)
        if places.size != source_shape[d]:
            raise RuntimeError(
                f"index_add_(): Number of indices ({places.size}) should be equal to "
                f"source.size(dim): ({source_shape[d]}), for dim: {d}"
            )
        if len(shape) != len(source_shape) or any(
            n != m for k, (n, m) in enumerate(zip(shape, source_shape)) if k != d
        ):
            raise RuntimeError(
                "source tensor shape must match self tensor shape, excluding the specified "
                f"dimension. Got self.shape = {list(self.array.shape)} source.shape = "
                f"{list(source.array.shape)}"
            )
        outside = places[(places < 0) | (places >= shape[d])]
        if outside.size:
            raise RuntimeError(
                f"index {outside.flat[0]} is out of bounds for dimension {d} with size {shape[d]}"
            )
        if not (type(alpha) is int and alpha == 1):  # alpha in this dtype, as torch casts it
            source = source * np.asarray(alpha).astype(dtype).item()
        key = (slice(None),) * d + (places.reshape(-1),)
        added = _basic.IndexAdd.apply(source.reshape(source_shape), index=key, shape=shape)
        return name_node(self + added.reshape(self.array.shape), "IndexAddBackward0")

    def index_add_(self, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
        """``index_add``, in place (the rules are ``add_``'s)."""
        return assign_in_place(self, self.index_add(dim, index, source, alpha=alpha))

    def gather(self, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
        """out[p] = self[p with p[dim] replaced by index[p]]: along ``dim``, the elements
        ``index`` points at (the result has the index's shape)."""
        index = _index_argument("gather", index)
        if index.array.dtype not in _INDEX_DTYPES:
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        d = _check_dim(dim, self.array.ndim)
        _check_along(self, index, d, "input")
        for k, (n, m) in enumerate(zip(index.array.shape, self.array.shape)):
            if k != d and n > m:
                raise RuntimeError(
                    f"Size does not match at dimension {k} expected index "
                    f"{list(index.array.shape)} to be no larger than self "
                    f"{list(self.array.shape)} apart from dimension {d}"
                )
        return Gather.apply(self, index=index.array, dim=d)

    def scatter(
        self,
        dim: int,
        index: Tensor,
        src: Any = None,
        *,
        value: Any = None,
        reduce: str | None = None,
    ) -> Tensor:
        """A copy with ``src`` (a tensor, or a number ``value``) written along ``dim`` at the
        places ``index`` gives: out[p with p[dim] = index[p]] = src[p]. With ``reduce="add"``
        it adds instead (``scatter_add``)."""
        src = value if src is None else src
        if src is None:
            raise TypeError("scatter() takes (dim, index, src) or (dim, index, value)")
        if reduce is not None:
            if reduce not in ("add", "multiply"):
                raise RuntimeError("reduce argument must be either add or multiply.")
            if reduce == "multiply":
                raise NotImplementedError("scatter(reduce='multiply') is not supported here")
            if not isinstance(src, Tensor):
                src = Tensor._make(np.full(index.array.shape, src, self.array.dtype), None)
            return self.scatter_add(dim, index, src)
        d, key = _scatter_checks(self, dim, index, src)
        if isinstance(src, Tensor):
            src = _first(src, key.shape)
        else:
            check_fits(src, self.array.dtype)
        return Scatter.apply(self, src, index=key, dim=d)

    def scatter_add(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with ``src`` added along ``dim`` at the places ``index`` gives: out[p with
        p[dim] = index[p]] += src[p] (a repeated place gets the sum)."""
        if not isinstance(src, Tensor):
            raise TypeError(
                f"scatter_add(): argument 'src' (position 3) must be Tensor, not {type_name(src)}"
            )
        d, key = _scatter_checks(self, dim, index, src)
        return ScatterAdd.apply(self, _first(src, key.shape), index=key, dim=d)

    def scatter_(
        self,
        dim: int,
        index: Tensor,
        src: Any = None,
        *,
        value: Any = None,
        reduce: str | None = None,
    ) -> Tensor:
        """``scatter``, in place (the rules are ``add_``'s)."""
        return assign_in_place(self, self.scatter(dim, index, src, value=value, reduce=reduce))

    def scatter_add_(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """``scatter_add``, in place (the rules are ``add_``'s)."""
        return assign_in_place(self, self.scatter_add(dim, index, src))

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        """A copy with ``value`` (a number or a 0-d tensor, cast to this dtype) where ``mask``
        (booleans, broadcast with this tensor) is True. ∂/∂self is 0 there, ∂/∂value the sum
        of the gradient there."""
        if not isinstance(mask, Tensor):
            raise TypeError(f"masked_fill(): argument 'mask' must be Tensor, not {type_name(mask)}")
        if mask.array.dtype != np.bool_:
            raise RuntimeError(
                "masked_fill_ only supports boolean masks, but got mask with dtype "
                f"{c10_dtype_name(mask.array.dtype)}"
            )
        dtype = self.array.dtype
        if isinstance(value, Tensor):
            if value.array.ndim:
                raise RuntimeError(
                    "masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                    f"with {value.array.ndim} dimension(s)."
                )
            value = value if value.array.dtype == dtype else value.to(dtype)
        else:
            if not isinstance(value, (bool, int, float, np.number, np.bool_)):
                raise TypeError(
                    f"masked_fill(): argument 'value' must be Number, not {type_name(value)}"
                )
            check_fits(value, dtype)
            value = np.asarray(value).astype(dtype)
        _check_broadcast(mask.array.shape, self.array.shape)
        return name_node(_basic.Where.apply(mask.array, value, self), "MaskedFillBackward0")

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        """``masked_fill``, in place (the rules are ``add_``'s; the mask may not make this
        tensor larger)."""
        result = self.masked_fill(mask, value)
        if result.array.shape != self.array.shape:
            raise RuntimeError(
                f"output with shape {list(self.array.shape)} doesn't match the broadcast shape "
                f"{list(result.array.shape)}"
            )
        return assign_in_place(self, result)


def _index_argument(name: str, index: Any) -> Tensor:
    if not isinstance(index, Tensor):
        raise TypeError(
            f"{name}(): argument 'index' (position 2) must be Tensor, not {type_name(index)}"
        )
    return index


def _repeated_indices(counts: Tensor, output_size: int | None) -> Tensor:
    """The indices 0, 1, … each repeated as often as ``counts`` (a vector of integers) says."""
    values = counts.array
    if values.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if values.dtype not in _INDEX_DTYPES:
        raise dtype_refusal("repeat_interleave_cpu", values.dtype)
    if (values < 0).any():
        raise RuntimeError("repeats can not be negative")
    if output_size is not None and output_size != values.sum():
        raise RuntimeError("allocated size does not match required size")
    return Tensor._make(np.repeat(np.arange(len(values), dtype=values.dtype), values), None)


def _check_along(t: Tensor, index: Tensor, d: int, what: str) -> None:
    """gather's and scatter's checks of ``index``: as many dimensions as ``t``, and every
    entry a place along ``d`` (torch refuses negative ones too)."""
    if index.array.ndim != t.array.ndim:
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {what} tensor")
    size = t.array.shape[d] if t.array.ndim else 1
    outside = index.array[(index.array < 0) | (index.array >= size)]
    if outside.size:
        raise RuntimeError(
            f"index {outside.flat[0]} is out of bounds for dimension {d} with size {size}"
        )


def _scatter_checks(t: Tensor, dim: int, index: Any, src: Any) -> tuple[int, np.ndarray]:
    """scatter's and scatter_add's checks, in torch's words; the dim and the index array."""
    index = _index_argument("scatter", index)
    if index.array.dtype not in _INDEX_DTYPES:
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    d = _check_dim(dim, t.array.ndim)
    _check_along(t, index, d, "self")
    shape = index.array.shape
    if isinstance(src, Tensor):
        if src.array.ndim != index.array.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if src.array.dtype != t.array.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    larger = any(k != d and n > m for k, (n, m) in enumerate(zip(shape, t.array.shape)))
    if isinstance(src, Tensor) and any(n > m for n, m in zip(shape, src.array.shape)):
        raise RuntimeError(
            f"Expected index {list(shape)} to be no larger than self {list(t.array.shape)} apart "
            f"from dimension {d} and to be no larger size than src {list(src.array.shape)}"
        )
    if larger:
        raise RuntimeError(
            f"Expected index {list(shape)} to be no larger than self {list(t.array.shape)} apart "
            f"from dimension {d}"
        )
    return d, index.array


def _first(src: Tensor, shape: tuple[int, ...]) -> Tensor:
    """The corner of ``src`` of ``shape`` (scatter reads only that much of a larger src)."""
    if src.array.shape == shape:
        return src
    return src[tuple(slice(0, n) for n in shape)]
