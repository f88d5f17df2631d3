"""torch's elementwise math beyond the operators: ``sin``, ``cos``, ``expm1`` …, as Tensor
methods, their in-place forms and ``torch.sin(x)`` functions; each calls one op."""

from __future__ import annotations


class TensorMath:
    """The elementwise math methods of ``Tensor``."""


__all__: list[str] = []
