"""Thread-local switches of the autograd engine: grad mode and the naming scope.

Each thread has its own state, as in torch: ``no_grad()`` in one thread never turns off
recording in another.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    def __init__(self) -> None:
        self.grad_enabled = True
        self._anomaly = False  # detect_anomaly(): record forward stacks, check backward outputs
        self._scope: tuple[str, ...] = ()  # names of the fn functions / modules being evaluated
        # True when either of the two is set: ``apply`` asks once per op, not twice.
        self.extras = False

    @property
    def anomaly(self) -> bool:
        return self._anomaly

    @anomaly.setter
    def anomaly(self, value: bool) -> None:
        self._anomaly = value
        self.extras = bool(self._scope) or value

    @property
    def scope(self) -> tuple[str, ...]:
        return self._scope

    @scope.setter
    def scope(self, value: tuple[str, ...]) -> None:
        self._scope = value
        self.extras = bool(value) or self._anomaly


_state = _State()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded for backward."""
    return _state.grad_enabled


class set_grad_enabled:
    """Turn recording on or off; usable as a function, a context manager and a decorator.

    ``set_grad_enabled(False)`` changes the mode at once (as torch's does); used in a ``with``
    statement, the previous mode is restored on exit.
    """

    def __init__(self, mode: bool) -> None:
        self.prev = _state.grad_enabled
        self.mode = bool(mode)
        _state.grad_enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _state.grad_enabled = self.prev

    def __call__(self, func: F) -> F:
        _state.grad_enabled = self.prev  # as a decorator, the mode applies only inside calls
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _GradModeContext:
    """Base of ``no_grad`` and ``enable_grad``: a context manager and a decorator."""

    mode: bool

    def __enter__(self) -> None:
        self.prev = _state.grad_enabled
        _state.grad_enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _state.grad_enabled = self.prev

    def __call__(self, func: F) -> F:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _state.grad_enabled
            _state.grad_enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _state.grad_enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Do not record operations: results have no ``grad_fn`` and cost no graph memory.

    >>> with no_grad():
    ...     y = x * 2          # y.requires_grad is False

    Also a decorator, ``@no_grad()`` or ``@no_grad`` (as torch). The switch is per thread.
    """

    mode = False

    def __new__(cls, func: Any = None) -> Any:
        if func is None:
            return super().__new__(cls)
        return cls()(func)  # @no_grad without parentheses: the decorated function


class enable_grad(_GradModeContext):
    """Record operations again inside a ``no_grad`` block (context manager and decorator)."""

    mode = True

    def __new__(cls, func: Any = None) -> Any:
        if func is None:
            return super().__new__(cls)
        return cls()(func)  # @enable_grad without parentheses


class scope:
    """Label every op recorded inside with ``name`` (nested scopes make a path).

    ``fn`` functions with a name and ``nn.Module`` calls open a scope, so that the graph
    picture can draw the ops they recorded as one box. (A plain class rather than a generator:
    every module call opens one.)
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.prev = _state.scope
        _state.scope = self.prev + (self.name,)

    def __exit__(self, *exc: object) -> None:
        _state.scope = self.prev
