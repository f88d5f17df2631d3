"""What the picture reads off a recorded node beyond the engine's needs: its scope, and the
shape and dtype of each of its arguments."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.function import Node
from ..core.tensor import Tensor


def scope_of(node: Node) -> tuple[str, ...]:
    """The names of the blocks (``autograd.scope``) that recorded ``node``, outermost first."""
    return getattr(node, "scope", ())


def input_meta(node: Node) -> tuple[tuple[tuple[int, ...], Any] | None, ...]:
    """``(shape, dtype)`` of each argument of the op (None for a Python number)."""
    constants = node.constants or (None,) * len(node.next)
    return tuple([_meta(n if n is not None else c) for n, c in zip(node.next, constants)])


def _meta(value: Any) -> tuple[tuple[int, ...], Any] | None:
    if isinstance(value, Node):
        return value.output_shape, value.output_dtype
    if isinstance(value, Tensor):
        value = value.array
    if isinstance(value, np.ndarray):
        return value.shape, value.dtype
    return None
