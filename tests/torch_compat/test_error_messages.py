"""A mistake raises what torch raises, word for word: shapes that do not broadcast, arithmetic
with booleans, expand, cat, permute, reshape, a dim summed twice, ``bool`` of several values, a
gradient of the wrong shape, integer powers and means; and empty tensors print as torch's.

(The mistakes of one op, module or activation are tested with it, in ops/, nn/, activations/.)
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga


def test_shapes_that_do_not_broadcast_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.ones(2, 3) + lib.ones(2, 4), torch)


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


def test_expand_and_comparison_mistakes_in_torch_words(torch):
    for shape in [(3, 4), (2, 3, 1), (-1, 2, 3, 4)]:
        assert_same_error(
            lambda L, s=shape: L.tensor(np.ones((2, 3, 4), np.float32)).expand(*s), torch
        )
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        _ = tga.tensor([1.0, 2.0]) < tga.tensor([1.0, 2.0, 3.0])


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


def test_errors_and_prints_in_torch_words(torch):
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        tga.tensor([2, 3]) ** -1
    with pytest.raises(RuntimeError, match=r"Got: Long$"):
        tga.tensor([1, 2]).mean()
    assert repr(tga.tensor(np.zeros((1, 0), np.float32))) == repr(torch.zeros(1, 0))
    assert repr(tga.tensor(np.zeros(0, np.float32))) == repr(torch.zeros(0))
