"""Learning-rate schedulers against torch: the rates they set, step by step, their state and
their warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts.optim import lr_scheduler


def _optimizer(lib, name="SGD"):
    a = lib.nn.Parameter(lib.ones(2, dtype=lib.float64))
    b = lib.nn.Parameter(lib.ones(3, dtype=lib.float64))
    return getattr(lib.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)


class Halves:
    """A callable object: LambdaLR saves its attributes."""

    def __init__(self) -> None:
        self.base = 0.5

    def __call__(self, epoch: int) -> float:
        return self.base ** (epoch // 2)


SCHEDULES = {
    "step": lambda s, opt: s.StepLR(opt, step_size=3, gamma=0.5),
    "multistep": lambda s, opt: s.MultiStepLR(opt, milestones=[2, 5, 5, 9], gamma=0.3),
    "exponential": lambda s, opt: s.ExponentialLR(opt, gamma=0.9),
    "cosine": lambda s, opt: s.CosineAnnealingLR(opt, T_max=7),
    "cosine-eta-min": lambda s, opt: s.CosineAnnealingLR(opt, T_max=5, eta_min=0.01),
    "lambda": lambda s, opt: s.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (1 + epoch)),
    "lambdas": lambda s, opt: s.LambdaLR(opt, [lambda e: 0.9**e, Halves()]),
}


def _rates(lib, schedule, steps=22, closed_form=False):
    """The rates after each scheduler step (optimizer.step() first, as torch asks)."""
    opt = _optimizer(lib)
    scheduler = SCHEDULES[schedule](lib.optim.lr_scheduler, opt)
    rates = [scheduler.get_last_lr()]
    for epoch in range(1, steps):
        opt.step()
        if closed_form:
            with pytest.warns(UserWarning, match="The epoch parameter"):
                scheduler.step(epoch)
        else:
            scheduler.step()
        rates.append(scheduler.get_last_lr())
        assert rates[-1] == [g["lr"] for g in opt.param_groups]
    return rates, scheduler


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_rates_are_torchs_step_by_step(torch, schedule):
    """Over 22 steps: three periods of the cosine (T_max=7), where it rises back up."""
    ours, scheduler = _rates(tga, schedule)
    theirs, torch_scheduler = _rates(torch, schedule)
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)
    assert scheduler.last_epoch == torch_scheduler.last_epoch == 21
    assert scheduler.base_lrs == torch_scheduler.base_lrs == [0.1, 0.5]


@pytest.mark.parametrize("schedule", ["step", "multistep", "exponential", "cosine"])
def test_closed_form_of_step_epoch_is_torchs(torch, schedule):
    ours, _ = _rates(tga, schedule, closed_form=True)
    theirs, _ = _rates(torch, schedule, closed_form=True)
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)


def test_cosine_recursion_follows_the_closed_form_over_two_periods():
    """The recursive rates torch computes stay on η_min + (η_max - η_min)(1 + cos(πt/T))/2."""
    rates, _ = _rates(tga, "cosine-eta-min", steps=21)
    t = np.arange(21)
    expected = 0.01 + (0.1 - 0.01) * (1 + np.cos(np.pi * t / 5)) / 2
    np.testing.assert_allclose([r[0] for r in rates], expected, rtol=1e-12)


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_state_dict_is_torchs(torch, schedule):
    def state(lib):
        _, scheduler = _rates(lib, schedule, steps=4)
        return scheduler.state_dict()

    assert state(tga) == state(torch)


def test_load_state_dict_resumes_the_schedule():
    _, scheduler = _rates(tga, "cosine", steps=5)
    opt = _optimizer(tga)
    resumed = lr_scheduler.CosineAnnealingLR(opt, T_max=7)
    resumed.load_state_dict(scheduler.state_dict())
    for group, lr in zip(opt.param_groups, scheduler.get_last_lr()):
        group["lr"] = lr
    for _ in range(4):
        opt.step()
        scheduler.optimizer.step()
        resumed.step()
        scheduler.step()
        assert resumed.get_last_lr() == scheduler.get_last_lr()


def test_initial_lr_is_set_in_the_groups_as_torch(torch):
    def groups(lib):
        opt = _optimizer(lib, "Adam")
        lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]

    assert groups(tga) == groups(torch)


def _warnings_of(lib, calls):
    opt = _optimizer(lib)
    scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        calls(opt, scheduler)
    return [(w.category, str(w.message)) for w in record]


@pytest.mark.parametrize(
    ("calls", "count"),
    [
        (lambda opt, s: s.step(), 1),  # before any optimizer.step(): torch warns
        (lambda opt, s: (opt.step(), s.step(), s.step()), 0),  # the right order
        (lambda opt, s: (s.step(), opt.step(), s.step()), 1),  # it warns once
        (lambda opt, s: s.get_lr(), 1),  # get_lr() is not how to read the rate
    ],
    ids=["scheduler-first", "optimizer-first", "once", "get-lr"],
)
def test_warnings_are_torchs(torch, calls, count):
    ours, theirs = _warnings_of(tga, calls), _warnings_of(torch, calls)
    assert ours == theirs
    assert len(ours) == count


def test_the_order_warning_says_what_to_do():
    with pytest.warns(UserWarning, match=r"call them in the opposite order: `optimizer.step\(\)`"):
        lr_scheduler.StepLR(_optimizer(tga), step_size=2).step()


def test_an_optimizer_step_replaced_after_the_scheduler_is_noticed(torch):
    def call(lib):
        opt = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
        opt.step = lambda closure=None: None
        with pytest.warns(UserWarning) as record:
            scheduler.step()
        return str(record[0].message)

    assert call(tga) == call(torch)


MISTAKES = {
    "not-an-optimizer": lambda lib: lib.optim.lr_scheduler.StepLR([1], step_size=2),
    "resume-without-initial-lr": lambda lib: lib.optim.lr_scheduler.StepLR(
        _optimizer(lib), step_size=2, last_epoch=3
    ),
    "lambdas-per-group": lambda lib: lib.optim.lr_scheduler.LambdaLR(
        _optimizer(lib), [lambda e: 1.0]
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_mistakes_raise_torchs_errors(torch, mistake):
    ours, theirs = outcome(MISTAKES[mistake], tga), outcome(MISTAKES[mistake], torch)
    assert isinstance(theirs, str) and ours == theirs


def test_a_scheduled_training_matches_torch(torch, rng):
    """Adam with a cosine schedule on the same gradients: the same parameters."""
    start = rng.normal(size=5)
    results = []
    for lib in (tga, torch):
        p = lib.nn.Parameter(lib.tensor(start.copy()))
        opt = lib.optim.Adam([p], lr=0.1)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
        for _ in range(12):
            p.grad = lib.tensor(np.sin(np.array(p.tolist())) + 0.5)
            opt.step()
            scheduler.step()
        results.append(p.tolist())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)
