"""At the kinks of the piecewise activations: values and gradients exactly torch's at every
kink, and the documented conventions for the one-sided derivatives (relu'(0) = 0, ...).
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import NAMES, ours_and_torch

import tinygrad_acts as tga
from tinygrad_acts.registry import ACTIVATIONS


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].kinks])
def test_kink_points_follow_torch(name, torch):
    """Values and gradients exactly at every kink, in float64."""
    entry = ACTIVATIONS[name]
    x = np.array(entry.kinks + tuple(k + d for k in entry.kinks for d in (-1e-12, 1e-12)))
    ours_in, y, their_in, ty = ours_and_torch(entry, torch, x, np.float64)
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=1e-15, atol=0)
    y.sum().backward()
    ty.sum().backward()
    n = len(entry.kinks)
    for a, b in zip(ours_in, their_in):
        # Exactly torch's gradient at the kinks (hardsigmoid's 1/6 is exact here, float32 there).
        rtol = 1e-7 if entry.name in ("hardsigmoid",) else 1e-15
        np.testing.assert_allclose(a.grad.array[:n], b.grad.numpy()[:n], rtol=rtol, atol=0)
        np.testing.assert_allclose(a.grad.array, b.grad.numpy(), rtol=rtol, atol=0)


KINK_CONVENTIONS = [
    ("relu", {}, 0.0, 0.0),
    ("leaky_relu", {"negative_slope": 0.2}, 0.0, 0.2),
    ("hardtanh", {}, -1.0, 0.0),
    ("hardtanh", {}, 1.0, 0.0),
    ("relu6", {}, 0.0, 0.0),
    ("relu6", {}, 6.0, 0.0),
    ("softshrink", {}, 0.5, 0.0),
    ("softshrink", {}, -0.5, 0.0),
    ("hardshrink", {}, 0.5, 0.0),
    ("threshold", {"threshold": 1.0, "value": 5.0}, 1.0, 0.0),
    ("elu", {"alpha": 2.0}, 0.0, 2.0),
    ("hardswish", {}, -3.0, 0.0),
    ("hardswish", {}, 3.0, 1.0),
    ("hardsigmoid", {}, 3.0, 0.0),
    ("softplus", {"beta": 1.0, "threshold": 2.0}, 2.0, 1 / (1 + np.exp(-2.0))),  # 2 > 2 is false
    ("softplus", {"beta": 1.0, "threshold": 2.0}, 2.000001, 1.0),
]


@pytest.mark.parametrize("name, params, at, want", KINK_CONVENTIONS)
def test_documented_kink_conventions(name, params, at, want):
    x = tga.tensor(np.array([at]), requires_grad=True)
    ACTIVATIONS[name](x, **params).sum().backward()
    assert x.grad.item() == pytest.approx(want, rel=1e-15, abs=0)
