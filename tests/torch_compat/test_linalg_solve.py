"""Inverse, determinant, solve and addmm/addmv: values, first and second derivatives, node
names and errors, each checked against torch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tests.torch_errors import assert_same_error


def _both(torch, *arrays):
    """The same float64 arrays as leaves that require grad, in each library."""
    ours = [tga.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    return ours, theirs


def _matrices(rng, *shape):
    """Well-conditioned square matrices: random plus a multiple of the identity."""
    n = shape[-1]
    return rng.standard_normal(shape) + 3 * np.eye(n)


def _gradients(lib, f, inputs, weights):
    """First derivatives of Σ w·f(inputs), and the derivatives of Σ (those first derivatives)²."""
    out = f(lib, *inputs)
    loss = (out * lib.tensor(weights)).sum()
    firsts = lib.autograd.grad(loss, inputs, create_graph=True)
    second = sum((g * g).sum() for g in firsts)
    seconds = lib.autograd.grad(second, inputs, allow_unused=True)  # addmm's bias: linear
    return out, firsts, seconds


CASES = {
    "inv": (lambda lib, a: lib.linalg.inv(a), [(3, 3)]),
    "inverse batched": (lambda lib, a: lib.inverse(a), [(2, 4, 4)]),
    "method inverse": (lambda lib, a: a.inverse(), [(3, 3)]),
    "det": (lambda lib, a: lib.det(a), [(3, 3)]),
    "linalg.det batched": (lambda lib, a: lib.linalg.det(a), [(2, 3, 3)]),
    "solve matrix": (lambda lib, a, b: lib.linalg.solve(a, b), [(3, 3), (3, 2)]),
    "solve vector": (lambda lib, a, b: lib.linalg.solve(a, b), [(3, 3), (3,)]),
    "solve batched vectors": (lambda lib, a, b: lib.linalg.solve(a, b), [(2, 3, 3), (2, 3)]),
    "solve broadcast": (lambda lib, a, b: lib.linalg.solve(a, b), [(2, 3, 3), (3, 4)]),
    "solve left=False": (lambda lib, a, b: lib.linalg.solve(a, b, left=False), [(3, 3), (2, 3)]),
    "addmm": (lambda lib, c, a, b: lib.addmm(c, a, b, beta=0.5, alpha=2.0), [(2,), (2, 3), (3, 2)]),
    "method addmm": (lambda lib, c, a, b: c.addmm(a, b), [(2, 2), (2, 3), (3, 2)]),
    "addmv": (lambda lib, c, a, v: lib.addmv(c, a, v, beta=-1.5), [(2,), (2, 3), (3,)]),
}


@pytest.mark.parametrize("name", CASES)
def test_values_and_two_orders_of_derivatives_match_torch(name, torch, rng):
    f, shapes = CASES[name]
    arrays = [
        _matrices(rng, *s) if len(s) >= 2 and s[-1] == s[-2] else rng.standard_normal(s)
        for s in shapes
    ]
    ours, theirs = _both(torch, *arrays)
    expected = f(torch, *theirs)
    weights = rng.standard_normal(expected.shape)
    out, firsts, seconds = _gradients(tga, f, ours, weights)
    t_out, t_firsts, t_seconds = _gradients(torch, f, theirs, weights)
    np.testing.assert_allclose(out.detach().numpy(), t_out.detach().numpy(), rtol=1e-10)
    assert out.dtype == tga.float64 and out.shape == tuple(t_out.shape)
    for mine, theirs_ in zip(firsts + seconds, t_firsts + t_seconds):
        if theirs_ is None:  # a second derivative that is zero: no path in either graph
            assert mine is None
            continue
        np.testing.assert_allclose(
            mine.detach().numpy(), theirs_.detach().numpy(), rtol=1e-8, atol=1e-10
        )


@pytest.mark.parametrize(
    ("call", "node"),
    [
        (lambda lib, a: lib.linalg.inv(a), "LinalgInvExBackward0"),
        (lambda lib, a: lib.inverse(a), "LinalgInvExBackward0"),
        (lambda lib, a: lib.det(a), "LinalgDetBackward0"),
        (lambda lib, a: lib.linalg.solve(a, a[0]), "LinalgSolveExBackward0"),
        (lambda lib, a: lib.addmm(a, a, a), "AddmmBackward0"),
        (lambda lib, a: lib.addmv(a[0], a, a[1]), "AddmvBackward0"),
    ],
)
def test_the_node_has_torchs_name(call, node, torch):
    ours = call(tga, tga.eye(3, requires_grad=True))
    theirs = call(torch, torch.eye(3, requires_grad=True))
    assert type(theirs.grad_fn).__name__ == node
    assert repr(ours.grad_fn) == f"<{node}>"


def test_float32_stays_float32(torch):
    a = [[2.0, 1.0], [1.0, 3.0]]
    for name in ("inv", "det"):
        ours = getattr(tga.linalg, name)(tga.tensor(a))
        theirs = getattr(torch.linalg, name)(torch.tensor(a))
        assert str(ours.dtype) == str(theirs.dtype) == "torch.float32"
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_det_of_a_singular_matrix_is_zero_and_of_an_empty_one_is_one():
    assert tga.det(tga.tensor([[1.0, 2.0], [2.0, 4.0]])).item() == 0.0
    assert tga.det(tga.zeros(0, 0)).item() == 1.0


def test_inverse_undoes_the_matrix(rng):
    a = tga.tensor(_matrices(rng, 4, 4))
    np.testing.assert_allclose((a @ tga.linalg.inv(a)).numpy(), np.eye(4), atol=1e-12)


def test_addmm_with_beta_zero_ignores_nan_in_input(torch):
    for lib in (tga, torch):
        out = lib.addmm(lib.full((2, 2), float("nan")), lib.ones(2, 3), lib.ones(3, 2), beta=0)
        assert out.tolist() == [[3.0, 3.0], [3.0, 3.0]]


SINGULAR = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]

ERRORS = {
    "inv singular": lambda lib: lib.linalg.inv(lib.tensor(SINGULAR)),
    "inv zeros": lambda lib: lib.inverse(lib.zeros(2, 2)),
    "inv batch": lambda lib: lib.linalg.inv(lib.stack([lib.eye(3), lib.tensor(SINGULAR)])),
    "inv not square": lambda lib: lib.linalg.inv(lib.ones(2, 3)),
    "inv vector": lambda lib: lib.linalg.inv(lib.ones(3)),
    "inv integers": lambda lib: lib.linalg.inv(lib.ones(2, 2, dtype=lib.long)),
    "det not square": lambda lib: lib.det(lib.ones(2, 3)),
    "det vector": lambda lib: lib.det(lib.ones(3)),
    "det integers": lambda lib: lib.linalg.det(lib.ones(2, 2, dtype=lib.long)),
    "solve singular": lambda lib: lib.linalg.solve(lib.tensor(SINGULAR), lib.ones(3)),
    "solve batch singular": lambda lib: lib.linalg.solve(lib.zeros(2, 3, 3), lib.ones(3)),
    "solve shapes": lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(2, 2)),
    "solve vector shape": lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(2)),
    "solve left=False": lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3), left=False),
    "solve not square": lambda lib: lib.linalg.solve(lib.ones(2, 3), lib.ones(2)),
    "solve dtypes": lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3, dtype=lib.float64)),
    "solve batches": lambda lib: lib.linalg.solve(lib.eye(3).expand(2, 3, 3), lib.ones(4, 3, 1)),
    "addmm input": lambda lib: lib.addmm(lib.ones(3), lib.ones(2, 3), lib.ones(3, 2)),
    "addmm mat1": lambda lib: lib.addmm(lib.ones(2, 2), lib.ones(3), lib.ones(3, 2)),
    "addmm mat2": lambda lib: lib.addmm(lib.ones(2, 2), lib.ones(2, 3), lib.ones(2)),
    "addmm shapes": lambda lib: lib.addmm(lib.ones(2, 2), lib.ones(2, 3), lib.ones(4, 2)),
    "addmm self dtype": lambda lib: lib.addmm(
        lib.ones(2, 2), lib.ones(2, 3), lib.ones(3, 2, dtype=lib.float64)
    ),
    "addmm mat1 dtype": lambda lib: lib.addmm(
        lib.ones(2, 2), lib.ones(2, 3, dtype=lib.float64), lib.ones(3, 2)
    ),
    "addmv shapes": lambda lib: lib.addmv(lib.ones(2), lib.ones(2, 3), lib.ones(2)),
    "addmv dtypes": lambda lib: lib.addmv(
        lib.ones(2), lib.ones(2, 3, dtype=lib.float64), lib.ones(3)
    ),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_have_torchs_words(name, torch):
    assert_same_error(ERRORS[name], torch)


def test_a_singular_matrix_raises_linalg_error(torch):
    for lib in (tga, torch):
        with pytest.raises(lib.linalg.LinAlgError):
            lib.linalg.inv(lib.zeros(2, 2))


def test_addmm_refuses_a_number_as_input(torch):
    assert_same_error(lambda lib: lib.addmm(1, lib.ones(2, 3), lib.ones(3, 2)), torch, TypeError)


def test_the_inverse_of_a_matrix_holding_a_nan_is_all_nan_as_torch(torch):
    def run(lib):
        a = lib.tensor([[[1.0, 2.0], [3.0, 4.0]], [[float("nan"), 2.0], [3.0, 4.0]]])
        return np.array(lib.inverse(a).tolist())

    ours, theirs = run(tga), run(torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert np.isnan(ours[1]).all() and not np.isnan(ours[0]).any()
