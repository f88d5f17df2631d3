"""Tensor construction, dtype rules, attributes, conversions and repr (torch's behaviour)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import Tensor, tensor


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1.5, np.float32),
        ([1.0, 2.0], np.float32),
        ([1, 2.5], np.float32),  # one float makes the list float
        (3, np.int64),
        ([1, 2], np.int64),
        (True, np.bool_),
        (np.array([1.0, 2.0]), np.float64),  # a NumPy array keeps float64
        (np.array([1.0], dtype=np.float32), np.float32),
        (np.float64(2.0), np.float64),
    ],
)
def test_dtype_follows_torch(data, dtype):
    assert tensor(data).dtype == dtype
    assert Tensor(data).dtype == dtype


def test_explicit_dtype_and_float64_stays():
    assert tensor([1, 2], dtype=tga.float64).dtype == np.float64
    x = tensor(np.arange(3.0), requires_grad=True)
    assert (x * 2.0 + 1).dtype == np.float64
    assert (tensor([1.0]) * 2.5).dtype == np.float32  # Python numbers are weak, as in torch
    assert (tensor([1, 2]) * 2.5).dtype == np.float32  # int tensor and a float: float32


def test_tensor_copies_but_Tensor_shares():
    a = np.array([1.0, 2.0])
    t, s = tensor(a), Tensor(a)
    a[0] = 9.0
    assert t.data[0] == 1.0 and s.data[0] == 9.0


def test_attributes():
    x = tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert x.shape == (1, 3) and x.ndim == 2 and x.is_leaf and x.grad is None
    assert x.grad_fn is None and x.requires_grad
    y = x * 2
    assert not y.is_leaf and y.grad_fn.name() == "MulBackward" and y.requires_grad
    assert x.size() == (1, 3) and x.size(-1) == 3 and x.numel() == 3


def test_conversions():
    x = tensor([[1.0, 2.0]])
    assert x.tolist() == [[1.0, 2.0]]
    assert isinstance(x.numpy(), np.ndarray)
    assert tensor(2.5).item() == 2.5
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        x.item()
    with pytest.raises(RuntimeError, match="detach"):
        tensor([1.0], requires_grad=True).numpy()
    d = tensor([1.0], requires_grad=True).detach()
    assert not d.requires_grad and d.grad_fn is None
    assert f"{tensor(0.123456):.3f}" == "0.123"


def test_requires_grad_on_integers_is_torchs_error():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point dtype can require"):
        tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="Only Tensors of floating point dtype"):
        tensor([True]).requires_grad_()


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


def test_requires_grad_false_on_non_leaf():
    y = tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad_(False)


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: tensor([1.0, 2.0], requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
        (lambda: tensor(0.5, requires_grad=True) * 1, "tensor(0.5000, grad_fn=<MulBackward>)"),
        (lambda: tensor([1.5, -2.0]), "tensor([ 1.5000, -2.0000])"),
        (lambda: tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (lambda: tensor([1, 2]), "tensor([1, 2])"),
        (lambda: tensor(np.array([1.5, 2.0])), "tensor([1.5000, 2.0000], dtype=float64)"),
        (lambda: tensor([[1.0, 2.0], [3.0, 4.0]]), "tensor([[1., 2.],\n        [3., 4.]])"),
    ],
)
def test_repr_like_torch(make, text):
    assert repr(make()) == text


def test_comparisons_are_boolean_constants():
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad
    assert (x == 2.0).tolist() == [False, True, False]
    assert {x: 1}[x] == 1  # still hashable


def test_factories():
    assert tga.zeros(2, 3).shape == (2, 3) and tga.zeros(2).dtype == np.float32
    assert tga.ones((2,), dtype=tga.float64).dtype == np.float64
    assert tga.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(
    "shape, args",
    [((2, 3, 4), ()), ((2, 3, 4), (1,)), ((2, 3, 4), (0, 1)), ((2, 3, 4), (-2,)), ((), ()),
     ((), (0,)), ((2, 0, 3), (1,)), ((2, 3, 4), (1, 1))],
)  # fmt: skip
def test_flatten_from_and_to_a_dimension_as_torch(shape, args, torch):
    data = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = tga.tensor(data, requires_grad=True)
    y = x.flatten(*args)
    expected = torch.tensor(data).flatten(*args)
    assert y.shape == tuple(expected.shape)
    np.testing.assert_array_equal(y.data, expected.numpy())
    (y * tga.tensor(np.arange(y.data.size).reshape(y.shape))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(data.size).reshape(shape))


def test_flatten_refuses_what_torch_refuses(torch):
    x = tga.ones(2, 3, 4)
    with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim"):
        x.flatten(2, 1)
    with pytest.raises(IndexError, match=r"range of \[-3, 2\], but got 3"):
        x.flatten(3)


def test_np_array_copies_and_np_asarray_shares():
    """np.array(t) is a snapshot (NumPy asks __array__ for a copy; torch's tensors give one
    too), np.asarray(t) the tensor's own values."""
    t = tga.tensor([1.0, 2.0])
    snapshot, shared = np.array(t), np.asarray(t)
    t.mul_(3)
    assert snapshot.tolist() == [1.0, 2.0] and shared.tolist() == [3.0, 6.0]
    assert np.array(t, dtype=np.float64).dtype == np.float64


def test_flatten_of_an_empty_batch(torch):
    ours = tga.nn.Flatten()(tga.zeros(0, 3, 4))
    assert ours.shape == tuple(torch.nn.Flatten()(torch.zeros(0, 3, 4)).shape) == (0, 12)
    assert tga.zeros(2, 0, 3).flatten(0, 1).shape == (0, 3)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.ones(4) - lib.tensor([True, False, True, True]),
        lambda lib: lib.tensor([True]) - lib.tensor([False]),
        lambda lib: lib.ones(4) - True,
        lambda lib: lib.tensor([True]) - 1,
        lambda lib: 1 - lib.tensor([True]),
        lambda lib: lib.ones(4).reshape(-2, 2),
    ],
    ids=["float-bool", "bool-bool", "float-True", "bool-int", "int-bool", "reshape(-2)"],
)
def test_refused_as_torch_refuses(call, torch):
    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(tga)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "data, dtype",
    [([2**63], None), ([-(2**63) - 1], None), ([1, 2**63], None), ([2**63], "int64"),
     ([1.5, 2**70], None), ([2**63], "float64"), ([2**63 - 1], None)],
)  # fmt: skip
def test_python_ints_beyond_int64_as_torch(data, dtype, torch):
    """Refused unless the tensor is floating (NumPy would make uint64 or an object array)."""
    try:
        expected = torch.tensor(data, dtype=getattr(torch, dtype) if dtype else None)
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e)):
            tga.tensor(data, dtype=dtype)
        return
    ours = tga.tensor(data, dtype=dtype)
    assert str(ours.dtype) == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.data, expected.numpy())


@pytest.mark.parametrize(
    "call",
    [lambda b: b**b, lambda b: b**2, lambda b: 2**b, lambda b: b**True, lambda b: b**False,
     lambda b: b**2.5, lambda b: True**b],
    ids=["b**b", "b**2", "2**b", "b**True", "b**False", "b**2.5", "True**b"],
)  # fmt: skip
def test_powers_of_booleans_as_torch(call, torch):
    try:
        expected = call(torch.tensor([True, False]))
    except NotImplementedError as e:
        with pytest.raises(NotImplementedError, match=str(e)):
            call(tga.tensor([True, False]))
        return
    ours = call(tga.tensor([True, False]))
    assert str(ours.dtype) == str(expected.dtype).removeprefix("torch.")
    assert ours.tolist() == expected.tolist()


def test_other_byte_orders_become_native():
    """torch refuses a big-endian array; here it is converted, so every kernel (and a
    one-element one, which keeps its input's dtype) sees the machine's byte order."""
    data = np.array([0.5, -2.0], dtype=">f8")
    t = tga.tensor(data, requires_grad=True)
    assert t.dtype == np.float64 and t.data.dtype.isnative
    assert t.tolist() == [0.5, -2.0]
    one = tga.tensor(data[:1], requires_grad=True)
    y = one.sigmoid()
    y.backward()
    assert y.data.dtype.isnative and one.grad.data.dtype.isnative
    assert y.item() == tga.tensor([0.5], dtype=tga.float64).sigmoid().item()


def test_numpy_doubles_in_a_list_make_a_float64_tensor_as_torch():
    """A Python float gives torch's default float32; a NumPy float64 is a double, as in torch."""
    assert tga.tensor([np.float64(1.5)]).dtype == np.float64
    assert tga.tensor([[1.0], [np.float64(2.5)]]).dtype == np.float64
    assert tga.tensor([np.float32(1.5)]).dtype == np.float32
    assert tga.tensor([1.5]).dtype == np.float32
    assert tga.tensor([np.int32(1)]).dtype == np.int32


def test_no_grad_and_enable_grad_decorate_without_parentheses():
    @tga.no_grad
    def doubled(x):
        return x * 2

    x = tga.tensor([1.0], requires_grad=True)
    assert not doubled(x).requires_grad and doubled.__name__ == "doubled"
    with tga.no_grad():

        @tga.enable_grad
        def tripled(x):
            return x * 3

        assert tripled(x).requires_grad


def test_errors_and_prints_in_torch_words(torch):
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        tga.tensor([2, 3]) ** -1
    with pytest.raises(RuntimeError, match=r"Got: Long$"):
        tga.tensor([1, 2]).mean()
    assert repr(tga.tensor(np.zeros((1, 0), np.float32))) == repr(torch.zeros(1, 0))
    assert repr(tga.tensor(np.zeros(0, np.float32))) == repr(torch.zeros(0))


INDEX_KEYS = [
    (0, slice(None), [0, 2]),
    (0, Ellipsis, [1, 2]),
    ([0, 1], slice(None), 0),
    (slice(None), 1, [0, 3]),
    (0, None, slice(None), [1, 2]),
    (1, np.array([True, False, True]), slice(None)),
    (-1, slice(1, None), [-1, 0]),
]


@pytest.mark.parametrize("key", INDEX_KEYS, ids=str)
def test_integers_beside_index_arrays_index_as_torch(torch, key):
    """torch applies integer indices first; NumPy's rule would put the index array's
    dimension first when a slice separates them (x[0, :, [0, 2]] transposed)."""
    data = np.arange(24.0).reshape(2, 3, 4)
    results = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        y = x[tuple(lib.tensor(i) if isinstance(i, list) else i for i in key)]
        weights = np.linspace(-1.0, 2.0, int(np.prod(y.shape))).reshape(tuple(y.shape))
        (y * lib.tensor(weights)).sum().backward()
        results.append([np.array(y.detach().numpy()), np.array(x.grad.numpy())])
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


def test_expand_and_comparison_mistakes_in_torch_words(torch):
    for shape in [(3, 4), (2, 3, 1), (-1, 2, 3, 4)]:
        assert_same_error(
            lambda L, s=shape: L.tensor(np.ones((2, 3, 4), np.float32)).expand(*s), torch
        )
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        _ = tga.tensor([1.0, 2.0]) < tga.tensor([1.0, 2.0, 3.0])


def test_mean_of_float16_adds_up_in_float32_as_torch():
    x = tga.tensor(np.full(1000, 100.0, np.float16))
    assert x.mean().item() == 100.0 and x.mean().dtype == np.float16


@pytest.mark.parametrize("key", [5, (0, 7), -3, (slice(None), -4), (0, 0, 0)], ids=str)
def test_index_mistakes_in_torch_words(torch, key):
    assert_same_error(lambda L: L.tensor(np.ones((2, 3)))[key], torch, IndexError)
    with pytest.raises(IndexError, match="invalid index of a 0-dim tensor"):
        tga.tensor(1.0)[0]


def _ones(lib, *shape):
    return lib.tensor(np.ones(shape, np.float32))


SHAPE_MISTAKES = {
    "cat sizes": lambda L: L.cat([_ones(L, 2, 3, 3), _ones(L, 2, 2, 2)], dim=2),
    "cat dimensions": lambda L: L.cat([_ones(L, 2, 3, 3), _ones(L, 2, 3)], dim=0),
    "permute duplicates": lambda L: _ones(L, 2, 3).permute(0, 0),
    "permute length": lambda L: _ones(L, 2, 3).permute(0),
    "reshape two -1": lambda L: _ones(L, 2, 3).reshape(-1, -1),
    "sum over a dim twice": lambda L: _ones(L, 2, 3).sum((0, 0)),
    "bool of two values": lambda L: bool(_ones(L, 2)),
    "backward with a wrong gradient": lambda L: (_ones(L, 2).requires_grad_() * 2).backward(
        _ones(L, 3)
    ),
}


@pytest.mark.parametrize("case", SHAPE_MISTAKES)
def test_shape_mistakes_in_torch_words(torch, case):
    assert_same_error(SHAPE_MISTAKES[case], torch)


def test_cat_skips_empty_vectors_as_torch():
    empty = tga.tensor(np.zeros(0, np.float32))
    x = tga.tensor(np.ones((2, 3)), requires_grad=True)
    y = tga.cat([empty, x], dim=0)
    y.sum().backward()
    assert y.shape == (2, 3) and y.dtype == np.float64 and x.grad.tolist() == [[1.0] * 3] * 2
    assert tga.cat([tga.tensor([1.0, 2.0]), empty, tga.tensor([3.0])]).tolist() == [1, 2, 3]


def test_cat_keeps_a_skipped_empty_vector_in_the_graph(torch):
    ours = tga.tensor([], requires_grad=True)
    theirs = torch.tensor([], requires_grad=True)
    for lib, e in ((tga, ours), (torch, theirs)):
        y = lib.cat([e, lib.tensor([[1.0, 2.0]])])
        assert y.requires_grad and tuple(y.shape) == (1, 2)
        y.sum().backward()
    assert ours.grad.shape == tuple(theirs.grad.shape) == (0,)
    assert tga.cat([tga.tensor([]), tga.tensor([])], dim=1).shape == (0,)


def test_grad_property_edges_as_torch():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="can't assign Variable as its own grad"):
        x.grad = x
    x.grad = tga.tensor([1.0, 1.0])
    del x.grad
    assert x.grad is None
    with pytest.raises(RuntimeError, match="with no values is ambiguous"):
        bool(tga.tensor([]))
    with pytest.raises(TypeError, match='missing 1 required positional arguments: "dims"'):
        x.permute()


def test_in_place_integer_powers_as_torch(torch):
    ours, theirs = tga.tensor([1, 2, -1]), torch.tensor([1, 2, -1])
    ours.pow_(tga.tensor([-1, -1, -3]))
    theirs.pow_(torch.tensor([-1, -1, -3]))
    assert ours.tolist() == theirs.tolist()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        ours **= -1


# -- torch's top-level functions and factories -----------------------------------------------

_TOP_LEVEL = [
    ("tanh", ()),
    ("sigmoid", ()),
    ("relu", ()),
    ("exp", ()),
    ("log", ()),
    ("sqrt", ()),
    ("abs", ()),
    ("clamp", (0.6, 1.5)),
    ("sum", ()),
    ("sum", (1, True)),
    ("mean", (0,)),
    ("softmax", (1,)),
    ("log_softmax", (0,)),
]


@pytest.mark.parametrize("name, args", _TOP_LEVEL, ids=[f"{n}{a}" for n, a in _TOP_LEVEL])
def test_top_level_functions_as_torch(name, args, torch):
    """torch.tanh(x), torch.sum(x, 1, True), ...: a torch user's first guesses."""
    data = np.array([[0.5, 1.25, 2.0], [0.75, 1.0, 3.0]])
    results = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        y = getattr(lib, name)(x, *args)
        (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14)
    if args:  # torch's overloads list their signatures instead: only the type is compared
        with pytest.raises(TypeError, match=r"must be Tensor, not numpy\.ndarray"):
            getattr(tga, name)(np.ones(3), *args)
    else:
        assert_same_error(lambda lib: getattr(lib, name)(np.ones(3)), torch, TypeError)


def test_top_level_matmul_and_softmax_without_dim_as_torch(torch):
    a = np.arange(6.0).reshape(2, 3)
    ours = tga.matmul(tga.tensor(a), tga.tensor(a.T))
    np.testing.assert_array_equal(ours.numpy(), torch.matmul(torch.tensor(a), torch.tensor(a.T)))
    assert_same_error(lambda lib: lib.softmax(lib.ones(2)), torch, TypeError)


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


def test_stack_as_torch(torch):
    """torch.stack: a new axis, gradients split back, dtypes promoted, torch's errors."""
    results = []
    for lib in (tga, torch):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True)
        s = lib.stack([a, b * 2], dim=1)
        (s * s).sum().backward()
        zero_d = lib.stack([lib.tensor(1.0), lib.tensor(2.0)], dim=-1)
        results.append(
            (s.tolist(), str(s.dtype)[-7:], a.grad.tolist(), b.grad.tolist(), zero_d.tolist())
        )
    assert results[0] == results[1]
    assert_same_error(lambda lib: lib.stack([lib.ones(2), lib.ones(3)]), torch)
    assert_same_error(lambda lib: lib.stack([]), torch)
    assert_same_error(lambda lib: lib.stack([lib.ones(2)], dim=2), torch, IndexError)
    assert_same_error(lambda lib: lib.stack([lib.ones(2), [1.0, 2.0]]), torch, TypeError)


def test_tensor_of_one_element_tensors_of_any_shape_as_torch(torch):
    for lib in (tga, torch):
        assert lib.tensor([lib.tensor([2.0])]).tolist() == [2.0]
        one, two = lib.tensor([1.0], dtype=lib.float64), lib.tensor([[2.0]], dtype=lib.float64)
        t = lib.tensor([one, two])
        assert t.tolist() == [1.0, 2.0] and str(t.dtype).endswith("float64")
    assert_same_error(lambda lib: lib.tensor([lib.tensor([1.0, 2.0])]), torch, ValueError)
