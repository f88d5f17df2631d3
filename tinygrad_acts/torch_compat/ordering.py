"""Functions that order or pick elements: ``sort``, ``argsort``, ``topk``, ``kthvalue``,
``nonzero``, ``masked_select``, ``roll``, ``nan_to_num``, ``clamp_min``/``clamp_max`` — as
Tensor methods and as ``torch.sort(x)`` functions, with torch's results, dtypes and errors.

Each differentiable one is composed of existing ops: the values that ``sort``, ``topk`` and
``kthvalue`` return are ``TakeAlong`` (their gradient goes back to where each value came from),
``masked_select`` and ``roll`` are ``Index``, ``nan_to_num`` is ``Where``. Their final node gets
torch's name (``SortBackward0``). Indices are int64 and outside the graph, as in torch.

Order, as torch's: NaN is larger than every number (last ascending, first descending); with
``stable=True`` equal values keep their order of appearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops.basic import Clone, Index, TakeAlong, Where
from .checks import _check_broadcast, _check_dim, tensor_argument, type_name
from .functions import _ValuesIndices
from .nodes import name_node


class SortResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "sort"


class TopkResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "topk"


class KthvalueResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "kthvalue"


def _dim_or_axis(name: str, dim: Any, axis: Any, default: Any = -1) -> Any:
    """torch's Python parser takes NumPy's ``axis=`` for ``dim=``; both at once it refuses."""
    if axis is None:
        return default if dim is None else dim
    if dim is not None:
        raise TypeError(f"{name}() got an unexpected keyword argument 'axis'")
    return axis


def sorting_order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """The indices that sort ``a`` along ``dim`` (NaN largest; equal values in order of
    appearance). Descending: sort the reversed array ascending and read the result backwards —
    equal values then come out in their first order again."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    backwards = np.argsort(np.flip(a, dim), axis=dim, kind="stable")
    return np.flip(n - 1 - backwards, dim)


def _along(t: Tensor, order: np.ndarray, dim: int, name: str) -> Tensor:
    """The values of ``t`` at ``order`` along ``dim``, the node named ``name`` (a 0-d ``t`` as
    one element, given back 0-d)."""
    if t.array.ndim == 0:
        values = TakeAlong.apply(core_ops.reshape(t, (1,)), indices=order.reshape(1), dim=0)
        return name_node(core_ops.reshape(values, ()), name)
    return name_node(TakeAlong.apply(t, indices=order, dim=dim), name)


def _int64(index: np.ndarray) -> Tensor:
    return Tensor._make(np.asarray(index, dtype=np.int64), None)


def _flat(t: Tensor) -> np.ndarray:
    """``t``'s array, a 0-d one as one element."""
    return t.array if t.array.ndim else t.array.reshape(1)


class TensorOrdering:
    """The ordering methods of ``Tensor``."""

    def sort(
        self,
        dim: int | None = None,
        descending: bool = False,
        *,
        stable: bool = False,
        axis: int | None = None,
    ) -> SortResult:
        """The values along ``dim`` (the last by default) in order, and where each came from:
        a ``(values, indices)`` pair. ∂values/∂self puts each gradient back at its index.
        The sort is always stable here (``stable=True`` or not): equal values keep their order."""
        d = _check_dim(_dim_or_axis("sort", dim, axis), self.array.ndim)
        order = sorting_order(_flat(self), d, bool(descending))
        index = order if self.array.ndim else order.reshape(())
        return SortResult(_along(self, order, d, "SortBackward0"), _int64(index))

    def argsort(
        self,
        dim: int | None = None,
        descending: bool = False,
        *,
        stable: bool = False,
        axis: int | None = None,
    ) -> Tensor:
        """The indices that sort ``self`` along ``dim``: ``sort(...).indices``."""
        return self.sort(dim, descending, stable=stable, axis=axis).indices

    def topk(
        self,
        k: int,
        dim: int | None = None,
        largest: bool = True,
        sorted: bool = True,
        *,
        axis: int | None = None,
    ) -> TopkResult:
        """The ``k`` largest (``largest=False``: smallest) values along ``dim`` and their
        indices, largest first. (``sorted=False`` lets torch return them in any order; here
        they are always sorted.)"""
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise TypeError(f"topk(): argument 'k' (position 1) must be int, not {type_name(k)}")
        d = _check_dim(_dim_or_axis("topk", dim, axis), self.array.ndim)
        size = self.array.shape[d] if self.array.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError("selected index k out of range")
        order = np.take(sorting_order(_flat(self), d, bool(largest)), np.arange(k), axis=d)
        index = order if self.array.ndim else order.reshape(())
        return TopkResult(_along(self, order, d, "TopkBackward0"), _int64(index))

    def kthvalue(
        self, k: int, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
    ) -> KthvalueResult:
        """The ``k``-th smallest value along ``dim`` (k counts from 1) and its index."""
        d = _check_dim(_dim_or_axis("kthvalue", dim, axis), self.array.ndim)
        size = self.array.shape[d] if self.array.ndim else 1
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise TypeError(
                f"kthvalue(): argument 'k' (position 1) must be int, not {type_name(k)}"
            )
        if not 1 <= k <= size:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        order = np.take(sorting_order(_flat(self), d, False), [k - 1], axis=d)
        values = _along(self, order, d, "KthvalueBackward0")
        if not keepdim and self.array.ndim:
            shape = tuple(n for i, n in enumerate(self.array.shape) if i != d)
            values = name_node(core_ops.reshape(values, shape), "KthvalueBackward0")
            order = order.reshape(shape)
        return KthvalueResult(values, _int64(order if self.array.ndim else order.reshape(())))

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """The indices of the non-zero elements: one row per element (an int64 matrix with a
        column per dimension), or with ``as_tuple=True`` one index vector per dimension (what
        ``x[x.nonzero(as_tuple=True)]`` takes)."""
        if as_tuple:
            return tuple(_int64(i) for i in np.nonzero(_flat(self)))
        return _int64(np.argwhere(self.array))

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where ``mask`` (booleans, broadcast with ``self``) is True, in a vector.
        The gradient goes back to those places; the others get 0."""
        if not isinstance(mask, Tensor):
            raise TypeError(
                f"masked_select(): argument 'mask' (position 1) must be Tensor, not "
                f"{type_name(mask)}"
            )
        if mask.array.dtype != np.bool_:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        _check_broadcast(mask.array.shape, self.array.shape)
        shape = np.broadcast_shapes(mask.array.shape, self.array.shape)
        source = self if self.array.shape == shape else self.expand(shape)
        if not shape:  # a 0-d mask: its one answer as a vector
            source, shape = core_ops.reshape(source, (1,)), (1,)
        key = np.broadcast_to(mask.array, shape)
        return name_node(Index.apply(source, index=key), "MaskedSelectBackward0")

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """The elements moved ``shifts`` places along ``dims`` (those pushed off one end come
        back at the other); without ``dims`` along the flattened tensor. The gradient is rolled
        back."""
        shift_list = _int_tuple(shifts, "shifts", 2)
        if not shift_list:
            raise RuntimeError("`shifts` required")
        if dims is None and len(shift_list) == 1:
            flat = core_ops.reshape(self, (self.array.size,))
            rolled = core_ops.reshape(flat.roll(shift_list, 0), self.array.shape)
            return name_node(rolled, "RollBackward0")
        dim_list = () if dims is None else _int_tuple(dims, "dims", 3)
        if len(shift_list) != len(dim_list):
            raise RuntimeError(
                f"shifts and dimensions must align. shifts: {len(shift_list)}, dims:{len(dim_list)}"
            )
        if self.array.ndim == 0:
            raise IndexError(f"Dimension specified as {dim_list[0]} but tensor has no dimensions")
        ndim = self.array.ndim
        key = [
            np.arange(n).reshape((-1,) + (1,) * (ndim - 1 - d))
            for d, n in enumerate(self.array.shape)
        ]
        for shift, dim in zip(shift_list, dim_list):
            d = _check_dim(dim, ndim)
            key[d] = (key[d] - shift) % max(self.array.shape[d], 1)  # out[i] = in[i - shift]
        return name_node(Index.apply(self, index=tuple(key)), "RollBackward0")

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """NaN replaced by ``nan``, +inf by ``posinf`` and -inf by ``neginf`` (by default the
        largest and the lowest number of the dtype). ∂/∂self = 1 where self is finite, else 0."""
        if self.array.dtype.kind != "f":
            return Clone.apply(self)  # nothing to replace; a new tensor, as torch's
        finite = np.isfinite(self.array)
        with np.errstate(over="ignore"):  # a replacement past the dtype's range is ±inf (torch)
            replaced = np.nan_to_num(self.array, nan=nan, posinf=posinf, neginf=neginf)
        return name_node(Where.apply(finite, self, replaced), "NanToNumBackward0")

    def clamp_min(self, min: Any) -> Tensor:
        """``clamp(min=min)``."""
        overload = 1 if isinstance(min, Tensor) else 0
        return name_node(self.clamp(min=min), f"ClampMinBackward{overload}")

    def clamp_max(self, max: Any) -> Tensor:
        """``clamp(max=max)``."""
        overload = 1 if isinstance(max, Tensor) else 0
        return name_node(self.clamp(max=max), f"ClampMaxBackward{overload}")


def _int_tuple(value: Any, argument: str, position: int) -> tuple[int, ...]:
    """roll's ``shifts`` or ``dims`` (an int or a sequence of ints) as a tuple; torch's
    TypeError otherwise."""
    items = (value,) if isinstance(value, (int, np.integer)) else value
    if not isinstance(items, (tuple, list)) or any(
        isinstance(i, bool) or not isinstance(i, (int, np.integer)) for i in items
    ):
        raise TypeError(
            f"roll(): argument '{argument}' (position {position}) must be tuple of ints, not "
            f"{type_name(value)}"
        )
    return tuple(int(i) for i in items)


# -- the same as top-level functions: torch.sort(x) is x.sort() ----------------------------------


def sort(
    input: Tensor,
    dim: int | None = None,
    descending: bool = False,
    *,
    stable: bool = False,
    axis: int | None = None,
) -> SortResult:
    """``input.sort(dim, descending)``: ``(values, indices)``."""
    return tensor_argument("sort", input).sort(dim, descending, stable=stable, axis=axis)


def argsort(
    input: Tensor,
    dim: int | None = None,
    descending: bool = False,
    *,
    stable: bool = False,
    axis: int | None = None,
) -> Tensor:
    """``input.argsort(dim, descending)``: the indices that sort it."""
    return tensor_argument("argsort", input).argsort(dim, descending, stable=stable, axis=axis)


def topk(
    input: Tensor,
    k: int,
    dim: int | None = None,
    largest: bool = True,
    sorted: bool = True,
    *,
    axis: int | None = None,
) -> TopkResult:
    """``input.topk(k, dim, largest, sorted)``: the k largest values and their indices."""
    return tensor_argument("topk", input).topk(k, dim, largest, sorted, axis=axis)


def kthvalue(
    input: Tensor, k: int, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
) -> KthvalueResult:
    """``input.kthvalue(k, dim, keepdim)``: the k-th smallest value and its index."""
    return tensor_argument("kthvalue", input).kthvalue(k, dim, keepdim, axis=axis)


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """``input.nonzero(as_tuple=...)``: where the non-zero elements are."""
    return tensor_argument("nonzero", input).nonzero(as_tuple=as_tuple)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """``input.masked_select(mask)``: the elements where mask is True, in a vector."""
    tensor_argument("masked_select", mask, "mask", 2)
    return tensor_argument("masked_select", input).masked_select(mask)


def roll(
    input: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None
) -> Tensor:
    """``input.roll(shifts, dims)``."""
    return tensor_argument("roll", input).roll(shifts, dims)


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """``input.nan_to_num(nan, posinf, neginf)``."""
    return tensor_argument("nan_to_num", input).nan_to_num(nan, posinf, neginf)


def clamp_min(input: Tensor, min: Any) -> Tensor:
    """``input.clamp(min=min)``."""
    return tensor_argument("clamp_min", input).clamp_min(min)


def clamp_max(input: Tensor, max: Any) -> Tensor:
    """``input.clamp(max=max)``."""
    return tensor_argument("clamp_max", input).clamp_max(max)


__all__ = [
    "argsort",
    "clamp_max",
    "clamp_min",
    "kthvalue",
    "masked_select",
    "nan_to_num",
    "nonzero",
    "roll",
    "sort",
    "topk",
]
