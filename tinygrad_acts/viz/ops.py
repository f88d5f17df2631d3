"""What the picture calls each op, and whether it is elementwise.

Activations are named as in the registry (``leaky_relu``, not ``LeakyReLU``): the registry is
asked once which ``Function`` each of its activations records. Other ops are named after their
class (``Mul`` → ``mul``).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..core import ops as core
from ..core.function import Function, Node
from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor
from ..ops import basic
from .numbers import number

# The basic ops whose every output element depends only on the same element of each input.
# (An op class can say so itself with ``elementwise = True``.)
_ELEMENTWISE_BASIC = frozenset(
    {
        core.Add,
        core.Sub,
        core.Mul,
        core.Div,
        core.Neg,
        basic.Pow,
        core.Exp,
        core.Log,
        basic.Sqrt,
        basic.Abs,
        basic.Clamp,
        basic.Sign,
        basic.Where,
        core.Cast,
        basic.Clone,
    }
)


@functools.cache
def _activation_entries() -> dict[type[Function], Any]:
    """Function class → registry entry, found by applying each activation to a small tensor.

    Only an op recorded directly on the input counts, so an activation written with another
    one (``softmin`` is ``softmax`` of ``-x``) does not steal that one's name.
    """
    from ..registry import ACTIVATIONS

    table: dict[type[Function], Any] = {}
    with enable_grad():
        for entry in ACTIVATIONS.values():
            x = Tensor(np.full((2, 2), 0.5), requires_grad=True)
            try:
                out = entry(x)
            except Exception:  # an entry that cannot run on this probe is simply not named
                continue
            node = out.grad_fn if isinstance(out, Tensor) else None
            if node is not None and node.next and node.next[0] is x:
                table.setdefault(node.function, entry)
    return table


def op_name(node: Node) -> str:
    """``leaky_relu`` for an activation, ``mul`` for ``Mul``."""
    entry = _activation_entries().get(node.function)
    return entry.name if entry is not None else node.function.__name__.lower()


def op_title(node: Node, precision: int) -> str:
    """The op with its parameters: ``leaky_relu(negative_slope=0.2)``, ``sum(dim=(0,))``."""
    shown = []
    for key, value in node.params.items():
        if value is None or value is False:
            continue
        shown.append(f"{key}={_param(value, precision)}")
    return op_name(node) + (f"({', '.join(shown)})" if shown else "")


def _param(value: Any, precision: int) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value, precision)
    if isinstance(value, Tensor):
        return f"tensor{tuple(value.shape)}"
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def is_elementwise(node: Node) -> bool:
    """True when each output element depends only on the same element of each input."""
    declared = getattr(node.function, "elementwise", None)
    if declared is not None:
        return bool(declared)
    if node.function in _ELEMENTWISE_BASIC:
        return True
    entry = _activation_entries().get(node.function)
    return bool(entry is not None and entry.elementwise)
