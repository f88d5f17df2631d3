"""Printing a tensor as torch prints it: the format of the values (integers as ``1.``, fixed
decimals, scientific notation), alignment, wrapping, summaries of large tensors, the suffixes
(dtype, ``requires_grad=True``, ``grad_fn=<…>``), and ``set_printoptions``.

One difference is by design and taken out before comparing: a node prints by the core's name
(``MulBackward``, torch ``MulBackward0``). Being shorter, a suffix may then fit on a line where
torch's goes to the next: where a suffix starts is not compared either.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.torch_compat import printing


def _suffixes_on_one_line(text: str) -> str:
    return re.sub(r",\n *(dtype=|grad_fn=|requires_grad=)", r", \1", text)


def _same_print(make, torch) -> None:
    ours, theirs = repr(make(tga)), repr(make(torch))
    if ours != theirs:  # the same but for where a suffix starts?
        ours, theirs = _suffixes_on_one_line(ours), _suffixes_on_one_line(theirs)
    assert ours == theirs, f"\nours:\n{ours}\ntorch's:\n{theirs}"


@pytest.fixture
def options(torch):
    """set_printoptions on both libraries, and torch's defaults again afterwards."""

    def both(**kw):
        printing.set_printoptions(**kw)
        torch.set_printoptions(**kw)

    yield both
    both(profile="default")


_ARRAYS = {
    "integers as floats": np.array([1.0, 2.0, -3.0]),
    "decimals": np.array([0.5, -1.25, 3.14159]),
    "0-d": np.array(2.5),
    "0-d integer-valued": np.array(-3.0),
    "wide range": np.array([1e-5, 1.0, 1e5]),
    "large": np.array([1e9, 2.0]),
    "tiny": np.array([1e-5, 2e-5]),
    "nan and inf": np.array([np.nan, np.inf, -np.inf, 1.5]),
    "only nan": np.array([np.nan, np.nan]),
    "zeros and -0": np.array([0.0, -0.0]),
    "matrix": np.arange(12.0).reshape(3, 4) / 7,
    "3-d": np.arange(24.0).reshape(2, 3, 4) - 11.5,
    "4-d": np.arange(16.0).reshape(2, 2, 2, 2),
    "long row wraps": np.linspace(-1, 1, 30),
    "summarised vector": np.arange(2000.0),
    "summarised matrix": np.arange(3000.0).reshape(30, 100) / 3,
    "summarised 3-d": np.arange(4000.0).reshape(10, 20, 20),
    "ints": np.array([1, -20, 300]),
    "int matrix": np.arange(-6, 6).reshape(3, 4),
    "summarised ints": np.arange(5000),
    "bools": np.array([True, False]),
    "int32": np.array([1, 2], dtype=np.int32),
    "float64 vector": np.array([0.1, 0.2]),
    "float16": np.array([0.1, 1000.0], dtype=np.float16),
    "empty": np.zeros(0, np.float32),
    "empty matrix": np.zeros((2, 0), np.float32),
    "empty ints": np.zeros(0, np.int64),
    "empty float64 block": np.zeros((0, 3, 1)),
}


CASES = [(name, "own") for name in sorted(_ARRAYS)] + [
    (name, "float32") for name in sorted(_ARRAYS) if _ARRAYS[name].dtype.kind == "f"
]


@pytest.mark.parametrize("name, dtype", CASES)
def test_printing_as_torch(name, dtype, torch):
    data = _ARRAYS[name] if dtype == "own" else _ARRAYS[name].astype(np.float32)
    _same_print(lambda lib: lib.tensor(data), torch)


@pytest.mark.parametrize("seed", range(30))
def test_random_tensors_print_as_torch(seed, torch):
    """Shapes of 0 to 4 dimensions, values over many scales, some integral, some not finite."""
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 7, size=rng.integers(0, 5)))
    dtype = [np.float32, np.float64, np.float16][seed % 3]
    top = 4 if dtype == np.float16 else 10  # float16 ends at 65504
    data = rng.normal(size=shape) * 10.0 ** rng.integers(-6, top)
    if seed % 3 == 0:
        data = np.round(data)
    if seed % 5 == 0 and data.size > 1:
        data.flat[0] = [np.nan, np.inf, -np.inf][seed % 3]
    _same_print(lambda lib: lib.tensor(data.astype(dtype)), torch)


SUFFIXES = {
    "requires grad": lambda lib: lib.tensor([1.0, 2.0], requires_grad=True),
    "0-d requires grad": lambda lib: lib.tensor(0.5, requires_grad=True),
    "grad_fn": lambda lib: lib.tensor([1.0, 2.0], requires_grad=True) * 2,
    "grad_fn and dtype": lambda lib: lib.tensor([1.0], dtype=lib.float64, requires_grad=True) + 1,
    "suffixes on a new line": lambda lib: lib.tensor(
        np.linspace(0, 1, 14), dtype=lib.float64, requires_grad=True
    ),
    "sum": lambda lib: lib.tensor([[0.5, 1.5]], requires_grad=True).sum(),
    "detached": lambda lib: (lib.tensor([1.0], requires_grad=True) * 2).detach(),
}


@pytest.mark.parametrize("name", sorted(SUFFIXES))
def test_suffixes_as_torch(name, torch):
    _same_print(SUFFIXES[name], torch)


OPTIONS = [
    {"precision": 2},
    {"precision": 8},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"linewidth": 30},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
]


@pytest.mark.parametrize("kw", OPTIONS, ids=str)
@pytest.mark.parametrize("name", ["decimals", "wide range", "matrix", "3-d", "summarised matrix"])
def test_print_options_as_torch(kw, name, options, torch):
    options(**kw)
    data = _ARRAYS[name].astype(np.float32)
    _same_print(lambda lib: lib.tensor(data), torch)
    _same_print(lambda lib: lib.arange(10), torch)


def test_print_options_read_back_and_restore(options, torch):
    options(precision=2, threshold=7)
    assert printing.get_printoptions() == torch._tensor_str.get_printoptions()
    with printing.printoptions(precision=6):
        assert repr(tga.tensor([1 / 3])) == "tensor([0.333333])"
    assert repr(tga.tensor([1 / 3])) == "tensor([0.33])"
    options(profile="default")
    assert printing.get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


def test_default_dtype_is_not_named(torch):
    """With float64 the default, float64 tensors print without their dtype, float32 with it."""
    try:
        for lib in (tga, torch):
            lib.set_default_dtype(lib.float64)
        _same_print(lambda lib: lib.tensor([1.5, 2.0]), torch)
        _same_print(lambda lib: lib.tensor([1.5], dtype=lib.float32), torch)
        _same_print(lambda lib: lib.zeros(0, dtype=lib.float32), torch)
    finally:
        for lib in (tga, torch):
            lib.set_default_dtype(lib.float32)


def test_str_and_format_are_the_print():
    t = tga.tensor([1.0, 2.5])
    assert str(t) == repr(t) == f"{t}" == "tensor([1.0000, 2.5000])"
    assert f"{tga.tensor(2.5):.2f}" == "2.50"
