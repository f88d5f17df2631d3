"""Workload 3 — a 1-64-64-1 tanh MLP fit to sin(3x) on 256 points: 200 full-batch SGD steps.

The work a learner does: ``nn.Sequential`` of ``nn.Linear`` and ``nn.Tanh``, ``nn.MSELoss``,
``optim.SGD``, in float64, from the same initial weights in every framework, so the final
losses must agree (to 1e-10). tinygrad_acts and torch run the very same code (one API).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from . import hand_numpy
from .chain import has_torch
from .modes import Mode
from .timing import Peer, interleaved_medians

SIZES = (1, 64, 64, 1)
POINTS = 256
LR = 0.1
LOSS_TOLERANCE = 1e-10


def initial_weights(seed: int = 0) -> list[np.ndarray]:
    """W1, b1, W2, b2, W3, b3 drawn as torch's Linear does: U(-1/√fan_in, 1/√fan_in)."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in itertools.pairwise(SIZES):
        bound = 1.0 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, size=(fan_out, fan_in)))
        weights.append(rng.uniform(-bound, bound, size=(fan_out,)))
    return weights


def data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1.0, 1.0, POINTS).reshape(POINTS, 1)
    return x, np.sin(3.0 * x)


def _train(lib: Any, xs: Any, ys: Any, load: Any, steps: int) -> float:
    """The training loop, written once for both frameworks (``lib`` is tinygrad_acts or torch)."""
    nn, dtype = lib.nn, lib.float64
    model = nn.Sequential(
        nn.Linear(1, 64, dtype=dtype),
        nn.Tanh(),
        nn.Linear(64, 64, dtype=dtype),
        nn.Tanh(),
        nn.Linear(64, 1, dtype=dtype),
    )
    load(model.parameters())
    loss_fn = nn.MSELoss()
    opt = lib.optim.SGD(model.parameters(), lr=LR)
    loss = None
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(xs), ys)
        loss.backward()
        opt.step()
    return loss.item()


def _tinygrad_acts_nn(weights, x, y, steps):
    import tinygrad_acts as tga

    xs, ys = tga.tensor(x), tga.tensor(y)

    def load(params: Any) -> None:
        for p, w in zip(params, weights):
            p.data = tga.tensor(w.copy())

    return lambda: _train(tga, xs, ys, load, steps)


def _torch_nn(weights, x, y, steps):
    import torch

    xs, ys = torch.from_numpy(x), torch.from_numpy(y)

    def load(params: Any) -> None:
        with torch.no_grad():
            for p, w in zip(params, weights):
                p.copy_(torch.from_numpy(w))

    return lambda: _train(torch, xs, ys, load, steps)


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    weights = initial_weights()
    x, y = data()
    steps = mode.mlp_steps
    peers = [Peer("tinygrad_acts", _tinygrad_acts_nn(weights, x, y, steps))]
    if has_torch():
        peers.append(Peer("torch_1thread", _torch_nn(weights, x, y, steps), torch_threads=1))
        if torch_default_threads:
            peers.append(
                Peer("torch_default", _torch_nn(weights, x, y, steps), torch_default_threads)
            )
    peers.append(Peer("numpy", lambda: hand_numpy.mlp_train(weights, x, y, steps, LR)))
    losses = {p.name: p.run() for p in peers}
    reference = losses["numpy"]
    correct = {k: abs(v - reference) <= LOSS_TOLERANCE for k, v in losses.items()}
    seconds = interleaved_medians(peers, mode.mlp_repeats)
    return {
        "steps": steps,
        "lr": LR,
        "tinygrad_acts_api": "nn.Linear + optim.SGD",
        "seconds": seconds,
        "final_loss": losses,
        "max_loss_difference": max(abs(v - reference) for v in losses.values()),
        "correct": correct,
    }
