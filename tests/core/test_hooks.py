"""Hooks and retain_grad: a hook registered on a tensor sees its gradient during backward, and
may replace it; ``retain_grad`` keeps a non-leaf's gradient in its ``.grad``. On a leaf, a hook
runs once per pass, on the summed gradient, in torch's order.

Most tests run the same code on both libraries (``lib`` is ``tinygrad_acts`` or ``torch``) and
compare what it returns (``run_on_both.outcome``); some also check hand-worked numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from run_on_both import dtype, linear, outcome

import tinygrad_acts as tga

# -- a hook sees a gradient; retain_grad keeps one -------------------------------------------------


def test_hooks_and_retain_grad():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    u = x * 3
    u.retain_grad()
    u.sum().backward()
    assert u.grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [30.0, 30.0]


def test_register_hook_returns_a_handle_with_remove(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1.0
        leaf = x.register_hook(lambda g: g * 10.0)
        inner = y.register_hook(lambda g: g * 100.0)
        leaf.remove()
        leaf.remove()  # twice is harmless
        inner.remove()
        y.sum().backward()
        return x.grad

    assert outcome(run, tga) == ([1.0, 1.0], "float32")
    assert outcome(run, tga) == outcome(run, torch)
    # As the old docstring promised, calling the handle removes the hook too.
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10.0)()
    x.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_a_handle_removes_its_own_registration_only(torch):
    def run(lib):
        x = lib.tensor([1.0], requires_grad=True)
        calls = []

        def hook(g):
            calls.append(1)

        first = x.register_hook(hook)
        x.register_hook(hook)  # the same function, twice
        first.remove()
        first.remove()  # harmless: the second registration stays
        (x * 2).sum().backward()
        return len(calls)

    assert outcome(run, tga) == outcome(run, torch) == 1


# -- hooks on leaves: once per backward pass, on the summed gradient -------------------------------


def test_a_leaf_hook_runs_once_on_the_summed_gradient(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        calls = []
        x.register_hook(lambda g: (calls.append(g.tolist()), g.clamp(max=4.0))[1])
        (x * 2 + x * 3).sum().backward()
        return calls, x.grad

    # by hand: the gradient is 2 + 3 = 5 everywhere, clamped to 4 (not clamp(2) + clamp(3))
    assert outcome(run, tga) == [[[5.0, 5.0]], ([4.0, 4.0], "float32")]
    assert outcome(run, tga) == outcome(run, torch)


def test_a_shared_weight_hook_runs_once_per_pass(torch):
    def run(lib):
        lin = linear(lib, [[1.0, -2.0], [0.5, 3.0]], [0.1, -0.2])
        calls = []
        lin.weight.register_hook(lambda g: calls.append(g.tolist()))
        lin(lin(lib.tensor([[1.0, 2.0]]))).sum().backward()
        return calls, lin.weight.grad

    ours, theirs = outcome(run, tga), outcome(run, torch)
    assert len(ours[0]) == 1
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    np.testing.assert_allclose(ours[1][0], theirs[1][0], rtol=1e-6)


def test_leaf_hooks_run_in_torchs_order_after_the_last_gradient(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(("x", g.tolist())))
        y = x * 2
        y.register_hook(lambda g: seen.append(("y", g.tolist())))
        (y * 3 + x * 4).sum().backward()
        return seen

    # x's gradient, 3·2 + 4 = 10, is complete only after y's node: its hook runs then, once
    assert outcome(run, tga) == [["y", [3.0, 3.0]], ["x", [10.0, 10.0]]]
    assert outcome(run, tga) == outcome(run, torch)


def test_a_leaf_that_is_an_output_and_reached_by_an_edge_is_hooked_once(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        calls = []
        x.register_hook(lambda g: calls.append(g.tolist()))
        lib.autograd.backward([x, (x * 3).sum()], [lib.tensor([10.0, 20.0]), None])
        return calls, x.grad

    # by hand: the seed [10, 20] and the 3 from x * 3, summed before the hook sees them
    assert outcome(run, tga) == [[[13.0, 23.0]], ([13.0, 23.0], "float32")]
    assert outcome(run, tga) == outcome(run, torch)


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_nonlinear_leaf_hook_in_grad_and_in_a_create_graph_pass(torch, create_graph):
    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=dtype(lib, "float64"), requires_grad=True)
        handle = x.register_hook(lambda g: g * g)
        (g,) = lib.autograd.grad((x * x + x * 3).sum(), x, create_graph=create_graph)
        if not create_graph:
            return [g]
        handle.remove()
        (gg,) = lib.autograd.grad(g.sum(), x)
        return g, gg

    # by hand: the gradient is 2x + 3 = [5, 7], squared once: [25, 49]
    # (squared per use it would be (2x)² + 3² = [13, 25]); its derivative 2(2x + 3)·2 = [20, 28]
    expected = [([25.0, 49.0], "float64"), ([20.0, 28.0], "float64")]
    assert outcome(run, tga) == expected[: 1 + create_graph]
    assert outcome(run, tga) == outcome(run, torch)


def test_what_a_leaf_hook_is_shown_is_no_other_leafs_grad(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = lib.tensor([1.0, 2.0], requires_grad=True)
        store = []
        x.register_hook(lambda g: store.append(g))
        ((x + z) * 3).sum().backward()
        with lib.no_grad():
            z.grad.zero_()
        return store[0]

    assert outcome(run, tga) == outcome(run, torch) == ([3.0, 3.0], "float32")


# -- what hooks and retain_grad may not do, and what they see --------------------------------------


def test_a_hook_may_not_change_the_dtype():
    x = tga.tensor(np.ones(2, np.float32), requires_grad=True)
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="has changed the type of value"):
        (x * 2.0).sum().backward()


def test_retain_grad_on_a_tensor_without_gradient_raises_as_torch(torch):
    for t in (tga.tensor([1.0]), torch.tensor([1.0])):
        with pytest.raises(
            RuntimeError, match="can't retain_grad on Tensor that has requires_grad"
        ):
            t.retain_grad()
    tga.tensor([1.0], requires_grad=True).retain_grad()  # a leaf: nothing to do, no error


def test_retain_grad_sees_the_gradient_after_the_other_hooks(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3.0
        y.retain_grad()
        y.register_hook(lambda g: g * 10.0)
        y.sum().backward()
        return y.grad.tolist(), x.grad.tolist()

    assert run(tga) == run(torch)


def test_retained_and_hooked_gradients_are_not_shared_with_leaves():
    a = tga.tensor(np.ones(3), requires_grad=True)
    y = a + 0.0
    y.retain_grad()
    kept = []
    z = y * 1.0
    z.register_hook(lambda g: kept.append(g))
    (z * 2).sum().backward()
    a.grad.array[...] = 0.0
    assert y.grad.tolist() == [2.0, 2.0, 2.0]
    assert kept[0].tolist() == [2.0, 2.0, 2.0]
