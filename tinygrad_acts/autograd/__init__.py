"""Reverse-mode automatic differentiation: ``Function``, the backward pass, and its checks."""

from .anomaly_mode import detect_anomaly, is_anomaly_enabled
from .engine import backward, grad, topological_order
from .function import Function, Node
from .grad_mode import enable_grad, is_grad_enabled, no_grad, scope, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "Function",
    "GradcheckError",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "scope",
    "set_grad_enabled",
    "topological_order",
]
