"""``Parameter`` and ``Buffer``: Tensors that a ``Module`` registers when they are assigned to it.

A Parameter is learnable (an optimizer updates it, ``parameters()`` lists it); a Buffer is
state that is saved and loaded with the model but never trained. Both share the values of the
Tensor they are made from, as torch's do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.checks import type_name
from ..torch_compat.dtypes import tensor_type_name


def _values(data: Any) -> Any:
    """The array a Parameter or Buffer holds: the Tensor's own (shared), or an empty float32."""
    if data is None:
        return np.zeros(0, dtype=np.float32)
    return data.array if isinstance(data, Tensor) else data


class Parameter(Tensor):
    """A Tensor that a ``Module`` registers as learnable; it requires grad by default."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        super().__init__(_values(data), requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A Tensor that a ``Module`` registers as state, not as a parameter, when assigned
    (``self.running_mean = Buffer(zeros(3))``). ``persistent=False`` leaves it out of
    ``state_dict``. It keeps the ``requires_grad`` of ``data``."""

    __slots__ = ("persistent",)

    def __init__(self, data: Any = None, *, persistent: bool = True) -> None:
        requires_grad = isinstance(data, Tensor) and data.requires_grad
        super().__init__(_values(data), requires_grad)
        self.persistent = persistent


def typename(value: Any) -> str:
    """torch's name of a value's type: ``torch.FloatTensor`` for a float32 tensor, ``int``,
    ``numpy.ndarray``."""
    if isinstance(value, Tensor):
        return tensor_type_name(value.array.dtype)
    return type_name(value)
