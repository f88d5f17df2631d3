"""LinearLR, OneCycleLR and ReduceLROnPlateau against torch, step by step: the rates, the
momenta OneCycleLR cycles, the state, the errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga

# A loss that falls, stalls, dips by less than the threshold, falls again, then stalls.
METRICS = [1.0, 0.8, 0.8, 0.81, 0.79995, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49, 0.5, 0.5, 0.5]
METRICS += [0.5] * 10


def _optimizer(lib, name="SGD", **kwargs):
    a = lib.nn.Parameter(lib.ones(2, dtype=lib.float64))
    b = lib.nn.Parameter(lib.ones(3, dtype=lib.float64))
    return getattr(lib.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, **kwargs)


def _momenta(opt):
    return [g.get("betas", (g.get("momentum"),))[0] for g in opt.param_groups]


SCHEDULES = {
    "linear warm-up": ("SGD", {}, lambda s, o: s.LinearLR(o)),
    "linear decay": ("SGD", {}, lambda s, o: s.LinearLR(o, 1.0, 0.2, total_iters=7)),
    "one-cycle cos": ("SGD", {"momentum": 0.9}, lambda s, o: s.OneCycleLR(o, 1.0, 20)),
    "one-cycle linear": (
        "Adam",
        {},
        lambda s, o: s.OneCycleLR(
            o, [0.4, 2.0], epochs=4, steps_per_epoch=5, anneal_strategy="linear", pct_start=0.25
        ),
    ),
    "one-cycle three-phase": (
        "SGD",
        {"momentum": 0.9},
        lambda s, o: s.OneCycleLR(o, 1.0, total_steps=20, three_phase=True, div_factor=10.0),
    ),
    "one-cycle without momentum": (
        "SGD",
        {},
        lambda s, o: s.OneCycleLR(o, 0.3, total_steps=20, cycle_momentum=False),
    ),
}


def _schedule(lib, name, steps=20):
    optimizer, kwargs, make = SCHEDULES[name]
    opt = _optimizer(lib, optimizer, **kwargs)
    scheduler = make(lib.optim.lr_scheduler, opt)
    seen = [(scheduler.get_last_lr(), _momenta(opt))]
    for _ in range(steps - 1):
        opt.step()
        scheduler.step()
        seen.append((scheduler.get_last_lr(), _momenta(opt)))
        assert seen[-1][0] == [g["lr"] for g in opt.param_groups]
    return seen, scheduler


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_rates_and_momenta_are_torchs_step_by_step(torch, name):
    (ours, scheduler), (theirs, torch_scheduler) = _schedule(tga, name), _schedule(torch, name)
    for (a_lr, a_m), (b_lr, b_m) in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a_lr, b_lr, rtol=1e-15, atol=0)
        assert a_m == pytest.approx(b_m, rel=1e-15)
    assert scheduler.last_epoch == torch_scheduler.last_epoch
    assert scheduler.base_lrs == torch_scheduler.base_lrs


def test_linear_warm_up_goes_from_a_third_to_the_full_rate_in_five_steps():
    seen, _ = _schedule(tga, "linear warm-up", steps=8)
    rates = [lr[0] for lr, _ in seen]
    expected = [0.1 * (1 / 3 + (2 / 3) * min(t, 5) / 5) for t in range(8)]
    np.testing.assert_allclose(rates, expected, rtol=1e-14)


def test_linear_closed_form_is_torchs(torch):
    def rates(lib):
        opt = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.LinearLR(opt, 0.5, 1.0, total_iters=4)
        out = []
        for epoch in (3, 1, 6):
            opt.step()
            with pytest.warns(UserWarning, match="The epoch parameter"):
                scheduler.step(epoch)
            out.append(scheduler.get_last_lr())
        return out

    np.testing.assert_allclose(rates(tga), rates(torch), rtol=1e-15)


def test_one_cycle_peaks_at_max_lr_and_ends_at_its_minimum():
    seen, _ = _schedule(tga, "one-cycle cos")
    rates = [lr[0] for lr, _ in seen]
    assert rates[0] == pytest.approx(1.0 / 25)
    assert max(rates) == pytest.approx(1.0) and np.argmax(rates) == 5  # 0.3·20 - 1
    assert rates[-1] == pytest.approx(1.0 / 25 / 1e4)
    momenta = [m[0] for _, m in seen]
    assert momenta[0] == pytest.approx(0.95) and momenta[5] == pytest.approx(0.85)


def test_one_cycle_past_its_total_steps_is_torchs_error(torch):
    def call(lib):
        opt = _optimizer(lib, momentum=0.9)
        scheduler = lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3)
        for _ in range(4):
            opt.step()
            scheduler.step()

    assert_same_error(call, torch, ValueError)


@pytest.mark.parametrize(
    "make",
    [
        lambda s, o: s.OneCycleLR(o, 1.0),
        lambda s, o: s.OneCycleLR(o, 1.0, total_steps=0),
        lambda s, o: s.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=0),
        lambda s, o: s.OneCycleLR(o, 1.0, 10, pct_start=1),
        lambda s, o: s.OneCycleLR(o, 1.0, 10, anneal_strategy="exp"),
        lambda s, o: s.OneCycleLR(o, [1.0], 10),
        lambda s, o: s.OneCycleLR(o, 1.0, 10),  # plain SGD has momentum 0 but supports it
        lambda s, o: s.LinearLR(o, start_factor=0),
        lambda s, o: s.LinearLR(o, end_factor=1.5),
        lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
        lambda s, o: s.ReduceLROnPlateau(o, mode="lowest"),
        lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="pct"),
        lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.0]),
    ],
)
def test_bad_arguments_are_torchs_errors(torch, make):
    def call(lib):
        make(lib.optim.lr_scheduler, _optimizer(lib))
        raise ValueError("accepted")  # both accepting it is the same outcome too

    assert_same_error(call, torch, ValueError)


def test_one_cycle_refuses_an_optimizer_without_momentum(torch):
    assert_same_error(
        lambda lib: lib.optim.lr_scheduler.OneCycleLR(_optimizer(lib, "Adagrad"), 1.0, 10),
        torch,
        ValueError,
    )


PLATEAUS = {
    "defaults": {},
    "patience 2": {"patience": 2, "factor": 0.5},
    "cooldown": {"patience": 1, "cooldown": 2, "factor": 0.5},
    "floor": {"patience": 0, "factor": 0.1, "min_lr": [0.002, 0.01]},
    "absolute threshold": {"patience": 1, "threshold": 0.1, "threshold_mode": "abs"},
    "max mode": {"mode": "max", "patience": 1},
    "eps": {"patience": 0, "factor": 0.5, "min_lr": 0.09, "eps": 0.02},
}


def _plateau(lib, kwargs, metrics=METRICS):
    opt = _optimizer(lib)
    scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    seen = [scheduler.get_last_lr()]
    for value in metrics:
        opt.step()
        scheduler.step(lib.tensor(value) if value == 0.5 else value)  # a Tensor works too
        seen.append(scheduler.get_last_lr())
        seen.append([scheduler.num_bad_epochs, scheduler.cooldown_counter, scheduler.best])
    return seen, scheduler


@pytest.mark.parametrize("name", list(PLATEAUS))
def test_plateau_rates_are_torchs_step_by_step(torch, name):
    (ours, scheduler), (theirs, torch_scheduler) = (
        _plateau(tga, PLATEAUS[name]),
        _plateau(torch, PLATEAUS[name]),
    )
    assert ours == theirs
    assert scheduler.last_epoch == torch_scheduler.last_epoch == len(METRICS)


def test_plateau_cuts_the_rate_after_patience_bad_steps():
    seen, _ = _plateau(tga, {"patience": 2, "factor": 0.5}, [1.0, 1.0, 1.0, 1.0, 1.0])
    rates = [seen[0][0]] + [s[0] for s in seen[1::2]]
    assert rates == [0.1, 0.1, 0.1, 0.1, 0.05, 0.05]


def test_plateau_state_dict_resumes_as_torchs(torch):
    def resumed(lib):
        _, scheduler = _plateau(lib, PLATEAUS["cooldown"], METRICS[:8])
        state = scheduler.state_dict()
        opt = _optimizer(lib)
        fresh = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max")
        fresh.load_state_dict(state)
        for group, lr in zip(opt.param_groups, scheduler.get_last_lr()):
            group["lr"] = lr
        rates = []
        for value in METRICS[8:]:
            fresh.step(value)
            rates.append(fresh.get_last_lr())
        return rates, sorted(k for k in state if not k.startswith("_"))

    assert resumed(tga) == resumed(torch)
