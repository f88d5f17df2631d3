"""Values saved for backward are guarded by version counters, as in torch.

Every in-place op adds 1 to its tensor's version (a view shares its base's counter, ``detach()``
shares it too, ``.data`` does not). A backward that needs a value saved at an older version
raises torch's error instead of computing with the new values. The property tests go through
every activation and the basic ops: after an in-place change of an input or an output, the
backward either raises that error or gives the gradient of the computation as it was recorded —
never a gradient computed from the changed values.
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import NAMES
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.registry import ACTIVATIONS

MODIFIED = "modified by an inplace operation"


# -- torch's cases, word for word ----------------------------------------------------------------


def _sigmoid_output_changed(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)  # recorded in place: y is now 2σ(x), but Sigmoid saved σ(x)
    y.sum().backward()


def _constant_changed(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    c = lib.tensor([1.0, 2.0])
    y = x * c  # Mul saved c for x's gradient
    c.mul_(10)
    y.sum().backward()


def _input_changed_without_grad(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    h = x * 2
    y = h * h
    with lib.no_grad():
        h.add_(1)
    y.sum().backward()


def _leaf_changed_without_grad(lib):
    w = lib.ones(2, requires_grad=True)
    y = (w * w).sum()
    with lib.no_grad():
        w.sub_(1)  # an optimizer step before the backward of the loss that used w
    y.backward()


def _changed_through_a_view(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    y = (x * 2).exp()
    with lib.no_grad():
        y[0:1].mul_(2)  # a view of y: its change is y's
    y.sum().backward()


def _changed_through_detach(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()
    y.detach().mul_(2)  # detach() shares the values and the counter
    y.sum().backward()


def _changed_by_item_assignment(lib):
    x = lib.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()
    with lib.no_grad():
        y[1] = 0.0
    y.sum().backward()


@pytest.mark.parametrize(
    "case",
    [
        _sigmoid_output_changed,
        _constant_changed,
        _input_changed_without_grad,
        _leaf_changed_without_grad,
        _changed_through_a_view,
        _changed_through_detach,
        _changed_by_item_assignment,
    ],
)
def test_a_changed_saved_tensor_raises_torchs_error(case, torch):
    assert_same_error(case, torch)


def test_data_is_not_checked_as_in_torch(torch):
    """``.data`` shares the values but not the counter: torch does not notice the change, and
    uses the new values (its documented hazard); the same here."""
    grads = []
    for lib in (tga, torch):
        x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
        y = x.exp()
        y.data.mul_(2)
        y.sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [2 * np.exp(0.5), 2 * np.exp(1.0)]


def test_versions_count_as_torchs(torch):
    counts = []
    for lib in (tga, torch):
        x = lib.tensor([1.0, 2.0])
        seen = [x._version]
        x.add_(1)
        seen.append(x._version)
        view = x[0:1]
        view.add_(1)  # through a view: both counts go up
        seen += [x._version, view._version]
        data = x.data
        data.add_(1)  # .data has a counter of its own
        seen += [x._version, data._version]
        x += 1
        x.zero_()
        seen.append(x._version)
        counts.append(seen)
    assert counts[0] == counts[1] == [0, 1, 2, 2, 2, 1, 4]


def test_a_change_after_backward_with_retain_graph_is_caught_on_the_second(torch):
    for lib in (tga, torch):
        x = lib.tensor([0.5, 1.0], requires_grad=True)
        y = x.exp()
        y.sum().backward(retain_graph=True)
        with lib.no_grad():
            y.mul_(3)
        with pytest.raises(RuntimeError, match=MODIFIED):
            y.sum().backward()


def test_in_place_changes_the_graph_does_not_need_are_fine(torch):
    """torch raises only for values a backward needs: changing an unsaved tensor is fine."""
    grads = []
    for lib in (tga, torch):
        x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
        h = x + 1  # Add saves nothing
        y = h + 2
        with lib.no_grad():
            h.mul_(10)
        y.sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [1.0, 1.0]


def test_an_optimizer_step_between_forward_and_backward_is_caught():
    w = tga.nn.Parameter(tga.tensor([1.0, 2.0]))
    opt = tga.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    w.grad = tga.tensor([1.0, 1.0])
    opt.step()
    with pytest.raises(RuntimeError, match=MODIFIED):
        loss.backward()


# -- every op: an in-place change of an input or an output never gives a silent wrong gradient ---


def _activation(name):
    entry = ACTIVATIONS[name]
    params = entry.call_params()
    if name == "prelu":
        weight = tga.tensor(np.array([params.pop("weight")]))
        return lambda t: entry.function(t, weight, **params)
    return lambda t: entry.function(t, **params)


BASIC = {
    "mul": lambda t: t * t,
    "mul by a constant tensor": lambda t: t * tga.tensor([1.5, -2.0, 0.5, 3.0]),
    "div": lambda t: t / (t * t + 1.0),
    "exp": lambda t: t.exp(),
    "log": lambda t: (t * t + 1.0).log(),
    "pow": lambda t: (t * t + 1.0) ** 1.5,
    "sqrt": lambda t: (t * t + 1.0).sqrt(),
    "abs": lambda t: t.abs(),
    "clamp": lambda t: t.clamp(-0.5, 0.5),
    "matmul": lambda t: t.reshape(2, 2) @ t.reshape(2, 2),
    "max": lambda t: t.max() * t,
    "mean": lambda t: t.mean() * t,
    "index": lambda t: t[1:3] * t[0:2],
    "sum": lambda t: t.sum() * t,
}
CASES = {**{f"F.{name}": _activation(name) for name in NAMES}, **BASIC}


def _gradient(make, x0, change):
    """x.grad of sum(make(h)), h = x·1, when ``change`` is applied to (h, y) after the forward;
    None if the backward refused."""
    x = tga.tensor(x0.copy(), requires_grad=True)
    h = x * 1.0
    y = make(h)
    with tga.no_grad():
        change(h, y)
    try:
        y.sum().backward()
    except RuntimeError as e:
        assert MODIFIED in str(e)
        return None
    return x.grad.numpy()


CHANGES = {
    "input scaled": lambda h, y: h.mul_(3.0),
    "input partly set": lambda h, y: h.__setitem__(0, 5.0),
    "output scaled": lambda h, y: y.mul_(3.0),
    "output zeroed": lambda h, y: y.zero_(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_changed_input_or_output_is_refused_or_harmless(case, change):
    x0 = np.array([-1.25, 0.5, 2.0, 0.75])
    make = CASES[case]
    expected = _gradient(make, x0, lambda h, y: None)
    got = _gradient(make, x0, CHANGES[change])
    if got is not None:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("case", ["F.sigmoid", "F.tanh", "F.elu", "exp", "pow", "mul", "div"])
def test_ops_that_save_their_output_or_input_refuse(case):
    """The ops that keep a value for backward do notice: scaling it changes the gradient."""
    x0 = np.array([-1.25, 0.5, 2.0, 0.75])
    make = CASES[case]
    change = CHANGES["output scaled" if case in ("F.sigmoid", "exp") else "input scaled"]
    assert _gradient(make, x0, change) is None
