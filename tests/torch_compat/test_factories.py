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
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.").replace("long", "int64")
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
