"""torch's top-level activations: ``torch.tanh(x)``, ``torch.softmax(x, dim)`` are
``nn.functional``'s own. (The elementwise math, ``torch.exp(x)`` …, is in
``torch_compat/math.py``.)
"""

from __future__ import annotations

from .nn.functional import log_softmax as _log_softmax
from .nn.functional import relu, sigmoid, tanh
from .nn.functional import softmax as _softmax
from .registry import dim_required

# torch.softmax(x, dim) needs its dim, as the Tensor methods do.
softmax = dim_required(_softmax, position=2)
log_softmax = dim_required(_log_softmax, position=2)

__all__ = [
    "log_softmax",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]
