"""Linear algebra as torch has it: ``matmul`` (``@``), …, as functions (``torch.mm``) and
Tensor methods."""

from __future__ import annotations

from ..core.tensor import Tensor
from .checks import tensor_argument


class TensorLinalg:
    """The linear-algebra methods of ``Tensor``."""


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """input @ other."""
    if not isinstance(other, Tensor):
        raise TypeError(
            f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    return tensor_argument("matmul", input) @ other


__all__ = ["matmul"]
