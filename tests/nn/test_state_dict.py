"""state_dict and load_state_dict: torch's keys and order, values that share the parameters'
memory, loading in both directions, torch's errors — and values that are not numbers refused
(issue #20 item 4: an object array of None loaded as NaN, a string array raised NumPy's error).
"""

from __future__ import annotations

import warnings
from collections import OrderedDict

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts import nn


def _model(lib):
    """Children, a shared module, a parameter set to None, buffers (one not persistent)."""

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))
            self.head = lib.nn.Linear(2, 1)
            self.tied = self.head  # saved under both names, as torch
            self.register_buffer("mean", lib.zeros(3))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)
            self.register_buffer("steps", lib.zeros((), dtype=lib.int64))
            self.register_parameter("unused", None)
            self.gain = lib.nn.Parameter(lib.ones(1))

        def forward(self, x):
            return self.head(self.body(x - self.mean)) * self.gain

    return Net()


def _torch_state(torch, state):
    """Our state as torch tensors (through NumPy: torch.tensor does not read our Tensors)."""
    return OrderedDict((k, torch.tensor(v.numpy())) for k, v in state.items())


def test_keys_and_their_order_are_torchs(torch):
    ours, theirs = _model(tga).state_dict(), _model(torch).state_dict()
    assert list(ours) == list(theirs)
    assert list(ours)[:2] == ["gain", "mean"]  # a module's own state before its children's
    assert "tied.weight" in ours and "scratch" not in ours and "unused" not in ours
    prefixed = _model(tga).state_dict(prefix="model.")
    assert list(prefixed) == list(_model(torch).state_dict(prefix="model."))


def test_values_are_detached_tensors_sharing_the_parameters_memory(torch):
    for lib in (tga, torch):
        layer = lib.nn.Linear(2, 2)
        state = layer.state_dict()
        assert type(state).__name__ == "OrderedDict"
        assert type(state["weight"]).__name__ == "Tensor" and not state["weight"].requires_grad
        with lib.no_grad():
            layer.weight.mul_(0.0)  # training changes the state too: it is not a snapshot
        assert state["weight"].abs().sum().item() == 0.0
        snapshot = {k: v.clone() for k, v in layer.state_dict().items()}  # how to keep one
        with lib.no_grad():
            layer.bias.add_(1.0)
        assert not bool((snapshot["bias"] == layer.bias).all())
        kept = layer.state_dict(keep_vars=True)
        assert kept["weight"] is layer.weight


def test_destination_is_filled_and_returned(torch):
    for lib in (tga, torch):
        destination = OrderedDict(extra=1)
        assert lib.nn.Linear(1, 1).state_dict(destination=destination) is destination
        assert list(destination) == ["extra", "weight", "bias"]


def test_round_trip_with_torch_both_ways(torch, rng):
    ours, theirs = _model(tga), _model(torch)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    # torch → ours: the same outputs afterwards.
    assert repr(ours.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
    np.testing.assert_allclose(
        ours(tga.tensor(x)).array, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )
    # ours → torch: a fresh torch model takes our values exactly.
    fresh = _model(torch)
    assert repr(fresh.load_state_dict(_torch_state(torch, _model(tga).state_dict()))) == (
        "<All keys matched successfully>"
    )


def test_loading_copies_into_the_same_tensors(torch):
    """As torch's copy_: the Parameter objects (held by an optimizer) and their arrays stay;
    NumPy arrays of numbers are taken as well."""
    layer = nn.Linear(2, 2)
    weight, array = layer.weight, layer.weight.array
    layer.load_state_dict({"weight": np.ones((2, 2)), "bias": tga.zeros(2)})
    assert layer.weight is weight and layer.weight.array is array
    np.testing.assert_array_equal(array, np.ones((2, 2)))
    assert layer.weight.dtype == np.float32 and layer.weight.requires_grad


CASTS = {
    "float64 into float32": lambda L: L.ones(2, 2, dtype=L.float64) / 3,
    "int64 into float32": lambda L: L.ones(2, 2, dtype=L.int64) * 7,
    "bool into float32": lambda L: L.tensor([[True, False], [False, True]]),
    "float16 into float32": lambda L: L.ones(2, 2, dtype=L.float16) / 3,
}


@pytest.mark.parametrize("case", CASTS)
def test_values_of_another_dtype_are_cast_as_torch(torch, case):
    def load(lib):
        layer = lib.nn.Linear(2, 2)
        layer.load_state_dict({"weight": CASTS[case](lib), "bias": lib.zeros(2)})
        return layer.weight.detach()

    assert outcome(load, tga) == outcome(load, torch)


def test_floats_into_an_integer_buffer_are_truncated_as_torch(torch):
    def load(lib):
        m = lib.nn.Module()
        m.register_buffer("steps", lib.zeros(3, dtype=lib.int64))
        m.load_state_dict({"steps": lib.tensor([1.9, -2.7, 3.0])})
        return m.steps

    assert outcome(load, tga) == outcome(load, torch)


def test_complex_values_lose_their_imaginary_part_with_torchs_warning(torch):
    """Our Tensors hold no complex numbers, but a complex NumPy array or torch tensor may be
    loaded: the real part, with torch's warning."""
    complex_value = np.array([[2 + 3j]])
    for lib, value in ((tga, complex_value), (tga, torch.tensor(complex_value)),
                       (torch, torch.tensor(complex_value))):  # fmt: skip
        layer = lib.nn.Linear(1, 1)
        with pytest.warns(UserWarning, match="Casting complex values to real discards"):
            layer.load_state_dict({"weight": value, "bias": lib.zeros(1)})
        assert layer.weight.item() == 2.0


def test_a_one_element_vector_loads_into_a_scalar_as_torch(torch):
    def load(lib, value):
        m = lib.nn.Module()
        m.register_buffer("s", lib.tensor(2.0))
        m.load_state_dict({"s": value(lib)})
        return m.s

    for value in (lambda L: L.tensor([5.0]), lambda L: L.tensor([5.0, 3.0])):
        assert outcome(lambda L, v=value: load(L, v), tga) == outcome(
            lambda L, v=value: load(L, v), torch
        )


def test_strict_false_returns_the_missing_and_unexpected_keys_as_torch(torch):
    def load(lib):
        model = _model(lib)
        state = dict(model.state_dict())
        del state["body.0.bias"], state["mean"]
        state.update({"body.0.extra": lib.ones(1), "nope": lib.ones(1), "head.weight.x": 1})
        result = model.load_state_dict(state, strict=False)
        return repr(result), result.missing_keys, result.unexpected_keys

    assert outcome(load, tga) == outcome(load, torch)


LOAD_MISTAKES = {
    "missing and unexpected keys, in torch's order": lambda L, m: m.load_state_dict(
        {
            **{k: v for k, v in m.state_dict().items() if k != "body.0.bias"},
            "body.0.foo": L.ones(1),
            "foo": L.ones(1),
            "body.0.weight.x": L.ones(1),
            "body.1.weight": L.ones(2),
            "unused": L.ones(1),
        }
    ),
    "sizes that do not match": lambda L, m: m.load_state_dict(
        {**m.state_dict(), "body.0.weight": L.ones(3, 3), "gain": L.ones(2)}
    ),
    "a size mismatch with strict=False": lambda L, m: m.load_state_dict(
        {"body.0.bias": L.ones(3)}, strict=False
    ),
    "not a mapping": lambda L, m: m.load_state_dict([("gain", L.ones(1))]),
    "a string": lambda L, m: m.load_state_dict("weights.pt"),
}


@pytest.mark.parametrize("case", LOAD_MISTAKES)
def test_load_mistakes_in_torch_words(torch, case):
    assert outcome(lambda L: LOAD_MISTAKES[case](L, _model(L)), tga) == outcome(
        lambda L: LOAD_MISTAKES[case](L, _model(L)), torch
    )


# Values that are not tensors of numbers: torch names their type; so do we (issue #20 item 4).
NOT_NUMBERS = {
    "a string": "abc",
    "None": None,
    "a number": 3.0,
    "a list": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    "a nested list of tensors": [[0.5, 1.0]] * 3,
    "a dict": {"weight": 1.0},
    "an object array of None": np.array([[None] * 2] * 3, dtype=object),
    "an object array of numbers": np.array([[1.0, 2.0]] * 3, dtype=object),
    "a string array": np.array([["a"] * 2] * 3),
    "a bytes array": np.array([[b"a"] * 2] * 3),
    "a datetime array": np.array([["2026-01-01"] * 2] * 3, dtype="datetime64[D]"),
}


@pytest.mark.parametrize("case", NOT_NUMBERS)
def test_values_that_are_not_tensors_of_numbers_are_refused_as_torch(torch, case):
    value = NOT_NUMBERS[case]
    layer = nn.Linear(2, 3)
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    with pytest.raises(RuntimeError) as ours:
        layer.load_state_dict({"weight": value, "bias": tga.zeros(3)})
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.Linear(2, 3).load_state_dict({"weight": value, "bias": torch.zeros(3)})
    assert str(ours.value) == str(theirs.value)
    assert "expected torch.Tensor or Tensor-like object" in str(ours.value)
    for key, old in before.items():  # nothing loaded: not even the good bias
        np.testing.assert_array_equal(layer.state_dict()[key].numpy(), old.numpy())


def test_nothing_changes_unless_everything_loads():
    """torch copies the entries it reached before failing; here a failed load changes
    nothing."""
    model = _model(tga)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    state = {k: v + 1 for k, v in model.state_dict().items()}
    state["head.bias"] = tga.ones(5)  # the last entry does not fit
    with pytest.raises(RuntimeError, match=r"size mismatch for head\.bias"):
        model.load_state_dict(state)
    for key, old in before.items():
        np.testing.assert_array_equal(model.state_dict()[key].numpy(), old.numpy())


def test_assign_puts_the_given_tensors_in_place(torch):
    def load(lib):
        layer = lib.nn.Linear(2, 2)
        layer.requires_grad_(False)
        given = {"weight": lib.ones(2, 2, dtype=lib.float64), "bias": lib.zeros(2)}
        layer.load_state_dict(given, assign=True)
        return (
            type(layer.weight).__name__,
            layer.weight.requires_grad,  # the module's flag is kept
            str(layer.weight.dtype),  # the given tensor's dtype is kept
            layer.bias.detach() is not given["bias"],
        )

    ours, theirs = outcome(load, tga), outcome(load, torch)
    assert ours[:2] == theirs[:2] and ours[3] == theirs[3]
    assert ours[2] == theirs[2] == "torch.float64"


def test_loading_bumps_the_version_so_a_graph_that_saved_the_old_values_refuses(torch):
    for lib in (tga, torch):
        layer = lib.nn.Linear(2, 1)
        y = (layer(lib.ones(3, 2, requires_grad=True)) ** 2).sum()
        layer.load_state_dict({k: v * 2 for k, v in layer.state_dict().items()})
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_a_state_loaded_from_torch_warns_about_nothing(torch):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _model(tga).load_state_dict(_model(torch).state_dict())
