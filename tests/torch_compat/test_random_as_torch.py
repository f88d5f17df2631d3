"""The package's random numbers are torch's CPU generator's, bit for bit."""

import subprocess
import sys

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.torch_compat import random as R

SIZES = [1, 5, 15, 16, 17, 33, 1000]


def _same(torch_value, ours) -> None:
    np.testing.assert_array_equal(torch_value.detach().numpy(), ours.array)


@pytest.mark.parametrize("seed", [0, 7, 2**40 + 3])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rand_and_randn_are_torchs(torch, seed, n, dtype):
    torch.manual_seed(seed)
    R.manual_seed(seed)
    _same(torch.rand(n, dtype=getattr(torch, dtype)), R.rand(n, dtype=np.dtype(dtype)))
    _same(torch.randn(n, dtype=getattr(torch, dtype)), R.randn(n, dtype=np.dtype(dtype)))


def test_a_sequence_of_draws_is_torchs(torch):
    def draws(lib, kw):
        return [
            lib.rand(5, **kw),
            lib.randn(3, **kw),
            lib.randint(0, 7, (9,), **kw),
            lib.randint(-3, 2**40, (4,), **kw),
            lib.randperm(13, **kw),
            lib.randn(1, **kw),
            lib.normal(2.0, 3.0, (4,), **kw),
            lib.normal(1.0, 0.5, (40,), **kw),
            lib.randn(2, 17, **kw),
        ]

    torch.manual_seed(11)
    R.manual_seed(11)
    for a, b in zip(draws(torch, {}), draws(R, {}), strict=True):
        _same(a, b)
    mine, theirs = R.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    for a, b in zip(
        draws(torch, {"generator": theirs}), draws(R, {"generator": mine}), strict=True
    ):
        _same(a, b)
    np.testing.assert_array_equal(torch.get_rng_state().numpy(), R.get_rng_state().array)


def test_normal_with_tensors_and_randperm_of_many(torch):
    mean, std = torch.rand(3, 4), torch.rand(3, 4)
    torch.manual_seed(2)
    R.manual_seed(2)
    ours = R.normal(tga.tensor(mean.numpy()), tga.tensor(std.numpy()))
    _same(torch.normal(mean, std), ours)
    _same(torch.randperm(5000), R.randperm(5000))


@pytest.mark.parametrize("bounds", [(-0.4, 0.4), (-1.7, 2.3), (-3e5, 7.0)])
def test_uniform_in_place_is_torchs(torch, bounds):
    for dtype in ("float32", "float64"):
        torch.manual_seed(1)
        R.manual_seed(1)
        theirs = torch.empty(2000, dtype=getattr(torch, dtype)).uniform_(*bounds)
        _same(theirs, tga.zeros(2000, dtype=np.dtype(dtype)).uniform_(*bounds))


def test_linear_init_and_dropout_are_torchs(torch):
    torch.manual_seed(0)
    R.manual_seed(0)
    theirs, ours = torch.nn.Linear(3, 2), tga.nn.Linear(3, 2)
    _same(theirs.weight, ours.weight)
    _same(theirs.bias, ours.bias)
    _same(
        torch.nn.functional.dropout(torch.ones(100), 0.3),
        tga.nn.functional.dropout(tga.ones(100), 0.3),
    )
    theirs, ours = torch.empty(5, 40), tga.zeros(5, 40)
    torch.nn.init.xavier_normal_(theirs)
    tga.nn.init.xavier_normal_(ours)
    _same(theirs, ours)


def test_state_round_trips_and_matches_torchs(torch):
    torch.manual_seed(4)
    R.manual_seed(4)
    torch.randn(3)  # leaves a cached normal sample
    R.randn(3)
    np.testing.assert_array_equal(torch.get_rng_state().numpy(), R.get_rng_state().array)
    saved = R.get_rng_state()
    first = R.randn(3).array.copy()
    R.set_rng_state(saved)
    np.testing.assert_array_equal(R.randn(3).array, first)
    R.set_rng_state(tga.tensor(torch.get_rng_state().numpy()))
    _same(torch.randn(20), R.randn(20))
    assert R.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721


def test_the_default_seed_is_the_operating_systems_as_in_torch():
    code = "from tinygrad_acts.torch_compat import random as R; print(R.initial_seed())"
    seeds = {subprocess.check_output([sys.executable, "-c", code], text=True) for _ in range(2)}
    assert len(seeds) == 2


def test_fork_rng_puts_the_generator_back_as_torch(torch):
    """``torch.random.fork_rng``: draws inside the block leave the generator as it was."""

    def draws(lib):
        lib.random.manual_seed(7)
        with lib.random.fork_rng():
            inside = lib.rand(3).tolist()
        return inside, lib.rand(3).tolist(), lib.random.initial_seed()

    ours, theirs = draws(tga), draws(torch)
    assert ours == theirs and ours[0] == ours[1]


def test_randint_refuses_float_bounds_as_torch(torch):
    for call in (lambda lib: lib.randint(0.5, 4.7, (5,)), lambda lib: lib.randint(2.0, (3,))):
        with pytest.raises(TypeError):
            call(torch)
        with pytest.raises(TypeError, match="must be int, not float"):
            call(tga)
