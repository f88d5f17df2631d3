"""Datasets: things with a length that give the i-th sample, and ways to combine and split them.

A dataset is anything with ``__getitem__`` (and ``__len__`` for a ``DataLoader`` to count
it): a list of pairs works as well as a ``Dataset`` subclass. ``TensorDataset(x, y)`` gives
``(x[i], y[i])``; ``Subset`` and ``random_split`` pick samples by index.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Sequence
from typing import Any

from ...core.tensor import Tensor
from ...torch_compat.random import Generator, default_generator, randperm


class Dataset:
    """The base of map-style datasets (torch's): ``dataset[i]`` is the i-th sample.

    A subclass defines ``__getitem__`` and, for a ``DataLoader``, ``__len__``;
    ``a + b`` chains two datasets (``ConcatDataset``).
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples of tensors that share their first dimension: ``dataset[i] = (t[i] for t in
    tensors)``, a tuple, and ``len(dataset)`` is that first dimension."""

    def __init__(self, *tensors: Tensor) -> None:
        # torch asserts it (an AssertionError); raised here so that python -O keeps it
        if not all(tensors[0].size(0) == t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``: ``subset[i] = dataset[indices[i]]``."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after the other: indices run through the first, then the next."""

    def __init__(self, datasets: Any) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:  # torch asserts it
            raise AssertionError("datasets should not be an empty iterable")
        self.cumulative_sizes: list[int] = []
        total = 0
        for dataset in self.datasets:
            total += len(dataset)
            self.cumulative_sizes.append(total)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][index - start]


def random_split(
    dataset: Any, lengths: Sequence[int | float], generator: Generator = default_generator
) -> list[Subset]:
    """Split ``dataset`` at random into ``Subset``s of the given lengths (or fractions that
    add up to 1: each gets ⌊fraction·n⌋ samples, the rest one by one from the first).

    The order is torch's: one ``randperm(n, generator=generator)``, the subsets taking its
    indices one after the other.
    """
    lengths = list(lengths)
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes = []
        for i, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            sizes.append(math.floor(n * fraction))
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        for i, size in enumerate(sizes):
            if size == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
        lengths = sizes
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = randperm(n, generator=generator).tolist()
    subsets, start = [], 0
    for length in lengths:
        subsets.append(Subset(dataset, order[start : start + length]))
        start += length
    return subsets
