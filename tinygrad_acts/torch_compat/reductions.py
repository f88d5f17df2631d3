"""Reductions as torch has them: ``sum``, ``mean``, ``max``/``min`` …, as Tensor methods and as
``torch.sum(x, dim)`` functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from .checks import _check_dims, tensor_argument
from .dtypes import torch_dtype_name
from .functions import max_or_min


class TensorReductions:
    """The reduction methods of ``Tensor``."""

    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        return core_ops.Sum.apply(self, dim=_check_dims(dim, self.array.ndim), keepdim=keepdim)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        if self.array.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {torch_dtype_name(self.array.dtype)}"
            )
        return _basic.Mean.apply(self, dim=_check_dims(dim, self.array.ndim), keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest value; with ``dim``, a ``(values, indices)`` pair along that axis.

        Gradient, as torch: without ``dim`` it is shared equally among tied maxima; with
        ``dim`` it goes to the returned index (the first maximum).
        """
        return max_or_min(self, dim, keepdim, largest=True)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest value; as ``max``."""
        return max_or_min(self, dim, keepdim, largest=False)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The sum of all elements, or along ``dim``."""
    return tensor_argument("sum", input).sum(dim, keepdim)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The mean of all elements, or along ``dim``."""
    return tensor_argument("mean", input).mean(dim, keepdim)


__all__ = ["mean", "sum"]
