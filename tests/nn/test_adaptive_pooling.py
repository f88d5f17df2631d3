"""Adaptive pooling against torch: window i of n over a length L runs from floor(i·L/n) to
ceil((i+1)·L/n), so the values, the gradients and the node names must all agree."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.nn.modules import pooling

CASES = [
    ("adaptive_avg_pool2d", (2, 3, 7, 5), (3, None)),
    ("adaptive_avg_pool2d", (2, 3, 7, 5), 4),
    ("adaptive_avg_pool2d", (3, 10, 9), (2, 7)),
    ("adaptive_avg_pool2d", (1, 2, 4, 4), 1),
    ("adaptive_avg_pool1d", (2, 3, 11), 4),
    ("adaptive_avg_pool1d", (3, 5), 7),
    ("adaptive_max_pool2d", (2, 3, 7, 5), (3, 2)),
    ("adaptive_max_pool2d", (3, 6, 9), 4),
    ("adaptive_max_pool2d", (1, 1, 5, 5), (5, None)),
]


@pytest.mark.parametrize(("name", "shape", "size"), CASES)
def test_values_gradients_and_nodes_are_torchs(torch, rng, name, shape, size):
    x = rng.standard_normal(shape)
    x[..., 0] = x[..., 1]  # ties: the gradient of max goes to the first
    results = []
    for lib, f in ((torch, getattr(torch.nn.functional, name)), (tga, getattr(pooling, name))):
        t = lib.tensor(x, requires_grad=True)
        y = f(t, size)
        weights = np.arange(y.numel(), dtype=float).reshape(tuple(y.shape))
        (y * lib.tensor(weights)).sum().backward()
        results.append((y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()))
    (ours, ours_grad, ours_node), (theirs, theirs_grad, theirs_node) = results[1], results[0]
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(ours_grad, theirs_grad, rtol=1e-13, atol=1e-13)
    assert ours_node == theirs_node


@pytest.mark.parametrize(
    ("name", "shape", "size"),
    [
        ("adaptive_avg_pool2d", (3,), 2),
        ("adaptive_avg_pool1d", (3,), 2),
        ("adaptive_avg_pool2d", (1, 3, 4), (2, 3, 4)),
        ("adaptive_avg_pool1d", (1, 3, 4), (2, 3)),
        ("adaptive_avg_pool2d", (1, 3, 4), -1),
        ("adaptive_max_pool2d", (3,), 2),
        ("adaptive_avg_pool2d", (1, 0, 4), 2),
    ],
)
def test_errors_are_torchs(torch, name, shape, size):
    with pytest.raises(Exception) as theirs:
        getattr(torch.nn.functional, name)(torch.ones(shape), size)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(pooling, name)(tga.ones(shape), size)
    assert str(ours.value) == str(theirs.value)


def test_modules_print_as_torchs(torch):
    for name, size in [("AdaptiveAvgPool2d", (None, 3)), ("AdaptiveAvgPool1d", 3)]:
        assert repr(getattr(tga.nn, name)(size)) == repr(getattr(torch.nn, name)(size))
    assert repr(tga.nn.AdaptiveMaxPool2d(2)) == repr(torch.nn.AdaptiveMaxPool2d(2))
    x = np.arange(2 * 6 * 6, dtype=float).reshape(2, 6, 6)
    assert tga.nn.AdaptiveAvgPool2d(3)(tga.tensor(x)).tolist() == (
        torch.nn.AdaptiveAvgPool2d(3)(torch.tensor(x)).tolist()
    )
