"""In-place arithmetic (``-=``, ``add_``, ``x.relu_()``, ``w.data -= ...``), against torch.

Each test runs the same code on both libraries (``lib`` is ``tinygrad_acts`` or ``torch``) and
compares what it returns (``run_on_both.outcome``), error messages included; some also check
hand-worked numbers. In place on views: test_inplace_views.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from run_on_both import dtype, linear, outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga

# -- in-place operators ----------------------------------------------------------------------------


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


def test_in_place_integer_powers_as_torch(torch):
    ours, theirs = tga.tensor([1, 2, -1]), torch.tensor([1, 2, -1])
    ours.pow_(tga.tensor([-1, -1, -3]))
    theirs.pow_(torch.tensor([-1, -1, -3]))
    assert ours.tolist() == theirs.tolist()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        ours **= -1


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


# -- in-place methods: x.relu_(), x.exp_(), ... ----------------------------------------------------


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


# -- w.data -= ...: NumPy's in-place operator with a Tensor operand --------------------------------


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
    array = w.array
    w.array -= tga.tensor([0.5, 0.5])
    assert w.array is array and array.tolist() == [0.5, -2.5]


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
    by_hand = a + a / x.array**2 + a**x.array * np.log(a) + 2.0
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


# -- copy_, fill_, uniform_, normal_ ---------------------------------------------------------------


def _leaf(lib):
    return lib.zeros(2, requires_grad=True)


COPY_AND_FILL = {
    "copy broadcast": lambda lib: lib.zeros(2, 3).copy_(lib.tensor([1, 2, 3])),
    "copy a number tensor": lambda lib: lib.zeros(2).copy_(lib.tensor(5.0)),
    "copy casts to int": lambda lib: lib.zeros(2, dtype=lib.long).copy_(lib.tensor([1.7, -2.7])),
    "copy refuses a wider source": lambda lib: lib.zeros(3).copy_(lib.ones(2, 3)),
    "copy refuses a leading 1": lambda lib: lib.zeros(2, 3).copy_(lib.ones(1, 2, 3)),
    "copy refuses a mismatch": lambda lib: lib.zeros(2, 3).copy_(lib.ones(2)),
    "copy refuses a list": lambda lib: lib.zeros(3).copy_([1.0, 2.0, 3.0]),
    "copy into a leaf that requires grad": lambda lib: _leaf(lib).copy_(lib.ones(2)),
    "fill with a number": lambda lib: lib.zeros(2, 2).fill_(2.5),
    "fill an int tensor truncates": lambda lib: lib.zeros(3, dtype=lib.long).fill_(-2.7),
    "fill with a 0-d tensor": lambda lib: lib.zeros(2).fill_(lib.tensor(3.0)),
    "fill refuses a 1-d tensor": lambda lib: lib.zeros(2).fill_(lib.tensor([3.0, 4.0])),
    "normal_ refuses integers": lambda lib: lib.zeros(2, dtype=lib.long).normal_(),
    "uniform_ on a leaf that requires grad": lambda lib: _leaf(lib).uniform_(),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(COPY_AND_FILL))
def test_copy_and_fill_as_torch(case, torch):
    assert outcome(COPY_AND_FILL[case], tga) == outcome(COPY_AND_FILL[case], torch)


def test_copy_and_fill_in_a_graph_send_the_gradient_to_the_new_values(torch):
    def run(lib):
        w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        s = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        v = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        h, k = w * 2, w * 3
        h.copy_(s * 3)
        k.fill_(v)
        (h * h + k * k).sum().backward()
        return w.grad, s.grad, v.grad, h._version, k._version

    # by hand: h = 3s, so d/ds Σh² = 18 s; k = v twice, d/dv Σk² = 4v; w's values were replaced
    assert outcome(run, tga) == outcome(run, torch) == [
        ([0.0, 0.0], "float64"), ([9.0, -18.0], "float64"), (8.0, "float64"), 1, 1
    ]  # fmt: skip


def test_samples_in_place_have_their_distribution():
    tga.manual_seed(0)
    u = tga.zeros(100_000, dtype=tga.float64).uniform_(-2.0, 3.0).numpy()
    n = tga.zeros(100_000, dtype=tga.float64).normal_(1.0, 0.5).numpy()
    assert -2.0 <= u.min() and u.max() < 3.0 and abs(u.mean() - 0.5) < 0.02
    assert abs(n.mean() - 1.0) < 0.01 and abs(n.std() - 0.5) < 0.01
