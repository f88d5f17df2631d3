"""``Flatten`` and ``Unflatten``: reshape layers, merging axes into one or splitting one.

``Flatten(start_dim=1, end_dim=-1)`` turns (N, C, H, W) into (N, C·H·W), keeping the batch
axis; ``Unflatten(1, (C, H, W))`` undoes it. Both are reshapes: the gradient is the output's
gradient reshaped back.
"""

from __future__ import annotations

import math
from typing import Any

from ...core.tensor import Tensor
from ...torch_compat.checks import _check_dim
from ..module import Module


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """``input`` with axis ``dim`` split into ``sizes`` (one of them may be -1: inferred)."""
    sizes = [int(n) for n in sizes]
    if input.ndim == 0:
        raise RuntimeError(
            "unflatten got an unexpected error:\n"
            f"Dimension specified as {dim} but tensor has no dimensions"
        )
    axis = _check_dim(dim, input.ndim)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("unflatten got an unexpected error:\nonly one dimension can be inferred")
    known = math.prod(n for n in sizes if n != -1)
    length = input.shape[axis]
    if -1 in sizes and known == 0 and length == 0:  # [0, -1] of nothing: any size would do
        raise RuntimeError(
            "unflatten got an unexpected error:\ncannot reshape tensor of 0 elements into shape "
            f"{sizes} because the unspecified dimension size -1 can be any value and is ambiguous"
        )
    fits = known != 0 and length % known == 0 if -1 in sizes else known == length
    if not fits:
        raise RuntimeError(
            f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {axis} "
            f"({length}) in the input tensor"
        )
    return input.reshape(*input.shape[:axis], *sizes, *input.shape[axis + 1 :])


class Flatten(Module):
    """Merge the axes ``start_dim`` … ``end_dim`` into one: (N, C, H, W) → (N, C·H·W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``: ``Unflatten(1, (3, 4))`` turns (N, 12)
    into (N, 3, 4). One size may be -1, inferred from the others."""

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if isinstance(dim, str):
            raise TypeError("Unflatten: named dimensions are not supported; give dim as an int")
        if not isinstance(dim, int):
            raise TypeError("invalid argument type for dim parameter")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                "unflattened_size must be a tuple of ints, but found type "
                f"{type(unflattened_size).__name__}"
            )
        for i, n in enumerate(unflattened_size):
            if not isinstance(n, int):
                raise TypeError(
                    "unflattened_size must be tuple of ints, but found element of type "
                    f"{type(n).__name__} at pos {i}"
                )
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
