"""Devices and defaults as torch has them on a machine without a GPU: ``device`` objects print and
compare as torch's, every factory takes ``device=`` (a string, a device, None), any other device
than the CPU fails in torch's words, ``cuda.is_available()`` is False; the default device and
the default dtype (which Python floats and the float factories follow).
"""

from __future__ import annotations

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga

DEVICES = {
    "repr": lambda lib: repr(lib.device("cpu")),
    "str": lambda lib: str(lib.device("cpu")),
    "with index": lambda lib: repr(lib.device("cpu:0")),
    "index apart": lambda lib: repr(lib.device("cpu", 0)),
    "str with index": lambda lib: str(lib.device("cuda", 1)),
    "type and index": lambda lib: (lib.device("cuda:1").type, lib.device("cuda:1").index),
    "cuda, unused": lambda lib: repr(lib.device("cuda")),
    "keyword": lambda lib: repr(lib.device(type="cpu")),
    "from a device": lambda lib: repr(lib.device(lib.device("cpu"))),
    "equal": lambda lib: lib.device("cpu") == lib.device("cpu"),
    "index counts": lambda lib: lib.device("cpu") == lib.device("cpu:0"),
    "not a string": lambda lib: lib.device("cpu") == "cpu",
    "hashable": lambda lib: len({lib.device("cpu"), lib.device("cpu")}),
    "tensor's": lambda lib: repr(lib.ones(2).device),
    "tensor's str": lambda lib: str(lib.ones(2).device),
    "tensor's type": lambda lib: lib.ones(2).device.type,
    "tensor's is the cpu": lambda lib: lib.ones(2).device == lib.device("cpu"),
    "is_cuda": lambda lib: (lib.ones(2).is_cuda, lib.ones(2).is_cpu),
    "cuda available": lambda lib: lib.cuda.is_available(),
    "cuda count": lambda lib: lib.cuda.device_count(),
    "mps available": lambda lib: lib.backends.mps.is_available(),
    "default device": lambda lib: repr(lib.get_default_device()),
}


@pytest.mark.parametrize("case", sorted(DEVICES))
def test_devices_as_torch(case, torch):
    assert outcome(DEVICES[case], tga) == outcome(DEVICES[case], torch)


@pytest.mark.parametrize(
    "where, error",
    [
        ("foo", RuntimeError),
        ("CPU", RuntimeError),
        ("cuda:x", RuntimeError),
        ("cpu:-1", RuntimeError),
        ("", RuntimeError),
        (0, RuntimeError),
    ],
)
def test_bad_device_names_in_torchs_words(where, error, torch):
    assert_same_error(lambda lib: lib.device(where), torch, error)


FACTORIES = {
    "tensor": lambda lib, d: lib.tensor([1.0, 2.0], device=d),
    "zeros": lambda lib, d: lib.zeros(2, device=d),
    "ones": lambda lib, d: lib.ones(2, 3, device=d),
    "empty": lambda lib, d: lib.empty(2, device=d),
    "full": lambda lib, d: lib.full((2,), 7.0, device=d),
    "arange": lambda lib, d: lib.arange(3, device=d),
    "linspace": lambda lib, d: lib.linspace(0, 1, 3, device=d),
    "logspace": lambda lib, d: lib.logspace(0, 1, 3, device=d),
    "rand": lambda lib, d: lib.rand(2, device=d),
    "randn": lambda lib, d: lib.randn(2, device=d),
    "randint": lambda lib, d: lib.randint(0, 3, (2,), device=d),
    "randperm": lambda lib, d: lib.randperm(3, device=d),
    "normal": lambda lib, d: lib.normal(0.0, 1.0, (2,), device=d),
    "zeros_like": lambda lib, d: lib.zeros_like(lib.ones(2), device=d),
    "ones_like": lambda lib, d: lib.ones_like(lib.ones(2), device=d),
    "full_like": lambda lib, d: lib.full_like(lib.ones(2), 3.0, device=d),
    "empty_like": lambda lib, d: lib.empty_like(lib.ones(2), device=d),
    "rand_like": lambda lib, d: lib.rand_like(lib.ones(2), device=d),
    "randn_like": lambda lib, d: lib.randn_like(lib.ones(2), device=d),
    "randint_like": lambda lib, d: lib.randint_like(lib.ones(2), 3, device=d),
    "as_tensor": lambda lib, d: lib.as_tensor([1.0], device=d),
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_factory_takes_a_device_as_torch(name, torch):
    make = FACTORIES[name]
    for lib in (tga, torch):
        for where in ("cpu", "cpu:0", lib.device("cpu"), None):
            t = make(lib, where)
            assert str(t.device) == "cpu" and t.device == lib.device("cpu")
    assert_same_error(lambda lib: make(lib, "cuda"), torch, AssertionError)
    assert_same_error(lambda lib: make(lib, "cuda:0"), torch, AssertionError)


def test_moving_a_tensor_to_a_gpu_fails_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.ones(2).cuda(), torch, AssertionError)
    assert_same_error(lambda lib: lib.ones(2).to("cuda"), torch, AssertionError)
    assert_same_error(lambda lib: lib.ones(2).to(lib.device("cuda:0")), torch, AssertionError)
    assert_same_error(lambda lib: lib.ones(2).to("cuda", lib.float64), torch, AssertionError)
    assert_same_error(lambda lib: lib.ones(2).to("foo"), torch, RuntimeError)
    with pytest.raises(RuntimeError, match="CPU only: device 'meta'"):
        tga.zeros(2, device="meta")


@pytest.fixture
def restore_defaults(torch):
    yield
    for lib in (tga, torch):
        lib.set_default_device(None)
        lib.set_default_dtype(lib.float32)


def test_default_device_as_torch(restore_defaults, torch):
    for lib in (tga, torch):
        lib.set_default_device("cpu")
        assert repr(lib.get_default_device()) == "device(type='cpu')"
        lib.set_default_device(lib.device("cpu"))
        assert lib.zeros(2).device.type == "cpu"
        lib.set_default_device("cuda")  # allowed; making a tensor there is not
    assert_same_error(lambda lib: lib.zeros(2), torch, AssertionError)
    assert_same_error(lambda lib: lib.tensor([1.0]), torch, AssertionError)
    assert_same_error(lambda lib: lib.get_default_device(), torch, AssertionError)
    for lib in (tga, torch):
        lib.set_default_device(None)
        assert lib.ones(2).device.type == "cpu"


def _name(dtype) -> str:
    return str(dtype).removeprefix("torch.")


DEFAULT_DTYPE = {
    "tensor of a float": lambda lib: lib.tensor(1.5),
    "tensor of a list": lambda lib: lib.tensor([1, 2.5]),
    "tensor of ints": lambda lib: lib.tensor([1, 2]),
    "tensor of a float32 array": lambda lib: lib.tensor(np.ones(2, np.float32)),
    "zeros": lambda lib: lib.zeros(2),
    "ones": lambda lib: lib.ones(2),
    "empty": lambda lib: lib.empty(0),
    "full of a float": lambda lib: lib.full((2,), 1.5),
    "full of an int": lambda lib: lib.full((2,), 1),
    "arange of floats": lambda lib: lib.arange(0.0, 2.0),
    "arange of ints": lambda lib: lib.arange(2),
    "linspace": lambda lib: lib.linspace(0, 1, 3),
    "logspace": lambda lib: lib.logspace(0, 1, 2),
    "rand": lambda lib: _name(lib.rand(2).dtype),
    "randn": lambda lib: _name(lib.randn(2).dtype),
    "normal": lambda lib: _name(lib.normal(0.0, 1.0, (2,)).dtype),
    "randint": lambda lib: _name(lib.randint(0, 3, (2,)).dtype),
    "int / int": lambda lib: lib.tensor([1, 2]) / 2,
    "int * float": lambda lib: lib.tensor([1, 2]) * 1.5,
    "exp of ints": lambda lib: lib.tensor([0]).exp(),
    "float32 * float": lambda lib: lib.tensor([1.0], dtype=lib.float32) * 1.5,
}


@pytest.mark.parametrize("dtype", ["float64", "float16"])
@pytest.mark.parametrize("case", sorted(DEFAULT_DTYPE))
def test_default_dtype_as_torch(case, dtype, restore_defaults, torch):
    results = []
    for lib in (tga, torch):
        lib.set_default_dtype(getattr(lib, dtype))
        assert str(lib.get_default_dtype()).removeprefix("torch.") == dtype
        results.append(outcome(DEFAULT_DTYPE[case], lib))
        lib.set_default_dtype(lib.float32)
    assert results[0] == results[1]


def test_default_dtype_refuses_what_torch_refuses(restore_defaults, torch):
    assert_same_error(lambda lib: lib.set_default_dtype(lib.int64), torch, TypeError)
    assert_same_error(lambda lib: lib.set_default_dtype(float), torch, TypeError)
    assert tga.get_default_dtype() == tga.float32


def test_cuda_seeding_does_nothing_as_torch(torch):
    for lib in (tga, torch):
        lib.cuda.manual_seed(0)
        lib.cuda.manual_seed_all(0)
    assert tga.backends.mps.is_built() is torch.backends.mps.is_built() is False
