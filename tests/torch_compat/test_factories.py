"""Making tensors as torch does: ``tensor`` copies and ``Tensor`` shares, ``from_numpy`` shares
and ``np.array`` copies, a tensor of tensors takes their values; the factories (zeros, ones,
arange, full, linspace, the *_like, rand, randn) give torch's values and dtypes, and their
mistakes torch's words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import Tensor, tensor

# -- from data -------------------------------------------------------------------------------------


def test_tensor_copies_but_Tensor_shares():
    a = np.array([1.0, 2.0])
    t, s = tensor(a), Tensor(a)
    a[0] = 9.0
    assert t.array[0] == 1.0 and s.array[0] == 9.0


@pytest.mark.parametrize(
    "bad, name",
    [
        ("abc", "str"),
        ([1.0, "a"], "str"),
        ({1: 2}, "dict"),
        ([None], "NoneType"),
        (object(), "object"),
    ],
)
def test_non_numeric_data_names_its_type(bad, name):
    with pytest.raises(TypeError, match=name):
        tensor(bad)


def test_np_array_copies_and_np_asarray_shares():
    """np.array(t) is a snapshot (NumPy asks __array__ for a copy; torch's tensors give one
    too), np.asarray(t) the tensor's own values."""
    t = tga.tensor([1.0, 2.0])
    snapshot, shared = np.array(t), np.asarray(t)
    t.mul_(3)
    assert snapshot.tolist() == [1.0, 2.0] and shared.tolist() == [3.0, 6.0]
    assert np.array(t, dtype=np.float64).dtype == np.float64


def test_from_numpy_shares_memory_as_torch(torch):
    for lib in (tga, torch):
        array = np.zeros(3)
        t = lib.from_numpy(array)
        array[0] = 5.0
        t.numpy()[1] = 7.0
        assert t.tolist() == [5.0, 7.0, 0.0] and array[1] == 7.0
        assert str(t.dtype).endswith("float64")


def test_tensor_of_tensors_that_require_grad_takes_their_values_as_torch(torch):
    """torch.tensor([loss1, loss2]): the values, outside the graph (NumPy's __array__ refuses
    a tensor that requires grad, so they are taken before NumPy sees them)."""
    results = []
    for lib in (tga, torch):
        a = lib.tensor(1.5, requires_grad=True)
        b = lib.tensor(2.0, dtype=lib.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that it copies a tensor
            t = lib.tensor([[a, a * 2], (3, b)])
        results.append((t.tolist(), str(t.dtype).removeprefix("torch."), t.requires_grad))
    assert results[0] == results[1] == ([[1.5, 3.0], [3.0, 2.0]], "float64", False)


def test_tensor_of_one_element_tensors_of_any_shape_as_torch(torch):
    for lib in (tga, torch):
        assert lib.tensor([lib.tensor([2.0])]).tolist() == [2.0]
        one, two = lib.tensor([1.0], dtype=lib.float64), lib.tensor([[2.0]], dtype=lib.float64)
        t = lib.tensor([one, two])
        assert t.tolist() == [1.0, 2.0] and str(t.dtype).endswith("float64")
    assert_same_error(lambda lib: lib.tensor([lib.tensor([1.0, 2.0])]), torch, ValueError)


# -- factories -------------------------------------------------------------------------------------


def test_factories():
    assert tga.zeros(2, 3).shape == (2, 3) and tga.zeros(2).dtype == np.float32
    assert tga.ones((2,), dtype=tga.float64).dtype == np.float64
    assert tga.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.arange(5),
        lambda lib: lib.arange(2, 9, 3),
        lambda lib: lib.arange(0, 1, 0.1),
        lambda lib: lib.arange(5.0),
        lambda lib: lib.arange(5, 0, -1),
        lambda lib: lib.full((2, 3), 7),
        lambda lib: lib.full((2,), 0.5),
        lambda lib: lib.full((2,), True),
        lambda lib: lib.zeros_like(lib.ones(2, 3, dtype=lib.float64)),
        lambda lib: lib.ones_like(lib.tensor([1, 2])),
        lambda lib: lib.ones_like(lib.tensor([1, 2]), dtype=lib.float32),
        lambda lib: lib.arange(0, 5, 1.5, dtype=lib.int64),
        lambda lib: lib.arange(0.5, 3, dtype=lib.int64),
        lambda lib: lib.arange(lib.tensor(3)),
        lambda lib: lib.full((2,), np.float64(3.0)),
        lambda lib: lib.full((2,), np.int64(3)),
        lambda lib: lib.linspace(-1, 1, 7, dtype=lib.int32),
        lambda lib: lib.linspace(0.5, 2.5, 5, dtype=lib.int64),
    ],
)
def test_factories_as_torch(make, torch):
    ours, theirs = make(tga), make(torch)
    assert str(ours.dtype) == str(theirs.dtype).replace("long", "int64")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-7)


def test_factory_mistakes_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.arange(0, 5, 0), torch)
    assert_same_error(lambda lib: lib.arange(5, 0, 1), torch)
    assert_same_error(lambda lib: lib.arange(float("inf")), torch)
    assert_same_error(lambda lib: lib.arange(float("nan")), torch)
    assert_same_error(lambda lib: lib.from_numpy([1, 2]), torch, TypeError)
    assert_same_error(lambda lib: lib.full(2, 1.0), torch, TypeError)
    assert_same_error(lambda lib: lib.randn(2, dtype=lib.int64), torch, NotImplementedError)
    assert_same_error(lambda lib: lib.rand(2, dtype=lib.int64), torch, NotImplementedError)


def test_random_tensors_repeat_after_manual_seed():
    tga.manual_seed(3)
    a, r = tga.randn(2, 3), tga.rand(4)
    tga.manual_seed(3)
    assert tga.randn(2, 3).tolist() == a.tolist() and tga.rand(4).tolist() == r.tolist()
    assert a.dtype == r.dtype == tga.float32 and a.shape == (2, 3)
    assert 0.0 <= r.numpy().min() and r.numpy().max() < 1.0
    assert tga.rand(100_000, dtype=tga.float16).numpy().max() < 1.0  # rounding once reached 1
    assert tga.randn(1000, dtype=tga.float64).numpy().std() == pytest.approx(1.0, abs=0.1)


# -- sizes, dtypes, requires_grad ------------------------------------------------------------------

SIZES = {
    "ints": lambda lib: lib.zeros(2, 3),
    "a tuple": lambda lib: lib.ones((2, 3)),
    "a list": lambda lib: lib.empty([2, 3]),
    "a Size": lambda lib: lib.rand(lib.ones(2, 3).shape),
    "no dimensions": lambda lib: lib.randn(()),
    "NumPy ints": lambda lib: lib.zeros(np.int64(2), np.int32(3)),
    "a 0-d integer tensor": lambda lib: lib.ones(lib.tensor(2)),
    "a zero": lambda lib: lib.zeros(0, 3),
}


@pytest.mark.parametrize("case", sorted(SIZES))
def test_sizes_given_as_torch_takes_them(case, torch):
    ours, theirs = SIZES[case](tga), SIZES[case](torch)
    assert ours.shape == tuple(theirs.shape) and str(ours.dtype).removeprefix("torch.") == "float32"


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lib: lib.zeros(), TypeError),
        (lambda lib: lib.zeros(2.5), TypeError),
        (lambda lib: lib.ones((2, 2.5)), TypeError),
        (lambda lib: lib.empty(2, "a"), TypeError),
        (lambda lib: lib.rand([[2]]), TypeError),
        (lambda lib: lib.zeros((2,), (3,)), TypeError),
        (lambda lib: lib.zeros(True), TypeError),
        (lambda lib: lib.zeros(None), TypeError),
        (lambda lib: lib.zeros(-1), RuntimeError),
        (lambda lib: lib.ones(2, -3), RuntimeError),
        (lambda lib: lib.empty(-1), RuntimeError),
        (lambda lib: lib.full((-1,), 1.0), RuntimeError),
        (lambda lib: lib.randperm(-1), RuntimeError),
        (lambda lib: lib.full((2,), float("nan"), dtype=lib.int64), RuntimeError),
        (lambda lib: lib.ones(2, dtype=lib.int64, requires_grad=True), RuntimeError),
        (lambda lib: lib.arange(5, requires_grad=True), RuntimeError),
        (lambda lib: lib.randint(0, 5, (2,), requires_grad=True), RuntimeError),
        (lambda lib: lib.randint(5, 2, (3,)), RuntimeError),
        (lambda lib: lib.randint(5, 3), TypeError),
        (lambda lib: lib.randperm(3, requires_grad=True), RuntimeError),
        (lambda lib: lib.normal(0.0, -1.0, (2,)), RuntimeError),
        (lambda lib: lib.zeros_like([1, 2]), TypeError),
        (lambda lib: lib.rand_like(lib.ones(2, dtype=lib.int64)), NotImplementedError),
        (lambda lib: lib.randn_like(lib.ones(2, dtype=lib.int64)), NotImplementedError),
        (lambda lib: lib.linspace(0, 1, -1), RuntimeError),
    ],
)
def test_size_and_dtype_mistakes_in_torchs_words(call, error, torch):
    assert_same_error(call, torch, error)


MADE = {
    "empty": lambda lib: lib.empty(2, 3, dtype=lib.float64),
    "empty_like": lambda lib: lib.empty_like(lib.ones(2, dtype=lib.int32)),
    "full_like of an int tensor": lambda lib: lib.full_like(lib.ones(2, dtype=lib.int32), 2.7),
    "full_like, dtype": lambda lib: lib.full_like(lib.ones(2), 7, dtype=lib.float64),
    "full_like, a bool": lambda lib: lib.full_like(lib.ones(2), True),
    "full, into ints": lambda lib: lib.full((2,), 1.5, dtype=lib.int64),
    "full, a list size": lambda lib: lib.full([2, 1], -1),
    "full, requires grad": lambda lib: lib.full((2,), 1.5, requires_grad=True),
    "ones_like, requires grad": lambda lib: lib.ones_like(lib.ones(2), requires_grad=True),
    "arange, requires grad": lambda lib: lib.arange(3, dtype=lib.float32, requires_grad=True),
    "linspace, requires grad": lambda lib: lib.linspace(0, 1, 3, requires_grad=True),
    "logspace": lambda lib: lib.logspace(0, 2, 3),
    "logspace, base 2": lambda lib: lib.logspace(0, 3, 4, base=2),
    "logspace, float64": lambda lib: lib.logspace(-1, 1, 5, dtype=lib.float64),
    "tensor, requires grad": lambda lib: lib.tensor([1.0, 2.0], requires_grad=True),
    "tensor of a float, into ints": lambda lib: lib.tensor(1.5, dtype=lib.int64),
    "as_tensor of a list": lambda lib: lib.as_tensor([1, 2]),
    "as_tensor, dtype": lambda lib: lib.as_tensor([1, 2], dtype=lib.float64),
}


@pytest.mark.parametrize("case", sorted(MADE))
def test_made_tensors_as_torch(case, torch):
    ours, theirs = MADE[case](tga), MADE[case](torch)
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf
    if not case.startswith("empty"):
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)


RANDOM = {
    "rand": (lambda lib: lib.rand(3, 4), "float32"),
    "rand float64": (lambda lib: lib.rand(2, dtype=lib.float64), "float64"),
    "randn": (lambda lib: lib.randn((3, 4)), "float32"),
    "randint": (lambda lib: lib.randint(3, 7, (50,)), "int64"),
    "randint of high": (lambda lib: lib.randint(4, (50,)), "int64"),
    "randint size=": (lambda lib: lib.randint(4, size=(5,)), "int64"),
    "randint, floats": (lambda lib: lib.randint(0, 5, (9,), dtype=lib.float32), "float32"),
    "randperm": (lambda lib: lib.randperm(6), "int64"),
    "randperm float": (lambda lib: lib.randperm(4, dtype=lib.float32), "float32"),
    "normal": (lambda lib: lib.normal(2.0, 0.5, (100,)), "float32"),
    "normal, tensor mean": (lambda lib: lib.normal(lib.zeros(3, 2), 1.0), "float32"),
    "normal, tensor std": (lambda lib: lib.normal(0.0, lib.ones(2, dtype=lib.float64)), "float64"),
    "normal, both broadcast": (lambda lib: lib.normal(lib.zeros(3), lib.ones(2, 3)), "float32"),
    "rand_like": (lambda lib: lib.rand_like(lib.ones(2, dtype=lib.float64)), "float64"),
    "randn_like": (lambda lib: lib.randn_like(lib.ones(2, 5)), "float32"),
    "randint_like": (lambda lib: lib.randint_like(lib.ones(8), 3), "float32"),
    "randint_like, low": (lambda lib: lib.randint_like(lib.ones(8, dtype=lib.int32), 3, 5),
                          "int32"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(RANDOM))
def test_random_tensors_have_torchs_shapes_dtypes_and_ranges(case, torch):
    make, dtype = RANDOM[case]
    ours, theirs = make(tga), make(torch)
    assert ours.shape == tuple(theirs.shape) and str(ours.dtype).removeprefix("torch.") == dtype
    assert str(theirs.dtype) == f"torch.{dtype}" and not ours.requires_grad
    values = ours.numpy()
    if case.startswith("rand") and "int" not in case and "perm" not in case and "n" not in case:
        assert 0.0 <= values.min() and values.max() < 1.0
    if case.startswith("randint"):
        low = 3 if case in ("randint", "randint_like, low") else 0
        high = {"randint": 7, "randint of high": 4, "randint size=": 4, "randint_like, low": 5}
        assert low <= values.min() and values.max() < high.get(case, 5)
        assert np.all(values == np.round(values))
    if case.startswith("randperm"):
        assert sorted(values.tolist()) == list(range(len(values)))


def test_normal_of_tensors_gives_them_a_zero_gradient_as_torch(torch):
    with pytest.raises(RuntimeError, match=r"tensor a \(3\) must match the size of tensor b \(4\)"):
        tga.normal(tga.zeros(3), tga.ones(4))
    grads = []
    for lib in (tga, torch):
        mean = lib.zeros(3, requires_grad=True)
        std = lib.ones(3, requires_grad=True)
        y = lib.normal(mean, std)
        y.sum().backward()
        grads.append((y.requires_grad, mean.grad.tolist(), std.grad.tolist()))
    assert grads[0] == grads[1] == (True, [0.0] * 3, [0.0] * 3)
    tga.manual_seed(0)
    sample = tga.normal(1.0, 2.0, (1000,), dtype=tga.float64).numpy()
    assert sample.mean() == pytest.approx(1.0, abs=0.2)
    assert sample.std() == pytest.approx(2.0, rel=0.1)


def test_as_tensor_shares_when_it_can_as_torch(torch):
    for lib in (tga, torch):
        a = np.ones(3)
        shared, converted = lib.as_tensor(a), lib.as_tensor(a, dtype=lib.float32)
        a[0] = 5.0
        assert shared.tolist() == [5.0, 1.0, 1.0] and converted.tolist() == [1.0, 1.0, 1.0]
        x = lib.ones(2)
        assert lib.as_tensor(x) is x and lib.as_tensor(x, dtype=lib.float64) is not x


def test_tensor_of_a_tensor_copies_and_warns_as_torch(torch):
    messages = []
    for lib in (tga, torch):
        x = lib.ones(2, requires_grad=True)
        with pytest.warns(UserWarning) as caught:
            y = lib.tensor(x)
        assert not y.requires_grad and y.tolist() == [1.0, 1.0]
        messages.append(str(caught[0].message))
    assert messages[0] == messages[1]
