"""``MaxPool1d/2d`` and ``AvgPool1d/2d``: summarise each window of a signal or an image.

Both gather the windows with im2col (``ops/convolution.py``: axes (N, C, *out, *k)), a window of
size ``kernel_size`` moved by ``stride`` (default: the kernel size, so windows do not overlap):

- max pooling keeps the largest entry of each window (padding counts as -∞). Its gradient goes
  to that one entry — the first one, when several are equal, as in torch — by gathering it
  with its index: ∂y/∂x = 1 at the argmax, 0 elsewhere.
- average pooling keeps the mean, Σ window / (number of entries) (padding counts as 0, and in
  the count unless ``count_include_pad=False``; ``divisor_override`` replaces the count). Its
  gradient is 1/count for every entry of the window.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...ops.convolution import Unfold, output_size
from ...torch_compat.checks import tensor_argument
from ...torch_compat.nodes import name_node
from ..module import Module
from .conv import _tuple

Geometry = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]]


def _windows(
    name: str,
    input: Tensor,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    spatial: int,
    fill: float,
) -> tuple[Tensor, bool, Geometry]:
    """The windows (N, C, *out, *k) of a checked input, whether it had no batch axis, and the
    geometry used (kernel, stride, dilation, padding pairs)."""
    input = tensor_argument(name, input)
    if ceil_mode:
        raise NotImplementedError(f"{name}(): ceil_mode=True is not supported here")
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(
            f"{name}(): Expected {spatial + 1}D or {spatial + 2}D input tensor, but got "
            f"{list(input.shape)}"
        )
    unbatched = input.ndim == spatial + 1
    if unbatched:
        input = input.unsqueeze(0)
    kernel = _tuple(kernel_size, spatial)
    stride = kernel if stride is None or stride == [] else _tuple(stride, spatial)
    padding, dilation = _tuple(padding, spatial), _tuple(dilation, spatial)
    _check_positive(name, kernel, stride, dilation)
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}"
            )
    sizes = [
        output_size(n, k, s, d, 2 * p)
        for n, k, s, d, p in zip(input.shape[2:], kernel, stride, dilation, padding)
    ]
    if min(sizes) < 1:
        given, calculated = (
            "x".join(map(str, (input.shape[1], *shape))) for shape in (input.shape[2:], sizes)
        )
        raise RuntimeError(
            f"Given input size: ({given}). Calculated output size: ({calculated}). Output size "
            "is too small"
        )
    geometry = (kernel, stride, dilation, tuple((p, p) for p in padding))
    cols = Unfold.apply(input, **_keywords(geometry), fill=fill)
    return cols, unbatched, geometry


def _check_positive(name: str, kernel: tuple, stride: tuple, dilation: tuple) -> None:
    """torch's refusals of a window of no size, a zero step and a zero or negative one."""
    if name.startswith("max") and min(kernel) == 0:
        raise RuntimeError(f"{name}() kernel_size must be greater than zero, but got 0")
    if min(stride) == 0:
        raise RuntimeError("stride should not be zero")
    if min(stride) < 0:
        raise RuntimeError(
            "stride should be greater than zero, but got "
            + " ".join(f"d{a}: {s}" for a, s in zip("HW" if len(stride) == 2 else "W", stride))
        )
    if min(dilation) <= 0:
        raise RuntimeError(
            "dilation should be greater than zero, but got "
            + " ".join(
                f"dilation{a}: {d}" for a, d in zip("HW" if len(dilation) == 2 else "W", dilation)
            )
        )


def _keywords(geometry: Geometry) -> dict[str, Any]:
    kernel, stride, dilation, pairs = geometry
    return {"kernel": kernel, "stride": stride, "dilation": dilation, "padding": pairs}


def _max_pool(
    name: str,
    input: Tensor,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    return_indices: bool,
    spatial: int,
) -> Tensor:
    """Each window's largest entry, its gradient to the first one (see the module)."""
    if return_indices:
        raise NotImplementedError(f"{name}(): return_indices=True is not supported here")
    cols, unbatched, _ = _windows(
        name, input, kernel_size, stride, padding, dilation, ceil_mode, spatial, -math.inf
    )
    flat = cols.reshape(*cols.shape[: 2 + spatial], -1)  # each window along one axis
    first_max = Tensor._make(np.argmax(flat.array, axis=-1)[..., None], None)
    y = flat.gather(-1, first_max).squeeze(-1)
    return _named(y.squeeze(0) if unbatched else y, "MaxPool2DWithIndicesBackward0", spatial)


def _avg_pool(
    name: str,
    input: Tensor,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: int | None,
    spatial: int,
) -> Tensor:
    """Each window's mean, padding counted as zeros (see the module)."""
    cols, unbatched, geometry = _windows(
        name, input, kernel_size, stride, padding, 1, ceil_mode, spatial, 0.0
    )
    window_axes = tuple(range(-spatial, 0))
    total = cols.sum(window_axes)
    kernel, _, _, pairs = geometry
    if divisor_override is not None:
        y = total / divisor_override
    elif count_include_pad or not any(map(any, pairs)):
        y = total / math.prod(kernel)
    else:  # the entries of each window that are not padding: the windows of ones, summed
        ones = np.ones((1, 1, *input.shape[-spatial:]), cols.array.dtype)
        counts = Unfold.apply(ones, **_keywords(geometry)).sum(window_axes)
        y = total / Tensor._make(counts, None)
    return _named(y.squeeze(0) if unbatched else y, "AvgPool2DBackward0", spatial)


def _named(y: Tensor, name: str, spatial: int) -> Tensor:
    """The node named as torch's: it pools a line as a plane of height 1, then squeezes it."""
    return name_node(y, name if spatial == 2 else "SqueezeBackward1")


def max_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor:
    """The largest entry of each window of (N, C, L) inputs, as ``F.max_pool1d``."""
    return _max_pool(
        "max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1
    )


def max_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor:
    """The largest entry of each window of (N, C, H, W) inputs, as ``F.max_pool2d``."""
    return _max_pool(
        "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2
    )


def avg_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """The mean of each window of (N, C, L) inputs, as ``F.avg_pool1d``."""
    return _avg_pool(
        "avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1
    )


def avg_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window of (N, C, H, W) inputs, as ``F.avg_pool2d``."""
    return _avg_pool(
        "avg_pool2d",
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
        2,
    )


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share: the arguments, kept as given, and ``repr``."""

    spatial = 0

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return _max_pool(
            f"max_pool{self.spatial}d",
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
            self.spatial,
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """Max pooling over (N, C, L) or (C, L) inputs (see the module)."""

    spatial = 1


class MaxPool2d(_MaxPoolNd):
    """Max pooling over (N, C, H, W) or (C, H, W) inputs (see the module)."""

    spatial = 2


class AvgPool1d(Module):
    """Average pooling over (N, C, L) or (C, L) inputs (see the module)."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _tuple(kernel_size, 1)
        self.stride = _tuple(stride if stride is not None else kernel_size, 1)
        self.padding = _tuple(padding, 1)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """Average pooling over (N, C, H, W) or (C, H, W) inputs (see the module)."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


# -- adaptive pooling: the windows chosen to give an output of a given size ----------------
#
# Output place i of n along an axis of length L covers the entries floor(i·L/n) up to (not
# including) ceil((i+1)·L/n), as torch chooses them: windows of nearly equal size that cover
# the axis, overlapping by one entry where L/n is not whole.


def _adaptive_sizes(name: str, input: Tensor, output_size: Any, spatial: int) -> list[int]:
    """The checked output size, one per spatial axis (None keeps the input's size)."""
    if input.ndim not in (spatial + 1, spatial + 2):
        if spatial == 1:
            raise RuntimeError(
                f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for "
                f"argument #1 'self' (while checking arguments for {name})"
            )
        raise RuntimeError(
            f"{name}(): Expected 3D or 4D tensor, but got{':' if 'max' in name else ''} "
            f"{list(input.shape)}"
        )
    sizes = list(output_size) if isinstance(output_size, (tuple, list)) else [output_size]
    sizes = sizes * spatial if len(sizes) == 1 and spatial == 2 else sizes
    if len(sizes) != spatial:
        if spatial == 1:
            raise RuntimeError(
                f"{name}() argument 'output_size' should contain one int (got {len(sizes)})"
            )
        raise ValueError(f"Input dimension should be at least {len(sizes) + 1}")
    sizes = [n if s is None else s for s, n in zip(sizes, input.shape[-spatial:])]
    if min(sizes) < 0:
        raise RuntimeError(
            f"{name}: elements of output_size must be greater than or equal to 0 but "
            f"received {{{', '.join(map(str, sizes))}}}"
        )
    for axis in range(1 if input.ndim == spatial + 2 else 0, input.ndim):
        if input.shape[axis] == 0:
            raise RuntimeError(
                f"{name}(): Expected input to have non-zero size for non-batch dimensions, "
                f"but input has sizes {list(input.shape)} with dimension {axis} being empty"
            )
    return sizes


def _adaptive_windows(length: int, n: int) -> list[tuple[int, int]]:
    """torch's window (start, end) of each of the ``n`` output places along ``length``."""
    return [((i * length) // n, -((-(i + 1) * length) // n)) for i in range(n)]


def _window_matrix(length: int, n: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """M (length × n) with M[j, i] = 1 where entry j is in window i, and each window's size:
    x @ M sums each window exactly as torch does, entry by entry."""
    m = np.zeros((length, n), dtype)
    for i, (start, end) in enumerate(_adaptive_windows(length, n)):
        m[start:end, i] = 1
    return m, m.sum(0)


def _adaptive_avg_pool(name: str, input: Tensor, output_size: Any, spatial: int) -> Tensor:
    """Each window's mean: y = Σ window / its size, the sum as a product with 0/1 matrices
    (so its gradient, each entry's 1/size, comes from matmul's own rule)."""
    input = tensor_argument(name, input)
    sizes = _adaptive_sizes(name, input, output_size, spatial)
    if spatial == 2 and sizes == [1, 1]:  # one window, the whole image: torch takes the mean
        return input.mean((-2, -1), keepdim=True)
    dtype = input.array.dtype
    m_w, count_w = _window_matrix(input.shape[-1], sizes[-1], dtype)
    y = input @ Tensor._make(m_w, None)
    count = count_w
    if spatial == 2:
        m_h, count_h = _window_matrix(input.shape[-2], sizes[0], dtype)
        y = Tensor._make(np.ascontiguousarray(m_h.T), None) @ y
        count = np.multiply.outer(count_h, count_w)
    y = y / Tensor._make(count, None)
    return _named(y, "AdaptiveAvgPool2DBackward0", spatial)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """The mean of each of ``output_size`` nearly equal windows of (N, C, L) inputs."""
    return _adaptive_avg_pool("adaptive_avg_pool1d", input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """The mean of each of (h, w) nearly equal windows of (N, C, H, W) inputs (``None``
    keeps that axis' size)."""
    return _adaptive_avg_pool("adaptive_avg_pool2d", input, output_size, 2)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Tensor:
    """The largest entry of each of (h, w) nearly equal windows of (N, C, H, W) inputs; its
    gradient goes to that entry (the first one when several are equal)."""
    name = "adaptive_max_pool2d"
    input = tensor_argument(name, input)
    if return_indices:
        raise NotImplementedError(f"{name}(): return_indices=True is not supported here")
    sizes = _adaptive_sizes(name, input, output_size, 2)
    (height, width), rows, cols = (
        input.shape[-2:],
        *(_adaptive_windows(n, s) for n, s in zip(input.shape[-2:], sizes)),
    )
    if 0 in sizes:  # no windows: an empty result, as torch's
        return input.reshape(*input.shape[:-2], height * width)[..., :0].reshape(
            *input.shape[:-2], *sizes
        )
    # Each window's flat indices, filled up to the largest window with its first entry again
    # (which changes neither its maximum nor which entry is first to reach it).
    k = max(e - s for s, e in rows) * max(e - s for s, e in cols)
    index = np.empty((*sizes, k), np.intp)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            flat = (np.arange(r0, r1)[:, None] * width + np.arange(c0, c1)).ravel()
            index[i, j] = flat[0]
            index[i, j, : flat.size] = flat
    windows = input.reshape(*input.shape[:-2], height * width)[..., Tensor._make(index, None)]
    first_max = Tensor._make(np.argmax(windows.array, axis=-1)[..., None], None)
    y = windows.gather(-1, first_max).squeeze(-1)
    return name_node(y, "AdaptiveMaxPool2DBackward0")


class _AdaptivePool(Module):
    """What the adaptive pooling modules share: ``output_size``, and ``repr``."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average pooling to a given length of (N, C, L) or (C, L) inputs (see above)."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average pooling to a given (h, w) of (N, C, H, W) or (C, H, W) inputs (see above)."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool2d(_AdaptivePool):
    """Max pooling to a given (h, w) of (N, C, H, W) or (C, H, W) inputs (see above)."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)
