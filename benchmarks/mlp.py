"""Workload 3 — tanh MLPs fit to sin(3x) on 256 points: 200 full-batch SGD steps, at
1-64-64-1 and at 1-8-8-1 (where the fixed cost of each op outweighs its arithmetic).

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
SMALL_SIZES = (1, 8, 8, 1)
POINTS = 256
LR = 0.1
LOSS_TOLERANCE = 1e-10


def initial_weights(seed: int = 0, sizes: tuple[int, ...] = SIZES) -> list[np.ndarray]:
    """W1, b1, W2, b2, W3, b3 drawn as torch's Linear does: U(-1/√fan_in, 1/√fan_in)."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1.0 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, size=(fan_out, fan_in)))
        weights.append(rng.uniform(-bound, bound, size=(fan_out,)))
    return weights


def data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1.0, 1.0, POINTS).reshape(POINTS, 1)
    return x, np.sin(3.0 * x)


def _train(
    lib: Any, xs: Any, ys: Any, load: Any, steps: int, sizes: tuple[int, ...] = SIZES
) -> float:
    """The training loop, written once for both frameworks (``lib`` is tinygrad_acts or torch)."""
    nn, dtype = lib.nn, lib.float64
    _, h1, h2, _ = sizes
    model = nn.Sequential(
        nn.Linear(1, h1, dtype=dtype),
        nn.Tanh(),
        nn.Linear(h1, h2, dtype=dtype),
        nn.Tanh(),
        nn.Linear(h2, 1, dtype=dtype),
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


def _tinygrad_acts_nn(weights, x, y, steps, sizes):
    import tinygrad_acts as tga

    xs, ys = tga.tensor(x), tga.tensor(y)

    def load(params: Any) -> None:
        for p, w in zip(params, weights):
            p.data = tga.tensor(w.copy())

    return lambda: _train(tga, xs, ys, load, steps, sizes)


def _torch_nn(weights, x, y, steps, sizes):
    import torch

    xs, ys = torch.from_numpy(x), torch.from_numpy(y)

    def load(params: Any) -> None:
        with torch.no_grad():
            for p, w in zip(params, weights):
                p.copy_(torch.from_numpy(w))

    return lambda: _train(torch, xs, ys, load, steps, sizes)


def run_one(mode: Mode, torch_default_threads: int | None, sizes: tuple[int, ...]) -> dict:
    """One MLP size: the peers' seconds and final losses."""
    weights = initial_weights(sizes=sizes)
    x, y = data()
    steps = mode.mlp_steps
    peers = [Peer("tinygrad_acts", _tinygrad_acts_nn(weights, x, y, steps, sizes))]
    if has_torch():
        peers.append(Peer("torch_1thread", _torch_nn(weights, x, y, steps, sizes), torch_threads=1))
        if torch_default_threads:
            peers.append(
                Peer(
                    "torch_default",
                    _torch_nn(weights, x, y, steps, sizes),
                    torch_default_threads,
                )
            )
    peers.append(Peer("numpy", lambda: hand_numpy.mlp_train(weights, x, y, steps, LR)))
    losses = {p.name: p.run() for p in peers}
    reference = losses["numpy"]
    correct = {k: abs(v - reference) <= LOSS_TOLERANCE for k, v in losses.items()}
    seconds = interleaved_medians(peers, mode.mlp_repeats)
    return {
        "sizes": "-".join(map(str, sizes)),
        "seconds": seconds,
        "final_loss": losses,
        "max_loss_difference": max(abs(v - reference) for v in losses.values()),
        "correct": correct,
    }


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    """The 1-64-64-1 MLP's numbers at the top level (as before), the 1-8-8-1 one's in
    ``small``; ``correct`` covers both."""
    big = run_one(mode, torch_default_threads, SIZES)
    small = run_one(mode, torch_default_threads, SMALL_SIZES)
    correct = {k: ok and small["correct"].get(k, True) for k, ok in big["correct"].items()}
    return {
        **big,
        "steps": mode.mlp_steps,
        "lr": LR,
        "tinygrad_acts_api": "nn.Linear + optim.SGD",
        "correct": correct,
        "max_loss_difference": max(big["max_loss_difference"], small["max_loss_difference"]),
        "small": small,
    }
