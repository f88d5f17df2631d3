"""Workload 2 — throughput: every activation on 1,000,000 elements, forward + sum + backward.

At this size the per-op overhead vanishes and what remains is the arithmetic: how many passes
over memory an op's forward and backward make, compared with torch (one thread) and with the
hand-written NumPy of the same formulas. The activations are read from the registry.

Each row's floor is hand NumPy: the accurate formula for the rows that have one
(``hand_numpy.ACCURATE``: the lean derivative loses digits there), else the lean one; gelu's
is SciPy's erfc when SciPy is installed. The lean time is reported for every row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import hand_numpy
from .chain import has_torch
from .modes import Mode
from .timing import Peer, interleaved_medians

DTYPES = ("float64", "float32")
TOLERANCE = {"float64": 1e-9, "float32": 2e-4}


def _tinygrad_acts_peer(name: str, x: np.ndarray, package: Any = None):
    """Forward + sum + backward of activation ``name`` on ``tinygrad_acts`` (or on another copy
    of it, for ``benchmarks.ab``)."""
    if package is None:
        import tinygrad_acts as package

    entry = package.ACTIVATIONS[name]
    t = package.tensor(x, requires_grad=True)

    def run() -> tuple[float, np.ndarray]:
        t.grad = None
        s = entry(t).sum()
        s.backward()
        return float(s.item()), t.grad.numpy()

    return run


def _torch_peer(name: str, x: np.ndarray):
    import torch

    import tinygrad_acts as tga

    params = tga.ACTIVATIONS[name].call_params()
    if "weight" in params:  # prelu's slope, a constant here as in the registry's call
        params["weight"] = torch.full((1,), params["weight"], dtype=getattr(torch, str(x.dtype)))
    function = getattr(torch.nn.functional, name)
    t = torch.from_numpy(x).requires_grad_(True)

    def run() -> tuple[float, np.ndarray]:
        t.grad = None
        s = function(t, **params).sum()
        s.backward()
        return float(s.item()), t.grad.numpy()

    return run


def _numpy_peer(name: str, x: np.ndarray, accurate: bool = False):
    """Hand NumPy's row; it keeps its last gradient until the next call starts, as the
    frameworks' ``t.grad`` does (what stays allocated decides where the allocator's page
    faults land)."""
    import tinygrad_acts as tga

    params = tga.ACTIVATIONS[name].call_params()
    function = (hand_numpy.ACCURATE if accurate else hand_numpy.ACTIVATIONS)[name]
    last: list[Any] = [None]

    def run() -> tuple[float, np.ndarray]:
        last[0] = None
        s, last[0] = function(x, **params)
        return float(s), last[0]

    return run


def floor_of(name: str) -> str:
    """Which hand NumPy a row is measured against: ``accurate``, ``scipy`` or ``lean``."""
    if name in hand_numpy.ACCURATE:
        return "accurate"
    if name == "gelu" and hand_numpy.GELU_FLOOR.startswith("scipy"):
        return "scipy"
    return "lean"


def _agrees(result: tuple[float, np.ndarray], reference: tuple[float, np.ndarray], rtol: float):
    (s, g), (s_ref, g_ref) = result, reference
    # The floor 1e-3 matters for softmax and softmin only: their sum is constant, so the
    # gradient is 0 up to rounding and is compared in absolute terms.
    scale = max(float(np.max(np.abs(g_ref))), 1e-3)
    same_grad = g.dtype == g_ref.dtype and np.allclose(g, g_ref, rtol=rtol, atol=rtol * scale)
    return bool(same_grad and math.isclose(s, s_ref, rel_tol=rtol, abs_tol=rtol * abs(s_ref)))


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    import tinygrad_acts as tga

    rows = []
    rng = np.random.default_rng(0)
    base = rng.standard_normal(mode.throughput_size) * 3.0  # reaches every kink (±3, 6, …)
    torch_ok = has_torch()
    for dtype in DTYPES:
        x = base.astype(dtype)
        for name in tga.ACTIVATIONS:
            peers = [Peer("tinygrad_acts", _tinygrad_acts_peer(name, x))]
            if torch_ok:
                peers.append(Peer("torch_1thread", _torch_peer(name, x), torch_threads=1))
                if torch_default_threads:
                    peers.append(Peer("torch_default", _torch_peer(name, x), torch_default_threads))
            if name in hand_numpy.ACCURATE:
                peers.append(Peer("numpy_accurate", _numpy_peer(name, x, accurate=True)))
            peers.append(Peer("numpy", _numpy_peer(name, x)))
            reference = peers[-1].run()
            correct = {p.name: _agrees(p.run(), reference, TOLERANCE[dtype]) for p in peers}
            seconds = interleaved_medians(peers, mode.throughput_repeats)
            ms = {k: v * 1e3 for k, v in seconds.items()}
            floor = floor_of(name)
            rows.append(
                {
                    "activation": name,
                    "dtype": dtype,
                    "ms": ms,
                    "floor": floor,
                    "ratio_floor": ms["tinygrad_acts"] / ms.get("numpy_accurate", ms["numpy"]),
                    "ratio_numpy": ms["tinygrad_acts"] / ms["numpy"],
                    "ratio_torch_1thread": (
                        ms["tinygrad_acts"] / ms["torch_1thread"] if torch_ok else None
                    ),
                    "correct": correct,
                }
            )
    geomean = {
        dtype: math.exp(
            sum(math.log(r["ratio_floor"]) for r in rows if r["dtype"] == dtype)
            / sum(1 for r in rows if r["dtype"] == dtype)
        )
        for dtype in DTYPES
    }
    return {
        "size": mode.throughput_size,
        "rows": rows,
        "geomean_ratio_floor": geomean,
        "gelu_floor": hand_numpy.GELU_FLOOR,
    }
