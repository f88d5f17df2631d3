"""torch's top-level functions of tensors: ``torch.tanh(x)`` is ``x.tanh()``, here as there.

The activations are ``nn.functional``'s own; the rest call the Tensor's method after checking,
in torch's words, that they were given a Tensor.
"""

from __future__ import annotations

from typing import Any

from .core.tensor import Tensor
from .nn.functional import log_softmax as _log_softmax
from .nn.functional import relu, sigmoid, tanh
from .nn.functional import softmax as _softmax
from .registry import dim_required
from .torch_compat.checks import tensor_argument


def exp(input: Tensor) -> Tensor:
    """e^x, elementwise."""
    return tensor_argument("exp", input).exp()


def log(input: Tensor) -> Tensor:
    """The natural logarithm, elementwise."""
    return tensor_argument("log", input).log()


def sqrt(input: Tensor) -> Tensor:
    """√x, elementwise."""
    return tensor_argument("sqrt", input).sqrt()


def abs(input: Tensor) -> Tensor:
    """|x|, elementwise."""
    return tensor_argument("abs", input).abs()


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Every value limited to [min, max] (see ``Tensor.clamp``)."""
    return tensor_argument("clamp", input).clamp(min, max)


# torch.softmax(x, dim) needs its dim, as the Tensor methods do.
softmax = dim_required(_softmax, position=2)
log_softmax = dim_required(_log_softmax, position=2)

__all__ = [
    "abs",
    "clamp",
    "exp",
    "log",
    "log_softmax",
    "relu",
    "sigmoid",
    "softmax",
    "sqrt",
    "tanh",
]
