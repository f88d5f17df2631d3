"""fn.lift: a custom autograd.Function, or any Tensor → Tensor callable, as an fn function.

A lifted function composes, differentiates (through its own backward), plots, parses by name and
is drawn as a box. Values and derivatives are checked against torch running the same custom
Function (torch.autograd.Function with the same forward and backward), or against numbers worked
out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import autograd, fn
from tinygrad_acts.autograd.function import once_differentiable
from tinygrad_acts.nn import functional as F

POINTS = np.array([-1.5, -0.4, 0.0, 0.3, 1.2])


class Cube(autograd.Function):
    """x³, with a backward in Tensor ops: differentiable again, to any order."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t * t

    @staticmethod
    def backward(ctx, g):
        (t,) = ctx.saved_tensors
        return 3 * t * t * g


class CubeOnce(autograd.Function):
    """x³ again, but its backward is marked @once_differentiable."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t * t

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (t,) = ctx.saved_tensors
        return 3 * t * t * g


class NoBackward(autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return 2 * t


def torch_cube(torch):
    """The same custom Function, written for torch."""

    class TorchCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t * t * t

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return 3 * t * t * g

    return TorchCube


def torch_derivatives(torch, f, points, orders):
    """f, f', ... at ``points`` by torch.autograd.grad with create_graph."""
    t = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    y = f(t)
    out = [y.detach().numpy()]
    for _ in range(orders):
        (y,) = torch.autograd.grad(y, t, torch.ones_like(y), create_graph=True)
        out.append(y.detach().numpy())
    return out


# -- lifting ----------------------------------------------------------------------------------


def test_a_function_class_and_its_apply_lift_to_the_same_function():
    by_class = fn.lift(Cube)
    by_apply = fn.lift(Cube.apply)
    assert str(by_class) == str(by_apply) == "Cube(x)"
    assert str(fn.lift(Cube, name="cube")) == "cube(x)"
    np.testing.assert_array_equal(by_class(POINTS), POINTS * POINTS * POINTS)
    np.testing.assert_array_equal(by_apply(POINTS), POINTS * POINTS * POINTS)


def test_a_named_python_function_brings_its_name_and_a_lambda_needs_one():
    def softly(t):
        return t / (1 + t.abs())

    assert str(fn.lift(softly)) == "softly(x)"
    assert fn.lift(softly)(3.0) == 0.75
    with pytest.raises(ValueError, match=r"name='g'"):
        fn.lift(lambda t: t * 2)
    assert fn.lift(lambda t: t * 2, name="double")(0.25) == 0.5


@pytest.mark.parametrize(
    "function, name, error, words",
    [
        (lambda t: t.cumsum(0), "running", ValueError, "not elementwise"),
        (lambda t: 3.0, "three", TypeError, "returned a float"),
        (lambda t: t.sum(), "total", TypeError, "shape ()"),
        (lambda t: t.nonsense(), "broken", TypeError, "raised AttributeError"),
        (Cube, "tanh", ValueError, "already means something"),
        (Cube, "pi", ValueError, "already means something"),
        (Cube, "x", ValueError, "already means something"),
        (Cube, "two words", ValueError, "identifier"),
        (fn.tanh, None, TypeError, "already an fn function"),
        (int, None, TypeError, "not an autograd.Function"),
        (2.5, "two", TypeError, "callable"),
    ],
)
def test_what_cannot_be_lifted_is_refused_where_it_is_lifted(function, name, error, words):
    with pytest.raises(error, match=None) as caught:
        fn.lift(function, name=name)
    assert words in str(caught.value)


# -- values and derivatives against torch -----------------------------------------------------


def test_a_lifted_function_composes_and_matches_torch_to_the_third_derivative(torch):
    cube = fn.lift(Cube)
    f = fn.tanh(cube(0.5 * fn.x) + 1)
    assert str(f) == "tanh(Cube(0.5*x) + 1)"
    TorchCube = torch_cube(torch)
    expected = torch_derivatives(
        torch, lambda t: torch.tanh(TorchCube.apply(0.5 * t) + 1), POINTS, 3
    )
    for n in range(4):
        np.testing.assert_allclose(f.derivative(n)(POINTS), expected[n], rtol=1e-12, atol=1e-14)


def test_derivatives_of_a_lifted_cube_by_hand():
    cube = fn.lift(Cube)
    # x³, 3x², 6x, 6, 0 at x = 0.5
    assert [cube.derivative(n)(0.5) for n in range(5)] == [0.125, 0.75, 3.0, 6.0, 0.0]


def test_gradients_flow_through_a_lifted_function_as_through_torch(torch):
    cube = fn.lift(Cube)
    f = fn.sin(cube) * fn.x
    t = tga.tensor(POINTS, requires_grad=True)
    f(t).sum().backward()
    tt = torch.tensor(POINTS, requires_grad=True)
    (torch.sin(torch_cube(torch).apply(tt)) * tt).sum().backward()
    np.testing.assert_allclose(t.grad.array, tt.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_a_lifted_python_function_differentiates_like_the_activation_it_writes():
    swish = fn.lift(lambda t: t * t.sigmoid(), name="swish")
    for n in range(3):
        np.testing.assert_allclose(
            swish.derivative(n)(POINTS), fn.silu.derivative(n)(POINTS), rtol=1e-12, atol=1e-15
        )


def test_a_lifted_function_of_parameters_passes_their_gradient_on(torch):
    w = tga.tensor(2.0, dtype=tga.float64, requires_grad=True)
    scaled = fn.lift(lambda t: F.tanh(w * t), name="scaled")
    t = tga.tensor(POINTS, requires_grad=True)
    scaled.derivative()(t).sum().backward()
    wt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    tt = torch.tensor(POINTS, requires_grad=True)
    y = torch.tanh(wt * tt)
    (g,) = torch.autograd.grad(y, tt, torch.ones_like(y), create_graph=True)
    g.sum().backward()
    np.testing.assert_allclose(w.grad.item(), wt.grad.item(), rtol=1e-13)
    np.testing.assert_allclose(t.grad.array, tt.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_once_differentiable_gives_f_prime_and_a_clear_error_for_f_second():
    once = fn.lift(CubeOnce)
    np.testing.assert_allclose(once.derivative()(POINTS), 3 * POINTS**2, rtol=1e-15)
    with pytest.raises(RuntimeError) as caught:
        fn.tanh(once).derivative(2)(0.5)
    message = str(caught.value)
    assert message.startswith("the second derivative of tanh(CubeOnce(x)) cannot be computed")
    assert "does not lead back to x" in message and "@once_differentiable" in message


def test_a_function_without_backward_says_which_derivative_failed():
    with pytest.raises(RuntimeError, match="the first derivative of NoBackward") as caught:
        fn.lift(NoBackward).derivative()(0.5)
    assert "You must implement either the backward" in str(caught.value)
    assert fn.lift(NoBackward)(0.5) == 1.0  # its values need no backward


def test_piecewise_linear_lifted_functions_still_have_a_zero_second_derivative():
    # relu's f' is a step: its f'' is 0, and that is no "cut-off graph"
    relu = fn.lift(F.relu, name="R")
    assert relu.derivative(2)([-0.5, 0.5]).tolist() == [0.0, 0.0]
    assert fn.lift(lambda t: t.round(), name="rnd").derivative(2)(0.4) == 0.0


# -- parsed by name, printed, drawn, plotted --------------------------------------------------


def test_a_lifted_function_parses_by_name_and_reads_back():
    cube = fn.lift(Cube)
    f = fn.parse("2*Cube(x - 1) + Cube", Cube=cube)
    assert str(f) == "2*Cube(x - 1) + Cube(x)"
    np.testing.assert_allclose(f(POINTS), 2 * (POINTS - 1) ** 3 + POINTS**3, rtol=1e-15)
    again = fn.parse(str(f), Cube=cube)
    np.testing.assert_array_equal(again(POINTS), f(POINTS))


def test_parse_lifts_a_callable_under_its_keyword():
    f = fn.parse("c(x) + 1", c=Cube)  # the class itself, named by the keyword
    assert str(f) == "c(x) + 1"
    assert f(2.0) == 9.0
    g = fn.parse("s(x)", s=lambda t: t * 3)
    assert g(0.5) == 1.5


def test_a_lifted_function_is_drawn_as_a_box_of_its_name():
    model = (fn.lift(Cube)(fn.tanh(fn.x)) + 1).graph(at=0.5).model
    scopes = {node.scope for node in model.nodes}
    assert ("Cube",) in scopes
    assert [n.title for n in model.nodes if n.scope == ("Cube",)]  # the cube's op is in it
    inside = [n for n in model.nodes if n.scope == ("Cube",)]
    assert any(float(n.data) == pytest.approx(math.tanh(0.5) ** 3, rel=1e-15) for n in inside)


def test_a_lifted_function_is_plotted_with_its_derivatives(torch):
    from tinygrad_acts import plot

    x = np.linspace(-1, 1, 21)
    fig = plot.curves([fn.lift(Cube)], x, derivatives=(0, 1, 2))
    lines = {
        line.get_label(): line.get_ydata()
        for line in fig.axes[0].get_lines()
        if line.get_label() in ("f", "f'", "f''")
    }
    np.testing.assert_allclose(lines["f"], x**3, atol=1e-15)
    np.testing.assert_allclose(lines["f'"], 3 * x**2, atol=1e-15)
    np.testing.assert_allclose(lines["f''"], 6 * x, atol=1e-14)
