"""``torch.special``: the special functions under torch's names there, each the package's own
function (``expit`` is ``sigmoid``, ``ndtr`` the normal distribution Φ); what torch has
beyond them (Bessel functions, digamma …) is not here, and asking for it is an AttributeError.
"""

from __future__ import annotations

from typing import Any

from .core.tensor import Tensor
from .nn.activations import log_softmax as _log_softmax
from .nn.activations import softmax as _softmax
from .nn.functional import sigmoid as expit
from .ops.special import NormalCDF
from .torch_compat.checks import tensor_argument
from .torch_compat.dtypes import get_default_dtype
from .torch_compat.math_functions import (
    erf,
    erfc,
    erfinv,
    exp2,
    expm1,
    log1p,
    logit,
    round,
    sinc,
    xlogy,
)
from .torch_compat.reduction_functions import logsumexp


def ndtr(input: Tensor) -> Tensor:
    """Φ(x) = ½·erfc(-x/√2), the standard normal distribution (to full relative precision in
    the lower tail: ``ops.special.NormalCDF``). Integers are computed in the default dtype."""
    x = tensor_argument("special_ndtr", input)
    if x.array.dtype.kind != "f":
        x = x.to(get_default_dtype())
    return NormalCDF.apply(x)


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """``torch.special.softmax``: softmax along ``dim`` (which must be given)."""
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """``torch.special.log_softmax``: log softmax along ``dim`` (which must be given)."""
    return _log_softmax(input, dim, dtype=dtype)


__all__ = [
    "erf",
    "erfc",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "log1p",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "round",
    "sinc",
    "softmax",
    "xlogy",
]
