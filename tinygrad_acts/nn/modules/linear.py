"""``Linear``, ``Identity`` and ``Flatten``: the layers that are not activations.

``Linear`` computes y = x Wᵀ + b for a weight W of shape (out_features, in_features). Its
gradients are those of matmul and add: ∂L/∂x = g W, ∂L/∂W = gᵀ x (summed over the batch),
∂L/∂b = Σ_batch g.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...ops import basic as _basic
from ...torch_compat.checks import _check_broadcast
from ...torch_compat.dtypes import torch_dtype_name
from ...torch_compat.random import generator
from ..module import Module, Parameter


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b, as ``torch.nn.functional.linear``; x may have any number of leading axes."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.dtype.kind != "f":
        # torch refuses to mix dtypes here; silently computing in float64 would hide it.
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {input.dtype} and {weight.dtype} "
            "(the input holds integers: convert it with .float())"
        )
    in_features = weight.shape[-1]
    if input.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are 0D and {weight.ndim}D"
        )
    if input.shape[-1] != in_features:
        # torch's words, with x flattened to the matrix it multiplies.
        rows = int(np.prod(input.shape[:-1])) if input.ndim > 1 else 1
        cols = input.shape[-1] if input.ndim else 1
        out_features = weight.shape[0] if weight.ndim == 2 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
            f"{in_features}x{out_features})"
        )
    if isinstance(bias, Tensor):  # torch's addmm(bias, x, Wᵀ) checks the bias, then x
        for first, name in ((bias, "self"), (input, "mat1")):
            if first.dtype != weight.dtype:
                got = [torch_dtype_name(t.dtype) for t in (first, weight)]
                raise RuntimeError(
                    f"{name} and mat2 must have the same dtype, but got {got[0]} and {got[1]}"
                )
    if weight.ndim == 2 and weight.dtype == input.dtype:
        if bias is None:
            return _basic.Linear.apply(input, weight, None)
        if isinstance(bias, Tensor) and bias.dtype == input.dtype:
            out_shape = input.shape[:-1] + weight.shape[:1]
            _check_broadcast(out_shape, bias.shape)
            if len(bias.shape) > len(out_shape):  # the bias is added to the output in place
                raise RuntimeError(
                    f"linear(): the bias of shape {tuple(bias.shape)} has more dimensions than "
                    f"the output {tuple(out_shape)}: it must broadcast to the output's shape"
                )
            return _basic.Linear.apply(input, weight, bias)
    out = input @ weight.T  # the general case, with matmul's checks and messages
    return out if bias is None else out + bias


def _uniform(bound: float, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """Samples of U(-bound, bound) from the package's generator (seed it: manual_seed)."""
    return generator().uniform(-bound, bound, size=shape).astype(dtype)


class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features) and b of shape (out_features,).

    Initialisation is torch's: W from ``kaiming_uniform_(a=√5)``, which works out to
    U(-1/√in_features, 1/√in_features) (gain √(2/(1+a²)) = √(1/3), bound = gain·√3/√fan_in),
    and b from the same interval. ``dtype`` defaults to float32, as in torch.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(f"Linear(): {name} must be a non-negative int, got {n!r}")
            if n < 0:  # torch's error type for a negative size
                raise RuntimeError(f"Linear(): {name} must be a non-negative int, got {n!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        bound = 1.0 / math.sqrt(in_features) if in_features > 0 else 0.0
        self.weight = Parameter(_uniform(bound, (out_features, in_features), dtype))
        if bias:
            self.bias = Parameter(_uniform(bound, (out_features,), dtype))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """f(x) = x: a placeholder layer (its arguments are accepted and ignored, as torch's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Flatten(Module):
    """Merge the axes ``start_dim`` … ``end_dim`` into one: (N, C, H, W) → (N, C·H·W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
