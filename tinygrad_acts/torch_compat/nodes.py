"""torch's view of a graph node (``tensor.grad_fn``) beyond the core's ``Node``: its edges as
``next_functions``, where a leaf appears as the ``AccumulateGrad`` node that adds to its
``.grad``.

    >>> (x * 2).grad_fn.next_functions       # x a leaf that requires grad
    ((<AccumulateGrad>, 0), (None, 0))

(The core's ``Node`` already has ``name()``: ``MulBackward`` where torch says ``MulBackward0``.)
"""

from __future__ import annotations

import weakref
from typing import Any

from ..core.function import Node
from ..core.tensor import Tensor


class AccumulateGrad:
    """The node where a leaf's gradient ends: it adds the gradient to ``variable.grad``.

    torch makes one per leaf and hands out the same one while anyone holds it; so does
    ``accumulate_grad``.
    """

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple[()]:
        return ()

    def __repr__(self) -> str:
        return "<AccumulateGrad>"


# id(leaf) -> its AccumulateGrad, while someone holds that (which keeps the leaf, and so its id)
_ACCUMULATORS: weakref.WeakValueDictionary[int, AccumulateGrad] = weakref.WeakValueDictionary()


def accumulate_grad(leaf: Tensor) -> AccumulateGrad:
    """The ``AccumulateGrad`` node of ``leaf``: the same object while anyone holds it."""
    node = _ACCUMULATORS.get(id(leaf))
    if node is None:
        node = _ACCUMULATORS[id(leaf)] = AccumulateGrad(leaf)
    return node


class TorchNode:
    """The members torch's graph nodes have and the core's ``Node`` lacks."""

    @property
    def next_functions(self: Any) -> tuple[tuple[Any, int], ...]:
        """Per input of the op, ``(node, 0)``: the node that made it, an ``AccumulateGrad`` for
        a leaf that requires grad, ``None`` for an input that needs no gradient. (The 0 is the
        output's number at that node; a core node has one output.)"""
        return tuple([(accumulate_grad(n) if isinstance(n, Tensor) else n, 0) for n in self.next])


Node.next_functions = TorchNode.next_functions  # type: ignore[attr-defined]
