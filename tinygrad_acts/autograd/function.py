"""``Function``: the base class of every op, and ``Node``: what ``apply`` records.

An op is a pair of static methods, as in ``torch.autograd.Function``::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):              # NumPy arrays in, an array out
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):             # Tensors in, Tensors out
            a, b = ctx.saved_tensors
            return grad * b, grad * a

``apply`` does the plumbing once for every op: it unwraps Tensors into arrays, calls
``forward``, and — when an input requires grad and grad mode is on — records a ``Node`` that
links the output to its inputs. ``backward`` is written in Tensor operations, so when the engine
runs it with ``create_graph=True`` it is recorded like any other computation: derivatives of
any order need no extra code.
"""

from __future__ import annotations

import traceback
from typing import Any

import numpy as np

from ..tensor import Tensor
from .float_errors import ERRSTATE, IGNORE
from .grad_mode import _state

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)

_new_tensor = object.__new__
_OUTPUT = -1  # what ``Node._origin`` says of a saved value that is the op's output


class Node:
    """One recorded op: the ``ctx`` of its forward and the ``grad_fn`` of its output.

    Attributes the engine reads:

    - ``next``: one entry per positional argument of ``apply`` — the input's ``grad_fn`` node,
      the input Tensor itself when it is a leaf that requires grad, or ``None`` (constants,
      non-Tensor arguments). Holding nodes rather than the input Tensors lets an intermediate
      array be freed as soon as nothing saved it.
    - ``output_shape``, ``output_dtype``: of the output, so that a gradient sent to this node
      can be reduced to them (undoing broadcasting) before it is accumulated.
    - ``needs_input_grad``: as in torch, one bool per argument.
    - ``constants``: per argument, the value of an argument that needs no gradient (a number,
      or the array of a Tensor that does not require grad), else None — for the picture; empty
      when every argument needs a gradient.

    A long chain keeps one node per op alive until backward, so a node holds few objects:
    besides the Python cost, every object that lives on is one more for the garbage collector
    to traverse, again and again, while the graph grows.

    A node never holds a Tensor of its own output (that would be a reference cycle) nor, for
    what it saved, its inputs' Tensors: only their arrays.
    """

    # Defaults live on the class: ``apply`` creates a Node for every call, recorded or not,
    # so its __init__ sets one attribute and a recorded node fills in the rest.
    next: tuple[Any, ...] = ()
    output_shape: tuple[int, ...] = ()
    output_dtype: np.dtype | None = None
    constants: tuple[Any, ...] = ()
    params: dict[str, Any] = {}  # noqa: RUF012  (never mutated: apply assigns a new dict)
    scope: tuple[str, ...] = ()
    stack: list[traceback.FrameSummary] | None = None
    _to_save: tuple[Any, ...] = ()
    # id() of the output array, once recorded: how ``saved_tensors`` (of this node and of
    # those consuming its output) recognise it among saved arrays; see ``_origin``.
    _output_id: int | None = None
    _freed = False
    _pre_hooks: list[Any] | None = None
    _retained: list[Any] | None = None  # retain_grad()'s keepers: run after the pre-hooks
    # Set by reshape, transpose, permute, expand and basic indexing when the output shares its
    # input's memory (torch's views); the Tensor methods making them add ``view_base``, what
    # the view knows of its base (``tensor.ViewLink``; see ``Tensor.add_``). An in-place op on
    # a view hands both on to its own node.
    view_of_input = False
    view_base: Any = None

    def __init__(self, function: type[Function]) -> None:
        self.function = function

    # -- what the op's forward calls -------------------------------------------------------
    @property
    def input_meta(self) -> tuple[tuple[tuple[int, ...], np.dtype] | None, ...]:
        """``(shape, dtype)`` of each argument (None for a Python number)."""
        constants = self.constants or (None,) * len(self.next)
        return tuple([_meta(n if n is not None else c) for n, c in zip(self.next, constants)])

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """One bool per argument of ``apply``: does it need a gradient?"""
        nexts = self.next
        if len(nexts) == 2:  # a binary op's backward asks on every call: spelled out
            return (nexts[0] is not None, nexts[1] is not None)
        return tuple([n is not None for n in nexts])

    def save_for_backward(self, *values: Any) -> None:
        """Keep ``values`` (input arrays, the output array, other arrays, numbers) for backward."""
        self._to_save = values

    def mark_non_differentiable(self, *values: Any) -> None:
        """Accepted for torch compatibility; outputs here are always differentiable."""

    # -- what the op's backward reads ------------------------------------------------------
    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved values, with each input or output array handed back as a Tensor in the graph.

        An input array comes back as a Tensor linked to the node that made it (a leaf as
        itself), the output array as a Tensor of this node, so a backward written in Tensor
        operations is itself differentiable. Other arrays become constant Tensors; numbers
        stay numbers.
        """
        if self._freed:
            raise RuntimeError(_FREED_MESSAGE)
        if self._output_id is None:  # not recorded (forward ran without grad): plain constants
            return tuple(Tensor(v) if isinstance(v, np.ndarray) else v for v in self._to_save)
        origins: list[int | None] = []
        for value in self._to_save:
            origins.append(self._origin(value, origins))
        return tuple([self._as_tensor(v, i) for v, i in zip(self._to_save, origins)])

    def _origin(self, value: Any, taken: list[int | None]) -> int | None:
        """Where a saved value came from: the output (``_OUTPUT``), argument i, or neither.

        By identity, found only when a backward wants Tensors (a first-order pass never does).
        An argument's array is a leaf's ``.data``, a constant, or the output of the node that
        made it, known by the id that node noted. Equal ids mean the same object: the saved
        array and the op's arguments and output were all alive together when forward returned.
        The first argument with this very array not taken yet: in x * x.detach() both
        arguments share one array, and only the first is in the graph.
        """
        if not isinstance(value, np.ndarray):
            return None  # numbers stay numbers
        # Arguments first: a forward that returns its input unchanged saved the input.
        for i, source in enumerate(self.next):
            if i in taken:
                continue
            if source is None:
                found = self.constants[i] is value
            elif isinstance(source, Tensor):
                found = source.data is value
            else:
                found = source._output_id == id(value)
            if found:
                return i
        return _OUTPUT if id(value) == self._output_id else None

    def _as_tensor(self, value: Any, origin: int | None) -> Any:
        if origin == _OUTPUT:
            return Tensor._make(np.asarray(value), self)
        source = None if origin is None else self.next[origin]
        if isinstance(source, Tensor):
            return source  # a leaf that requires grad
        if isinstance(value, np.ndarray):  # an input (linked to its node) or a constant
            return Tensor._make(value, source)
        return value

    @property
    def saved_arrays(self) -> tuple[Any, ...]:
        """The saved values exactly as forward passed them: arrays and numbers (for
        ``array_backward``, which needs no Tensors)."""
        if self._freed:
            raise RuntimeError(_FREED_MESSAGE)
        return self._to_save

    def release(self) -> None:
        """Free what forward saved (the engine calls this unless ``retain_graph``)."""
        if not self._to_save:
            return  # nothing was saved: nothing to free, and nothing to forbid later
        self._to_save = ()
        self._freed = True

    # -- naming ----------------------------------------------------------------------------
    def name(self) -> str:
        """``MulBackward`` for the node recorded by ``Mul``, as torch names its nodes."""
        return f"{self.function.__name__}Backward"

    def register_prehook(self, hook: Any) -> None:
        """Call ``hook(grad)`` on the gradient of this node's output before backward runs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class Function:
    """Base class of every differentiable op; subclass it to write your own.

    Define ``forward(ctx, *args, **params)`` on NumPy arrays (Tensor arguments arrive as their
    ``.data``; other arguments as they were passed) and ``backward(ctx, *grads)`` on Tensors,
    returning one gradient (or ``None``) per positional argument; call ``MyOp.apply(...)``.
    """

    @staticmethod
    def forward(ctx: Node, *args: Any, **params: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx: Node, *grad_outputs: Tensor) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, *grads)")

    # The same rule as ``backward`` on NumPy arrays, optional: ``array_backward(ctx, grad)``
    # takes the gradient as an array, reads ``ctx.saved_arrays`` and returns arrays (or None).
    # A first-order pass (``create_graph=False``) records nothing, so it runs this when an op
    # has it: for a small tensor, wrapping and recording each step of ``backward`` costs more
    # than the arithmetic. It must agree with ``backward`` (tests/test_array_backward.py
    # checks every op that has one) and must not modify its arguments.
    array_backward: Any = None

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> Tensor:
        """Run ``forward`` on the arrays of ``args`` and record the op if gradients are needed."""
        ctx = Node(cls)
        # Per argument: its array for forward and where its gradient goes (``next``: a
        # non-leaf by its node, a leaf by itself) or, if it needs none, its value
        # (``constants``). The two usual calls, f(x) and x ∘ number with x requiring grad, are
        # spelled out: building the lists costs a quarter of an op on a small tensor.
        first = args[0] if args else None
        leading = isinstance(first, Tensor) and first._requires_grad
        if leading and len(args) == 1:
            arrays: Any = (first.data,)
            nexts: Any = (first.grad_fn or first,)
            constants: Any = ()
            recording = True
        elif leading and len(args) == 2 and not isinstance(args[1], Tensor):
            arrays = (first.data, args[1])
            nexts = (first.grad_fn or first, None)
            constants = (None, args[1])
            recording = True
        else:
            arrays, nexts, constants, recording = _unwrap(args)
        token = ERRSTATE.set(IGNORE)  # float warnings off: inf·0 is nan, silently (torch)
        try:
            raw = cls.forward(ctx, *arrays, **params) if params else cls.forward(ctx, *arrays)
        finally:
            ERRSTATE.reset(token)
        out = raw if type(raw) is np.ndarray else np.asarray(raw)
        if not recording or not _state.grad_enabled:
            return Tensor._make(out, None)

        ctx.next = nexts
        ctx.output_shape = out.shape
        ctx.output_dtype = out.dtype
        if constants:
            ctx.constants = constants
        if params:
            ctx.params = params
        if _state.extras:
            ctx.scope = _state.scope
            if _state.anomaly:
                ctx.stack = traceback.extract_stack()[:-1]
        result = _new_tensor(Tensor)  # Tensor._make(out, ctx), inlined: this runs for every op
        result.data = out
        result._grad = None
        result.grad_fn = ctx
        result._requires_grad = True
        result._hooks = None
        # The node keeps saved arrays, not Tensors: ``saved_tensors`` links them into the graph
        # again when a backward asks, recognising this output by its id.
        ctx._output_id = id(out)
        if raw is not out and ctx._to_save:  # forward returned a number: keep the array made of it
            ctx._to_save = tuple([out if v is raw else v for v in ctx._to_save])
        return result


def _unwrap(
    args: tuple[Any, ...],
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool]:
    """``apply``'s view of its arguments: the arrays for forward, ``next``, ``constants``
    (empty when every argument needs a gradient) and whether any argument needs one."""
    arrays = []
    nexts = []
    constants = []
    recording = constant = False
    for a in args:
        if isinstance(a, Tensor):
            value = a.data
            if a._requires_grad:
                arrays.append(value)
                nexts.append(a.grad_fn or a)
                constants.append(None)
                recording = True
                continue
        else:
            value = a
        arrays.append(value)
        nexts.append(None)
        constants.append(value)
        constant = True
    return tuple(arrays), tuple(nexts), tuple(constants) if constant else (), recording


def _meta(value: Any) -> tuple[tuple[int, ...], np.dtype] | None:
    """``(shape, dtype)`` of what an argument was: a node's output, a Tensor or an array."""
    if isinstance(value, Node):
        return value.output_shape, value.output_dtype  # type: ignore[return-value]
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray):
        return value.shape, value.dtype
    return None
