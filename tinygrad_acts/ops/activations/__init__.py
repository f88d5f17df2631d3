"""Every activation of ``torch.nn`` as an op, by family: its math, a stable forward, and one
derivative rule.

Read each class as a textbook entry: the docstring gives f(x), f'(x), the gradient chosen at
each kink (torch's, unless it says otherwise) and what ``backward`` needs saved. The forward is
a few NumPy lines in a form that neither overflows nor cancels; the backward is the derivative,
written with ops that are themselves accurate (``σ'``, ``φ``, ``Φ`` in ``ops/special.py``), so
second and higher derivatives are as exact as the first. σ and tanh live in ``ops/special.py``:
the other derivatives are written with them.

Constants are Python floats on purpose: NumPy treats them as "weak", so float32 inputs stay
float32 (a ``np.float64`` constant would silently promote them).
"""

from ..special import Sigmoid, Tanh
from .along_dim import GLU, LogSoftmax, Softmax, Softmin
from .piecewise_linear import (
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    PReLU,
    ReLU,
    RReLU,
    Softshrink,
    StepDerivative,
    Threshold,
)
from .sigmoid_family import LogSigmoid, Mish, MishDerivative, SiLU, SiLUDerivative, Softplus
from .smooth import ELU, GELU, GELUTanh, Softsign, Tanhshrink

__all__ = [
    "ELU",
    "GELU",
    "GLU",
    "GELUTanh",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "MishDerivative",
    "PReLU",
    "RReLU",
    "ReLU",
    "SiLU",
    "SiLUDerivative",
    "Sigmoid",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "StepDerivative",
    "Tanh",
    "Tanhshrink",
    "Threshold",
]
