"""``utils.data`` against torch: datasets, batches (collation), their number, shuffling and
splitting, and the errors for typical mistakes.

Shuffled orders and the draws they make are compared with torch's in test_data_random.py.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest
from run_on_both import outcome, plain

import tinygrad_acts as tga
from tinygrad_acts.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

Point = collections.namedtuple("Point", ["x", "y"])


def _tensor_dataset(lib):
    x = lib.tensor(np.arange(14.0).reshape(7, 2))
    y = lib.tensor(np.arange(7) % 3)
    return lib.utils.data.TensorDataset(x, y)


class Squares:
    """A dataset that is no Dataset subclass: anything with __getitem__ and __len__."""

    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int) -> tuple[float, int]:
        return float(i) ** 2, i


# Samples of every kind default_collate knows, and what a DataLoader makes of them.
SAMPLES = {
    "tensor-dataset": _tensor_dataset,
    "tuples-of-numbers": lambda lib: [(1, 2.5), (3, 4.0), (5, 6.5)],
    "ints": lambda lib: [1, 2, 3, 4, 5],
    "floats": lambda lib: [0.5, 1.5, 2.5],
    "bools": lambda lib: [True, False, True],
    "lists": lambda lib: [[1, 2], [3, 4], [5, 6]],
    "strings": lambda lib: ["ab", "cd", "ef"],
    "dicts": lambda lib: [{"a": i, "b": lib.ones(2) * i} for i in range(3)],
    "arrays": lambda lib: [np.full(3, i, dtype=np.float32) for i in range(4)],
    "numpy-scalars": lambda lib: [np.float64(1.5), np.float64(2.0), np.float64(-1.0)],
    "nested": lambda lib: [((lib.ones(2) * i, i), {"k": [i, 2.0 * i]}) for i in range(3)],
    "map-style-object": lambda lib: Squares(),
}


def _batches(lib, samples, **kwargs):
    loader = lib.utils.data.DataLoader(SAMPLES[samples](lib), **kwargs)
    return len(loader), _plain(list(loader))


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value).__name__, _plain(list(value))
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [_plain(v) for v in value]
    return plain(value)


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 2, 3])
@pytest.mark.parametrize("samples", list(SAMPLES))
def test_batches_are_torchs(torch, samples, batch_size, drop_last):
    """The same batches (values, dtypes, list/dict structure) and the same len(loader)."""
    kwargs = {"batch_size": batch_size, "drop_last": drop_last}
    assert _batches(tga, samples, **kwargs) == _batches(torch, samples, **kwargs)


@pytest.mark.parametrize("samples", ["tensor-dataset", "tuples-of-numbers", "arrays", "lists"])
def test_without_batches_samples_come_one_by_one_as_torch(torch, samples):
    assert _batches(tga, samples, batch_size=None) == _batches(torch, samples, batch_size=None)


def test_named_tuples_stay_named_tuples(torch):
    def batch(lib):
        samples = [Point(lib.ones(2) * i, float(i)) for i in range(3)]
        return _plain(next(iter(lib.utils.data.DataLoader(samples, batch_size=3))))

    assert batch(tga) == batch(torch)


def test_tensor_dataset_gives_tuples_of_rows(torch):
    def rows(lib):
        dataset = _tensor_dataset(lib)
        return len(dataset), _plain(dataset[2]), _plain(dataset[1:3])

    assert rows(tga) == rows(torch)


def test_a_batch_is_a_list_of_stacked_tensors():
    x, y = tga.tensor(np.arange(8.0).reshape(4, 2)), tga.tensor([0, 1, 0, 1])
    first = next(iter(DataLoader(TensorDataset(x, y), batch_size=3)))
    assert isinstance(first, list) and len(first) == 2
    assert first[0].shape == (3, 2) and first[0].tolist() == x.tolist()[:3]
    assert first[1].dtype == np.int64 and first[1].tolist() == [0, 1, 0]


def test_shuffle_visits_every_sample_once_in_a_new_order_each_epoch():
    loader = DataLoader(list(range(20)), batch_size=6, shuffle=True)
    assert len(loader) == 4
    epochs = [[i for batch in loader for i in batch.tolist()] for _ in range(3)]
    for order in epochs:
        assert sorted(order) == list(range(20))
    assert epochs[0] != epochs[1] != epochs[2]


def test_manual_seed_makes_the_shuffled_order_repeat():
    def order():
        loader = DataLoader(list(range(50)), batch_size=7, shuffle=True)
        return [batch.tolist() for batch in loader]

    tga.manual_seed(3)
    first = order()
    tga.manual_seed(3)
    assert order() == first
    assert order() != first


def test_a_generator_gives_its_own_order():
    def order(seed):
        loader = DataLoader(
            list(range(30)), shuffle=True, generator=tga.Generator().manual_seed(seed)
        )
        return [int(b.item()) for b in loader]

    assert order(0) == order(0) != order(1)


def test_samplers_as_torch(torch):
    def batches(lib):
        data = lib.utils.data
        sequential = data.SequentialSampler(range(7))
        batch = data.BatchSampler(sequential, 3, drop_last=False)
        dropped = data.BatchSampler([4, 0, 2, 1, 3], 2, drop_last=True)
        custom = data.DataLoader(list("abcdef"), batch_size=2, sampler=[5, 3, 1, 0])
        by_batches = data.DataLoader(list(range(9)), batch_sampler=[[8, 0], [1, 2, 3]])
        return (
            list(sequential),
            list(batch),
            len(batch),
            list(dropped),
            len(dropped),
            list(custom),
            len(custom),
            _plain(list(by_batches)),
            len(by_batches),
        )

    assert batches(tga) == batches(torch)


@pytest.mark.parametrize("replacement", [False, True])
def test_random_sampler_counts_as_torch(torch, replacement):
    for num_samples in (None, 3, 11):
        ours = RandomSampler(range(5), replacement=replacement, num_samples=num_samples)
        theirs = torch.utils.data.RandomSampler(
            range(5), replacement=replacement, num_samples=num_samples
        )
        indices = list(ours)
        assert len(ours) == len(theirs) == len(indices) == len(list(theirs))
        assert all(0 <= i < 5 for i in indices)
        if not replacement:  # whole permutations first
            assert sorted(indices[:5]) == list(range(5)) or len(indices) < 5


def test_subset_concat_and_add(torch):
    def items(lib):
        data = lib.utils.data
        subset = data.Subset(list(range(10, 20)), [3, 1, 4])
        both = data.ConcatDataset([list("abc"), subset])
        added = data.TensorDataset(lib.arange(3)) + data.TensorDataset(lib.arange(2))
        return (
            [subset[i] for i in range(len(subset))],
            len(both),
            [both[i] for i in range(len(both))],
            both[-1],
            len(added),
            _plain(added[4]),
        )

    assert items(tga) == items(torch)


@pytest.mark.parametrize(
    "lengths", [[3, 4], [0.5, 0.5], [0.2, 0.3, 0.5], [0.25, 0.25, 0.25, 0.25], [7, 0]]
)
def test_random_split_sizes_are_torchs(torch, lengths):
    def sizes(lib):
        return [len(s) for s in lib.utils.data.random_split(_tensor_dataset(lib), lengths)]

    assert sizes(tga) == sizes(torch)


def test_random_split_partitions_the_dataset_reproducibly():
    tga.manual_seed(0)
    parts = random_split(list(range(10)), [0.3, 0.7])
    first = [list(p) for p in parts]
    assert sorted(first[0] + first[1]) == list(range(10)) and len(first[0]) == 3
    assert all(isinstance(p, Subset) for p in parts)
    tga.manual_seed(0)
    assert [list(p) for p in random_split(list(range(10)), [3, 7])] == first


def test_an_empty_split_warns_as_torch(torch):
    messages = []
    for lib in (tga, torch):
        with pytest.warns(UserWarning) as record:
            lib.utils.data.random_split(list(range(3)), [0.5, 0.5, 0.0])
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


def test_default_collate_of_a_custom_batch():
    batch = default_collate([{"x": tga.ones(2), "n": 1}, {"x": tga.zeros(2), "n": 2}])
    assert batch["x"].tolist() == [[1.0, 1.0], [0.0, 0.0]] and batch["n"].tolist() == [1, 2]


def test_a_collate_fn_replaces_the_default():
    loader = DataLoader(list(range(5)), batch_size=2, collate_fn=lambda batch: sum(batch))
    assert list(loader) == [1, 5, 4]


def test_a_dataset_subclass_defines_getitem():
    class Doubles(Dataset):
        def __len__(self) -> int:
            return 3

        def __getitem__(self, i: int) -> tga.Tensor:
            return tga.tensor([2.0 * i])

    assert [b.tolist() for b in DataLoader(Doubles(), batch_size=2)] == [[[0.0], [2.0]], [[4.0]]]
    assert isinstance(SequentialSampler(Doubles()), SequentialSampler)
    assert len(BatchSampler(range(5), 2, False)) == 3


MISTAKES = {
    "tensor-sizes": lambda lib: lib.utils.data.TensorDataset(lib.ones(3, 2), lib.ones(4)),
    "stack-sizes": lambda lib: list(lib.utils.data.DataLoader([lib.ones(2), lib.ones(3)], 2)),
    "list-sizes": lambda lib: list(lib.utils.data.DataLoader([[1, 2], [3]], batch_size=2)),
    "unknown-type": lambda lib: list(lib.utils.data.DataLoader([object()], batch_size=2)),
    "string-array": lambda lib: list(lib.utils.data.DataLoader([np.array(["a"])], batch_size=1)),
    "batch-size-0": lambda lib: lib.utils.data.DataLoader([1], batch_size=0),
    "batch-size-float": lambda lib: lib.utils.data.DataLoader([1], batch_size=1.5),
    "batch-size-bool": lambda lib: lib.utils.data.DataLoader([1], batch_size=True),
    "drop-last-not-bool": lambda lib: lib.utils.data.DataLoader([1], drop_last="yes"),
    "shuffle-and-sampler": lambda lib: lib.utils.data.DataLoader([1], shuffle=True, sampler=[0]),
    "batch-sampler-and-size": lambda lib: lib.utils.data.DataLoader(
        [1], batch_size=2, batch_sampler=[[0]]
    ),
    "no-batches-drop-last": lambda lib: lib.utils.data.DataLoader(
        [1], batch_size=None, drop_last=True
    ),
    "negative-workers": lambda lib: lib.utils.data.DataLoader([1], num_workers=-1),
    "replacement-not-bool": lambda lib: lib.utils.data.RandomSampler([1], replacement=1),
    "num-samples-0": lambda lib: lib.utils.data.RandomSampler([1], num_samples=0),
    "split-sum": lambda lib: lib.utils.data.random_split(list(range(5)), [2, 2]),
    "split-fraction": lambda lib: lib.utils.data.random_split(list(range(5)), [1.5, -0.5]),
    "base-getitem": lambda lib: lib.utils.data.Dataset()[0],
    "base-len": lambda lib: len(lib.utils.data.Dataset()),
    "concat-empty": lambda lib: lib.utils.data.ConcatDataset([]),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_mistakes_raise_torchs_errors(torch, mistake):
    ours, theirs = outcome(MISTAKES[mistake], tga), outcome(MISTAKES[mistake], torch)
    assert isinstance(theirs, str), "torch accepted it"
    assert ours == theirs


def test_a_batch_of_tensors_that_require_grad_is_recorded_as_torch(torch):
    def batch(lib):
        w = lib.ones(2, requires_grad=True)
        stacked = lib.utils.data.default_collate([w * 2, w * 3])
        stacked.sum().backward()
        return stacked.requires_grad, stacked.tolist(), w.grad.tolist()

    assert batch(tga) == batch(torch) == (True, [[2.0, 2.0], [3.0, 3.0]], [5.0, 5.0])


def test_tensors_of_different_dtypes_are_promoted_as_torch(torch):
    def batch(lib):
        samples = [lib.ones(2, dtype=lib.float32), lib.ones(2, dtype=lib.float64)]
        return plain(lib.utils.data.default_collate(samples))

    assert batch(tga) == batch(torch)
