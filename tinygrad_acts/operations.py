"""torch's top-level functions of tensors: ``torch.tanh(x)`` is ``x.tanh()``, here as there.

The activations are ``nn.functional``'s own; the rest call the Tensor's method after checking,
in torch's words, that they were given a Tensor.
"""

from __future__ import annotations

from typing import Any

from .core.tensor import Tensor
from .nn.functional import _tensor_argument, relu, sigmoid, tanh
from .nn.functional import log_softmax as _log_softmax
from .nn.functional import softmax as _softmax
from .registry import dim_required


def exp(input: Tensor) -> Tensor:
    """e^x, elementwise."""
    return _tensor_argument("exp", input).exp()


def log(input: Tensor) -> Tensor:
    """The natural logarithm, elementwise."""
    return _tensor_argument("log", input).log()


def sqrt(input: Tensor) -> Tensor:
    """√x, elementwise."""
    return _tensor_argument("sqrt", input).sqrt()


def abs(input: Tensor) -> Tensor:
    """|x|, elementwise."""
    return _tensor_argument("abs", input).abs()


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Every value limited to [min, max] (see ``Tensor.clamp``)."""
    return _tensor_argument("clamp", input).clamp(min, max)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The sum of all elements, or along ``dim``."""
    return _tensor_argument("sum", input).sum(dim, keepdim)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The mean of all elements, or along ``dim``."""
    return _tensor_argument("mean", input).mean(dim, keepdim)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """input @ other."""
    if not isinstance(other, Tensor):
        raise TypeError(
            f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    return _tensor_argument("matmul", input) @ other


# torch.softmax(x, dim) needs its dim, as the Tensor methods do.
softmax = dim_required(_softmax, position=2)
log_softmax = dim_required(_log_softmax, position=2)

__all__ = [
    "abs",
    "clamp",
    "exp",
    "log",
    "log_softmax",
    "matmul",
    "mean",
    "relu",
    "sigmoid",
    "softmax",
    "sqrt",
    "sum",
    "tanh",
]
