"""``Function``: the base of every op, and ``Node``: what ``apply`` records.

An op is a pair of static methods, as in ``torch.autograd.Function``::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):              # NumPy arrays in, an array out
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):             # the chain rule: one gradient per input
            a, b = ctx.saved_tensors
            return grad * b, grad * a

``apply`` does the plumbing once for every op: it unwraps Tensors into arrays, calls ``forward``,
and — when an input requires grad and grad mode is on — records a ``Node`` linking the output
to its inputs.

**One rule, two kinds of pass.** ``backward`` is written once, with operators and ops only. In the
usual first-order pass nothing is recorded, so the engine hands it plain arrays (``saved_tensors``
too), and an op called on arrays alone just computes. With ``create_graph=True`` the same rule
gets Tensors and is itself recorded, so derivatives of any order need no extra code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy._core.umath import _extobj_contextvar as _errstate

from .grad_mode import state
from .tensor import Tensor

FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
    "the graph a second time or if you need to access saved tensors after calling backward."
)

# NumPy's float warnings are off while an op runs: inf·0 is nan and exp(1000) inf, silently, as in
# torch. This sets np.errstate's context variable directly: np.errstate costs as much as a small op.

with np.errstate(all="ignore"):
    _IGNORE = _errstate.get()


def quiet() -> Any:
    """Turn NumPy's float warnings off; hand the result to ``loud`` to turn them back."""
    return _errstate.set(_IGNORE)


def loud(token: Any) -> None:
    _errstate.reset(token)


class Node:
    """One recorded op: the ``ctx`` of its forward and the ``grad_fn`` of its output.

    - ``next``: per argument of ``apply``, where its gradient goes: the ``grad_fn`` of the
      input, the input itself if it is a leaf that requires grad, else None (a constant).
    - ``output_shape``, ``output_dtype``: a gradient sent here is conformed to them.
    - ``constants``: per argument, its value when it needs no gradient, else None (empty when
      every argument needs one).

    A node holds arrays, never Tensors: not its output's (that would be a reference cycle), nor
    its inputs' (``next`` links the graph; an intermediate array is freed once nothing saved it).
    """

    next: tuple[Any, ...] = ()
    output_shape: tuple[int, ...] = ()
    output_dtype: Any = None
    constants: tuple[Any, ...] = ()
    params: dict[str, Any] = {}  # noqa: RUF012  (never mutated: apply assigns a new dict)
    _to_save: tuple[Any, ...] = ()
    _output_id: int | None = None  # id() of the output array, to recognise it among saved ones
    _freed = False
    _pre_hooks: list[Any] | None = None  # hooks on the output's gradient (register_hook)
    _retained: list[Any] | None = None  # retain_grad()'s keepers, run after the hooks

    def __init__(self, function: type[Function]) -> None:
        self.function = function

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """One bool per argument of ``apply``: does it need a gradient?"""
        return tuple([n is not None for n in self.next])

    def save_for_backward(self, *values: Any) -> None:
        """Keep ``values`` (input arrays, the output array, other arrays, numbers) for backward."""
        self._to_save = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What forward saved: the arrays themselves when nothing is recorded (grad mode off);
        else each input or output array as a Tensor linked into the graph, so that a backward
        rule run with ``create_graph=True`` is differentiable too."""
        if self._freed:
            raise RuntimeError(FREED)
        if not state.grad_enabled and self.function.backward_on_arrays:
            return self._to_save
        taken: list[Any] = []
        return tuple([self._as_tensor(v, taken) for v in self._to_save])

    def _as_tensor(self, value: Any, taken: list[Any]) -> Any:
        """A saved value as a Tensor: an input (by identity with an argument's array, first
        argument first: in x * x.detach() only the first is in the graph), the output, or a
        constant. Numbers stay numbers."""
        if not isinstance(value, np.ndarray):
            return value
        for i, source in enumerate(self.next):
            if i in taken:
                continue
            if source is None:
                found = self.constants[i] is value
            elif isinstance(source, Tensor):
                found = source.array is value
            else:
                found = source._output_id == id(value)
            if found:
                taken.append(i)
                return source if isinstance(source, Tensor) else Tensor._make(value, source)
        return Tensor._make(value, self if id(value) == self._output_id else None)

    def release(self) -> None:
        """Free what forward saved (the engine calls this unless ``retain_graph``)."""
        if self._to_save:
            self._to_save, self._freed = (), True

    def name(self) -> str:
        """``MulBackward`` for the node recorded by ``Mul``, as torch names its nodes."""
        return f"{self.function.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class Function:
    """Base class of every differentiable op: define ``forward(ctx, *args, **params)`` on
    arrays and ``backward(ctx, *grads)``, returning one gradient (or None) per positional
    argument; call ``MyOp.apply(...)``."""

    # A first-order pass hands ``backward`` arrays. A Function whose rule needs Tensor methods
    # (torch's custom Functions) says False here, and gets Tensors in every pass.
    backward_on_arrays = True

    @staticmethod
    def forward(ctx: Node, *args: Any, **params: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx: Node, *grad_outputs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, *grads)")

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> Any:
        """Run ``forward`` on the arrays of ``args``; record the op if a gradient is needed.

        Called with no Tensor at all (a backward rule in a first-order pass), it is just the
        function: the array ``forward`` returns.
        """
        for a in args:
            if isinstance(a, Tensor):
                break
        else:  # no Tensor: the backward pass running this rule has silenced NumPy already
            out = cls.forward(Node(cls), *args, **params)
            return out if type(out) is np.ndarray else np.asarray(out)
        ctx = Node(cls)
        # Per argument: its array for forward, and where its gradient goes (``next``): the node
        # that made it, the leaf itself, or None for a constant (then kept in ``constants``).
        arrays, nexts, constants = [], [], []
        recording = constant = False
        for a in args:
            if isinstance(a, Tensor) and a._requires_grad:
                arrays.append(a.array)
                nexts.append(a.grad_fn or a)
                constants.append(None)
                recording = True
            else:
                arrays.append(a.array if isinstance(a, Tensor) else a)
                nexts.append(None)
                constants.append(arrays[-1])
                constant = True
        token = quiet()
        try:
            out = cls.forward(ctx, *arrays, **params)
        finally:
            loud(token)
        if type(out) is not np.ndarray:  # a NumPy scalar (ops on 0-d arrays give them)
            raw, out = out, np.asarray(out)
            ctx._to_save = tuple([out if v is raw else v for v in ctx._to_save])
        if not recording or not state.grad_enabled:
            return Tensor._make(out, None)
        ctx.next = tuple(nexts)
        if constant:
            ctx.constants = tuple(constants)
        ctx.output_shape, ctx.output_dtype, ctx._output_id = out.shape, out.dtype, id(out)
        if params:
            ctx.params = params
        for note in state.on_record:
            note(ctx)
        return Tensor._make(out, ctx)
