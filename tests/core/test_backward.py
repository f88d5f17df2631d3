"""backward(): the chain rule, run from an output back to its leaves.

A leaf's ``.grad`` is the sum over every path to it (a value used twice gets both
contributions), gradients accumulate across calls, and an operand that was broadcast gets its
gradient summed back to its own shape. A pass frees what the graph saved unless
``retain_graph=True``, and refuses a saved value changed in place since. Mistakes get torch's
words. Last, the engine's own limits: no recursion however deep the graph, and an interrupted
pass leaves nothing broken.
"""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_acts as tga
from tinygrad_acts.autograd import gradcheck

# -- one pass: the chain rule, summed over every path ----------------------------------------------


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


# -- gradients accumulate in .grad -----------------------------------------------------------------


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


# -- broadcasting: a gradient is summed back to its operand's shape --------------------------------


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


# -- a pass frees the graph, unless retain_graph=True ----------------------------------------------


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
    ref = weakref.ref(u.array)
    y = u.exp()
    del u
    assert ref() is None
    y.sum().backward()
    assert x.grad.tolist() == (2 * np.exp(2.0) * np.ones(10)).tolist()


def test_saved_tensors_are_freed_after_backward():
    x = tga.tensor(np.ones(10), requires_grad=True)
    y = (x * 2).exp()
    ref = weakref.ref(y.array)
    node = y.grad_fn
    y.sum().backward()
    del y
    assert ref() is None and node._to_save == ()


# -- a value saved for backward and changed in place since is refused ----------------------------


def test_a_saved_value_changed_in_place_is_refused():
    """Exp saved its output e^x for the backward; scaling it in place would make the gradient
    3·e^x. Each tensor counts its in-place changes, each saved value remembers the count it
    was saved at, and the backward refuses a mismatch, in torch's words."""
    x = tga.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()
    with tga.no_grad():
        y.mul_(3)  # writes into y's array: the one Exp saved
    assert y._version == 1
    with pytest.raises(RuntimeError, match="which is output 0 of Exp, is at version 1; expected"):
        y.sum().backward()


def test_a_change_the_backward_does_not_need_is_fine():
    x = tga.tensor([0.5, 1.0], requires_grad=True)
    h = x + 1  # Add needs no value for its backward: it saves nothing
    y = h * 2.0
    with tga.no_grad():
        h.mul_(10)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


# -- mistakes, with torch's words ------------------------------------------------------------------


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


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        tga.ones(2).sum().backward()


# -- the engine: no recursion, and an interruption breaks nothing ----------------------------------


def test_deep_chain_needs_no_recursion():
    """100,000 ops forward and backward at the default recursion limit."""
    assert sys.getrecursionlimit() <= 10_000
    x = tga.tensor(0.5, dtype=tga.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 0.0  # 100,000 ops
    y.backward()
    assert x.grad.item() == 1.0


def test_interrupted_backward_leaves_the_library_usable():
    x = tga.tensor(np.array([1.0, 2.0]), requires_grad=True)
    u = x * 3
    u.register_hook(lambda g: (_ for _ in ()).throw(KeyboardInterrupt))
    y = u.exp().sum()
    node = weakref.ref(y.grad_fn)
    with pytest.raises(KeyboardInterrupt):
        y.backward()
    assert tga.is_grad_enabled()  # the pass's no_grad was undone
    del y, u
    gc.collect()
    assert node() is None  # and what it held is freed
    z = (x * x).sum()
    z.backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_a_gradient_kept_for_a_non_leaf_input_is_not_shared_with_a_leaf():
    """backward(inputs=[h, x]) gives h and x their own arrays: accumulating into x.grad later
    leaves h.grad as it was (torch: h.grad [2, 2, 2], then [4, 4, 4] after a second pass)."""
    x = tga.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x + 0
    y = h * 2
    y.backward(tga.ones(3), inputs=[h, x], retain_graph=True)
    with tga.no_grad():
        x.grad.mul_(10)
    assert h.grad.tolist() == [2.0, 2.0, 2.0]
    y.backward(tga.ones(3), inputs=[h, x])
    assert h.grad.tolist() == [4.0, 4.0, 4.0] and x.grad.tolist() == [22.0, 22.0, 22.0]


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_custom_backward_that_returns_its_inputs_does_not_lend_them_to_grad(create_graph):
    """d(x·w)/dx = w handed back as the saved w itself: x.grad must be a copy, or adding to it
    (a second backward) or zeroing it would change w (torch keeps w = [4, 5, 6])."""

    class Dot(tga.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return (x * w).sum()

        @staticmethod
        def backward(ctx, g):
            x, w = ctx.saved_tensors
            return w, x

    x = tga.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = tga.tensor([4.0, 5.0, 6.0], requires_grad=True)
    y = Dot.apply(x, w)
    y.backward(retain_graph=True, create_graph=create_graph)
    with tga.no_grad():
        x.grad.zero_()
    assert w.tolist() == [4.0, 5.0, 6.0]
    y.backward(create_graph=create_graph)
    assert x.grad.tolist() == [4.0, 5.0, 6.0] and w.grad.tolist() == [2.0, 4.0, 6.0]
    with tga.no_grad():
        x.grad.zero_()
        w.grad.zero_()
    assert x.tolist() == [1.0, 2.0, 3.0] and w.tolist() == [4.0, 5.0, 6.0]
