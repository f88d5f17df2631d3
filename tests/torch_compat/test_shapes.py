"""Shape and indexing functions against torch: values, dtypes, shapes and gradients of view,
unflatten, repeat, flip, movedim, split, chunk, narrow, index_select, gather, scatter,
masked_fill and indexing keys; which of them are views; second derivatives by finite
differences; and each one's typical mistake in torch's words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import autograd


def _long(lib, values):
    return lib.tensor(np.array(values, dtype=np.int64))


def _mask(lib, values):
    return lib.tensor(np.array(values, dtype=np.bool_))


OPS = {
    "view": (lambda x, lib: x.view(4, 6), (2, 3, 4)),
    "view -1": (lambda x, lib: x.view(-1), (2, 3, 4)),
    "view of a transpose, same shape": (lambda x, lib: x.transpose(0, 1).view(3, 2), (2, 3)),
    "view of an expand": (lambda x, lib: x.unsqueeze(2).expand(2, 3, 4).view(6, 4), (2, 3)),
    "view_as": (lambda x, lib: x.view_as(lib.ones(6, 4)), (2, 3, 4)),
    "reshape_as": (lambda x, lib: x.transpose(0, 1).reshape_as(lib.ones(6)), (2, 3)),
    "expand_as": (lambda x, lib: x.expand_as(lib.ones(4, 2, 3)), (2, 3)),
    "unflatten": (lambda x, lib: x.unflatten(1, (2, -1)), (3, 4)),
    "unflatten last": (lambda x, lib: x.unflatten(-1, [2, 1, 2]), (3, 4)),
    "repeat": (lambda x, lib: x.repeat(2, 3), (2, 3)),
    "repeat, new dims": (lambda x, lib: x.repeat(2, 1, 3), (2, 3)),
    "repeat a 0-d": (lambda x, lib: x.repeat(2, 3), ()),
    "repeat zero times": (lambda x, lib: x.repeat(0, 2), (2, 3)),
    "flip": (lambda x, lib: x.flip(0), (2, 3)),
    "flip two": (lambda x, lib: x.flip([0, -1]), (2, 3, 4)),
    "flip none": (lambda x, lib: x.flip(()), (2, 3)),
    "flip a 0-d": (lambda x, lib: x.flip(0), ()),
    "movedim": (lambda x, lib: x.movedim(0, -1), (2, 3, 4)),
    "movedim two": (lambda x, lib: x.movedim((0, 1), (2, 0)), (2, 3, 4)),
    "moveaxis": (lambda x, lib: x.moveaxis(2, 0), (2, 3, 4)),
    "split by size": (lambda x, lib: x.split(2, dim=1), (2, 5)),
    "split by sizes": (lambda x, lib: x.split([1, 3, 1], 1), (2, 5)),
    "split an empty": (lambda x, lib: x.split(2), (0, 3)),
    "chunk": (lambda x, lib: x.chunk(3, 1), (2, 5)),
    "chunk fewer": (lambda x, lib: x.chunk(4), (6,)),
    "chunk an empty": (lambda x, lib: x.chunk(2), (0,)),
    "narrow": (lambda x, lib: x.narrow(1, 1, 2), (2, 4)),
    "narrow from the end": (lambda x, lib: x.narrow(-1, -3, 2), (2, 4)),
    "narrow, tensor start": (lambda x, lib: x.narrow(0, lib.tensor(1), 1), (2, 4)),
    "select": (lambda x, lib: x.select(1, -1), (2, 4)),
    "unbind": (lambda x, lib: x.unbind(1), (2, 3)),
    "index_select": (lambda x, lib: x.index_select(1, _long(lib, [2, 0, 2])), (2, 3)),
    "index_select int32": (
        lambda x, lib: x.index_select(0, lib.tensor(np.array([1], np.int32))),
        (2, 3),
    ),
    "index_select 0-d index": (lambda x, lib: x.index_select(1, _long(lib, 1)), (2, 3)),
    "index_select none": (lambda x, lib: x.index_select(0, _long(lib, np.zeros(0))), (2, 3)),
    "gather": (lambda x, lib: x.gather(1, _long(lib, [[0, 0], [2, 1]])), (2, 3)),
    "gather, smaller index": (lambda x, lib: x.gather(0, _long(lib, [[1], [1], [0]])), (3, 4)),
    "gather, wider index": (lambda x, lib: x.gather(1, _long(lib, [[0, 0, 0, 1, 1]])), (2, 3)),
    "gather 3-d": (
        lambda x, lib: x.gather(2, _long(lib, np.arange(12).reshape(2, 3, 2) % 4)),
        (2, 3, 4),
    ),
    "gather a 0-d": (lambda x, lib: x.gather(0, _long(lib, 0)), ()),
    "scatter a value": (lambda x, lib: x.scatter(1, _long(lib, [[2], [0]]), 5.0), (2, 3)),
    "scatter a tensor": (
        lambda x, lib: x.scatter(1, _long(lib, [[2], [0]]), x[:, :1] * 3.0),
        (2, 3),
    ),
    "scatter value=": (lambda x, lib: x.scatter(0, _long(lib, [[1]]), value=-1.0), (2, 3)),
    "scatter_add": (
        lambda x, lib: x.scatter_add(1, _long(lib, [[1, 1, 0], [2, 2, 2]]), x * x),
        (2, 3),
    ),
    "masked_fill": (lambda x, lib: x.masked_fill(_mask(lib, [True, False, True]), -1.0), (2, 3)),
    "masked_fill broadcast mask": (
        lambda x, lib: x.masked_fill(_mask(lib, [[True], [False]]), 0.5),
        (2, 3),
    ),
    "masked_fill, mask larger": (
        lambda x, lib: x.masked_fill(_mask(lib, [[[True]], [[False]]]), 2.0),
        (2, 3),
    ),
    "masked_fill with a 0-d tensor": (
        lambda x, lib: x.masked_fill(_mask(lib, [False, True, True]), x[0, 0] * 4.0),
        (2, 3),
    ),
    "masked_fill nan": (
        lambda x, lib: x.masked_fill(_mask(lib, [False, True, False]), float("nan")),
        (2, 3),
    ),
    "mask": (lambda x, lib: x[x > 0.5], (3, 4)),
    "mask on dim 1": (lambda x, lib: x[:, _mask(lib, [True, False, True, True])], (3, 4)),
    "mask of all dims": (lambda x, lib: x[_mask(lib, [[True, False], [False, True]])], (2, 2)),
    "None": (lambda x, lib: x[None], (2, 3)),
    "ellipsis": (lambda x, lib: x[..., 0], (2, 3, 4)),
    "index tensor": (lambda x, lib: x[_long(lib, [1, 1, 0])], (2, 3)),
    "index tensor 2-d": (lambda x, lib: x[_long(lib, [[1], [0]])], (2, 3)),
    "int index tensor": (lambda x, lib: x[lib.tensor(1)], (2, 3)),
    "step": (lambda x, lib: x[::2, 1::2], (5, 4)),
}


def _pieces(y) -> list:
    return list(y) if isinstance(y, (tuple, list)) else [y]


@pytest.mark.parametrize("name", sorted(OPS))
def test_values_and_gradients_as_torch(name, torch):
    make, shape = OPS[name]
    data = np.random.default_rng(7).uniform(-1, 2, shape).round(2)
    results = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        pieces = _pieces(make(x, lib))
        total = x.sum() * 0.0
        for k, y in enumerate(pieces):
            weights = np.linspace(-1.0, 2.0, int(np.prod(tuple(y.shape)))).reshape(tuple(y.shape))
            total = total + (y * lib.tensor(weights + k)).sum()
        total.backward()
        results.append(
            [(y.detach().numpy().copy(), str(y.dtype)[-7:], tuple(y.shape)) for y in pieces]
            + [x.grad.numpy().copy()]
        )
    assert len(results[0]) == len(results[1])
    for ours, theirs in zip(*results):
        if isinstance(ours, tuple):
            np.testing.assert_array_equal(ours[0], theirs[0])
            assert ours[1:] == theirs[1:]
        else:
            np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-15)


SECOND_DERIVATIVES = {
    "repeat": lambda x: x.repeat(2, 1, 3) ** 2,
    "flip": lambda x: x.flip(0, 1) ** 3,
    "gather": lambda x: x.gather(1, tga.tensor(np.array([[0, 0, 2], [1, 2, 2]]))) ** 2,
    "scatter": lambda x: x.scatter(1, tga.tensor(np.array([[1], [0]])), x[:, 2:] ** 2) * x,
    "scatter_add": lambda x: x.scatter_add(0, tga.tensor(np.array([[1, 1, 0]])), x[:1] ** 2) * x,
    "index_select": lambda x: x.index_select(1, tga.tensor(np.array([2, 2, 0]))) ** 2,
    "masked_fill": lambda x: x.masked_fill(tga.tensor(np.array([True, False, False])), 1.0) ** 3,
    "split": lambda x: x.split([1, 2], 1)[1] ** 2,
}


@pytest.mark.parametrize("name", sorted(SECOND_DERIVATIVES))
def test_first_and_second_derivatives_by_finite_differences(name):
    x = tga.tensor(np.random.default_rng(3).uniform(0.5, 2.0, (2, 3)), requires_grad=True)
    assert autograd.gradcheck(SECOND_DERIVATIVES[name], (x,))
    assert autograd.gradgradcheck(SECOND_DERIVATIVES[name], (x,))


def test_masked_fill_value_gets_the_gradient_of_its_places(torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        v = lib.tensor(0.5, requires_grad=True)
        y = x.masked_fill(lib.tensor([True, False, True]), v)
        (y * lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
        results.append((y.tolist(), x.grad.tolist(), v.grad.item()))
    assert results[0] == results[1]


OTHER_DTYPES = {
    "masked_fill of ints, a float": lambda lib: lib.tensor([1, 2, 3]).masked_fill(
        lib.tensor([True, False, True]), 2.5
    ),
    "masked_fill of bools": lambda lib: lib.tensor([False, False]).masked_fill(
        lib.tensor([True, False]), 2.5
    ),
    "masked_fill of ints, a float tensor": lambda lib: lib.tensor([1, 2]).masked_fill(
        lib.tensor([True, False]), lib.tensor(-2.5)
    ),
    "masked_fill of float32, a float64 tensor": lambda lib: lib.tensor([1.0, 2.0]).masked_fill(
        lib.tensor([True, False]), lib.tensor(0.1, dtype=lib.float64)
    ),
    "gather of ints": lambda lib: lib.tensor([[1, 2], [3, 4]]).gather(1, lib.tensor([[1], [0]])),
    "scatter into ints": lambda lib: lib.zeros(2, 3, dtype=lib.int64).scatter(
        1, lib.tensor([[2], [0]]), 7
    ),
    "flip of bools": lambda lib: lib.tensor([True, False, False]).flip(0),
    "repeat of ints": lambda lib: lib.tensor([1, 2]).repeat(2),
    "index_select of int32": lambda lib: lib.tensor(np.arange(4, dtype=np.int32)).index_select(
        0, lib.tensor([3, 0])
    ),
}


@pytest.mark.parametrize("name", sorted(OTHER_DTYPES))
def test_other_dtypes_as_torch(name, torch):
    ours, theirs = OTHER_DTYPES[name](tga), OTHER_DTYPES[name](torch)
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)


def test_scatter_reads_the_corner_of_a_larger_src_and_adds_with_reduce(torch):
    """(Values only: torch's own backward refuses a src larger than the index.)"""
    results = []
    for lib in (tga, torch):
        x = lib.tensor(np.arange(6.0).reshape(2, 3))
        larger = x.scatter(0, lib.tensor([[1, 0]]), x * 2.0 + 1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: reduce= with a tensor src is deprecated
            added = x.scatter(1, lib.tensor([[1, 1]]), x[:, :2], reduce="add")
        results.append((larger.tolist(), added.tolist()))
    assert results[0] == results[1]


def test_views_share_memory_and_copies_do_not(torch):
    """view, narrow, split, select and slicing are views (a change shows in both); flip,
    repeat, index_select, gather and masked_fill are copies — in torch and here."""
    makes = {
        "view": (lambda x: x.view(6), True),
        "narrow": (lambda x: x.narrow(1, 1, 2), True),
        "split": (lambda x: x.split(1)[1], True),
        "chunk": (lambda x: x.chunk(3, 1)[0], True),
        "select": (lambda x: x.select(0, 1), True),
        "unbind": (lambda x: x.unbind(1)[2], True),
        "flip": (lambda x: x.flip(0), False),
        "repeat": (lambda x: x.repeat(1, 1), False),
        "index_select": (lambda x: x.index_select(0, _long(tga, [0, 1])), False),
        "gather": (lambda x: x.gather(0, _long(tga, [[0, 1, 0]])), False),
        "masked_fill": (lambda x: x.masked_fill(_mask(tga, [False] * 3), 0.0), False),
    }
    for name, (make, shared) in makes.items():
        x = tga.zeros(2, 3)
        y = make(x)
        y.add_(1.0)
        assert (x.sum().item() != 0) is shared, name


MISTAKES = [
    (lambda lib: lib.ones(2, 3).transpose(0, 1).view(6), RuntimeError),
    (lambda lib: lib.ones(2, 3).view(4), RuntimeError),
    (lambda lib: lib.ones(2, 3)[:, :2].view(4), RuntimeError),
    (lambda lib: lib.ones(2, 3).unflatten(1, (2, 2)), RuntimeError),
    (lambda lib: lib.ones(2, 3).unflatten(1, ()), RuntimeError),
    (lambda lib: lib.ones(2, 3).repeat(2), RuntimeError),
    (lambda lib: lib.ones(2, 3).repeat(-1, 1), RuntimeError),
    (lambda lib: lib.ones(2, 3).repeat(), TypeError),
    (lambda lib: lib.ones(2, 3).flip(2), IndexError),
    (lambda lib: lib.ones(2, 3).flip(0, 0), RuntimeError),
    (lambda lib: lib.ones(2, 3).flip(), TypeError),
    (lambda lib: lib.ones(2, 3, 4).movedim((0, 1), (0,)), RuntimeError),
    (lambda lib: lib.ones(2, 3, 4).movedim((0, 0), (1, 2)), RuntimeError),
    (lambda lib: lib.ones(2, 3, 4).movedim((0, 1), (2, 2)), RuntimeError),
    (lambda lib: lib.ones(2, 3).split([1, 1], 1), RuntimeError),
    (lambda lib: lib.ones(2, 3).split([-1, 3], 0), RuntimeError),
    (lambda lib: lib.ones(2, 3).split(0, 1), RuntimeError),
    (lambda lib: lib.ones(2, 3).split(-1, 1), RuntimeError),
    (lambda lib: lib.ones(2, 3).split(2.5), TypeError),
    (lambda lib: lib.tensor(1.0).split(1), RuntimeError),
    (lambda lib: lib.ones(2, 3).chunk(0), RuntimeError),
    (lambda lib: lib.ones(2, 3).chunk(2.0), TypeError),
    (lambda lib: lib.tensor(1.0).chunk(1), RuntimeError),
    (lambda lib: lib.ones(2, 3).narrow(1, 2, 2), RuntimeError),
    (lambda lib: lib.ones(2, 3).narrow(1, 4, 0), IndexError),
    (lambda lib: lib.ones(2, 3).narrow(1, 0, -1), RuntimeError),
    (lambda lib: lib.tensor(1.0).narrow(0, 0, 1), RuntimeError),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([[0]])), IndexError),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([0.0])), RuntimeError),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([5])), RuntimeError),
    (lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([-1])), RuntimeError),
    (lambda lib: lib.ones(2, 3).index_select(1, [0]), TypeError),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[3]])), RuntimeError),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[-1]])), RuntimeError),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([0, 1])), RuntimeError),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0.0]])), RuntimeError),
    (lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[0]] * 3)), RuntimeError),
    (lambda lib: lib.ones(2, 3).gather(1, [[0]]), TypeError),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[3]]), 5.0), RuntimeError),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[0]]), lib.ones(1, 1, dtype=lib.float64)),
     RuntimeError),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[2, 1]]), lib.ones(1, 1)), RuntimeError),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([0]), 1.0), RuntimeError),
    (lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[0]]), 1.0, reduce="max"), RuntimeError),
    (lambda lib: lib.ones(2, 3).scatter_add(1, lib.tensor([[0]]), 1.0), TypeError),
    (lambda lib: lib.ones(3).masked_fill(lib.tensor([1, 0, 1]), 0.0), RuntimeError),
    (lambda lib: lib.ones(3).masked_fill(lib.ones(3), 0.0), RuntimeError),
    (lambda lib: lib.ones(3).masked_fill(lib.tensor([True] * 3), lib.tensor([2.0])),
     RuntimeError),
    (lambda lib: lib.ones(3, dtype=lib.int64).masked_fill(lib.tensor([True] * 3), float("inf")),
     RuntimeError),
    (lambda lib: lib.ones(3).masked_fill_(lib.ones(2, 3, dtype=lib.bool), 1.0), RuntimeError),
    (lambda lib: lib.ones(2, 3)[::-1], ValueError),
    (lambda lib: lib.ones(2, 3)[:, ::-2], ValueError),
    (lambda lib: lib.ones(2, 3)[::0], ValueError),
    (lambda lib: lib.ones(2, 3)[lib.tensor([True, False, True])], IndexError),
    (lambda lib: lib.ones(2, 3, 4)[:, lib.tensor([True, False])], IndexError),
    (lambda lib: lib.ones(2, 3, 4)[..., lib.tensor([True, False])], IndexError),
    (lambda lib: lib.ones(2, 3, 4)[lib.ones(2, 2, dtype=lib.bool)], IndexError),
    (lambda lib: lib.ones(2, 3, 4)[0, lib.tensor([True, False])], IndexError),
    (lambda lib: lib.ones(2, 3)[1.0], IndexError),
    (lambda lib: lib.ones(2, 3)[lib.tensor([1.0])], IndexError),
]  # fmt: skip


@pytest.mark.parametrize("case", range(len(MISTAKES)))
def test_mistakes_in_torchs_words(case, torch):
    call, error = MISTAKES[case]
    assert_same_error(call, torch, error)


def test_in_place_forms_as_torch(torch):
    results = []
    for lib in (tga, torch):
        x = lib.zeros(2, 3)
        same = x.masked_fill_(lib.tensor([True, False, True]), 2.0) is x
        x.scatter_(1, lib.tensor([[1], [1]]), 5.0)
        x.scatter_add_(0, lib.tensor([[0, 0, 1]]), lib.ones(1, 3))
        x.scatter_(0, lib.tensor([[1, 0, 0]]), lib.full((1, 3), -1.0))
        results.append((same, x.tolist()))
    assert results[0] == results[1]
    assert_same_error(
        lambda lib: lib.ones(2, requires_grad=True).masked_fill_(lib.tensor([True, False]), 0.0),
        torch,
    )


TOP_LEVEL = {
    "flip": lambda lib, x: lib.flip(x, (0,)),
    "gather": lambda lib, x: lib.gather(x, 1, lib.tensor([[0], [2]])),
    "scatter": lambda lib, x: lib.scatter(x, 1, lib.tensor([[0], [2]]), 9.0),
    "scatter_add": lambda lib, x: lib.scatter_add(
        x, 1, lib.tensor([[0], [2]]), lib.full((2, 1), 0.5, dtype=lib.float64)
    ),
    "index_select": lambda lib, x: lib.index_select(x, 1, lib.tensor([2, 0])),
    "narrow": lambda lib, x: lib.narrow(x, 1, 1, 2),
    "split": lambda lib, x: lib.split(x, 2, 1)[0],
    "chunk": lambda lib, x: lib.chunk(x, 2, 1)[1],
    "masked_fill": lambda lib, x: lib.masked_fill(x, lib.tensor([True, False, False]), 0.0),
    "reshape": lambda lib, x: lib.reshape(x, (3, 2)),
    "flatten": lambda lib, x: lib.flatten(x),
    "unflatten": lambda lib, x: lib.unflatten(x, 1, (3, 1)),
    "squeeze": lambda lib, x: lib.squeeze(x[:1]),
    "unsqueeze": lambda lib, x: lib.unsqueeze(x, 1),
    "transpose": lambda lib, x: lib.transpose(x, 0, 1),
    "permute": lambda lib, x: lib.permute(x, (1, 0)),
    "movedim": lambda lib, x: lib.movedim(x, 0, 1),
    "moveaxis": lambda lib, x: lib.moveaxis(x, 0, 1),
    "select": lambda lib, x: lib.select(x, 1, 0),
    "unbind": lambda lib, x: lib.unbind(x)[1],
}


@pytest.mark.parametrize("name", sorted(TOP_LEVEL))
def test_top_level_functions_as_torch(name, torch):
    data = np.arange(6.0).reshape(2, 3)
    make = TOP_LEVEL[name]
    ours, theirs = make(tga, tga.tensor(data)), make(torch, torch.tensor(data))
    assert ours.tolist() == theirs.tolist()
    assert tga.numel(tga.ones(2, 3)) == torch.numel(torch.ones(2, 3))
    with pytest.raises(TypeError, match=r"\(position 1\) must be Tensor, not list"):
        TOP_LEVEL[name](tga, [[1.0, 2.0, 3.0]])
