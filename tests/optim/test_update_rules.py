"""Each optimizer's update rule against torch's: the same gradients, the same parameters.

Three parameters (in one or two groups) get the same gradient in both libraries at every step,
computed in NumPy from the parameter's current values, so only the optimizer differs; after
20 steps the parameters and the optimizer's state (``state_dict()``) must agree to ~1e-12 in
float64. Then the hand-worked steps, in place as torch, and the state a step leaves.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn, optim

STEPS = 20

# (optimizer, keyword arguments): every option of each update rule at least once.
CASES = {
    "sgd": ("SGD", {"lr": 0.1}),
    "sgd-decay-maximize": ("SGD", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}),
    "sgd-momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}),
    "sgd-dampening": ("SGD", {"lr": 0.1, "momentum": 0.5, "dampening": 0.3}),
    "sgd-nesterov-decay": (
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
    ),
    "adam": ("Adam", {"lr": 0.01}),
    "adam-amsgrad-decay": (
        "Adam",
        {"lr": 0.02, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True},
    ),
    "adam-small-betas-maximize": ("Adam", {"lr": 0.01, "betas": (0.3, 0.4), "maximize": True}),
    "adam-decoupled": ("Adam", {"lr": 0.01, "weight_decay": 0.5, "decoupled_weight_decay": True}),
    "adamw": ("AdamW", {"lr": 0.01}),
    "adamw-amsgrad": ("AdamW", {"lr": 0.03, "weight_decay": 0.2, "amsgrad": True, "eps": 1e-3}),
    "rmsprop": ("RMSprop", {"lr": 0.01}),
    "rmsprop-centered": ("RMSprop", {"lr": 0.01, "centered": True, "alpha": 0.3}),
    "rmsprop-momentum-decay": ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    "rmsprop-everything": (
        "RMSprop",
        {"lr": 0.005, "momentum": 0.5, "centered": True, "maximize": True, "eps": 1e-4},
    ),
    "adagrad": ("Adagrad", {"lr": 0.1}),
    "adagrad-decay": ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1}),
    "adagrad-accumulator-maximize": (
        "Adagrad",
        {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-3, "maximize": True},
    ),
}

SHAPES = [(3, 4), (4,), (2,)]


def _initial(rng):
    return [rng.uniform(-1.5, 1.5, size=shape) for shape in SHAPES]


def _gradient(value: np.ndarray, step: int, k: int) -> np.ndarray:
    """A gradient that depends on the parameter, the step and which parameter it is."""
    return np.sin(3 * value) + 0.1 * value + np.cos(step + k) * (k + 1)


def _train(lib, name, kwargs, arrays, dtype, grouped, skip=None):
    """Run the optimizer; the final parameters (as arrays) and its state_dict."""
    params = [lib.nn.Parameter(lib.tensor(a.astype(dtype))) for a in arrays]
    if grouped:  # the first parameter alone with its own lr, the others with the defaults
        spec = [{"params": params[:1], "lr": 0.03}, {"params": params[1:]}]
    else:
        spec = params
    opt = getattr(lib.optim, name)(spec, **kwargs)
    for step in range(STEPS):
        for k, p in enumerate(params):
            if skip is not None and skip(step, k):
                p.grad = None  # no gradient: the parameter and its state stay as they are
                continue
            value = np.array(p.tolist(), dtype=dtype)
            p.grad = lib.tensor(_gradient(value, step, k).astype(dtype))
        opt.step()
    return [np.array(p.tolist()) for p in params], opt.state_dict()


def _dtype_name(t) -> str:
    return str(t.dtype).removeprefix("torch.")


def _assert_same_state(ours, theirs, rtol):
    assert ours["param_groups"] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"])
    for index, state in theirs["state"].items():
        assert list(ours["state"][index]) == list(state), index
        for key, value in state.items():
            mine = ours["state"][index][key]
            assert isinstance(mine, tga.Tensor), key
            assert _dtype_name(mine) == _dtype_name(value), key
            np.testing.assert_allclose(mine.tolist(), value.tolist(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("grouped", [False, True], ids=["one-group", "two-groups"])
@pytest.mark.parametrize("case", list(CASES))
def test_same_gradients_give_torchs_parameters_and_state(torch, rng, case, grouped):
    name, kwargs = CASES[case]
    arrays = _initial(rng)
    ours, ours_state = _train(tga, name, kwargs, arrays, np.float64, grouped)
    theirs, theirs_state = _train(torch, name, kwargs, arrays, np.float64, grouped)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=f"parameter {k}")
    assert not np.allclose(ours[0], arrays[0])  # they moved
    _assert_same_state(ours_state, theirs_state, rtol=1e-12)


@pytest.mark.parametrize("case", ["sgd-momentum", "adam-amsgrad-decay", "rmsprop-everything"])
def test_float32_parameters_follow_torch(torch, rng, case):
    name, kwargs = CASES[case]
    arrays = _initial(rng)
    ours, ours_state = _train(tga, name, kwargs, arrays, np.float32, False)
    theirs, theirs_state = _train(torch, name, kwargs, arrays, np.float32, False)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)
    _assert_same_state(ours_state, theirs_state, rtol=1e-4)


@pytest.mark.parametrize("case", ["sgd-momentum", "adam", "rmsprop-centered", "adagrad-decay"])
def test_parameters_without_a_gradient_wait_as_in_torch(torch, rng, case):
    """A parameter whose grad is None is skipped: no step, and its step count stays."""
    name, kwargs = CASES[case]
    arrays = _initial(rng)

    def skip(step, k):
        return (step + k) % 3 == 0 or (k == 2 and step < 5)

    ours, ours_state = _train(tga, name, kwargs, arrays, np.float64, True, skip)
    theirs, theirs_state = _train(torch, name, kwargs, arrays, np.float64, True, skip)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    _assert_same_state(ours_state, theirs_state, rtol=1e-12)


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


def test_adamw_decay_shrinks_the_parameter_first():
    # With a zero gradient m = v = 0, so only the decay acts: p·(1 - lr·λ).
    p = nn.Parameter(tga.tensor(np.array([2.0, -4.0])))
    opt = optim.AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = tga.zeros(2, dtype=tga.float64)
    opt.step()
    np.testing.assert_array_equal(p.array, [2.0 * 0.95, -4.0 * 0.95])


def test_adagrad_first_step_worked_by_hand():
    # s = 0.5 + g² = 0.5 + 4, p ← 1 - 0.1·2/(√4.5 + 1e-10).
    p = nn.Parameter(tga.tensor(np.array([1.0])))
    opt = optim.Adagrad([p], lr=0.1, initial_accumulator_value=0.5)
    p.grad = tga.tensor(np.array([2.0]))
    opt.step()
    assert p.array[0] == pytest.approx(1 - 0.2 / (np.sqrt(4.5) + 1e-10), rel=1e-15)


def test_rmsprop_first_step_worked_by_hand():
    # v = (1 - α)·g² = 0.01·9, p ← p - lr·g/(√v + eps) = 1 - 0.01·3/0.3 (up to eps).
    p = nn.Parameter(tga.tensor(np.array([1.0])))
    opt = optim.RMSprop([p], lr=0.01)
    p.grad = tga.tensor(np.array([3.0]))
    opt.step()
    assert p.array[0] == pytest.approx(1 - 0.03 / (0.3 + 1e-8), rel=1e-15)


@pytest.mark.parametrize("case", list(CASES))
def test_step_writes_into_the_parameters_own_array(case):
    """The Tensor and its array stay the same objects (whoever holds them sees the step),
    and the gradient is left as it was."""
    name, kwargs = CASES[case]
    p = nn.Parameter(tga.tensor(np.array([[0.5, -1.0], [2.0, 0.25]])))
    array, held, view = p.array, p.detach(), p.T
    opt = getattr(optim, name)([p], **kwargs)
    p.grad = tga.tensor(np.array([[1.0, -2.0], [0.5, 3.0]]))
    grad_array = p.grad.array
    opt.step()
    assert p.array is array and p.grad.array is grad_array
    assert p.grad.tolist() == [[1.0, -2.0], [0.5, 3.0]]
    assert held.tolist() == p.tolist() != [[0.5, -1.0], [2.0, 0.25]]
    assert view.tolist() == p.T.tolist()


def test_step_writes_into_views_as_torch(torch):
    """Whoever holds a parameter's values (w.detach(), a view of w) sees the step, in torch
    and here."""
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


def test_a_step_counts_as_an_in_place_change_as_in_torch(torch):
    """A graph that saved a parameter's old values refuses a backward after the step."""
    messages = []
    for lib in (tga, torch):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0], dtype=lib.float64))
        opt = lib.optim.SGD([p], lr=0.1)
        y = (p * p).sum()  # saves p
        p.grad = lib.ones(2, dtype=lib.float64)
        before = p._version
        opt.step()
        assert p._version > before
        with pytest.raises(RuntimeError) as raised:
            y.backward()
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_a_read_only_parameter_array_gets_its_own_copy():
    """A parameter made from a read-only NumPy array cannot take the step in place: it gets a
    writable copy of its values first (torch would write into the array)."""
    array = np.array([1.0, 2.0])
    array.flags.writeable = False
    p = tga.Tensor(array, requires_grad=True)
    opt = optim.SGD([p], lr=0.5)
    p.grad = tga.tensor(np.array([1.0, 1.0]))
    opt.step()
    assert p.tolist() == [0.5, 1.5] and array.tolist() == [1.0, 2.0]
