"""Custom Functions from torch's tutorials, run unchanged on both libraries.

Each recipe builds the same class on ``lib.autograd.Function`` (lib = tinygrad_acts or torch):
its outputs, first and second derivatives, flags and node names must agree with torch's, and
``gradcheck``/``gradgradcheck`` hold its backward to finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import gradcheck, gradgradcheck

# -- the recipes: the tutorials' code, with lib for torch ------------------------------------------


def legendre(lib):
    """ "Learning PyTorch with Examples": P3(x) = ½(5x³ - 3x), P3'(x) = 1.5(5x² - 1)."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    return LegendrePolynomial3.apply


def my_relu(lib):
    """The older tutorial's ReLU: a mask written into a clone of the gradient."""

    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    return MyReLU.apply


def exp(lib):
    """ "Extending torch.autograd": an Exp that saves its result."""

    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    return Exp.apply


def mul_constant(lib):
    """A non-tensor argument, kept on ctx; its gradient is None."""

    class MulConstant(lib.autograd.Function):
        @staticmethod
        def forward(ctx, tensor, constant):
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    return lambda x: MulConstant.apply(x, 2.5)


def two_outputs(lib):
    """Two outputs, one of them saved: backward gets one gradient per output."""

    class TwoOutputs(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            e = x.exp()
            ctx.save_for_backward(e)
            return x * 2, e

        @staticmethod
        def backward(ctx, grad_double, grad_exp):
            (e,) = ctx.saved_tensors
            return grad_double * 2 + grad_exp * e

    return TwoOutputs.apply


def sort_like(lib):
    """Values and their int indices; the indices marked non-differentiable (and saved)."""

    class Sort(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            indices = lib.tensor(np.argsort(x.detach().numpy(), kind="stable"))
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(indices)
            return x[indices], indices

        @staticmethod
        def backward(ctx, grad_values, grad_indices):
            (indices,) = ctx.saved_tensors
            grad_x = lib.zeros_like(grad_values)
            grad_x[indices] = grad_values
            return grad_x

    return Sort.apply


def linear(lib):
    """ "Extending torch.autograd"'s LinearFunction: needs_input_grad, an optional bias."""

    class LinearFunction(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    weight = lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=lib.float64)
    bias = lib.tensor([0.1, -0.2], dtype=lib.float64)
    return lambda x: LinearFunction.apply(x.reshape(2, 3), weight, bias)


def materialize_off(lib):
    """ "Extending torch.autograd": set_materialize_grads(False), backward handles None."""

    class SimpleFunc(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            ctx.save_for_backward(x)
            return x.clone(), x.clone()

        @staticmethod
        def backward(ctx, g1, g2):
            (x,) = ctx.saved_tensors
            grad_x = lib.zeros_like(x)
            if g1 is not None:
                grad_x = grad_x + g1
            if g2 is not None:
                grad_x = grad_x + g2
            return grad_x

    return SimpleFunc.apply


RECIPES = [legendre, my_relu, exp, mul_constant, two_outputs, sort_like, linear, materialize_off]
VALUES = [0.5, -1.25, 2.0, -0.3, 0.8, 1.1]


def derivatives(lib, recipe):
    """Outputs, their flags, and the first and second derivatives of a weighted sum of them."""
    fn = recipe(lib)
    x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
    out = fn(x)
    outs = out if isinstance(out, tuple) else (out,)
    loss = sum((o * (k + 1.0)).sum() for k, o in enumerate(outs) if o.requires_grad)
    (g,) = lib.autograd.grad(loss, x, create_graph=True)
    g2 = None
    if g.requires_grad:
        (g2,) = lib.autograd.grad((g * g).sum(), x, allow_unused=True)
    return {
        "outputs": [(o.tolist(), str(o.dtype).removeprefix("torch.")) for o in outs],
        "requires_grad": [o.requires_grad for o in outs],
        "grad": (g.tolist(), g.requires_grad),
        "second": None if g2 is None else g2.tolist(),
    }


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.__name__)
def test_a_tutorial_function_runs_unchanged_as_in_torch(recipe, torch):
    ours, theirs = derivatives(tga, recipe), derivatives(torch, recipe)
    assert [d for _, d in ours["outputs"]] == [d for _, d in theirs["outputs"]]
    for (values, _), (expected, _) in zip(ours["outputs"], theirs["outputs"]):
        np.testing.assert_allclose(values, expected, rtol=1e-14, atol=0)
    assert ours["requires_grad"] == theirs["requires_grad"]
    assert ours["grad"][1] == theirs["grad"][1]  # the gradient is itself in a graph, or not
    np.testing.assert_allclose(ours["grad"][0], theirs["grad"][0], rtol=1e-14, atol=1e-15)
    assert (ours["second"] is None) == (theirs["second"] is None)
    if theirs["second"] is not None:
        np.testing.assert_allclose(ours["second"], theirs["second"], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.__name__)
def test_a_tutorial_backward_matches_finite_differences(recipe):
    fn = recipe(tga)
    x = tga.tensor(np.array(VALUES), requires_grad=True)

    def differentiable(t):
        out = fn(t)
        return tuple(o for o in out if o.requires_grad) if isinstance(out, tuple) else out

    assert gradcheck(differentiable, (x,))
    assert gradgradcheck(differentiable, (x,))


@pytest.mark.parametrize(
    ("recipe", "name"),
    [
        (legendre, "LegendrePolynomial3Backward"),
        (exp, "ExpBackward"),
        (linear, "LinearFunctionBackward"),
    ],
)
def test_the_node_is_named_after_the_function_as_torch(recipe, name, torch):
    for lib in (tga, torch):
        x = lib.tensor(VALUES, dtype=lib.float64, requires_grad=True)
        assert recipe(lib)(x).grad_fn.name() == name


def test_the_node_of_the_tutorial_exp_prints_as_torch(torch):
    texts = []
    for lib in (tga, torch):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        texts.append(str(exp(lib)(x)))
    assert texts[0] == texts[1]
