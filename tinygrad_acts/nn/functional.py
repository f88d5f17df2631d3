"""``tinygrad_acts.nn.functional`` (``F``): torch's functions, with torch's names and signatures.

The activations (from ``nn/activations.py``, where their checks are), the losses (from
``nn/losses.py``), ``linear`` and ``bilinear`` (``nn/modules/linear.py``) and ``dropout``
(``nn/modules/dropout.py``), in one namespace as torch has.

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
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .modules.dropout import dropout
from .modules.linear import bilinear, linear

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
# Then the losses, linear, bilinear and dropout, in torch's F as here.
__all__ += [
    "bilinear",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "huber_loss",
    "l1_loss",
    "linear",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]

# Convolution, pooling, normalisation and embedding lookup (nn/modules/conv.py, pooling.py,
# normalization.py, sparse.py).
from .modules.conv import conv1d, conv2d  # noqa: E402
from .modules.normalization import batch_norm, layer_norm  # noqa: E402
from .modules.pooling import (  # noqa: E402
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .modules.sparse import embedding  # noqa: E402

__all__ += ["avg_pool1d", "avg_pool2d", "batch_norm", "conv1d", "conv2d", "embedding"]
__all__ += ["layer_norm", "max_pool1d", "max_pool2d"]
__all__ += ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool2d"]

# one_hot, pad, normalize and kl_div (nn/functional_extra.py).
from .functional_extra import kl_div, normalize, one_hot, pad  # noqa: E402

__all__ += ["kl_div", "normalize", "one_hot", "pad"]
