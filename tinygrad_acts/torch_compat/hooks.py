"""Hooks, as torch has them: ``register_hook`` lets a function see (and replace) a tensor's
gradient as the backward pass computes it, ``retain_grad`` keeps a non-leaf's gradient in its
``.grad``. The engine runs them (``core/engine.py``, step 5); here is how they get there."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.function import TORCH_TYPES
from ..core.tensor import Tensor


class TensorHooks:
    """The hook methods of ``Tensor``."""

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed (summed over all its
        uses, once per pass); it may return a new gradient. ``handle.remove()`` removes it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        checked = _checked(hook)
        if self.grad_fn is not None:  # a non-leaf: the hook sees the gradient of its node
            if self.grad_fn._pre_hooks is None:
                self.grad_fn._pre_hooks = []
            hooks = self.grad_fn._pre_hooks
        else:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        hooks.append(checked)
        return RemovableHandle(hooks, checked)

    def retain_grad(self) -> None:
        """Keep the gradient of this non-leaf tensor in its ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self.retains_grad:
            return  # a leaf keeps its gradient anyway; a second call changes nothing
        ref = weakref.ref(self)

        def keep(grad: Tensor) -> None:
            t = ref()
            if t is not None:  # a copy: the pass may hand the same array on to a leaf
                copy = Tensor._make(np.array(grad.array), None) if grad.grad_fn is None else grad
                t.grad = copy if t.grad is None else t.grad + grad

        keep.tensor = ref  # type: ignore[attr-defined]  (whose keeper it is: retains_grad)
        node = self.grad_fn  # its keepers run after the hooks, as in torch
        if node._retained is None:
            node._retained = []
        node._retained.append(keep)

    @property
    def retains_grad(self) -> bool:
        """Did this non-leaf ask to keep its gradient (``retain_grad()``)? False for a leaf."""
        keepers = self.grad_fn._retained if self.grad_fn is not None else None
        return any(getattr(k, "tensor", None)() is self for k in keepers or ())


def _checked(hook: Callable[[Tensor], Tensor | None]) -> Callable[[Tensor], Tensor | None]:
    """``hook``, with torch's checks of what it returns: None, or a Tensor of the same shape
    and dtype."""

    def checked(grad: Tensor) -> Tensor | None:
        new = hook(grad)
        name = getattr(hook, "__name__", hook)
        if new is None:
            return None
        if not isinstance(new, Tensor):
            raise TypeError(
                f"hook {name!r} returned a {type(new).__name__}; a hook returns None or a Tensor"
            )
        check_replacement(new, grad, name)
        return new

    return checked


def check_replacement(new: Tensor, old: Tensor, name: Any) -> None:
    """A hook's replacement for a gradient keeps its size and dtype, as torch checks (in its
    words; a module's backward hooks are all named 'hook' there)."""
    if new.array.shape != old.array.shape:
        raise RuntimeError(f"hook {name!r} has changed the size of value")
    if new.array.dtype != old.array.dtype:
        kinds = [f"torch.{TORCH_TYPES.get(t.array.dtype.name, t.array.dtype.name)}Tensor"
                 for t in (old, new)]  # fmt: skip
        raise RuntimeError(
            f"hook {name!r} has changed the type of value (was {kinds[0]} got {kinds[1]})"
        )


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` (or ``handle()``, or leaving a
    ``with`` block) takes the hook off again; removing twice is harmless."""

    __slots__ = ("_hook", "_hooks")

    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        for i, hook in enumerate(self._hooks):  # this registration only: by identity
            if hook is self._hook:
                del self._hooks[i]
                break
        self._hooks = []

    __call__ = remove

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()
