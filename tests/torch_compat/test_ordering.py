"""sort, argsort, topk, kthvalue, nonzero, masked_select, roll, nan_to_num and clamp_min/max
against torch: values, indices, dtypes, shapes, gradients and node names; NaN's place in the
order; the named pairs they return; second derivatives by finite differences; and each one's
typical mistake in torch's words.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import autograd


def _long(lib, values):
    return lib.tensor(np.array(values, dtype=np.int64))


OPS = {
    "sort": (lambda x, lib: x.sort(), (3, 4)),
    "sort dim 0 descending": (lambda x, lib: lib.sort(x, 0, descending=True), (3, 4)),
    "sort axis=": (lambda x, lib: lib.sort(x, axis=0), (3, 4)),
    "sort a 0-d": (lambda x, lib: x.sort(), ()),
    "topk": (lambda x, lib: lib.topk(x, 2), (3, 4)),
    "topk smallest along 0": (lambda x, lib: x.topk(2, 0, largest=False), (3, 4)),
    "topk all": (lambda x, lib: x.topk(4), (2, 4)),
    "topk none": (lambda x, lib: x.topk(0), (2, 4)),
    "kthvalue": (lambda x, lib: lib.kthvalue(x, 2), (3, 4)),
    "kthvalue keepdim dim 0": (lambda x, lib: x.kthvalue(3, 0, keepdim=True), (3, 4)),
    "masked_select": (lambda x, lib: lib.masked_select(x, x > 0.5), (3, 4)),
    "masked_select broadcast mask": (
        lambda x, lib: x.masked_select(lib.tensor([True, False, True])),
        (2, 3),
    ),
    "masked_select larger mask": (
        lambda x, lib: x.masked_select(lib.tensor([[True, False, True], [False, False, True]])),
        (3,),
    ),
    "roll flat": (lambda x, lib: lib.roll(x, 5), (3, 4)),
    "roll one dim": (lambda x, lib: x.roll(-1, 1), (3, 4)),
    "roll two dims": (lambda x, lib: x.roll((1, 3), (0, -1)), (3, 4)),
    "roll more than the size": (lambda x, lib: x.roll(7, 0), (3, 4)),
    "roll the same dim twice": (lambda x, lib: x.roll((1, 1), (0, 0)), (3, 4)),
    "roll a 0-d": (lambda x, lib: x.roll(2), ()),
    "nan_to_num": (
        lambda x, lib: lib.nan_to_num(x * lib.tensor([np.nan, np.inf, -np.inf, 1.0])),
        (3, 4),
    ),
    "nan_to_num given": (lambda x, lib: (x.log() * 0.0).nan_to_num(1.0, 2.0, -3.0), (3, 4)),
    "clamp_min": (lambda x, lib: lib.clamp_min(x, 0.5), (3, 4)),
    "clamp_max": (lambda x, lib: x.clamp_max(0.5), (3, 4)),
    "clamp_min tensor": (lambda x, lib: x.clamp_min(lib.tensor([0.0, 0.5, 1.0, 1.5])), (3, 4)),
    "clamp_max tensor": (lambda x, lib: lib.clamp_max(x, lib.tensor([0.0, 0.5, 1.0, 1.5])), (3, 4)),
}


def _values(result):
    """The differentiable part of a result: the values of a (values, indices) pair."""
    return result.values if isinstance(result, tuple) else result


def _run(make, data, lib):
    x = lib.tensor(data, requires_grad=True)
    result = make(x, lib)
    y = _values(result)
    weights = np.linspace(-1.0, 2.0, int(np.prod(tuple(y.shape)))).reshape(tuple(y.shape))
    (y * lib.tensor(weights)).sum().backward()
    indices = result.indices.tolist() if y is not result else None
    return (
        y.detach().numpy().copy(),
        str(y.dtype).removeprefix("torch."),
        tuple(y.shape),
        indices,
        x.grad.numpy().copy(),
        y.grad_fn.name(),
    )


@pytest.mark.parametrize("name", sorted(OPS))
def test_values_indices_gradients_and_node_names_as_torch(name, torch):
    make, shape = OPS[name]
    # distinct values (no ties: torch leaves their order open), around 0.5 and 1.0
    data = np.random.default_rng(11).permutation(np.arange(np.prod(shape)))
    data = (data.reshape(shape) / max(np.prod(shape), 1) * 2.0 + 0.01).astype(np.float64)
    ours, theirs = _run(make, data, tga), _run(make, data, torch)
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert ours[1:4] == theirs[1:4]  # dtype, shape, indices
    np.testing.assert_array_equal(ours[4], theirs[4])
    assert ours[5] == theirs[5]


NAN_CASES = {
    "sort": lambda x, lib: x.sort(),
    "sort descending": lambda x, lib: x.sort(descending=True),
    "sort dim 0 descending, stable": lambda x, lib: x.sort(dim=0, descending=True, stable=True),
    "sort stable": lambda x, lib: lib.sort(x, stable=True),
    "argsort descending, stable": lambda x, lib: lib.argsort(
        x, dim=1, descending=True, stable=True
    ),
    "argsort stable, axis=": lambda x, lib: x.argsort(stable=True, axis=0),
    "topk": lambda x, lib: x.topk(2),
    "topk smallest": lambda x, lib: x.topk(2, largest=False),
}


@pytest.mark.parametrize("name", sorted(NAN_CASES))
def test_nan_is_the_largest_and_equal_values_keep_their_order_with_stable(name, torch):
    if "stable" in name:  # ties, whose order only stable=True fixes
        data = [[1.0, np.nan, 2.0, 1.0], [3.0, 3.0, -np.inf, 3.0], [np.inf, 0.0, np.nan, 0.0]]
    else:
        data = [[1.0, np.nan, 2.0, 0.5], [3.0, 4.0, -np.inf, 2.0], [np.inf, 0.0, np.nan, -1.0]]
    outs = []
    for lib in (tga, torch):
        result = NAN_CASES[name](lib.tensor(data), lib)
        parts = list(result) if isinstance(result, tuple) else [result]
        outs.append([(p.numpy().copy(), str(p.dtype).removeprefix("torch.")) for p in parts])
    for (ours, our_dtype), (theirs, their_dtype) in zip(*outs):
        np.testing.assert_array_equal(ours, theirs)
        assert our_dtype == their_dtype


def test_kthvalue_counts_nan_as_the_largest(torch):
    data = [[1.0, np.nan, 2.0, -1.0], [np.nan, 3.0, -np.inf, np.nan]]
    for k in (1, 2, 3, 4):
        ours, theirs = tga.tensor(data).kthvalue(k), torch.tensor(data).kthvalue(k)
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        if k < 4:  # the two NaN of the second row are a tie
            assert ours.indices.tolist() == theirs.indices.tolist()


def test_sort_returns_a_named_pair_that_unpacks_and_prints_as_torchs(torch):
    for lib in (tga, torch):
        result = lib.sort(lib.tensor([3.0, 1.0, 2.0]))
        values, indices = result
        assert values.tolist() == result.values.tolist() == [1.0, 2.0, 3.0]
        assert indices.tolist() == result[1].tolist() == [1, 2, 0]
        assert str(indices.dtype) in ("torch.int64", "int64")
    assert repr(tga.topk(tga.tensor([3.0, 1.0]), 1)) == repr(
        torch.topk(torch.tensor([3.0, 1.0]), 1)
    )
    assert repr(tga.sort(tga.tensor([3, 1]))) == repr(torch.sort(torch.tensor([3, 1])))


INTEGER_AND_BOOL = {
    "sort of bools": lambda lib: lib.tensor([True, False, True]).sort(),
    "sort of ints, descending": lambda lib: lib.tensor([[5, -2, 7], [0, 0, 1]]).sort(1, True),
    "topk of ints": lambda lib: lib.tensor([1, 9, 3, 7]).topk(2),
    "argsort of uint8": lambda lib: lib.tensor(np.array([200, 3, 100], np.uint8)).argsort(),
    "nonzero": lambda lib: lib.tensor([[1, 0, 2], [0, 0, 3]]).nonzero(),
    "nonzero as_tuple": lambda lib: lib.nonzero(lib.tensor([[1, 0, 2], [0, 0, 3]]), as_tuple=True),
    "nonzero of floats": lambda lib: lib.nonzero(lib.tensor([0.0, -0.5, np.nan])),
    "nonzero of a 0-d": lambda lib: lib.tensor(3.0).nonzero(),
    "nonzero of a 0-d zero": lambda lib: lib.tensor(0.0).nonzero(),
    "nonzero of a 0-d, as_tuple": lambda lib: lib.tensor(3.0).nonzero(as_tuple=True),
    "nonzero of an empty": lambda lib: lib.tensor([]).nonzero(),
    "nonzero of bools, as_tuple": lambda lib: lib.tensor([True, False]).nonzero(as_tuple=True),
    "masked_select of ints": lambda lib: lib.tensor([1, 2, 3]).masked_select(lib.tensor(True)),
    "masked_select of a 0-d": lambda lib: lib.tensor(5.0).masked_select(lib.tensor(True)),
    "roll of ints": lambda lib: lib.arange(6).reshape(2, 3).roll(1),
    "nan_to_num of ints": lambda lib: lib.tensor([1, 2]).nan_to_num(),
    "nan_to_num of bools": lambda lib: lib.tensor([True]).nan_to_num(),
    "nan_to_num float32 limits": lambda lib: lib.tensor([np.nan, np.inf, -np.inf]).nan_to_num(),
    "nan_to_num float16 limits": lambda lib: lib.tensor(
        np.array([np.nan, np.inf, -np.inf], np.float16)
    ).nan_to_num(),
    "nan_to_num posinf too large for float32": lambda lib: lib.tensor([np.inf]).nan_to_num(
        posinf=1e100
    ),
}


@pytest.mark.parametrize("name", sorted(INTEGER_AND_BOOL))
def test_other_dtypes_and_shapes_as_torch(name, torch):
    def plain(result):
        if isinstance(result, tuple):
            return [plain(r) for r in result]
        return result.tolist(), str(result.dtype).removeprefix("torch."), tuple(result.shape)

    assert plain(INTEGER_AND_BOOL[name](tga)) == plain(INTEGER_AND_BOOL[name](torch))


def test_nonzero_as_tuple_indexes_the_non_zero_elements():
    x = tga.tensor([[0.0, 4.0], [5.0, 0.0], [0.0, 6.0]])
    assert x[x.nonzero(as_tuple=True)].tolist() == [4.0, 5.0, 6.0]


SECOND_DERIVATIVES = {
    "sort": lambda x: x.sort(0, descending=True).values ** 3,
    "topk": lambda x: x.topk(2).values ** 2,
    "kthvalue": lambda x: x.kthvalue(2, 0).values ** 3,
    "masked_select": lambda x: x.masked_select(x > 1.0) ** 3,
    "roll": lambda x: x.roll((1, 2), (0, 1)) ** 2 * x,
    "nan_to_num": lambda x: x.nan_to_num() ** 3,
}


@pytest.mark.parametrize("name", sorted(SECOND_DERIVATIVES))
def test_first_and_second_derivatives_by_finite_differences(name):
    x = tga.tensor(np.random.default_rng(3).uniform(0.5, 2.0, (3, 4)), requires_grad=True)
    assert autograd.gradcheck(SECOND_DERIVATIVES[name], (x,))
    assert autograd.gradgradcheck(SECOND_DERIVATIVES[name], (x,))


MISTAKES = {
    "topk k too large": (lambda lib: lib.topk(lib.ones(3, 4), 5), RuntimeError),
    "topk k negative": (lambda lib: lib.ones(3).topk(-1), RuntimeError),
    "topk dim out of range": (lambda lib: lib.ones(3, 4).topk(2, dim=3), IndexError),
    "sort dim out of range": (lambda lib: lib.sort(lib.ones(3, 4), 2), IndexError),
    "sort of a list": (lambda lib: lib.sort([1, 2]), TypeError),
    "kthvalue k too large": (lambda lib: lib.ones(3, 4).kthvalue(5), RuntimeError),
    "kthvalue k zero": (lambda lib: lib.kthvalue(lib.ones(3, 4), 0), RuntimeError),
    "masked_select of floats": (lambda lib: lib.ones(2).masked_select(lib.ones(2)), RuntimeError),
    "masked_select shapes": (
        lambda lib: lib.masked_select(lib.ones(3, 4), lib.ones(5, dtype=lib.bool)),
        RuntimeError,
    ),
    "masked_select of a number": (lambda lib: lib.masked_select(lib.ones(3), 1), TypeError),
    "roll, more shifts than dims": (lambda lib: lib.ones(3, 4).roll((1, 2), (0,)), RuntimeError),
    "roll, a tuple without dims": (lambda lib: lib.roll(lib.ones(3, 4), (1, 2)), RuntimeError),
    "roll, no shifts": (lambda lib: lib.ones(3).roll(()), RuntimeError),
    "roll, a float shift": (lambda lib: lib.roll(lib.ones(3), 1.5), TypeError),
    "roll, dim out of range": (lambda lib: lib.ones(3, 4).roll(1, 2), IndexError),
    "roll a 0-d along a dim": (lambda lib: lib.tensor(5.0).roll(3, 0), IndexError),
    "sum with axis and dim": (lambda lib: lib.ones(3, 4).sum(1, axis=1), TypeError),
    "sum with keepdims and keepdim": (
        lambda lib: lib.sum(lib.ones(3, 4), 1, True, keepdims=True),
        TypeError,
    ),
    "logsumexp without a dim": (lambda lib: lib.ones(3).logsumexp(), TypeError),
    "cumsum without a dim": (lambda lib: lib.cumsum(lib.ones(3)), TypeError),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_typical_mistakes_raise_torchs_error(name, torch):
    call, error = MISTAKES[name]
    assert_same_error(call, torch, error)


AXIS = {
    "sum": lambda x, lib: x.sum(axis=1, keepdims=True),
    "sum, a tuple": lambda x, lib: lib.sum(x, axis=(0, 1)),
    "mean": lambda x, lib: lib.mean(x, axis=0, keepdims=True),
    "std": lambda x, lib: x.std(axis=1, keepdims=True),
    "var, unbiased": lambda x, lib: lib.var(x, axis=1, unbiased=False),
    "var, correction": lambda x, lib: x.var(axis=0, correction=0),
    "prod": lambda x, lib: lib.prod(x, axis=1, keepdims=True),
    "amax": lambda x, lib: x.amax(axis=1),
    "amin": lambda x, lib: lib.amin(x, axis=0, keepdims=True),
    "max": lambda x, lib: x.max(axis=1, keepdims=True).values,
    "min": lambda x, lib: lib.min(x, axis=0).values,
    "median": lambda x, lib: x.median(axis=1, keepdims=True).values,
    "logsumexp": lambda x, lib: lib.logsumexp(x, axis=1, keepdims=True),
    "cumsum": lambda x, lib: x.cumsum(axis=1),
    "cumprod": lambda x, lib: lib.cumprod(x, axis=0),
}


@pytest.mark.parametrize("name", sorted(AXIS))
def test_numpys_axis_and_keepdims_as_torch_takes_them(name, torch):
    data = np.random.default_rng(5).uniform(0.5, 2.0, (3, 4))
    outs = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        y = AXIS[name](x, lib)
        y.sum().backward()
        outs.append((y.detach().numpy().copy(), tuple(y.shape), x.grad.numpy().copy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-14)
    assert outs[0][1] == outs[1][1]
    np.testing.assert_allclose(outs[0][2], outs[1][2], rtol=1e-14)


AXIS_NO_GRADIENT = {
    "argmax": lambda x, lib: x.argmax(axis=1, keepdims=True),
    "argmin": lambda x, lib: lib.argmin(x, axis=0),
    "any": lambda x, lib: (x > 1).any(axis=1, keepdims=True),
    "all": lambda x, lib: lib.all(x > 1, axis=0),
    "count_nonzero": lambda x, lib: lib.count_nonzero(x > 1, axis=1),
    "max indices": lambda x, lib: lib.max(x, axis=1, keepdims=True).indices,
    "argsort": lambda x, lib: lib.argsort(x, axis=0),
}


@pytest.mark.parametrize("name", sorted(AXIS_NO_GRADIENT))
def test_numpys_axis_on_functions_without_a_gradient(name, torch):
    data = np.random.default_rng(5).uniform(0.5, 2.0, (3, 4))
    ours = AXIS_NO_GRADIENT[name](tga.tensor(data), tga)
    theirs = AXIS_NO_GRADIENT[name](torch.tensor(data), torch)
    assert ours.tolist() == theirs.tolist()
    assert str(ours.dtype) == str(theirs.dtype)
