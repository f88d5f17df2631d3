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

from . import autograd, fn, linalg, nn, optim, random, registry, serialization, special, utils
from . import torch_compat as torch_compat  # installs torch's surface on core.Tensor: first
from . import viz as viz  # computation-graph pictures; needs no graphviz package to import
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.anomaly_mode import (
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
)
from .autograd.grad_mode import is_inference_mode_enabled
from .core.tensor import Tensor
from .operations import *  # noqa: F403  (the activations: relu, tanh, softmax …)
from .operations import __all__ as _operations
from .registry import ACTIVATIONS
from .serialization import load, save
from .torch_compat.comparisons import *  # noqa: F403  (eq, isfinite, allclose …)
from .torch_compat.comparisons import __all__ as _comparisons
from .torch_compat.creation import tensor
from .torch_compat.device import *  # noqa: F403  (device, cuda, default device and dtype)
from .torch_compat.device import __all__ as _device
from .torch_compat.dtypes import dtype, torch_dtype
from .torch_compat.factories import *  # noqa: F403  (zeros, ones, arange, empty …)
from .torch_compat.factories import __all__ as _factories
from .torch_compat.functions import cat, stack, unique, where
from .torch_compat.legacy import *  # noqa: F403  (FloatTensor, LongTensor …)
from .torch_compat.legacy import __all__ as _legacy
from .torch_compat.linalg import *  # noqa: F403  (matmul, mm, mv, dot, outer, eye, einsum …)
from .torch_compat.linalg import __all__ as _linalg
from .torch_compat.logical import *  # noqa: F403  (logical_and, bitwise_not …)
from .torch_compat.logical import __all__ as _logical
from .torch_compat.math_functions import *  # noqa: F403  (sin, cos, expm1 …)
from .torch_compat.math_functions import __all__ as _math
from .torch_compat.matrices import *  # noqa: F403  (tril, diag, trace, bmm, hstack …)
from .torch_compat.matrices import __all__ as _matrices
from .torch_compat.numeric_info import *  # noqa: F403  (finfo, iinfo, pi, inf …)
from .torch_compat.numeric_info import __all__ as _numeric_info
from .torch_compat.ordering import *  # noqa: F403  (sort, topk, nonzero, roll …)
from .torch_compat.ordering import __all__ as _ordering
from .torch_compat.printing import *  # noqa: F403  (set_printoptions)
from .torch_compat.printing import __all__ as _printing
from .torch_compat.random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .torch_compat.reduction_functions import *  # noqa: F403  (sum, mean, prod, std …)
from .torch_compat.reduction_functions import __all__ as _reduction_functions
from .torch_compat.reductions import norm
from .torch_compat.sampling import bernoulli, multinomial
from .torch_compat.shape_functions import *  # noqa: F403  (flip, gather, split …)
from .torch_compat.shape_functions import __all__ as _shapes
from .torch_compat.size import Size
from .torch_compat.version import TorchVersion

__version__ = "0.1.0"  # a literal: the build reads it without importing the package
__version__ = TorchVersion(__version__)  # compares as a version, as torch's: >= "0.1"

# dtypes under torch's names, so ``dtype=tga.float64`` reads (and prints) as in torch.
float16 = half = torch_dtype(np.float16)
float32 = float = torch_dtype(np.float32)
float64 = double = torch_dtype(np.float64)
int8, int16, uint8 = torch_dtype(np.int8), torch_dtype(np.int16), torch_dtype(np.uint8)
int32 = int = torch_dtype(np.int32)
int64 = long = torch_dtype(np.int64)
bool = torch_dtype(np.bool_)


__all__ = [
    "ACTIVATIONS",
    "Size",
    "Tensor",
    "autograd",
    "bool",
    "cat",
    "double",
    "dtype",
    "enable_grad",
    "float",
    "float16",
    "float32",
    "float64",
    "fn",
    "half",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "inference_mode",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "linalg",
    "long",
    "uint8",
    "manual_seed",
    "load",
    "save",
    "serialization",
    "special",
    "random",
    "Generator",
    "default_generator",
    "get_rng_state",
    "initial_seed",
    "seed",
    "set_rng_state",
    "nn",
    "no_grad",
    "optim",
    "registry",
    "set_anomaly_enabled",
    "set_grad_enabled",
    "bernoulli",
    "multinomial",
    "stack",
    "tensor",
    "unique",
    "utils",
    "viz",
    "where",
    *_operations,
    *_legacy,
    *_numeric_info,
    *_comparisons,
    *_logical,
    *_device,
    *_linalg,
    *_math,
    *_reduction_functions,
    "norm",
    *_factories,
    *_printing,
    *_shapes,
    *_ordering,
    *_matrices,
]
