"""Workload 6 — a cubic fitted with plain tensor ops: ``a + b*x + c*x**2 + d*x**3`` on 2,000
points of sin(3x), 2,000 full-batch SGD steps, float64.

What a learner writes before meeting ``nn``: four scalar parameters, integer powers, a mean
squared error. Each step is ~15 ops on 2,000 elements, so it measures the small-tensor paths
(integer powers, broadcasting a 0-d parameter, summing back to it) more than arithmetic.
tinygrad_acts and torch run the very same code; the final losses must agree (to 1e-10).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .chain import has_torch
from .modes import Mode
from .timing import Peer, interleaved_medians

POINTS = 2000
LR = 0.1
LOSS_TOLERANCE = 1e-10


def _fit(lib: Any, steps: int) -> float:
    """The training loop, written once for both frameworks (``lib`` is tinygrad_acts or torch)."""
    x = lib.linspace(-1.0, 1.0, POINTS, dtype=lib.float64)
    y = lib.sin(3.0 * x)
    params = [lib.zeros((), dtype=lib.float64, requires_grad=True) for _ in range(4)]
    opt = lib.optim.SGD(params, lr=LR)
    a, b, c, d = params
    loss = None
    for _ in range(steps):
        opt.zero_grad()
        pred = a + b * x + c * x**2 + d * x**3
        loss = ((pred - y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.item()


def hand_fit(steps: int) -> float:
    """The same fit in NumPy, its gradient written out: ∂L/∂θ_k = mean(2r·x^k)."""
    x = np.linspace(-1.0, 1.0, POINTS)
    y = np.sin(3.0 * x)
    powers = np.stack([np.ones_like(x), x, x * x, x * x * x])
    theta = np.zeros(4)
    loss = np.nan
    for _ in range(steps):
        r = theta @ powers - y
        loss = float(np.mean(r * r))
        theta -= LR * (powers @ (r * (2.0 / POINTS)))
    return loss


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    import tinygrad_acts as tga

    steps = mode.poly_steps
    peers = [Peer("tinygrad_acts", lambda: _fit(tga, steps))]
    if has_torch():
        import torch

        peers.append(Peer("torch_1thread", lambda: _fit(torch, steps), torch_threads=1))
    peers.append(Peer("numpy", lambda: hand_fit(steps)))
    losses = {p.name: p.run() for p in peers}
    reference = losses["numpy"]
    correct = {k: abs(v - reference) <= LOSS_TOLERANCE for k, v in losses.items()}
    seconds = interleaved_medians(peers, mode.poly_repeats)
    return {
        "steps": steps,
        "points": POINTS,
        "seconds": seconds,
        "final_loss": losses,
        "max_loss_difference": max(abs(v - reference) for v in losses.values()),
        "correct": correct,
    }
