"""The backward pass: order, accumulation, freeing, higher order, no_grad, memory, errors."""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_acts as tga
from tinygrad_acts.autograd import Function, grad, gradcheck, gradgradcheck, no_grad


def test_deep_chain_needs_no_recursion():
    """100,000 ops forward and backward at the default recursion limit."""
    assert sys.getrecursionlimit() <= 10_000
    x = tga.tensor(0.5, dtype=tga.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 0.0  # 100,000 ops
    y.backward()
    assert x.grad.item() == 1.0


def test_reused_values_accumulate():
    a = tga.tensor(3.0, requires_grad=True)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_diamond_graph():
    x = tga.tensor(2.0, dtype=tga.float64, requires_grad=True)
    u = x * x  # used by two consumers
    y = u.exp() + u * 3
    y.backward()
    assert x.grad.item() == pytest.approx(2 * 2 * (np.exp(4) + 3), rel=1e-15)


def test_leaf_gradients_accumulate_across_calls():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [5.0, 7.0]


def test_leaf_gradients_accumulate_in_place_as_torch(torch):
    """A reference to .grad sees what later passes add (torch's AccumulateGrad adds in place),
    also for a .grad set by hand; a create_graph pass adds out of place (differentiably)."""

    def run(lib, make):
        x = make([1.0, 2.0])
        (x * x).sum().backward()
        first = x.grad
        (x * x).sum().backward()
        y = make([1.0, 2.0])
        y.grad = make([10.0, 10.0]).detach()
        by_hand = y.grad
        (y * y).sum().backward()
        return first is x.grad, first.tolist(), by_hand is y.grad, by_hand.tolist()

    ours = run(tga, lambda v: tga.tensor(np.array(v), requires_grad=True))
    theirs = run(torch, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))
    assert ours == theirs == (True, [4.0, 8.0], True, [12.0, 14.0])
    x = tga.tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    first = x.grad
    (x * x).sum().backward(create_graph=True)
    assert first.tolist() == [2.0, 4.0] and x.grad.tolist() == [4.0, 8.0]
    assert x.grad.grad_fn is not None  # the sum of two differentiable gradients


def test_second_backward_through_freed_graph_raises_torchs_error():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_a_second_pass():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_unsaved_intermediates_are_freed_at_once():
    """exp saves its output, not its input: the array of x * 2 is not kept by the graph."""
    x = tga.tensor(np.ones(10), requires_grad=True)
    u = x * 2
    ref = weakref.ref(u.data)
    y = u.exp()
    del u
    assert ref() is None
    y.sum().backward()
    assert x.grad.tolist() == (2 * np.exp(2.0) * np.ones(10)).tolist()


def test_saved_tensors_are_freed_after_backward():
    x = tga.tensor(np.ones(10), requires_grad=True)
    y = (x * 2).exp()
    ref = weakref.ref(y.data)
    node = y.grad_fn
    y.sum().backward()
    del y
    assert ref() is None and node._to_save == ()


def test_autograd_grad_leaves_dot_grad_untouched():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (gx,) = grad((x * x).sum(), x)
    assert gx.tolist() == [2.0, 4.0] and x.grad is None


def test_grad_of_a_non_leaf_input():
    x = tga.tensor(3.0, dtype=tga.float64, requires_grad=True)
    u = x * 2
    y = u * u
    gu, gx = grad(y, [u, x])
    assert gu.item() == 12.0 and gx.item() == 24.0


def test_unused_input_needs_allow_unused():
    x = tga.tensor(1.0, requires_grad=True)
    z = tga.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        grad(x * 2, [x, z])
    assert grad(x * 2, [x, z], allow_unused=True)[1] is None


def test_derivatives_of_any_order():
    """d^n/dx^n of x^5 at x=2 for n = 1..6, each from the previous with create_graph."""
    x = tga.tensor(2.0, dtype=tga.float64, requires_grad=True)
    y = x**5
    expected = [80.0, 160.0, 240.0, 240.0, 120.0, 0.0]
    for want in expected:
        (y,) = grad(y, x, create_graph=True)
        assert y.item() == want


def test_create_graph_on_backward_gives_differentiable_grad():
    x = tga.tensor(1.5, dtype=tga.float64, requires_grad=True)
    (x.exp() * x).backward(create_graph=True)
    g = x.grad  # (1 + x) e^x, with a graph of its own
    assert g.requires_grad
    (g2,) = grad(g, x)
    assert g2.item() == pytest.approx((2 + 1.5) * np.exp(1.5), rel=1e-14)


def test_no_grad_context_and_decorator():
    x = tga.tensor(1.0, requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None

    @no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert (x * 2).requires_grad
    with no_grad():
        with tga.enable_grad():
            assert (x * 2).requires_grad


def test_no_grad_is_per_thread():
    x = tga.tensor(1.0, requires_grad=True)
    inside = threading.Event()
    done = threading.Event()
    seen = {}

    def other():
        inside.wait()
        seen["other"] = (x * 2).requires_grad  # main thread is inside no_grad now
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with no_grad():
        inside.set()
        done.wait(5)
        seen["main"] = (x * 2).requires_grad
    t.join()
    assert seen == {"other": True, "main": False}


def test_no_cycles_memory_stays_flat_without_gc():
    """Forward+backward steps with the collector off: nothing is left behind.

    The first 2,000 steps warm up caches (NumPy's, the interpreter's); over the next 1,000,
    any per-step leak of even one small object would stay allocated and show.
    """
    import tracemalloc

    w = tga.tensor(np.random.default_rng(0).standard_normal((32, 32)), requires_grad=True)
    x = tga.tensor(np.ones((8, 32)))
    gc.collect()
    gc.disable()
    try:
        for step in range(3000):
            if step == 2000:  # warmed up: from here on, every allocation that stays is counted
                objects = len(gc.get_objects())
                tracemalloc.start()
            y = ((x @ w).exp() * 0.001).sum()
            y.backward()
            w.grad = None
        grown = tracemalloc.get_traced_memory()[0]
        new_objects = len(gc.get_objects()) - objects
        tracemalloc.stop()
    finally:
        gc.enable()
    assert grown < 20_000, f"{grown} bytes stayed allocated over 1,000 steps"  # < 20 B a step
    assert new_objects < 50, f"{new_objects} objects were left behind over 1,000 steps"


def test_graph_is_freed_when_unreferenced():
    x = tga.tensor(np.ones(5), requires_grad=True)
    y = (x * 2).exp()
    ref = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert ref() is None  # by reference counting alone: no cycles
    finally:
        gc.enable()


def test_hooks_and_retain_grad():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    u = x * 3
    u.retain_grad()
    u.sum().backward()
    assert u.grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [30.0, 30.0]


def test_retain_grad_on_a_tensor_without_gradient_raises_as_torch(torch):
    for t in (tga.tensor([1.0]), torch.tensor([1.0])):
        with pytest.raises(
            RuntimeError, match="can't retain_grad on Tensor that has requires_grad"
        ):
            t.retain_grad()
    tga.tensor([1.0], requires_grad=True).retain_grad()  # a leaf: nothing to do, no error


# -- errors, with torch's words ------------------------------------------------------------


def test_non_scalar_backward_needs_gradient():
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (tga.tensor([1.0, 2.0], requires_grad=True) * 2).backward()


def test_gradient_of_wrong_shape():
    y = tga.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(
        RuntimeError,
        match=r"Mismatch in shape: grad_output\[0\] has a shape of "
        r"torch.Size\(\[3\]\) and output\[0\] has a shape of torch.Size\(\[2\]\)",
    ):
        y.backward(tga.tensor([1.0, 1.0, 1.0]))


def test_shapes_that_do_not_broadcast_name_both():
    with pytest.raises(
        RuntimeError,
        match=r"size of tensor a \(3\) must match the size of "
        r"tensor b \(4\).*\(2, 3\) and \(2, 4\)",
    ):
        tga.ones(2, 3) + tga.ones(2, 4)


def test_matmul_shape_mismatch():
    with pytest.raises(
        RuntimeError,
        match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and "
        r"2x3\)",
    ):
        tga.ones(2, 3) @ tga.ones(2, 3)


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        tga.ones(2).sum().backward()


def test_bad_dim():
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of "
        r"\[-2, 1\], but got 2\)",
    ):
        tga.ones(2, 3).sum(dim=2)


# -- a user-defined op ---------------------------------------------------------------------


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
        y = np.exp(x)
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
    """Σ a·b as a NumPy scalar (not an array), saving both inputs and that scalar output."""

    @staticmethod
    def forward(ctx, a, b):
        out = (a * b).sum()  # a np.float64: apply makes it an array
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        # out is the real output Tensor (in the graph); out - out.detach() is 0 but carries
        # out's gradient, so a wrong link shows in the second derivative.
        return grad * b + (out - out.detach()), grad * a


def test_saved_tensors_find_non_leaf_inputs_shared_arrays_and_a_scalar_output():
    x = tga.tensor(np.array([0.5, -2.0]), requires_grad=True)
    h = x * 3.0  # a non-leaf: its array is recognised by the id its node noted
    b = h.detach().data  # [1.5, -6]
    # With z = out - out.detach() (0, but d z/dx_j = d out/dx_j), g_j = 3·(b_j + z).
    (g,) = grad(ProductSum.apply(h, h.detach()), x, create_graph=True)
    assert g.tolist() == (3 * b).tolist()
    # Only the first argument is in the graph (the second shares its array): d/dx_j Σ_k g_k =
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


# -- broadcasting, property-based ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
    op=st.sampled_from(["add", "sub", "mul", "div"]),
    seed=st.integers(0, 2**16),
)
def test_broadcast_gradients_have_operand_shapes(shapes, op, seed):
    rng = np.random.default_rng(seed)
    sa, sb = shapes.input_shapes
    a = tga.tensor(rng.uniform(0.5, 2, sa), requires_grad=True)
    b = tga.tensor(rng.uniform(0.5, 2, sb), requires_grad=True)
    fn = {
        "add": lambda p, q: p + q,
        "sub": lambda p, q: p - q,
        "mul": lambda p, q: p * q,
        "div": lambda p, q: p / q,
    }[op]
    fn(a, b).sum().backward()
    assert a.grad.shape == sa and b.grad.shape == sb
    assert gradcheck(fn, [a, b])


@settings(max_examples=40, deadline=None)
@given(
    batch=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3),
    n=st.integers(1, 3),
    k=st.integers(1, 3),
    m=st.integers(1, 3),
    seed=st.integers(0, 99),
)
def test_matmul_gradients_match_finite_differences(batch, n, k, m, seed):
    rng = np.random.default_rng(seed)
    ba, bb = batch.input_shapes
    a = tga.tensor(rng.standard_normal(ba + (n, k)), requires_grad=True)
    b = tga.tensor(rng.standard_normal(bb + (k, m)), requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    assert gradcheck(lambda p, q: p @ q, [a, b])


def test_grad_of_an_input_listed_twice_as_torch(torch):
    def run(lib, make):
        x = make([1.0, 2.0])
        h = x * 2
        y = (h * x).sum()
        return [g.tolist() for g in lib.autograd.grad(y, [x, h, x, h])]

    ours = run(tga, lambda v: tga.tensor(np.array(v), requires_grad=True))
    theirs = run(torch, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))
    assert ours == theirs == [[4.0, 8.0], [1.0, 2.0], [4.0, 8.0], [1.0, 2.0]]


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
    np.testing.assert_array_equal(g.data, tg.detach().numpy())
    np.testing.assert_array_equal(g2.data, tg2.numpy())


def test_casts_to_integers_leave_the_graph_as_torch():
    x = tga.tensor([1.5, 2.5], requires_grad=True)
    assert not x.to(tga.int64).requires_grad
    (x * x.to(tga.int64)).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0]


def test_autograd_argument_checks_in_torch_words():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        (x * 2).sum().backward(inputs=[])
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        grad((x * 2).sum(), x, allow_unused=False, materialize_grads=True)


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
            return tga.tensor(3 * x.data**2 * g.data)

    x = tga.tensor(np.array([0.5, -1.2, 2.0]), requires_grad=True)
    assert gradcheck(Opaque.apply, (x,))
    assert not gradgradcheck(Opaque.apply, (x,), raise_exception=False)
    with pytest.raises(Exception, match="Numerical gradient for function expected to be zero"):
        gradgradcheck(Opaque.apply, (x,))
