"""``autograd.grad(..., is_grads_batched=True)``: each row of the grad_outputs is one
vector-Jacobian product, stacked along a first dimension — against torch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga


def _batched(lib, rows, create_graph=False):
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
    y = (x**2) * w
    v = lib.tensor(rows, dtype=lib.float64)
    gx, gw = lib.autograd.grad(y, (x, w), v, is_grads_batched=True, create_graph=create_graph)
    return x, gx, gw


def test_the_rows_of_the_identity_give_the_jacobian(torch):
    eye = np.eye(3).tolist()
    _, ours_x, ours_w = _batched(tga, eye)
    _, theirs_x, theirs_w = _batched(torch, eye)
    np.testing.assert_allclose(ours_x.numpy(), theirs_x.numpy(), rtol=1e-15)
    np.testing.assert_allclose(ours_w.numpy(), theirs_w.numpy(), rtol=1e-15)
    np.testing.assert_allclose(ours_x.numpy(), np.diag([1.0, -4.0, 12.0]))  # 2x·w by hand


def test_batched_results_can_be_differentiated_again(torch):
    rows = [[1.0, 0.0, 2.0], [0.5, 1.0, 0.0]]

    def second(lib):
        x, gx, _ = _batched(lib, rows, create_graph=True)
        (g2,) = lib.autograd.grad(gx.sum(), x)
        return g2.detach().numpy()

    np.testing.assert_allclose(second(tga), second(torch), rtol=1e-15)


def test_a_batch_of_the_wrong_shape_is_refused():
    x = tga.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="first dimension of each grad_output"):
        tga.autograd.grad(x * 2, x, tga.eye(2), is_grads_batched=True)
