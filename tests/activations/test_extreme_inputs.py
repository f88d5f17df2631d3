"""Extreme inputs: from ±1e4 to the largest float, ±inf, nan, ±0, and float16. No warnings
(the suite turns them into errors), derivatives of every order finite where the true ones are,
and torch's results (or the true limits, where torch's own composition gives nan).
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import NAMES, TOL, TORCH_FLOAT32_CONSTANTS, ours_and_torch

import tinygrad_acts as tga
from tinygrad_acts.autograd import grad
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS

# -- large, infinite and nan inputs: finite where the truth is, and torch's values -----------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_are_finite_and_match_torch(name, dtype, torch):
    entry = ACTIVATIONS[name]
    x = np.array([-1e4, -1000.0, -100.0, -1e-30, 0.0, 1e-30, 100.0, 1000.0, 1e4])
    if entry.name == "glu":
        x = np.concatenate([x, x[::-1]])
    ours_in, y, _, ty = ours_and_torch(entry, torch, x, dtype)
    assert np.all(np.isfinite(y.array))
    y.sum().backward()
    assert np.all(np.isfinite(ours_in[0].grad.array))
    # Same as torch, except where torch rounds a tiny true value to 0: compare with a floor.
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].elementwise])
def test_infinities_and_nan_follow_torch(name, torch):
    entry = ACTIVATIONS[name]
    x = np.array([-np.inf, np.inf, np.nan, 1.0])
    _, y, _, ty = ours_and_torch(entry, torch, x, np.float64)
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=4e-16, atol=0)  # nan == nan


# torch's softsign and tanhshrink are composed (x / (1 + |x|), x - tanh x), so an infinity
# gives inf/inf or inf - inf = nan in their gradients; ours are the true limits.
TORCH_COMPOSED = {"softsign", "tanhshrink"}


SPECIALS = np.array([-np.inf, np.inf, np.nan, -4.0, -3.0, -1.0, 0.0, 0.5, 2.0, 3.0, 7.0])


def _in_torch_vector_body(values):
    """``values`` in the middle of 64 elements: torch's elementwise backwards treat NaN inputs
    one way in their vectorised loop and another in the scalar tail (hardtanh'(nan) is 0 or
    1 depending on its position in the array); 64 keeps every element in the loop."""
    x = np.full(64, 0.25)
    x[16 : 16 + len(values)] = values
    return x


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].elementwise])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradients_at_infinities_and_nan_follow_torch(name, dtype, torch):
    entry = ACTIVATIONS[name]
    x = _in_torch_vector_body(SPECIALS)
    ours, y, theirs, ty = ours_and_torch(entry, torch, x, dtype)
    y.sum().backward()
    ty.sum().backward()
    for o, t in zip(ours, theirs):
        expected = t.grad.numpy()
        if name in TORCH_COMPOSED:
            expected = np.where(np.isinf(x), 0.0 if name == "softsign" else 1.0, expected)
        tol = TOL[np.float32 if name in TORCH_FLOAT32_CONSTANTS else dtype]
        np.testing.assert_allclose(o.grad.array, expected.astype(dtype), **tol)  # nan == nan


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].elementwise])
@pytest.mark.parametrize("create_graph", [False, True])
def test_infinite_and_nan_gradients_on_flat_sides_give_zero_as_torch(name, create_graph, torch):
    """Where f' = 0 by a mask (relu for x ≤ 0, hardtanh outside, ...), the gradient is 0 even
    when the incoming one is inf or nan: sqrt(relu(x)) at x < 0 sends back inf."""
    entry = ACTIVATIONS[name]
    x = _in_torch_vector_body(SPECIALS[3:])  # finite inputs
    upstream = np.resize([np.inf, -np.inf, np.nan, 1.0], 64)
    ours, y, theirs, ty = ours_and_torch(entry, torch, x, np.float64)
    (g,) = tga.autograd.grad(
        y, ours[0], grad_outputs=tga.tensor(upstream), create_graph=create_graph
    )
    (tg,) = torch.autograd.grad(
        ty, theirs[0], grad_outputs=torch.tensor(upstream), retain_graph=True
    )
    expected = tg.numpy()
    if name in TORCH_COMPOSED:  # inf - inf inside torch's composition; the truth: upstream·f'(x)
        (slope,) = torch.autograd.grad(ty.sum(), theirs[0])
        expected = upstream * slope.numpy()
    tol = TOL[np.float32 if name in TORCH_FLOAT32_CONSTANTS else np.float64]
    np.testing.assert_allclose(g.array, expected, **tol)


def test_masked_gradients_stop_infinities_as_torch(torch):
    """The patterns of a tester's report: each gave nan where torch gives 0."""
    cases = [
        lambda t: t.clamp(min=0).sqrt(),
        lambda t: t.relu().log(),
        lambda t: t.relu() * t.relu().log(),  # x·log x
        lambda t: t.clamp(-1.0, 1.0).abs().sqrt(),
    ]
    for f in cases:
        x = tga.tensor(np.array([-1.0, 0.0, 4.0]), requires_grad=True)
        tx = torch.tensor([-1.0, 0.0, 4.0], dtype=torch.float64, requires_grad=True)
        f(x).sum().backward()
        f(tx).sum().backward()
        np.testing.assert_array_equal(x.grad.array, tx.grad.numpy())


def test_named_extremes():
    x = tga.tensor(np.array([-1000.0]), requires_grad=True)
    y = F.sigmoid(x)
    y.backward(tga.tensor(np.ones(1)))
    assert y.item() == 0.0 and x.grad.item() == 0.0
    assert F.logsigmoid(tga.tensor(np.array(-1000.0))).item() == -1000.0
    assert F.softplus(tga.tensor(np.array(1000.0))).item() == 1000.0
    ls = F.log_softmax(tga.tensor(np.array([1e4, 0.0])), dim=0)
    assert ls.tolist() == [0.0, -1e4]
    sm = F.softmax(tga.tensor(np.full(4, 1e4)), dim=0)
    assert sm.tolist() == [0.25] * 4
    assert F.softmax(tga.tensor(np.full(4, 1e4, dtype=np.float32)), dim=0).tolist() == [0.25] * 4


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_rows_with_infinities_follow_torch(name, torch):
    rows = [
        [np.inf, 0.0],
        [-np.inf, 0.0],
        [-np.inf, -np.inf],
        [np.nan, 1.0],
        [1e4, 1e4],
        [np.inf, np.inf],
        [1e4, -1e4],
    ]
    x = np.array(rows)
    ours = getattr(F, name)(tga.tensor(x), dim=1).array
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x), dim=1).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_prelu_weight_gradient_of_infinite_inputs_as_torch(torch):
    """∂prelu/∂w = x where x < 0, else exactly 0 — also recorded (create_graph), where
    x·[x ≤ 0] at x = +inf was inf·0 = nan; and its own derivative in x is 0 at x = 0."""
    values = [-1.0, np.inf, 0.0, 2.0, -np.inf]
    x = tga.tensor(values, dtype=np.float64, requires_grad=True)
    w = tga.tensor([0.25], dtype=np.float64, requires_grad=True)
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor([0.25], dtype=torch.float64, requires_grad=True)
    (gw,) = tga.autograd.grad(F.prelu(x, w).sum(), w, create_graph=True)
    (tgw,) = torch.autograd.grad(torch.nn.functional.prelu(tx, tw).sum(), tw, create_graph=True)
    np.testing.assert_array_equal(gw.array, tgw.detach().numpy())
    (gx,) = tga.autograd.grad(gw * 3.0, x)
    (tgx,) = torch.autograd.grad(tgw * 3.0, tx)
    np.testing.assert_array_equal(gx.array, tgx.numpy())


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


# -- huge inputs: derivatives of every order stay finite -------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [(n, {}) for n in NAMES if ACTIVATIONS[n].elementwise and ACTIVATIONS[n].smooth]
    + [("gelu", {"approximate": "tanh"})],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_inputs_give_finite_derivatives_of_every_order(name, kwargs, dtype, torch):
    """Up to the largest float: f, f' and f'' finite (the true values' limits; torch's f'' of
    gelu and mish is NaN there) and f' as torch's where torch's is a number. gelu was NaN below
    -3.4e174 (0·inf in Φ's argument correction), gelu-tanh's f' at ±1e200 (σ'(z)·z' = 0·inf),
    mish's f' at -1.8e308 (4x overflowing)."""
    entry = ACTIVATIONS[name]
    big = float(np.finfo(dtype).max)
    values = [-big, -1e200, -1e38, -1e20, -1e5, 1e5, 1e20, 1e38, 1e200, big]
    x = np.array([v for v in values if abs(v) <= big])
    ours, y, theirs, ty = ours_and_torch(entry, torch, x, dtype, **kwargs)
    (g,) = grad(y.sum(), ours[0], create_graph=True)
    (g2,) = grad(g.sum(), ours[0], create_graph=True)
    (g3,) = grad(g2.sum(), ours[0]) if g2.requires_grad else (g2,)
    for a in (g, g2, g3):  # f‴ of gelu, mish and softsign was NaN past 1e155, 4.6e307, 9e307
        assert np.all(np.isfinite(a.array)), (a.array, x)
    if name != "selu":  # selu(max) = 1.0507·max overflows, in torch too
        assert np.all(np.isfinite(y.array))
    (tg,) = torch.autograd.grad(ty.sum(), theirs[0])
    tg = tg.numpy()
    finite = np.isfinite(tg)
    np.testing.assert_allclose(g.array[finite], tg[finite], rtol=1e-4, atol=1e-30)


def test_softsign_derivatives_of_huge_inputs_are_exact():
    """f′ = 1/(1+|x|)², f″ = -2·sign(x)/(1+|x|)³, f‴ = 6/(1+|x|)⁴: normal numbers up to
    |x| = 1e100 (f″ was -0 past 8e80 and f‴ had the wrong sign past 6e64: the derivative of
    grad/(d·d) underflowed before it was multiplied by 2d)."""
    x = np.array([1e64, -1e70, 1e80, -1e100, 3.0])
    t = tga.tensor(x, requires_grad=True)
    (g,) = grad(F.softsign(t).sum(), t, create_graph=True)
    (g2,) = grad(g.sum(), t, create_graph=True)
    (g3,) = grad(g2.sum(), t)
    d = 1.0 + np.abs(x)
    np.testing.assert_allclose(g.array, 1.0 / d / d, rtol=4e-16)
    np.testing.assert_allclose(g2.array, -2.0 * np.sign(x) / d / d / d, rtol=8e-16)
    # 6e-320 is subnormal (few digits): compared absolutely there; 6e-400 underflows to 0
    np.testing.assert_allclose(g3.array, 6.0 / d / d / d / d, rtol=2e-15, atol=1e-322)


def test_celu_of_a_negative_alpha_at_the_far_left_as_torch(torch):
    """x/α is +inf for α < 0 and x → -inf: the carried rounding residual must not make
    inf·0 = nan there."""
    x = np.array([-np.inf, -1e308, -800.0, -1.0, 0.0, 2.0])
    for alpha in (-1.5, 3.0):
        ours = F.celu(tga.tensor(x), alpha=alpha).numpy()
        theirs = torch.nn.functional.celu(torch.tensor(x), alpha=alpha).numpy()
        # (torch's -800/α is rounded: 7.6e-14 off at α = -1.5, where ours keeps the digits)
        np.testing.assert_allclose(ours, theirs, rtol=1e-13)


# -- signed zeros, and float16 ---------------------------------------------------------------------


def test_signs_of_zero_as_torch(torch):
    """hardshrink zeroes to +0 (0·x gave -0 for negative x); logsigmoid' = σ(-x) underflows to
    +0 (-expm1(0) gave -0)."""
    x = np.array([-0.0, -0.3, -0.5, 0.3, 1000.0, -1.0])
    for name in ("hardshrink", "logsigmoid"):
        ours_in, y, theirs_in, ty = ours_and_torch(ACTIVATIONS[name], torch, x, np.float64)
        y.sum().backward()
        ty.sum().backward()
        for a, b in ((y.array, ty.detach().numpy()), (ours_in[0].grad.array, theirs_in[0].grad)):
            b = np.asarray(b)
            np.testing.assert_allclose(a, b, rtol=1e-15, atol=0)
            np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


@pytest.mark.parametrize("name", ["silu", "mish", "sigmoid", "gelu", "softplus", "tanh"])
def test_float16_is_computed_without_overflow(torch, name):
    values = [-30.0, -5.0, 0.0, 1.0, 11.5, 12.0, 30.0]
    ours = _grad_of(getattr(F, name), values, np.float16)
    theirs = _torch_grad_of(torch, name, values, np.float16)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float16
        np.testing.assert_allclose(a.astype(np.float32), b.astype(np.float32), atol=2e-3, rtol=2e-3)
