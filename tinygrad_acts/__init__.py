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

from . import autograd, fn, linalg, nn, optim, registry, utils
from . import torch_compat as torch_compat  # installs torch's surface on core.Tensor: first
from . import viz as viz  # computation-graph pictures; needs no graphviz package to import
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .core.tensor import Tensor
from .operations import *  # noqa: F403  (exp, log, abs, clamp, and the activations)
from .operations import __all__ as _operations
from .registry import ACTIVATIONS
from .torch_compat.comparisons import *  # noqa: F403  (eq, isfinite, allclose …)
from .torch_compat.comparisons import __all__ as _comparisons
from .torch_compat.creation import tensor
from .torch_compat.device import *  # noqa: F403  (device, cuda, default device and dtype)
from .torch_compat.device import __all__ as _device
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
from .torch_compat.linalg import *  # noqa: F403  (matmul, mm, mv, dot, outer, eye, einsum …)
from .torch_compat.linalg import __all__ as _linalg
from .torch_compat.math import *  # noqa: F403  (sin, cos, expm1 …)
from .torch_compat.math import __all__ as _math
from .torch_compat.random import manual_seed
from .torch_compat.reductions import *  # noqa: F403  (sum, mean, prod, std …)
from .torch_compat.reductions import __all__ as _reductions

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
    "arange",
    "autograd",
    "bool",
    "cat",
    "double",
    "enable_grad",
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
    "linalg",
    "linspace",
    "long",
    "manual_seed",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randn",
    "registry",
    "set_grad_enabled",
    "stack",
    "tensor",
    "utils",
    "viz",
    "where",
    "zeros",
    "zeros_like",
    *_operations,
    *_comparisons,
    *_device,
    *_linalg,
    *_math,
    *_reductions,
]
