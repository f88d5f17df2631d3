"""Indexing: integers beside index arrays index as torch's do, a repeated index gets the sum
of the gradients of its copies, and mistakes get torch's words.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import autograd

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


@pytest.mark.parametrize(
    "index",
    [np.array([0, 0, 2]), (slice(None, None, 2), 1), (np.array([1, 1]), slice(0, 2))],
    ids=["repeated", "strided-then-int", "repeated-with-slice"],
)
def test_repeated_and_reversed_indices_accumulate_gradients(index):
    """A repeated index receives the sum of the gradients of every copy (np.add.at)."""
    a = tga.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    assert autograd.gradcheck(lambda a: a[index] * 1.5, (a,))


@pytest.mark.parametrize("key", [5, (0, 7), -3, (slice(None), -4), (0, 0, 0)], ids=str)
def test_index_mistakes_in_torch_words(torch, key):
    assert_same_error(lambda L: L.tensor(np.ones((2, 3)))[key], torch, IndexError)
    with pytest.raises(IndexError, match="invalid index of a 0-dim tensor"):
        tga.tensor(1.0)[0]
