"""Ops that move elements around: flip, repeat, gather and scatter, and a matrix's diagonal.

Each op is a ``Function``: ``forward`` on NumPy arrays and one ``backward`` rule, written with
operators and ops so that it runs on arrays (a first-order pass) and on Tensors
(``create_graph``) alike. An element that went to several places (repeat, gather with a
repeated index) gets the sum of their gradients; one that was overwritten (scatter) gets none.
Each result is a new array, never a view of the input (as in torch: flip copies) — but the
diagonal, which is a view in torch too.

The gather/scatter family works along ``dim`` with an ``index`` array of the same number of
dimensions: position ``p`` of the index stands for position ``p`` of the result (gather) or of
the source (scatter), with ``p[dim]`` replaced by the index's value there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.ops import Sum, reshape
from .basic import IndexPut, array_of


class Diagonal(Function):
    """The ``offset``-th diagonal of the matrices in the last two axes, as the last axis: a view
    of ``a`` (it shares a's memory, as torch's ``diagonal``).

    ∂/∂a = the gradient written on that diagonal of zeros. Saves nothing.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, offset: int) -> np.ndarray:
        ctx.shape, ctx.places = a.shape, diagonal_places(a.shape[-2], a.shape[-1], offset)
        start = a[..., max(-offset, 0) :, max(offset, 0) :]
        n = len(ctx.places[0])
        return np.lib.stride_tricks.as_strided(
            start, (*a.shape[:-2], n), (*a.strides[:-2], a.strides[-2] + a.strides[-1])
        )

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        zeros = np.zeros(ctx.shape, np.asarray(array_of(grad)).dtype)
        return IndexPut.apply(zeros, grad, index=(Ellipsis, *ctx.places))


def diagonal_places(rows: int, cols: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """The row and column indices of the ``offset``-th diagonal of a rows × cols matrix
    (above the main one for offset > 0)."""
    first_row, first_col = max(-offset, 0), max(offset, 0)
    n = max(min(rows - first_row, cols - first_col), 0)
    return np.arange(n) + first_row, np.arange(n) + first_col


class Flip(Function):
    """a reversed along each of ``dims``.   The gradient is flipped back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return Flip.apply(grad, dims=ctx.dims)


class Repeat(Function):
    """a tiled ``repeats[i]`` times along each dimension i (``repeats`` may have more entries
    than a has dimensions: a gets leading dimensions of 1).   Each element was copied once per
    tile, so its gradient is the sum over the tiles: grad viewed as (r₀, n₀, r₁, n₁, …) and
    summed over the r axes."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, repeats: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        ctx.tiled = (1,) * (len(repeats) - a.ndim) + a.shape  # a's shape, with the new axes
        ctx.repeats = repeats
        return np.tile(a, repeats)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        split = tuple(n for pair in zip(ctx.repeats, ctx.tiled) for n in pair)
        tiles = tuple(range(0, len(split), 2))
        return reshape(Sum.apply(reshape(grad, split), dim=tiles, keepdim=False), ctx.shape)


def positions(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """NumPy's key for the elements ``index`` points at along ``dim``: at each position p of
    the index, p with p[dim] replaced by index[p] (a 0-d index: the one element)."""
    key = list(np.ogrid[tuple(slice(n) for n in index.shape)])
    if not key:
        return ()
    key[dim] = index
    return tuple(key)


class Gather(Function):
    """out[p] = a[p with p[dim] = index[p]] (torch's ``gather``).   ∂/∂a: each gradient added
    back where its element came from (``ScatterAdd`` into zeros; a repeated index sums)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, index: np.ndarray, dim: int) -> np.ndarray:
        ctx.index, ctx.dim, ctx.shape = index, dim, a.shape
        return np.array(a[positions(index, dim)])

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        zeros = np.zeros(ctx.shape, grad.dtype)
        return ScatterAdd.apply(zeros, grad, index=ctx.index, dim=ctx.dim)


class ScatterAdd(Function):
    """a with src[p] added at (p with p[dim] = index[p]), src of the index's shape
    (torch's ``scatter_add``).   ∂/∂a = grad,  ∂/∂src = grad gathered from where each went."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, src: np.ndarray, *, index: np.ndarray, dim: int
    ) -> np.ndarray:
        ctx.index, ctx.dim = index, dim
        out = np.array(a, copy=True)
        np.add.at(out, positions(index, dim), src)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        need_a, need_src = ctx.needs_input_grad
        return grad if need_a else None, (
            Gather.apply(grad, index=ctx.index, dim=ctx.dim) if need_src else None
        )


class Scatter(Function):
    """a with src[p] written at (p with p[dim] = index[p]); src a number or of the index's
    shape (torch's ``scatter``).   ∂/∂a = grad with zeros where a was overwritten,
    ∂/∂src = grad gathered from where each went."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, src: Any, *, index: np.ndarray, dim: int) -> np.ndarray:
        ctx.index, ctx.dim = index, dim
        out = np.array(a, copy=True)
        out[positions(index, dim)] = src
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        need_a, need_src = ctx.needs_input_grad
        return (
            Scatter.apply(grad, 0.0, index=ctx.index, dim=ctx.dim) if need_a else None,
            Gather.apply(grad, index=ctx.index, dim=ctx.dim) if need_src else None,
        )
