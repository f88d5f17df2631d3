"""tinygrad_acts: a small reverse-mode autodiff framework on NumPy, with torch's API.

>>> import tinygrad_acts as tga
>>> x = tga.tensor([0.5, -1.0], requires_grad=True)
>>> y = x.tanh().sum()
>>> y.backward()
>>> x.grad
tensor([0.7864, 0.4200])
"""

from __future__ import annotations

import numpy as np

from . import autograd, fn, nn, optim, registry
from . import torch_compat as torch_compat  # installs torch's surface on core.Tensor: first
from . import viz as viz  # computation-graph pictures; needs no graphviz package to import
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .core.tensor import Tensor
from .operations import (
    abs,
    clamp,
    exp,
    log,
    log_softmax,
    matmul,
    mean,
    relu,
    sigmoid,
    softmax,
    sqrt,
    sum,
    tanh,
)
from .registry import ACTIVATIONS
from .torch_compat.creation import tensor
from .torch_compat.factories import (
    arange,
    from_numpy,
    full,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from .torch_compat.functions import cat, stack, where
from .torch_compat.random import manual_seed

__version__ = "0.1.0"

# dtypes under torch's names, so ``dtype=tga.float64`` reads as in torch.
float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
bool = np.dtype(np.bool_)


__all__ = [
    "ACTIVATIONS",
    "Tensor",
    "abs",
    "arange",
    "autograd",
    "bool",
    "cat",
    "clamp",
    "double",
    "enable_grad",
    "exp",
    "float",
    "float16",
    "float32",
    "float64",
    "fn",
    "from_numpy",
    "full",
    "half",
    "int32",
    "int64",
    "is_grad_enabled",
    "linspace",
    "log",
    "log_softmax",
    "long",
    "manual_seed",
    "matmul",
    "mean",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randn",
    "registry",
    "relu",
    "set_grad_enabled",
    "sigmoid",
    "softmax",
    "sqrt",
    "stack",
    "sum",
    "tanh",
    "tensor",
    "viz",
    "where",
    "zeros",
    "zeros_like",
]
