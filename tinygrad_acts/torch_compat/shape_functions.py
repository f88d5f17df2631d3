"""torch's shape and indexing functions: ``torch.flip(x, (0,))`` is ``x.flip((0,))``, after
checking, in torch's words, that ``x`` is a Tensor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.tensor import Tensor
from .checks import tensor_argument

# -- the same as top-level functions: torch.flip(x, (0,)) is x.flip((0,)) -------------------------


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    """``input.reshape(shape)``."""
    return tensor_argument("reshape", input).reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """``input.flatten(start_dim, end_dim)``."""
    return tensor_argument("flatten", input).flatten(start_dim, end_dim)


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """``input.unflatten(dim, sizes)``."""
    return tensor_argument("unflatten", input).unflatten(dim, sizes)


def squeeze(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """``input.squeeze(dim)``."""
    return tensor_argument("squeeze", input).squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """``input.unsqueeze(dim)``."""
    return tensor_argument("unsqueeze", input).unsqueeze(dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input.transpose(dim0, dim1)``."""
    return tensor_argument("transpose", input).transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``input.permute(dims)``."""
    return tensor_argument("permute", input).permute(dims)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """``input.movedim(source, destination)``."""
    return tensor_argument("movedim", input).movedim(source, destination)


moveaxis = movedim


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``input.flip(dims)``."""
    return tensor_argument("flip", input).flip(dims)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """``input.narrow(dim, start, length)``."""
    return tensor_argument("narrow", input).narrow(dim, start, length)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """``input.select(dim, index)``."""
    return tensor_argument("select", input).select(dim, index)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """``input.unbind(dim)``."""
    return tensor_argument("unbind", input).unbind(dim)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``tensor.split(split_size_or_sections, dim)``."""
    return tensor_argument("split", tensor).split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``input.chunk(chunks, dim)``."""
    return tensor_argument("chunk", input).chunk(chunks, dim)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``input.index_select(dim, index)``."""
    return tensor_argument("index_select", input).index_select(dim, index)


def repeat_interleave(
    input: Tensor, repeats: Any = None, dim: int | None = None, *, output_size: int | None = None
) -> Tensor:
    """``input.repeat_interleave(repeats, dim)``; ``repeat_interleave(counts)`` alone gives
    the indices the counts repeat."""
    return tensor_argument("repeat_interleave", input).repeat_interleave(
        repeats, dim, output_size=output_size
    )


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """``input.index_add(dim, index, source, alpha=alpha)``."""
    return tensor_argument("index_add", input).index_add(dim, index, source, alpha=alpha)


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``input.gather(dim, index)``."""
    return tensor_argument("gather", input).gather(dim, index)


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, **kwargs: Any) -> Tensor:
    """``input.scatter(dim, index, src)``."""
    return tensor_argument("scatter", input).scatter(dim, index, src, **kwargs)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """``input.scatter_add(dim, index, src)``."""
    return tensor_argument("scatter_add", input).scatter_add(dim, index, src)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``input.masked_fill(mask, value)``."""
    return tensor_argument("masked_fill", input).masked_fill(mask, value)


def numel(input: Tensor) -> int:
    """``input.numel()``."""
    return tensor_argument("numel", input).numel()


__all__ = [
    "chunk",
    "flatten",
    "flip",
    "gather",
    "index_add",
    "index_select",
    "masked_fill",
    "moveaxis",
    "movedim",
    "narrow",
    "numel",
    "permute",
    "repeat_interleave",
    "reshape",
    "scatter",
    "scatter_add",
    "select",
    "split",
    "squeeze",
    "transpose",
    "unbind",
    "unflatten",
    "unsqueeze",
]
