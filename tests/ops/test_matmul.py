"""matmul and einsum: the gradients for every broadcast of batch axes and every einsum pattern
against finite differences (first and second order), and every matmul shape or dtype mistake
in torch's words.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.autograd import gradcheck, gradgradcheck


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


# equation -> operand shapes: each einsum pattern, and its gradient as another einsum
EINSUMS = {
    "ij,jk->ik": [(2, 3), (3, 4)],
    "bij,bjk->bik": [(2, 2, 3), (2, 3, 2)],
    "i,i->": [(4,), (4,)],
    "ij->ji": [(2, 3)],
    "ii->i": [(3, 3)],
    "ii": [(3, 3)],
    "ij->": [(2, 3)],
    "ij->i": [(2, 3)],
    "i,j->ij": [(2,), (3,)],
    "bi,bi->b": [(3, 2), (3, 2)],
    "ij,jk": [(2, 3), (3, 2)],
    "ij,jk,kl->il": [(2, 3), (3, 2), (2, 2)],
    "...ij,...jk->...ik": [(2, 2, 3), (3, 2)],
    "ij,ij->ij": [(1, 3), (2, 3)],
    "iij,j->ij": [(2, 2, 3), (3,)],
}


@pytest.mark.parametrize("equation", sorted(EINSUMS))
def test_einsum_gradients_match_finite_differences(equation):
    rng = np.random.default_rng(3)
    operands = [tga.tensor(rng.standard_normal(s), requires_grad=True) for s in EINSUMS[equation]]

    def f(*xs):
        return tga.einsum(equation, *xs)

    assert gradcheck(f, operands)
    assert gradgradcheck(f, operands)


@pytest.mark.parametrize(
    ("name", "f", "shapes"),
    [
        ("mm", lambda a, b: a.mm(b), [(2, 3), (3, 2)]),
        ("mv", lambda a, v: a.mv(v), [(2, 3), (3,)]),
        ("dot", lambda a, b: a.dot(b), [(3,), (3,)]),
        ("outer", lambda a, b: a.outer(b), [(3,), (2,)]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_matrix_products_second_derivatives_match_finite_differences(name, f, shapes):
    rng = np.random.default_rng(4)
    operands = [tga.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    assert gradcheck(f, operands) and gradgradcheck(f, operands)
