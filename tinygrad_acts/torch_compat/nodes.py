"""torch's view of a graph node (``tensor.grad_fn``) beyond the core's ``Node``: its edges as
``next_functions``, where a leaf appears as the ``AccumulateGrad`` node that adds to its
``.grad``.

    >>> (x * 2).grad_fn.next_functions       # x a leaf that requires grad
    ((<AccumulateGrad>, 0), (None, 0))

and the names torch gives the nodes of its own ops (``MulBackward0``, ``SumBackward1`` for a sum
along a dim, ``ViewBackward0`` for a reshape), which ``Node.name()`` and ``grad_fn=<...>`` print.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..core import ops as _core
from ..core.function import NODE_NAMES, Function, Node
from ..core.tensor import Tensor
from ..ops import activations as _activations
from ..ops import basic as _basic
from ..ops import linalg as _linalg
from ..ops import math as _math
from ..ops import reductions as _reductions
from ..ops import rounding as _rounding
from ..ops import shapes as _shapes
from ..ops import special as _special


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


# -- the names of torch's nodes --------------------------------------------------------------------

# Ops whose node torch names otherwise than ``<Op>Backward0``: its name for the op, or the name of
# the last op of torch's composition (``softsign`` is x / (1 + |x|) there).
_RENAMED = {
    "Cast": "ToCopyBackward0",
    "Reshape": "ViewBackward0",
    "Clamp": "ClampBackward1",
    "ClampBetween": "ClampBackward0",
    "ELU": "EluBackward0",
    "GELU": "GeluBackward0",
    "GELUTanh": "GeluBackward0",
    "GLU": "GluBackward0",
    "LeakyReLU": "LeakyReluBackward0",
    "Log1p": "Log1PBackward0",
    "LogSumExp": "LogsumexpBackward0",
    "PReLU": "PreluKernelBackward0",
    "Softmin": "SoftmaxBackward0",  # torch's softmin is softmax(-x): its last op names it
    "ReLU": "ReluBackward0",
    "RReLU": "RreluWithNoiseBackward0",
    "SiLU": "SiluBackward0",
    "Softsign": "DivBackward0",
    "SumTo": "SumBackward1",
    "Tanhshrink": "SubBackward0",
    "VectorNorm": "LinalgVectorNormBackward0",
}


def _constant_number(node: Node, i: int) -> bool:
    """Was argument ``i`` of the op a plain number (torch's "Scalar" overloads)?"""
    constants = node.constants
    return i < len(constants) and constants[i] is not None and np.ndim(constants[i]) == 0


def _along_dims(name: str) -> Any:
    """``SumBackward0`` over every axis, ``SumBackward1`` along some (torch's two overloads)."""
    return lambda node: f"{name}Backward{0 if node.params.get('dim') is None else 1}"


def _pow(node: Node) -> str:
    if _constant_number(node, 1):
        return "PowBackward0"  # x ** 2
    return "PowBackward2" if _constant_number(node, 0) else "PowBackward1"  # 2 ** x, x ** y


def _index(node: Node) -> str:
    """``x[0]`` is torch's select, ``x[1:]`` its slice, ``x[idx]`` its index; the last step
    names the node."""
    key = node.params["index"]
    for part in reversed(key if isinstance(key, tuple) else (key,)):
        if part is None:
            return "UnsqueezeBackward0"
        if isinstance(part, (int, np.integer)):
            return "SelectBackward0"
        if isinstance(part, slice):
            if part != slice(None):
                return "SliceBackward0"
        elif part is not Ellipsis:
            return "IndexBackward0"
    return "AliasBackward0"


def _index_put(node: Node) -> str:
    """``x[1:] = v``: torch copies into a slice (``CopySlices``); ``x[idx] = v`` is index_put."""
    key = node.params["index"]
    basic = all(
        p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
        for p in (key if isinstance(key, tuple) else (key,))
    )
    return "torch::autograd::CopySlices" if basic else "IndexPutBackward0"


def _matmul(node: Node) -> str:
    """By the result: a dot product (0-d), a matrix times a vector (1-d), two matrices."""
    return {0: "DotBackward0", 1: "MvBackward0", 2: "MmBackward0"}.get(
        len(node.output_shape), "UnsafeViewBackward0"
    )


def _linear(node: Node) -> str:
    """torch's ``F.linear`` on a matrix is addmm with a bias, mm without."""
    if len(node.output_shape) != 2:
        return "ViewBackward0"
    has_bias = node.next[2] is not None or node.constants[2] is not None
    return "AddmmBackward0" if has_bias else "MmBackward0"


def _order_statistic(node: Node) -> str:
    """``x.max()`` is torch's MaxBackward1; ``x.amax(dim)`` its AmaxBackward0."""
    which = node.params["which"]
    if node.params.get("dim") is None:
        return f"{which.capitalize()}Backward{0 if which == 'median' else 1}"
    return f"A{which}Backward0"


def _select_along(node: Node) -> str:
    """``x.max(dim)`` is torch's MaxBackward0, ``x.median(dim)`` its MedianBackward1."""
    which = node.params["which"]
    return f"{which.capitalize()}Backward{1 if which == 'median' else 0}"


def _elu(node: Node) -> str:
    """SELU and CELU are ELU here, with a scale and a divisor; torch's CELU is its own node."""
    return "CeluBackward0" if node.params.get("divisor", 1.0) != 1.0 else "EluBackward0"


def _sub(node: Node) -> str:
    return "RsubBackward1" if _constant_number(node, 0) else "SubBackward0"  # 1 - x


def _div(node: Node) -> str:
    return "MulBackward0" if _constant_number(node, 0) else "DivBackward0"  # 2 / x is 2 * x⁻¹


_VARIANTS = {
    _core.Sum: _along_dims("Sum"),
    _core.Sub: _sub,
    _core.Div: _div,
    _reductions.Mean: _along_dims("Mean"),
    _reductions.Prod: _along_dims("Prod"),
    _reductions.OrderStatistic: _order_statistic,
    _reductions.SelectAlong: _select_along,
    _basic.Pow: _pow,
    _basic.Index: _index,
    _basic.IndexPut: _index_put,
    _basic.MatMul: _matmul,
    _basic.Linear: _linear,
    _activations.ELU: _elu,
}


def _named(name: str) -> Any:
    return lambda node: name


def name_node(t: Tensor, name: str) -> Tensor:
    """Give ``t``'s node the name of the one op torch has for what took several ops here (the
    mean of squares is torch's ``MseLossBackward0``): the name it prints."""
    if t.grad_fn is not None:
        t.grad_fn.torch_name = name
    return t


def _or_as_named(name_of: Any) -> Any:
    return lambda node: getattr(node, "torch_name", None) or name_of(node)


for _module in (
    _core,
    _basic,
    _math,
    _rounding,
    _reductions,
    _shapes,
    _linalg,
    _special,
    _activations,
):
    for _op in vars(_module).values():
        if isinstance(_op, type) and issubclass(_op, Function) and _op is not Function:
            _name = _RENAMED.get(_op.__name__, f"{_op.__name__}Backward0")
            NODE_NAMES[_op] = _or_as_named(_VARIANTS.get(_op, _named(_name)))
