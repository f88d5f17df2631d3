"""``nn.init``: fill a tensor in place with a starting value, as torch.nn.init.

Each function writes into the tensor's array (no graph is recorded; its version goes up, as
for any in-place change) and returns the tensor. The random ones draw from the package's
generator or from ``generator=`` (a ``Generator``), drawing torch's numbers in torch's order;
a NumPy Generator is accepted too, and gives NumPy's samples of the same distributions.

The scaled initialisations keep the variance of activations (or of gradients) about constant
from layer to layer. For a weight of shape (out, in, *k), with r = Π k the receptive field:

- fan_in = in·r and fan_out = out·r (``_calculate_fan_in_and_fan_out``);
- Xavier/Glorot: std = gain·√(2 / (fan_in + fan_out));
- Kaiming/He: std = gain / √fan, fan = fan_in (``mode="fan_in"``) or fan_out;
- a uniform U(-b, b) of that std has b = √3·std; ``calculate_gain`` gives the gain that the
  nonlinearity after the layer needs (√2 for relu, 5/3 for tanh, …).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat import random as _random_tensors
from ..torch_compat.dtypes import c10_dtype_name, check_fits, torch_dtype_name
from ..torch_compat.in_place import changed_in_place

__all__ = [
    "calculate_gain",
    "constant_",
    "dirac_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d")
_LINEAR += ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain for a nonlinearity: 1 for linear and sigmoid, 5/3 for tanh, √2 for relu,
    √(2 / (1 + slope²)) for leaky_relu (slope ``param``, default 0.01), 3/4 for selu."""
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


# -- writing into the tensor ---------------------------------------------------------------------


def _tensor(function: str, tensor: Any) -> Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"nn.init.{function}(): the tensor to fill must be a Tensor, not "
            f"{type(tensor).__name__}"
        )
    return tensor


def _write(tensor: Tensor, values: Any) -> Tensor:
    """Put ``values`` (cast to the tensor's dtype) into the tensor's array, in place."""
    if tensor.array.flags.writeable:
        np.copyto(tensor.array, values, casting="unsafe")
    else:  # a read-only array (a NumPy constant) cannot take them: a new one
        tensor.array = np.array(np.broadcast_to(values, tensor.array.shape), tensor.array.dtype)
    changed_in_place(tensor)
    return tensor


def _random(tensor: Tensor, kernel: str, rng: Any) -> Any:
    """The generator to draw from (the package's ``Generator`` or a NumPy one); torch's refusal
    to sample into a tensor that is not float."""
    if tensor.array.dtype.kind != "f":
        name = torch_dtype_name(tensor.array.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")
    if rng is None:
        return _random_tensors.default_generator
    if not isinstance(rng, (_random_tensors.Generator, np.random.Generator)):
        raise TypeError(
            "generator must be a numpy.random.Generator, a Generator or None, not "
            f"{type(rng).__name__}"
        )
    return rng


def _numpy(rng: Any) -> np.random.Generator:
    """A NumPy Generator for the samplers torch's numbers are not matched in."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.Generator(rng.engine.bits)


def _check_uniform_bounds(tensor: Tensor, a: float, b: float) -> None:
    """torch's checks: finite bounds within the dtype, a ≤ b, and b - a representable."""
    dtype = tensor.array.dtype
    largest = float(np.finfo(dtype).max)
    for name, bound in (("from", a), ("to", b)):
        if not -largest <= bound <= largest:  # inf and nan too
            raise RuntimeError(f"{name} is out of bounds for {c10_dtype_name(dtype)}")
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )
    if b - a > largest:
        name = torch_dtype_name(dtype)
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{name}>::max(), but found "
            f"to={b:g} and from={a:g} which result in to-from to exceed the limit"
        )


def _uniform_values(shape: tuple[int, ...], a: float, b: float, dtype: Any, rng: Any) -> Any:
    """Samples of U[a, b) in ``dtype``: torch's from a ``Generator``; from a NumPy one, never
    rounded up to b (possible in float32)."""
    if isinstance(rng, _random_tensors.Generator):
        return _random_tensors.sample_uniform(rng, shape, dtype, a, b)
    values = rng.uniform(a, b, size=shape).astype(dtype)
    if a < b:
        values = np.minimum(values, np.nextafter(np.asarray(b, dtype), np.asarray(a, dtype)))
    return values


# -- constants ------------------------------------------------------------------------------------


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val`` (cast to the tensor's dtype; an integer dtype refuses one it cannot
    hold, as torch)."""
    tensor = _tensor("constant_", tensor)
    if isinstance(val, Tensor):
        val = val.item()
    if not isinstance(val, (bool, int, float, np.number)):
        raise TypeError(f"constant_(): val must be a number, not {type(val).__name__}")
    check_fits(float(val) if isinstance(val, np.floating) else val, tensor.array.dtype)
    return _write(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return _write(_tensor("ones_", tensor), 1)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return _write(_tensor("zeros_", tensor), 0)


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (ones on the diagonal of a 2-d tensor of any shape)."""
    tensor = _tensor("eye_", tensor)
    if tensor.array.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _write(tensor, np.eye(*tensor.array.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """The Dirac delta of a convolution's weight (out, in, *k): 1 at the centre of the kernel
    joining output channel i to input channel i (in each of ``groups``), 0 elsewhere, so the
    convolution passes its input through."""
    tensor = _tensor("dirac_", tensor)
    shape = tensor.array.shape
    if len(shape) not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    if shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = shape[0] // groups
    values = np.zeros(shape)
    centre = tuple(k // 2 for k in shape[2:])
    for g in range(groups):
        for d in range(min(per_group, shape[1])):
            values[(g * per_group + d, d, *centre)] = 1
    return _write(tensor, values)


# -- distributions --------------------------------------------------------------------------------


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Tensor:
    """Samples of the uniform distribution U[a, b)."""
    tensor = _tensor("uniform_", tensor)
    rng = _random(tensor, "check_uniform_bounds", generator)
    _check_uniform_bounds(tensor, a, b)
    return _write(tensor, _uniform_values(tensor.array.shape, a, b, tensor.array.dtype, rng))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Tensor:
    """Samples of the normal distribution N(mean, std²)."""
    tensor = _tensor("normal_", tensor)
    rng = _random(tensor, "normal_kernel_cpu", generator)
    if not std >= 0.0:  # nan too
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    if isinstance(rng, _random_tensors.Generator):
        values = _random_tensors.sample_normal(
            rng, tensor.array.shape, tensor.array.dtype, mean, std
        )
        return _write(tensor, values)
    return _write(tensor, mean + std * rng.standard_normal(tensor.array.shape))


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Any = None,
) -> Tensor:
    """Samples of N(mean, std²) conditioned on [a, b]: normal samples outside are drawn again.
    When [a, b] holds little of the normal's mass, candidates are drawn uniformly on [a, b]
    instead and each kept with probability e^{-(x - mean)²/2std²} relative to its peak."""
    tensor = _tensor("trunc_normal_", tensor)
    rng = _numpy(_random(tensor, "normal_kernel_cpu", generator))
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of "
            "values may be incorrect.",
            stacklevel=2,
        )
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )

    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    shape = tensor.array.shape
    if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
        values = rng.normal(mean, std, shape)
        outside = (values < a) | (values > b)
        while outside.any():
            values[outside] = rng.normal(mean, std, int(outside.sum()))
            outside = (values < a) | (values > b)
    else:
        peak = max(a, min(mean, b))  # where the density is highest on [a, b]
        values = rng.uniform(a, b, shape)
        rejected = np.ones(shape, bool)
        while True:
            log_ratio = -0.5 * ((values - mean) / std) ** 2 + 0.5 * ((peak - mean) / std) ** 2
            rejected &= np.log1p(-rng.random(shape)) > log_ratio  # log of U(0, 1]
            if not rejected.any():
                break
            values = np.where(rejected, rng.uniform(a, b, shape), values)
    return _write(tensor, values)


# -- scaled by the fans ---------------------------------------------------------------------------


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(in·r, out·r) for a weight of shape (out, in, *k), r = Π k (1 for a matrix)."""
    shape = tensor.array.shape
    if len(shape) < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """U(-b, b), b = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    tensor = _tensor("xavier_uniform_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Any = None) -> Tensor:
    """N(0, std²), std = gain·√(2 / (fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    tensor = _tensor("xavier_normal_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    """gain / √fan, or None (with torch's warning) for a tensor without elements."""
    if 0 in tensor.array.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """U(-b, b), b = √3·gain/√fan (He et al., 2015); ``a`` is leaky_relu's negative slope."""
    tensor = _tensor("kaiming_uniform_", tensor)
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Tensor:
    """N(0, std²), std = gain/√fan (He et al., 2015); ``a`` is leaky_relu's negative slope."""
    tensor = _tensor("kaiming_normal_", tensor)
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Any = None) -> Tensor:
    """A (semi-)orthogonal matrix times ``gain`` (Saxe et al., 2013): the Q of the QR
    decomposition of a normal sample, flattened to (rows, everything else), with the signs
    that make it uniformly distributed."""
    tensor = _tensor("orthogonal_", tensor)
    if tensor.array.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.array.size == 0:
        return tensor
    rng = _random(tensor, "normal_kernel_cpu", generator)
    rows = tensor.array.shape[0]
    cols = tensor.array.size // rows
    if isinstance(rng, _random_tensors.Generator):  # torch's draw: a normal_ of (rows, cols)
        sample = _random_tensors.sample_normal(rng, (rows, cols), tensor.array.dtype)
    else:
        sample = rng.standard_normal((rows, cols))
    q, r = np.linalg.qr(sample.T if rows < cols else sample)
    q = q * np.sign(np.diag(r))
    q = q.T if rows < cols else q
    return _write(tensor, gain * q.reshape(tensor.array.shape))
