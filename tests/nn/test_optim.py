"""SGD and Adam against torch: from the same weights, 50 steps give the same losses and weights.

Each model is an MLP Linear-act-Linear-act-Linear in float64, built from the activation's module
in the registry on our side and from the torch module of the same name on torch's side; the
weights go from ours to torch and back through ``load_state_dict``.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn, optim
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS

ACTS = ["tanh", "relu", "gelu", "silu", "softplus", "elu", "sigmoid", "prelu"]
OPTIMIZERS = {
    "sgd-momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}),
    "sgd-nesterov-decay": (
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
    ),
    "sgd-dampening": ("SGD", {"lr": 0.1, "momentum": 0.5, "dampening": 0.3}),
    "adam": ("Adam", {"lr": 0.01}),
    "adam-decay-amsgrad": (
        "Adam",
        {"lr": 0.02, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True},
    ),
}
STEPS = 50


def _models(torch, act):
    """The same MLP in both libraries, torch's weights loaded from ours."""
    module = ACTIVATIONS[act].module
    tnn = torch.nn
    ours = nn.Sequential(nn.Linear(2, 8), module(), nn.Linear(8, 8), module(), nn.Linear(8, 1))
    ours.double()
    theirs = tnn.Sequential(
        tnn.Linear(2, 8),
        getattr(tnn, module.__name__)(),
        tnn.Linear(8, 8),
        getattr(tnn, module.__name__)(),
        tnn.Linear(8, 1),
    ).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    return ours, theirs


def _data(rng):
    x = rng.uniform(-2, 2, size=(32, 2))
    y = np.sin(x[:, :1] * 2) * np.cos(x[:, 1:])
    return x, y


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("act", ACTS)
def test_training_matches_torch_step_for_step(torch, rng, act, opt):
    F.manual_seed(int(rng.integers(1000)))
    ours, theirs = _models(torch, act)
    # Both directions: the state torch now holds loads back into ours unchanged.
    ours.load_state_dict(theirs.state_dict())
    name, kwargs = OPTIMIZERS[opt]
    ours_opt = getattr(optim, name)(ours.parameters(), **kwargs)
    theirs_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    x, y = _data(rng)
    xo, yo, xt, yt = tga.tensor(x), tga.tensor(y), torch.tensor(x), torch.tensor(y)
    losses_ours, losses_theirs = [], []
    for _ in range(STEPS):
        ours_opt.zero_grad()
        loss = F.mse_loss(ours(xo), yo)
        loss.backward()
        ours_opt.step()
        losses_ours.append(loss.item())
        theirs_opt.zero_grad()
        tloss = torch.nn.functional.mse_loss(theirs(xt), yt)
        tloss.backward()
        theirs_opt.step()
        losses_theirs.append(tloss.item())
    np.testing.assert_allclose(losses_ours, losses_theirs, rtol=1e-10, atol=1e-12)
    assert losses_ours[-1] < losses_ours[0], "the model did not learn"
    theirs_state = theirs.state_dict()
    for key, value in ours.state_dict().items():
        np.testing.assert_allclose(
            value, theirs_state[key].numpy(), rtol=1e-10, atol=1e-12, err_msg=key
        )


def test_param_groups_get_their_own_learning_rates(torch, rng):
    ours, theirs = _models(torch, "tanh")
    groups = lambda m: [  # noqa: E731
        {"params": list(m[0].parameters()), "lr": 0.5},
        {"params": list(m[2].parameters()) + list(m[4].parameters())},
    ]
    ours_opt = optim.SGD(groups(ours), lr=0.01, momentum=0.9)
    theirs_opt = torch.optim.SGD(groups(theirs), lr=0.01, momentum=0.9)
    assert [g["lr"] for g in ours_opt.param_groups] == [0.5, 0.01]
    x, y = _data(rng)
    for _ in range(5):
        for model, opt, lib in ((ours, ours_opt, tga), (theirs, theirs_opt, torch)):
            opt.zero_grad()
            ((model(lib.tensor(x)) - lib.tensor(y)) ** 2).mean().backward()
            opt.step()
    for key, value in ours.state_dict().items():
        np.testing.assert_allclose(value, theirs.state_dict()[key].numpy(), rtol=1e-10)


def test_sgd_step_worked_by_hand():
    # p = 1, g = 2p = 2 (loss p²), lr = 0.1, momentum 0.5: the first buffer is g itself.
    p = nn.Parameter(tga.tensor(np.array([1.0])))
    opt = optim.SGD([p], lr=0.1, momentum=0.5)
    for expected in (0.8, 0.54):  # 1 - 0.1·2 = 0.8; b = 0.5·2 + 1.6 = 2.6, 0.8 - 0.26 = 0.54
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
        assert p.array[0] == pytest.approx(expected, rel=1e-15)


def test_adam_first_step_is_lr_times_sign():
    # After one step m̂ = g and v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
    p = nn.Parameter(tga.tensor(np.array([3.0, -2.0])))
    opt = optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    opt.step()
    np.testing.assert_allclose(p.array, [2.9, -1.9], rtol=1e-7)


def test_step_writes_into_the_parameters_arrays_as_torch(torch):
    """Whoever holds a parameter's values (w.detach(), w.numpy(), a view of w) sees the step,
    as in torch (a step once gave each parameter a new array, and those kept the old one)."""
    results = []
    for lib in (tga, torch):
        linear = lib.nn.Linear(2, 2).double()
        for q, value in ((linear.weight, [[0.5, -1.0], [2.0, 0.25]]), (linear.bias, [0.1, 0.2])):
            q.data[...] = np.array(value) if lib is tga else torch.tensor(value)
        held, view = linear.weight.detach(), linear.weight.T
        opt = lib.optim.Adam(linear.parameters(), lr=0.1)
        linear(lib.tensor([[1.0, -2.0]], dtype=lib.float64)).sum().backward()
        opt.step()
        results.append((held.tolist(), view.tolist(), linear.weight.tolist()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
    assert results[0][0] != [[0.5, -1.0], [2.0, 0.25]]  # it moved


def test_parameters_without_grad_are_skipped():
    a, b = nn.Parameter(tga.ones(2)), nn.Parameter(tga.ones(2))
    opt = optim.SGD([a, b], lr=1.0, momentum=0.9)
    (a * 3).sum().backward()
    opt.step()
    np.testing.assert_array_equal(a.array, [-2.0, -2.0])
    np.testing.assert_array_equal(b.array, [1.0, 1.0])
    assert b not in opt.state


@pytest.mark.parametrize("set_to_none", [True, False])
def test_optimizer_zero_grad(set_to_none):
    p = nn.Parameter(tga.ones(3))
    opt = optim.SGD([p], lr=0.1)
    (p * 2).sum().backward()
    opt.zero_grad(set_to_none=set_to_none)
    if set_to_none:
        assert p.grad is None
    else:
        np.testing.assert_array_equal(p.grad.array, np.zeros(3))
    (p * 2).sum().backward()  # accumulates onto the zeros, or starts afresh
    np.testing.assert_array_equal(p.grad.array, [2.0, 2.0, 2.0])


def test_step_with_closure_returns_the_loss():
    p = nn.Parameter(tga.tensor(np.array([2.0])))
    opt = optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 4.0
    assert p.array[0] == 1.0  # 2 - 0.25·4


def test_optimizer_errors_are_torchs():
    p = nn.Parameter(tga.ones(2))
    with pytest.raises(ValueError, match=r"^optimizer got an empty parameter list$"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -1$"):
        optim.SGD([p], lr=-1)
    with pytest.raises(ValueError, match=r"^Invalid momentum value: -0.5$"):
        optim.SGD([p], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"^Invalid beta parameter at index 0: 1.0$"):
        optim.Adam([p], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match=r"^Invalid epsilon value: -1$"):
        optim.Adam([p], eps=-1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts"):
        optim.Adam(p)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)


def test_zero_grad_without_none_zeroes_in_place_as_torch():
    w = tga.nn.Parameter(tga.tensor([1.0, 2.0]))
    (w * 3).sum().backward()
    held = w.grad
    tga.optim.SGD([w], lr=0.1).zero_grad(set_to_none=False)
    assert w.grad is held and held.tolist() == [0.0, 0.0]
    layer = tga.nn.Linear(2, 1)
    layer(tga.tensor([[1.0, 2.0]])).sum().backward()
    held = layer.weight.grad
    layer.zero_grad(set_to_none=False)
    assert layer.weight.grad is held and not held.array.any()
