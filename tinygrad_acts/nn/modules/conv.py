"""``Conv1d`` and ``Conv2d``: learnable filters slid over a signal or an image.

For an input x of shape (N, C_in, *L) and a weight W of shape (C_out, C_in/groups, *k), each
output is a sum over one window of x (the cross-correlation torch computes):

    y[n, o, p] = b[o] + Σ_{c, k} x_padded[n, c, p·s + k·d] · W[o, c, k]

with ``stride`` s, ``dilation`` d, and x padded with zeros by ``padding`` on each side (or
``"same"``: as much as keeps the length, ``"valid"``: none). With ``groups`` g the channels
are split in g groups, each output channel seeing only its group's inputs.

It is computed as im2col (``ops/convolution.py``: every window gathered into axes
(N, C, *out, *k)) and one einsum with W; the gradients are those two ops' — the einsum's for
x's windows and for W, and the adjoint of im2col (col2im) to take the windows' gradient back to
x.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...ops.convolution import Pairs, Unfold, output_size
from ...torch_compat.checks import tensor_argument
from ...torch_compat.dtypes import c10_dtype_name, torch_dtype_name
from ...torch_compat.linalg import einsum
from ...torch_compat.nodes import name_node
from .. import init
from ..module import Module, Parameter, check_device
from .linear import linear

SPATIAL_LETTERS = "xy"  # the einsum letters of the spatial axes


def _tuple(value: Any, n: int) -> tuple[int, ...]:
    """``value`` once per spatial axis: an int repeated, or a sequence of n ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    return tuple(int(v) for v in value)


def _same_padding(kernel: tuple[int, ...], dilation: tuple[int, ...]) -> Pairs:
    """The padding that keeps the length at stride 1: d(k - 1) in all, the extra one after."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return tuple((t // 2, t - t // 2) for t in total)


def _conv(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    spatial: int,
) -> Tensor:
    """The convolution of the module docstring with ``spatial`` (1 or 2) spatial axes."""
    name = f"conv{spatial}d"
    input = tensor_argument(name, input)
    weight = tensor_argument(name, weight, "weight", 2)
    if input.ndim not in (spatial + 1, spatial + 2):
        raise RuntimeError(
            f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {name}, "
            f"but got input of size: {list(input.shape)}"
        )
    unbatched = input.ndim == spatial + 1
    if unbatched:
        input = input.unsqueeze(0)
    if bias is not None and bias.dtype != input.dtype:  # torch looks at the bias first
        raise RuntimeError(
            f"Input type ({c10_dtype_name(input.dtype)}) and bias type "
            f"({c10_dtype_name(bias.dtype)}) should be the same"
        )
    if weight.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {torch_dtype_name(input.dtype)} but found "
            f"{torch_dtype_name(weight.dtype)}"
        )
    kernel = tuple(weight.shape[2:])
    stride, dilation = _tuple(stride, spatial), _tuple(dilation, spatial)
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    channels, out_channels = input.shape[1], weight.shape[0]
    if channels != weight.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
            f"{list(input.shape)} to have {weight.shape[1] * groups} channels, but got "
            f"{channels} channels instead"
        )
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if padding == "same" and any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pairs = _same_padding(kernel, dilation) if padding == "same" else ((0, 0),) * spatial
    else:
        pairs = tuple((p, p) for p in _tuple(padding, spatial))
        if min(p for p, _ in pairs) < 0:
            raise RuntimeError("negative padding is not supported")
    for n, k, s, d, (a, b) in zip(input.shape[2:], kernel, stride, dilation, pairs):
        if output_size(n, k, s, d, a + b) < 1:
            raise RuntimeError(
                "Calculated padded input size per channel: "
                f"({' x '.join(str(m + sum(p)) for m, p in zip(input.shape[2:], pairs))}). "
                f"Kernel size: ({' x '.join(map(str, kernel))}). Kernel size can't be greater "
                "than actual input size"
            )
    cols = Unfold.apply(input, kernel=kernel, stride=stride, dilation=dilation, padding=pairs)
    if groups == 1:
        y = _windows_times_weight(cols, weight, bias, spatial)
    else:  # channels split into groups: cols (N, g, C/g, *p, *k) against W (g, O/g, C/g, *k)
        cols = cols.reshape(cols.shape[0], groups, channels // groups, *cols.shape[2:])
        w = weight.reshape(groups, out_channels // groups, *weight.shape[1:])
        p, k = SPATIAL_LETTERS[:spatial], "ij"[:spatial]
        y = einsum(f"ngc{p}{k},goc{k}->ngo{p}", cols, w)
        y = y.reshape(y.shape[0], out_channels, *y.shape[3:])
        if bias is not None:
            y = y + bias.reshape(out_channels, *(1,) * spatial)
    y = name_node(y, "ConvolutionBackward0")  # torch's one node for the products and the bias
    return y.squeeze(0) if unbatched else y


def _windows_times_weight(
    cols: Tensor, weight: Tensor, bias: Tensor | None, spatial: int
) -> Tensor:
    """Σ_{c,k} cols[n, c, p, k]·W[o, c, k] + b[o] as one matrix product (``F.linear``): each
    window a row of C·Πk numbers, W a matrix (C_out, C·Πk). BLAS does it several times faster
    than an einsum of the strided windows."""
    n = cols.shape[0]
    out = cols.shape[2 : 2 + spatial]
    window_axes = range(2 + spatial, 2 + 2 * spatial)
    rows = cols.permute(0, *range(2, 2 + spatial), 1, *window_axes)  # (N, *p, C, *k)
    rows = rows.reshape(n, *out, -1)
    y = linear(rows, weight.reshape(weight.shape[0], -1), bias)  # (N, *p, C_out)
    return y.permute(0, 1 + spatial, *range(1, 1 + spatial))


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """y[n, o, t] = b[o] + Σ_{c,k} x[n, c, t·s + k·d]·W[o, c, k] over (N, C, L) inputs, as
    ``torch.nn.functional.conv1d``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """y[n, o, i, j] = b[o] + Σ_{c,k,l} x[n, c, i·s + k·d, j·s + l·d]·W[o, c, k, l] over
    (N, C, H, W) inputs, as ``torch.nn.functional.conv2d``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the weight, the bias, their initialisation, ``repr``."""

    spatial = 0

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode != "zeros":
            raise NotImplementedError(
                f"padding_mode={padding_mode!r} is not supported here; only 'zeros' is"
            )
        n = self.spatial
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of ['valid', 'same']"
                )
            if padding == "same" and any(s != 1 for s in _tuple(stride, n)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _tuple(kernel_size, n), _tuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.dilation, self.groups = _tuple(dilation, n), groups
        self.output_padding, self.transposed = (0,) * n, False
        self.padding_mode = padding_mode
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's: W from kaiming_uniform_(a=√5), i.e. U(-1/√fan_in, 1/√fan_in), and b from
        the same interval, with fan_in = C_in/groups · Π k."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return _conv(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.dilation,
            self.groups,
            self.spatial,
        )

    def extra_repr(self) -> str:
        n = self.spatial
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv1d(_ConvNd):
    """A 1-d convolution over (N, C_in, L) or (C_in, L) inputs (see the module)."""

    spatial = 1


class Conv2d(_ConvNd):
    """A 2-d convolution over (N, C_in, H, W) or (C_in, H, W) inputs (see the module)."""

    spatial = 2
