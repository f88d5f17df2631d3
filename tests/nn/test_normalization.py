"""LayerNorm and BatchNorm against torch: outputs, gradients, running statistics, state_dict,
repr and errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn


def _grads(lib, module, x, upstream):
    """The output of ``module(x)`` and the gradients of Σ upstream·y for x and the parameters."""
    xt = lib.tensor(x, requires_grad=True)
    y = module(xt)
    (y * lib.tensor(upstream)).sum().backward()
    params = [p.grad.numpy() for p in module.parameters()]
    return y.detach().numpy(), xt.grad.numpy(), params


def _same_parameters(ours, theirs, rng):
    """Give both modules the same random γ and β, so the affine part is tested too."""
    for p, q in zip(ours.parameters(), theirs.parameters()):
        values = rng.normal(size=tuple(p.shape))
        p.data = tga.tensor(values, dtype=p.dtype)
        q.data = q.data.new_tensor(values)


# -- layer norm ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "normalized_shape", "kwargs"),
    [
        ((4, 5), 5, {}),
        ((2, 3, 4), (3, 4), {"eps": 1e-3}),
        ((3, 6), [6], {"bias": False}),
        ((3, 6), 6, {"elementwise_affine": False}),
    ],
)
def test_layer_norm_values_and_gradients_are_torchs(torch, rng, shape, normalized_shape, kwargs):
    x, g = rng.normal(size=shape) * 3 + 1, rng.normal(size=shape)
    ours = nn.LayerNorm(normalized_shape, dtype=tga.float64, **kwargs)
    theirs = torch.nn.LayerNorm(normalized_shape, dtype=torch.float64, **kwargs)
    _same_parameters(ours, theirs, rng)
    for a, b in zip(_grads(tga, ours, x, g), _grads(torch, theirs, x, g)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_layer_norm_in_float32_is_torchs(torch, rng):
    x = rng.normal(size=(8, 16)).astype(np.float32)
    ours = nn.functional.layer_norm(tga.tensor(x), (16,))
    theirs = torch.nn.functional.layer_norm(torch.tensor(x), (16,))
    assert ours.dtype == tga.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_layer_norm_output_has_mean_zero_and_variance_one(rng):
    layer = nn.LayerNorm(7, dtype=tga.float64)
    y = layer(tga.tensor(rng.normal(size=(3, 7)) * 5 - 2)).detach().numpy()
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), 1, rtol=1e-5)  # ε = 1e-5 takes a little off


def test_layer_norm_second_derivative_is_torchs(torch, rng):
    x = rng.normal(size=(2, 4))

    def second(lib):
        xt = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.layer_norm(xt, (4,))
        (g,) = lib.autograd.grad((y**3).sum(), xt, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), xt)
        return h.numpy()

    np.testing.assert_allclose(second(tga), second(torch), rtol=1e-9, atol=1e-11)


def test_layer_norm_repr_and_state_dict_keys_are_torchs(torch):
    for args, kwargs in [
        ((5,), {}),
        (([2, 5],), {"elementwise_affine": False}),
        ((4,), {"bias": False}),
    ]:
        ours, theirs = nn.LayerNorm(*args, **kwargs), torch.nn.LayerNorm(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert ours.normalized_shape == theirs.normalized_shape


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.LayerNorm(5)(lib.ones(3, 4)),
        lambda lib: lib.nn.LayerNorm((2, 5))(lib.ones(3, 4, 5)),
        lambda lib: lib.nn.functional.layer_norm(lib.ones(3, 4), (4,), lib.ones(3)),
    ],
)
def test_layer_norm_errors_are_torchs(torch, call):
    assert_same_error(call, torch)


def test_layer_norm_refuses_an_int_shape_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.nn.functional.layer_norm(lib.ones(3, 4), 4), torch, TypeError)


# -- batch norm ------------------------------------------------------------------------------


def _train_then_eval(lib, module, batches, upstream):
    """Outputs and gradients on each training batch, then the output in evaluation."""
    results = []
    for x in batches:
        module.zero_grad()
        results.append(_grads(lib, module, x, upstream[: len(x)].reshape(x.shape)))
    module.eval()
    results.append(module(lib.tensor(batches[0])).detach().numpy())
    return results, {k: v.numpy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize(
    ("cls", "shape", "kwargs"),
    [
        ("BatchNorm1d", (6, 3), {}),
        ("BatchNorm1d", (4, 3, 5), {"momentum": 0.3}),
        ("BatchNorm1d", (5, 3), {"momentum": None}),
        ("BatchNorm1d", (5, 3), {"affine": False}),
        ("BatchNorm1d", (5, 3), {"track_running_stats": False}),
        ("BatchNorm1d", (5, 3), {"bias": False, "eps": 0.1}),
        ("BatchNorm2d", (2, 3, 4, 2), {}),
    ],
)
def test_batch_norm_training_and_evaluation_are_torchs(torch, rng, cls, shape, kwargs):
    """Three training steps (outputs, gradients, running statistics), then eval mode."""
    batches = [rng.normal(size=shape) * s + s for s in (1.0, 2.0, 0.5)]
    upstream = rng.normal(size=shape)
    ours = getattr(nn, cls)(3, dtype=tga.float64, **kwargs)
    theirs = getattr(torch.nn, cls)(3, dtype=torch.float64, **kwargs)
    _same_parameters(ours, theirs, rng)
    (ours_out, ours_state), (theirs_out, theirs_state) = (
        _train_then_eval(tga, ours, batches, upstream),
        _train_then_eval(torch, theirs, batches, upstream),
    )
    for a, b in zip(ours_out[:-1], theirs_out[:-1]):
        for u, v in zip(a[:2], b[:2]):
            np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)
        for u, v in zip(a[2], b[2]):
            np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours_out[-1], theirs_out[-1], rtol=1e-10, atol=1e-12)
    assert list(ours_state) == list(theirs_state)
    for key in ours_state:
        assert ours_state[key].dtype == theirs_state[key].dtype, key
        np.testing.assert_allclose(ours_state[key], theirs_state[key], rtol=1e-12, atol=1e-14)


def test_batch_norm_in_float32_keeps_running_statistics_as_torch(torch, rng):
    x = rng.normal(size=(16, 4)).astype(np.float32) * 3 + 2
    ours, theirs = nn.BatchNorm1d(4), torch.nn.BatchNorm1d(4)
    for lib, m in ((tga, ours), (torch, theirs)):
        m(lib.tensor(x))
        m(lib.tensor(x * 2))
    assert ours.running_mean.dtype == tga.float32
    np.testing.assert_allclose(ours.running_mean.numpy(), theirs.running_mean.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.running_var.numpy(), theirs.running_var.numpy(), rtol=1e-6)
    assert ours.num_batches_tracked.item() == theirs.num_batches_tracked.item() == 2


def test_running_mean_moves_a_tenth_of_the_way_by_default():
    bn = nn.BatchNorm1d(1, dtype=tga.float64)
    bn(tga.tensor([[1.0], [3.0]], dtype=tga.float64))  # batch mean 2, unbiased variance 2
    np.testing.assert_allclose(bn.running_mean.numpy(), [0.2])
    np.testing.assert_allclose(bn.running_var.numpy(), [0.9 * 1 + 0.1 * 2])


def test_batch_norm_state_dict_loads_into_torch_and_back(torch, rng):
    ours = nn.BatchNorm1d(3)
    ours(tga.tensor(rng.normal(size=(4, 3)).astype(np.float32)))
    theirs = torch.nn.BatchNorm1d(3)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    assert theirs.num_batches_tracked.item() == 1
    again = nn.BatchNorm1d(3)
    again.load_state_dict(theirs.state_dict())
    np.testing.assert_array_equal(again.running_var.numpy(), ours.running_var.numpy())


def test_batch_norm_repr_and_buffers_are_torchs(torch):
    for kwargs in [{}, {"momentum": None, "affine": False, "track_running_stats": False}]:
        ours, theirs = nn.BatchNorm1d(4, **kwargs), torch.nn.BatchNorm1d(4, **kwargs)
        assert repr(ours) == repr(theirs)
        assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
        assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(nn.BatchNorm2d(8)) == repr(torch.nn.BatchNorm2d(8))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.BatchNorm1d(4)(lib.ones(1, 4)),
        lambda lib: lib.nn.BatchNorm1d(4)(lib.ones(2, 4, 3, 3)),
        lambda lib: lib.nn.BatchNorm1d(4)(lib.ones(4)),
        lambda lib: lib.nn.BatchNorm2d(4)(lib.ones(2, 4, 3)),
    ],
)
def test_batch_norm_input_errors_are_torchs(torch, call):
    assert_same_error(call, torch, ValueError)


def test_batch_norm_channel_mismatch_is_torchs(torch):
    assert_same_error(lambda lib: lib.nn.BatchNorm1d(4)(lib.ones(2, 3)), torch)


def test_functional_batch_norm_in_evaluation_uses_the_given_statistics(torch, rng):
    x, mean, var = rng.normal(size=(3, 2)), rng.normal(size=2), rng.random(2) + 0.5

    def run(lib):
        xt = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.batch_norm(xt, lib.tensor(mean), lib.tensor(var), eps=0.01)
        y.sum().backward()
        return y.detach().numpy(), xt.grad.numpy()

    for a, b in zip(run(tga), run(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-12)
