"""A custom op: subclass ``Function``, write ``forward`` and ``backward`` (both on Tensors, as
torch's), call it with ``apply``. The saved tensors are the real inputs and outputs, so the
backward can be differentiated again; a backward that returns the wrong thing is named; and
``gradcheck`` and ``gradgradcheck`` hold a backward to finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import Function, grad, gradcheck, gradgradcheck
from tinygrad_acts.core.function import Function as CoreFunction

# -- writing one: forward, backward, saved tensors -------------------------------------------------


class Cube(Function):
    """x³ with its derivative 3x², written the way a user would."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x


def test_custom_function_first_and_second_derivative():
    x = tga.tensor(np.array([0.5, -2.0]), requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    (g,) = grad(y.sum(), x, create_graph=True)
    assert g.tolist() == [0.75, 12.0]
    (g2,) = grad(g.sum(), x)
    assert g2.tolist() == [3.0, -12.0]
    assert gradcheck(Cube.apply, [x])


class SavesOutput(Function):
    """exp via a saved output: the double backward must see the real output Tensor."""

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


def test_saved_output_is_the_real_output_tensor():
    x = tga.tensor(np.array([0.3]), requires_grad=True)
    (g,) = grad(SavesOutput.apply(x).sum(), x, create_graph=True)
    (g2,) = grad(g.sum(), x)
    assert g2.item() == pytest.approx(np.exp(0.3), rel=1e-15)


class ProductSum(Function):
    """Σ a·b, a 0-d output, saving both inputs and that output."""

    @staticmethod
    def forward(ctx, a, b):
        out = (a * b).sum()
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        # out is the real output Tensor (in the graph); out - out.detach() is 0 but carries
        # out's gradient, so a wrong link shows in the second derivative.
        return grad * b + (out - out.detach()), grad * a


def test_saved_tensors_link_a_non_leaf_input_and_a_0d_output():
    x = tga.tensor(np.array([0.5, -2.0]), requires_grad=True)
    h = x * 3.0  # a non-leaf input: saved, it comes back linked to the node that made it
    b = h.detach().array  # [1.5, -6]
    # With z = out - out.detach() (0, but d z/dx_j = d out/dx_j), g_j = 3·(b_j + z).
    (g,) = grad(ProductSum.apply(h, h.detach()), x, create_graph=True)
    assert g.tolist() == (3 * b).tolist()
    # Only the first argument is in the graph (the second is h.detach()): d/dx_j Σ_k g_k =
    # 3·2·d out/dx_j = 6·3·b_j. Unlinked, out would give 0; a linked second argument, 9 more.
    (g2,) = grad(g.sum(), x)
    assert g2.tolist() == (18 * b).tolist()
    # Both arguments in the graph: g_j = 3·(b_j + z + a_j) = 6·h_j, and
    # d/dx_j Σ_k g_k = 3·(3 + 3) + 3·2·d out/dx_j = 18 + 6·(2·h_j·3).
    h = x * 3.0  # afresh: the last call freed the graph
    (g,) = grad(ProductSum.apply(h, h), x, create_graph=True)
    assert g.tolist() == (6 * b).tolist()
    (g2,) = grad(g.sum(), x)
    assert g2.tolist() == (18 + 36 * b).tolist()


def test_identity_forward_that_saves_its_input_as_torch(torch):
    """A forward returning its input unchanged saved the input (not its output): the second
    derivative of a backward g·x goes through x itself."""

    class Same(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x

    class TorchSame(torch.autograd.Function):
        forward, backward = Same.forward, Same.backward

    values = np.array([2.0, 3.0])
    x, tx = tga.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    (g,) = grad((Same.apply(x * 1.0) * x).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad((TorchSame.apply(tx * 1.0) * tx).sum(), tx, create_graph=True)
    (g2,) = grad(g.sum(), x)
    (tg2,) = torch.autograd.grad(tg.sum(), tx)
    np.testing.assert_array_equal(g.array, tg.detach().numpy())
    np.testing.assert_array_equal(g2.array, tg2.numpy())


# -- a backward that returns the wrong thing -------------------------------------------------------


def test_wrong_number_of_gradients():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = tga.tensor(1.0, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=r"BadBackward returned an incorrect number of "
        r"gradients \(expected 2, got 1\)",
    ):
        Bad.apply(x, x).backward()


@pytest.mark.parametrize("create_graph", [False, True])
def test_trailing_none_gradients_are_dropped_as_torch(create_graph):
    """A backward may return more gradients than inputs when the extra ones are None (torch
    allows it); an extra gradient that is not None is an error."""

    class Product(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b, g * a, None

    class TooMany(Product):
        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b, g * a, g

    a = tga.tensor(np.array([2.0, 3.0]), requires_grad=True)
    b = tga.tensor(np.array([5.0, 7.0]), requires_grad=True)
    ga, gb = grad(Product.apply(a, b).sum(), [a, b], create_graph=create_graph)
    assert ga.tolist() == [5.0, 7.0] and gb.tolist() == [2.0, 3.0]
    with pytest.raises(RuntimeError, match=r"incorrect number of gradients \(expected 2, got 3\)"):
        grad(TooMany.apply(a, b).sum(), [a, b], create_graph=create_graph)


class _TwoInOne(CoreFunction):
    """An op on the core's Function: its rule gets arrays in a first-order pass."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_wrong_backward_is_named_in_both_kinds_of_pass(create_graph):
    class TooFew(_TwoInOne):
        @staticmethod
        def backward(ctx, grad):
            return (grad,)

    x = tga.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewBackward returned an incorrect number of "):
        grad(TooFew.apply(x, x).sum(), x, create_graph=create_graph)


def test_an_op_on_the_core_function_gets_arrays_and_a_custom_function_gets_tensors():
    """One rule for both passes: the package's ops (the core's Function) get plain arrays in a
    first-order pass; torch's custom Function (autograd.Function) always gets Tensors."""
    seen = []

    class Core(_TwoInOne):
        @staticmethod
        def backward(ctx, grad):
            seen.append(type(grad))
            return grad, grad

    class Custom(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2.0

        @staticmethod
        def backward(ctx, grad):
            seen.append(type(grad))
            return grad * 2.0

    x = tga.tensor(np.ones(2), requires_grad=True)
    Core.apply(x, x).sum().backward()
    Custom.apply(x).sum().backward()
    grad(Core.apply(x, x).sum(), x, create_graph=True)
    assert seen == [np.ndarray, tga.Tensor, tga.Tensor]
    assert x.grad.tolist() == [4.0, 4.0]


def test_failing_custom_function_leaves_the_library_usable():
    class Broken(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("my backward is broken")

    x = tga.tensor(np.array([1.0]), requires_grad=True)
    with pytest.raises(ValueError, match="broken"):
        (Broken.apply(x) * 2).sum().backward()
    assert tga.is_grad_enabled()
    (g,) = grad((x * 5).sum(), x)
    assert g.tolist() == [5.0]


# -- checking a backward: gradcheck and gradgradcheck ----------------------------------------------


def test_gradcheck_reports_the_worst_entry():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x  # should be 2x

    x = tga.tensor(np.array([1.0, 3.0]), requires_grad=True)
    with pytest.raises(
        tga.autograd.GradcheckError, match=r"input index \(1,\): analytic 3\.0, numerical 6\.000"
    ):
        gradcheck(Wrong.apply, [x])


def test_gradgradcheck_fails_a_backward_outside_the_graph():
    """A backward computed from .data gives right first derivatives but cannot be
    differentiated: gradgradcheck must say so (it used to pass, checking nothing)."""

    class Opaque(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return tga.tensor(3 * x.array**2 * g.array)

    x = tga.tensor(np.array([0.5, -1.2, 2.0]), requires_grad=True)
    assert gradcheck(Opaque.apply, (x,))
    assert not gradgradcheck(Opaque.apply, (x,), raise_exception=False)
    with pytest.raises(Exception, match="Numerical gradient for function expected to be zero"):
        gradgradcheck(Opaque.apply, (x,))
