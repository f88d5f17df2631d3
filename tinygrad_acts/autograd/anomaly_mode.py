"""Anomaly mode (``detect_anomaly``, ``set_detect_anomaly``): find the op whose backward
produced NaN or inf."""

from __future__ import annotations

import functools
import os
import threading
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.function import Node
from ..core.grad_mode import state
from ..core.tensor import Tensor


class _Settings(threading.local):
    check_nan = True  # kept while anomaly mode is off, as torch keeps it


_settings = _Settings()


def set_anomaly_enabled(mode: bool, check_nan: bool = True) -> None:
    """Anomaly mode on or off for this thread: on, every op notes where its forward was
    called, and with ``check_nan`` every backward's gradients are checked for NaN and inf."""
    _settings.check_nan = bool(check_nan)
    on_record = tuple(r for r in state.on_record if r is not _note_stack)
    on_backward = tuple(c for c in state.on_backward if c is not _check_anomaly)
    state.on_record = (*on_record, _note_stack) if mode else on_record
    state.on_backward = (*on_backward, _check_anomaly) if mode and check_nan else on_backward


def is_anomaly_enabled() -> bool:
    return _note_stack in state.on_record


def is_anomaly_check_nan_enabled() -> bool:
    return _settings.check_nan


class detect_anomaly:
    """Context manager (and decorator) that makes the engine stop at the first bad gradient.

    Inside it, every op records where in your code its forward was called (which costs time,
    so only here), and the backward pass raises a ``RuntimeError`` naming the op, its parameters
    and that line as soon as a backward rule returns NaN or inf (unless ``check_nan=False``).
    The mode before it comes back after it. Per thread.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self.prev = is_anomaly_enabled(), is_anomaly_check_nan_enabled()

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc: object) -> None:
        set_anomaly_enabled(*self.prev)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_nan):
                return func(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """``set_detect_anomaly(mode, check_nan=True)``: anomaly mode on or off at once, and, used
    as a context manager, the previous mode back after the block (as ``set_grad_enabled``)."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled(), is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        set_anomaly_enabled(*self.prev)


def _note_stack(node: Node) -> None:
    node.stack = traceback.extract_stack()[:-2]


def _check_anomaly(node: Node, grads: tuple[Any, ...]) -> None:
    """In ``detect_anomaly`` mode: stop at the first backward that produced NaN or inf."""
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = np.asarray(g.array if isinstance(g, Tensor) else g)
        if data.dtype.kind == "f" and not np.isfinite(data).all():
            what = "nan" if np.isnan(data).any() else "inf"
            params = ", ".join(f"{k}={v!r}" for k, v in node.params.items())
            where = ""
            frame = _user_frame(getattr(node, "stack", None) or [])
            if frame is not None:
                where = (
                    f"\nIts forward was called at {frame.filename}:{frame.lineno}: "
                    f"{(frame.line or '').strip()}"
                )
            raise RuntimeError(
                f"Function '{node.name()}'"
                + (f" ({params})" if params else "")
                + f" returned {what} values in its {i}th output.{where}"
            )


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_frame(stack: list[Any]) -> Any:
    """The innermost frame of the recorded stack outside this package: the user's line."""
    for frame in reversed(stack):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR + os.sep):
            return frame
    return stack[-1] if stack else None
