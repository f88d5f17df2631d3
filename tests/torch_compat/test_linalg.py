"""torch's linear algebra — mm, mv, dot, outer (ger), t, mT, matmul, eye, einsum, and the
linalg namespace's norms — each against torch 2.13: values, dtypes, shapes, gradients, second
derivatives, and torch's words for the typical mistakes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga

INF = math.inf


def _data(*shapes):
    rng = np.random.default_rng(11)
    return [rng.normal(size=shape) for shape in shapes]


# name -> (call(lib, *tensors), input shapes)
CASES = {
    "mm": (lambda L, a, b: L.mm(a, b), [(2, 3), (3, 4)]),
    "mm method": (lambda L, a, b: a.mm(b), [(3, 3), (3, 1)]),
    "mv": (lambda L, a, v: L.mv(a, v), [(2, 3), (3,)]),
    "dot": (lambda L, a, b: L.dot(a, b), [(5,), (5,)]),
    "outer": (lambda L, a, b: L.outer(a, b), [(3,), (4,)]),
    "ger": (lambda L, a, b: a.ger(b), [(2,), (3,)]),
    "t": (lambda L, a: L.t(a) * 2.0, [(2, 3)]),
    "t of a vector": (lambda L, a: a.t() * 2.0, [(3,)]),
    "mT": (lambda L, a: a.mT * 2.0, [(2, 3, 4)]),
    "matmul, @": (lambda L, a, b: L.matmul(a, b) + a @ b, [(2, 2, 3), (3, 4)]),
    "einsum ij,jk->ik": (lambda L, a, b: L.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum bij,bjk->bik": (lambda L, a, b: L.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 4)]),
    "einsum i,i->": (lambda L, a, b: L.einsum("i,i->", a, b), [(4,), (4,)]),
    "einsum ij->ji": (lambda L, a: L.einsum("ij->ji", a), [(2, 3)]),
    "einsum ii->i": (lambda L, a: L.einsum("ii->i", a), [(3, 3)]),
    "einsum ii (trace)": (lambda L, a: L.einsum("ii", a), [(3, 3)]),
    "einsum ij->": (lambda L, a: L.einsum("ij->", a), [(2, 3)]),
    "einsum i,j->ij": (lambda L, a, b: L.einsum("i,j->ij", a, b), [(2,), (3,)]),
    "einsum bi,bi->b": (lambda L, a, b: L.einsum("bi,bi->b", a, b), [(3, 4), (3, 4)]),
    "einsum implicit ij,jk": (lambda L, a, b: L.einsum("ij,jk", a, b), [(2, 3), (3, 4)]),
    "einsum implicit ba,a": (lambda L, a, b: L.einsum("ba,a", a, b), [(2, 3), (3,)]),
    "einsum spaces, a list": (
        lambda L, a, b: L.einsum("i j , j k -> k i", [a, b]),
        [(2, 3), (3, 4)],
    ),
    "einsum three operands": (
        lambda L, a, b, c: L.einsum("ij,jk,kl->il", a, b, c),
        [(2, 3), (3, 4), (4, 2)],
    ),
    "einsum a repeated operand": (lambda L, a: L.einsum("ij,ij->i", a, a), [(2, 3)]),
    "einsum ellipsis": (lambda L, a, b: L.einsum("...ij,...jk->...ik", a, b), [(5, 2, 3), (3, 4)]),
    "einsum ellipsis, implicit": (lambda L, a, b: L.einsum("...i,...i", a, b), [(2, 5, 3), (5, 3)]),
    "einsum ellipsis summed": (lambda L, a: L.einsum("ij...->ij", a), [(2, 3, 4)]),
    "einsum size-1 broadcast": (lambda L, a, b: L.einsum("ij,ij->ij", a, b), [(1, 3), (2, 3)]),
    "einsum diagonal times a vector": (
        lambda L, a, b: L.einsum("iij,j->i", a, b),
        [(3, 3, 2), (2,)],
    ),
    "linalg.norm": (lambda L, a: L.linalg.norm(a), [(2, 3)]),
    "linalg.norm dim": (lambda L, a: L.linalg.norm(a, dim=1, keepdim=True), [(2, 3)]),
    "linalg.norm ord=3 vector": (lambda L, a: L.linalg.norm(a, 3), [(4,)]),
    "linalg.norm ord=fro": (lambda L, a: L.linalg.norm(a, "fro"), [(2, 3)]),
    "linalg.norm ord=1 matrix": (lambda L, a: L.linalg.norm(a, 1), [(2, 3)]),
    "linalg.norm ord=inf matrix": (lambda L, a: L.linalg.norm(a, INF), [(2, 3)]),
    "linalg.vector_norm": (lambda L, a: L.linalg.vector_norm(a), [(2, 3, 2)]),
    "linalg.vector_norm ord dims": (
        lambda L, a: L.linalg.vector_norm(a, 1.5, dim=(0, 2)),
        [(2, 3, 2)],
    ),
    "linalg.matrix_norm ord=-1, batched": (
        lambda L, a: L.linalg.matrix_norm(a, -1),
        [(2, 3, 4)],
    ),
    "linalg.matrix_norm ord=-inf keepdim": (
        lambda L, a: L.linalg.matrix_norm(a, -INF, keepdim=True),
        [(2, 3, 4)],
    ),
}

# The products and the 2-norms are smooth: their second derivatives are compared too.
SMOOTH = {name for name in CASES if not name.startswith("linalg") or "ord" not in name}


def _run(call, arrays, lib, second):
    xs = [lib.tensor(a, requires_grad=True) for a in arrays]
    y = call(lib, *xs)
    w = lib.tensor(np.random.default_rng(5).uniform(0.5, 2.0, tuple(y.shape)))
    grads = lib.autograd.grad((y * w).sum(), xs, create_graph=second)
    out = [y.detach().numpy()] + [g.detach().numpy() for g in grads]
    if second:
        total = sum((g * g * g).sum() for g in grads)  # cubes: the squares of linear ones are
        if total.requires_grad:  # constant in x
            out += [
                np.zeros(x.shape) if h is None else h.numpy()
                for x, h in zip(xs, lib.autograd.grad(total, xs, allow_unused=True))
            ]
    return str(y.dtype).removeprefix("torch."), tuple(y.shape), out


@pytest.mark.parametrize("name", sorted(CASES))
def test_linear_algebra_as_torch(name, torch):
    call, shapes = CASES[name]
    arrays = _data(*shapes)
    second = name in SMOOTH
    ours, theirs = _run(call, arrays, tga, second), _run(call, arrays, torch, second)
    assert ours[:2] == theirs[:2]
    assert len(ours[2]) == len(theirs[2])
    for a, b in zip(ours[2], theirs[2]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.eye(3),
        lambda L: L.eye(2, 4),
        lambda L: L.eye(3, 2, dtype=L.int64),
        lambda L: L.eye(0),
        lambda L: L.eye(2, dtype=L.float64, requires_grad=True).requires_grad,
        lambda L: L.eye(2, device="cpu"),
        lambda L: L.eye(-1),
        lambda L: L.eye(2, -3),
    ],
    ids=["n", "n, m", "int64", "empty", "requires_grad", "cpu", "negative n", "negative m"],
)
def test_eye_as_torch(call, torch):
    assert outcome(call, tga) == outcome(call, torch)


def test_eye_refuses_a_float_size_in_torch_words(torch):
    assert_same_error(lambda L: L.eye(2.0), torch, TypeError)


def test_integer_products_as_torch(torch):
    a = np.arange(6).reshape(2, 3)
    calls = [
        lambda L: L.mm(L.tensor(a), L.tensor(a.T)),
        lambda L: L.dot(L.tensor(a[0]), L.tensor(a[1])),
        lambda L: L.outer(L.tensor(a[0]), L.tensor([0.5, 1.5])),
        lambda L: L.einsum("ij,kj->ik", L.tensor(a), L.tensor(a)),
        lambda L: L.einsum("i,j->ij", L.tensor(a[0], dtype=L.int32), L.tensor(a[1])),
    ]
    for call in calls:
        assert outcome(call, tga) == outcome(call, torch)


def test_einsum_gives_a_graph_of_one_op_per_call():
    a = tga.tensor(_data((2, 3))[0], requires_grad=True)
    y = tga.einsum("ij,ij->", a, a)
    assert y.grad_fn.name() == "EinsumBackward0"
    y.backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * a.detach().numpy(), rtol=1e-15)


MISTAKES = {
    "mm shapes": lambda L: L.mm(L.ones(2, 3), L.ones(4, 5)),
    "mm of a 3-D tensor": lambda L: L.mm(L.ones(2, 3, 3), L.ones(3, 3)),
    "mm with a vector": lambda L: L.ones(2, 3).mm(L.ones(3)),
    "mm dtypes": lambda L: L.mm(L.ones(2, 3), L.ones(3, 2, dtype=L.float64)),
    "mv shapes": lambda L: L.mv(L.ones(2, 3), L.ones(4)),
    "mv of a matrix": lambda L: L.mv(L.ones(2, 3), L.ones(3, 1)),
    "mv dtypes": lambda L: L.mv(L.ones(2, 3), L.ones(3, dtype=L.float64)),
    "dot of 2-D": lambda L: L.dot(L.ones(2, 3), L.ones(2, 3)),
    "dot lengths": lambda L: L.ones(3).dot(L.ones(4)),
    "dot dtypes": lambda L: L.dot(L.ones(3), L.ones(3, dtype=L.float64)),
    "outer of 2-D": lambda L: L.outer(L.ones(3, 1), L.ones(2)),
    "outer with 2-D": lambda L: L.ones(3).outer(L.ones(2, 2)),
    "t of 3-D": lambda L: L.ones(2, 3, 4).t(),
    "mT of a vector": lambda L: L.ones(3).mT,
    "einsum sizes": lambda L: L.einsum("ij,jk->ik", L.ones(2, 3), L.ones(4, 4)),
    "einsum too few operands": lambda L: L.einsum("ij,jk->ik", L.ones(2, 3)),
    "einsum too many operands": lambda L: L.einsum("ij->ji", L.ones(2, 3), L.ones(3)),
    "einsum subscripts": lambda L: L.einsum("ijk,jk->ik", L.ones(2, 3), L.ones(3, 4)),
    "einsum output twice": lambda L: L.einsum("ij,jk->ikk", L.ones(2, 3), L.ones(3, 4)),
    "einsum output unknown": lambda L: L.einsum("ij,jk->iz", L.ones(2, 3), L.ones(3, 4)),
    "einsum invalid subscript": lambda L: L.einsum("i1->", L.ones(2, 3)),
    "einsum second arrow": lambda L: L.einsum("ij->j->", L.ones(2, 3)),
    "einsum diagonal sizes": lambda L: L.einsum("ii->i", L.ones(2, 3)),
    "einsum stray dot": lambda L: L.einsum("ij.", L.ones(2, 3)),
    "einsum two ellipses": lambda L: L.einsum("i....->i", L.ones(2, 3)),
    "einsum too many subscripts": lambda L: L.einsum("ijkl...->ij", L.ones(2, 3)),
    "einsum ellipsis sizes": lambda L: L.einsum("...i,...i", L.ones(2, 5, 3), L.ones(4, 2, 3)),
    "einsum dtypes": lambda L: L.einsum("ij,jk->ik", L.ones(2, 3), L.ones(3, 4, dtype=L.float64)),
    "linalg.norm 3-D with ord": lambda L: L.linalg.norm(L.ones(2, 2, 2), ord=2),
    "matrix_norm of a vector": lambda L: L.linalg.matrix_norm(L.ones(2)),
    "matrix_norm order": lambda L: L.linalg.norm(L.ones(2, 2), ord=3),
    "vector_norm narrowing": lambda L: L.linalg.vector_norm(
        L.ones(2, dtype=L.float64), dtype=L.float32
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistakes_in_torch_words(name, torch):
    assert_same_error(MISTAKES[name], torch)


TYPE_MISTAKES = {
    "einsum of an array": lambda L: L.einsum("ij->ji", np.ones((2, 3))),
    "einsum without an equation": lambda L: L.einsum(3, L.ones(2, 3)),
    "vector_norm ord fro": lambda L: L.linalg.vector_norm(L.ones(2, 2), ord="fro"),
    "mm of a list": lambda L: L.mm([[1.0]], L.ones(1, 1)),
}


@pytest.mark.parametrize("name", sorted(TYPE_MISTAKES))
def test_type_mistakes_in_torch_words(name, torch):
    assert_same_error(TYPE_MISTAKES[name], torch, TypeError)


def test_einsum_without_operands_in_torch_words(torch):
    assert_same_error(lambda L: L.einsum("ij->ji"), torch, ValueError)


def test_norm_of_huge_and_tiny_values_is_finite_and_exact():
    """Scaled by a power of two first: √2·10²⁰⁰ and √2·10⁻²⁰⁰ come out right (torch gives inf
    and 0: the squares overflow and underflow)."""
    for scale in (1e200, 1e-200):
        x = tga.tensor([scale, scale], dtype=tga.float64)
        for ord, exact in ((2, math.sqrt(2) * scale), (3, 2 ** (1 / 3) * scale)):
            got = tga.linalg.vector_norm(x, ord).item()
            assert got == pytest.approx(exact, rel=4e-16)
