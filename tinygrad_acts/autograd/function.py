"""``Function``: torch's base class for a custom differentiable op, used exactly as torch's::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):                  # Tensors in, grad mode off; Tensors out
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):       # one gradient per output in, one per input out
            (result,) = ctx.saved_tensors
            return grad_output * result

    y = Exp.apply(x)

``apply`` calls ``forward`` on the arguments as given, with grad mode off, then records one
node linking the outputs to the inputs: ``ctx`` itself, as torch's ``ctx`` is the ``ExpBackward``
node of its outputs. ``backward`` gets and returns Tensors in every pass (the package's own ops,
on the core's ``Function``, get arrays in a first-order pass), so it may use any Tensor method,
and with ``create_graph=True`` it is recorded: it can be differentiated again.

**Several outputs.** A core node has one output. With several differentiable outputs the
node's value is all of them flattened and joined (in their common dtype), and each output is
its part of that value (``Index``, then ``reshape`` and ``cast``). A gradient reaching any
output reaches the node as a gradient of the whole, which ``backward`` receives split again,
one per output: zeros for an output that got none, as torch materializes them, or None after
``ctx.set_materialize_grads(False)`` (each output's part notes on the node when it passes a
gradient on: ``_OutputPart``). Unlike in torch, such an output's ``grad_fn`` is therefore that
part's node, not ``MyOpBackward``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..core.function import FREED, MODIFIED, NODE_NAMES, TORCH_TYPES, Node
from ..core.function import Function as _CoreFunction
from ..core.grad_mode import set_grad_enabled, state
from ..core.ops import cast, reshape
from ..core.tensor import Tensor
from ..ops.basic import Index
from ..torch_compat.checks import type_name
from ..torch_compat.nodes import TorchNode

_DIRTY_NOT_RETURNED = (
    "Some elements marked as dirty during the forward method were not returned as output. "
    "The inputs that are modified inplace must all be outputs of the Function."
)
_LEAF_DIRTY = "a leaf Variable that requires grad has been used in an in-place operation."


class Function(_CoreFunction):
    """Base class of a custom op, as ``torch.autograd.Function``: define the static methods
    ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)``, call ``MyOp.apply(*args)``."""

    _backward_cls: type[FunctionCtx]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each custom Function gets its own class of node, ``MyOpBackward`` (a FunctionCtx),
        as torch's: ``type(y.grad_fn).__name__`` names the op."""
        super().__init_subclass__(**kwargs)
        name = f"{cls.__name__}Backward"
        cls._backward_cls = type(name, (FunctionCtx,), {"__qualname__": name})

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """torch's other style: ``forward(*args)`` without ctx, and this fills ctx from the
        inputs and the output. Defining it selects that style."""
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward(ctx, *args, **kwargs)`` with grad mode off, and return what it returned
        (a Tensor, a tuple, other values) — its differentiable outputs linked to the inputs by
        ``ctx`` when an input Tensor requires grad and grad mode is on."""
        if not hasattr(cls, "forward"):
            raise NotImplementedError(
                "You must implement the forward function for custom autograd.Function."
            )
        if cls.setup_context is not Function.setup_context:
            # keywords and defaults become positional inputs, as torch binds them
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, {}
        ctx = cls._backward_cls(cls, args)
        returned = _run_forward(cls, ctx, args, kwargs)
        several = type(returned) is tuple  # a list is one (non-Tensor) output, as in torch
        outputs = ctx._link(args, kwargs, returned if several else (returned,))
        return outputs if several else outputs[0]


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """torch's decorator for a ``backward`` that cannot itself be differentiated: it runs with
    grad mode off. When the pass records (``create_graph``) and an incoming gradient requires
    grad, each gradient it returns is made the output of a node that refuses to be
    differentiated, with torch's error, should a later backward reach it."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grad_outputs: Any) -> Any:
        with set_grad_enabled(False):
            grads = backward(ctx, *grad_outputs)
        if not state.grad_enabled or not any(
            isinstance(g, Tensor) and g._requires_grad for g in grad_outputs
        ):
            return grads
        if type(grads) is not tuple:
            return _refusing(grads)
        return tuple([_refusing(g) for g in grads])

    return wrapper


class _DelayedError:
    """``node.function`` of a gradient ``once_differentiable`` returned in a recorded pass."""

    __name__ = "Error"  # torch's node is ``torch::autograd::Error``

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def _refusing(g: Any) -> Any:
    """``g`` as the output of a ``_DelayedError`` node, whose input is a new leaf with g's
    values (as torch's: the graph goes no further)."""
    if not isinstance(g, Tensor) or g.dtype.kind != "f":
        return g
    node = Node(_DelayedError)  # type: ignore[arg-type]
    node.next = (Tensor._make(g.array, None).requires_grad_(),)
    node.output_shape, node.output_dtype = g.shape, g.dtype
    return Tensor._make(g.array, node)


def _run_forward(
    function: type[Function], ctx: FunctionCtx, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``forward`` with grad mode off, in either of torch's styles (with ctx, or without ctx
    and then ``setup_context``)."""
    with set_grad_enabled(False):
        if function.setup_context is Function.setup_context:
            return function.forward(ctx, *args, **kwargs)
        returned = function.forward(*args)
        function.setup_context(ctx, args, returned)
        return returned


class _Output(NamedTuple):
    """One output of ``forward`` as the node sees it: shape and dtype, and where its elements
    are in the node's value (``part``; None: all of it). A non-differentiable one has none."""

    shape: tuple[int, ...]
    dtype: np.dtype
    part: slice | None = None
    differentiable: bool = True


class _Saved(NamedTuple):
    """One value of ``save_for_backward`` and its version then (torch refuses one changed in
    place since). An output of the node is kept as its ``output`` part of the node's value
    ``whole`` and linked again when unpacked: a Tensor whose ``grad_fn`` is the node, kept by
    the node, would be a reference cycle."""

    tensor: Tensor | None
    counter: Any = None
    count: int = 0
    output: _Output | None = None
    whole: np.ndarray | None = None

    def unpack(self, node: FunctionCtx) -> Tensor | None:
        if self.counter is not None and self.counter.count != self.count:
            if self.output is None:
                array, made = self.tensor.array, self.tensor.grad_fn
                shape, dtype = array.shape, array.dtype
            else:
                shape, dtype, made = self.output.shape, self.output.dtype, node
            kind = f"[torch.{TORCH_TYPES.get(dtype.name, dtype.name)}Tensor {list(shape)}]"
            if made is not None:
                kind += f", which is output 0 of {made.function.__name__},"
            raise RuntimeError(MODIFIED.format(kind, self.counter.count, self.count))
        if self.output is None:
            return self.tensor
        return node._part(Tensor._make(self.whole, node), self.output, _OutputPart)


class FunctionCtx(Node):
    """``ctx``: what ``forward`` and ``backward`` of a custom Function share, and the node
    (``grad_fn``) of its outputs. Any attribute may be set on it (``ctx.k = k``)."""

    needs_input_grad: tuple[bool, ...] = ()  # per argument; known in forward already, as torch
    materialize_grads = True
    _saving: tuple[Any, ...] = ()  # what forward handed save_for_backward
    _non_differentiable: tuple[Any, ...] = ()
    _dirty: tuple[Any, ...] = ()
    _outputs: tuple[_Output | None, ...] = ()  # per output of forward (None: not a Tensor)
    _reached: frozenset[tuple[int, int]] = frozenset()  # parts that got a gradient: _OutputPart
    _input_shapes: tuple[tuple[int, ...] | None, ...] = ()  # per argument (None: not a Tensor)

    def __init__(self, function: type[Function], args: tuple[Any, ...]) -> None:
        super().__init__(_Rule(function))
        self.needs_input_grad = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
        self._input_shapes = tuple([a.shape if isinstance(a, Tensor) else None for a in args])

    # -- what forward may call -----------------------------------------------------------------

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for backward (``ctx.saved_tensors``); inputs and outputs among them
        come back linked into the graph, so that a backward using them is differentiable."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(t).__name__}"
                )
        self._saving = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """What forward saved; torch's error once backward has freed it (``retain_graph``
        keeps it), or when one of them changed in place since."""
        if self._freed:
            raise RuntimeError(FREED)
        return tuple([saved.unpack(self) for saved in self._to_save])

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """These outputs get no gradient: ``requires_grad`` False, and ``backward`` receives
        zeros for them."""
        if not all(isinstance(t, Tensor) for t in tensors):
            raise RuntimeError("mark_non_differentiable only accepts variable arguments, but got ")
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors: Tensor) -> None:
        """These inputs were changed in place by forward and are returned: each becomes the
        output, its history now this op (a leaf that requires grad may not be one)."""
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, ``backward`` receives None rather than zeros for an output that is not
        differentiable. (The differentiable ones share one gradient here, so each gets its
        part of it, zeros if it got none: equal to what a backward written for None does.)"""
        self.materialize_grads = bool(value)

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """As any node's (``torch_compat.nodes``), but only for the arguments that are Tensors,
        as torch lists them for a custom Function."""
        edges = TorchNode.next_functions.fget(self)
        return tuple([e for e, shape in zip(edges, self._input_shapes) if shape is not None])

    # -- what apply and the backward pass call -------------------------------------------------

    def _link(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], outputs: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        """What ``apply`` returns for the ``outputs`` of forward: each differentiable output
        (a floating Tensor not marked otherwise) linked to this node, when recording."""
        if any(not _among(t, outputs) for t in self._dirty):
            raise RuntimeError(_DIRTY_NOT_RETURNED)
        recording = state.grad_enabled and any(self.needs_input_grad)
        differentiable = _differentiable(outputs, self) if recording else []
        if not differentiable:
            self._to_save = tuple([_Saved(t) for t in self._saving])
            return tuple([self._returned(o, args, None) for o in outputs])
        for t in self._dirty:
            if t._requires_grad and t.grad_fn is None:
                raise RuntimeError(_LEAF_DIRTY)

        whole = _whole(differentiable)
        self._outputs = _layout(outputs, differentiable)
        self.next = tuple(
            [a.grad_fn or a if need else None for a, need in zip(args, self.needs_input_grad)]
        )
        if not all(self.needs_input_grad):
            self.constants = tuple(
                [None if need else _array(a) for a, need in zip(args, self.needs_input_grad)]
            )
        self.output_shape, self.output_dtype = whole.shape, whole.dtype
        if kwargs:
            self.params = kwargs
        for note in state.on_record:
            note(self)

        linked = Tensor._make(whole, self)
        parts = [self._part(linked, out, _OutputPart) if out else None for out in self._outputs]
        results = tuple([self._returned(o, args, part) for o, part in zip(outputs, parts)])
        self._to_save = tuple([self._saved(t, args, outputs, whole) for t in self._saving])
        return results

    def _returned(self, o: Any, args: tuple[Any, ...], part: Tensor | None) -> Any:
        """The object ``apply`` returns for output ``o``, as torch chooses it: ``o`` itself,
        taking over ``part`` (its part of the node's value) when differentiable; but for an
        input, a new Tensor on its array (torch's view of it) unless forward changed it in
        place — detached if it is not differentiable and required grad."""
        if not isinstance(o, Tensor):
            return o
        is_input, changed = _among(o, args), _among(o, self._dirty)
        if part is None:  # not differentiable
            return _view(o, None) if is_input and (o._requires_grad or not changed) else o
        if is_input and not changed:
            return _view(o, self) if part.array is o.array else part
        return o._take_over(part)

    def _saved(
        self, t: Tensor | None, args: tuple[Any, ...], outputs: tuple[Any, ...], whole: Any
    ) -> _Saved:
        """A value of ``save_for_backward`` as kept: an output of the node (by identity,
        unless it is an input forward did not change: then it is that input), or as it is."""
        if t is None:
            return _Saved(None)
        is_input = _among(t, args) and not _among(t, self._dirty)
        for o, out in zip(outputs, self._outputs):
            if o is t and out is not None and out.differentiable and not is_input:
                return _Saved(None, t._counter, t._counter.count, out, whole)
        return _Saved(t, t._counter, t._counter.count)

    def _part(self, whole: Tensor, out: _Output, take: type = Index) -> Tensor | None:
        """Output ``out`` (or its gradient) from the node's value ``whole`` (or its gradient),
        taken with ``take``; None for an output that is not differentiable."""
        if not out.differentiable:
            return None
        if out.part is None:
            return whole
        return cast(reshape(take.apply(whole, index=out.part), out.shape), out.dtype)

    def _grads_of_outputs(self, grad: Tensor) -> list[Tensor | None]:
        """Per output of forward, its gradient: its part of ``grad``. For one that got none in
        this pass (not differentiable, or not reached): zeros, or None without
        ``materialize_grads``. None for one that is no Tensor."""
        reached, self._reached = self._reached, frozenset()
        grads: list[Tensor | None] = []
        for out in self._outputs:
            got = out is not None and out.differentiable
            if got and out.part is not None and not self.materialize_grads:
                got = (out.part.start, out.part.stop) in reached
            if got:
                grads.append(self._part(grad, out))
            elif out is None or not self.materialize_grads:
                grads.append(None)
            else:
                grads.append(Tensor._make(np.zeros(out.shape, out.dtype), None))
        return grads


class _OutputPart(Index):
    """One of several outputs of a custom Function: its part ``index`` of the node's value.
    Its backward also notes on the node (its input's ``grad_fn``) that this output passes a
    gradient on in this pass, so that the outputs that got none can be told apart."""

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        node = ctx.next[0]
        node._reached = node._reached | {(ctx.index.start, ctx.index.stop)}
        return Index.backward(ctx, grad)


NODE_NAMES[_OutputPart] = NODE_NAMES[Index]  # it prints as the Index it is


class _Rule:
    """``node.function`` of a custom Function's node: what the backward pass runs there.

    Named after the Function, so that its node is ``MyOpBackward`` (``Node.name``), as in
    torch. ``backward`` splits the gradient of the node's value into one per output, calls
    the user's ``backward`` and checks what it returns, in torch's words.
    """

    def __init__(self, function: type[Function]) -> None:
        self.function = function
        self.__name__ = function.__name__

    def backward(self, ctx: FunctionCtx, grad: Any) -> tuple[Any, ...]:
        """In a first-order pass the engine hands an array: the user's rule gets Tensors all the
        same, and its gradients go back as arrays (copies: one may be a Tensor someone holds)."""
        arrays = not isinstance(grad, Tensor)
        grad = Tensor._make(np.asarray(grad), None) if arrays else grad
        grads = self.function.backward(ctx, *ctx._grads_of_outputs(grad))
        grads = _checked(ctx, grads if type(grads) is tuple else (grads,))
        return tuple([np.array(g.array) if arrays and g is not None else g for g in grads])

    def forward(self, ctx: Node, *args: Any, **kwargs: Any) -> np.ndarray:
        """The node's value computed again from its arguments' arrays (the graph picture
        recomputes values the graph does not hold)."""
        tensors = [Tensor._make(a, None) if isinstance(a, np.ndarray) else a for a in args]
        again = FunctionCtx(self.function, tuple(tensors))
        returned = _run_forward(self.function, again, tuple(tensors), kwargs)
        outputs = returned if type(returned) is tuple else (returned,)
        return _whole(_differentiable(outputs, again))


def _checked(ctx: FunctionCtx, grads: tuple[Any, ...]) -> tuple[Any, ...]:
    """The gradients a user's ``backward`` returned, checked in torch's order and words: their
    number, each a Tensor or None (None for an argument that is not a
    Tensor), and a shape its input broadcasts to (the engine sums it back to the input's)."""
    n = len(ctx.next)
    if len(grads) > n and all(g is None for g in grads[n:]):
        grads = grads[:n]  # extra Nones are dropped, as torch does
    if len(grads) != n:
        raise RuntimeError(
            f"function {ctx.name()} returned an incorrect number of gradients (expected {n}, "
            f"got {len(grads)})"
        )
    for i, (g, shape) in enumerate(zip(grads, ctx._input_shapes)):
        if g is None:
            continue
        if shape is None:
            raise RuntimeError(
                f"function {ctx.name()} returned a gradient different than None at position "
                f"{i + 1}, but the corresponding forward input was not a Variable"
            )
        if not isinstance(g, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type_name(g)})")
    for i, (g, shape) in enumerate(zip(grads, ctx._input_shapes)):
        if g is not None and ctx.next[i] is not None and not _broadcasts(shape, g.shape):
            raise RuntimeError(
                f"Function {ctx.name()} returned an invalid gradient at index {i} - got "
                f"{list(g.shape)} but expected shape compatible with {list(shape or ())}"
            )
    return grads


def _differentiable(outputs: tuple[Any, ...], ctx: FunctionCtx) -> list[Tensor]:
    """The outputs that get a gradient: floating Tensors not marked non-differentiable."""
    return [
        o
        for o in outputs
        if isinstance(o, Tensor) and o.dtype.kind == "f" and not _among(o, ctx._non_differentiable)
    ]


def _whole(differentiable: list[Tensor]) -> np.ndarray:
    """The node's value: its one output's array, or all of them flattened and joined."""
    if len(differentiable) == 1:
        return differentiable[0].array
    return np.concatenate([o.array.reshape(-1) for o in differentiable])


def _layout(outputs: tuple[Any, ...], differentiable: list[Tensor]) -> tuple[_Output | None, ...]:
    """Per output: ``_Output`` (its part of the node's value if differentiable), None if it is
    not a Tensor."""
    layout: list[_Output | None] = []
    start, several = 0, len(differentiable) > 1
    for o in outputs:
        if not isinstance(o, Tensor):
            layout.append(None)
        elif not _among(o, differentiable):
            layout.append(_Output(o.shape, o.dtype, differentiable=False))
        else:
            stop = start + o.array.size
            layout.append(_Output(o.shape, o.dtype, slice(start, stop) if several else None))
            start = stop
    return tuple(layout)


def _broadcasts(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    """Does ``shape`` broadcast to ``to`` (so a gradient of shape ``to`` sums back to it)?"""
    try:
        return np.broadcast_shapes(shape, to) == tuple(to)
    except ValueError:
        return False


def _among(t: Any, items: Any) -> bool:
    """Is ``t`` one of ``items`` (the same object: Tensors compare elementwise)?"""
    return any(t is item for item in items)


def _view(t: Tensor, grad_fn: Node | None) -> Tensor:
    """A new Tensor on ``t``'s array, sharing its version counter (a view of it)."""
    view = Tensor._make(t.array, grad_fn)
    view._counter = t._counter
    return view


def _array(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


__all__ = ["Function", "FunctionCtx", "Node", "once_differentiable"]
