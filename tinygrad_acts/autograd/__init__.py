"""``torch.autograd``: custom ``Function``s, ``backward`` and ``grad``, grad and inference mode,
anomaly mode and the finite-difference checks."""

from ..core.engine import topological_order
from ..torch_compat.autograd_api import backward, grad
from ..torch_compat.legacy import Variable
from . import functional
from .anomaly_mode import (
    detect_anomaly,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
    set_detect_anomaly,
)
from .function import Function, Node
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    scope,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "Function",
    "GradcheckError",
    "Node",
    "Variable",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "scope",
    "set_anomaly_enabled",
    "set_detect_anomaly",
    "set_grad_enabled",
    "topological_order",
]
