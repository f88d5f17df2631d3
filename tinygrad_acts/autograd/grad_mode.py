"""Grad mode (from the core), inference mode, and ``scope``: a name for the ops recorded
inside a block."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from ..core.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled, state


class _Inference(threading.local):
    enabled = False


_inference = _Inference()


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()`` (per thread, as torch's)."""
    return _inference.enabled


class inference_mode:
    """``torch.inference_mode(mode=True)``: a context manager and decorator (``@inference_mode``
    or ``@inference_mode()``) that records nothing inside, as ``no_grad``.

    torch goes further: the tensors made inside are "inference tensors", which a recorded op
    may not use later, and even ``enable_grad()`` inside records nothing. Here it is grad mode
    off, and ``is_inference_mode_enabled()`` says it is on. ``inference_mode(False)`` turns it
    off and grad mode on, as torch's does.
    """

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # @inference_mode, without parentheses: mode is the function

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = _inference.enabled, state.grad_enabled
        _inference.enabled, state.grad_enabled = self.mode, not self.mode

    def __exit__(self, *exc: object) -> None:
        _inference.enabled, state.grad_enabled = self.prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(self.mode):
                return func(*args, **kwargs)

        return wrapper


class scope:
    """Label every op recorded inside with ``name`` (nested scopes make a path).

    ``fn`` functions with a name and ``nn.Module`` calls open a scope, so that the graph
    picture can draw the ops they recorded as one box. Per thread, as grad mode.
    """

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):  # the picture joins the names: refused here, where given
            raise TypeError(f"scope() takes a str as its name, got {type(name).__name__}")
        self.name = name

    def __enter__(self) -> None:
        self.prev = state.on_record
        outer = next((r for r in self.prev if isinstance(r, _Namer)), None)
        names = (outer.names if outer else ()) + (self.name,)
        state.on_record = tuple(r for r in self.prev if r is not outer) + (_Namer(names),)

    def __exit__(self, *exc: object) -> None:
        state.on_record = self.prev


class _Namer:
    """What ``scope`` adds to the recorders: it writes the scope's path on each new node."""

    __slots__ = ("names",)

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def __call__(self, node: Any) -> None:
        node.scope = self.names


__all__ = [
    "enable_grad",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "scope",
    "set_grad_enabled",
]
