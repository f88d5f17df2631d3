"""``Size``: a shape as torch gives it — a tuple of ints printing as ``torch.Size([2, 3])``, whose
slices, sums and repeats are Sizes again; ``shape`` and ``size()`` return one.
"""

from __future__ import annotations

import pickle

import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.torch_compat.size import Size

CASES = {
    "repr": lambda lib: repr(lib.ones(11, 1).shape),
    "str": lambda lib: str(lib.ones(2, 3).size()),
    "empty": lambda lib: repr(lib.tensor(1.0).shape),
    "f-string": lambda lib: f"{lib.zeros(0, 4).shape}",
    "equals a tuple": lambda lib: lib.ones(2, 3).shape == (2, 3),
    "not a list": lambda lib: lib.ones(2, 3).shape == [2, 3],
    "is a tuple": lambda lib: isinstance(lib.ones(2).shape, tuple),
    "slice": lambda lib: repr(lib.ones(2, 3, 4).shape[1:]),
    "item": lambda lib: lib.ones(2, 3, 4).shape[-1],
    "plus a tuple": lambda lib: repr(lib.ones(2).shape + (3,)),
    "a tuple plus": lambda lib: repr((3,) + lib.ones(2).shape),
    "times": lambda lib: repr(lib.ones(2, 3).shape * 2),
    "numel": lambda lib: lib.ones(2, 3, 4).shape.numel(),
    "count": lambda lib: lib.ones(1, 2, 1).shape.count(1),
    "hash": lambda lib: hash(lib.ones(2).shape) == hash((2,)),
    "size(dim)": lambda lib: lib.ones(2, 3).size(-1),
    "unpack": lambda lib: [n * 10 for n in lib.ones(2, 3).shape],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_size_as_torch(case, torch):
    assert outcome(CASES[case], tga) == outcome(CASES[case], torch)


def test_size_is_made_of_ints_as_torch(torch):
    assert repr(Size([2, 3])) == repr(torch.Size([2, 3])) == "torch.Size([2, 3])"
    assert type(tga.ones(2).shape) is Size and type(tga.ones(2).shape[:1]) is Size
    assert_same_error(lambda lib: (lib.Size if lib is torch else Size)([2.0]), torch, TypeError)
    assert_same_error(lambda lib: lib.ones(2, 3).size(2), torch, IndexError)


def test_size_survives_pickling_and_factories():
    s = tga.ones(2, 3).shape
    assert pickle.loads(pickle.dumps(s)) == s and type(pickle.loads(pickle.dumps(s))) is Size
    assert tga.zeros(s).shape == (2, 3) and tga.ones(2, 3).reshape(s[::-1]).shape == (3, 2)
