"""The two linear ops a convolution is made of: ``Unfold`` (im2col) and its adjoint ``Fold``.

For an input x of shape (N, C, *spatial) — one or two spatial axes — ``Unfold`` pads x (with
``fill``, ``padding`` given as (before, after) per axis) and gathers every window that a kernel
of size ``kernel`` (taps ``dilation`` apart) visits when moved by ``stride``:

    cols[n, c, p₁, p₂, k₁, k₂] = x_padded[n, c, p₁·s₁ + k₁·d₁, p₂·s₂ + k₂·d₂]

A convolution is then one product, y[n, o, p] = Σ_{c,k} cols[n, c, p, k]·W[o, c, k] (an
einsum), and pooling a max or a mean over the k axes. The forward is a strided view (NumPy's
``sliding_window_view``), so nothing is copied.

Both ops are linear, so each one's derivative is the other: the gradient of ``Unfold`` sends
each window entry back to the input element it came from, adding where windows overlap —
that is ``Fold`` (col2im) — and the gradient of ``Fold`` is ``Unfold`` of the gradient (with
zero fill). Neither saves anything.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.function import Function, Node

Pairs = tuple[tuple[int, int], ...]  # (before, after) padding per spatial axis
Ints = tuple[int, ...]  # one per spatial axis


def output_size(length: int, kernel: int, stride: int, dilation: int, padding: int) -> int:
    """⌊(L + padding - d(k - 1) - 1)/s⌋ + 1 windows along one axis (``padding`` the total)."""
    return (length + padding - dilation * (kernel - 1) - 1) // stride + 1


def _windows(padded: np.ndarray, kernel: Ints, stride: Ints, dilation: Ints) -> np.ndarray:
    """The view cols[n, c, *p, *k] of the already padded array (see the module)."""
    spatial = padded.ndim - 2
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))  # a window with its gaps
    view = np.lib.stride_tricks.sliding_window_view(padded, span, axis=tuple(range(2, padded.ndim)))
    steps = (slice(None), slice(None), *(slice(None, None, s) for s in stride))
    taps = tuple(slice(None, None, d) for d in dilation)
    return view[steps + taps][(..., *[slice(None)] * spatial)]


class Unfold(Function):
    """cols = im2col(pad(x)): every kernel window of x, as axes (N, C, *out, *kernel).

    ∂/∂x = Fold(g): each window entry's gradient added back where it was read (see the module).
    Saves nothing.
    """

    @staticmethod
    def forward(
        ctx: Node,
        x: np.ndarray,
        *,
        kernel: Ints,
        stride: Ints,
        dilation: Ints,
        padding: Pairs,
        fill: float = 0.0,
    ) -> np.ndarray:
        ctx.input_shape = x.shape  # for the backward: Fold needs to know what to fold into
        widths = ((0, 0), (0, 0), *padding)
        padded = np.pad(x, widths, constant_values=fill) if any(map(any, padding)) else x
        return _windows(padded, kernel, stride, dilation)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        p = ctx.params
        return Fold.apply(
            grad,
            input_shape=ctx.input_shape,
            kernel=p["kernel"],
            stride=p["stride"],
            dilation=p["dilation"],
            padding=p["padding"],
        )


class Fold(Function):
    """x = col2im(cols): the adjoint of ``Unfold`` — each window entry added into the element
    it was read from, the padding cropped off.

    ∂/∂cols = Unfold(g) (zero fill): each entry's gradient is the gradient of its element.
    Saves nothing.
    """

    @staticmethod
    def forward(
        ctx: Node,
        cols: np.ndarray,
        *,
        input_shape: Ints,
        kernel: Ints,
        stride: Ints,
        dilation: Ints,
        padding: Pairs,
    ) -> np.ndarray:
        spatial = len(kernel)
        padded_shape = [n + a + b for n, (a, b) in zip(input_shape[2:], padding)]
        out = np.zeros((*input_shape[:2], *padded_shape), dtype=cols.dtype)
        counts = cols.shape[2 : 2 + spatial]  # windows per axis
        for offset in np.ndindex(*kernel):  # one strided slice-add per kernel tap
            target = tuple(
                slice(k * d, k * d + s * (n - 1) + 1, s)
                for k, d, s, n in zip(offset, dilation, stride, counts)
            )
            out[(slice(None), slice(None), *target)] += cols[(..., *offset)]
        crop = tuple(slice(a, a + n) for (a, _), n in zip(padding, input_shape[2:]))
        return out[(slice(None), slice(None), *crop)]

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        p = ctx.params
        return Unfold.apply(
            grad,
            kernel=p["kernel"],
            stride=p["stride"],
            dilation=p["dilation"],
            padding=p["padding"],
        )
