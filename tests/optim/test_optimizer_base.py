"""What every optimizer shares, against torch: parameter groups, zero_grad, step's closure,
state_dict / load_state_dict, the printed form and the errors for typical mistakes."""

from __future__ import annotations

import copy
import sys

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts import nn, optim

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def _params(lib, n=3):
    """Parameters of shapes (2,), (3,), (4,), … with distinct float64 values."""
    return [
        lib.nn.Parameter(lib.tensor(np.linspace(-1, 1, k + 2) * (k + 1), dtype=lib.float64))
        for k in range(n)
    ]


def _give_gradients(lib, params, step):
    for k, p in enumerate(params):
        p.grad = lib.tensor(np.cos(np.arange(p.shape[0]) + step + k), dtype=lib.float64)


@pytest.mark.parametrize("name", NAMES)
def test_repr_is_torchs(torch, name):
    def make(lib):
        a, b = _params(lib, 2)
        return getattr(lib.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)

    assert repr(make(tga)) == repr(make(torch))


@pytest.mark.parametrize("name", NAMES)
def test_param_groups_hold_every_hyperparameter_as_torch(torch, name):
    def groups(lib):
        a, b = _params(lib, 2)
        opt = getattr(lib.optim, name)([{"params": [a], "weight_decay": 0.25}, {"params": b}])
        return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]

    assert groups(tga) == groups(torch)


def test_group_options_override_the_defaults(torch):
    def lrs(lib):
        a, b, c = _params(lib)
        opt = lib.optim.SGD([{"params": [a, b], "lr": 0.5}, {"params": [c]}], lr=0.01)
        return [g["lr"] for g in opt.param_groups], [len(g["params"]) for g in opt.param_groups]

    assert lrs(tga) == lrs(torch) == ([0.5, 0.01], [2, 1])


def test_add_param_group_takes_the_dict_itself(torch):
    for lib in (tga, torch):
        a, b = _params(lib, 2)
        opt = lib.optim.Adam([a], lr=0.1)
        group = {"params": b, "lr": 0.5}
        opt.add_param_group(group)
        assert opt.param_groups[1] is group and group["params"][0] is b
        assert group["betas"] == (0.9, 0.999)


def test_named_parameters_keep_their_names(torch):
    def state(lib):
        model = lib.nn.Linear(2, 1)
        opt = lib.optim.SGD(model.named_parameters(), lr=0.1)
        return opt.param_groups[0]["param_names"], opt.state_dict()["param_groups"]

    assert state(tga) == state(torch)


def test_steps_with_a_group_added_later_match_torch(torch):
    results = []
    for lib in (tga, torch):
        a, b, c = _params(lib)
        opt = lib.optim.Adagrad([a, b], lr=0.1)
        for step in range(6):
            if step == 3:
                opt.add_param_group({"params": [c], "lr": 0.2})
            _give_gradients(lib, [a, b, c], step)
            opt.step()
        results.append([p.tolist() for p in (a, b, c)])
    for ours, theirs in zip(results[0], results[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13)


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    p = nn.Parameter(tga.ones(3))
    opt = optim.SGD([p], lr=0.1)
    (p * 2).sum().backward()
    held = p.grad
    opt.zero_grad(set_to_none=set_to_none)
    if set_to_none:
        assert p.grad is None
    else:  # zeros in place: whoever held the gradient sees them
        assert p.grad is held and held.tolist() == [0.0, 0.0, 0.0]
    (p * 2).sum().backward()  # accumulates onto the zeros, or starts afresh
    assert p.grad.tolist() == [2.0, 2.0, 2.0]


def test_zero_grad_sets_none_by_default_as_torch(torch):
    def after(lib):
        p = lib.nn.Parameter(lib.ones(2))
        (p * 3).sum().backward()
        lib.optim.SGD([p], lr=0.1).zero_grad()
        return p.grad is None

    assert after(tga) is after(torch) is True


@pytest.mark.parametrize("name", NAMES)
def test_step_with_closure_returns_its_loss(torch, name):
    def run(lib):
        p = lib.nn.Parameter(lib.tensor([2.0, -1.0], dtype=lib.float64))
        opt = getattr(lib.optim, name)([p], lr=0.25)
        calls = []

        def closure():
            opt.zero_grad()
            loss = (p * p).sum()
            loss.backward()
            calls.append(lib.is_grad_enabled())
            return loss

        with lib.no_grad():  # the closure runs with grad mode on all the same
            losses = [opt.step(closure).item() for _ in range(3)]
        return losses, calls, p.tolist(), opt.step()

    ours, theirs = run(tga), run(torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-13)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-13)
    assert ours[1] == theirs[1] == [True] * 3
    assert ours[3] is theirs[3] is None  # no closure, no loss


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_structure_is_torchs(torch, name):
    """Numbers for parameters in the order of the groups, the hyper-parameters, and the
    state's keys and tensors' dtypes and shapes (before any step too: SGD and Adam have none,
    Adagrad has it from the start)."""

    def structure(lib, steps):
        a, b, c = _params(lib)
        opt = getattr(lib.optim, name)([{"params": [a, b]}, {"params": [c], "lr": 0.5}])
        for step in range(steps):
            _give_gradients(lib, [a, b, c], step)
            opt.step()
        sd = opt.state_dict()
        state = {
            i: {k: (str(v.dtype).removeprefix("torch."), tuple(v.shape)) for k, v in s.items()}
            for i, s in sd["state"].items()
        }
        return sorted(sd), state, sd["param_groups"]

    for steps in (0, 2):
        assert structure(tga, steps) == structure(torch, steps)


def test_sgd_without_momentum_keeps_no_state(torch):
    def state(lib):
        (p,) = _params(lib, 1)
        opt = lib.optim.SGD([p], lr=0.1)
        _give_gradients(lib, [p], 0)
        opt.step()
        return opt.state_dict()["state"], len(opt.state)

    assert state(tga) == state(torch) == ({}, 0)


@pytest.mark.parametrize("name", NAMES)
def test_loading_a_state_dict_continues_the_same_path(name):
    """Train 4 steps, save, load into a fresh optimizer on copies of the parameters: the next
    4 steps are those of the optimizer that went on."""
    params = _params(tga)
    opt = getattr(optim, name)([{"params": params[:2]}, {"params": params[2:], "lr": 0.02}])
    for step in range(4):
        _give_gradients(tga, params, step)
        opt.step()
    saved = copy.deepcopy(opt.state_dict())
    copies = [nn.Parameter(tga.tensor(p.array.copy())) for p in params]
    fresh = getattr(optim, name)([{"params": copies[:2]}, {"params": copies[2:]}], lr=0.9)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[1]["lr"] == 0.02 and fresh.param_groups[0]["params"] == copies[:2]
    for step in range(4, 8):
        for group in (params, copies):
            _give_gradients(tga, group, step)
        opt.step()
        fresh.step()
    for p, q in zip(params, copies):
        assert p.tolist() == q.tolist()


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_torchs_state_dict_loads_into_ours(torch, name):
    """torch's saved state (its tensors) continues here as it does in torch."""
    kwargs = {"lr": 0.05, "momentum": 0.9} if name != "Adam" else {"lr": 0.05}
    theirs = _params(torch)
    torch_opt = getattr(torch.optim, name)(theirs, **kwargs)
    for step in range(3):
        _give_gradients(torch, theirs, step)
        torch_opt.step()
    ours = [nn.Parameter(tga.tensor(p.detach().numpy().copy())) for p in theirs]
    opt = getattr(optim, name)(ours, lr=1.0)
    opt.load_state_dict(copy.deepcopy(torch_opt.state_dict()))
    for step in range(3, 10):
        _give_gradients(torch, theirs, step)
        _give_gradients(tga, ours, step)
        torch_opt.step()
        opt.step()
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.tolist(), q.tolist(), rtol=1e-12)
    assert opt.param_groups[0]["lr"] == 0.05


def test_loaded_state_takes_the_parameters_dtype():
    p = nn.Parameter(tga.ones(2, dtype=tga.float64))
    opt = optim.Adam([p], lr=0.1)
    p.grad = tga.ones(2, dtype=tga.float64)
    opt.step()
    saved = opt.state_dict()
    q = nn.Parameter(tga.ones(2, dtype=tga.float32))
    other = optim.Adam([q])
    other.load_state_dict(saved)
    state = other.state[q]
    assert state["exp_avg"].dtype == np.float32 and state["step"].dtype == np.float32
    assert state["exp_avg_sq"].tolist() == pytest.approx(saved["state"][0]["exp_avg_sq"].tolist())


def _required(lib):
    """The marker of a hyper-parameter without default (``torch.optim.optimizer.required``)."""
    return sys.modules[lib.optim.Optimizer.__module__].required


def _sgd(lib):
    (p,) = _params(lib, 1)
    return p


# Each mistake raises torch's error, word for word.
MISTAKES = {
    "empty": lambda lib: lib.optim.SGD([], lr=0.1),
    "empty-generator": lambda lib: lib.optim.Adam(iter([])),
    "negative-lr": lambda lib: lib.optim.SGD([_sgd(lib)], lr=-1),
    "negative-lr-adam": lambda lib: lib.optim.Adam([_sgd(lib)], lr=-0.5),
    "nan-lr-adam": lambda lib: lib.optim.Adam([_sgd(lib)], lr=float("nan")),
    "string-lr": lambda lib: lib.optim.SGD([_sgd(lib)], lr="0.1"),
    "negative-momentum": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1, momentum=-0.5),
    "negative-decay": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1, weight_decay=-1e-3),
    "nesterov-without-momentum": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1, nesterov=True),
    "nesterov-dampening": lambda lib: lib.optim.SGD(
        [_sgd(lib)], lr=0.1, momentum=0.9, nesterov=True, dampening=0.1
    ),
    "beta-one": lambda lib: lib.optim.Adam([_sgd(lib)], betas=(1.0, 0.9)),
    "beta-negative": lambda lib: lib.optim.AdamW([_sgd(lib)], betas=(0.9, -0.1)),
    "betas-int": lambda lib: lib.optim.Adam([_sgd(lib)], betas=(0, 0.9)),
    "eps": lambda lib: lib.optim.Adam([_sgd(lib)], eps=-1),
    "adam-decay": lambda lib: lib.optim.Adam([_sgd(lib)], weight_decay=-1),
    "alpha": lambda lib: lib.optim.RMSprop([_sgd(lib)], alpha=-0.1),
    "rmsprop-momentum": lambda lib: lib.optim.RMSprop([_sgd(lib)], momentum=-1),
    "lr-decay": lambda lib: lib.optim.Adagrad([_sgd(lib)], lr_decay=-1),
    "accumulator": lambda lib: lib.optim.Adagrad([_sgd(lib)], initial_accumulator_value=-1),
    "a-tensor": lambda lib: lib.optim.SGD(_sgd(lib), lr=0.1),
    "not-a-tensor": lambda lib: lib.optim.SGD([_sgd(lib), 3], lr=0.1),
    "an-array": lambda lib: lib.optim.SGD([np.ones(2)], lr=0.1),
    "a-set": lambda lib: lib.optim.SGD([{"params": {_sgd(lib)}}], lr=0.1),
    "non-leaf": lambda lib: lib.optim.SGD([_sgd(lib) * 2], lr=0.1),
    "twice": lambda lib: lib.optim.SGD([{"params": [p := _sgd(lib)]}, {"params": [p]}], lr=0.1),
    "group-not-dict": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1).add_param_group([1]),
    "group-without-params": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1).add_param_group({}),
    "names-and-not": lambda lib: lib.optim.SGD(
        [{"params": [("w", _sgd(lib))]}, {"params": [_sgd(lib)]}], lr=0.1
    ),
    "base-step": lambda lib: lib.optim.Optimizer([_sgd(lib)], {}).step(),
    "required-lr": lambda lib: lib.optim.Optimizer([_sgd(lib)], {"lr": _required(lib)}),
    "load-other-groups": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1).load_state_dict(
        {"state": {}, "param_groups": []}
    ),
    "load-other-sizes": lambda lib: lib.optim.SGD([_sgd(lib)], lr=0.1).load_state_dict(
        {"state": {}, "param_groups": [{"lr": 0.1, "params": [0, 1]}]}
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_mistakes_raise_torchs_errors(torch, mistake):
    ours, theirs = outcome(MISTAKES[mistake], tga), outcome(MISTAKES[mistake], torch)
    assert isinstance(theirs, str), "torch accepted it"
    assert ours == theirs


def test_a_retained_non_leaf_can_be_optimized_as_in_torch(torch):
    for lib in (tga, torch):
        y = lib.ones(2, requires_grad=True) * 2
        y.retain_grad()
        lib.optim.SGD([y], lr=0.1)  # no error


def test_duplicate_parameters_warn_as_torch(torch):
    messages = []
    for lib in (tga, torch):
        p = _sgd(lib)
        with pytest.warns(UserWarning) as record:
            lib.optim.SGD([p, p], lr=0.1)
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    "option", [{"fused": True}, {"differentiable": True}, {"lr": tga.tensor(0.1)}]
)
def test_torchs_other_implementations_are_refused_plainly(option):
    with pytest.raises(NotImplementedError, match="not supported"):
        optim.SGD([_sgd(tga)], **{"lr": 0.1, **option})


def test_capturable_is_refused_plainly():
    with pytest.raises(NotImplementedError, match="capturable=True is not supported"):
        optim.Adam([_sgd(tga)], capturable=True)


def test_a_deep_copy_steps_its_own_parameters(torch):
    """As torch: a copy keeps groups, state and defaults, not a scheduler's hold on ``step``."""
    results = []
    for lib in (tga, torch):
        params = _params(lib, 2)
        opt = lib.optim.SGD(params, lr=0.1, momentum=0.9)
        lib.optim.lr_scheduler.StepLR(opt, step_size=1)
        _give_gradients(lib, params, 0)
        opt.step()
        twin = copy.deepcopy(opt)
        copies = twin.param_groups[0]["params"]
        assert all(c is not p for c, p in zip(copies, params))
        _give_gradients(lib, copies, 1)
        twin.step()
        results.append(([p.tolist() for p in params], [c.tolist() for c in copies]))
    for ours, theirs in zip(results[0][0] + results[0][1], results[1][0] + results[1][1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13)
    assert results[0][0] != results[0][1]  # the original did not take the copy's step
