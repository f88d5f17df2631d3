"""Reductions as torch's: max shares its gradient between ties, sums of integers are int64,
a float16 mean adds up in float32, and a dim out of range is an IndexError.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga


def test_max_ties_share_the_gradient_as_torch():
    x = tga.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]
    x = tga.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]] and indices.tolist() == [1]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.bool_])
def test_sums_of_integers_are_int64_as_torch(torch, dtype):
    data = np.array([[1, 0], [1, 1]], dtype=dtype)
    for dim in (None, 0):
        ours = tga.tensor(data).sum(dim)
        theirs = torch.tensor(data).sum() if dim is None else torch.tensor(data).sum(dim)
        assert ours.dtype == np.int64 and str(theirs.dtype) == "torch.int64"
        np.testing.assert_array_equal(ours.array, theirs.numpy())


def test_mean_of_float16_adds_up_in_float32_as_torch():
    x = tga.tensor(np.full(1000, 100.0, np.float16))
    assert x.mean().item() == 100.0 and x.mean().dtype == np.float16


def test_bad_dim():
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of "
        r"\[-2, 1\], but got 2\)",
    ):
        tga.ones(2, 3).sum(dim=2)
