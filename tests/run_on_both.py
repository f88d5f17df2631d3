"""Running the same code on both libraries, and comparing what comes out.

``lib`` is ``tinygrad_acts`` or ``torch``: ``outcome(fn, lib)`` is what ``fn(lib)`` gives, as
plain Python values, or its error as ``"Type: message"``, so that the two compare with ``==``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import tinygrad_acts as tga


def outcome(fn: Any, lib: Any) -> Any:
    """What ``fn(lib)`` gives, as plain Python values, or its error as ``"Type: message"``."""
    try:
        return plain(fn(lib))
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, tga.Tensor) or type(value).__module__.startswith("torch"):
        return value.tolist(), str(value.dtype).removeprefix("torch.")
    return value


def dtype(lib: Any, name: str) -> Any:
    return getattr(lib, name) if lib is not tga else np.dtype(name)


def linear(lib: Any, weight: list[list[float]], bias: list[float]) -> Any:
    lin = lib.nn.Linear(len(weight[0]), len(weight))
    lin.weight.data = lib.tensor(weight)
    lin.bias.data = lib.tensor(bias)
    return lin
