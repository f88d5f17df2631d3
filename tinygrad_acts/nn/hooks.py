"""Module hooks, as torch.nn.Module's: functions that see (and may replace) what goes into and
out of a module's ``forward``, and the gradients that flow back through the module.

- ``register_forward_pre_hook(hook)``: ``hook(module, args)`` before ``forward``; a returned
  value replaces the positional arguments (a non-tuple is wrapped in one).
- ``register_forward_hook(hook)``: ``hook(module, args, output)`` after ``forward``; a
  returned value replaces the output.
- ``register_full_backward_pre_hook(hook)``: ``hook(module, grad_output)`` when the gradients
  of the module's outputs are known; a returned tuple replaces them.
- ``register_full_backward_hook(hook)``: ``hook(module, grad_input, grad_output)`` when the
  gradients of the module's positional Tensor inputs are known too (None in place of an
  argument that is not a Tensor); a returned tuple replaces ``grad_input``.

The backward hooks work as torch's: the module's Tensor inputs and its outputs each pass
through an identity op, ``BackwardHookFunction``. Its backward is where the gradients are
seen: the outputs' identity runs first (it keeps ``grad_output`` and runs the pre-hooks), the
inputs' identity last (it runs the hooks with both). Every ``register_*`` returns a
``RemovableHandle``: ``handle.remove()``, or a ``with`` block, takes the hook off again.

``Module.__call__`` looks only at whether a module (or the whole program, with the
``register_module_*`` functions) ever had a hook; without, it calls ``forward`` directly.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from ..autograd.function import Function
from ..core.grad_mode import state
from ..core.tensor import Tensor
from ..torch_compat.hooks import RemovableHandle, check_replacement

__all__ = [
    "BackwardHookFunction",
    "HookTables",
    "ModuleHooks",
    "RemovableHandle",
    "register_module_backward_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
]

_MIXED = (
    "Cannot use both regular backward hooks and full backward hooks {}. "
    "Please use only one of them."
)


class _Hook:
    """One registration: the function and how it is called (one object, so that removing it
    by identity takes off exactly this registration)."""

    __slots__ = ("always_call", "fn", "with_kwargs")

    def __init__(self, fn: Callable[..., Any], with_kwargs: bool, always_call: bool) -> None:
        self.fn, self.with_kwargs, self.always_call = fn, with_kwargs, always_call


class HookTables:
    """The hooks of one module (or the global ones), each list in calling order."""

    def __init__(self) -> None:
        self.forward_pre: list[_Hook] = []
        self.forward: list[_Hook] = []
        self.backward: list[_Hook] = []
        self.backward_pre: list[_Hook] = []
        self.is_full_backward: bool | None = None  # None until a backward hook is registered

    def add(
        self,
        table: list[_Hook],
        fn: Callable[..., Any],
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        hook = _Hook(fn, with_kwargs, always_call)
        table.insert(0, hook) if prepend else table.append(hook)
        return RemovableHandle(table, hook)

    def backward_kind(self, full: bool, where: str) -> None:
        """Refuse to mix the deprecated and the full backward hooks, as torch does."""
        if self.is_full_backward is (not full):
            raise RuntimeError(_MIXED.format(where))
        self.is_full_backward = full


GLOBAL = HookTables()
_global_used = [False]  # set once any global hook is registered: Module.__call__ reads it


class ModuleHooks:
    """The ``register_*_hook`` methods of ``Module`` (see the module docstring)."""

    _hooks: HookTables | None = None

    def _hook_tables(self) -> HookTables:
        if self._hooks is None:
            object.__setattr__(self, "_hooks", HookTables())
        return self._hooks  # type: ignore[return-value]

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """``hook(module, args)`` (``hook(module, args, kwargs)`` with ``with_kwargs``, which
        returns None or ``(args, kwargs)``) runs before each ``forward``."""
        tables = self._hook_tables()
        return tables.add(tables.forward_pre, hook, prepend, with_kwargs)

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """``hook(module, args, output)`` (``hook(module, args, kwargs, output)`` with
        ``with_kwargs``) runs after each ``forward``; ``always_call``: even if it raised."""
        tables = self._hook_tables()
        return tables.add(tables.forward, hook, prepend, with_kwargs, always_call)

    def register_full_backward_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """``hook(module, grad_output)`` runs when the gradients of the outputs are known."""
        tables = self._hook_tables()
        return tables.add(tables.backward_pre, hook, prepend)

    def register_full_backward_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs when the gradients of the inputs
        are known; it may return new ``grad_input``."""
        tables = self._hook_tables()
        tables.backward_kind(True, "on a single Module")
        return tables.add(tables.backward, hook, prepend)

    def register_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """torch's deprecated backward hook. Here it is the full hook, which gives the same
        gradients for a module that is one op of its inputs (``ReLU``); any other module is
        refused when called (torch would show the gradients of its last op only)."""
        tables = self._hook_tables()
        tables.backward_kind(False, "on a single Module")
        return tables.add(tables.backward, hook)


def _register_global(table: list[_Hook], *args: Any, **kwargs: Any) -> RemovableHandle:
    _global_used[0] = True
    return GLOBAL.add(table, *args, **kwargs)


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """A forward pre-hook of every module, run before the module's own."""
    return _register_global(GLOBAL.forward_pre, hook)


def register_module_forward_hook(
    hook: Callable[..., Any], *, with_kwargs: bool = False, always_call: bool = False
) -> RemovableHandle:
    """A forward hook of every module, run before the module's own."""
    return _register_global(GLOBAL.forward, hook, False, with_kwargs, always_call)


def register_module_full_backward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """A backward pre-hook of every module, run before the module's own."""
    return _register_global(GLOBAL.backward_pre, hook)


def register_module_full_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """A full backward hook of every module, run before the module's own."""
    GLOBAL.backward_kind(True, "as a global Module hook")
    return _register_global(GLOBAL.backward, hook)


def register_module_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """torch's deprecated global backward hook (see ``Module.register_backward_hook``)."""
    GLOBAL.backward_kind(False, "as a global Module hook")
    return _register_global(GLOBAL.backward, hook)


# -- calling a module with its hooks -------------------------------------------------------


def call_with_hooks(
    module: Any, forward: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``forward(*args, **kwargs)`` between the module's hooks, in torch's order: the global
    ones first, then the module's own."""
    own = module._hooks or HookTables()
    if not _any(GLOBAL):
        _global_used[0] = False  # the global hooks were all removed: back to the plain path
        if not _any(own):
            return forward(*args, **kwargs)
    full, deprecated = [], []
    for tables in (GLOBAL, own):
        (full if tables.is_full_backward else deprecated).extend(h.fn for h in tables.backward)
    pre_hooks = [h.fn for h in (*GLOBAL.backward_pre, *own.backward_pre)]
    forward_hooks = [*GLOBAL.forward, *own.forward]
    called: set[int] = set()
    result = None
    try:
        for hook in (*GLOBAL.forward_pre, *own.forward_pre):
            if hook.with_kwargs:
                new = hook.fn(module, args, kwargs)
                if new is not None:
                    if not (isinstance(new, tuple) and len(new) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {new}."
                        )
                    args, kwargs = new
            else:
                new = hook.fn(module, args)
                if new is not None:
                    args = new if isinstance(new, tuple) else (new,)
        backward = None
        if full or deprecated or pre_hooks:
            backward = _BackwardHook(module, full + deprecated, pre_hooks)
            args = backward.wrap_inputs(args)
        result = forward(*args, **kwargs)
        for hook in forward_hooks:
            if hook.always_call:
                called.add(id(hook))
            if hook.with_kwargs:
                new = hook.fn(module, args, kwargs, result)
            else:
                new = hook.fn(module, args, result)
            if new is not None:
                result = new
        if backward is not None:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn(
                    "For backward hooks to be called, module output should be a Tensor or a "
                    f"tuple of Tensors but received {type(result)}",
                    stacklevel=3,
                )
            if deprecated:
                _check_one_op(module, result, backward.input_nodes)
            result = backward.wrap_outputs(result)
        return result
    except Exception:
        # hooks registered with always_call run even when forward (or a hook) raised
        for hook in forward_hooks:
            if hook.always_call and id(hook) not in called:
                try:
                    new = (
                        hook.fn(module, args, kwargs, result)
                        if hook.with_kwargs
                        else hook.fn(module, args, result)
                    )
                    result = result if new is None else new
                except Exception as e:
                    warnings.warn(
                        "module forward hook with ``always_call=True`` raised an exception "
                        f"that was silenced as another error was raised in forward: {e}",
                        stacklevel=3,
                    )
        raise


def _any(tables: HookTables) -> bool:
    return bool(tables.forward_pre or tables.forward or tables.backward or tables.backward_pre)


def _check_one_op(module: Any, result: Any, input_nodes: set[int]) -> None:
    """The deprecated backward hook is supported where it means the full one: an output made
    by one op from the module's inputs alone."""
    outputs = result if isinstance(result, tuple) else (result,)
    nodes = {o.grad_fn for o in outputs if isinstance(o, Tensor) and o.grad_fn is not None}
    sources = {id(n) for node in nodes for n in node.next if n is not None}
    if len(nodes) != 1 or not sources or not sources <= input_nodes:
        raise NotImplementedError(
            f"register_backward_hook on {type(module).__name__}: its output is not one op of "
            "its inputs alone, where torch's deprecated hook would show only the gradients of "
            "the last op. Use register_full_backward_hook, which gives the gradients of the "
            "module's inputs."
        )


class BackwardHookFunction(Function):
    """The identity on some tensors; its backward hands their gradients to ``on_grads``,
    which returns the gradients to pass on (the hooks may have replaced them)."""

    @staticmethod
    def forward(ctx: Any, on_grads: Any, materialize: bool, *tensors: Tensor) -> Any:
        ctx.on_grads = on_grads
        ctx.set_materialize_grads(materialize)
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        return (None, None, *ctx.on_grads(grads))


class _BackwardHook:
    """One call's backward hooks: the identities around the inputs and the outputs, and the
    gradients of the outputs kept until those of the inputs are known."""

    def __init__(self, module: Any, hooks: list[Any], pre_hooks: list[Any]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple[Any, ...] | None = None
        self.n_inputs = self.n_outputs = 0
        self.input_index: list[int] | None = None
        self.output_index: list[int] | None = None
        self.input_nodes: set[int] = set()

    def wrap_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        new, self.input_index = self._wrap(args, self._input_grads, True)
        self.n_inputs = len(args)
        if self.input_index is not None:
            self.input_nodes = {id(new[i].grad_fn) for i in self.input_index}
        return new

    def wrap_outputs(self, result: Any) -> Any:
        several = isinstance(result, tuple)
        outputs = result if several else (result,)
        new, self.output_index = self._wrap(outputs, self._output_grads, False)
        self.n_outputs = len(outputs)
        return new if several else new[0]

    @staticmethod
    def _wrap(
        args: tuple[Any, ...], on_grads: Callable[..., Any], materialize: bool
    ) -> tuple[tuple[Any, ...], list[int] | None]:
        """``args`` with each Tensor passed through one identity (when a gradient will flow),
        and the places of the Tensors."""
        index = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        if not (state.grad_enabled and any(args[i].requires_grad for i in index)):
            return args, None
        new = BackwardHookFunction.apply(on_grads, materialize, *[args[i] for i in index])
        out = list(args)
        for i, t in zip(index, new):
            out[i] = t
        return tuple(out), index

    def _spread(self, index: list[int], values: tuple[Any, ...], size: int) -> tuple[Any, ...]:
        """The values at their places among ``size`` arguments, None elsewhere."""
        out: list[Any] = [None] * size
        for i, v in zip(index, values):
            out[i] = v
        return tuple(out)

    def _output_grads(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        self.grad_outputs = self._spread(self.output_index or [], grads, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is not None:
                if len(new) != len(self.grad_outputs):
                    raise RuntimeError(
                        "Backward pre hook returned an invalid number of grad_output, got "
                        f"{len(new)}, but expected {len(self.grad_outputs)}"
                    )
                self.grad_outputs = _same_kind(new, self.grad_outputs)
        passed_on = tuple([self.grad_outputs[i] for i in self.output_index or []])
        if self.input_index is None:  # no input needs a gradient: call the hooks now
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to "
                "module outputs since no inputs require gradients. See "
                "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.register_full_backward_hook for more details.",
                stacklevel=2,
            )
            nothing = (None,) * self.n_inputs
            for hook in self.hooks:
                new = hook(self.module, nothing, self.grad_outputs)
                if new is not None and not (isinstance(new, tuple) and all(g is None for g in new)):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients."
                    )
            self.grad_outputs = None
        return passed_on

    def _input_grads(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        if self.grad_outputs is None:  # reached without passing the outputs (double backward)
            return grads
        index = self.input_index or []
        grad_input = self._spread(index, grads, self.n_inputs)
        for hook in self.hooks:
            new = hook(self.module, grad_input, self.grad_outputs)
            if new is not None:
                if len(new) != len(grad_input):
                    raise RuntimeError(
                        "Backward hook returned an invalid number of grad_input, got "
                        f"{len(new)}, but expected {len(grad_input)}"
                    )
                grad_input = _same_kind(new, grad_input)
        self.grad_outputs = None
        return tuple([grad_input[i] for i in index])


def _same_kind(new: tuple[Any, ...], old: tuple[Any, ...]) -> tuple[Any, ...]:
    """What a module's backward hook returned, each Tensor given in place of a gradient checked
    as a tensor hook's replacement (torch names every such hook 'hook')."""
    for n, g in zip(new, old):
        if isinstance(n, Tensor) and isinstance(g, Tensor):
            check_replacement(n, g, "hook")
    return tuple(new)
