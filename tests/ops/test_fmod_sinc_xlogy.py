"""fmod, sinc and xlogy: values, dtypes, errors and first derivatives as torch's; second
derivatives from the one rule each (checked by finite differences, and against torch where
torch's are right)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga


def _both(torch, make):
    return make(tga), make(torch)


def _grads(lib, f, *values, dtype="float64"):
    xs = [lib.tensor(v, dtype=getattr(lib, dtype), requires_grad=True) for v in values]
    f(lib, *xs).sum().backward()
    return [x.grad.numpy() for x in xs]


@pytest.mark.parametrize("other", [2.0, -2.0, [2.0, 2.0, -2.0, 0.0]])
def test_fmod_has_the_sign_of_the_dividend_as_torchs(torch, other):
    def f(lib):
        x = lib.tensor([-5.0, -0.0, 3.0, 7.5])
        return lib.fmod(x, lib.tensor(other) if isinstance(other, list) else other)

    ours, theirs = _both(torch, f)
    assert repr(ours) == repr(theirs)
    assert np.array_equal(np.signbit(ours.numpy()), np.signbit(theirs.numpy()))


@pytest.mark.parametrize(
    "a, b",
    [([-5, 5], 3), ([-5, 5], 2.5), ([True], 2), ([-5, 5], [3, -3])],
    ids=["int", "int by float", "bool by int", "int by int tensor"],
)
def test_fmod_keeps_torchs_dtypes(torch, a, b):
    def f(lib):
        return lib.tensor(a).fmod(lib.tensor(b) if isinstance(b, list) else b)

    ours, theirs = _both(torch, f)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lib: lib.fmod(lib.tensor([-5, 5]), 0), RuntimeError),
        (lambda lib: lib.fmod(lib.tensor([True]), lib.tensor([True])), NotImplementedError),
        (lambda lib: lib.fmod(2, lib.tensor([1.0])), TypeError),
        (lambda lib: lib.tensor([1.0]).fmod("a"), TypeError),
        (lambda lib: lib.tensor([3]).fmod_(2.5), RuntimeError),
    ],
    ids=["integer by zero", "bools", "number first", "a str", "in place into ints"],
)
def test_fmod_refuses_as_torch(torch, call, error):
    with pytest.raises(error) as theirs:
        call(torch)
    with pytest.raises(error) as ours:
        call(tga)
    assert str(ours.value) == str(theirs.value)


def test_fmod_gradients_are_torchs(torch):
    def f(lib, a, b):
        return lib.fmod(a, b)

    ours = _grads(tga, f, [-5.0, 3.0, 7.5], [2.0, -2.0, 2.0])
    theirs = _grads(torch, f, [-5.0, 3.0, 7.5], [2.0, -2.0, 2.0])
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o, t)
    out = tga.fmod(tga.tensor([1.0], requires_grad=True), tga.tensor([2.0]))
    assert out.grad_fn.name() == "FmodBackward1"


SINC_POINTS = [0.0, -0.0, 0.5, 1.0, -1.5, 2.0, 1e-3, 1e-8, 1e-20, 3.25, float("inf")]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sinc_values_are_torchs(torch, dtype):
    def f(lib):
        return lib.sinc(lib.tensor(SINC_POINTS, dtype=getattr(lib, dtype)))

    ours, theirs = _both(torch, f)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_sinc_of_integers_is_in_the_default_dtype(torch):
    ours, theirs = _both(torch, lambda lib: lib.sinc(lib.tensor([0, 1, 2])))
    assert repr(ours) == repr(theirs)


def test_sinc_derivative_is_torchs_and_exact_near_zero(torch):
    x = [0.0, 0.5, 1.0, 2.0, -0.3, 7.0]
    ours = _grads(tga, lambda lib, v: lib.sinc(v), x)[0]
    theirs = _grads(torch, lambda lib, v: lib.sinc(v), x)[0]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-300)
    assert not np.signbit(ours[0])  # +0 at 0, as torch
    # Near 0 torch's (cos πx - sinc x)/x cancels (4e-12 off at 1e-3); the series does not
    # (mpmath: sinc'(0.001) = -0.0032898648867278962503).
    near = _grads(tga, lambda lib, v: lib.sinc(v), [1e-3, 1e-9])[0]
    np.testing.assert_allclose(
        near, [-0.0032898648867278962503, -(np.pi**2) / 3 * 1e-9], rtol=2e-16
    )


def test_sinc_derivative_within_3_ulps_on_minus_one_to_one():
    """The series holds up to |x| = ½, where the difference form stops cancelling: no band of
    lost digits between them (1,300 ulps at x = 0.012 with a cutoff at 0.01)."""
    import mpmath

    mpmath.mp.dps = 50
    x = np.concatenate([np.linspace(-0.99, 0.99, 199), [0.0099, 0.012, 0.049, 0.4999, 0.5001]])
    ours = _grads(tga, lambda lib, v: lib.sinc(v), x.tolist())[0]
    u = [mpmath.pi * mpmath.mpf(v) for v in x.tolist()]
    true = np.array(
        [float(mpmath.pi * (w * mpmath.cos(w) - mpmath.sin(w)) / w**2) if w else 0.0 for w in u]
    )
    assert np.abs(ours - true).max(initial=0.0, where=true == 0) == 0.0
    nonzero = true != 0
    assert (np.abs(ours - true) / np.spacing(np.abs(true)))[nonzero].max() <= 3.0


def test_sinc_second_derivative_is_finite_at_zero():
    x = tga.tensor([0.0, 1e-4, 0.5, 1.0, 2.5], dtype=tga.float64, requires_grad=True)
    (slope,) = tga.autograd.grad(tga.sinc(x).sum(), x, create_graph=True)
    (curvature,) = tga.autograd.grad(slope.sum(), x)
    h = 1e-5
    v = x.detach().numpy()

    def slope_at(p):
        t = tga.tensor(p, dtype=tga.float64, requires_grad=True)
        return tga.autograd.grad(tga.sinc(t).sum(), t)[0].numpy()

    numeric = (slope_at(v + h) - slope_at(v - h)) / (2 * h)
    np.testing.assert_allclose(curvature.numpy(), numeric, rtol=1e-6, atol=1e-9)
    assert curvature.numpy()[0] == pytest.approx(-(np.pi**2) / 3, rel=1e-15)


XLOGY_CASES = [
    ([0.0, 0.0, 1.0, 2.0, float("nan"), 0.0], [0.0, -1.0, 3.0, 0.0, 1.0, float("nan")]),
    ([0.5, -2.0, 3.0], [1.5, 0.25, 10.0]),
]


@pytest.mark.parametrize("x, y", XLOGY_CASES)
def test_xlogy_values_and_gradients_are_torchs(torch, x, y):
    def f(lib, a, b):
        return lib.xlogy(a, b)

    ours, theirs = _both(torch, lambda lib: lib.xlogy(lib.tensor(x), lib.tensor(y)))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for o, t in zip(_grads(tga, f, x, y), _grads(torch, f, x, y)):
        np.testing.assert_allclose(o, t, rtol=1e-15)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.xlogy(2, lib.tensor([3.0])),
        lambda lib: lib.xlogy(lib.tensor([3.0]), 2),
        lambda lib: lib.xlogy(lib.tensor([3]), lib.tensor([2])),
        lambda lib: lib.xlogy(lib.tensor([True]), lib.tensor([True])),
        lambda lib: lib.xlogy(lib.tensor([3.0], dtype=lib.float64), lib.tensor([2.0])),
        lambda lib: lib.xlogy(lib.tensor([3.0], dtype=lib.float16), 2.0),
        lambda lib: lib.tensor([3.0]).xlogy(2),
    ],
    ids=["number first", "number second", "ints", "bools", "float64", "float16", "method"],
)
def test_xlogy_dtypes_are_torchs(torch, make):
    ours, theirs = _both(torch, make)
    assert repr(ours) == repr(theirs)


def test_xlogy_second_derivatives_are_torchs(torch):
    def second(lib):
        a = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.0, 3.0, 0.5], dtype=lib.float64, requires_grad=True)
        ga, gb = lib.autograd.grad(lib.xlogy(a, b).sum(), (a, b), create_graph=True)
        return [g.numpy() for g in lib.autograd.grad((ga + gb).sum(), (a, b))]

    for o, t in zip(second(tga), second(torch)):
        np.testing.assert_allclose(o, t, rtol=1e-15)


def test_xlogy_refuses_two_numbers_as_torch(torch):
    with pytest.raises(TypeError) as theirs:
        torch.xlogy(2, 3)
    with pytest.raises(TypeError) as ours:
        tga.xlogy(2, 3)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name, args", [("fmod_", (2.0,)), ("sinc_", ()), ("xlogy_", (2.0,))])
def test_the_in_place_forms_write_into_the_tensor(torch, name, args):
    ours, theirs = tga.tensor([-3.0, 0.5, 4.0]), torch.tensor([-3.0, 0.5, 4.0])
    assert getattr(ours, name)(*args) is ours
    getattr(theirs, name)(*args)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
