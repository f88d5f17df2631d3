"""``tinygrad_acts.nn.functional`` (``F``): torch's functions, with torch's names and signatures.

The activations (from ``nn/activations.py``, where their checks are), the losses (from
``nn/losses.py``) and ``linear`` (from ``nn/modules/linear.py``), in one namespace as torch has.

The activations made from their declaration in the registry (sigmoid, tanh, silu, mish,
softsign, tanhshrink, and any added with ``registry.register``) are put here, and in
``__all__``, by the registry when it registers them: ``F.sigmoid`` is
``registry.ACTIVATIONS["sigmoid"].function``.
"""

from __future__ import annotations

from .activations import (
    SELU_ALPHA,
    SELU_SCALE,
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    manual_seed,
    prelu,
    relu,
    relu6,
    relu_,
    rrelu,
    rrelu_,
    selu,
    selu_,
    softmax,
    softmin,
    softplus,
    softshrink,
    threshold,
    threshold_,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .modules.linear import linear

__all__ = [
    "SELU_ALPHA",
    "SELU_SCALE",
    "celu",
    "celu_",
    "elu",
    "elu_",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "log_softmax",
    "logsigmoid",
    "manual_seed",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "threshold",
    "threshold_",
]
# Then the losses and linear, in torch's F as here.
__all__ += [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l1_loss",
    "linear",
    "mse_loss",
    "nll_loss",
]
