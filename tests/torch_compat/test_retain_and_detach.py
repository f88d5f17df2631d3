"""retain_grad, retains_grad and detach_, against torch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga


def _both(torch, build):
    """``build(lib)`` on tinygrad_acts and on torch."""
    return build(tga), build(torch)


def test_retain_grad_twice_keeps_the_gradient_once(torch):
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        y.retain_grad()
        (y * y).sum().backward()
        return y.grad.numpy()

    ours, theirs = _both(torch, build)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, [6.0, 12.0])  # d(y²)/dy = 2y


def test_retains_grad_says_who_asked(torch):
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y, z = x * 3, x * 4
        before = (x.retains_grad, y.retains_grad)
        y.retain_grad()
        return (*before, y.retains_grad, z.retains_grad, x.retains_grad)

    ours, theirs = _both(torch, build)
    assert ours == theirs == (False, False, True, False, False)


def test_retains_grad_cannot_be_set():
    y = tga.tensor([1.0], requires_grad=True) * 2
    with pytest.raises(AttributeError):
        y.retains_grad = True


def test_detach_in_place_makes_a_leaf(torch):
    def build(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        same = y.detach_() is y
        return same, y.requires_grad, y.grad_fn is None, y.is_leaf, y.tolist()

    ours, theirs = _both(torch, build)
    assert ours == theirs == (True, False, True, True, [2.0, 4.0])


def test_detach_in_place_refuses_a_view(torch):
    for lib in (tga, torch):
        y = lib.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2
        with pytest.raises(RuntimeError, match=r"Can't detach views in-place\. Use detach"):
            y[1:].detach_()
