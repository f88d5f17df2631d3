"""``optim.Adamax`` step for step against torch's, with its options and a scheduler."""

from __future__ import annotations

import numpy as np
import pytest
from test_update_rules import _assert_same_state, _initial, _train

import tinygrad_acts as tga

CASES = {
    "defaults": {},
    "lr": {"lr": 0.01},
    "everything": {
        "lr": 0.02,
        "betas": (0.8, 0.99),
        "weight_decay": 0.1,
        "maximize": True,
        "eps": 1e-3,
    },
}


@pytest.mark.parametrize("grouped", [False, True], ids=["one-group", "two-groups"])
@pytest.mark.parametrize("case", list(CASES))
def test_same_gradients_give_torchs_parameters_and_state(torch, rng, case, grouped):
    arrays = _initial(rng)
    ours, ours_state = _train(tga, "Adamax", CASES[case], arrays, np.float64, grouped)
    theirs, theirs_state = _train(torch, "Adamax", CASES[case], arrays, np.float64, grouped)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-14)
    _assert_same_state(ours_state, theirs_state, rtol=1e-13)


def test_float32_follows_torch(torch, rng):
    arrays = _initial(rng)
    ours, ours_state = _train(tga, "Adamax", CASES["everything"], arrays, np.float32, False)
    theirs, theirs_state = _train(torch, "Adamax", CASES["everything"], arrays, np.float32, False)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=2e-7)
    _assert_same_state(ours_state, theirs_state, rtol=1e-5)


def test_a_scheduler_changes_its_learning_rate_as_torchs(torch):
    lrs = []
    for lib in (torch, tga):
        p = lib.nn.Parameter(lib.tensor([1.0, -2.0], dtype=lib.float64))
        opt = lib.optim.Adamax([p], lr=0.1)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        for _ in range(5):
            p.grad = lib.tensor([0.5, -1.0], dtype=lib.float64)
            opt.step()
            scheduler.step()
        lrs.append((scheduler.get_last_lr(), p.tolist(), repr(opt)))
    assert lrs[1][0] == lrs[0][0]
    np.testing.assert_allclose(lrs[1][1], lrs[0][1], rtol=1e-14)
    assert lrs[1][2] == lrs[0][2]


@pytest.mark.parametrize(
    "kwargs",
    [{"lr": -1}, {"eps": -1}, {"betas": (1.0, 0.9)}, {"betas": (0.9, -0.1)}, {"weight_decay": -1}],
)
def test_bad_options_are_refused_in_torchs_words(torch, kwargs):
    with pytest.raises(ValueError) as theirs:
        torch.optim.Adamax([torch.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as ours:
        tga.optim.Adamax([tga.zeros(1, requires_grad=True)], **kwargs)
    assert str(ours.value) == str(theirs.value)
