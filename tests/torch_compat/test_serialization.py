"""save and load: round trips keep dtype, shape, requires_grad and values, as torch's do; safe
loading by default; whole models with weights_only=False; clear errors for foreign files."""

from __future__ import annotations

import io
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.serialization import add_safe_globals, get_safe_globals, load, save


def _round_trip(obj, save_fn=save, load_fn=load, **load_kwargs):
    buffer = io.BytesIO()
    save_fn(obj, buffer)
    buffer.seek(0)
    return load_fn(buffer, **load_kwargs)


def _describe(value):
    """What a round trip must keep, as plain values that compare between the libraries."""
    if isinstance(value, dict):
        return type(value).__name__, {k: _describe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [_describe(v) for v in value]
    if hasattr(value, "requires_grad"):
        return (
            type(value).__name__,
            str(value.dtype).removeprefix("torch."),
            tuple(value.shape),
            value.requires_grad,
            value.detach().tolist(),
        )
    return value


def _examples(lib):
    x = lib.tensor([[1.5, -2.0, 3.25]], requires_grad=True)
    return {
        "float32 leaf": x,
        "float64": lib.arange(6, dtype=lib.float64).reshape(2, 3),
        "int64 scalar": lib.tensor(7),
        "bool": lib.tensor([True, False]),
        "int32": lib.tensor([[1, -2]], dtype=lib.int32),
        "float16": lib.tensor([0.1, 65504.0], dtype=lib.float16),
        "transposed view": lib.arange(6.0).reshape(2, 3).T,
        "empty": lib.zeros(0, 4),
        "parameter": lib.nn.Parameter(lib.tensor([1.0, 2.0])),
        "frozen parameter": lib.nn.Parameter(lib.tensor([1.0]), requires_grad=False),
        "containers": {"a": [x.detach(), (lib.ones(2),)], "n": 3, "s": "text", "none": None},
        "ordered": OrderedDict([("w", lib.ones(1)), ("b", lib.zeros(1))]),
    }


@pytest.mark.parametrize("name", list(_examples(tga)))
def test_round_trip_keeps_what_torchs_keeps(torch, name):
    ours = _describe(_round_trip(_examples(tga)[name]))
    theirs = _describe(_round_trip(_examples(torch)[name], torch.save, torch.load))
    assert ours == theirs


def test_round_trip_into_a_file_path(tmp_path):
    x = tga.randn(3, 4, dtype=tga.float64)
    save(x, tmp_path / "x.pt")
    save(x, str(tmp_path / "y.pt"))
    for name in ("x.pt", "y.pt"):
        y = load(tmp_path / name)
        np.testing.assert_array_equal(y.numpy(), x.numpy())
        assert y.dtype == tga.float64


def test_loaded_tensor_is_a_copy_and_writeable():
    x = tga.ones(3)
    y = _round_trip(x)
    y.add_(1)
    assert x.tolist() == [1.0, 1.0, 1.0] and y.tolist() == [2.0, 2.0, 2.0]


def test_one_tensor_saved_twice_comes_back_as_one(torch):
    for lib, save_fn, load_fn in ((tga, save, load), (torch, torch.save, torch.load)):
        x = lib.ones(2)
        a, b = _round_trip([x, x], save_fn, load_fn)
        assert a is b


def test_gradient_is_not_saved(torch):
    for lib, save_fn, load_fn in ((tga, save, load), (torch, torch.save, torch.load)):
        x = lib.ones(2, requires_grad=True)
        (x * 3).sum().backward()
        assert _round_trip(x, save_fn, load_fn).grad is None


def test_state_dict_round_trip_restores_a_model(torch):
    """A model trained one step, saved, loaded into a new model: same outputs and keys."""
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    x = tga.randn(5, 3)
    model(x).sum().backward()
    model.eval()
    state = _round_trip(model.state_dict())
    assert type(state) is OrderedDict
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1)).eval()
    fresh.load_state_dict(state)
    np.testing.assert_array_equal(fresh(x).detach().numpy(), model(x).detach().numpy())
    assert state["1.num_batches_tracked"].dtype == tga.int64
    assert state["1.num_batches_tracked"].shape == ()
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 1)
    )
    assert list(state) == list(theirs.state_dict())


def test_optimizer_checkpoint_resumes_the_same_steps():
    """Saving model and Adam state mid-training and resuming gives the same next step."""

    def setup():
        tga.manual_seed(3)
        model = nn.Linear(2, 1)
        return model, tga.optim.Adam(model.parameters(), lr=0.1)

    def step(model, opt):
        opt.zero_grad()
        ((model(tga.tensor([[1.0, 2.0]])) - 1) ** 2).sum().backward()
        opt.step()

    model, opt = setup()
    step(model, opt)
    checkpoint = _round_trip({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 1})
    step(model, opt)
    resumed, resumed_opt = setup()
    resumed.load_state_dict(checkpoint["model"])
    resumed_opt.load_state_dict(checkpoint["opt"])
    step(resumed, resumed_opt)
    assert checkpoint["epoch"] == 1
    np.testing.assert_array_equal(resumed.weight.detach().numpy(), model.weight.detach().numpy())


def test_whole_model_needs_weights_only_false_as_in_torch(torch):
    for lib, save_fn, load_fn in ((tga, save, load), (torch, torch.save, torch.load)):
        with pytest.raises(pickle.UnpicklingError, match=r"^Weights only load failed"):
            _round_trip(lib.nn.Linear(2, 1), save_fn, load_fn)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    loaded = _round_trip(model, weights_only=False)
    assert repr(loaded) == repr(model)
    x = tga.randn(4, 2)
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())
    loaded(x).sum().backward()  # its parameters are Parameters that train
    assert loaded[0].weight.grad is not None and model[0].weight.grad is None


def test_safe_loading_refuses_a_file_that_would_run_code():
    class Boom:
        def __reduce__(self):
            return (print, ("this must not be printed",))

    with pytest.raises(pickle.UnpicklingError, match=r"builtins\.print was not an allowed global"):
        _round_trip({"x": Boom()})


def test_add_safe_globals_allows_a_trusted_class():
    add_safe_globals([Point])
    assert Point in get_safe_globals()
    assert _round_trip(Point(1, 2)) == Point(1, 2)


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))

    def __reduce__(self):
        return (Point, tuple(self))


def test_dtype_device_and_size_survive_safe_loading():
    value = {"dtype": tga.float64, "device": tga.device("cpu"), "shape": tga.ones(2, 3).shape}
    loaded = _round_trip(value)
    assert loaded == value and type(loaded["shape"]) is tga.Size


@pytest.mark.parametrize("where", ["cpu", "cpu:0", None, {"cuda:0": "cpu"}, lambda s, loc: s])
def test_map_location_to_the_cpu_is_accepted(torch, where):
    assert _round_trip(tga.ones(1), map_location=where).tolist() == [1.0]
    assert _round_trip(tga.ones(1), map_location=torch.device("cpu")).tolist() == [1.0]


def test_map_location_to_cuda_is_refused_as_on_a_cpu_only_torch():
    with pytest.raises(RuntimeError, match=r"torch\.cuda\.is_available\(\) is False"):
        _round_trip(tga.ones(1), map_location="cuda")


def test_a_file_written_by_torch_gets_a_clear_error(torch):
    buffer = io.BytesIO()
    torch.save(torch.ones(2), buffer)
    buffer.seek(0)
    with pytest.raises(RuntimeError, match=r"written by torch\.save"):
        load(buffer)


def test_a_file_that_is_not_a_save_is_refused():
    with pytest.raises(pickle.UnpicklingError, match=r"not a file written by tinygrad_acts\.save"):
        load(io.BytesIO(pickle.dumps([1, 2])))
