"""matmul: the gradients for every broadcast of batch axes against finite differences, and
every shape or dtype mistake in torch's words.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.autograd import gradcheck


@settings(max_examples=40, deadline=None)
@given(
    batch=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3),
    n=st.integers(1, 3),
    k=st.integers(1, 3),
    m=st.integers(1, 3),
    seed=st.integers(0, 99),
)
def test_matmul_gradients_match_finite_differences(batch, n, k, m, seed):
    rng = np.random.default_rng(seed)
    ba, bb = batch.input_shapes
    a = tga.tensor(rng.standard_normal(ba + (n, k)), requires_grad=True)
    b = tga.tensor(rng.standard_normal(bb + (k, m)), requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    assert gradcheck(lambda p, q: p @ q, [a, b])


def test_matmul_shape_mismatch():
    with pytest.raises(
        RuntimeError,
        match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and "
        r"2x3\)",
    ):
        tga.ones(2, 3) @ tga.ones(2, 3)


MATMUL_MISTAKES = [
    ((3,), np.float32, (2,), np.float32),
    ((2, 3), np.float32, (2,), np.float32),
    ((3,), np.float32, (2, 4), np.float32),
    ((2, 2, 3), np.float32, (4, 5), np.float32),
    ((3,), np.float32, (), np.float32),
    ((2,), np.float16, (2,), np.float32),
    ((2, 2), np.float64, (2, 2), np.float32),
    ((2, 2), np.float64, (2,), np.float32),
]


@pytest.mark.parametrize(("sa", "da", "sb", "db"), MATMUL_MISTAKES, ids=str)
def test_matmul_mistakes_in_torch_words(torch, sa, da, sb, db):
    assert_same_error(lambda L: L.tensor(np.ones(sa, da)) @ L.tensor(np.ones(sb, db)), torch)
