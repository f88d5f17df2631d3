"""The lesson: reverse-mode automatic differentiation, in the order to read it.

``tensor.py`` a value that remembers how it was made; ``function.py`` an op — forward, one
derivative rule, and ``apply``, which records the graph; ``ops.py`` the elementary ops, which
are Tensor's arithmetic; ``engine.py`` the backward pass; ``grad_mode.py`` recording on or off.
"""

from .engine import backward, run_backward
from .function import Function, Node
from .grad_mode import no_grad
from .tensor import Tensor

__all__ = ["Function", "Node", "Tensor", "backward", "no_grad", "run_backward"]
