"""Calling a registry activation in both libraries: shared by the tests in tests/activations/."""

from __future__ import annotations

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts.registry import ACTIVATIONS

NAMES = sorted(ACTIVATIONS)


def away_from_kinks(entry, x, gap=1e-3):
    """Move points within ``gap`` of a kink out of the way (finite differences straddle it)."""
    x = np.array(x, dtype=np.float64)
    for k in entry.kinks:
        near = np.abs(x - k) < gap
        x[near] = k + np.where(x[near] >= k, 2 * gap, -2 * gap)
    return x


def ours_and_torch(entry, torch, x, dtype, **extra):
    """Call the activation on ``x`` in both libraries; prelu's weight is a tensor in both."""
    params = {**entry.call_params(), **extra}
    ours_x = tga.tensor(x.astype(dtype), requires_grad=True)
    their_x = torch.tensor(x.astype(dtype), requires_grad=True)
    if entry.name == "prelu":
        w = np.full(1, params.pop("weight"), dtype=dtype)
        ours_w = tga.tensor(w, requires_grad=True)
        their_w = torch.tensor(w, requires_grad=True)
        y = entry.function(ours_x, ours_w, **params)
        ty = torch.nn.functional.prelu(their_x, their_w, **params)
        return (ours_x, ours_w), y, (their_x, their_w), ty
    y = entry.function(ours_x, **params)
    ty = getattr(torch.nn.functional, entry.name)(their_x, **params)
    return (ours_x,), y, (their_x,), ty


TOL = {np.float64: dict(rtol=1e-12, atol=1e-14), np.float32: dict(rtol=2e-5, atol=2e-6)}


# torch computes hardsigmoid's 1/6 in float32 even for float64 inputs; ours is exact.
TORCH_FLOAT32_CONSTANTS = {"hardsigmoid"}
