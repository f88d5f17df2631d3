"""torch's top-level activations: ``torch.tanh(x)``, ``torch.softmax(x, dim)`` are
``nn.functional``'s own. (The elementwise math, ``torch.exp(x)`` …, is in
``torch_compat/math.py``.)

Where torch's top-level signature differs from ``F``'s — no ``inplace`` argument
(``torch.selu(input)``, ``torch.threshold(input, threshold, value)``), a required ``dim`` — the
function here calls ``F``'s with torch's signature; the math is ``F``'s, declared once.
"""

from __future__ import annotations

from .core.tensor import Tensor
from .nn import functional as F
from .nn.functional import (
    celu_,
    hardshrink,
    prelu,
    relu,
    relu_,
    rrelu_,
    selu_,
    sigmoid,
    tanh,
    threshold_,
)
from .registry import dim_required
from .torch_compat.checks import tensor_argument

# torch.softmax(x, dim) needs its dim, as the Tensor methods do.
softmax = dim_required(F.softmax, position=2)
log_softmax = dim_required(F.log_softmax, position=2)


def sigmoid_(input: Tensor) -> Tensor:
    """``input.sigmoid_()``: sigmoid, written into ``input``."""
    return tensor_argument("sigmoid_", input).sigmoid_()  # type: ignore[attr-defined]


def tanh_(input: Tensor) -> Tensor:
    """``input.tanh_()``: tanh, written into ``input``."""
    return tensor_argument("tanh_", input).tanh_()  # type: ignore[attr-defined]


def selu(input: Tensor) -> Tensor:
    """``F.selu``, without ``inplace`` (torch's ``torch.selu``)."""
    return F.selu(input)


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``F.celu``, without ``inplace``."""
    return F.celu(input, alpha)


def rrelu(
    input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False
) -> Tensor:
    """``F.rrelu``, without ``inplace``."""
    return F.rrelu(input, lower, upper, training)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    """``F.threshold``, without ``inplace``."""
    return F.threshold(input, threshold, value)


__all__ = [
    "celu",
    "celu_",
    "hardshrink",
    "log_softmax",
    "prelu",
    "relu",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "sigmoid",
    "sigmoid_",
    "softmax",
    "tanh",
    "tanh_",
    "threshold",
    "threshold_",
]
