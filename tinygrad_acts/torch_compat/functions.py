"""torch's functions of several tensors: ``where``, ``cat``, ``stack``, ``max``/``min`` with
their indices (and the named pairs they return), ``unique``, and matmul's checks; with torch's
dtype rules and its errors."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops.basic import Cat, Where
from ..ops.reductions import OrderStatistic, SelectAlong
from .checks import _check_broadcast, _check_dim
from .dtypes import c10_dtype_name, result_type, torch_dtype_name
from .nodes import name_node


def _check_matmul(a: np.ndarray, b: np.ndarray) -> None:
    """torch's checks of a @ b, in its words for each case (dot, matrix·vector, matrices)."""
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    k_a = a.shape[-1]
    k_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if k_a != k_b:
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{k_a}] and src [{k_b}] to have the "
                f"same number of elements, but got {k_a} and {k_b} elements respectively"
            )
        if b.ndim == 1:  # a matrix (batches folded in) times a vector
            rows = int(np.prod(a.shape[:-1]))
            raise RuntimeError(
                f"size mismatch, got input ({rows}), mat ({rows}x{k_a}), vec ({k_b})"
            )
        rows = int(np.prod(a.shape[:-1])) if b.ndim == 2 else a.shape[-2] if a.ndim > 1 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k_a} and {k_b}x{b.shape[-1]})"
        )
    if a.dtype != b.dtype:  # torch refuses to mix dtypes here
        if a.ndim == 1 and b.ndim == 1:
            names = [torch_dtype_name(a.dtype), torch_dtype_name(b.dtype)]
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {names[0]} and "
                f"{names[1]}"
            )
        if a.ndim == 2 and b.ndim == 1:
            mat, vec = torch_dtype_name(a.dtype), torch_dtype_name(b.dtype)
            raise RuntimeError(
                f"addmv input tensors must have the same dtype, but got {vec}, {mat}, and {vec}"
            )
        names = [c10_dtype_name(a.dtype), c10_dtype_name(b.dtype)]
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {names[0]} != {names[1]}"
        )


_MISSING = object()  # where's input and other, when not given

_WHERE_SIGNATURES = (
    " * (Tensor condition)\n"
    " * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)\n"
    " * (Tensor condition, Number self, Tensor other)\n"
    " * (Tensor condition, Tensor input, Number other)\n"
    " * (Tensor condition, Number self, Number other)\n"
)


def where(condition: Any, input: Any = _MISSING, other: Any = _MISSING) -> Any:
    """Elementwise choice: ``input`` where ``condition`` holds, ``other`` elsewhere. With the
    condition alone, where it is nonzero: one int64 index vector per dimension (as
    ``nonzero(as_tuple=True)``)."""
    if input is _MISSING and other is _MISSING:
        cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
        return tuple(
            Tensor._make(np.asarray(i, dtype=np.int64), None)
            for i in np.nonzero(np.atleast_1d(cond))
        )
    if input is _MISSING or other is _MISSING:
        given = ", ".join(type(v).__name__ for v in (condition, input, other) if v is not _MISSING)
        raise TypeError(
            f"where() received an invalid combination of arguments - got ({given}), but "
            f"expected one of:\n{_WHERE_SIGNATURES}"
        )
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{cond.dtype}"
        )
    operands = [v if isinstance(v, Tensor) or np.isscalar(v) else Tensor(v) for v in (input, other)]

    shapes = [cond.shape] + [v.array.shape for v in operands if isinstance(v, Tensor)]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            _check_broadcast(tuple(a), tuple(b))
    target = result_type(*operands)
    input, other = (
        v.to(target) if isinstance(v, Tensor) and v.array.dtype != target else v for v in operands
    )
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = Tensor(np.asarray(input, dtype=target))
    return Where.apply(cond, input, other)


class _ValuesIndices(namedtuple("values_indices", ["values", "indices"])):
    """What max(dim), min(dim) and median(dim) return: a pair with names, printed as torch's
    ``torch.return_types.max(values=..., indices=...)``."""

    __slots__ = ()
    torch_name = ""

    def __repr__(self) -> str:
        return (
            f"torch.return_types.{self.torch_name}(\nvalues={self.values!r},\n"
            f"indices={self.indices!r})"
        )


class MaxResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "max"


class MinResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "min"


class MedianResult(_ValuesIndices):
    __slots__ = ()
    torch_name = "median"


def max_or_min(t: Tensor, dim: int | None, keepdim: bool, largest: bool) -> Any:
    """``Tensor.max``/``min``: a Tensor without ``dim`` (tied extremes share the gradient), a
    ``(values, indices)`` pair with it (the gradient goes to the index: the first extreme)."""
    name, result = ("max", MaxResult) if largest else ("min", MinResult)
    if dim is None:
        if t.array.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return OrderStatistic.apply(t, which=name, dim=None, keepdim=False)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (dim="
            f"{type(dim).__name__}, ), but expected one of: (), (Tensor other), "
            "(int dim, bool keepdim = False)"
        )
    if t.array.ndim == 0:
        _check_dim(dim, 0)
        return result(t, Tensor._make(np.asarray(0), None))
    dim = _check_dim(dim, t.array.ndim)
    if t.array.shape[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
    idx = (np.argmax if largest else np.argmin)(t.array, axis=dim)
    values = SelectAlong.apply(t, indices=idx, dim=dim, keepdim=keepdim, which=name)
    if keepdim:
        idx = np.expand_dims(idx, dim)
    return result(values, Tensor._make(np.asarray(idx, dtype=np.int64), None))


def _tensor_list(tensors: Any, empty: Exception) -> list[Tensor]:
    """cat's and stack's argument as a list of Tensors, or torch's error (``empty`` if none)."""
    tensors = list(tensors)
    if not tensors:
        raise empty
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return tensors


def cat(tensors: Any, dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dimension ``dim`` (as ``torch.cat``; NumPy's ``axis`` is
    taken for it)."""
    if axis is not None:
        if dim != 0:
            raise TypeError("cat() got an unexpected keyword argument 'axis'")
        dim = axis

    tensors = _tensor_list(tensors, ValueError("torch.cat(): expected a non-empty list of Tensors"))
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    target = result_type(*tensors)
    tensors = [t if t.array.dtype == target else t.to(target) for t in tensors]
    solid = [t for t in tensors if t.shape != (0,)]
    if not solid:  # only empty vectors: one empty vector, whatever dim says (torch)
        return Cat.apply(*tensors, dim=0)
    dim = _check_dim(dim, solid[0].ndim)
    # torch's legacy rule: a 1-D empty tensor joins anything, as an empty block of the others'
    # shape (still in the graph: its gradient is empty too)
    block = list(solid[0].shape)
    block[dim] = 0
    joined = [t.reshape(block) if t.shape == (0,) and len(block) != 1 else t for t in tensors]
    first = solid[0].shape
    for i, t in enumerate(joined):
        if t.ndim != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {t.ndim}"
            )
        for d, (a, b) in enumerate(zip(first, t.shape)):
            if d != dim and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size {a} "
                    f"but got size {b} for tensor number {i} in the list."
                )
    return Cat.apply(*joined, dim=dim)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension ``dim`` (as ``torch.stack``): each
    gets an axis of length 1 there, then ``cat``."""

    tensors = _tensor_list(tensors, RuntimeError("stack expects a non-empty TensorList"))
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} "
                f"at entry 0 and {list(t.shape)} at entry {i}"
            )
    dim = _check_dim(dim, tensors[0].ndim + 1)
    return name_node(cat([t.unsqueeze(dim) for t in tensors], dim=dim), "StackBackward0")


# -- unique ----------------------------------------------------------------------------------------


def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """The distinct elements of ``input`` in ascending order (a vector), or with ``dim`` the
    distinct slices along that axis; with ``return_inverse`` also where each element (slice)
    went, with ``return_counts`` how often each occurs (both int64). Each nan is distinct, as in
    torch. Outside the graph: torch has no derivative for it either. ``sorted=False`` sorts too,
    as torch does on the CPU."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"unique(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    a = input.array
    if dim is None:
        values, inverse, counts = np.unique(
            a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False
        )
        inverse = inverse.reshape(a.shape)
    else:
        dim = _check_dim(dim, a.ndim)
        if any(n == 0 for d, n in enumerate(a.shape) if d != dim):
            raise RuntimeError(
                "There are 0 sized dimensions, and they aren't selected, so unique cannot be "
                "applied"
            )
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim)
        inverse = inverse.reshape(-1)
    results = [Tensor._make(values, None)]
    if return_inverse:
        results.append(Tensor._make(inverse.astype(np.int64), None))
    if return_counts:
        results.append(Tensor._make(counts.astype(np.int64), None))
    return results[0] if len(results) == 1 else tuple(results)


class TensorUnique:
    """``Tensor.unique``."""

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Any:
        """The distinct elements (or slices along ``dim``), sorted: see ``unique``."""
        return unique(self, sorted, return_inverse, return_counts, dim)
