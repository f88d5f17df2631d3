"""Gradient clipping against torch: the total norm returned, the gradients after, every norm."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn

GRADS = [np.array([[3.0, -4.0], [0.5, 2.0]]), np.array([1.0, -12.0, 0.25])]


def _params(lib, grads=GRADS, dtype="float64"):
    params = []
    for g in grads:
        p = lib.nn.Parameter(lib.zeros(g.shape, dtype=getattr(lib, dtype)))
        p.grad = lib.tensor(g, dtype=getattr(lib, dtype))
        params.append(p)
    return params


def _clip(lib, max_norm, norm_type=2.0, dtype="float64"):
    params = _params(lib, dtype=dtype)
    total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    return total, [p.grad.numpy() for p in params]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 5.0, 100.0])
def test_norm_and_clipped_gradients_are_torchs(torch, max_norm, norm_type):
    (ours, ours_grads), (theirs, theirs_grads) = (
        _clip(tga, max_norm, norm_type),
        _clip(torch, max_norm, norm_type),
    )
    assert isinstance(ours, tga.Tensor) and ours.shape == theirs.shape == ()
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-15)
    for a, b in zip(ours_grads, theirs_grads):
        np.testing.assert_allclose(a, b, rtol=1e-15)


def test_float32_norm_is_torchs(torch):
    (ours, ours_grads), (theirs, theirs_grads) = (
        _clip(tga, 1.0, dtype="float32"),
        _clip(torch, 1.0, dtype="float32"),
    )
    assert ours.dtype == tga.float32
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-7)
    for a, b in zip(ours_grads, theirs_grads):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_total_norm_is_the_norm_of_all_gradients_as_one_vector():
    total, grads = _clip(tga, 1.0)
    everything = np.concatenate([g.ravel() for g in GRADS])
    assert total.item() == pytest.approx(np.linalg.norm(everything))
    clipped = np.concatenate([g.ravel() for g in grads])
    assert np.linalg.norm(clipped) == pytest.approx(1.0, rel=1e-6)
    np.testing.assert_allclose(clipped / everything, clipped[0] / everything[0])  # one factor


def test_gradients_below_the_limit_are_left_as_they_are():
    _, grads = _clip(tga, 1000.0)
    for a, b in zip(grads, GRADS):
        np.testing.assert_array_equal(a, b)


def test_parameters_without_gradient_are_skipped_and_a_single_tensor_is_accepted(torch):
    def run(lib):
        a, b = _params(lib)
        b.grad = None
        total = lib.nn.utils.clip_grad_norm_(a, 1.0)
        return total.item(), a.grad.numpy(), b.grad

    ours, theirs = run(tga), run(torch)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-15) and ours[2] is theirs[2] is None
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-15)


def test_nonfinite_norm_is_an_error_when_asked(torch):
    messages = []
    for lib in (tga, torch):
        params = _params(lib, [np.array([1.0, np.inf])])
        with pytest.raises(RuntimeError) as raised:
            lib.nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_empty_generator_warns_as_torch(torch):
    for lib in (tga, torch):
        with pytest.warns(UserWarning, match="empty generator"):
            total = lib.nn.utils.clip_grad_norm_((p for p in []), 1.0)
        assert total.item() == 0.0


def test_clip_grad_value_is_torchs(torch):
    ours, theirs = _params(tga), _params(torch)
    assert nn.utils.clip_grad_value_(ours, 2.5) is None
    torch.nn.utils.clip_grad_value_(theirs, 2.5)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
    assert ours[1].grad.numpy().tolist() == [1.0, -2.5, 0.25]


def test_clipping_in_a_training_step_bumps_nothing_in_the_graph():
    model = nn.Linear(3, 1)
    model(tga.ones(2, 3)).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = nn.utils.clip_grad_norm_(model.parameters(), 0.1)
    assert total.grad_fn is None and not total.requires_grad
    grads = np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])
    assert np.linalg.norm(grads) == pytest.approx(0.1, rel=1e-5)


def test_parameters_to_vector_and_back_are_torchs(torch):
    def run(lib):
        model = lib.nn.Linear(3, 2, dtype=lib.float64)
        model.weight.data = lib.tensor(np.arange(6.0).reshape(2, 3))
        model.bias.data = lib.tensor([7.0, 8.0], dtype=lib.float64)
        vec = lib.nn.utils.parameters_to_vector(model.parameters())
        lib.nn.utils.vector_to_parameters(vec.detach() * 2, model.parameters())
        return vec.detach().numpy(), model.weight.detach().numpy(), model.bias.detach().numpy()

    for a, b in zip(run(tga), run(torch)):
        np.testing.assert_array_equal(a, b)
