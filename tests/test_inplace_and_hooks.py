"""In-place arithmetic (``-=``, ``add_``, ``w.data -= ...``) and hooks on leaves, against torch.

Each test runs the same code on both libraries (``lib`` is ``tinygrad_acts`` or ``torch``) and
compares what it returns, error messages included; some also check hand-worked numbers.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga


def outcome(fn: Any, lib: Any) -> Any:
    """What ``fn(lib)`` gives, as plain Python values, or its error as ``"Type: message"``."""
    try:
        return plain(fn(lib))
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, tga.Tensor) or type(value).__module__.startswith("torch"):
        return value.tolist(), str(value.dtype).removeprefix("torch.")
    return value


def dtype(lib: Any, name: str) -> Any:
    return getattr(lib, name) if lib is not tga else np.dtype(name)


def linear(lib: Any, weight: list[list[float]], bias: list[float]) -> Any:
    lin = lib.nn.Linear(len(weight[0]), len(weight))
    lin.weight.data = lib.tensor(weight).data
    lin.bias.data = lib.tensor(bias).data
    return lin


# -- hooks on leaves: once per backward pass, on the summed gradient ---------------------------


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


# -- register_hook returns a handle ------------------------------------------------------------


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


# -- in-place operators ------------------------------------------------------------------------


def test_the_hand_written_sgd_step_updates_the_parameters(torch):
    def run(lib):
        lin = linear(lib, [[1.0, -1.0]], [0.5])
        weight = lin.weight
        for _ in range(2):
            lin(lib.tensor([[1.0, 2.0]])).sum().backward()
            with lib.no_grad():
                for p in lin.parameters():
                    p -= 0.5 * p.grad
                    p.grad = None
        return lin.weight, lin.bias, lin.weight is weight, weight.is_leaf, weight.requires_grad

    # by hand: the gradients are x = [1, 2] and 1, twice: w = [1, -1] - 2·0.5·[1, 2], b = 0.5 - 1
    expected = [([[0.0, -3.0]], "float32"), ([-0.5], "float32"), True, True, True]
    assert outcome(run, tga) == expected
    assert outcome(run, torch) == expected


def test_in_place_ops_write_into_the_tensor_and_return_it(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0])
        alias, view = x, x.detach()
        results = [x.add_(lib.tensor([1.0, 1.0]), alpha=2), x.sub_(1, alpha=3)]
        results += [x.mul_(4), x.div_(2)]
        x += 1
        x -= lib.tensor(0.5)
        x *= lib.tensor([2.0, 1.0])
        x /= 2
        same = [r is x for r in results] + [alias is x]
        return x, view, same, lib.tensor([1.0, float("nan")]).zero_()

    # by hand: [1, 2] + 2 = [3, 4]; - 3 = [0, 1]; · 4 = [0, 4]; / 2 = [0, 2]; then
    # + 1 - 0.5 = [0.5, 2.5]; · [2, 1] = [1, 2.5]; / 2 = [0.5, 1.25]
    expected = [
        ([0.5, 1.25], "float32"),
        ([0.5, 1.25], "float32"),
        [True] * 5,
        ([0.0, 0.0], "float32"),
    ]
    assert outcome(run, tga) == expected
    assert outcome(run, torch) == expected


def test_power_in_place_as_torch(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0])
        alias = x
        x **= 2
        n = lib.tensor([1, 2, 3])
        n.pow_(2)
        h = lib.tensor([2.0, 3.0], requires_grad=True)
        y = h * 1
        y **= 3  # recorded: d/dh h³ = 3h²
        y.sum().backward()
        return alias is x, x, n, h.grad, outcome(lambda lib: n.pow_(0.5), lib)

    expected = [
        True,
        ([1.0, 4.0, 9.0], "float32"),
        ([1, 4, 9], "int64"),
        ([12.0, 27.0], "float32"),
        "RuntimeError: result type Float can't be cast to the desired output type Long",
    ]
    assert outcome(run, tga) == expected
    assert outcome(run, torch) == expected


def test_in_place_keeps_the_dtype_as_torch(torch):
    def run(lib):
        a = lib.tensor([1, 2], dtype=dtype(lib, "int32"))
        a += lib.tensor([1, 2])  # int64 into int32
        b = lib.tensor([1, 2], dtype=dtype(lib, "uint8"))
        b -= lib.tensor([3, 1])  # wraps around, as torch
        c = lib.tensor([1.0, 2.0])
        c += lib.tensor([0.1, 0.2], dtype=dtype(lib, "float64"))  # computed in float64
        d = lib.tensor([1.0, 2.0], dtype=dtype(lib, "float16"))
        d += lib.tensor(1e-3, dtype=dtype(lib, "float64"))  # a 0-d tensor: computed in float16
        e = lib.tensor([True, False])
        e *= True
        return a, b, c, d, e

    assert outcome(run, tga) == outcome(run, torch)
    assert outcome(run, tga)[1] == ([254, 1], "uint8")


def in_place_on_a_leaf(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x += lib.ones(2, 3)  # also the wrong shape: the leaf is reported first, as torch


def leaf_sub_(lib):
    lib.tensor([1.0], requires_grad=True).sub_(1.0)


def leaf_zero_(lib):
    lib.tensor([1.0], requires_grad=True).zero_()


def wrong_shape(lib):
    x = lib.tensor([1.0, 2.0, 3.0])
    x += lib.ones(2, 3)


def wrong_shape_in_a_graph(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2
    x *= lib.ones(2, 3)


def wrong_shape_before_dtype(lib):
    x = lib.tensor([1, 2, 3])
    x.add_(lib.ones(2, 3), alpha=1.5)


def zero_d_broadcast(lib):
    x = lib.tensor(2.0)
    x *= lib.ones(2)


def float_into_long(lib):
    x = lib.tensor([1, 2])
    x += 1.5


def integer_division(lib):
    x = lib.tensor([1, 2])
    x /= 2


def long_into_bool(lib):
    x = lib.tensor([True, False])
    x += 1


def float_into_long_in_a_graph(lib):
    x = lib.tensor([1, 2])
    x += lib.tensor([1.0, 1.0], requires_grad=True)


def float_alpha_for_integers(lib):
    lib.tensor([1, 2]).add_(lib.tensor([1, 1]), alpha=1.5)


def bool_alpha(lib):
    lib.tensor([1.0, 2.0]).sub_(lib.tensor([1.0, 1.0]), alpha=True)


@pytest.mark.parametrize(
    "case",
    [
        in_place_on_a_leaf,
        leaf_sub_,
        leaf_zero_,
        wrong_shape,
        wrong_shape_in_a_graph,
        wrong_shape_before_dtype,
        zero_d_broadcast,
        float_into_long,
        integer_division,
        long_into_bool,
        float_into_long_in_a_graph,
        float_alpha_for_integers,
        bool_alpha,
    ],
)
def test_in_place_errors_have_torchs_words(torch, case):
    ours, theirs = outcome(case, tga), outcome(case, torch)
    assert ours.startswith("RuntimeError: ")
    assert ours == theirs


def test_in_place_in_a_recorded_graph(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        alias = y
        y.retain_grad()  # follows y to its new value, as in torch
        seen = []
        y.register_hook(lambda g: seen.append(g.tolist()))  # stays with the old value
        y *= 3
        y += 1
        w = lib.tensor([1.0, -1.0], requires_grad=True)
        acc = lib.zeros(2)  # a constant that becomes part of the graph
        for _ in range(3):
            acc += w * x
        (y.sum() + acc.sum()).backward()
        return y, alias is y, y.is_leaf, y.grad, seen, x.grad, w.grad, acc, acc.is_leaf

    # by hand: y = 3·2x + 1 = [7, 13]; dy/dx = 6; acc = 3wx, d/dx = 3w, d/dw = 3x
    expected = [
        ([7.0, 13.0], "float32"),
        True,
        False,
        ([1.0, 1.0], "float32"),
        [[3.0, 3.0]],
        ([9.0, 3.0], "float32"),
        ([3.0, 6.0], "float32"),
        ([3.0, -6.0], "float32"),
        False,
    ]
    assert outcome(run, tga) == expected
    assert outcome(run, torch) == expected


def test_in_place_under_no_grad_and_zero_in_a_graph(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1.0
        with lib.no_grad():
            y.add_(1)  # in place, y stays in the graph
        z = x * 1e38 * 1e38  # inf in float32
        z.zero_()  # zeros (not inf * 0 = nan), with a zero gradient
        (y.sum() + z.sum()).backward()
        return y, y.requires_grad, z, x.grad

    expected = [([2.0, 3.0], "float32"), True, ([0.0, 0.0], "float32"), ([1.0, 1.0], "float32")]
    assert outcome(run, tga) == expected
    assert outcome(run, torch) == expected


# -- w.data -= ...: NumPy's in-place operator with a Tensor operand ---------------------------


def test_data_isub_updates_the_array_in_place(torch):
    def run(lib):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        for _ in range(3):
            (w * w).sum().backward()
            w.data -= 0.1 * w.grad  # the old torch idiom for an update outside the graph
            w.grad = None
        return w, w.is_leaf

    ours = outcome(run, tga)
    # by hand: each step multiplies w by 1 - 0.1·2 = 0.8
    np.testing.assert_allclose(ours[0][0], [0.512, -1.024], rtol=1e-6)
    assert ours == outcome(run, torch)
    # .data is still the array it was, changed in place
    w = tga.tensor([1.0, -2.0], requires_grad=True)
    array = w.data
    w.data -= tga.tensor([0.5, 0.5])
    assert w.data is array and array.tolist() == [0.5, -2.5]


def test_numpy_with_tensors_elsewhere_is_unchanged():
    """Beside ``array -= tensor``: ``array <op> tensor`` stays a Tensor in the graph (the
    Tensor's reflected operator), other ufuncs give arrays, and a Tensor is no ufunc's ``out``."""
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    a = np.array([3.0, 4.0], dtype=np.float32)
    a += x.detach()
    assert type(a) is np.ndarray and a.tolist() == [4.0, 6.0]
    y = a * x - a / x + a**x + np.float32(2.0) * x
    assert isinstance(y, tga.Tensor) and y.requires_grad
    y.sum().backward()
    by_hand = a + a / x.data**2 + a**x.data * np.log(a) + 2.0
    np.testing.assert_allclose(x.grad.numpy(), by_hand, rtol=1e-6)
    assert isinstance(a < x, tga.Tensor) and (a < x).tolist() == [False, False]
    assert isinstance(a @ x, tga.Tensor) and (a @ x).item() == 16.0
    assert type(np.exp(x.detach())) is np.ndarray
    with pytest.raises(TypeError):
        np.add(a, a, out=x)


@pytest.mark.parametrize(
    "call",
    [
        lambda a, t: np.exp(t),
        lambda a, t: np.asarray(t),
        lambda a, t: np.add(a, t, out=(a,)),
        lambda a, t: np.maximum(a, t),
    ],
    ids=["exp", "asarray", "add-out", "maximum"],
)
def test_numpy_refuses_a_tensor_that_requires_grad_as_torch(call, torch):
    """It would leave the graph without a word (np.exp(x) was an array whose gradient was
    silently lost): torch's error, which names the way out."""
    assert_same_error(
        lambda lib: call(np.ones(2, dtype=np.float32), lib.tensor([1.0, 2.0], requires_grad=True)),
        torch,
    )


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


def test_a_create_graph_grad_is_not_a_view_of_the_callers_gradient(torch):
    def run(lib):
        seed = np.ones((2, 2), dtype=np.float32)
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        with warnings.catch_warnings():  # torch warns of the .grad reference cycle
            warnings.simplefilter("ignore")
            shared = tga.Tensor(seed) if lib is tga else lib.from_numpy(seed)  # no copy
            x.reshape(2, 2).backward(shared, create_graph=True)
        with lib.no_grad():
            x.grad.mul_(0.5)
        return seed.tolist(), x.grad

    assert outcome(run, tga) == outcome(run, torch)
    assert outcome(run, tga)[0] == [[1.0, 1.0], [1.0, 1.0]]


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


# -- in place on views ---------------------------------------------------------------------

_A0 = [[-1.0, 2.0], [3.0, -4.0]]


@pytest.mark.parametrize(
    "view",
    [lambda a: a[0], lambda a: a.T, lambda a: a.reshape(4), lambda a: a[:, 1:]],
    ids=["index", "T", "reshape", "slice"],
)
@pytest.mark.parametrize("inplace", ["relu", "add_"])
def test_in_place_on_a_view_of_a_leaf_refused_as_torch(view, inplace, torch):
    def call(lib):
        v = view(lib.tensor(_A0, requires_grad=True))
        return lib.nn.functional.relu(v, inplace=True) if inplace == "relu" else v.add_(1.0)

    assert_same_error(call, torch)


@pytest.mark.parametrize("view", [lambda h: h[0], lambda h: h[:, ::-1], lambda h: h[1, 0]])
def test_in_place_on_a_part_of_a_tensor_inside_a_graph_refused(view):
    """torch writes into the base and rewrites its history; recorded out of place here, the
    base would silently keep its old value (relu of h[0] left h[0] at -1): refused instead."""
    h = tga.tensor(_A0, requires_grad=True) * 1.0
    with pytest.raises(RuntimeError, match="recorded on a view of another tensor"):
        tga.nn.functional.relu(view(h), inplace=True)
    with pytest.raises(RuntimeError, match="recorded on a view of another tensor"):
        view(h).mul_(2.0)
    assert h.tolist() == _A0
    base = tga.zeros(3)  # a view without grad, changed by a tensor with it: the same
    with pytest.raises(RuntimeError, match="recorded on a view of another tensor"):
        base[1:].add_(tga.ones(2, requires_grad=True))


def _whole_view_in_place(lib, view):
    a = lib.tensor(_A0, requires_grad=True)
    h = a * 2.0
    v = view(h)
    v.mul_(3.0)  # (neither saves what the next changes: torch's version check stays quiet)
    v.add_(-2.0)
    w = view(h * 1.0)
    lib.nn.functional.relu(w, inplace=True)
    (h * h).sum().backward()
    return h.tolist(), v.tolist(), a.grad.tolist()


@pytest.mark.parametrize(
    "view",
    [
        lambda h: h.T,
        lambda h: h.reshape(4),
        lambda h: h.transpose(0, 1),
        lambda h: h.permute(1, 0),
        lambda h: h.unsqueeze(0),
        lambda h: h.reshape(4).reshape(2, 2).T,  # through views no one holds
        lambda h: h.flatten(),
    ],
)
def test_in_place_on_a_view_of_a_whole_tensor_changes_the_base_as_torch(view, torch):
    """A view of all of its base (reshape, transpose, permute): the base takes the new value
    and its gradient, as torch's rewritten history gives."""
    assert _whole_view_in_place(tga, view) == _whole_view_in_place(torch, view)


def test_flatten_then_an_in_place_relu_trains_as_torch(torch):
    """nn.Flatten() then nn.ReLU(inplace=True): a view of a tensor no one holds any more."""
    rng = np.random.default_rng(0)
    w, b, x = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal((2, 3))
    grads = []
    for lib in (tga, torch):
        linear = lib.nn.Linear(3, 4).double()
        for p, value in ((linear.weight, w), (linear.bias, b)):
            p.data[...] = value if lib is tga else torch.tensor(value)
        model = lib.nn.Sequential(linear, lib.nn.Flatten(), lib.nn.ReLU(inplace=True))
        model(lib.tensor(x)).sum().backward()
        grads.append(np.asarray(linear.weight.grad.tolist()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_in_place_on_a_copy_made_by_index_arrays_is_recorded(torch):
    """Index arrays copy (in torch too): in place on the copy is an ordinary recorded op."""
    results = []
    for lib in (tga, torch):
        a = lib.tensor(_A0, requires_grad=True)
        h = a * 1.0
        c = lib.nn.functional.relu(h[[1, 0]], inplace=True)
        (c * c).sum().backward()
        results.append((h.tolist(), c.tolist(), a.grad.tolist()))
    assert results[0] == results[1]
    assert results[0][2] == [[0.0, 4.0], [6.0, 0.0]]  # 2·relu(h) where h > 0


def test_in_place_on_a_view_without_grad_writes_into_the_base(torch):
    for lib in (tga, torch):
        a = lib.tensor(_A0, requires_grad=True)
        with lib.no_grad():
            lib.nn.functional.relu(a[0], inplace=True)
            a.T[1].add_(10.0)
        assert a.tolist() == [[0.0, 12.0], [3.0, 6.0]]


@pytest.mark.parametrize("inplace", ["relu", "add_"])
def test_in_place_on_an_expanded_tensor_refused_as_torch(inplace, torch):
    def call(lib):
        e = lib.tensor([-1.0]).expand(3)
        return lib.nn.functional.relu(e, inplace=True) if inplace == "relu" else e.add_(1.0)

    assert_same_error(call, torch)


_IN_PLACE_METHODS = [
    ("exp_", ()),
    ("log_", ()),
    ("sqrt_", ()),
    ("abs_", ()),
    ("neg_", ()),
    ("clamp_", (-1.0, 1.0)),
    ("relu_", ()),
    ("sigmoid_", ()),
    ("tanh_", ()),
]


@pytest.mark.parametrize("name, args", _IN_PLACE_METHODS, ids=[n for n, _ in _IN_PLACE_METHODS])
def test_in_place_methods_as_torch(name, args, torch):
    """x.relu_() and the rest: the same object back, torch's values and gradients inside a
    graph, torch's refusal on a leaf that requires grad, and a plain write under no_grad."""

    def in_graph(lib):
        a = lib.tensor([[1.5, 0.25], [2.0, 0.5]], dtype=lib.float64, requires_grad=True)
        h = a * (-1.5 if name in ("abs_", "neg_", "relu_", "clamp_") else 1.5)
        assert getattr(h, name)(*args) is h
        (h * h).sum().backward()
        return h.tolist(), a.grad.tolist()

    ours, theirs = in_graph(tga), in_graph(torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-15)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-14)
    assert_same_error(
        lambda lib: getattr(lib.tensor([0.5], requires_grad=True), name)(*args), torch
    )
    results = []
    for lib in (tga, torch):
        a = lib.tensor([0.5, 2.0], requires_grad=True)
        with lib.no_grad():
            getattr(a, name)(*args)
        results.append(a.tolist())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-7)


def test_an_element_is_a_view_as_torch(torch):
    """x[0] of a vector is a 0-d view in torch, so x[0].mul_(5) changes x (NumPy's x[0] is a
    copy: the change was lost)."""
    for lib in (tga, torch):
        w = lib.tensor([1.0, 2.0])
        w[0].mul_(5.0)
        m = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        m[1, 0].add_(10.0)
        assert w.tolist() == [5.0, 2.0] and m.tolist() == [[1.0, 2.0], [13.0, 4.0]]
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (x[1] * 3.0).backward()
    assert x.grad.tolist() == [0.0, 3.0]


def test_in_place_on_an_expand_that_repeats_nothing_as_torch(torch):
    """expand to the same shape or with new axes of 1 repeats no element: it may change in
    place, and its base sees it; an expand to no elements is a no-op."""
    for lib in (tga, torch):
        t = lib.tensor([[1.0, 2.0]])
        t.expand(1, 2).add_(1.0)
        t.expand(1, 1, 2).mul_(2.0)
        empty = lib.zeros(3, 1).expand(3, 0)
        empty.add_(1.0)
        assert t.tolist() == [[4.0, 6.0]] and list(empty.shape) == [3, 0]


_X = [[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]
_W = [[0.5, 1.5, -2.0], [3.0, 0.25, -1.0]]


def _stale_through_base(lib):
    a = lib.tensor(_X, requires_grad=True) * 1.0
    v = a.view(6)
    a.mul_(2.0)
    v.add_(1.0)


def _stale_through_sibling(lib):
    a = lib.tensor(_X, requires_grad=True) * 1.0
    v1, v2 = a.reshape(6), a.T
    v1.mul_(2.0)
    v2.add_(1.0)


def _stale_without_grad(lib):
    a = lib.tensor(_X, requires_grad=True) * 1.0
    v = a.T
    a.mul_(2.0)
    with lib.no_grad():
        v.zero_()


@pytest.mark.parametrize("case", [_stale_through_base, _stale_through_sibling, _stale_without_grad])
def test_in_place_on_a_view_taken_before_its_base_changed_is_refused(case):
    """torch's view would see the base's change; here it still holds the old values, and
    writing them back would undo the change (x.grad came out W instead of 2W): refused."""
    with pytest.raises(RuntimeError, match="taken before its base changed in place"):
        case(tga)


@pytest.mark.parametrize(
    "ops",
    [
        lambda a: (a.T.mul_(2.0), None),
        lambda a: (a.reshape(6).reshape(3, 2).mul_(2.0), None),
        lambda a: (lambda b: (b.reshape(3, 2).mul_(2.0), b.add_(1.0)))(a.reshape(6)),
    ],
)
def test_views_in_place_one_after_another_as_torch(ops, torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor(_X, requires_grad=True)
        a = x * 1.0
        ops(a)
        (a * lib.tensor(_W)).sum().backward()
        results.append((a.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def _set_numbers(lib):
    a = lib.tensor([1.0, 2.0, 3.0])
    a[0] = 5.0
    a[1:] = lib.tensor([7.0, 8.0])
    a[[0, 2]] = lib.tensor([9.0, 6.0])
    i = lib.tensor([1, 2, 3])
    i[0] = 2.7  # truncated into the integers
    return a.tolist(), i.tolist()


def _set_in_a_graph(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = lib.tensor([10.0, 20.0], requires_grad=True)
    h = x * 2
    h[0] = w * 3
    h[:, 1] = 0.5
    h[1, 0] = h[0, 0] * 2
    (h * lib.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return h.tolist(), x.grad.tolist(), w.grad.tolist()


def _set_into_constants(lib):
    z = lib.zeros(2, 3)
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    z[0] = x
    (z * z).sum().backward()
    return z.tolist(), x.grad.tolist(), z.requires_grad


def _set_without_grad(lib):
    x = lib.tensor([1.0, 2.0, 3.0])
    with lib.no_grad():
        x[2] += 1
        x[0:2] *= 2
    return x.tolist()


@pytest.mark.parametrize(
    "case", [_set_numbers, _set_in_a_graph, _set_into_constants, _set_without_grad]
)
def test_item_assignment_as_torch(case, torch):
    """x[index] = value: written in place; in a graph recorded (IndexPut), the overwritten
    places get no gradient and value gets theirs; x[i] += 1 without grad works."""
    assert case(tga) == case(torch)


def test_item_assignment_mistakes_as_torch(torch):
    leaf = lambda lib: lib.tensor([1.0, 2.0], requires_grad=True)  # noqa: E731
    assert_same_error(lambda lib: leaf(lib).__setitem__(0, 5.0), torch)
    assert_same_error(lambda lib: lib.tensor([1.0, 2.0]).__setitem__(5, 1.0), torch, IndexError)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        tga.tensor([1.0, 2.0])[0] = tga.tensor([1.0, 2.0])


def test_item_assignment_second_derivative():
    x = tga.tensor([0.5, -1.0, 2.0], dtype=tga.float64, requires_grad=True)

    def f(t):
        h = t * t
        h[1] = t[0] * t[2] * 3.0
        return h

    assert tga.autograd.gradcheck(f, [x]) and tga.autograd.gradgradcheck(f, [x])


def test_in_place_on_an_expand_of_a_held_tensor_that_repeats_nothing_as_torch(torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        a = x * 1.0
        a.expand(1, 3).mul_(2.0)
        a.expand(1, 1, 3).add_(1.0)
        a.sum().backward()
        results.append((a.tolist(), x.grad.tolist()))
    assert results[0] == results[1] == ([[3.0, 5.0, 7.0]], [[2.0, 2.0, 2.0]])


@pytest.mark.parametrize(
    "name, args",
    [
        ("relu_", ()),
        ("elu_", (0.5,)),
        ("selu_", ()),
        ("celu_", (2.0,)),
        ("leaky_relu_", (0.2,)),
        ("hardtanh_", (-0.5, 0.5)),
        ("rrelu_", (0.1, 0.3)),
        ("threshold_", (0.1, -2.0)),
    ],
)
def test_functional_in_place_spellings_as_torch(name, args, torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[-1.5, 0.25], [2.0, -0.75]], dtype=lib.float64, requires_grad=True)
        h = x * 1.0
        out = getattr(lib.nn.functional, name)(h, *args)
        assert out is h
        (h * h).sum().backward()
        results.append((h.tolist(), x.grad.tolist()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-15)
