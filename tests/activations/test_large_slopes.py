"""leaky_relu, rrelu and prelu with slopes far from [0, 1]: the gradient is exactly 1 where
x > 0 and exactly the slope elsewhere, as torch's select — never 1 - slope rounded and slope
added back, which loses the 1 once |slope| > 1.8e7 in float32 (1e16 in float64) and gives
0.99999994 for negative slopes. float16 computes slope·x in float32 as torch does, so a slope
beyond float16's range gives no NaN at x ≥ 0. Every value is compared with torch's, exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.autograd import grad
from tinygrad_acts.nn import functional as F

SLOPES = [1e8, -1e8, 1.8e7, -1.8e7, 1e16, -1e16, 1e30, -3.0, -0.5, 0.2, 1.0]
SPECIALS = [-np.inf, -2.5, -1.0, -1e-3, -0.0, 0.0, 1e-3, 0.5, 1.0, 3.0, np.inf, np.nan]


def _points(dtype: type) -> np.ndarray:
    """The specials amid 64 ordinary values: torch's elementwise backwards treat NaN one way in
    their vectorised loop and another in the scalar tail, so every special sits in the loop."""
    x = np.random.default_rng(0).normal(0.0, 2.0, 64)
    x[16 : 16 + len(SPECIALS)] = SPECIALS
    return x.astype(dtype)


def _upstream(n: int, dtype: type) -> np.ndarray:
    return np.random.default_rng(1).uniform(0.5, 2.0, n).astype(dtype)


def _ours_and_torch(torch, f, tf, dtype, *, create_graph=False, slopes=()):
    """Values and gradients (of x, then of each slope tensor) of f in both libraries."""
    x = _points(dtype)
    g = _upstream(x.size, dtype)
    ours_in = [tga.tensor(x, requires_grad=True)] + [
        tga.tensor(s, requires_grad=True) for s in slopes
    ]
    theirs_in = [torch.tensor(x, requires_grad=True)] + [
        torch.tensor(s, requires_grad=True) for s in slopes
    ]
    y = f(*ours_in)
    ty = tf(*theirs_in)
    ours_g = grad(y, ours_in, tga.tensor(g), create_graph=create_graph)
    theirs_g = torch.autograd.grad(ty, theirs_in, torch.tensor(g))
    ours = [y.detach().numpy()] + [d.detach().numpy() for d in ours_g]
    theirs = [ty.detach().numpy()] + [d.numpy() for d in theirs_g]
    return ours, theirs


def _same(ours, theirs):
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)  # NaN where torch has NaN, every other bit equal


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("slope", SLOPES)
def test_leaky_relu_gradient_is_one_or_the_slope_as_torch(slope, dtype, create_graph, torch):
    ours, theirs = _ours_and_torch(
        torch,
        lambda x: F.leaky_relu(x, slope),
        lambda x: torch.nn.functional.leaky_relu(x, slope),
        dtype,
        create_graph=create_graph,
    )
    _same(ours, theirs)
    x, g, dx = _points(dtype), _upstream(64, dtype), ours[1]
    positive = x > 0
    np.testing.assert_array_equal(dx[positive], g[positive])  # grad·1, exactly


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("slope", SLOPES)
def test_prelu_gradients_with_large_weights_as_torch(slope, dtype, create_graph, torch):
    ours, theirs = _ours_and_torch(
        torch,
        F.prelu,
        torch.nn.functional.prelu,
        dtype,
        create_graph=create_graph,
        slopes=[np.full(1, slope, dtype=dtype)],
    )
    _same(ours, theirs)


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("slope", [1e8, -1e8, 1e16, -3.0])
def test_rrelu_with_large_bounds_as_torch(slope, dtype, training, torch):
    """lower = upper: the slopes drawn in training are that number, in both libraries (and in
    training, torch's gradient at NaN is 1: its noise is the slope only where x ≤ 0)."""
    ours, theirs = _ours_and_torch(
        torch,
        lambda x: F.rrelu(x, slope, slope, training=training),
        lambda x: torch.nn.functional.rrelu(x, slope, slope, training=training),
        dtype,
    )
    _same(ours, theirs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_leaky_relu_module_at_one_half_has_gradient_one(dtype, torch):
    """The report's example: nn.LeakyReLU(1e8) at x = 0.5 had gradient 0."""
    x = tga.tensor(np.array([0.5], dtype=dtype), requires_grad=True)
    nn.LeakyReLU(1e8)(x).sum().backward()
    tx = torch.tensor(np.array([0.5], dtype=dtype), requires_grad=True)
    torch.nn.LeakyReLU(1e8)(tx).sum().backward()
    assert x.grad.item() == tx.grad.item() == 1.0


@pytest.mark.parametrize("slope", [1e5, -1e5, 7e4, 1e8, 0.1, -0.3, 1e-3])
def test_float16_leaky_relu_multiplies_in_float32_as_torch(slope, torch):
    """A slope beyond float16's 65504 gave inf·0 = NaN at x ≥ 0; torch multiplies in float32
    and rounds once, in the forward and in the backward — so do we, to the bit."""
    ours, theirs = _ours_and_torch(
        torch,
        lambda x: F.leaky_relu(x, slope),
        lambda x: torch.nn.functional.leaky_relu(x, slope),
        np.float16,
    )
    _same(ours, theirs)
    x = _points(np.float16)
    assert np.all(np.isfinite(ours[0][np.isfinite(x) & (x >= 0)]))


@pytest.mark.parametrize("slope", [1e5, -1e5])
def test_float16_rrelu_in_eval_is_finite_at_non_negative_inputs(slope, torch):
    """rrelu in eval mode is leaky_relu with the mean slope (torch has no float16 rrelu in
    training)."""
    ours, theirs = _ours_and_torch(
        torch,
        lambda x: F.rrelu(x, slope, slope),
        lambda x: torch.nn.functional.rrelu(x, slope, slope),
        np.float16,
    )
    _same(ours, theirs)


@pytest.mark.parametrize("weight", [6e4, -6e4, np.inf, 0.25])
def test_float16_prelu_as_torch(weight, torch):
    ours, theirs = _ours_and_torch(
        torch,
        F.prelu,
        torch.nn.functional.prelu,
        np.float16,
        slopes=[np.full(1, weight, dtype=np.float16)],
    )
    _same(ours, theirs)
