"""Gradients as functions: ``autograd.grad`` returns the gradients of chosen inputs without
touching ``.grad``; with ``create_graph=True`` (there or in ``backward``) they are tensors with
a graph of their own, to differentiate again, to any order.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts.autograd import grad

# -- autograd.grad: the gradients of chosen inputs, .grad untouched --------------------------------


def test_autograd_grad_leaves_dot_grad_untouched():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (gx,) = grad((x * x).sum(), x)
    assert gx.tolist() == [2.0, 4.0] and x.grad is None


def test_grad_of_a_non_leaf_input():
    x = tga.tensor(3.0, dtype=tga.float64, requires_grad=True)
    u = x * 2
    y = u * u
    gu, gx = grad(y, [u, x])
    assert gu.item() == 12.0 and gx.item() == 24.0


def test_grad_of_an_input_listed_twice_as_torch(torch):
    def run(lib, make):
        x = make([1.0, 2.0])
        h = x * 2
        y = (h * x).sum()
        return [g.tolist() for g in lib.autograd.grad(y, [x, h, x, h])]

    ours = run(tga, lambda v: tga.tensor(np.array(v), requires_grad=True))
    theirs = run(torch, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))
    assert ours == theirs == [[4.0, 8.0], [1.0, 2.0], [4.0, 8.0], [1.0, 2.0]]


def test_unused_input_needs_allow_unused():
    x = tga.tensor(1.0, requires_grad=True)
    z = tga.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        grad(x * 2, [x, z])
    assert grad(x * 2, [x, z], allow_unused=True)[1] is None


def test_autograd_argument_checks_in_torch_words():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        (x * 2).sum().backward(inputs=[])
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        grad((x * 2).sum(), x, allow_unused=False, materialize_grads=True)


def test_grad_with_respect_to_an_intermediate_leaves_the_graph_below_it(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        h = x * x
        y = (h * 3.0).sum()
        first = lib.autograd.grad(y, h, retain_graph=True)[0].tolist()
        second = lib.autograd.grad(y, h)[0].tolist()  # h's own node was not freed
        (z,) = lib.autograd.grad((h * 1.0).sum(), x)  # and can still be differentiated
        return first, second, z.tolist()

    assert run(tga) == run(torch)


# -- create_graph: gradients that can be differentiated again --------------------------------------


def test_create_graph_on_backward_gives_differentiable_grad():
    x = tga.tensor(1.5, dtype=tga.float64, requires_grad=True)
    (x.exp() * x).backward(create_graph=True)
    g = x.grad  # (1 + x) e^x, with a graph of its own
    assert g.requires_grad
    (g2,) = grad(g, x)
    assert g2.item() == pytest.approx((2 + 1.5) * np.exp(1.5), rel=1e-14)


def test_derivatives_of_any_order():
    """d^n/dx^n of x^5 at x=2 for n = 1..6, each from the previous with create_graph."""
    x = tga.tensor(2.0, dtype=tga.float64, requires_grad=True)
    y = x**5
    expected = [80.0, 160.0, 240.0, 240.0, 120.0, 0.0]
    for want in expected:
        (y,) = grad(y, x, create_graph=True)
        assert y.item() == want


def test_a_detached_copy_is_a_constant_also_in_the_second_order(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad((x * x.detach()).sum(), x, create_graph=True)
        return g.requires_grad, g.tolist()

    assert run(tga) == run(torch)


def test_create_graph_leaves_do_not_share_their_grad():
    a = tga.tensor(np.ones(3), requires_grad=True)
    b = tga.tensor(np.ones(3), requires_grad=True)
    seed = tga.tensor(np.ones(3))
    ((a + b) * 1.0).backward(seed, create_graph=True)
    assert a.grad is not b.grad and a.grad is not seed
    a.grad.array[...] = 5.0
    assert b.grad.tolist() == [1.0, 1.0, 1.0] and seed.tolist() == [1.0, 1.0, 1.0]


def test_a_create_graph_grad_is_not_a_view_of_the_callers_gradient(torch):
    def run(lib):
        seed = np.ones((2, 2), dtype=np.float32)
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        with warnings.catch_warnings():  # torch warns of the .grad reference cycle
            warnings.simplefilter("ignore")
            shared = tga.Tensor(seed) if lib is tga else lib.from_numpy(seed)  # no copy
            x.reshape(2, 2).backward(shared, create_graph=True)
        with lib.no_grad():
            x.grad.mul_(0.5)
        return seed.tolist(), x.grad

    assert outcome(run, tga) == outcome(run, torch)
    assert outcome(run, tga)[0] == [[1.0, 1.0], [1.0, 1.0]]
