"""fn: functions of one variable as values — building, printing, evaluating, differentiating.

Values are checked three ways: by hand with ``math.tanh``, against the same computation written
directly with Tensors, and against torch (float64, the ``torch`` fixture).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import autograd, fn
from tinygrad_acts.fn import functions
from tinygrad_acts.registry import ACTIVATIONS
from tinygrad_acts.viz.nodes import scope_of

x = fn.x
A = fn.tanh(1 * x + 0.5).named("A")
B = fn.tanh(-2 * x - 1.5).named("B")
C = fn.tanh(-3 * x + 1.5).named("C")
D = fn.tanh(4 * x + 1.0).named("D")
CLASSIC = C(A + B) + D(A + B)
GRID = np.linspace(-2.5, 2.5, 41)


def classic_by_hand(t: float) -> float:
    s = math.tanh(t + 0.5) + math.tanh(-2 * t - 1.5)
    return math.tanh(-3 * s + 1.5) + math.tanh(4 * s + 1.0)


def torch_classic(torch, t):
    s = torch.tanh(t + 0.5) + torch.tanh(-2 * t - 1.5)
    return torch.tanh(-3 * s + 1.5) + torch.tanh(4 * s + 1.0)


# -- the classic composition ------------------------------------------------------------------


@pytest.mark.parametrize("t", [-2.0, -1.0, -0.25, 0.0, 0.3, 1.0, 2.0])
def test_classic_composition_matches_math_tanh(t):
    assert CLASSIC(t) == pytest.approx(classic_by_hand(t), rel=1e-15, abs=1e-15)


def test_classic_composition_at_zero_by_hand():
    # A(0) + B(0) = tanh(0.5) + tanh(-1.5) = -0.4430265...; C, D of that: 0.9930...,-0.6481...
    assert CLASSIC(0.0) == pytest.approx(0.34488353776183, abs=1e-13)
    assert (A + B)(-1.0) == 0.0  # tanh(-0.5) + tanh(0.5), exactly


def test_classic_panels_print_with_names_and_expand():
    assert str(C) == "C"
    assert str(C.body) == "tanh(-3*x + 1.5)"
    assert str(A + B) == "A + B"
    assert str(CLASSIC) == "C(A + B) + D(A + B)"
    assert str(CLASSIC.expand()) == (
        "tanh(-3*(tanh(1*x + 0.5) + tanh(-2*x - 1.5)) + 1.5) "
        "+ tanh(4*(tanh(1*x + 0.5) + tanh(-2*x - 1.5)) + 1)"
    )
    assert repr(CLASSIC) == (
        "fn(C(A + B) + D(A + B); A = tanh(1*x + 0.5), B = tanh(-2*x - 1.5), "
        "C = tanh(-3*x + 1.5), D = tanh(4*x + 1))"
    )
    assert repr(fn.tanh(2 * x)) == "fn(tanh(2*x))"


def test_expanded_and_named_forms_have_the_same_values():
    np.testing.assert_array_equal(CLASSIC(GRID), CLASSIC.expand()(GRID))


def test_classic_vs_torch_with_gradient(torch):
    t = tga.tensor(GRID, requires_grad=True)
    y = CLASSIC(t)
    y.sum().backward()
    tt = torch.tensor(GRID, requires_grad=True)
    ty = torch_classic(torch, tt)
    ty.sum().backward()
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(t.grad.array, tt.grad.numpy(), rtol=1e-12, atol=1e-13)


# -- the graph that evaluation records --------------------------------------------------------


def test_named_functions_record_their_ops_in_their_scope_once():
    t = tga.tensor(np.array([0.3, -1.0]), requires_grad=True)
    nodes = autograd.topological_order([CLASSIC(t).grad_fn])
    scopes = [scope_of(n) for n in nodes]
    # Each of A, B, C, D: Mul, Add/Sub, Tanh in its own box; A + B computed once, outside
    # every box, and shared by C and D; the final + outside too: 4*3 + 2 = 14 nodes.
    assert len(nodes) == 14
    for name in "ABCD":
        assert scopes.count((name,)) == 3
    assert scopes.count(()) == 2
    adds = [n for n in nodes if scope_of(n) == () and n.name().startswith("AddBackward")]
    consumer_scopes = [
        sorted(scope_of(n) for n in nodes if any(nxt is add for nxt in n.next)) for add in adds
    ]
    assert [("C",), ("D",)] in consumer_scopes  # the one A + B feeds both boxes


def test_nested_names_nest_and_the_scope_is_restored():
    E = (A + 1).named("E")
    t = tga.tensor(np.array([1.0]), requires_grad=True)
    nodes = autograd.topological_order([E(t).grad_fn])
    assert sorted({scope_of(n) for n in nodes}) == [("E",), ("E", "A")]
    assert tga.autograd.grad_mode.state.on_record == ()  # no scope is left open
    y = (t * 2).grad_fn
    assert scope_of(y) == ()


# -- evaluation on every kind of input ---------------------------------------------------------


def test_python_numbers_and_lists_evaluate_in_float64():
    f = fn.tanh(x / 3)
    assert isinstance(f(0.5), float)
    assert f(0.5) == pytest.approx(math.tanh(0.5 / 3), rel=3e-16)  # float64: every digit
    out = f([0.5, 1.0])
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    assert out[1] == pytest.approx(math.tanh(1.0 / 3), rel=3e-16)


def test_arrays_keep_a_float_dtype_and_tensors_keep_theirs():
    f = fn.sigmoid(2 * x) * x
    a32 = np.array([0.5, -1.0], dtype=np.float32)
    assert f(a32).dtype == np.float32
    assert f(np.array([1, 2])).dtype == np.float64  # integers: computed in float64
    t = tga.tensor(a32)
    out = f(t)
    assert isinstance(out, tga.Tensor) and out.dtype == np.float32
    direct = (t * 2).sigmoid() * t  # the same computation written with Tensors
    np.testing.assert_array_equal(out.array, direct.array)


def test_constant_functions_take_the_shape_of_the_input():
    f = fn.x * 0 + 2
    np.testing.assert_array_equal(f(np.array([1.0, 5.0, 9.0])), [2.0, 2.0, 2.0])
    assert fn.parse("2*3")(1.0) == 6.0


def test_evaluating_on_something_else_is_a_type_error():
    with pytest.raises(TypeError, match="got str"):
        fn.tanh("0.5")


# -- composition ------------------------------------------------------------------------------


def test_calling_on_a_function_composes():
    f = fn.tanh + 1
    g = f(x**2)
    assert str(g) == "tanh(x**2) + 1"
    assert g(1.5) == math.tanh(2.25) + 1
    assert str(fn.tanh(fn.sigmoid)) == "tanh(sigmoid(x))"
    assert str(A(x**2)) == "A(x**2)"
    assert A(x**2)(0.5) == math.tanh(0.25 + 0.5)


def test_arithmetic_with_numbers_on_either_side():
    f = 2 - x / np.float64(4) + 3**x
    assert isinstance(f, fn.Expr)
    assert str(f) == "2 - x/4 + 3**x"
    assert f(2.0) == 2 - 0.5 + 9
    with pytest.raises(TypeError, match="unsupported operand"):
        x + "1"


@pytest.mark.parametrize(
    "f, text",
    [
        (x - (x - 1), "x - (x - 1)"),
        ((x - 1) - x, "x - 1 - x"),
        (x / (2 * x), "x/(2*x)"),
        (x / 2 * x, "x/2*x"),
        (x ** (x**2), "x**x**2"),
        ((x**x) ** 2, "(x**x)**2"),
        (-(x**2), "-x**2"),
        ((-x) ** 2, "(-x)**2"),
        (-2 * x, "-2*x"),
        ((-2) ** x, "(-2)**x"),
        (2 ** (-x), "2**-x"),
        (x * -2, "x*-2"),
        (-(-x), "-(-x)"),  # noqa: B002
        (-(x + 1), "-(x + 1)"),
        ((x + 1) * (x - 1), "(x + 1)*(x - 1)"),
        (x * 1e-05 + 0.5, "x*1e-05 + 0.5"),
        (x * 1e20, "x*1e+20"),
        (x + (-0.0), "x + -0.0"),
        (fn.exp(-x) / fn.sqrt(fn.abs(x)), "exp(-x)/sqrt(abs(x))"),
    ],
)
def test_printing_uses_as_few_parentheses_as_python(f, text):
    assert str(f) == text
    assert str(fn.parse(text)) == text
    points = np.array([0.5, 1.5, 3.0])
    np.testing.assert_array_equal(fn.parse(text)(points), f(points))


# -- parameters -------------------------------------------------------------------------------


def test_parameters_by_keyword_and_position():
    f = fn.leaky_relu(negative_slope=0.2)
    assert str(f) == "leaky_relu(x, negative_slope=0.2)"
    assert f(-1.0) == pytest.approx(-0.2, abs=1e-16)
    assert str(f(x - 1)) == "leaky_relu(x - 1, negative_slope=0.2)"
    assert str(fn.hardtanh(x, -2, 2)) == "hardtanh(x, min_val=-2, max_val=2)"
    assert fn.hardtanh(x, -2, 2)(5.0) == 2.0
    assert fn.leaky_relu(-1.0, 0.5) == -0.5  # values as the input: evaluated at once
    assert str(fn.gelu(approximate="tanh")) == "gelu(x, approximate='tanh')"


def test_bad_parameters_raise_pythons_and_the_f_functions_errors():
    with pytest.raises(
        TypeError, match=r"leaky_relu\(\) got an unexpected keyword argument 'slope'"
    ):
        fn.leaky_relu(slope=0.2)
    with pytest.raises(TypeError, match="takes from 1 to 3 positional arguments but 4 were given"):
        fn.hardtanh(x, 1, 2, 3)
    with pytest.raises(TypeError, match="missing 2 required positional arguments"):
        fn.threshold(x)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'weight'"):
        (fn.prelu + 1)(0.5)
    assert fn.threshold(x, 0.5, -1.0)(0.2) == -1.0
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        fn.hardtanh(x, 2, 1)
    with pytest.raises(TypeError, match="must be Number, not str"):
        fn.elu(alpha="big")
    with pytest.raises(TypeError, match="takes one argument"):
        (fn.tanh + 1)(x, 2)


def test_only_elementwise_activations_are_functions_of_one_variable():
    elementwise = [a.name for a in ACTIVATIONS.values() if a.elementwise]
    assert list(fn.FUNCTIONS) == [*elementwise, "sin", "cos", "exp", "log", "sqrt", "abs"]
    with pytest.raises(AttributeError, match="softmax is not elementwise"):
        fn.softmax  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'tanhh'"):
        fn.tanhh  # noqa: B018


@pytest.mark.parametrize("name", functions.names())
def test_every_function_matches_torch(torch, name):
    entry = ACTIVATIONS.get(name)
    params = entry.call_params() if entry else {}
    f = fn.FUNCTIONS[name](**params) if params else fn.FUNCTIONS[name]
    grid = np.linspace(-3.1, 3.1, 25)
    ours = f(grid)
    tt = torch.tensor(grid)
    if entry is None:
        theirs = getattr(torch, name)(tt)
    elif name == "prelu":
        theirs = torch.nn.functional.prelu(tt, torch.tensor([params["weight"]], dtype=tt.dtype))
    else:
        theirs = getattr(torch.nn.functional, name)(tt, **params)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-14, equal_nan=True)


def test_compositions_with_parameters_match_torch(torch):
    f = fn.softplus(fn.leaky_relu(2 * x - 1, negative_slope=0.2), beta=2) * fn.gelu(
        x, approximate="tanh"
    ) - fn.hardtanh(x**2, -0.5, 1.5)
    tt = torch.tensor(GRID)
    F = torch.nn.functional
    theirs = F.softplus(F.leaky_relu(2 * tt - 1, 0.2), beta=2) * F.gelu(
        tt, approximate="tanh"
    ) - F.hardtanh(tt**2, -0.5, 1.5)
    np.testing.assert_allclose(f(GRID), theirs.numpy(), rtol=1e-13, atol=1e-14)


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["x", "tanh", "softmax", "1A", "A B", "lambda", ""])
def test_names_must_read_back(bad):
    with pytest.raises(ValueError):
        fn.tanh.named(bad)


# -- derivatives ------------------------------------------------------------------------------


def test_derivative_prints_and_composes():
    assert str(fn.tanh.derivative()) == "d/dx tanh(x)"
    assert str(fn.tanh.derivative(2)) == "d^2/dx^2 tanh(x)"
    assert str(fn.tanh.derivative().derivative()) == "d^2/dx^2 tanh(x)"
    assert str((fn.tanh + x).derivative()) == "d/dx (tanh(x) + x)"
    assert str(fn.tanh.derivative()(x**2)) == "(d/dx tanh(x))(x**2)"
    assert str(CLASSIC.derivative()) == "d/dx (C(A + B) + D(A + B))"
    assert fn.tanh.derivative(0) is fn.tanh
    with pytest.raises(ValueError, match="non-negative integer"):
        fn.tanh.derivative(-1)


def test_derivative_by_hand():
    d = fn.tanh.derivative()
    assert d(0.5) == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)
    # f'(g(x)), not (f∘g)': tanh'(x²) at x = 1 is 1 - tanh(1)².
    assert d(x**2)(1.0) == pytest.approx(1 - math.tanh(1.0) ** 2, rel=1e-15)
    assert (x**3).derivative(2)(2.0) == pytest.approx(12.0, rel=1e-15)
    np.testing.assert_array_equal((0 * x + 5).derivative()(np.array([1.0, 2.0])), [0.0, 0.0])
    np.testing.assert_array_equal(x.derivative(2)(np.array([1.0, 2.0])), [0.0, 0.0])


def torch_softplus_sigmoid(torch, t):
    return torch.nn.functional.softplus(3 * t - 1) * torch.sigmoid(t)


def torch_gelu_silu(torch, t):
    return torch.nn.functional.gelu(t**2 - 1) + torch.nn.functional.silu(-t)


@pytest.mark.parametrize(
    "f, torch_f",
    [
        (CLASSIC, torch_classic),
        (fn.softplus(3 * x - 1) * fn.sigmoid(x), torch_softplus_sigmoid),
        (fn.gelu(x**2 - 1) + fn.silu(-x), torch_gelu_silu),
    ],
    ids=["classic", "softplus*sigmoid", "gelu+silu"],
)
def test_first_and_second_derivatives_match_torch_autograd(torch, f, torch_f):
    tt = torch.tensor(GRID, requires_grad=True)
    (d1,) = torch.autograd.grad(torch_f(torch, tt).sum(), tt, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), tt)
    np.testing.assert_allclose(f.derivative(1)(GRID), d1.detach().numpy(), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(f.derivative(2)(GRID), d2.numpy(), rtol=1e-10, atol=1e-11)


def test_gradient_flows_through_a_derivative(torch):
    # d/dt of f'(t) is f''(t): backward through the derivative function.
    t = tga.tensor(GRID, requires_grad=True)
    CLASSIC.derivative()(t).sum().backward()
    tt = torch.tensor(GRID, requires_grad=True)
    (d1,) = torch.autograd.grad(torch_classic(torch, tt).sum(), tt, create_graph=True)
    d1.sum().backward()
    np.testing.assert_allclose(t.grad.array, tt.grad.numpy(), rtol=1e-10, atol=1e-11)


def test_derivative_under_no_grad_leaves_no_graph():
    t = tga.tensor(GRID, requires_grad=True)
    with tga.no_grad():
        out = fn.tanh.derivative()(t)
    assert out.grad_fn is None and not out.requires_grad


# -- random compositions ----------------------------------------------------------------------


def test_random_is_reproducible_from_its_seed():
    f, g, h = fn.random(3, seed=7), fn.random(3, seed=7), fn.random(3, seed=8)
    assert str(f) == str(g) != str(h)
    np.testing.assert_array_equal(f(GRID), g(GRID))


def test_random_shape_and_activations():
    f = fn.random(2, width=3, activations=["tanh"], seed=0)
    text = str(f)
    assert text.count("tanh(") == 3 + 3 * 3  # 3 units, each over the 3-unit layer below
    assert set(text.replace("tanh(", "")) <= set("0123456789.x*+-() ")
    assert fn.random(0) is fn.x
    with pytest.raises(ValueError, match="did you mean 'tanh'"):
        fn.random(1, activations=["tahn"])
    with pytest.raises(ValueError, match="depth"):
        fn.random(-1)


# -- depth ------------------------------------------------------------------------------------


def test_deep_trees_evaluate_print_and_differentiate_without_recursion():
    f = fn.x
    for i in range(5000):
        f = fn.tanh(f) if i % 2 else f * 1.5
    expected = 0.3
    for i in range(5000):
        expected = math.tanh(expected) if i % 2 else expected * 1.5
    assert f(0.3) == pytest.approx(expected, rel=1e-12)
    assert str(f).count("tanh(") == 2500
    assert str(f.expand()) == str(f)
    assert np.isfinite(f.derivative()(0.3))


def test_graph_of_a_function_at_a_point():
    """``f.graph(at=...)`` draws the graph of f at that point: values and gradient on it."""
    A = fn.tanh(1 * fn.x + 0.5).named("A")
    text = (A + 1).graph(at=0.5).to_text()
    # tanh(1·0.5 + 0.5) + 1 = 1.7616; the tanh is drawn inside A's box; d/dx = 1 - tanh²(1).
    assert "data 1.762" in text and "tanh   in A" in text and "grad 0.42" in text


def test_derivative_of_a_tensor_without_grad_has_no_graph():
    """f' at a constant: a plain tensor, as torch's grad would give (not one linked to a
    private leaf); at a tensor that requires grad, differentiable through it."""
    f = fn.parse("tanh(x)")
    d = f.derivative()(tga.tensor([0.5]))
    assert not d.requires_grad and d.grad_fn is None
    x = tga.tensor([0.5], dtype=tga.float64, requires_grad=True)
    f.derivative()(x).sum().backward()
    t = np.tanh(0.5)
    assert x.grad.item() == pytest.approx(-2 * t * (1 - t * t), rel=1e-12)


# -- the graph picture computes as f(number) does ---------------------------------------------


@pytest.mark.parametrize("at", [0.5, 1, [0.5, -1.0]])
def test_graph_at_a_python_number_is_drawn_in_float64_as_f_computes(at):
    model = CLASSIC.graph(at=at).model
    assert model.dtype == "float64"
    (output,) = [n for n in model.nodes if n.kind == "output"]
    np.testing.assert_array_equal(output.data, CLASSIC(at))  # the very float64 values


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_graph_at_an_array_or_tensor_keeps_its_dtype(dtype):
    assert CLASSIC.graph(at=np.array([0.5], dtype=dtype)).model.dtype == np.dtype(dtype).name
    t = tga.tensor(np.array([0.5], dtype=dtype))
    assert CLASSIC.graph(at=t).model.dtype == np.dtype(dtype).name
