"""Shape ops against torch: flatten (from and to any dimension, empty batches, and torch's
refusals), cat (an empty vector is skipped, yet stays in the graph) and stack.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga

# -- flatten ---------------------------------------------------------------------------------------


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
    np.testing.assert_array_equal(y.array, expected.numpy())
    (y * tga.tensor(np.arange(y.array.size).reshape(y.shape))).sum().backward()
    np.testing.assert_array_equal(x.grad.array, np.arange(data.size).reshape(shape))


def test_flatten_refuses_what_torch_refuses(torch):
    x = tga.ones(2, 3, 4)
    with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim"):
        x.flatten(2, 1)
    with pytest.raises(IndexError, match=r"range of \[-3, 2\], but got 3"):
        x.flatten(3)


def test_flatten_of_an_empty_batch(torch):
    ours = tga.nn.Flatten()(tga.zeros(0, 3, 4))
    assert ours.shape == tuple(torch.nn.Flatten()(torch.zeros(0, 3, 4)).shape) == (0, 12)
    assert tga.zeros(2, 0, 3).flatten(0, 1).shape == (0, 3)


# -- cat and stack ---------------------------------------------------------------------------------


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
