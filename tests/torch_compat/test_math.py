"""torch's elementwise math (``sin``, ``expm1``, ``round``, ``maximum``, ``lerp``, ``erf``,
``logit`` …) against torch 2.13: values in float32 and float64, the dtypes of integer and bool
inputs, first and second derivatives, the in-place (``sin_``) and top-level (``tga.sin(x)``)
forms, and a typical mistake of each; then a few hard points against a 50-digit reference.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from run_on_both import dtype as dtype_of
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.torch_compat import math_functions as math_module

GENERAL = [-3.5, -1.2, -0.5, -1e-8, -0.0, 0.0, 1e-8, 0.3, 0.5, 1.7, 2.9, 10.0]
MODERATE = [-5.0, -1.2, -0.3, -1e-8, 0.0, 1e-8, 0.3, 1.0, 1.4, 5.0]
POSITIVE = [1e-8, 0.1, 0.5, 1.0, 2.5, 100.0, 1e10]
UNIT = [-0.99, -0.5, -1e-8, 0.0, 0.25, 0.7, 0.95]
PROBABILITY = [1e-6, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999]

# name: points of its domain where values and derivatives are compared, and whether it is
# smooth there (then its second derivative is compared too).
UNARY = {
    "sin": (GENERAL + [1e4, -123.4], True),
    "cos": (GENERAL + [1e4, -123.4], True),
    "tan": (MODERATE[1:-1] + [1.5, -1.55], True),
    "asin": (UNIT, True),
    "arcsin": (UNIT, True),
    "acos": (UNIT, True),
    "arccos": (UNIT, True),
    "atan": (GENERAL + [1e5], True),
    "arctan": (GENERAL, True),
    "sinh": (MODERATE, True),
    "cosh": (MODERATE, True),
    "exp": (MODERATE, True),
    "exp2": (MODERATE, True),
    "expm1": (MODERATE, True),
    "log": (POSITIVE, True),
    "log2": (POSITIVE, True),
    "log10": (POSITIVE, True),
    "log1p": ([-0.9, -0.5, -1e-10, 0.0, 1e-10, 0.5, 3.0, 1e5], True),
    "sqrt": (POSITIVE, True),
    "rsqrt": (POSITIVE, True),
    "reciprocal": (GENERAL[:4] + GENERAL[6:], True),
    "square": (GENERAL, True),
    "erf": (GENERAL, True),
    "erfc": (GENERAL + [5.0, 9.0], True),
    "erfinv": (UNIT, True),
    "logit": (PROBABILITY, True),
    "abs": (GENERAL, False),
    "absolute": (GENERAL, False),
    "neg": (GENERAL, False),
    "negative": (GENERAL, False),
    "sign": (GENERAL, False),
    "floor": (GENERAL + [-2.5, 2.5, 1.5], False),
    "ceil": (GENERAL + [-2.5, 2.5, 1.5], False),
    "round": (GENERAL + [-2.5, 2.5, 1.5, 0.5000001], False),
    "trunc": (GENERAL + [-2.5, 2.5], False),
    "fix": (GENERAL + [-2.5, 2.5], False),
    "frac": (GENERAL + [-2.5, 2.5, 1e10 + 0.5], False),
}
SMOOTH = [name for name, (_, smooth) in UNARY.items() if smooth]
# Where a function is not defined, at its edges and beyond: NaN, ±inf, ±0, ±1, huge and tiny.
EDGES = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 1e-300, 1e300, -1e300]
RTOL = {np.float64: 1e-13, np.float32: 1e-5}


def _run(lib, name, values, dtype, *args, **kwargs):
    """The values of x.name(*args) and the gradient of their sum, as arrays."""
    x = lib.tensor(np.asarray(values, dtype=dtype), requires_grad=True)
    y = getattr(x, name)(*args, **kwargs)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


def _same(ours, theirs, rtol):
    """Equal to ``rtol`` (NaN where torch has NaN, infinities of the same sign), the dtype too."""
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_values_and_gradients_as_torch(name, dtype, torch):
    points = UNARY[name][0]
    for ours, theirs in zip(_run(tga, name, points, dtype), _run(torch, name, points, dtype)):
        _same(ours, theirs, RTOL[dtype])


@pytest.mark.parametrize("name", sorted(UNARY))
def test_values_and_gradients_at_the_edges_as_torch(name, torch):
    """NaN, infinities, signed zeros and the ends of the domain give what torch gives, value and
    gradient: asin'(±1) = inf, logit'(0) = inf, log1p'(-1) = inf, NaN beyond.

    (rsqrt'(-0) is left out: torch's -½·rsqrt(x)³ gives +inf there, this one's -½·rsqrt(x)/x,
    with two roundings fewer, gives -inf; neither is a derivative at the end of the domain.)
    """
    points = [v for v in EDGES if not (name == "rsqrt" and v == 0)]
    for ours, theirs in zip(_run(tga, name, points, np.float64), _run(torch, name, points, "f8")):
        _same(ours, theirs, 1e-14)
        zeros = (ours == 0) & (theirs == 0)
        assert (np.signbit(ours[zeros]) == np.signbit(theirs[zeros])).all()


@pytest.mark.parametrize("name", SMOOTH)
def test_second_derivatives_as_torch(name, torch):
    points = UNARY[name][0]
    results = []
    for lib in (tga, torch):
        x = lib.tensor(np.asarray(points), requires_grad=True)
        (d,) = lib.autograd.grad(getattr(x, name)().sum(), x, create_graph=True)
        (d2,) = lib.autograd.grad(d.sum(), x)
        results.append(d2.numpy())
    _same(*results, 1e-12)


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "trunc", "frac", "abs"])
def test_steps_have_torch_s_gradients_even_for_an_infinite_gradient(name, torch):
    """Rounding has zero gradients (exactly, even where the incoming gradient is infinite),
    frac has 1, abs has sign(x) and 0 at 0."""
    points = [-1.5, -0.0, 0.0, 0.5, 2.0]
    upstream = [np.inf, 1.0, 2.0, 3.0, -np.inf] if name != "frac" else [1.0] * 5
    results = []
    for lib in (tga, torch):
        x = lib.tensor(points, requires_grad=True)
        getattr(x, name)().backward(lib.tensor(upstream))
        results.append(x.grad.numpy())
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("kind", ["int64", "int8", "bool"])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_integer_and_bool_inputs_as_torch(name, kind, torch):
    """Functions of floats compute integers and bools in float32; rounding and abs keep them;
    square of bools is int64; where torch has no kernel (frac of integers, abs of bools), its
    error."""
    values = [True, False, True] if kind == "bool" else [3, -2, 0]

    def call(lib):
        return getattr(lib.tensor(values, dtype=dtype_of(lib, kind)), name)()

    try:
        expected = call(torch)
    except (RuntimeError, NotImplementedError) as e:
        assert_same_error(call, torch, type(e))
        return
    ours = call(tga)
    assert str(ours.dtype) == str(expected.dtype)
    np.testing.assert_allclose(ours.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_low_precision_inputs_keep_their_dtype(dtype, torch):
    for name in SMOOTH:
        points = np.asarray([v for v in UNARY[name][0] if abs(v) < 1e4], dtype=dtype)
        ours = getattr(tga.tensor(points), name)()
        theirs = getattr(torch.tensor(points), name)()
        assert str(ours.dtype).removeprefix("torch.") == dtype
        rtol = 2e-3 if dtype == "float16" else 2e-6  # torch's float16 computes in float32
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=1e-7)


# -- in-place and top-level forms ------------------------------------------------------------------

IN_PLACE = [name for name in sorted(UNARY) if name != "neg"]  # neg_ is in_place.py's
IN_PLACE_WITH_ARGUMENTS = [
    ("atan2_", lambda lib: (lib.tensor([1.0, -2.0, 0.5]),)),
    ("arctan2_", lambda lib: (lib.tensor(2.0),)),
    ("lerp_", lambda lib: (lib.tensor([1.0, -2.0, 0.5]), 0.3)),
    ("clip_", lambda lib: (-0.5, 0.5)),
    ("round_", {"decimals": 1}),
    ("logit_", {"eps": 0.2}),
]


def _in_place(lib, method, args, kwargs, values):
    """The method in place on a tensor (returning it?), and in a recorded graph: the
    gradient through it."""
    x = lib.tensor(values)
    returned = getattr(x, method)(*args(lib), **kwargs)
    h = lib.tensor(values, requires_grad=True)
    y = h * 1.0
    getattr(y, method)(*args(lib), **kwargs)
    y.sum().backward()
    return returned is x, x.numpy(), h.grad.numpy()


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [(f"{name}_", lambda lib: (), {}) for name in IN_PLACE]
    + [(m, a, {}) if callable(a) else (m, lambda lib: (), a) for m, a in IN_PLACE_WITH_ARGUMENTS],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_in_place_forms_as_torch(method, args, kwargs, torch):
    values = [0.2, 0.45, 0.9]  # in every domain
    ours = _in_place(tga, method, args, kwargs, values)
    theirs = _in_place(torch, method, args, kwargs, values)
    assert ours[0] and theirs[0]
    for a, b in zip(ours[1:], theirs[1:]):
        _same(a, b, 1e-6)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.tensor([1, 2]).sin_(),  # a float result into an integer tensor
        lambda lib: lib.tensor([True]).square_(),  # int64 into bool
        lambda lib: lib.ones(3).lerp_(lib.zeros(3), lib.ones(4, 1)),  # self would broadcast
        lambda lib: lib.ones(3, requires_grad=True).cos_(),  # a leaf that requires grad
    ],
    ids=["float into int", "int into bool", "broadcast self", "leaf"],
)
def test_in_place_refusals_as_torch(call, torch):
    assert_same_error(call, torch)


def test_in_place_keeps_an_integer_tensor_integral(torch):
    for lib in (tga, torch):
        x = lib.tensor([3, -2])
        assert x.floor_() is x and x.sign_() is x and x.square_() is x
        assert x.tolist() == [1, 1] and str(x.dtype).endswith("int64")
        f = lib.tensor([1.0, 2.0])
        f.atan2_(lib.tensor([1.0, 1.0], dtype=lib.float64))  # float64 into float32: fine
        assert str(f.dtype).endswith("float32")


def test_every_top_level_function_is_torch_s(torch):
    for name in math_module.__all__:
        assert callable(getattr(torch, name)), name
        assert getattr(tga, name) is getattr(math_module, name)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_top_level_forms_as_the_methods_and_torch_s_type_error(name, torch):
    x = tga.tensor([0.2, 0.45, 0.9])
    np.testing.assert_array_equal(getattr(tga, name)(x).numpy(), getattr(x, name)().numpy())
    assert_same_error(lambda lib: getattr(lib, name)([0.5]), torch, TypeError)


def test_abs_of_a_tensor_is_its_abs():
    x = tga.tensor([-1.5, 2.0])
    assert abs(x).tolist() == [1.5, 2.0]


# -- functions of two tensors ----------------------------------------------------------------------

SIGNED = [-np.inf, -2.5, -1.0, -0.0, 0.0, 1e-100, 1.0, 3.0, np.inf, np.nan]


def _grid():
    """Every pair of SIGNED values, as two float64 arrays."""
    y, x = np.meshgrid(SIGNED, SIGNED, indexing="ij")
    return y.ravel(), x.ravel()


def _binary(lib, name, a, b, dtype="float64"):
    """Values and both gradients of lib.name(a, b)."""
    ta = lib.tensor(np.asarray(a, dtype=dtype), requires_grad=True)
    tb = lib.tensor(np.asarray(b, dtype=dtype), requires_grad=True)
    y = getattr(lib, name)(ta, tb)
    y.sum().backward()
    return y.detach().numpy(), ta.grad.numpy(), tb.grad.numpy()


@pytest.mark.parametrize("name", ["atan2", "arctan2", "maximum", "minimum", "remainder"])
def test_binary_functions_on_signed_zeros_infinities_and_nan_as_torch(name, torch):
    """Every pair of signs, zeros, infinities and NaN: atan2(±0, ±0) keeps the signs of zero
    (π at (+0, -0)) and its gradient is 0 at the origin; maximum shares a tie's gradient and
    gives NaN's to both; remainder has other's sign, and -⌊a/b⌋ as other's gradient."""
    y, x = _grid()
    ours, theirs = _binary(tga, name, y, x), _binary(torch, name, y, x)
    for a, b in zip(ours, theirs):
        _same(a, b, 1e-15)
        zeros = (a == 0) & (b == 0)
        assert (np.signbit(a[zeros]) == np.signbit(b[zeros])).all()


@pytest.mark.parametrize("name", ["atan2", "maximum", "minimum", "remainder"])
def test_binary_functions_broadcast_and_second_derivatives_as_torch(name, torch):
    a = np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])
    b = np.array([1.25, -0.5, 2.0])
    results = []
    for lib in (tga, torch):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        y = getattr(lib, name)(ta, tb)
        grads = lib.autograd.grad((y * y).sum(), (ta, tb), create_graph=True)
        second = lib.autograd.grad(sum(g.sum() for g in grads), (ta, tb), allow_unused=True)
        results.append([y.detach().numpy(), *(g.detach().numpy() for g in grads)])
        results[-1] += [None if s is None else s.numpy() for s in second]
    for ours, theirs in zip(*results):
        if theirs is not None:
            _same(ours, theirs, 1e-13)


@pytest.mark.parametrize(
    ("name", "a", "b"),
    [
        ("atan2", "int64", "int64"),
        ("atan2", "bool", "int64"),
        ("atan2", "float32", "float64"),
        ("atan2", "int64", "float32"),
        ("maximum", "int64", "bool"),
        ("maximum", "bool", "bool"),
        ("maximum", "float32", "float64"),
        ("minimum", "int32", "int8"),
        ("remainder", "int64", "float32"),
        ("remainder", "int64", "int64"),
        ("floor_divide", "int64", "int64"),
        ("floor_divide", "int32", "float32"),
    ],
)
def test_binary_dtypes_as_torch(name, a, b, torch):
    def call(lib):
        x = lib.tensor([3, -2, 1]).to(dtype_of(lib, a))
        y = lib.tensor([2, 5, 1]).to(dtype_of(lib, b))
        return getattr(lib, name)(x, y), getattr(lib, name)(x[0], y)  # also a 0-d one

    ours, theirs = call(tga), call(torch)
    for o, t in zip(ours, theirs):
        assert str(o.dtype) == str(t.dtype)
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-7)


def test_floor_divide_and_remainder_with_numbers_on_either_side_as_torch(torch):
    def run(lib):
        f, i = lib.tensor([5.5, -7.25, -4.0, 0.0]), lib.tensor([7, -7, 0, 3])
        return [
            f // 2, f % 2, f % -1.5, 7 // f[:2], 7.5 % f[:3], i // 2, i % -2, 7 % i[:2],
            i // 2.5, i % 2.5, lib.floor_divide(f, 2), lib.remainder(5, i[:2]),
            lib.remainder(f, lib.tensor(1.5)), f.floor_divide(-2), i.remainder(4),
        ]  # fmt: skip

    for ours, theirs in zip(run(tga), run(torch)):
        assert str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert (np.signbit(ours.numpy()) == np.signbit(theirs.numpy())).all()


def test_floor_divide_is_outside_the_graph_and_remainder_is_differentiable(torch):
    x = tga.tensor([5.5, -7.25], requires_grad=True)
    assert not (x // 2).requires_grad  # torch records it, and its backward then refuses
    (x % 2).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    for lib in (tga, torch):
        x = lib.tensor([5.0, 6.0])
        x //= 4
        x %= 0.75
        assert x.tolist() == [0.25, 0.25]


def test_pow_function_forms_as_torch(torch):
    def run(lib):
        x = lib.tensor([0.5, 2.0, 3.0], requires_grad=True)
        ys = [lib.pow(x, 2), lib.pow(2, x), lib.pow(x, x), lib.pow(lib.tensor([2, 3]), 2)]
        ys[0].sum().backward(retain_graph=True)
        (ys[1] + ys[2]).sum().backward()
        return [y.detach().numpy() for y in ys] + [x.grad.numpy()]

    for ours, theirs in zip(run(tga), run(torch)):
        _same(ours, theirs, 1e-6)


@pytest.mark.parametrize("weight", ["number", "tensor", "0-d float64"])
def test_lerp_values_gradients_and_exact_ends_as_torch(weight, torch):
    """w = 1 gives end exactly (torch's two formulas); ∂/∂w = end - input."""
    a, b = [1.0, -2.0, 1e8, 0.1], [3.0, 5.0, -1e-8, 0.7]
    w = {"number": 1.0, "tensor": [0.25, 0.75, 1.0, -0.5], "0-d float64": 0.6}[weight]
    results = []
    for lib in (tga, torch):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        tw = w
        if weight != "number":
            tw = lib.tensor(w, dtype=lib.float64 if weight == "0-d float64" else lib.float32)
            tw.requires_grad_(True)
        y = lib.lerp(ta, tb, tw)
        y.sum().backward()
        grads = [ta.grad, tb.grad] + ([tw.grad] if weight != "number" else [])
        results.append([y.detach().numpy(), *(g.numpy() for g in grads)])
    for ours, theirs in zip(*results):
        _same(ours, theirs, 3e-7)  # torch's float32 lerp rounds once less (a fused multiply-add)
    assert results[0][0][2] == (-1e-8 if weight == "number" else results[0][0][2])


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 2, 5])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_with_decimals_as_torch(decimals, dtype, torch):
    """rint(x·10ᵈ)/10ᵈ as torch, halves to even: the same bits."""
    values = np.array([1.2345, -2.675, 123.5, 0.125, -0.5, 1e10 + 0.5, 1234.5678, np.nan, np.inf])
    ours = tga.tensor(values.astype(dtype)).round(decimals=decimals)
    theirs = torch.tensor(values.astype(dtype)).round(decimals=decimals)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("eps", [None, 0.1, 1e-6, 0.6, -0.1])
def test_logit_with_eps_as_torch(eps, torch):
    """With eps, x is taken to [eps, 1 - eps] (below eps first, as torch, which matters for
    eps > ½) and the gradient is 0 outside; without, NaN outside [0, 1]."""
    points = [-0.1, 0.0, 1e-7, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 1.0, 1.1, np.nan]
    for dtype in (np.float32, np.float64):
        ours = _run(tga, "logit", points, dtype, eps)
        theirs = _run(torch, "logit", points, dtype, eps)
        for a, b in zip(ours, theirs):
            _same(a, b, RTOL[dtype])


# -- mistakes --------------------------------------------------------------------------------------

MISTAKES = [
    (lambda lib: lib.atan2(lib.ones(2), 1.0), TypeError),
    (lambda lib: lib.ones(2).atan2(1.0), TypeError),
    (lambda lib: lib.maximum(lib.ones(2), 1), TypeError),
    (lambda lib: lib.ones(2).minimum(1), TypeError),
    (lambda lib: lib.pow(2, 3), TypeError),
    (lambda lib: lib.round(lib.ones(2), 1), TypeError),
    (lambda lib: lib.logit(lib.ones(2), "a"), TypeError),
    (lambda lib: lib.lerp(lib.ones(2), 1.0, 0.5), TypeError),
    (lambda lib: lib.ones(2).lerp(lib.ones(2), "a"), TypeError),
    (lambda lib: lib.lerp(lib.ones(2), lib.ones(2, dtype=lib.float64), 0.5), RuntimeError),
    (lambda lib: lib.lerp(lib.ones(2), lib.ones(2), lib.ones(2, dtype=lib.float64)), RuntimeError),
    (lambda lib: lib.lerp(lib.tensor([1, 2]), lib.tensor([1, 2]), 0.5), NotImplementedError),
    (lambda lib: lib.frac(lib.tensor([1, 2])), NotImplementedError),
    (lambda lib: lib.floor(lib.tensor([True])), NotImplementedError),
    (lambda lib: lib.abs(lib.tensor([True])), NotImplementedError),
    (lambda lib: lib.round(lib.tensor([1, 2]), decimals=1), NotImplementedError),
    (lambda lib: lib.neg(lib.tensor([True])), RuntimeError),
    (lambda lib: lib.tensor([1, 2]) // 0, RuntimeError),
    (lambda lib: lib.tensor([1, 2]) % lib.tensor([1, 0]), RuntimeError),
    (lambda lib: lib.tensor([True]) % lib.tensor([True]), NotImplementedError),
    (lambda lib: lib.tensor([True]) // lib.tensor([True]), NotImplementedError),
    (lambda lib: lib.clamp(lib.ones(2)), RuntimeError),
]


@pytest.mark.parametrize(("call", "error"), MISTAKES, ids=[str(i) for i in range(len(MISTAKES))])
def test_mistakes_raise_torch_s_errors(call, error, torch):
    assert_same_error(call, torch, error)


@pytest.mark.parametrize("name", ["atan2", "maximum", "minimum", "remainder", "lerp"])
def test_shapes_that_do_not_broadcast_as_torch(name, torch):
    def call(lib):
        args = (lib.ones(3), lib.ones(2)) + ((0.5,) if name == "lerp" else ())
        return getattr(lib, name)(*args)

    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(tga)
    assert str(ours.value).startswith(str(theirs.value))  # ours adds: "shapes (3,) and (2,) …"


# -- accuracy at hard points, against a 50-digit reference -----------------------------------------


def _ulps(got: float, f, *args: float) -> float:
    """|got - f(*args)| in units of the last place of the exact value (as a float64), f
    computed with mpmath to 50 digits."""
    with mpmath.workdps(50):
        exact = f(*(mpmath.mpf(a) for a in args))
        nearest = float(exact)
        return float(abs(mpmath.mpf(got) - exact) / math.ulp(nearest)) if nearest else abs(got)


def _logit(x):
    return mpmath.log(x / (1 - x))


def _derivative(f):
    return lambda x: mpmath.diff(f, x)


HARD = [
    ("expm1", 1e-10, mpmath.expm1),
    ("expm1", -3e-17, mpmath.expm1),
    ("log1p", 1e-17, mpmath.log1p),
    ("log1p", -1e-10, mpmath.log1p),
    ("sin", 1e22, mpmath.sin),
    ("sin", 2.0**60, mpmath.sin),
    ("cos", 1e300, mpmath.cos),
    ("tan", 1.5707963267948966, mpmath.tan),
    ("erf", 1e-20, mpmath.erf),
    ("erf", 0.49999, mpmath.erf),
    ("erfc", 10.0, mpmath.erfc),
    ("erfc", 26.5, mpmath.erfc),
    ("erfc", -3.0, mpmath.erfc),
    ("erfinv", 1 - 2.0**-53, mpmath.erfinv),
    ("erfinv", 1e-300, mpmath.erfinv),
    ("erfinv", -0.3, mpmath.erfinv),
    ("logit", 1e-300, _logit),
    ("logit", 1 - 2.0**-53, _logit),
    ("logit", 0.5 + 2.0**-40, _logit),
    ("logit", 0.3, _logit),
    ("asin", 1 - 2.0**-52, mpmath.asin),
    ("acos", -1e-17, mpmath.acos),
]
HARD_DERIVATIVES = [
    ("expm1", -40.0, mpmath.exp),  # torch's (eˣ - 1) + 1 gives 0
    ("tan", 1.5707963267948966, lambda x: 1 / mpmath.cos(x) ** 2),
    ("asin", 1 - 2.0**-52, lambda x: 1 / mpmath.sqrt(1 - x * x)),  # torch's 1 - x² rounds
    ("acos", 0.999999, lambda x: -1 / mpmath.sqrt(1 - x * x)),
    ("atan", 1e150, lambda x: 1 / (1 + x * x)),
    ("rsqrt", 3.0, lambda x: -0.5 * x**-1.5),
    ("erf", 26.0, lambda x: 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x)),
    ("erfc", -5.5, lambda x: -2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-x * x)),
    ("erfinv", 0.999, _derivative(mpmath.erfinv)),
    ("log1p", -0.999999, lambda x: 1 / (1 + x)),
    ("logit", 1e-300, lambda x: 1 / (x * (1 - x))),
    ("logit", 0.5 + 2.0**-40, lambda x: 1 / (x * (1 - x))),
]


@pytest.mark.parametrize(("name", "x", "exact"), HARD, ids=[f"{n}({x})" for n, x, _ in HARD])
def test_values_are_a_few_ulps_from_exact_at_hard_points(name, x, exact):
    got = getattr(tga.tensor([x], dtype=tga.float64), name)().item()
    assert _ulps(got, exact, x) <= (6 if name == "erfinv" else 2)


@pytest.mark.parametrize(
    ("name", "x", "exact"), HARD_DERIVATIVES, ids=[f"{n}'({x})" for n, x, _ in HARD_DERIVATIVES]
)
def test_derivatives_are_a_few_ulps_from_exact_at_hard_points(name, x, exact):
    t = tga.tensor([x], dtype=tga.float64, requires_grad=True)
    getattr(t, name)().sum().backward()
    assert _ulps(t.grad.item(), exact, x) <= (8 if name == "erfinv" else 4)


@pytest.mark.parametrize(
    ("y", "x"), [(1e-200, 1e-200), (-3e-170, 4e-170), (1e200, -1e200), (3.0, 4.0), (-1.0, 1e-9)]
)
def test_atan2_and_its_gradient_are_exact_at_any_scale(y, x):
    """The gradient is x/(x² + y²), -y/(x² + y²) even where x² + y² would under- or overflow
    (torch's gives 0 at (1e-200, 1e-200), the truth 5e199)."""
    ty = tga.tensor([y], dtype=tga.float64, requires_grad=True)
    tx = tga.tensor([x], dtype=tga.float64, requires_grad=True)
    value = tga.atan2(ty, tx)
    value.sum().backward()
    assert _ulps(value.item(), mpmath.atan2, y, x) <= 1
    assert _ulps(ty.grad.item(), lambda y, x: x / (x * x + y * y), y, x) <= 3
    assert _ulps(tx.grad.item(), lambda y, x: -y / (x * x + y * y), y, x) <= 3


def test_atan2_of_signed_zeros():
    zeros = [(0.0, 0.0, 0.0), (0.0, -0.0, math.pi), (-0.0, 0.0, -0.0), (-0.0, -0.0, -math.pi)]
    for y, x, expected in zeros:
        got = tga.atan2(tga.tensor(y, dtype=tga.float64), tga.tensor(x, dtype=tga.float64))
        assert got.item() == expected and math.copysign(1, got.item()) == math.copysign(1, expected)
