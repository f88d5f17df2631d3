"""Edge cases of the engine and the kernels that an adversarial review found, each checked
against torch (or against the value torch's semantics give)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import autograd, viz
from tinygrad_acts.autograd.function import Function
from tinygrad_acts.nn import functional as F


def _grad_of(f, values, dtype=np.float64, **params):
    x = tga.tensor(np.array(values, dtype=dtype), requires_grad=True)
    y = f(x, **params)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


def _torch_grad_of(torch, name, values, dtype, **params):
    x = torch.tensor(np.array(values, dtype=dtype), requires_grad=True)
    y = getattr(torch.nn.functional, name)(x, **params)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize(
    ("name", "values", "dtype", "params"),
    [
        ("silu", [100.0, np.nan], np.float32, {}),
        ("silu", [750.0, np.nan], np.float64, {}),
        ("softplus", [3.0, np.nan], np.float64, {"beta": 2.0, "threshold": 5.0}),
        ("mish", [np.inf, np.nan, 1.0], np.float64, {}),
        ("glu", [1.0, 1.0, 750.0, np.nan], np.float64, {}),
    ],
)
def test_a_nan_elsewhere_does_not_switch_off_a_tail(torch, name, values, dtype, params):
    ours = _grad_of(getattr(F, name), values, dtype, **params)
    theirs = _torch_grad_of(torch, name, values, dtype, **params)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, equal_nan=True)


def test_mish_of_a_zero_dimensional_infinity(torch):
    ours = _grad_of(F.mish, np.inf)
    theirs = _torch_grad_of(torch, "mish", np.inf, np.float64)
    np.testing.assert_array_equal(ours[1], theirs[1])  # nan, as torch


@pytest.mark.parametrize("name", ["silu", "mish", "sigmoid", "gelu", "softplus", "tanh"])
def test_float16_is_computed_without_overflow(torch, name):
    values = [-30.0, -5.0, 0.0, 1.0, 11.5, 12.0, 30.0]
    ours = _grad_of(getattr(F, name), values, np.float16)
    theirs = _torch_grad_of(torch, name, values, np.float16)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float16
        np.testing.assert_allclose(a.astype(np.float32), b.astype(np.float32), atol=2e-3, rtol=2e-3)


@pytest.mark.parametrize(("x_shape", "w_shape"), [((5, 0), (4, 0)), ((5, 3), (0, 3))])
def test_linear_with_a_zero_size_matches_torch(torch, x_shape, w_shape):
    x, w, b = np.ones(x_shape), np.ones(w_shape), np.ones(w_shape[:1])
    ours = [tga.tensor(a, requires_grad=True) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    F.linear(*ours).sum().backward()
    torch.nn.functional.linear(*theirs).sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())


def test_linear_refuses_a_bias_of_another_dtype_as_torch_does(torch):
    x, w = np.ones((2, 3), np.float32), np.ones((4, 3), np.float32)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.ones(4).double())
    with pytest.raises(RuntimeError) as ours:
        F.linear(tga.tensor(x), tga.tensor(w), tga.tensor(np.ones(4)))
    assert str(ours.value) == str(theirs.value)


class _TwoInOne(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


def test_a_wrong_array_backward_is_named_like_a_wrong_backward():
    class TooFew(_TwoInOne):
        @staticmethod
        def array_backward(ctx, grad):
            return (grad,)

    class NotArrays(_TwoInOne):
        @staticmethod
        def array_backward(ctx, grad):
            return 1.0, [1.0]

    x = tga.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewBackward returned an incorrect number of "):
        TooFew.apply(x, x).sum().backward()
    with pytest.raises(TypeError, match=r"NotArraysBackward returned a float as a gradient"):
        NotArrays.apply(x, x).sum().backward()


def test_retained_and_hooked_gradients_are_not_shared_with_leaves():
    a = tga.tensor(np.ones(3), requires_grad=True)
    y = a + 0.0
    y.retain_grad()
    kept = []
    z = y * 1.0
    z.register_hook(lambda g: kept.append(g))
    (z * 2).sum().backward()
    a.grad.data[...] = 0.0
    assert y.grad.tolist() == [2.0, 2.0, 2.0]
    assert kept[0].tolist() == [2.0, 2.0, 2.0]


def test_retain_grad_sees_the_gradient_after_the_other_hooks(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3.0
        y.retain_grad()
        y.register_hook(lambda g: g * 10.0)
        y.sum().backward()
        return y.grad.tolist(), x.grad.tolist()

    assert run(tga) == run(torch)


def test_a_hook_may_not_change_the_dtype():
    x = tga.tensor(np.ones(2, np.float32), requires_grad=True)
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="has changed the type of value"):
        (x * 2.0).sum().backward()


def test_create_graph_leaves_do_not_share_their_grad():
    a = tga.tensor(np.ones(3), requires_grad=True)
    b = tga.tensor(np.ones(3), requires_grad=True)
    seed = tga.tensor(np.ones(3))
    ((a + b) * 1.0).backward(seed, create_graph=True)
    assert a.grad is not b.grad and a.grad is not seed
    a.grad.data[...] = 5.0
    assert b.grad.tolist() == [1.0, 1.0, 1.0] and seed.tolist() == [1.0, 1.0, 1.0]


def test_second_order_graphs_can_be_drawn_and_printed():
    x = tga.tensor(np.array([0.5, -1.0]), requires_grad=True)
    (g,) = autograd.grad(F.silu(x).sum(), x, create_graph=True)
    assert "digraph" in viz.make_dot(g).source
    assert "Backward" in repr(g.grad_fn)


def test_a_detached_copy_is_a_constant_also_in_the_second_order(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad((x * x.detach()).sum(), x, create_graph=True)
        return g.requires_grad, g.tolist()

    assert run(tga) == run(torch)


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


def test_linear_refuses_a_bias_that_would_grow_the_output(torch):
    x, w, b = np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 1, 4))
    with pytest.raises(RuntimeError):
        torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b))
    with pytest.raises(RuntimeError, match="must broadcast to the output's shape"):
        F.linear(tga.tensor(x), tga.tensor(w), tga.tensor(b))
