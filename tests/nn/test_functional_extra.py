"""F.one_hot, F.pad and F.normalize against torch: values, dtypes, shapes, gradients and node
names; second derivatives by finite differences; and each one's typical mistake in torch's
words.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import autograd
from tinygrad_acts.nn import functional as F


def _functional(lib):
    return F if lib is tga else lib.nn.functional


def _long(lib, values):
    return lib.tensor(np.array(values, dtype=np.int64))


ONE_HOT = {
    "classes from the data": lambda lib: _functional(lib).one_hot(_long(lib, [0, 2, 1])),
    "more classes": lambda lib: _functional(lib).one_hot(_long(lib, [[0, 2], [1, 1]]), 5),
    "a 0-d index": lambda lib: _functional(lib).one_hot(_long(lib, 2), 3),
    "no indices": lambda lib: _functional(lib).one_hot(_long(lib, np.zeros(0)), 3),
}


@pytest.mark.parametrize("name", sorted(ONE_HOT))
def test_one_hot_as_torch(name, torch):
    ours, theirs = ONE_HOT[name](tga), ONE_HOT[name](torch)
    assert ours.tolist() == theirs.tolist()
    assert (str(ours.dtype), tuple(ours.shape)) == (str(theirs.dtype), tuple(theirs.shape))


PAD = {
    "constant": (lambda x, f: f.pad(x, (1, 2)), (2, 3)),
    "constant, two dims, a value": (lambda x, f: f.pad(x, (1, 0, 2, 1), value=-0.5), (2, 3)),
    "constant, negative widths crop": (lambda x, f: f.pad(x, [-1, 2, 1, -1]), (3, 4)),
    "constant, every dim": (lambda x, f: f.pad(x, (1, 1, 0, 2, 1, 0)), (2, 2, 2)),
    "constant mode named": (lambda x, f: f.pad(x, (2, 2), "constant", 1.5), (3,)),
    "reflect": (lambda x, f: f.pad(x, (2, 3), mode="reflect"), (2, 4)),
    "reflect, two dims": (lambda x, f: f.pad(x, (1, 2, 2, 1), mode="reflect"), (2, 3, 4)),
    "reflect, three dims": (lambda x, f: f.pad(x, (1, 1, 2, 0, 1, 2), "reflect"), (1, 3, 3, 4)),
    "replicate": (lambda x, f: f.pad(x, (3, 1), mode="replicate"), (2, 2, 3)),
    "replicate, two dims": (lambda x, f: f.pad(x, (4, 0, 1, 3), mode="replicate"), (3, 2, 3)),
    "replicate, three dims": (lambda x, f: f.pad(x, (1, 2, 0, 1, 2, 1), "replicate"), (1, 2, 3, 2)),
    "circular": (lambda x, f: f.pad(x, (2, 1), mode="circular"), (2, 3)),
    "circular, two dims": (lambda x, f: f.pad(x, (1, 2, 2, 1), mode="circular"), (1, 3, 4)),
}

NORMALIZE = {
    "normalize": (lambda x, f: f.normalize(x), (3, 4)),
    "normalize along 0, p=1": (lambda x, f: f.normalize(x, p=1, dim=0), (3, 4)),
    "normalize, p=3, last dim": (lambda x, f: f.normalize(x, 3.0, -1), (2, 3, 4)),
    "normalize a zero row": (lambda x, f: f.normalize(x - x[1]), (2, 3)),
    "normalize a large eps": (lambda x, f: f.normalize(x, dim=0, eps=10.0), (3, 2)),
}


def _run(make, data, lib):
    x = lib.tensor(data, requires_grad=True)
    y = make(x, _functional(lib))
    weights = np.linspace(-1.0, 2.0, int(np.prod(tuple(y.shape)))).reshape(tuple(y.shape))
    (y * lib.tensor(weights)).sum().backward()
    return (
        y.detach().numpy().copy(),
        str(y.dtype),
        tuple(y.shape),
        x.grad.numpy().copy(),
        y.grad_fn.name(),
    )


@pytest.mark.parametrize("name", sorted({**PAD, **NORMALIZE}))
def test_pad_and_normalize_values_gradients_and_node_names_as_torch(name, torch):
    make, shape = {**PAD, **NORMALIZE}[name]
    data = np.random.default_rng(17).uniform(-1.0, 2.0, shape)
    ours, theirs = _run(make, data, tga), _run(make, data, torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-14, atol=1e-15)
    assert ours[1:3] == theirs[1:3]  # dtype, shape
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-13, atol=1e-15)
    assert ours[4] == theirs[4]


OTHER_DTYPES = {
    "pad of ints": lambda lib: _functional(lib).pad(lib.tensor([1, 2]), (1, 2), value=7),
    "pad of bools": lambda lib: _functional(lib).pad(lib.tensor([True]), (1, 0)),
    "pad of float32, reflect": lambda lib: _functional(lib).pad(
        lib.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect"
    ),
}


@pytest.mark.parametrize("name", sorted(OTHER_DTYPES))
def test_pad_of_other_dtypes_as_torch(name, torch):
    ours, theirs = OTHER_DTYPES[name](tga), OTHER_DTYPES[name](torch)
    assert ours.tolist() == theirs.tolist()
    assert str(ours.dtype) == str(theirs.dtype)


SECOND_DERIVATIVES = {
    "pad constant": lambda x: F.pad(x, (1, 2, -1, 1), value=0.5) ** 3,
    "pad reflect": lambda x: F.pad(x.unsqueeze(0), (2, 1), mode="reflect") ** 3,
    "pad replicate": lambda x: F.pad(x.unsqueeze(0), (2, 2, 1, 0), mode="replicate") ** 2 * 3.0,
    "pad circular": lambda x: F.pad(x, (1, 2), mode="circular") ** 3,
    "normalize": lambda x: F.normalize(x),
    "normalize, p=1": lambda x: F.normalize(x, p=1, dim=0),
}


@pytest.mark.parametrize("name", sorted(SECOND_DERIVATIVES))
def test_first_and_second_derivatives_by_finite_differences(name):
    x = tga.tensor(np.random.default_rng(3).uniform(0.5, 2.0, (3, 4)), requires_grad=True)
    assert autograd.gradcheck(SECOND_DERIVATIVES[name], (x,))
    assert autograd.gradgradcheck(SECOND_DERIVATIVES[name], (x,))


def _pad(lib, *args, **kwargs):
    return _functional(lib).pad(*args, **kwargs)


MISTAKES = {
    "one_hot of floats": (
        lambda lib: _functional(lib).one_hot(lib.tensor([0.0, 2.0])),
        RuntimeError,
    ),
    "one_hot of int32": (
        lambda lib: _functional(lib).one_hot(lib.tensor(np.array([0, 2], np.int32))),
        RuntimeError,
    ),
    "one_hot, too few classes": (
        lambda lib: _functional(lib).one_hot(_long(lib, [0, 2]), 2),
        RuntimeError,
    ),
    "one_hot, a negative class": (
        lambda lib: _functional(lib).one_hot(_long(lib, [-1, 2])),
        RuntimeError,
    ),
    "one_hot of nothing, classes unknown": (
        lambda lib: _functional(lib).one_hot(_long(lib, np.zeros(0))),
        RuntimeError,
    ),
    "one_hot of a list": (lambda lib: _functional(lib).one_hot([1]), TypeError),
    "pad, odd length": (lambda lib: _pad(lib, lib.ones(3, 4), (1,)), RuntimeError),
    "pad, too long": (lambda lib: _pad(lib, lib.ones(3, 4), (1, 2, 3, 4, 5, 6)), RuntimeError),
    "pad of a 0-d": (lambda lib: _pad(lib, lib.tensor(1.0), (1, 1)), RuntimeError),
    "pad, a float width": (lambda lib: _pad(lib, lib.ones(3), (1.5, 1)), TypeError),
    "pad, unknown mode": (
        lambda lib: _pad(lib, lib.ones(3, 4), [1, 2], "zeros"),
        NotImplementedError,
    ),
    "pad reflect, too wide": (
        lambda lib: _pad(lib, lib.ones(2, 3, 4, 5), (4, 5, 1, 1), mode="reflect"),
        RuntimeError,
    ),
    "pad reflect, too wide in dim 2": (
        lambda lib: _pad(lib, lib.ones(2, 3, 4, 5), (0, 0, 4, 1), mode="reflect"),
        RuntimeError,
    ),
    "pad reflect, too wide in dim 1": (
        lambda lib: _pad(lib, lib.ones(2, 3, 4, 5), (1, 1, 1, 1, 3, 1), mode="reflect"),
        RuntimeError,
    ),
    "pad reflect of a vector": (
        lambda lib: _pad(lib, lib.ones(4), (1, 2), mode="reflect"),
        NotImplementedError,
    ),
    "pad replicate, too few widths": (
        lambda lib: _pad(lib, lib.ones(2, 3, 4, 5), (1, 1), mode="replicate"),
        NotImplementedError,
    ),
    "pad reflect with a value": (
        lambda lib: _pad(lib, lib.ones(2, 3), (1, 1), mode="reflect", value=2.0),
        RuntimeError,
    ),
    "normalize of ints": (
        lambda lib: _functional(lib).normalize(lib.tensor([1, 2])),
        RuntimeError,
    ),
    "normalize, dim out of range": (
        lambda lib: _functional(lib).normalize(lib.ones(4), dim=1),
        IndexError,
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_typical_mistakes_raise_torchs_error(name, torch):
    call, error = MISTAKES[name]
    assert_same_error(call, torch, error)
