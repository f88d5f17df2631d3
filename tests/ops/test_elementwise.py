"""Elementwise ops at their edges: abs and sign at 0 and nan, clamp on its bounds and with
tensor bounds, powers at 0, ±0 and ±inf and of integers and booleans, ``where``, and the
masked kernel behind the gradients that a condition switches off — against torch. Then the
kernels of the elementwise math (erf, erfinv, logit) swept against a 50-digit reference, and its
ops on 0-d and extreme inputs.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga

# -- abs and sign ----------------------------------------------------------------------------------


def test_abs_gradient_at_zero_is_zero():
    x = tga.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    x.abs().sum().backward()
    assert x.grad.tolist() == [-1.0, 0.0, 1.0]


def test_sign_of_nan_is_zero_and_so_is_abs_gradient_there(torch):
    values = [np.nan, -1.0, 0.0, 2.0]
    x = tga.tensor(values, dtype=np.float64, requires_grad=True)
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    np.testing.assert_array_equal(x.sign().array, tx.sign().detach().numpy())
    x.abs().sum().backward()
    tx.abs().sum().backward()
    np.testing.assert_array_equal(x.grad.array, tx.grad.numpy())
    assert tga.tensor(np.nan).sign().item() == 0.0


# -- clamp -----------------------------------------------------------------------------------------


def test_clamp_gradient_is_one_at_the_bounds():
    x = tga.tensor([0.5, 1.0, 1.5, 2.0, 2.5], requires_grad=True)
    x.clamp(1.0, 2.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


CLAMP_TENSOR_CASES = [
    ([-2.0, 0.5, 3.0], [0.0, 1.0, 0.0], 2.0),  # a 0-d upper bound
    ([1.0], [2.0], [0.0]),  # lo > hi: every value is hi
    ([[-2.0, 0.5, 3.0]], [[0.0], [1.0]], None),  # bounds broadcast the result
    ([-2.0, 0.5, 3.0, np.nan], None, [0.0, 1.0, 0.0, 1.0]),
    ([-2.0, 0.5, 3.0], [0.0, np.nan, 0.0], [1.0, 1.0, np.inf]),
    ([0.5, 1.0, 2.0], [1.0, 1.0, 1.0], [1.0, 2.0, 2.0]),  # on the bounds
]


@pytest.mark.parametrize(("a", "lo", "hi"), CLAMP_TENSOR_CASES)
def test_clamp_with_tensor_bounds_as_torch(torch, a, lo, hi):
    """Tensor bounds broadcast with the input and get gradients (torch's clamp.Tensor); the
    second derivative is zero."""
    arrays = [None if v is None else np.array(v) for v in (a, lo, hi)]
    ours = [None if v is None else tga.tensor(v, requires_grad=True) for v in arrays]
    theirs = [None if v is None else torch.tensor(v, requires_grad=True) for v in arrays]
    y, ty = ours[0].clamp(ours[1], ours[2]), theirs[0].clamp(theirs[1], theirs[2])
    np.testing.assert_array_equal(y.array, ty.detach().numpy())
    inputs = [t for t in ours if t is not None]
    grads = tga.autograd.grad((y * 3.0).sum(), inputs, create_graph=True)
    their_grads = torch.autograd.grad((ty * 3.0).sum(), [t for t in theirs if t is not None])
    for g, tg in zip(grads, their_grads):
        np.testing.assert_array_equal(g.array, tg.numpy())
    for g2 in tga.autograd.grad(sum(g.sum() for g in grads), inputs, allow_unused=True):
        assert g2 is None or not g2.array.any()


def test_clamp_bounds_dtypes_and_a_number_beside_a_tensor(torch):
    ints = tga.tensor([1, 5]).clamp(tga.tensor([2, 2]), tga.tensor([3, 3]))
    assert ints.dtype == np.int64 and ints.tolist() == [2, 3]
    wide = tga.tensor([1.0, 5.0]).clamp(tga.tensor([2.0, 2.0], dtype=tga.float64))
    assert wide.dtype == np.float64
    x = tga.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    x.clamp(tga.tensor(0.0), 1.0).sum().backward()  # beside a number, read as a number
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    for bound in (tga.tensor(0.0, requires_grad=True), tga.tensor([0.0])):  # torch: TypeError
        with pytest.raises(TypeError, match="clamp\\(\\) received an invalid combination"):
            x.clamp(bound, 1.0)
        with pytest.raises(TypeError):
            torch.ones(3).clamp(torch.tensor(0.0, requires_grad=True), 1.0)


# -- powers ----------------------------------------------------------------------------------------


def test_pow_exponent_gradient_at_zero_base():
    b = tga.tensor([2.0], requires_grad=True)
    (tga.tensor([0.0]) ** b).sum().backward()
    assert b.grad.tolist() == [0.0]  # lim a^b log a = 0, not nan


@pytest.mark.parametrize("exponent", [0.5, -0.5, 2.0, -1.0, -2.0, 3.0, 1.5])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_powers_at_signed_zeros_and_infinities_as_torch(exponent, dtype, torch):
    """torch takes √a for 0.5 and 1/√a (rsqrt) for -0.5: (-0) ** -0.5 is -inf, (-inf) ** -0.5
    nan, and so the derivative of x ** 0.5 at -0 is -inf (the C library's pow: inf, 0, inf)."""
    x = np.array([-0.0, -np.inf, 0.0, np.inf, 4.0, -4.0, 0.25], dtype=dtype)
    ours = tga.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    y, ty = ours**exponent, theirs**exponent
    y.sum().backward()
    ty.sum().backward()
    for a, b in ((y.array, ty.detach().numpy()), (ours.grad.array, theirs.grad.numpy())):
        rtol = {np.float16: 1e-3, np.float32: 2e-7, np.float64: 1e-15}[dtype]
        np.testing.assert_allclose(a, b, rtol=rtol)  # (float16: torch's rsqrt is float32's)
        same = (a == b) & (a == 0)
        assert np.array_equal(np.signbit(a[same]), np.signbit(b[same]))


def test_integer_powers_with_negative_tensor_exponents_as_torch(torch):
    """torch: 1 for base 1, ±1 for base -1, 0 otherwise; a Python-number exponent < 0 is an
    error."""
    bases = np.array([-2, -1, 0, 1, 2, 3])
    for exponent in (-1, -2, -3, [-1, 2, -2, 0, 3, -3]):
        e = np.broadcast_to(np.array(exponent), bases.shape).copy()
        ours = tga.tensor(bases) ** tga.tensor(e)
        theirs = torch.tensor(bases) ** torch.tensor(e)
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.array, theirs.numpy())
    assert (2 ** tga.tensor([-1, 2])).tolist() == (2 ** torch.tensor([-1, 2])).tolist()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        tga.tensor([2, 3]) ** -1


@pytest.mark.parametrize(
    "call",
    [lambda b: b**b, lambda b: b**2, lambda b: 2**b, lambda b: b**True, lambda b: b**False,
     lambda b: b**2.5, lambda b: True**b],
    ids=["b**b", "b**2", "2**b", "b**True", "b**False", "b**2.5", "True**b"],
)  # fmt: skip
def test_powers_of_booleans_as_torch(call, torch):
    try:
        expected = call(torch.tensor([True, False]))
    except NotImplementedError as e:
        with pytest.raises(NotImplementedError, match=str(e)):
            call(tga.tensor([True, False]))
        return
    ours = call(tga.tensor([True, False]))
    assert str(ours.dtype) == str(expected.dtype)
    assert ours.tolist() == expected.tolist()


# -- where, and the masked kernel ------------------------------------------------------------------


def test_where():
    x = tga.tensor([-1.0, 2.0], requires_grad=True)
    y = tga.where(x > 0, x * 3, x * x)
    y.sum().backward()
    assert y.tolist() == [1.0, 6.0] and x.grad.tolist() == [-2.0, 3.0]


def test_masked_keeps_values_or_gives_exact_zeros_in_every_width():
    """values where keep, else 0 even for inf and nan (not 0·inf); a float width without an
    unsigned integer of its size (longdouble) takes np.where."""
    from tinygrad_acts.kernels.masks import masked

    for dtype in (np.float16, np.float32, np.float64, np.longdouble):
        for n in (3, 300):  # the small and the large path
            values = np.resize(np.array([1.5, np.inf, np.nan, -np.inf, -2.0], dtype=dtype), n)
            keep = np.resize(np.array([True, False, False, True, True, False]), n)
            out = masked(values, keep)
            assert out.dtype == dtype and out.base is None
            np.testing.assert_array_equal(out, np.where(keep, values, 0))
        for v in (1.5, np.inf, np.nan, -2.0):  # one element, looked at: a copy or a zero
            for k in (True, False):
                value = np.broadcast_to(np.array(v, dtype=dtype), (1, 1))  # read-only view
                out = masked(value, np.array([[k]]))
                assert out.shape == (1, 1) and out.dtype == dtype and out.base is None
                assert out.flags.writeable
                np.testing.assert_array_equal(out, [[v if k else 0.0]])
                assert not k or np.signbit(out[0, 0]) == np.signbit(v)
                assert k or not np.signbit(out[0, 0])  # +0, as np.where gives
    # A 0-d graph's gradient can arrive as a NumPy scalar: still a new array comes back.
    for k in (True, False):
        out = masked(np.float64(2.0), np.array(k))
        assert type(out) is np.ndarray and out.shape == () and out == (2.0 if k else 0.0)


# -- the kernels of the elementwise math, and its ops on 0-d and extreme inputs --------------------


def _worst_ulps(got: np.ndarray, f, points: np.ndarray) -> float:
    """The largest |got - f(x)| over the points, in units of the last place of f(x)."""
    import math

    import mpmath

    worst = 0.0
    with mpmath.workdps(40):
        for x, value in zip(points, got):
            exact = f(mpmath.mpf(float(x)))
            if float(exact) != 0 and math.isfinite(float(exact)):
                error = abs(mpmath.mpf(float(value)) - exact) / math.ulp(float(exact))
                worst = max(worst, float(error))
    return worst


def test_erf_erfinv_and_logit_kernels_are_a_few_ulps_from_exact():
    """Random points over each function's range, with the switches between formulas (|x| = ½
    for erf and erfinv, ¼ and ¾ for logit) and the tails: erf within 2.5 ulps, erfinv within
    6 (its condition number near ½ magnifies erf's own error), logit within 2."""
    import mpmath

    from tinygrad_acts.kernels.erf import erf, erfinv
    from tinygrad_acts.kernels.logit import logit

    rng = np.random.default_rng(7)
    near = np.array([0.25, 0.5, 0.75, np.nextafter(0.5, 0), np.nextafter(0.25, 1)])
    xs = np.concatenate([rng.normal(0, 2, 150), rng.uniform(-0.6, 0.6, 100), near, -near])
    assert _worst_ulps(erf(xs), mpmath.erf, xs) <= 2.5
    ps = np.concatenate([rng.uniform(-1, 1, 150), 1 - 10 ** rng.uniform(-16, -1, 60), near])
    assert _worst_ulps(erfinv(ps), mpmath.erfinv, ps) <= 6
    qs = np.concatenate([rng.uniform(0, 1, 150), 10 ** rng.uniform(-300, -1, 50), near])
    assert _worst_ulps(logit(qs), lambda q: mpmath.log(q / (1 - q)), qs) <= 2


MATH_METHODS = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "exp2", "expm1",
                "log2", "log10", "log1p", "rsqrt", "reciprocal", "erf", "erfc", "erfinv", "logit",
                "floor", "ceil", "round", "trunc", "frac"]  # fmt: skip


@pytest.mark.parametrize("name", MATH_METHODS)
def test_math_ops_take_0d_and_extreme_inputs_quietly(name):
    """A 0-d tensor gives a 0-d tensor and a gradient; NaN, ±inf, ±0 and the largest and
    smallest floats give values and gradients without a NumPy warning (warnings are errors
    in the tests)."""
    x = tga.tensor(0.25, dtype=tga.float64, requires_grad=True)
    y = getattr(x, name)()
    y.backward()
    assert y.shape == () and x.grad.shape == ()
    for dtype in (np.float64, np.float32, np.float16):
        big, tiny = np.finfo(dtype).max, np.finfo(dtype).smallest_subnormal
        extremes = [np.nan, np.inf, -np.inf, 0.0, -0.0, big, -big, tiny, 1.0, -1.0]
        t = tga.tensor(np.array(extremes, dtype=dtype), requires_grad=True)
        getattr(t, name)().sum().backward()
        assert t.grad.dtype == dtype


def test_maximum_and_minimum_give_the_loser_exactly_zero_and_split_ties():
    """Where an operand lost, its gradient is 0 even for an infinite incoming gradient (not
    0·inf = NaN); at a tie each gets half."""
    a = tga.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = tga.tensor([2.0, 2.0, 1.0], requires_grad=True)
    tga.maximum(a, b).backward(tga.tensor([np.inf, 4.0, -np.inf]))
    assert a.grad.tolist() == [0.0, 2.0, -np.inf] and b.grad.tolist() == [np.inf, 2.0, 0.0]
    a.grad = b.grad = None
    tga.minimum(a, b).backward(tga.tensor([np.inf, 4.0, -np.inf]))
    assert a.grad.tolist() == [np.inf, 2.0, 0.0] and b.grad.tolist() == [0.0, 2.0, -np.inf]
