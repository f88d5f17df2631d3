"""Every activation in the registry, in all three forms, against torch and finite differences.

Parametrized over ``registry.ACTIVATIONS``: adding an activation there adds it here.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.autograd import grad, gradcheck, gradgradcheck
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS

NAMES = sorted(ACTIVATIONS)
SHAPES = [(), (7,), (4, 6)]


def needs_shape(entry, shape):
    """glu halves its last dim, prelu with one weight takes any shape: skip what can't work."""
    if entry.name == "glu":
        return len(shape) > 0 and shape[-1] % 2 == 0
    return True


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


@pytest.mark.parametrize(
    "name, shape",
    [(n, s) for n in NAMES for s in SHAPES if needs_shape(ACTIVATIONS[n], s)],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", ["unit", "large"])
def test_against_torch(name, dtype, shape, scale, torch, rng):
    """Values, gradients for a random upstream gradient, and second derivatives."""
    entry = ACTIVATIONS[name]
    if scale == "unit":
        x = rng.uniform(-3, 3, size=shape)
    else:  # the tails: ±[300, 400]
        x = rng.uniform(300, 400, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    x = away_from_kinks(entry, x)
    ours_in, y, their_in, ty = ours_and_torch(entry, torch, x, dtype)
    tol = TOL[dtype]
    if name in TORCH_FLOAT32_CONSTANTS:
        tol = TOL[np.float32]
    assert y.dtype == dtype and y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **tol)

    v = rng.standard_normal(y.shape).astype(dtype)
    g = grad(y, ours_in, grad_outputs=tga.tensor(v), create_graph=True)
    tg = torch.autograd.grad(ty, their_in, grad_outputs=torch.tensor(v), create_graph=True)
    for a, b in zip(g, tg):
        assert a.dtype == dtype
        np.testing.assert_allclose(a.data, b.detach().numpy(), **tol)

    # Second derivative: d/dx <g, w>.
    w = rng.standard_normal(g[0].shape).astype(dtype)
    g2 = grad((g[0] * tga.tensor(w)).sum(), ours_in, allow_unused=True)
    tg2 = [None] * len(their_in)  # torch's first derivative is constant: f'' = 0
    if tg[0].requires_grad:
        try:
            tg2 = torch.autograd.grad((tg[0] * torch.tensor(w)).sum(), their_in, allow_unused=True)
        except RuntimeError as e:  # hardsigmoid: torch has no double backward; f'' is 0
            assert "not implemented" in str(e) and not entry.smooth
    for a, b in zip(g2, tg2):
        a = np.zeros(x.shape) if a is None else a.data
        b = np.zeros(x.shape) if b is None else b.detach().numpy(force=True)
        b = b.reshape(a.shape)
        assert np.all(np.isfinite(a))
        # Where torch's second derivative is NaN (mish'' in the tails), ours is checked
        # against the 50-digit reference instead (test_accuracy.py).
        finite = np.isfinite(b)
        np.testing.assert_allclose(a[finite], b[finite], **tol)


@pytest.mark.parametrize("name", NAMES)
def test_gradcheck_and_gradgradcheck(name, rng):
    entry = ACTIVATIONS[name]
    x = away_from_kinks(entry, rng.uniform(-3, 3, size=(3, 4)))
    inputs = [tga.tensor(x, requires_grad=True)]
    fn = entry
    if name == "prelu":
        inputs.append(tga.tensor(np.array([0.3]), requires_grad=True))

        def fn(a, w):
            return F.prelu(a, w)

    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].kinks])
def test_kink_points_follow_torch(name, torch):
    """Values and gradients exactly at every kink, in float64."""
    entry = ACTIVATIONS[name]
    x = np.array(entry.kinks + tuple(k + d for k in entry.kinks for d in (-1e-12, 1e-12)))
    ours_in, y, their_in, ty = ours_and_torch(entry, torch, x, np.float64)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-15, atol=0)
    y.sum().backward()
    ty.sum().backward()
    n = len(entry.kinks)
    for a, b in zip(ours_in, their_in):
        # Exactly torch's gradient at the kinks (hardsigmoid's 1/6 is exact here, float32 there).
        rtol = 1e-7 if entry.name in ("hardsigmoid",) else 1e-15
        np.testing.assert_allclose(a.grad.data[:n], b.grad.numpy()[:n], rtol=rtol, atol=0)
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=rtol, atol=0)


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


@pytest.mark.parametrize("name", NAMES)
def test_module_form_and_repr_match_torch(name, torch, rng):
    entry = ACTIVATIONS[name]
    cls = entry.module
    required = {
        k: v for k, v in entry.sample_params.items() if k in inspect.signature(cls).parameters
    }
    ours = cls(**required)
    theirs = getattr(torch.nn, cls.__name__)(**required)
    assert repr(ours) == repr(theirs)
    x = away_from_kinks(entry, rng.uniform(-3, 3, size=(2, 4))).astype(np.float32)
    if name in ("softmax", "log_softmax", "softmin"):
        ours, theirs = cls(dim=1), getattr(torch.nn, cls.__name__)(dim=1)
    ours.eval()
    theirs.eval()
    y = ours(tga.tensor(x))
    ty = theirs(torch.tensor(x))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "module, text",
    [
        (lambda: nn.LeakyReLU(negative_slope=0.2), "LeakyReLU(negative_slope=0.2)"),
        (lambda: nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (lambda: nn.Hardtanh(0, 6), "Hardtanh(min_val=0, max_val=6)"),
        (lambda: nn.GELU("tanh"), "GELU(approximate='tanh')"),
        (lambda: nn.Softmax(dim=1), "Softmax(dim=1)"),
        (lambda: nn.PReLU(3), "PReLU(num_parameters=3)"),
        (lambda: nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"),
    ],
)
def test_module_reprs(module, text):
    assert repr(module()) == text


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("ReLU6", {"inplace": True}),
        ("ReLU6", {}),
        ("Hardsigmoid", {"inplace": True}),
        ("Hardswish", {"inplace": True}),
        ("SiLU", {"inplace": True}),
        ("Hardshrink", {"lambd": -1.0}),
        ("Softshrink", {"lambd": 1}),
        ("PReLU", {"init": 0.5}),
    ],
)
def test_module_reprs_and_attributes_as_torch(name, kwargs, torch):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    assert isinstance(ours, nn.Hardtanh) == isinstance(theirs, torch.nn.Hardtanh)
    for attribute in ("min_val", "max_val", "inplace", "lambd", "init", "num_parameters"):
        assert getattr(ours, attribute, None) == getattr(theirs, attribute, None), attribute


def test_tensor_methods_are_the_registry_functions():
    x = tga.tensor([-1.0, 0.5, 2.0])
    for entry in ACTIVATIONS.values():
        assert hasattr(tga.Tensor, entry.name) == entry.tensor_method
    assert x.relu().tolist() == [0.0, 0.5, 2.0]
    np.testing.assert_allclose(x.softmax(0).sum().item(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(x.log_softmax(dim=0).exp().sum().item(), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "x, w",
    [
        ([-1.0, 2.0], [0.3, 0.2]),  # a 1-D input is one channel
        (-2.0, [0.3, 0.2, 0.1]),  # a 0-d input with several slopes
        ([-1.0, 2.0], 0.3),  # float32 input, float64 slope: set below
    ],
)
def test_prelu_refuses_what_torch_refuses(x, w, torch):
    w_dtype = np.float64 if np.ndim(w) == 0 else np.float32
    assert_same_error(
        lambda L: L.nn.functional.prelu(L.tensor(np.float32(x)), L.tensor(np.asarray(w, w_dtype))),
        torch,
    )


def test_prelu_module_learns_its_weight(torch):
    m = nn.PReLU(3, init=0.1)
    tm = torch.nn.PReLU(3, init=0.1)
    x = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, -6.0]], dtype=np.float32)
    m(tga.tensor(x)).sum().backward()
    tm(torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(m.weight.grad.data, tm.weight.grad.numpy())
    assert m.weight.grad.tolist() == [-1.0, -5.0, -9.0]


def test_rrelu_samples_in_training_and_averages_in_eval():
    x = tga.tensor(-np.ones(1000), requires_grad=True)
    m = nn.RReLU(0.1, 0.3)
    m.train()
    y = m(x)
    slopes = -y.data
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.03
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, slopes)  # each element's gradient is its slope
    m.eval()
    assert m(x).data[0] == pytest.approx(-0.2)
    F.manual_seed(0)
    a = F.rrelu(x, training=True).data
    F.manual_seed(0)
    assert np.array_equal(a, F.rrelu(x, training=True).data)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(name, dtype):
    entry = ACTIVATIONS[name]
    x = tga.tensor(np.linspace(-2, 2, 8).astype(dtype), requires_grad=True)
    y = entry(x)
    assert y.dtype == dtype
    y.sum().backward()
    assert x.grad.dtype == dtype


def test_integer_input_computes_in_float32():
    assert F.sigmoid(tga.tensor([0, 1])).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize(
    "name, args", [("relu", ()), ("relu6", ()), ("hardtanh", ()), ("hardtanh", (0.5, 3.5))]
)
def test_clamps_of_integers_stay_integers_as_torch(name, args, dtype, torch):
    x = np.array([0, 1, 3, 9, 120], dtype=dtype)
    if np.dtype(dtype).kind == "i":
        x = np.concatenate([x, -x])
    if np.dtype(dtype).kind == "u" and name == "hardtanh" and not args:  # negative min_val
        for f, t in ((torch.nn.functional.hardtanh, torch.tensor), (F.hardtanh, tga.tensor)):
            with pytest.raises(RuntimeError, match="unsigned type with negative limits"):
                f(t(x))
        return
    ours = getattr(F, name)(tga.tensor(x), *args)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x), *args)
    assert ours.dtype == dtype
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_hardshrink_accepts_any_lambda_as_torch(torch):
    x = np.array([-2.0, -0.3, 0.0, 0.7])
    for lambd in (-1.0, 0.0, 0.5):
        theirs = torch.nn.functional.hardshrink(torch.tensor(x), lambd).numpy()
        np.testing.assert_array_equal(F.hardshrink(tga.tensor(x), lambd).data, theirs)
    assert repr(nn.Hardshrink(-1)) == repr(torch.nn.Hardshrink(-1)) == "Hardshrink(-1)"


# -- parameters are validated where the mistake is made -------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: F.hardtanh(x, 2.0, 1.0), ValueError, "min_val cannot be greater than max_val"),
        (lambda x: F.softmax(x, dim=3), IndexError, r"Dimension out of range"),
        (lambda x: F.log_softmax(x, dim=-4), IndexError, r"Dimension out of range"),
        (
            lambda x: F.softshrink(x, -0.5),
            RuntimeError,
            r"^lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, but found -0.5$",
        ),
        (lambda x: F.softshrink(x, math.inf), RuntimeError, "but found inf"),
        (lambda x: nn.Softshrink(-0.5), RuntimeError, "lambda must be greater or equal to 0"),
        (lambda x: F.gelu(x, approximate=None), TypeError, "'approximate' must be str, not None"),
        (
            lambda x: F.softmax(x, 0, dtype=np.int64),
            NotImplementedError,
            "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
        ),
        (lambda x: F.softplus(x, beta=0), ValueError, "beta must be non-zero"),
        (lambda x: F.gelu(x, approximate="fast"), RuntimeError, "either none or tanh"),
        (lambda x: nn.GELU("fast"), ValueError, "either none or tanh"),
        (
            lambda x: F.glu(x[:, :3], dim=1),
            RuntimeError,
            "Halving dimension must be even, but dimension 1 is size 3",
        ),
        (
            lambda x: F.rrelu(x, 0.5, 0.1),
            RuntimeError,
            "Lower bound should be less than or equal to the upper bound",
        ),
        (
            lambda x: F.prelu(x, tga.ones(3)),
            RuntimeError,
            "Found parameter numbers = 3 and channel size = 4",
        ),
        (lambda x: F.leaky_relu(x, "a"), TypeError, "argument 'negative_slope' .* must be Number"),
        (lambda x: F.relu([1.0]), TypeError, "argument 'input' .* must be Tensor, not list"),
        (lambda x: F.threshold(x, 0.5), TypeError, "value"),
    ],
)
def test_bad_parameters_raise_clearly(call, error, match):
    x = tga.ones(2, 4)
    with pytest.raises(error, match=match):
        call(x)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lib, x: lib.nn.functional.hardtanh(x, 2.0, 1.0), ValueError),
        (lambda lib, x: lib.nn.Hardtanh(2.0, 1.0), AssertionError),
        (lambda lib, x: lib.nn.Hardtanh(1.0, 1.0), AssertionError),
        (lambda lib, x: lib.nn.functional.rrelu(x, 0.5, 0.1), RuntimeError),
        (lambda lib, x: lib.nn.functional.gelu(x, approximate="Tanh"), RuntimeError),
        (lambda lib, x: lib.nn.functional.gelu(x, "tanh"), TypeError),  # keyword-only
        (lambda lib, x: lib.nn.functional.softmax(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.softmax(x, dim="0"), TypeError),
        (lambda lib, x: lib.nn.functional.softmax(x, dim=True), TypeError),
        (lambda lib, x: lib.nn.functional.log_softmax(x, (0,)), TypeError),
        (lambda lib, x: lib.nn.functional.softmin(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.glu(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.glu(x, None), TypeError),
        (lambda lib, x: x.softmax(), TypeError),
        (lambda lib, x: x.log_softmax(), TypeError),
        (lambda lib, x: x.softmax(1.5), TypeError),
        (lambda lib, x: x.softmax(None), TypeError),
        (lambda lib, x: x.log_softmax(dim=None), TypeError),
        (lambda lib, x: lib.softmax(x, None), TypeError),
        (lambda lib, x: lib.matmul(x, [1.0, 2.0, 3.0, 4.0]), TypeError),
        (lambda lib, x: lib.nn.functional.celu(x, alpha=0.0), RuntimeError),
        (lambda lib, x: x.transpose(0, 1.0), TypeError),
        (lambda lib, x: lib.zeros(0).min(), RuntimeError),
        (lambda lib, x: lib.zeros(0).max(), RuntimeError),
    ],
)
def test_bad_parameters_raise_in_torchs_words(call, error, torch):
    assert_same_error(lambda lib: call(lib, lib.ones(2, 4)), torch, error)


def test_softmax_without_dim_warns_like_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = F.softmax(tga.ones(2, 3))
    assert y.shape == (2, 3) and np.allclose(y.data.sum(axis=1), 1.0)


# -- extreme inputs: no warnings (the suite turns them into errors), exact results ----------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_are_finite_and_match_torch(name, dtype, torch):
    entry = ACTIVATIONS[name]
    x = np.array([-1e4, -1000.0, -100.0, -1e-30, 0.0, 1e-30, 100.0, 1000.0, 1e4])
    if entry.name == "glu":
        x = np.concatenate([x, x[::-1]])
    ours_in, y, _, ty = ours_and_torch(entry, torch, x, dtype)
    assert np.all(np.isfinite(y.data))
    y.sum().backward()
    assert np.all(np.isfinite(ours_in[0].grad.data))
    # Same as torch, except where torch rounds a tiny true value to 0: compare with a floor.
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("name", [n for n in NAMES if ACTIVATIONS[n].elementwise])
def test_infinities_and_nan_follow_torch(name, torch):
    entry = ACTIVATIONS[name]
    x = np.array([-np.inf, np.inf, np.nan, 1.0])
    _, y, _, ty = ours_and_torch(entry, torch, x, np.float64)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=4e-16, atol=0)  # nan == nan


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
        np.testing.assert_allclose(o.grad.data, expected.astype(dtype), **tol)  # nan == nan


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
    np.testing.assert_allclose(g.data, expected, **tol)


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
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


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
    ours = getattr(F, name)(tga.tensor(x), dim=1).data
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
    np.testing.assert_array_equal(gw.data, tgw.detach().numpy())
    (gx,) = tga.autograd.grad(gw * 3.0, x)
    (tgx,) = torch.autograd.grad(tgw * 3.0, tx)
    np.testing.assert_array_equal(gx.data, tgx.numpy())


INPLACE = [
    "relu", "relu6", "leaky_relu", "hardtanh", "elu", "selu", "celu", "silu", "mish",
    "hardsigmoid", "hardswish", "rrelu",
]  # fmt: skip


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_writes_into_the_input_as_torch(name, torch):
    """``inplace=True``: the result goes into the input, which is returned; a leaf that
    requires grad refuses (torch's error); inside a graph the input takes the result's place,
    and gradients are torch's."""
    values = [-2.0, -0.5, 0.0, 0.5, 3.0, 7.0]
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    x, tx = tga.tensor(values), torch.tensor(values)
    view = x.data  # the same array: an alias sees the new values
    assert ours(x, inplace=True) is x and theirs(tx, inplace=True) is tx
    np.testing.assert_allclose(view, tx.numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        ours(tga.tensor(values, requires_grad=True), inplace=True)
    a = tga.tensor(values, dtype=np.float64, requires_grad=True)
    ta = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    h, th = a * 2.0, ta * 2.0
    assert ours(h, inplace=True) is h
    theirs(th, inplace=True)
    (h * h).sum().backward()
    (th * th).sum().backward()
    rtol = 1e-6 if name in TORCH_FLOAT32_CONSTANTS else 1e-12  # torch's 1/6 is a float32
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=rtol)


def test_inplace_modules_integers_and_no_grad():
    z = tga.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(z) is z and z.tolist() == [0.0, 2.0]
    n = tga.tensor([-1, 2, 7])
    F.threshold(n, 1, 5, inplace=True)
    assert n.dtype == np.int64 and n.tolist() == [5, 2, 7]
    with pytest.raises(NotImplementedError, match="\"silu_cpu\" not implemented for 'Long'"):
        F.silu(tga.tensor([1, 2]), inplace=True)  # as torch: no silu of integers
    with tga.no_grad():  # parameters may change in place outside the graph
        p = tga.tensor([-1.0, 2.0], requires_grad=True)
        assert F.relu(p, inplace=True) is p and p.tolist() == [0.0, 2.0]


def _integer_calls():
    """(id, name in F, extra positional args, keyword args) of every activation."""
    calls = [(n, n, (), {}) for n in NAMES if n not in ("threshold", "prelu", "softmax",
                                                        "log_softmax", "softmin")]  # fmt: skip
    calls += [
        ("threshold", "threshold", (0, 1), {}),
        ("rrelu training", "rrelu", (), {"training": True}),
        ("gelu tanh", "gelu", (), {"approximate": "tanh"}),
        ("softmax 0", "softmax", (0,), {}),
        ("softmax 1", "softmax", (1,), {}),
        ("log_softmax 0", "log_softmax", (0,), {}),
        ("softmin 1", "softmin", (1,), {}),
    ]
    return calls


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool"])
@pytest.mark.parametrize(("case", "name", "args", "kwargs"), _integer_calls(), ids=lambda v: v)
def test_integer_and_boolean_inputs_as_torch(case, name, args, kwargs, dtype, torch):
    """Where torch computes integers (sigmoid, tanh: in float32; relu, hardtanh: as integers)
    the same result and dtype; where it has no kernel for them, its error, word for word."""
    data = np.array([[1, 0], [2, 1]]).astype(dtype)
    outcome = []
    for lib, module in ((tga, F), (torch, torch.nn.functional)):
        try:
            y = getattr(module, name)(lib.tensor(data), *args, **kwargs)
        except (RuntimeError, NotImplementedError) as error:
            outcome.append((type(error), str(error)))
        else:
            values = y.data if lib is tga else y.numpy()
            outcome.append((str(y.dtype).replace("torch.", ""), np.round(values, 5).tolist()))
    assert outcome[0] == outcome[1]


@pytest.mark.parametrize(("name", "kwargs"), [("elu", {}), ("elu", {"alpha": 2.0}),
                                              ("selu", {}), ("celu", {"alpha": 0.5})])  # fmt: skip
def test_elu_family_second_derivative_at_zero_as_torch(torch, name, kwargs):
    """f'(0) is the left slope and f''(0) = 0: torch's backward and double backward."""
    values = [0.0, -0.0, -1.0, 1.0, -800.0]
    results = []
    for lib in (tga, torch):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad(getattr(lib.nn.functional, name)(x, **kwargs).sum(), x,
                                 create_graph=True)  # fmt: skip
        (g2,) = lib.autograd.grad(g.sum(), x)
        results.append([g.detach().numpy(), g2.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=0)


# Parameters other than the defaults, each a path of its own in some kernel.
VARIANTS = [
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("hardtanh", {"min_val": -2.0, "max_val": 1.5}),
    ("threshold", {"threshold": 0.5, "value": -1.0}),
]


@pytest.mark.parametrize(
    "name, kwargs",
    [(n, {}) for n in NAMES if ACTIVATIONS[n].elementwise] + VARIANTS,
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_element_0d_as_1d_and_as_torch(name, kwargs, dtype, torch):
    """A 0-d tensor takes other paths than a vector (one-element shortcuts, NumPy scalars out
    of ufuncs): its value, gradient and second derivative must be the (1,) tensor's and
    torch's. (gelu's tanh form of a 0-d tensor once returned z(x) itself: 7.52 at x = -2.)"""
    entry = ACTIVATIONS[name]
    for v in (-3.7, -2.0, -0.3, 0.6, 3.0, 25.0):
        results = []
        for shape in ((), (1,)):
            x = np.full(shape, v, dtype=dtype)
            ours, y, theirs, ty = ours_and_torch(entry, torch, x, dtype, **kwargs)
            (g,) = grad(y.sum(), ours[0], create_graph=True)
            (g2,) = grad(g.sum(), ours[0]) if g.requires_grad else (np.zeros(shape),)
            (tg,) = torch.autograd.grad(ty.sum(), theirs[0], create_graph=True)
            tol = TOL[np.float32 if name in TORCH_FLOAT32_CONSTANTS else dtype]
            np.testing.assert_allclose(y.data, ty.detach().numpy(), **tol)
            np.testing.assert_allclose(g.data, tg.detach().numpy(), **tol)
            assert y.shape == tuple(ty.shape) and g.shape == tuple(tg.shape)
            results.append([np.asarray(getattr(a, "data", a)).item() for a in (y, g, g2)])
        assert results[0] == results[1], (v, results)


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
        assert np.all(np.isfinite(a.data)), (a.data, x)
    if name != "selu":  # selu(max) = 1.0507·max overflows, in torch too
        assert np.all(np.isfinite(y.data))
    (tg,) = torch.autograd.grad(ty.sum(), theirs[0])
    tg = tg.numpy()
    finite = np.isfinite(tg)
    np.testing.assert_allclose(g.data[finite], tg[finite], rtol=1e-4, atol=1e-30)


def test_signs_of_zero_as_torch(torch):
    """hardshrink zeroes to +0 (0·x gave -0 for negative x); logsigmoid' = σ(-x) underflows to
    +0 (-expm1(0) gave -0)."""
    x = np.array([-0.0, -0.3, -0.5, 0.3, 1000.0, -1.0])
    for name in ("hardshrink", "logsigmoid"):
        ours_in, y, theirs_in, ty = ours_and_torch(ACTIVATIONS[name], torch, x, np.float64)
        y.sum().backward()
        ty.sum().backward()
        for a, b in ((y.data, ty.detach().numpy()), (ours_in[0].grad.data, theirs_in[0].grad)):
            b = np.asarray(b)
            np.testing.assert_allclose(a, b, rtol=1e-15, atol=0)
            np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


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
    np.testing.assert_allclose(g.data, 1.0 / d / d, rtol=4e-16)
    np.testing.assert_allclose(g2.data, -2.0 * np.sign(x) / d / d / d, rtol=8e-16)
    # 6e-320 is subnormal (few digits): compared absolutely there; 6e-400 underflows to 0
    np.testing.assert_allclose(g3.data, 6.0 / d / d / d / d, rtol=2e-15, atol=1e-322)


@pytest.mark.parametrize("name", ["softmax", "softmin", "log_softmax"])
@pytest.mark.parametrize("create_graph", [False, True])
def test_saturated_softmax_derivatives_against_50_digits(name, create_graph):
    """∂y_max/∂x_max of a saturated row: y_max(1 - y_max) with 1 - y_max summed from the other
    terms (torch's softmax([37.44, 0])' is 0, the true value 5.5e-17; log_softmax's was
    1.1e-16 against 4.7e-17). Rows [x, 0, -1], against mpmath at 50 digits."""
    import mpmath

    mpmath.mp.dps = 50
    sign = -1.0 if name == "softmin" else 1.0
    for v in (-700.0, -37.44, -20.0, -3.0, 0.7, 5.0, 16.6, 23.6, 37.44, 37.6, 700.0):
        t = tga.tensor(np.array([v, 0.0, -1.0]) * sign, requires_grad=True)
        y = getattr(F, name)(t, dim=-1)[0]
        (g,) = grad(y, t, create_graph=create_graph)
        z = [mpmath.exp(mpmath.mpf(a)) for a in (v, 0.0, -1.0)]
        p = z[0] / sum(z)
        rest = (z[1] + z[2]) / sum(z)  # 1 - p, summed from the others
        true = (
            [rest, -z[1] / sum(z), -z[2] / sum(z)]
            if name == "log_softmax"
            else [
                p * rest,
                -p * z[1] / sum(z),
                -p * z[2] / sum(z),
            ]
        )
        true = [sign * float(a) for a in true]
        np.testing.assert_allclose(g.data, true, rtol=6e-16, atol=0, err_msg=f"x = {v}")


def _ulps(ours, true, dtype):
    true = np.asarray(true, dtype=np.float64).astype(dtype)
    return np.abs(ours.astype(np.float64) - true) / np.spacing(np.abs(true)).astype(np.float64)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("celu", {"alpha": 3.0}),
        ("celu", {"alpha": 0.3}),
        ("softplus", {"beta": 3.0}),
        ("softplus", {"beta": 0.7, "threshold": 10.0}),
    ],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scaled_exponents_keep_their_digits_against_50_digits(name, kwargs, dtype):
    """celu's x/α and softplus's βx are rounded, and e^{…} magnifies the rounding by the
    exponent: celu(α=3)'(-800) was 207 ulps off, softplus(β=3)(-73) 99 (torch's too). With the
    rounding's residual carried: f, f' (both passes) and f'' within 4 ulps."""
    import mpmath

    mpmath.mp.dps = 50
    floor = 1e-300 if dtype == np.float64 else 1e-36
    a = mpmath.mpf(kwargs.get("alpha", kwargs.get("beta")))
    x = np.linspace(-600.0 if dtype == np.float64 else -60.0, 5.0, 97).astype(dtype)
    if name == "celu":
        true = [
            [a * mpmath.expm1(v / a), mpmath.exp(v / a), mpmath.exp(v / a) / a]
            if v <= 0
            else [v, 1, 0]
            for v in map(mpmath.mpf, x.tolist())
        ]
    else:
        sig = [1 / (1 + mpmath.exp(-a * v)) for v in map(mpmath.mpf, x.tolist())]
        true = [
            [mpmath.log1p(mpmath.exp(a * v)) / a, s, a * s * (1 - s)]
            for v, s in zip(map(mpmath.mpf, x.tolist()), sig)
        ]
    true = np.array([[float(t) for t in row] for row in true])
    t = tga.tensor(x, requires_grad=True)
    y = getattr(F, name)(t, **kwargs)
    (g,) = grad(y.sum(), t, create_graph=True)
    (g2,) = grad(g.sum(), t)
    t1 = tga.tensor(x, requires_grad=True)
    getattr(F, name)(t1, **kwargs).sum().backward()  # the array pass
    for k, ours in enumerate([y.data, g.data, g2.data, t1.grad.data]):
        ref = true[:, min(k, 1) if k == 3 else k]
        keep = np.abs(ref) > floor
        assert _ulps(ours[keep], ref[keep], dtype).max() <= 4.0, (k, name, kwargs)


def test_softmax_function_and_method_forms_as_torch(torch):
    """torch.softmax(input=x, dim=…), x.softmax(dim, dtype) with dtype in second place."""
    data = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -0.5]], dtype=np.float32)
    for call in (
        lambda lib, x: lib.softmax(input=x, dim=0),
        lambda lib, x: x.softmax(1, lib.float64),
        lambda lib, x: lib.log_softmax(x, -1, lib.float64),
    ):
        ours, theirs = call(tga, tga.tensor(data)), call(torch, torch.tensor(data))
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_celu_of_a_negative_alpha_at_the_far_left_as_torch(torch):
    """x/α is +inf for α < 0 and x → -inf: the carried rounding residual must not make
    inf·0 = nan there."""
    x = np.array([-np.inf, -1e308, -800.0, -1.0, 0.0, 2.0])
    for alpha in (-1.5, 3.0):
        ours = F.celu(tga.tensor(x), alpha=alpha).numpy()
        theirs = torch.nn.functional.celu(torch.tensor(x), alpha=alpha).numpy()
        # (torch's -800/α is rounded: 7.6e-14 off at α = -1.5, where ours keeps the digits)
        np.testing.assert_allclose(ours, theirs, rtol=1e-13)


@pytest.mark.parametrize("name", ["softmax", "softmin", "log_softmax"])
def test_a_row_does_not_depend_on_the_others_in_its_batch(name):
    """Only a saturated row's maximum takes the other formula: a row next to a saturated one
    gives, to the bit, what it gives alone (f′ and f″)."""
    sign = -1.0 if name == "softmin" else 1.0
    row = np.array([1.72, 0.0, 1.5, -2.0]) * sign
    results = []
    for rows in ([row], [row, np.array([40.0, 0.0, 1.5, -2.0]) * sign]):
        t = tga.tensor(np.array(rows), requires_grad=True)
        y = getattr(F, name)(t, dim=-1)
        (g,) = grad(y[:, 0].sum(), t, create_graph=True)
        (g2,) = grad(g[:, 0].sum(), t)
        results.append((g.data[0].tolist(), g2.data[0].tolist()))
    assert results[0] == results[1]
