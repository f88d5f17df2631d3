"""Random fills of tensors that are not contiguous, against torch: torch's serial kernels walk a
tensor's memory, so a transposed tensor gets its numbers in memory order (and ``normal_`` takes
its one-at-a-time path there); a new ``*_like`` tensor keeps its input's layout when that is
dense (``empty_like``), else is contiguous."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga

CASES = {
    "dropout of a transpose": lambda T: T.nn.functional.dropout(T.ones(2, 3).t(), 0.5),
    "dropout of a permutation": lambda T: T.nn.functional.dropout(
        T.ones(4, 3, 2).permute(2, 0, 1), 0.3
    ),
    "rand_like of a transpose": lambda T: T.rand_like(T.ones(3, 5).t()),
    "randn_like of a transpose (20: the serial path)": lambda T: T.randn_like(T.ones(5, 4).t()),
    "randint_like of a transpose": lambda T: T.randint_like(T.ones(3, 4).t(), 10),
    "rand_like of a strided slice (not dense)": lambda T: T.rand_like(T.ones(3, 4)[:, ::2]),
    "uniform_ of a transpose": lambda T: T.zeros(6, 5).t().uniform_(),
    "normal_ of a transpose": lambda T: T.zeros(6, 5).t().normal_(),
    "normal_ of a strided slice": lambda T: T.zeros(6, 5)[:, ::2].normal_(),
    "bernoulli_ of a transpose": lambda T: T.zeros(6, 5).t().bernoulli_(0.3),
    "random_ of a transpose": lambda T: T.zeros(4, 3, dtype=T.int64).t().random_(0, 100),
    "exponential_ of a transpose": lambda T: T.zeros(4, 3).t().exponential_(),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES)
def test_non_contiguous_fills_are_torchs(torch, make):
    def run(lib):
        lib.manual_seed(0)
        return make(lib).numpy(), lib.randn(3).numpy()  # and the stream after it

    (ours, after), (theirs, their_after) = run(tga), run(torch)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(after, their_after)
