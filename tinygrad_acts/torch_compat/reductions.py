"""Reductions as torch has them: ``sum``, ``mean``, ``prod``, ``std``/``var``, ``max``/``min``,
``amax``/``amin``, ``argmax``/``argmin``, ``median``, ``norm``, ``logsumexp``, ``cumsum``/
``cumprod``, ``all``/``any``, ``count_nonzero`` — as Tensor methods (the top-level
``torch.sum(x, dim)`` are in ``reduction_functions.py``), with torch's result dtypes, checks and
messages. Each takes NumPy's ``axis=`` and ``keepdims=`` as well, as torch's Python parser does.

``dim`` is an int or a tuple of ints where torch takes both (an empty tuple: every axis), an
int where torch takes only that (``prod``, ``cumsum``, ``argmax``, ``max(dim)``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import reductions as _reductions
from .checks import _check_dim, _check_dims
from .dtypes import torch_dtype_name
from .functions import MedianResult, max_or_min

Dim = int | Sequence[int] | None


def numpy_names(
    name: str, dim: Any, axis: Any, keepdim: bool, keepdims: bool | None
) -> tuple[Any, bool]:
    """``dim`` and ``keepdim``, given under NumPy's names ``axis=`` and ``keepdims=`` (torch's
    Python parser takes both names); one argument given under both is torch's TypeError."""
    if axis is not None:
        if dim is not None and not (isinstance(dim, tuple) and not dim):  # () is amax's "none"
            raise TypeError(f"{name}() got an unexpected keyword argument 'axis'")
        dim = axis
    if keepdims is not None:
        if keepdim:
            raise TypeError(f"{name}() got an unexpected keyword argument 'keepdims'")
        keepdim = bool(keepdims)
    return dim, keepdim


def _required_dim(name: str, dim: Any) -> Any:
    """``dim`` of cumsum and logsumexp, which have no default (it may come as ``axis=``)."""
    if dim is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    return dim


def _with_dtype(t: Tensor, dtype: Any) -> Tensor:
    """``t`` cast to the ``dtype=`` argument first (as torch: the reduction then runs in it)."""
    return t if dtype is None else t.to(np.dtype(dtype))


def _floating_or_refuse(dtype: Any, what: str) -> None:
    """torch's refusal (``what``, naming the dtype) of a non-floating ``dtype``."""
    if np.dtype(dtype).kind != "f":
        raise RuntimeError(what.format(torch_dtype_name(dtype)))


def _nonempty_or_refuse(t: Tensor, name: str, dim: Any) -> None:
    """torch's refusal of a max, min or median over nothing (they have no identity)."""
    if dim is None or dim == ():
        if t.array.size == 0:
            arg = name in ("argmax", "argmin")
            tail = "" if arg else " Specify the reduction dim with the 'dim' argument."
            kind = IndexError if arg else RuntimeError
            raise kind(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0.{tail}"
            )
        return
    for d in (dim,) if isinstance(dim, int) else dim:
        if t.array.ndim and t.array.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _degrees_of_freedom(name: str, n: int, correction: float) -> None:
    """torch's warning when nothing is left to divide by (the result is inf or nan)."""
    if n - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=4,
        )


def _correction(dim: Any, unbiased: Any, correction: Any) -> tuple[Any, float]:
    """var's and std's overloads: ``var(True)`` is unbiased, ``var(0, False)`` dim then
    unbiased, ``correction=`` alone; torch refuses unbiased and correction together."""
    if isinstance(dim, bool):  # var(unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            "var() received an invalid combination of arguments: give either unbiased or "
            "correction, not both"
        )
    if correction is None:
        correction = 0 if unbiased is False else 1
    return dim, correction


def _spread_op(
    op: Any, name: str, t: Tensor, dim: Any, unbiased: Any, keepdim: bool, correction: Any
) -> Tensor:
    """var or std: the checks, torch's warning, then ``op``."""
    dim, correction = _correction(dim, unbiased, correction)
    if t.array.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = _check_dims(dim, t.array.ndim)
    _degrees_of_freedom(name, _reductions.reduced_count(t.array.shape, dims), correction)
    return op.apply(t, dim=dims, correction=correction, keepdim=keepdim)


def _norm_order(p: Any) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"linalg_vector_norm(): argument 'ord' must be Number, not {type(p).__name__}"
        )
    return float(p)


def vector_norm(
    x: Tensor, ord: Any = 2, dim: Dim = None, keepdim: bool = False, dtype: Any = None
) -> Tensor:
    """‖x‖_ord over ``dim`` (every element if None): torch's ``linalg.vector_norm``.

    ord = 2 is √Σx², 1 is Σ|x|, inf is max |x|, -inf min |x|, 0 the count of non-zeros, any
    other p (Σ|x|^p)^(1/p). The gradient at x = 0 is 0, as torch's.
    """
    p = _norm_order(ord)
    if x.array.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{torch_dtype_name(x.array.dtype)}"
        )
    if dtype is not None:
        if np.dtype(dtype).kind == "f" and np.dtype(dtype).itemsize < x.array.dtype.itemsize:
            raise RuntimeError(
                f"linalg.vector_norm: the dtype of the input ({torch_dtype_name(x.array.dtype)}) "
                "should be convertible without narrowing to the specified dtype "
                f"({torch_dtype_name(dtype)})"
            )
        x = _with_dtype(x, dtype)
    dims = _check_dims(dim, x.array.ndim)
    if p < 0 or math.isinf(p):  # max, min and negative powers have no value over nothing
        if dims is None and x.array.size == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {p:g} norm on an empty tensor because "
                "the operation does not have an identity"
            )
        for d in dims or ():
            if x.array.shape[d] == 0:
                raise RuntimeError(
                    f"linalg.vector_norm cannot compute the {p:g} norm on the dimension {d}"
                    "because this dimension is empty and the operation does not have an identity"
                )
    return _reductions.VectorNorm.apply(x, ord=p, dim=dims, keepdim=keepdim)


def matrix_norm(
    A: Tensor,
    ord: Any = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
    dtype: Any = None,
) -> Tensor:
    """A matrix norm over the two axes ``dim``: 'fro' (√Σa²), 1 and -1 (largest, smallest
    column sum of |a|), inf and -inf (row sums). torch's 'nuc', 2 and -2 need singular
    values, which this package does not compute."""
    if A.array.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        got = " ".join(str(d) for d in dim) if isinstance(dim, (tuple, list)) else str(dim)
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    rows, cols = (_check_dim(d, A.array.ndim) for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim, dtype)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(
            f"linalg.matrix_norm: ord={ord!r} needs singular values, which tinygrad_acts does "
            "not compute"
        )
    if isinstance(ord, str) or ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    # ord ±1: the columns' sums of |a| (over the rows), then their max or min; ±inf: the rows'.
    summed, across = (rows, cols) if abs(ord) == 1 else (cols, rows)
    sums = vector_norm(A, 1, summed, keepdim=True, dtype=dtype)
    out = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
    return out if keepdim else _drop(out, (rows, cols))


def _drop(t: Tensor, dims: tuple[int, ...]) -> Tensor:
    """``t`` without its (kept, length-1) axes ``dims``."""
    shape = tuple(n for i, n in enumerate(t.array.shape) if i not in dims)
    return core_ops.reshape(t, shape)


def norm(
    input: Tensor, p: Any = "fro", dim: Dim = None, keepdim: bool = False, dtype: Any = None
) -> Tensor:
    """torch.norm: the 2-norm of all elements by default ('fro' is the same on any shape);
    a number p is ``vector_norm(p)`` over ``dim``; 'fro' over one or two dims the 2-norm over
    them; 'nuc' a matrix norm."""
    if isinstance(p, str):
        dims = (dim,) if isinstance(dim, int) else dim
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(input, 2, dim, keepdim, dtype)
        if p in ("fro", "nuc"):
            return matrix_norm(input, p, dims if dims is not None else (-2, -1), keepdim, dtype)
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    return vector_norm(input, 2 if p is None else p, dim, keepdim, dtype)


class TensorReductions:
    """The reduction methods of ``Tensor``."""

    def sum(
        self,
        dim: Dim = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Σ over ``dim`` (every element if None); integers and booleans add up in int64."""
        dim, keepdim = numpy_names("sum", dim, axis, keepdim, keepdims)
        x = _with_dtype(self, dtype)
        out = core_ops.Sum.apply(x, dim=_check_dims(dim, x.array.ndim), keepdim=keepdim)
        return out if dtype is None else out.to(dtype)

    def mean(
        self,
        dim: Dim = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The mean over ``dim``; only of floating tensors (or with a floating ``dtype=``)."""
        dim, keepdim = numpy_names("mean", dim, axis, keepdim, keepdims)
        which, checked = ("Optional", dtype) if dtype is not None else ("Input", self.dtype)
        _floating_or_refuse(
            checked,
            f"mean(): could not infer output dtype. {which} dtype must be either a floating "
            "point or complex dtype. Got: {}",
        )
        x = _with_dtype(self, dtype)
        return _reductions.Mean.apply(x, dim=_check_dims(dim, x.array.ndim), keepdim=keepdim)

    def prod(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """∏ over ``dim`` (one axis, or every element); integers multiply in int64. The
        gradient is the product of the other elements, right at zeros too."""
        dim, keepdim = numpy_names("prod", dim, axis, keepdim, keepdims)
        x = _with_dtype(self, dtype)
        if dim is not None:
            dim = _check_dim(dim, x.array.ndim, "prod(): argument 'dim' (position 1)")
            dim = dim if x.array.ndim else None
        out = _reductions.Prod.apply(x, dim=dim, keepdim=keepdim and dim is not None)
        return out if dtype is None else out.to(dtype)

    def var(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Σ(x - mean)² / (n - correction) over ``dim``; correction 1 (Bessel's) unless
        ``unbiased=False`` or ``correction=`` says otherwise. n ≤ correction warns, as torch,
        and gives inf or nan."""
        dim, keepdim = numpy_names("var", dim, axis, keepdim, keepdims)
        return _spread_op(_reductions.Var, "var", self, dim, unbiased, keepdim, correction)

    def std(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """√var (see ``var``); the gradient where std = 0 is 0, as torch's."""
        dim, keepdim = numpy_names("std", dim, axis, keepdim, keepdims)
        return _spread_op(_reductions.Std, "std", self, dim, unbiased, keepdim, correction)

    def max(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """The largest value; with ``dim``, a ``(values, indices)`` pair along that axis; with a
        Tensor, the elementwise maximum (``torch.maximum``).

        Gradient, as torch: without ``dim`` it is shared equally among tied maxima; with
        ``dim`` it goes to the returned index (the first maximum).
        """
        dim, keepdim = numpy_names("max", dim, axis, keepdim, keepdims)
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        return max_or_min(self, dim, keepdim, largest=True)

    def min(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """The smallest value; as ``max`` (a Tensor argument: ``torch.minimum``)."""
        dim, keepdim = numpy_names("min", dim, axis, keepdim, keepdims)
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        return max_or_min(self, dim, keepdim, largest=False)

    def amax(
        self,
        dim: Dim = (),
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The largest value over ``dim`` (every axis if empty); tied maxima share the
        gradient equally, as torch's."""
        dim, keepdim = numpy_names("amax", dim, axis, keepdim, keepdims)
        dims = _check_dims(dim, self.array.ndim)
        _nonempty_or_refuse(self, "amax", dims)
        return _reductions.OrderStatistic.apply(self, which="max", dim=dims, keepdim=keepdim)

    def amin(
        self,
        dim: Dim = (),
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The smallest value over ``dim``; as ``amax``."""
        dim, keepdim = numpy_names("amin", dim, axis, keepdim, keepdims)
        dims = _check_dims(dim, self.array.ndim)
        _nonempty_or_refuse(self, "amin", dims)
        return _reductions.OrderStatistic.apply(self, which="min", dim=dims, keepdim=keepdim)

    def argmax(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The index of the largest value (the first of ties, a nan's if any): in the
        flattened tensor without ``dim``; int64, outside the graph."""
        dim, keepdim = numpy_names("argmax", dim, axis, keepdim, keepdims)
        return _arg_extreme(self, dim, keepdim, "argmax")

    def argmin(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The index of the smallest value; as ``argmax``."""
        dim, keepdim = numpy_names("argmin", dim, axis, keepdim, keepdims)
        return _arg_extreme(self, dim, keepdim, "argmin")

    def median(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """The lower median (of two middle values, the smaller); nan if any is. Without
        ``dim`` a Tensor whose gradient ties share; with it, a ``(values, indices)`` pair."""
        dim, keepdim = numpy_names("median", dim, axis, keepdim, keepdims)
        if self.array.dtype == np.bool_:
            raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")
        if dim is None:
            if self.array.size == 0:
                return Tensor._make(np.asarray(np.nan, self.array.dtype), None)
            return _reductions.OrderStatistic.apply(self, which="median", dim=None, keepdim=False)
        dim = _check_dim(dim, self.array.ndim, "median(): argument 'dim'")
        _nonempty_or_refuse(self, "median", dim)
        data = self.array if self.array.ndim else self.array.reshape(1)
        n = data.shape[dim]
        order = np.argsort(data, axis=dim, kind="stable")  # nan sorts last
        index = np.take(order, (n - 1) // 2, axis=dim)
        nan = np.isnan(data) if data.dtype.kind == "f" else np.zeros(data.shape, bool)
        index = np.where(nan.any(axis=dim), np.argmax(nan, axis=dim), index)
        source = self if self.array.ndim else core_ops.reshape(self, (1,))
        values = _reductions.SelectAlong.apply(
            source, indices=index, dim=dim, keepdim=keepdim, which="median"
        )
        if keepdim:
            index = np.expand_dims(index, dim)
        if not self.array.ndim:
            values, index = core_ops.reshape(values, ()), index.reshape(())
        return MedianResult(values, Tensor._make(np.asarray(index, dtype=np.int64), None))

    def norm(
        self, p: Any = "fro", dim: Dim = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        """The 2-norm by default; see ``torch.norm`` (``norm`` here)."""
        return norm(self, p, dim, keepdim, dtype)

    def logsumexp(
        self,
        dim: Dim = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """log Σ exp(x) over ``dim``, without overflow; a row of -inf gives -inf. Integers
        enter as float32."""
        dim, keepdim = numpy_names("logsumexp", dim, axis, keepdim, keepdims)
        dim = _required_dim("logsumexp", dim)
        x = self if self.array.dtype.kind == "f" else self.to(np.float32)
        dims = _check_dims(dim, x.array.ndim)
        return _reductions.LogSumExp.apply(x, dim=dims, keepdim=keepdim)

    def cumsum(self, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        """The running sum along ``dim``; integers and booleans run in int64."""
        dim = _required_dim("cumsum", numpy_names("cumsum", dim, axis, False, None)[0])
        return _running(_reductions.Cumsum, "cumsum", self, dim, dtype)

    def cumprod(self, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        """The running product along ``dim``; the gradient is right at zeros too."""
        dim = _required_dim("cumprod", numpy_names("cumprod", dim, axis, False, None)[0])
        return _running(_reductions.Cumprod, "cumprod", self, dim, dtype)

    def all(
        self,
        dim: Dim = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where every element over ``dim`` is non-zero (uint8 stays uint8, as torch)."""
        dim, keepdim = numpy_names("all", dim, axis, keepdim, keepdims)
        return _logical(np.all, self, dim, keepdim)

    def any(
        self,
        dim: Dim = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where some element over ``dim`` is non-zero (uint8 stays uint8, as torch)."""
        dim, keepdim = numpy_names("any", dim, axis, keepdim, keepdims)
        return _logical(np.any, self, dim, keepdim)

    def count_nonzero(self, dim: Dim = None, *, axis: Any = None) -> Tensor:
        """How many elements over ``dim`` are non-zero, as int64."""
        dim = numpy_names("count_nonzero", dim, axis, False, None)[0]
        dims = _check_dims(dim, self.array.ndim)
        count = np.count_nonzero(self.array, axis=dims)
        return Tensor._make(np.asarray(count, dtype=np.int64), None)


def _arg_extreme(t: Tensor, dim: Any, keepdim: bool, name: str) -> Tensor:
    if t.array.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    find = np.argmax if name == "argmax" else np.argmin
    if dim is None:
        _nonempty_or_refuse(t, name, None)
        index = np.asarray(find(t.array))
        if keepdim:
            index = index.reshape((1,) * t.array.ndim)
        return Tensor._make(index.astype(np.int64), None)
    dim = _check_dim(dim, t.array.ndim, f"{name}(): argument 'dim'")
    _nonempty_or_refuse(t, name, dim)
    data = t.array if t.array.ndim else t.array.reshape(1)
    index = find(data, axis=dim, keepdims=keepdim)
    return Tensor._make(np.asarray(index if t.array.ndim else index.reshape(()), np.int64), None)


def _running(op: Any, name: str, t: Tensor, dim: Any, dtype: Any) -> Tensor:
    """cumsum or cumprod: ``dim`` checked, the ``dtype=`` cast first, a 0-d tensor as one
    element."""
    dim = _check_dim(dim, t.array.ndim, f"{name}(): argument 'dim'")
    x = _with_dtype(t, dtype)
    out = op.apply(x if x.array.ndim else core_ops.reshape(x, (1,)), dim=dim)
    out = out if x.array.ndim else core_ops.reshape(out, ())
    return out if dtype is None else out.to(dtype)


def _logical(test: Any, t: Tensor, dim: Any, keepdim: bool) -> Tensor:
    dims = _check_dims(dim, t.array.ndim)
    out = np.asarray(test(t.array, axis=dims, keepdims=keepdim))
    return Tensor._make(out.astype(np.uint8) if t.array.dtype == np.uint8 else out, None)


# torch.sum(x, dim) and the other reductions as functions are in reduction_functions.py.

__all__ = ["norm"]
