"""``detect_anomaly``: find the op whose backward produced NaN or inf."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .grad_mode import _state


class detect_anomaly:
    """Context manager (and decorator) that makes the engine stop at the first bad gradient.

    Inside it, every op records where in your code its forward was called (which costs time,
    so only here), and the backward pass raises a ``RuntimeError`` naming the op, its parameters
    and that line as soon as a backward rule returns NaN or inf. Per thread, as in torch.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self.prev = _state.anomaly
        _state.anomaly = self.check_nan

    def __exit__(self, *exc: object) -> None:
        _state.anomaly = self.prev

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_nan):
                return func(*args, **kwargs)

        return wrapper


def is_anomaly_enabled() -> bool:
    return _state.anomaly
