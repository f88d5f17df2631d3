"""torch's reductions as top-level functions: ``torch.sum(x, dim)`` is ``x.sum(dim)``, after
checking, in torch's words, that ``x`` is a Tensor. The methods, their checks and NumPy's
``axis=``/``keepdims=`` names are in ``reductions.py``; ``norm`` is there too."""

from __future__ import annotations

from typing import Any

from ..core.tensor import Tensor
from .checks import tensor_argument
from .reductions import Dim

# -- torch.sum(x, dim) and the rest: the methods, after checking that x is a Tensor -------------


def sum(
    input: Tensor,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The sum of all elements, or along ``dim``."""
    return tensor_argument("sum", input).sum(
        dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims
    )


def mean(
    input: Tensor,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The mean of all elements, or along ``dim``."""
    return tensor_argument("mean", input).mean(
        dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims
    )


def prod(
    input: Tensor,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The product of all elements, or along ``dim``."""
    return tensor_argument("prod", input).prod(
        dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims
    )


def var(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The variance over ``dim`` (Bessel-corrected unless told otherwise)."""
    return tensor_argument("var", input).var(
        dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims
    )


def std(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The standard deviation over ``dim``."""
    return tensor_argument("std", input).std(
        dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims
    )


def max(
    input: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Any:
    """The largest value; ``(values, indices)`` along ``dim``; with a Tensor, ``maximum``."""
    return tensor_argument("max", input).max(dim, keepdim, axis=axis, keepdims=keepdims)


def min(
    input: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Any:
    """The smallest value; ``(values, indices)`` along ``dim``; with a Tensor, ``minimum``."""
    return tensor_argument("min", input).min(dim, keepdim, axis=axis, keepdims=keepdims)


def amax(
    input: Tensor,
    dim: Dim = (),
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The largest value over ``dim`` (ties share the gradient)."""
    return tensor_argument("amax", input).amax(dim, keepdim, axis=axis, keepdims=keepdims)


def amin(
    input: Tensor,
    dim: Dim = (),
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The smallest value over ``dim`` (ties share the gradient)."""
    return tensor_argument("amin", input).amin(dim, keepdim, axis=axis, keepdims=keepdims)


def argmax(
    input: Tensor,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The index of the largest value (flattened, or along ``dim``)."""
    return tensor_argument("argmax", input).argmax(dim, keepdim, axis=axis, keepdims=keepdims)


def argmin(
    input: Tensor,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The index of the smallest value (flattened, or along ``dim``)."""
    return tensor_argument("argmin", input).argmin(dim, keepdim, axis=axis, keepdims=keepdims)


def median(
    input: Tensor,
    dim: Any = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Any:
    """The lower median; ``(values, indices)`` along ``dim``."""
    return tensor_argument("median", input).median(dim, keepdim, axis=axis, keepdims=keepdims)


def logsumexp(
    input: Tensor,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """log Σ exp(x) over ``dim``, computed without overflow."""
    return tensor_argument("logsumexp", input).logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


def cumsum(input: Tensor, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
    """The running sum along ``dim``."""
    return tensor_argument("cumsum", input).cumsum(dim, dtype=dtype, axis=axis)


def cumprod(
    input: Tensor, dim: int | None = None, *, dtype: Any = None, axis: Any = None
) -> Tensor:
    """The running product along ``dim``."""
    return tensor_argument("cumprod", input).cumprod(dim, dtype=dtype, axis=axis)


def all(
    input: Tensor,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Whether every element (over ``dim``) is non-zero."""
    return tensor_argument("all", input).all(dim, keepdim, axis=axis, keepdims=keepdims)


def any(
    input: Tensor,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    axis: Any = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Whether some element (over ``dim``) is non-zero."""
    return tensor_argument("any", input).any(dim, keepdim, axis=axis, keepdims=keepdims)


def count_nonzero(input: Tensor, dim: Dim = None, *, axis: Any = None) -> Tensor:
    """How many elements (over ``dim``) are non-zero."""
    return tensor_argument("count_nonzero", input).count_nonzero(dim, axis=axis)


__all__ = [
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "logsumexp",
    "max",
    "mean",
    "median",
    "min",
    "prod",
    "std",
    "sum",
    "var",
]
