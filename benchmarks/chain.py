"""The elementwise chain of workloads 1 and 4 (scale, shift, tanh, sigmoid, relu, repeated), as
one peer per framework. Each ``run()`` builds the graph from a fresh leaf and backpropagates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import hand_numpy
from .hand_numpy import SCALE, SHIFT
from .scalar_engine import Scalar
from .timing import Peer

X0 = 0.7


def _backward_through(x: Any, ops: Sequence[str]) -> float:
    """Forward from the leaf ``x`` through ``ops``, backward, and dy/dx: written once for
    tinygrad_acts and torch (the same API)."""
    x.grad = None
    y = x
    for op in ops:
        if op == "scale":
            y = y * SCALE
        elif op == "shift":
            y = y + SHIFT
        elif op == "tanh":
            y = y.tanh()
        elif op == "sigmoid":
            y = y.sigmoid()
        else:
            y = y.relu()
    y.backward()
    return float(x.grad[0])


def tinygrad_acts_chain(ops: Sequence[str], package: Any = None) -> Callable[[], float]:
    """The chain on ``tinygrad_acts``, or on another copy of it (``benchmarks.ab``)."""
    if package is None:
        import tinygrad_acts as package

    x = package.tensor(np.array([X0]), requires_grad=True)
    return lambda: _backward_through(x, ops)


def torch_chain(ops: Sequence[str]) -> Callable[[], float]:
    import torch

    x = torch.tensor([X0], dtype=torch.float64, requires_grad=True)
    return lambda: _backward_through(x, ops)


def numpy_chain(ops: Sequence[str]) -> Callable[[], float]:
    x = np.array([X0])

    def run() -> float:
        return float(hand_numpy.chain(x, ops)[1][0])

    return run


def scalar_chain(ops: Sequence[str]) -> Callable[[], float]:
    def run() -> float:
        x = Scalar(X0)
        y = x
        for op in ops:
            if op == "scale":
                y = y.scale(SCALE)
            elif op == "shift":
                y = y.shift(SHIFT)
            else:
                y = getattr(y, op)()
        y.backward()
        return x.grad

    return run


def chain_peers(ops: Sequence[str], torch_default_threads: int | None) -> list[Peer]:
    """tinygrad_acts, torch (1 thread, and its default pool), hand NumPy, the scalar engine."""
    peers = [Peer("tinygrad_acts", tinygrad_acts_chain(ops))]
    if has_torch():
        peers.append(Peer("torch_1thread", torch_chain(ops), torch_threads=1))
        if torch_default_threads:
            peers.append(Peer("torch_default", torch_chain(ops), torch_default_threads))
    peers.append(Peer("numpy", numpy_chain(ops)))
    peers.append(Peer("scalar", scalar_chain(ops)))
    return peers


def has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def check_against(reference: float, results: dict[str, Any], rtol: float) -> dict[str, bool]:
    """Each peer's gradient against the hand-NumPy one."""
    return {
        name: bool(np.isclose(g, reference, rtol=rtol, atol=0.0)) for name, g in results.items()
    }
