"""The example of docs/adding-an-activation.md, built from the page's own code: squareplus.

The page is the one source: its python blocks run here in order, up to the block that registers
the declaration (the fixture registers it instead, and unregisters it after each test, so nothing
leaks into other tests). Then squareplus is checked as an activation torch does not have must be:
f, f' and f'' against a 50-digit reference and against finite differences (at 0, at ±1e4 and
far beyond), and every entry point made from the declaration — the F function, the module, the
Tensor method when asked, ``fn`` and its parser, the plot, the command line.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import re
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from reference import grid, ulp_error

import tinygrad_acts as tga
from tinygrad_acts import fn, nn, registry
from tinygrad_acts.autograd import grad, gradcheck, gradgradcheck
from tinygrad_acts.nn import functional as F
from tinygrad_acts.nn.modules.activation import DeclaredActivation

PAGE = Path(__file__).resolve().parents[2] / "docs" / "adding-an-activation.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def _page_namespace() -> dict:
    """The page's python blocks run in one namespace, up to the one that registers."""
    namespace: dict = {"__name__": "__docs__"}
    for number, code in enumerate(_BLOCK.findall(PAGE.read_text())):
        if "registry.register(" in code:
            return namespace
        exec(compile(code, f"{PAGE.name}, block {number + 1}", "exec"), namespace)
    raise AssertionError(f"{PAGE.name} has no block that calls registry.register(...)")


PAGE_CODE = _page_namespace()
DECLARATION = PAGE_CODE["squareplus"]
B_VALUES = (4.0, 1.0, 0.25)  # the default, and two others


@pytest.fixture
def squareplus():
    """The page's declaration, registered for one test."""
    entry = registry.register(DECLARATION)
    try:
        yield entry
    finally:
        registry.unregister("squareplus")


def true_values(x: float, b: float) -> tuple[float, float, float]:
    """f, f', f'' from the textbook formulas in mpmath, with enough digits for the
    cancellation in x + √(x² + b) at x ≪ 0 (about 2·log10|x| of them) and 50 more."""
    digits = 50 + 2 * max(0, int(mp.log10(abs(x)))) if x else 50
    with mp.workdps(digits):
        xm = mp.mpf(x)
        h = mp.sqrt(xm * xm + b)
        return float((xm + h) / 2), float((1 + xm / h) / 2), float(b / (2 * h**3))


def derivatives(x: np.ndarray, **params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f, f', f'' elementwise through the autograd engine (f'' by create_graph)."""
    t = tga.tensor(x, requires_grad=True)
    y = F.squareplus(t, **params)
    (g,) = grad(y.sum(), t, create_graph=True)
    (g2,) = grad(g.sum(), t)
    return y.array, g.array, g2.array


POINTS = np.array(
    sorted({*grid(), 0.0, 1e4, -1e4, 1e20, -1e20, 1e150, -1e150, 1e155, -1e155, 1e300, -1e300})
)


@pytest.mark.parametrize("b", B_VALUES)
def test_f_and_two_derivatives_against_50_digits(squareplus, b):
    ours = derivatives(POINTS, b=b)
    true = np.array([true_values(float(v), b) for v in POINTS]).T
    for order, bound in enumerate((3, 3, 6)):  # ulps: f'' is f' differentiated by the engine
        err = ulp_error(ours[order], true[order])
        worst = int(np.argmax(err))
        assert err[worst] <= bound, (order, POINTS[worst], ours[order][worst], true[order][worst])


def test_large_inputs_and_zero_exactly_as_the_formulas_say(squareplus):
    x = np.array([-1e4, 0.0, 1e4])
    f, slope, curvature = derivatives(x)  # b = 4
    h = np.sqrt(x * x + 4.0)
    np.testing.assert_allclose(f, [1 / (h[0] - x[0]) * 2, 1.0, (x[2] + h[2]) / 2], rtol=1e-15)
    np.testing.assert_allclose(slope, [1 / (h[0] * (h[0] - x[0])) * 2, 0.5, 1 - 1e-8], rtol=1e-15)
    np.testing.assert_allclose(curvature, 2.0 / h**3, rtol=1e-15)
    # the limits: the identity far right, 0 far left, and no nan at the ends of float64
    f, slope, curvature = derivatives(np.array([-np.inf, -1e308, 1e308, np.inf]))
    assert f.tolist() == [0.0, 0.0, 1e308, np.inf]
    assert slope.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert curvature.tolist() == [0.0, 0.0, 0.0, 0.0]


def assert_difference_quotient(derivative, plus, minus, step):
    """``derivative`` ≈ (plus - minus)/(2·step), to 1e-7 plus the quotient's own rounding error
    (ε·|f|/step: large where f' is near 1 and f'' tiny, at x = 1e4)."""
    quotient = (plus - minus) / (2 * step)
    rounding = 4 * np.finfo(np.float64).eps * np.maximum(abs(plus), abs(minus)) / (2 * step)
    assert np.all(abs(derivative - quotient) <= 1e-7 * abs(derivative) + rounding), (
        derivative,
        quotient,
    )


@pytest.mark.parametrize("b", B_VALUES)
def test_derivatives_against_finite_differences(squareplus, b):
    x = np.array([-1e4, -300.0, -7.5, -1.0, -1e-3, 0.0, 1e-3, 0.5, 2.0, 30.0, 1e4])
    step = 1e-5 * np.maximum(1.0, np.abs(x))
    _, slope, curvature = derivatives(x, b=b)
    plus, minus = derivatives(x + step, b=b), derivatives(x - step, b=b)
    assert_difference_quotient(slope, plus[0], minus[0], step)
    assert_difference_quotient(curvature, plus[1], minus[1], step)
    # and autograd's own checks, of f's rule and of the rule of f'
    t = tga.tensor(np.linspace(-6, 6, 13), requires_grad=True)
    assert gradcheck(lambda v: F.squareplus(v, b=b), (t,))
    assert gradgradcheck(lambda v: F.squareplus(v, b=b), (t,))


def test_the_op_on_arrays_is_the_function(squareplus):
    """Called on arrays alone, the ops are the kernels: the same numbers as through Tensors."""
    x = np.linspace(-20, 20, 41)
    Squareplus, SquareplusSlope = PAGE_CODE["Squareplus"], PAGE_CODE["SquareplusSlope"]
    f, slope, _ = derivatives(x)
    assert np.array_equal(Squareplus.apply(x, b=4.0), f)
    assert np.array_equal(SquareplusSlope.apply(x, b=4.0), slope)


def test_float32_and_float16(squareplus):
    x = np.array([-1e4, -3.0, -0.5, 0.0, 0.5, 3.0, 1e4])
    exact = np.array([true_values(v, 4.0)[0] for v in x])
    y32 = F.squareplus(tga.tensor(x.astype(np.float32)))
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32.array, exact, rtol=2 * np.finfo(np.float32).eps)
    x16 = x.astype(np.float16)
    y16 = F.squareplus(tga.tensor(x16))  # computed in float32, then rounded
    assert y16.dtype == np.float16
    in_float32 = F.squareplus(tga.tensor(x16.astype(np.float32))).array
    assert np.array_equal(y16.array, in_float32.astype(np.float16))


def test_the_function_checks_its_arguments_in_torch_words(squareplus):
    x = tga.tensor([-1.0, 2.0])
    assert squareplus.function is F.squareplus and "squareplus" in F.__all__
    assert str(inspect.signature(F.squareplus)) == "(input, b=4.0)"
    assert squareplus.params == {"b": 4.0}
    assert F.squareplus(x, 1.0).tolist() == F.squareplus(x, b=1).tolist()
    with pytest.raises(
        TypeError, match=r"argument 'input' \(position 1\) must be Tensor, not list"
    ):
        F.squareplus([1.0])
    with pytest.raises(NotImplementedError, match="\"squareplus_cpu\" not implemented for 'Long'"):
        F.squareplus(tga.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"argument 'b' \(position 2\) must be Number, not str"):
        F.squareplus(x, "one")
    with pytest.raises(TypeError, match=r"squareplus.*unexpected keyword argument 'c'"):
        F.squareplus(x, c=1.0)
    with pytest.raises(TypeError, match=r"squareplus.*too many positional arguments"):
        F.squareplus(x, 1.0, 2.0)


def test_the_module(squareplus):
    assert nn.Squareplus is squareplus.module and "Squareplus" in nn.__all__
    assert issubclass(nn.Squareplus, DeclaredActivation)
    assert str(inspect.signature(nn.Squareplus)) == "(b=4.0)"
    m = nn.Squareplus(b=0.5)
    assert repr(m) == "Squareplus(b=0.5)" and m.b == 0.5
    assert repr(nn.Squareplus()) == "Squareplus(b=4.0)"
    assert repr(pickle.loads(pickle.dumps(m))) == "Squareplus(b=0.5)"
    assert list(m.parameters()) == []
    x = tga.tensor([-2.0, 0.0, 3.0])
    assert m(x).tolist() == F.squareplus(x, b=0.5).tolist()
    with pytest.raises(TypeError, match=r"Squareplus.*unexpected keyword argument 'c'"):
        nn.Squareplus(c=1.0)


def test_a_tensor_method_when_asked():
    assert not hasattr(tga.Tensor, "squareplus")
    entry = registry.register(dataclasses.replace(DECLARATION, tensor_method=True))
    try:
        x = tga.tensor([-1.0, 2.0])
        assert tga.Tensor.squareplus is entry.function
        assert x.squareplus(b=1.0).tolist() == F.squareplus(x, b=1.0).tolist()
    finally:
        registry.unregister("squareplus")
    assert not hasattr(tga.Tensor, "squareplus")


def test_a_required_parameter_and_an_in_place_form():
    """The same op declared with ``b`` required and ``inplace``: Python's rules for the call,
    torch's for the in-place write and the module's ``repr``."""
    required = dataclasses.replace(
        DECLARATION, params={"b": inspect.Parameter.empty}, inplace=True, sample_params={"b": 1.0}
    )
    entry = registry.register(required)
    try:
        assert str(inspect.signature(F.squareplus)) == "(input, b, inplace=False)"
        assert entry.call_params() == {"b": 1.0} and entry.inplace
        x = tga.tensor([-1.0, 0.0, 3.0])
        with pytest.raises(TypeError, match="missing a required argument: 'b'"):
            F.squareplus(x)
        expected = F.squareplus(x, 1.0).tolist()
        assert F.squareplus(x, b=1.0, inplace=True) is x and x.tolist() == expected
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            F.squareplus(tga.tensor([1.0], requires_grad=True), 1.0, True)
        assert repr(nn.Squareplus(2.0, inplace=True)) == "Squareplus(b=2.0, inplace=True)"
        assert repr(nn.Squareplus(2.0)) == "Squareplus(b=2.0)"
        with pytest.raises(TypeError, match="missing a required argument: 'b'"):
            nn.Squareplus()
        with pytest.raises(fn.ParseError, match="missing 1 required positional argument: 'b'"):
            fn.parse("squareplus(x)")
        assert fn.parse("squareplus(x, 1)")(0.0) == 0.5
    finally:
        registry.unregister("squareplus")


def test_fn_and_its_parser(squareplus):
    x = np.array([-3.0, 0.0, 2.5])
    assert "squareplus" in fn.FUNCTIONS and "squareplus" in fn.functions.names()
    assert fn.squareplus is fn.FUNCTIONS["squareplus"]
    f = fn.parse("squareplus(x, b=1) - relu(x)")
    assert str(f) == "squareplus(x, b=1) - relu(x)"
    expected = F.squareplus(tga.tensor(x), b=1.0).array - np.maximum(x, 0)
    np.testing.assert_allclose(f(x), expected, rtol=1e-15)
    np.testing.assert_allclose(fn.squareplus(b=1.0).derivative()(x), derivatives(x, b=1.0)[1])
    with pytest.raises(fn.ParseError, match="Number, not str"):
        fn.parse("squareplus(x, b='one')")


def test_the_plot(squareplus):
    from tinygrad_acts import plot

    fig = plot.curves("squareplus", derivatives=(0, 1, 2))
    ax = fig.axes[0]
    assert ax.get_title().startswith("squareplus: $")
    lines = {line.get_label(): line for line in ax.get_lines()}
    x = lines["f''"].get_xdata()
    assert (x.min(), x.max()) == DECLARATION.plot_range
    np.testing.assert_allclose(lines["f''"].get_ydata(), 2.0 / (x * x + 4.0) ** 1.5, rtol=1e-14)


def test_the_command_line(squareplus, capsys):
    from tinygrad_acts import cli

    assert cli.main(["list"]) == 0
    assert re.search(r"^squareplus +b=4\.0 +\\frac", capsys.readouterr().out, re.M)
    assert cli.main(["show", "squareplus"]) == 0
    shown = capsys.readouterr().out
    assert "tinygrad_acts.nn.Squareplus" in shown and "1.61803" in shown  # f(1) = (1 + √5)/2


def test_unregistering_takes_every_entry_point_away():
    registry.register(DECLARATION)
    registry.unregister("squareplus")
    assert "squareplus" not in registry.ACTIVATIONS
    assert not hasattr(F, "squareplus") and not hasattr(nn, "Squareplus")
    assert "squareplus" not in F.__all__ and "Squareplus" not in nn.__all__
    assert "squareplus" not in fn.FUNCTIONS and not hasattr(fn, "squareplus")
    with pytest.raises(fn.ParseError):
        fn.parse("squareplus(x)")


def test_register_refuses_a_declaration_that_cannot_work(squareplus):
    before = dict(registry.ACTIVATIONS)
    tensor_methods, exported = set(dir(tga.Tensor)), (list(F.__all__), list(nn.__all__))
    bad = {
        "registered already": DECLARATION,
        "an F name taken": dataclasses.replace(DECLARATION, name="linear"),
        "no op": dataclasses.replace(DECLARATION, name="sp", op=None),
        "a module name taken": dataclasses.replace(DECLARATION, name="sp", class_name="Linear"),
        "a parameter named inplace": dataclasses.replace(
            DECLARATION, name="sp", params={"inplace": True}
        ),
        "a Tensor attribute taken": dataclasses.replace(
            DECLARATION, name="exp", tensor_method=True
        ),
        "not an identifier": dataclasses.replace(DECLARATION, name="square plus"),
    }
    for why, declaration in bad.items():
        with pytest.raises(ValueError):
            registry.register(declaration)
            pytest.fail(why)
    assert registry.ACTIVATIONS == before
    assert set(dir(tga.Tensor)) == tensor_methods and (F.__all__, nn.__all__) == exported


def test_the_package_uses_the_same_mechanism():
    """The activations whose function and module are plain are made from their declarations."""
    made = {"sigmoid", "tanh", "silu", "mish", "softsign", "tanhshrink"}
    for name, entry in registry.ACTIVATIONS.items():
        assert getattr(F, name) is entry.function
        assert getattr(nn, entry.module.__name__) is entry.module
        assert (entry.function.__module__ == "tinygrad_acts.nn.functional") == (name in made)
    assert issubclass(nn.SiLU, DeclaredActivation) and repr(nn.SiLU(True)) == "SiLU(inplace=True)"
    assert issubclass(nn.LogSigmoid, DeclaredActivation)  # its function is hand-written
