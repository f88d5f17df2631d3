"""The package's one random generator, and the random tensors drawn from it: ``rand``, ``randn``,
``randint``, ``randperm``, ``normal`` and the ``*_like`` forms — also nn.Linear's initial weights
and rrelu's slopes in training. ``manual_seed`` (torch's name) makes them all repeat.

The numbers are NumPy's, not torch's: the same seed gives other samples than in torch, of the
same distributions, shapes and dtypes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops.basic import Where
from .checks import _check_broadcast, tensor_argument
from .creation import new_leaf, size_argument
from .dtypes import DTypeLike, get_default_dtype, result_type, torch_dtype_name

_generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator: the same seed, the same weights and samples afterwards."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The generator as it is now (read it at each use: ``manual_seed`` replaces it)."""
    return _generator


def _floating(kernel: str, dtype: Any) -> np.dtype:
    """torch samples floats only, and names the kernel that refuses the rest."""
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")
    return dtype


def _uniform(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Samples of U[0, 1) in ``dtype`` (rounding to float16 could reach 1: kept below it)."""
    values = generator().random(shape).astype(dtype)
    return np.minimum(values, np.nextafter(np.ones((), dtype), 0))


def rand(
    *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Samples of the uniform distribution on [0, 1)."""
    shape = size_argument("rand", size)
    values = _uniform(shape, _floating("check_uniform_bounds", dtype))
    return new_leaf(values, requires_grad, device)


def randn(
    *size: Any, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Samples of the standard normal distribution."""
    shape = size_argument("randn", size)
    values = generator().standard_normal(shape).astype(_floating("normal_kernel_cpu", dtype))
    return new_leaf(values, requires_grad, device)


def randint(
    *args: Any,
    size: Any = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    if size is None and args:
        *args, size = args
    if len(args) not in (1, 2) or size is None:
        raise TypeError(
            "randint() takes randint(high, size) or randint(low, high, size), size a tuple"
        )
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"randint(): argument 'size' (position {len(args) + 1}) must be tuple of ints, not "
            f"{type(size).__name__}"
        )
    low, high = (0, *args) if len(args) == 1 else args
    values = _integers(low, high, size_argument("randint", (size,)))
    return new_leaf(values.astype(np.int64 if dtype is None else dtype), requires_grad, device)


def _integers(low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    return generator().integers(low, high, shape)


def randperm(
    n: int, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """0 … n - 1 in a random order (int64 unless ``dtype`` says otherwise)."""
    (n,) = size_argument("randperm", (n,))
    values = generator().permutation(n).astype(np.int64 if dtype is None else dtype)
    return new_leaf(values, requires_grad, device)


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Any = None,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std²): ``normal(0.0, 1.0, (2, 3))`` with numbers and a size, or with
    tensors ``mean`` and/or ``std`` (broadcast together), one sample per element.

    As in torch, a sample made from tensors that require grad is in the graph with a zero
    gradient for them: it is a fresh draw, not a function of them.
    """
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal(): with a number mean and std, give the size too")
        shape = size_argument("normal", (size,))
        dtype = _floating("normal_kernel_cpu", dtype)
    else:
        shapes = [t.array.shape for t in tensors]
        if len(shapes) == 2:
            _check_broadcast(*shapes)
        shape = np.broadcast_shapes(*shapes)
        dtype = result_type(*tensors)
    low = std if not isinstance(std, Tensor) else np.min(std.array) if std.array.size else 0
    if low < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {float(low):g}")
    m, s = (v.array if isinstance(v, Tensor) else v for v in (mean, std))
    values = (m + s * generator().standard_normal(shape)).astype(dtype)
    out = new_leaf(values, requires_grad and not tensors, device)
    everywhere = np.ones(shape, np.bool_)
    for t in tensors:  # in the graph, with a zero gradient, as torch's NormalBackward
        if t._requires_grad:
            out = Where.apply(everywhere, out, t)
    return out


def rand_like(
    input: Tensor, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``rand`` of ``input``'s shape and dtype."""
    input = tensor_argument("rand_like", input)
    dtype = _floating("check_uniform_bounds", input.array.dtype if dtype is None else dtype)
    return new_leaf(_uniform(input.array.shape, dtype), requires_grad, device)


def randn_like(
    input: Tensor, *, dtype: DTypeLike = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``randn`` of ``input``'s shape and dtype."""
    input = tensor_argument("randn_like", input)
    dtype = _floating("normal_kernel_cpu", input.array.dtype if dtype is None else dtype)
    values = generator().standard_normal(input.array.shape).astype(dtype)
    return new_leaf(values, requires_grad, device)


def randint_like(
    input: Tensor,
    low: int = 0,
    high: int | None = None,
    *,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``randint`` of ``input``'s shape and dtype: ``randint_like(x, high)`` or
    ``randint_like(x, low, high)``."""
    input = tensor_argument("randint_like", input)
    if high is None:
        low, high = 0, low
    values = _integers(low, high, input.array.shape)
    dtype = input.array.dtype if dtype is None else np.dtype(dtype)
    return new_leaf(values.astype(dtype), requires_grad, device)
