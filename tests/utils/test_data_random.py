"""``utils.data`` draws random numbers as torch 2.13 does: the same seed gives the same shuffled
indices, splits and samples, and the numbers drawn afterwards (``randn``, initial weights) stay
torch's. Each case runs the same code on torch and on the package and compares the results."""

from __future__ import annotations

import pytest
from run_on_both import plain

import tinygrad_acts as tga


def _draws_after(lib, make_loader, epochs=2):
    """The batches of ``epochs`` epochs, then a later randn: both must be torch's."""
    lib.manual_seed(0)
    loader = make_loader(lib)
    batches = [plain(list(loader)) for _ in range(epochs)]
    return batches, lib.randn(5).tolist()


LOADERS = {
    "in-order": lambda lib: lib.utils.data.DataLoader(list(range(10)), batch_size=3),
    "shuffled": lambda lib: lib.utils.data.DataLoader(list(range(10)), batch_size=3, shuffle=True),
    "shuffled-drop-last": lambda lib: lib.utils.data.DataLoader(
        list(range(11)), batch_size=4, shuffle=True, drop_last=True
    ),
    "no-batches": lambda lib: lib.utils.data.DataLoader(
        list(range(6)), batch_size=None, shuffle=True
    ),
    "own-generator": lambda lib: lib.utils.data.DataLoader(
        list(range(9)), batch_size=2, shuffle=True, generator=lib.Generator().manual_seed(7)
    ),
    "tensor-dataset": lambda lib: lib.utils.data.DataLoader(
        lib.utils.data.TensorDataset(lib.arange(8.0)), batch_size=3, shuffle=True
    ),
    "replacement": lambda lib: lib.utils.data.DataLoader(
        list(range(5)),
        batch_size=8,
        sampler=lib.utils.data.RandomSampler(range(5), replacement=True, num_samples=70),
    ),
}


@pytest.mark.parametrize("loader", list(LOADERS))
def test_a_loader_draws_as_torch(torch, loader):
    assert _draws_after(tga, LOADERS[loader]) == _draws_after(torch, LOADERS[loader])


def test_the_quickstart_pattern_keeps_later_weights_torchs(torch):
    """One batch looked at, then a model built: its weights are torch's."""

    def weights(lib):
        lib.manual_seed(0)
        data = lib.utils.data.TensorDataset(lib.arange(4.0))
        (batch,) = next(iter(lib.utils.data.DataLoader(data, batch_size=2)))
        return batch.tolist(), lib.nn.Linear(3, 2).weight.tolist(), lib.randn(2).tolist()

    assert weights(tga) == weights(torch)


def test_an_iterator_draws_when_made_and_the_sampler_at_its_first_batch(torch):
    def order(lib):
        lib.manual_seed(1)
        it = iter(lib.utils.data.DataLoader(list(range(6)), batch_size=None, shuffle=True))
        between = lib.rand(1).tolist()
        return between, next(it), lib.rand(1).tolist()

    assert order(tga) == order(torch)


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("num_samples", [None, 3, 12, 32, 70])
@pytest.mark.parametrize("own_generator", [False, True])
def test_random_sampler_is_torchs(torch, replacement, num_samples, own_generator):
    def indices(lib):
        lib.manual_seed(5)
        generator = lib.Generator().manual_seed(2) if own_generator else None
        sampler = lib.utils.data.RandomSampler(
            range(5), replacement=replacement, num_samples=num_samples, generator=generator
        )
        return list(sampler), list(sampler), lib.randn(2).tolist()

    assert indices(tga) == indices(torch)


def test_subset_and_batch_samplers_are_torchs(torch):
    def indices(lib):
        data = lib.utils.data
        lib.manual_seed(3)
        subset = data.SubsetRandomSampler([10, 20, 30, 40, 50])
        own = data.SubsetRandomSampler(range(7), generator=lib.Generator().manual_seed(4))
        batches = data.BatchSampler(data.RandomSampler(range(10)), 3, drop_last=False)
        dropped = data.BatchSampler(data.RandomSampler(range(10)), 3, drop_last=True)
        return list(subset), list(own), list(batches), list(dropped), lib.rand(2).tolist()

    assert indices(tga) == indices(torch)


@pytest.mark.parametrize(
    "weights, num_samples, replacement",
    [
        ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 10, True),
        ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 1, True),
        ([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, False),
        ([1, 0, 2, 5], 40, True),
    ],
)
def test_weighted_random_sampler_is_torchs(torch, weights, num_samples, replacement):
    def indices(lib):
        lib.manual_seed(8)
        sampler = lib.utils.data.WeightedRandomSampler(weights, num_samples, replacement)
        own = lib.utils.data.WeightedRandomSampler(
            weights, num_samples, replacement, generator=lib.Generator().manual_seed(1)
        )
        return list(sampler), list(sampler), list(own), len(sampler), lib.randn(2).tolist()

    assert indices(tga) == indices(torch)


@pytest.mark.parametrize(
    "lengths", [[7, 3], [0.3, 0.3, 0.4], [0.5, 0.5], [0.25, 0.25, 0.25, 0.25], [10, 0]]
)
@pytest.mark.parametrize("own_generator", [False, True])
def test_random_split_is_torchs(torch, lengths, own_generator):
    def indices(lib):
        lib.manual_seed(4)
        kwargs = {"generator": lib.Generator().manual_seed(42)} if own_generator else {}
        parts = lib.utils.data.random_split(range(10), lengths, **kwargs)
        return [p.indices for p in parts], lib.randn(2).tolist()

    assert indices(tga) == indices(torch)


def test_torchs_data_tutorial_runs_with_its_numbers(torch):
    """random_split with a seeded generator, loaders on both parts, a model after them."""

    def run(lib):
        lib.manual_seed(0)
        x = lib.randn(20, 3)
        data = lib.utils.data.TensorDataset(x, (x.sum(1) > 0).long())
        train, test = lib.utils.data.random_split(
            data, [0.8, 0.2], generator=lib.Generator().manual_seed(42)
        )
        model = lib.nn.Linear(3, 2)
        seen = []
        for _ in range(2):
            for _, yb in lib.utils.data.DataLoader(train, batch_size=5, shuffle=True):
                seen.append(yb.tolist())
        for xb, _ in lib.utils.data.DataLoader(test, batch_size=5):
            seen.append(xb.tolist())
        return seen, model.weight.tolist(), lib.nn.Linear(2, 2).weight.tolist()

    assert run(tga) == run(torch)
