"""``random_``, ``bernoulli``, ``exponential_`` and ``multinomial`` draw torch's numbers, bit for
bit, and refuse what torch refuses with its words. They are called here as functions of
``torch_compat.random`` (``TensorRandom`` holds them as Tensor methods)."""

from __future__ import annotations

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts.torch_compat import sampling as R

DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool", "float64", "float32", "float16"]


def _random(lib, dtype, *args, **kwargs):
    lib.manual_seed(5)
    t = lib.empty(7, dtype=getattr(lib, dtype)) if lib is not tga else tga.empty(7, dtype=dtype)
    out = t.random_(*args, **kwargs) if lib is not tga else R.random_(t, *args, **kwargs)
    return out, lib.rand(2)


BOUNDS = [(), (5,), (-3, 7), (0, 2), (0, 2**28 - 1), (0, 2**28), (3, 2**40), (10, None)]
BOUNDS.append((-(2**63), None))
# Not float32 with an upper bound past 2²⁴: torch warns that float32 cannot hold such integers,
# and those numbers are not matched here.
RANDOM_CASES = [
    (dtype, bounds)
    for dtype in DTYPES
    for bounds in BOUNDS
    if not (dtype == "float32" and bounds and bounds[-1] is not None and bounds[-1] > 2**24)
]


@pytest.mark.parametrize(("dtype", "bounds"), RANDOM_CASES, ids=str)
def test_random_is_torchs(torch, dtype, bounds):
    assert outcome(lambda lib: _random(lib, dtype, *bounds), tga) == outcome(
        lambda lib: _random(lib, dtype, *bounds), torch
    )


@pytest.mark.parametrize("kwargs", [{"to": 9}, {"from": 2, "to": 9}, {"generator": "own"}])
def test_random_by_keywords_is_torchs(torch, kwargs):
    def draw(lib):
        given = {k: lib.Generator().manual_seed(3) if v == "own" else v for k, v in kwargs.items()}
        return _random(lib, "int64", **given)

    assert outcome(draw, tga) == outcome(draw, torch)


def test_from_alone_is_a_type_error_as_in_torch(torch):
    with pytest.raises(TypeError):
        torch.empty(2, dtype=torch.int64).random_(**{"from": 4})
    with pytest.raises(TypeError):
        R.random_(tga.empty(2, dtype="int64"), **{"from": 4})


def test_a_leaf_that_requires_grad_refuses_random(torch):
    def draw(lib):
        t = lib.zeros(2, requires_grad=True)
        return t.random_() if lib is not tga else R.random_(t)

    assert outcome(draw, tga) == outcome(draw, torch)


def _bernoulli(lib, self_dtype, p):
    lib.manual_seed(9)
    dt = (lambda n: getattr(lib, n)) if lib is not tga else np.dtype
    t = lib.empty(3, 8, dtype=dt(self_dtype))
    if isinstance(p, tuple):
        p = lib.tensor(np.linspace(0.0, 1.0, 8), dtype=dt(p[0]))
    out = t.bernoulli_(p) if lib is not tga else R.bernoulli_(t, p)
    probabilities = lib.tensor(np.linspace(0.05, 0.95, 40).reshape(5, 8), dtype=dt(self_dtype))
    plain = lib.bernoulli(probabilities) if lib is not tga else R.bernoulli(probabilities)
    with_p = (
        lib.bernoulli(probabilities, 0.3) if lib is not tga else R.bernoulli(probabilities, 0.3)
    )
    return out, plain, with_p, lib.rand(2)


@pytest.mark.parametrize("p", [0.3, 0.0, 1.0, ("float64",), ("float32",), ("float16",), 1.5])
@pytest.mark.parametrize("self_dtype", ["float64", "float32", "float16"])
def test_bernoulli_is_torchs(torch, self_dtype, p):
    assert outcome(lambda lib: _bernoulli(lib, self_dtype, p), tga) == outcome(
        lambda lib: _bernoulli(lib, self_dtype, p), torch
    )


def test_bernoulli_refuses_what_torch_refuses(torch):
    for bad in ([1.5], [-0.1], [float("nan")]):
        assert outcome(
            lambda lib, b=bad: (
                lib.bernoulli(lib.tensor(b)) if lib is not tga else R.bernoulli(tga.tensor(b))
            ),
            tga,
        ) == outcome(lambda lib, b=bad: lib.bernoulli(lib.tensor(b)), torch)


@pytest.mark.parametrize("rate", [1.0, 2.5, 0])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_exponential_is_torchs(torch, dtype, rate):
    def draw(lib):
        lib.manual_seed(2)
        t = (
            lib.empty(20, dtype=getattr(lib, dtype))
            if lib is not tga
            else tga.empty(20, dtype=dtype)
        )
        return (t.exponential_(rate) if lib is not tga else R.exponential_(t, rate)), lib.rand(2)

    assert outcome(draw, tga) == outcome(draw, torch)


WEIGHTS = {
    "uneven": [0.1, 0.9, 0.4, 0.7, 3.0, 0.6],
    "with-zeros": [0.0, 2.0, 0.0, 1.0, 0.5, 0.0, 4.0],
    "many": list(np.random.default_rng(0).random(300)),
    "rows": [[0.2, 0.5, 0.1, 0.9], [1.0, 0.0, 3.0, 2.0], [0.5, 0.5, 0.5, 0.5]],
}


@pytest.mark.parametrize(
    "num_samples, replacement", [(1, True), (3, True), (50, True), (1, False), (3, False)]
)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weights", list(WEIGHTS))
def test_multinomial_is_torchs(torch, weights, dtype, num_samples, replacement):
    def draw(lib):
        lib.manual_seed(6)
        w = lib.tensor(WEIGHTS[weights], dtype=getattr(lib, dtype) if lib is not tga else dtype)
        take = lib.multinomial if lib is not tga else R.multinomial
        own = lib.Generator().manual_seed(1)
        return (
            take(w, num_samples, replacement),
            take(w, num_samples, replacement, generator=own),
            lib.randn(2),
        )

    assert outcome(draw, tga) == outcome(draw, torch)


@pytest.mark.parametrize(
    "weights, num_samples, replacement",
    [
        ([1.0, -1.0], 1, False),
        ([1.0, -1.0], 2, True),
        ([1.0, float("inf")], 2, True),
        ([1.0, float("nan")], 1, True),
        ([0.0, 0.0], 1, False),
        ([1.0, 2.0], 3, False),
        ([1.0, 2.0], 0, True),
        ([[[1.0]]], 1, True),
        ([1, 2], 1, True),
    ],
)
def test_multinomial_refuses_what_torch_refuses(torch, weights, num_samples, replacement):
    def draw(lib):
        take = lib.multinomial if lib is not tga else R.multinomial
        return take(lib.tensor(weights), num_samples, replacement)

    assert outcome(draw, tga) == outcome(draw, torch)
