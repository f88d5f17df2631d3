"""``LayerNorm`` and ``BatchNorm1d``/``BatchNorm2d``: centre and scale activations.

Both compute, over some axes of x,

    x̂ = (x - μ) / √(σ² + ε),   y = γ·x̂ + β,

with μ the mean and σ² the *biased* variance (divided by n, not n - 1) over those axes, and γ,
β learnable (``weight``, ``bias``). They differ in the axes:

- layer norm: the last axes (``normalized_shape``) of each sample, in training and evaluation
  alike; γ and β have ``normalized_shape``.
- batch norm: every axis but the channels (axis 1) — the batch and, for (N, C, L) or
  (N, C, H, W), the positions; γ and β have one entry per channel. In training the batch's
  own μ, σ² are used and the *running* estimates are updated,

      running_mean ← (1 - m)·running_mean + m·μ
      running_var  ← (1 - m)·running_var  + m·σ²·n/(n - 1)     (the unbiased variance)

  with m = ``momentum`` (or 1/k after k batches when ``momentum=None``: a plain average); in
  evaluation (``model.eval()``) the running estimates replace μ and σ².

The gradients are those of the ops the formula is written with (mean, subtract, multiply,
rsqrt): the engine derives the textbook result
∂L/∂x = (γ/√(σ²+ε))·(g - mean(g) - x̂·mean(g·x̂)) from them, and derivatives of any order.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ...autograd.grad_mode import no_grad
from ...core.tensor import Tensor
from ...torch_compat.checks import tensor_argument
from ...torch_compat.nodes import name_node
from ...torch_compat.size import Size
from .. import init
from ..module import Module, Parameter, check_device


def _normalize(x: Tensor, axes: tuple[int, ...], eps: float) -> Tensor:
    """x̂ = (x - μ)/√(σ² + ε) with μ, σ² the mean and biased variance over ``axes``."""
    centred = x - x.mean(axes, keepdim=True)
    variance = (centred * centred).mean(axes, keepdim=True)
    return centred * (variance + eps).rsqrt()


def _affine(
    y: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...]
) -> Tensor:
    """γ·y + β, with γ and β reshaped to ``shape`` so that they broadcast along their axis."""
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


# -- layer norm ------------------------------------------------------------------------------


def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """γ·(x - μ)/√(σ² + ε) + β over the last ``len(normalized_shape)`` axes of x, as
    ``torch.nn.functional.layer_norm`` (``normalized_shape`` a tuple or list of ints)."""
    input = tensor_argument("layer_norm", input)
    if not isinstance(normalized_shape, (tuple, list, Size)):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
            f"{type(normalized_shape).__name__}"
        )
    shape = [int(n) for n in normalized_shape]
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t.shape)} and normalized_shape = {shape}"
            )
    if not shape or list(input.shape[input.ndim - len(shape) :]) != shape:
        expected = ", ".join(["*", *map(str, shape)])
        raise RuntimeError(
            f"Given normalized_shape={shape}, expected input with shape [{expected}], but got "
            f"input of size{list(input.shape)}"
        )
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    y = _affine(_normalize(input, axes, eps), weight, bias, tuple(shape))
    return name_node(y, "NativeLayerNormBackward0")


class LayerNorm(Module):
    """Normalise each sample over its last axes (``normalized_shape``), then scale and shift
    by learnable γ (``weight``, ones) and β (``bias``, zeros) of that shape."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(n) for n in normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype))
            if bias:
                self.bias = Parameter(np.zeros(self.normalized_shape, dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        """γ back to ones and β to zeros."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


# -- batch norm ------------------------------------------------------------------------------


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Batch normalisation over every axis but axis 1 (the channels), as
    ``torch.nn.functional.batch_norm``: with the batch's statistics when ``training`` (and
    the running ones, if given, updated in place), else with ``running_mean``/``running_var``."""
    input = tensor_argument("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")
    channels = input.shape[1]
    for name, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    axes = (0, *range(2, input.ndim))
    per_channel = input.numel() // max(channels, 1)
    if training and per_channel <= 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {input.shape}"
        )
    shape = (1, channels) + (1,) * (input.ndim - 2)  # γ, β, μ, σ² along axis 1
    if training:
        y = _normalize(input, axes, eps)
        if running_mean is not None or running_var is not None:
            _update_running_stats(input, axes, running_mean, running_var, momentum, per_channel)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
        mean, variance = running_mean.reshape(shape), running_var.reshape(shape)
        y = (input - mean) * (variance + eps).rsqrt()
    return name_node(_affine(y, weight, bias, shape), "NativeBatchNormBackward0")


def _update_running_stats(
    input: Tensor,
    axes: tuple[int, ...],
    running_mean: Tensor | None,
    running_var: Tensor | None,
    momentum: float,
    n: int,
) -> None:
    """running ← (1 - m)·running + m·batch, with the unbiased variance σ²·n/(n - 1); in place
    and outside the graph, as torch's buffers are updated."""
    with no_grad():
        x = input.detach()
        mean = x.mean(axes)
        if running_mean is not None:
            running_mean.copy_(mean * momentum + running_mean * (1 - momentum))
        if running_var is not None:
            centred = x - mean.reshape((1, -1) + (1,) * (x.ndim - 2))
            unbiased = (centred * centred).sum(axes) / (n - 1)
            running_var.copy_(unbiased * momentum + running_var * (1 - momentum))


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share: parameters, running buffers, ``forward``."""

    dimensions: tuple[int, ...] = ()  # the input ndims the subclass accepts
    expected = ""  # how the subclass names them in its error

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.register_parameter("weight", weight)
        self.register_parameter(
            "bias", Parameter(np.zeros(num_features, dtype)) if affine and bias else None
        )
        buffers = {
            "running_mean": Tensor(np.zeros(num_features, dtype)),
            "running_var": Tensor(np.ones(num_features, dtype)),
            "num_batches_tracked": Tensor(np.array(0, np.int64)),
        }
        for name, value in buffers.items():
            self.register_buffer(name, value if track_running_stats else None)

    def reset_running_stats(self) -> None:
        """μ estimate 0, σ² estimate 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """The running statistics reset, γ back to ones and β to zeros."""
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self.dimensions:
            raise ValueError(f"expected {self.expected} input (got {input.ndim}D input)")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a plain average of the batches seen
                momentum = 1.0 / float(self.num_batches_tracked.item())
        # Batch statistics in training, and in evaluation when no running ones are kept.
        use_batch = self.training or self.running_mean is None
        tracked = not self.training or self.track_running_stats
        return batch_norm(
            input,
            self.running_mean if tracked else None,
            self.running_var if tracked else None,
            self.weight,
            self.bias,
            use_batch,
            momentum,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C (see the module)."""

    dimensions = (2, 3)
    expected = "2D or 3D"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs, per channel C (see the module)."""

    dimensions = (4,)
    expected = "4D"
