"""Neural-network pieces with torch's names: modules, parameters, containers, losses,
convolutions, pooling, normalisation layers, ``Embedding``, ``functional``, ``init`` and
``utils`` (gradient clipping).

The activation modules made from their declaration in the registry (``Sigmoid``, ``SiLU``, ...,
and any added with ``registry.register``) are put here, and in ``__all__``, by the registry when
it registers them.
"""

from . import functional, init, utils
from .module import Module
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
    Softmax2d,
    Softmin,
    Softplus,
    Softshrink,
    Threshold,
)
from .modules.container import ModuleDict, ModuleList, Sequential
from .modules.conv import Conv1d, Conv2d
from .modules.dropout import Dropout
from .modules.flatten import Flatten, Unflatten
from .modules.linear import Bilinear, Identity, Linear
from .modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .modules.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .modules.pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .modules.sparse import Embedding
from .parameter import Buffer, Parameter

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
    "Softmax2d",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Threshold",
    "functional",
]
__all__ += ["BCELoss", "BCEWithLogitsLoss", "Bilinear", "Buffer", "CrossEntropyLoss", "Dropout"]
__all__ += ["Flatten", "HuberLoss", "Identity", "L1Loss", "Linear", "MSELoss", "ModuleDict"]
__all__ += ["ModuleList", "NLLLoss", "Sequential", "SmoothL1Loss", "Unflatten", "init"]
__all__ += ["AvgPool1d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv1d", "Conv2d"]
__all__ += ["Embedding", "LayerNorm", "MaxPool1d", "MaxPool2d", "utils"]
__all__ += ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Softmax2d"]
__all__ += ["KLDivLoss"]
