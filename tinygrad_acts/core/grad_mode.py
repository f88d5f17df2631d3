"""Grad mode: whether operations are recorded for backward. One switch per thread, as in torch.

Two lists let the layers above watch without the core knowing them: ``on_record`` functions see
every node ``apply`` records (the picture's scopes, anomaly mode's stacks), ``on_backward``
functions every node's gradients as the backward pass computes them (anomaly mode's checks).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any


class _State(threading.local):
    def __init__(self) -> None:
        self.grad_enabled = True
        self.on_record: tuple[Callable[[Any], None], ...] = ()
        self.on_backward: tuple[Callable[[Any, tuple[Any, ...]], None], ...] = ()


state = _State()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded for backward."""
    return state.grad_enabled


class set_grad_enabled:
    """Recording on or off: at once when called, for a ``with`` block (the previous mode comes
    back after it), or for every call of a function it decorates."""

    def __init__(self, mode: bool) -> None:
        self.prev, self.mode = state.grad_enabled, bool(mode)
        state.grad_enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        state.grad_enabled = self.prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        state.grad_enabled = self.prev  # as a decorator the mode holds only inside calls

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(self.mode):
                return func(*args, **kwargs)

        return wrapper


class no_grad(set_grad_enabled):
    """Record nothing inside: ``with no_grad(): ...``, ``@no_grad()`` or ``@no_grad``."""

    mode = False

    def __new__(cls, func: Any = None) -> Any:
        return super().__new__(cls) if func is None else cls()(func)

    def __init__(self, func: Any = None) -> None:
        self.prev = state.grad_enabled  # the switch turns on entering, not here

    def __enter__(self) -> None:
        self.prev, state.grad_enabled = state.grad_enabled, self.mode


class enable_grad(no_grad):
    """Record again inside a ``no_grad`` block (context manager and decorator)."""

    mode = True
