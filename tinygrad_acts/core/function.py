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

MODIFIED = (
    "one of the variables needed for gradient computation has been modified by an inplace "
    "operation: {} is at version {}; expected version {} instead. Hint: enable anomaly detection "
    "to find the operation that failed to compute its gradient, with "
    "torch.autograd.set_detect_anomaly(True, check_nan=False)."
)
TORCH_TYPES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long"}
NODE_NAMES: dict[type, Any] = {}  # an op → the name of its node, given the node
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
    - ``constants``: per argument, its value if it needs no gradient, else None (or empty).

    A node holds arrays, never its output Tensor (a reference cycle) nor its inputs (``next``
    links the graph; an intermediate array is freed once nothing saved it)."""

    next: tuple[Any, ...] = ()
    output_shape: tuple[int, ...] = ()
    output_dtype: Any = None
    constants: tuple[Any, ...] = ()
    params: dict[str, Any] = {}  # noqa: RUF012  (never mutated: apply assigns a new dict)
    _to_save: tuple[Any, ...] = ()
    _sources: tuple[Any, ...] = ()  # per saved value: (argument index or -1, counter, count)
    _freed = False
    _pre_hooks: list[Any] | None = None  # hooks on the output's gradient (register_hook)
    _retained: list[Any] | None = None  # retain_grad()'s keepers, run after the hooks

    def __init__(self, function: type[Function], next: tuple[Any, ...] = ()) -> None:
        self.function, self.next = function, next

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """One bool per argument of ``apply``: does it need a gradient?"""
        return tuple([n is not None for n in self.next])

    def save_for_backward(self, *values: Any) -> None:
        """Keep ``values`` (input arrays, the output array, other arrays, numbers) for backward."""
        self._to_save = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What forward saved: the arrays themselves when nothing is recorded (grad mode off),
        else as Tensors linked into the graph (``create_graph=True``: the rule is recorded too).
        A saved tensor changed in place since is an error, not a wrong gradient."""
        if self._freed:
            raise RuntimeError(FREED)
        for value, (source, counter, count) in zip(self._to_save, self._sources):
            if counter is not None and counter.count != count:
                raise RuntimeError(self._modified(value, source, counter.count, count))
        if not state.grad_enabled:
            return self._to_save
        return tuple([self._as_tensor(v, s) for v, (s, _, _) in zip(self._to_save, self._sources)])

    def _as_tensor(self, value: Any, source: int | None) -> Any:
        """A saved array as a Tensor: the argument (a leaf itself) or output it is, or constant."""
        if not isinstance(value, np.ndarray):
            return value
        node = None if source is None else self if source == -1 else self.next[source]
        return node if isinstance(node, Tensor) else Tensor._make(value, node)

    def _modified(self, value: np.ndarray, source: int, now: int, then: int) -> str:
        node = self if source == -1 else self.next[source]
        by = f", which is output 0 of {node.function.__name__}," if isinstance(node, Node) else ""
        kind = f"torch.{TORCH_TYPES.get(value.dtype.name, value.dtype.name)}Tensor"
        return MODIFIED.format(f"[{kind} {list(value.shape)}]{by}", now, then)

    def release(self) -> None:
        """Free what forward saved (the engine calls this unless ``retain_graph``)."""
        if self._to_save:
            self._to_save, self._freed = (), True

    def name(self) -> str:
        """``MyOpBackward`` for the node of an op ``MyOp``, as torch names a user's ops (its own
        it numbers, ``MulBackward0``: the torch layer fills ``NODE_NAMES`` with those)."""
        named = NODE_NAMES.get(self.function)
        return named(self) if named else f"{self.function.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name().rsplit('::', 1)[-1]}>"  # torch::autograd::CopySlices: <CopySlices>


class Function:
    """Base class of every differentiable op: define ``forward(ctx, *args, **params)`` on
    arrays and ``backward(ctx, *grads)``, returning one gradient (or None) per positional
    argument; call ``MyOp.apply(...)``."""

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> Any:
        """Run ``forward`` on the arrays of ``args``; record the op if a gradient is needed.
        With no Tensor at all (a rule in a first-order pass) it is just the function."""
        for a in args:
            if isinstance(a, Tensor):
                break
        else:  # no Tensor: nothing needs a gradient, and the backward pass silenced NumPy already
            out = cls.forward(Node(cls, (None,) * len(args)), *args, **params)
            return out if type(out) is np.ndarray else np.asarray(out)
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
        ctx = Node(cls, tuple(nexts))  # known to forward: it saves only what a gradient needs
        token = quiet()
        try:
            out = cls.forward(ctx, *arrays, **params)
        finally:
            loud(token)
        if type(out) is not np.ndarray:  # a NumPy scalar (ops on 0-d arrays give them)
            raw, out = out, np.asarray(out)
            ctx._to_save = tuple([out if v is raw else v for v in ctx._to_save])
        if not recording or not state.grad_enabled:
            return _result(out, None, args)
        if constant:
            ctx.constants = tuple(constants)
        ctx.output_shape, ctx.output_dtype = out.shape, out.dtype
        if params:
            ctx.params = params
        for note in state.on_record:
            note(ctx)
        result = _result(out, ctx, args)
        if ctx._to_save:
            ctx._sources = _sources(ctx._to_save, args, result)
        return result


def _result(out: np.ndarray, grad_fn: Node | None, args: tuple[Any, ...]) -> Tensor:
    """The output Tensor: a view of an argument shares its version counter, as in torch."""
    result = Tensor._make(out, grad_fn)
    for a in args:
        if isinstance(a, Tensor) and (
            out is a.array or (out.base is not None and np.may_share_memory(out, a.array))
        ):
            result._counter = a._counter
            break
    return result


def _sources(saved: tuple[Any, ...], args: tuple[Any, ...], out: Tensor) -> tuple[Any, ...]:
    """Per saved value: whose array it is (an argument's index, the one in its place first: in
    x * x.detach() the second is a constant; -1 the output's), its version counter and count."""
    found: list[Any] = []
    for k, value in enumerate(saved):
        for i in (k, *range(len(args))) if k < len(args) else range(len(args)):
            a = args[i]
            if isinstance(a, Tensor) and a.array is value:
                found.append((i, a._counter, a._counter.count))
                break
        else:
            mine = isinstance(value, np.ndarray) and value is out.array
            found.append((-1, out._counter, out._counter.count) if mine else (None, None, 0))
    return tuple(found)
