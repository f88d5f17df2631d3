"""``Linear``, ``Bilinear`` and ``Identity``: the layers that are not activations.

``Linear`` computes y = x Wᵀ + b for a weight W of shape (out_features, in_features). Its
gradients are those of matmul and add: ∂L/∂x = g W, ∂L/∂W = gᵀ x (summed over the batch),
∂L/∂b = Σ_batch g. ``Bilinear`` computes y_o = x1ᵀ A_o x2 + b_o, one matrix A_o per output.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...ops import basic as _basic
from ...torch_compat.checks import _check_broadcast
from ...torch_compat.dtypes import c10_dtype_name, torch_dtype_name
from .. import init
from ..module import Module, Parameter, check_device


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b, as ``torch.nn.functional.linear``; x may have any number of leading axes."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    # The checks read the NumPy arrays: a layer's call is mostly this function and its op.
    x, w = input.array, weight.array
    if x.dtype.kind != "f":
        # torch refuses to mix dtypes here; silently computing in float64 would hide it.
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {input.dtype} and {weight.dtype} "
            "(the input holds integers: convert it with .float())"
        )
    in_features = w.shape[-1]
    if x.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are 0D and {w.ndim}D"
        )
    if x.shape[-1] != in_features:
        # torch's words, with x flattened to the matrix it multiplies.
        rows = math.prod(x.shape[:-1]) if x.ndim > 1 else 1
        out_features = w.shape[0] if w.ndim == 2 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
            f"{in_features}x{out_features})"
        )
    has_bias = isinstance(bias, Tensor)
    if has_bias and not bias.array.dtype == x.dtype == w.dtype:
        for first, name in ((bias, "self"), (input, "mat1")):  # torch's addmm checks in order
            if first.array.dtype != w.dtype:
                got = [torch_dtype_name(t.dtype) for t in (first, weight)]
                raise RuntimeError(
                    f"{name} and mat2 must have the same dtype, but got {got[0]} and {got[1]}"
                )
    if w.ndim == 2 and w.dtype == x.dtype:
        if bias is None:
            return _basic.Linear.apply(input, weight, None)
        if has_bias:  # of x's dtype: checked above
            b_shape = bias.array.shape
            if b_shape != w.shape[:1]:  # anything but the usual bias of out_features
                out_shape = x.shape[:-1] + w.shape[:1]
                _check_broadcast(out_shape, b_shape)
                if len(b_shape) > len(out_shape):  # the bias is added to the output in place
                    raise RuntimeError(
                        f"linear(): the bias of shape {b_shape} has more dimensions than "
                        f"the output {out_shape}: it must broadcast to the output's shape"
                    )
            return _basic.Linear.apply(input, weight, bias)
    out = input @ weight.T  # the general case, with matmul's checks and messages
    return out if bias is None else out + bias


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y[..., o] = Σ_ij x1[..., i]·W[o, i, j]·x2[..., j] + b[o], as
    ``torch.nn.functional.bilinear``: a matmul of x1 with W laid out as (i, o·j), then the
    product with x2 summed over j (the gradients are those of these ops)."""
    tensors = {"input1": input1, "input2": input2, "weight": weight}
    for i, (name, t) in enumerate(tensors.items()):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"bilinear(): argument '{name}' (position {i + 1}) must be Tensor, not "
                f"{type(t).__name__}"
            )
    if input1.ndim != input2.ndim:
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}"
        )
    for dim, (n1, n2) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if n1 != n2:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {dim}: got {n1} and {n2}"
            )
    if weight.ndim != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-d, got {weight.ndim}-d")
    out, n1, n2 = weight.shape
    for name, t, expected in (("input1", input1, n1), ("input2", input2, n2)):
        if t.shape[-1] != expected:
            raise RuntimeError(
                f"bilinear(): {name} size does not match weight size: got {t.shape[-1]} but "
                f"expected {expected}"
            )
    if bias is not None and tuple(bias.shape) != (out,):
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[-1]} but "
            f"expected {out}"
        )
    dtypes = [input1.dtype, input2.dtype, weight.dtype]
    if len(set(dtypes)) > 1:
        names = ", ".join(f"{n}: {c10_dtype_name(d)}" for n, d in zip(tensors, dtypes))
        raise RuntimeError(f"All tensors must have the same dtype, got {names}")
    per_output = input1 @ weight.permute(1, 0, 2).reshape(n1, out * n2)  # (..., o·j)
    per_output = per_output.reshape(*input1.shape[:-1], out, n2)
    y = (per_output * input2.unsqueeze(-2)).sum(-1)
    return y if bias is None else y + bias


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
        check_device(device)
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        self.weight = Parameter(np.empty((out_features, in_features), dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and the bias again, from torch's distributions (see the class)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Bilinear(Module):
    """y = x1ᵀ A x2 + b, with A of shape (out_features, in1_features, in2_features) and b of
    shape (out_features,). Both start from torch's U(-1/√in1_features, 1/√in1_features)."""

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        self.weight = Parameter(np.empty((out_features, in1_features, in2_features), dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and the bias again from U(-1/√in1_features, 1/√in1_features)."""
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )


class Identity(Module):
    """f(x) = x: a placeholder layer (its arguments are accepted and ignored, as torch's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input
