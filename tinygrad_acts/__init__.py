"""tinygrad_acts: a small reverse-mode autodiff framework on NumPy, with torch's API.

>>> import tinygrad_acts as tga
>>> x = tga.tensor([0.5, -1.0], requires_grad=True)
>>> y = x.tanh().sum()
>>> y.backward()
>>> x.grad
tensor([0.7864, 0.4200])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import autograd, fn, nn, optim, registry
from . import viz as viz  # computation-graph pictures; needs no graphviz package to import
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops.basic import cat, where
from .registry import ACTIVATIONS
from .tensor import Tensor, tensor

__version__ = "0.1.0"

# dtypes under torch's names, so ``dtype=tga.float64`` reads as in torch.
float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
bool = np.dtype(np.bool_)


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, int) and n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)} "
                "(sizes must be non-negative)"
            )
    return shape


def zeros(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise)."""
    shape = _shape(shape)
    return Tensor(np.zeros(shape, dtype=dtype), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of ones (float32 unless ``dtype`` says otherwise)."""
    shape = _shape(shape)
    return Tensor(np.ones(shape, dtype=dtype), requires_grad=requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = np.float32, requires_grad: bool = False
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    if isinstance(steps, int) and steps < 0:
        raise RuntimeError(f"number of steps must be non-negative (got steps={steps})")
    return Tensor(np.linspace(start, end, steps, dtype=dtype), requires_grad=requires_grad)


__all__ = [
    "ACTIVATIONS",
    "Tensor",
    "autograd",
    "cat",
    "enable_grad",
    "float32",
    "float64",
    "fn",
    "is_grad_enabled",
    "linspace",
    "nn",
    "no_grad",
    "ones",
    "optim",
    "registry",
    "set_grad_enabled",
    "tensor",
    "where",
    "zeros",
]
