"""Neural-network pieces with torch's names: modules, parameters and ``functional``.

The activation modules made from their declaration in the registry (``Sigmoid``, ``SiLU``, ...,
and any added with ``registry.register``) are put here, and in ``__all__``, by the registry when
it registers them.
"""

from . import functional
from .module import Module, Parameter
from .modules.activation import (
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    PReLU,
    ReLU,
    ReLU6,
    RReLU,
    Softmax,
    Softmin,
    Softplus,
    Softshrink,
    Threshold,
)
from .modules.container import Sequential
from .modules.linear import Flatten, Identity, Linear
from .modules.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "SELU",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "Module",
    "PReLU",
    "Parameter",
    "RReLU",
    "ReLU",
    "ReLU6",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Threshold",
    "functional",
]
__all__ += ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "Flatten", "Identity", "L1Loss"]
__all__ += ["Linear", "MSELoss", "NLLLoss", "Sequential"]
