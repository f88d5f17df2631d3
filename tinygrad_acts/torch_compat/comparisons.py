"""Comparisons as torch has them: ``eq``, ``lt`` …, ``isfinite``, ``allclose``, ``equal``: Tensor
methods and functions."""

from __future__ import annotations


class TensorComparisons:
    """The comparison methods of ``Tensor``."""


__all__: list[str] = []
