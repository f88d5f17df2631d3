"""Training a network against torch: from the same weights, 50 steps of each optimizer give
the same losses and weights.

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
    "adamw": ("AdamW", {"lr": 0.01, "weight_decay": 0.05}),
    "rmsprop-centered-momentum": ("RMSprop", {"lr": 0.003, "centered": True, "momentum": 0.5}),
    "adagrad": ("Adagrad", {"lr": 0.05, "lr_decay": 0.01}),
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
    theirs.load_state_dict({k: torch.tensor(_array(v)) for k, v in ours.state_dict().items()})
    return ours, theirs


def _array(value):
    """A state_dict's value (a Tensor or an array) as a NumPy array."""
    return np.array(value.tolist())


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
            _array(value), theirs_state[key].numpy(), rtol=1e-10, atol=1e-12, err_msg=key
        )


def test_param_groups_get_their_own_learning_rates(torch, rng):
    ours, theirs = _models(torch, "tanh")

    def groups(m):
        return [
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
        np.testing.assert_allclose(_array(value), theirs.state_dict()[key].numpy(), rtol=1e-10)


def test_module_zero_grad_without_none_zeroes_in_place():
    layer = tga.nn.Linear(2, 1)
    layer(tga.tensor([[1.0, 2.0]])).sum().backward()
    held = layer.weight.grad
    layer.zero_grad(set_to_none=False)
    assert layer.weight.grad is held and not held.array.any()
