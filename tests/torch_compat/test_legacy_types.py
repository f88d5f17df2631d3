"""torch's legacy names: ``Tensor(2, 3)``, ``FloatTensor`` and its kin, ``Variable``,
``finfo``/``iinfo`` and the constants — each checked against torch."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_acts as tga
from tests.run_on_both import outcome
from tests.torch_errors import assert_same_error

MADE = {
    "Tensor(2, 3)": lambda lib: (lib.Tensor(2, 3).shape, str(lib.Tensor(2, 3).dtype)),
    "Tensor()": lambda lib: lib.Tensor(),
    "Tensor(Size)": lambda lib: lib.Tensor(lib.Size([2, 3])).shape,
    "Tensor(tuple)": lambda lib: lib.Tensor((2, 3)),
    "FloatTensor(list)": lambda lib: lib.FloatTensor([1, 2]),
    "LongTensor(floats)": lambda lib: lib.LongTensor([1.7, -2.5]),
    "DoubleTensor(2)": lambda lib: (lib.DoubleTensor(2).shape, str(lib.DoubleTensor(2).dtype)),
    "IntTensor(2, 2)": lambda lib: (lib.IntTensor(2, 2).shape, str(lib.IntTensor(2, 2).dtype)),
    "BoolTensor": lambda lib: lib.BoolTensor([1, 0]),
    "ByteTensor": lambda lib: lib.ByteTensor([1, 255]),
    "HalfTensor": lambda lib: lib.HalfTensor([1.5]),
    "CharTensor": lambda lib: lib.CharTensor([-3]),
    "ShortTensor": lambda lib: lib.ShortTensor([7]),
    "FloatTensor(array)": lambda lib: lib.FloatTensor(np.array([1.0, 2.5])),
    "type(LongTensor)": lambda lib: lib.tensor([1.5, -2.5]).type(lib.LongTensor),
    "type()": lambda lib: lib.ones(2, dtype=lib.float64).type(),
}


@pytest.mark.parametrize("name", MADE)
def test_legacy_constructors_make_what_torch_makes(name, torch):
    assert outcome(MADE[name], tga) == outcome(MADE[name], torch)


def test_legacy_sizes_are_zeros_here():
    assert tga.Tensor(2, 3).tolist() == [[0.0] * 3] * 2  # torch's values are undefined


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (lambda lib: lib.ones(2), "FloatTensor", True),
        (lambda lib: lib.ones(2, dtype=lib.long), "FloatTensor", False),
        (lambda lib: lib.ones(2, dtype=lib.long), "LongTensor", True),
        (lambda lib: lib.nn.Parameter(lib.ones(2)), "FloatTensor", True),
        (lambda lib: lib.ones(2) > 0, "BoolTensor", True),
        (lambda lib: 3.0, "FloatTensor", False),
    ],
)
def test_isinstance_asks_for_the_dtype(value, kind, expected, torch):
    for lib in (tga, torch):
        assert isinstance(value(lib), getattr(lib, kind)) is expected


def test_legacy_types_print_and_compare_as_torchs(torch):
    assert repr(tga.FloatTensor) == repr(torch.FloatTensor) == "<class 'torch.FloatTensor'>"
    assert tga.LongTensor.dtype == tga.int64
    assert issubclass(tga.FloatTensor, tga.Tensor) is issubclass(torch.FloatTensor, torch.Tensor)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda lib: lib.Tensor(2, 3.0), TypeError),
        (lambda lib: lib.Tensor(2, -1), RuntimeError),
        (lambda lib: lib.FloatTensor(2.5), TypeError),
        (lambda lib: lib.LongTensor(lib.ones(2)), TypeError),
        (lambda lib: lib.autograd.Variable([1.0]), TypeError),
        (
            lambda lib: lib.autograd.Variable(lib.ones(2, dtype=lib.long), requires_grad=True),
            RuntimeError,
        ),
        (lambda lib: lib.finfo(lib.int32), TypeError),
        (lambda lib: lib.iinfo(lib.float32), TypeError),
        (lambda lib: lib.iinfo(lib.bool), TypeError),
        (lambda lib: lib.finfo(np.float32), TypeError),
    ],
)
def test_errors_have_torchs_words(call, error, torch):
    assert_same_error(call, torch, error)


def test_variable_is_a_new_leaf_sharing_memory(torch):
    for lib in (tga, torch):
        t = lib.ones(2)
        v = lib.autograd.Variable(t, requires_grad=True)
        assert v is not t and v.requires_grad and not t.requires_grad and v.is_leaf
        v.data[0] = 5.0
        assert t.tolist() == [5.0, 1.0]
        assert isinstance(t, lib.autograd.Variable)
        assert lib.autograd.Variable().tolist() == []
        (v * v).sum().backward()
        assert v.grad.tolist() == [10.0, 2.0]


def test_variable_volatile_warns_as_torch(torch):
    messages = []
    for lib in (tga, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.autograd.Variable(lib.ones(1), volatile=True)
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name, torch):
    ours, theirs = tga.finfo(getattr(tga, name)), torch.finfo(getattr(torch, name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert repr(ours) == repr(theirs)


def test_finfo_of_the_default_and_of_python_float(torch):
    assert repr(tga.finfo()) == repr(torch.finfo())
    assert tga.finfo(float).eps == torch.finfo(float).eps == 2.0**-52


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name, torch):
    ours, theirs = tga.iinfo(getattr(tga, name)), torch.iinfo(getattr(torch, name))
    assert (ours.bits, ours.max, ours.min, ours.dtype) == (
        theirs.bits,
        theirs.max,
        theirs.min,
        theirs.dtype,
    )
    assert repr(ours) == repr(theirs)


def test_constants(torch):
    assert (tga.pi, tga.e, tga.inf) == (torch.pi, torch.e, torch.inf) == (math.pi, math.e, math.inf)
    assert math.isnan(tga.nan)
