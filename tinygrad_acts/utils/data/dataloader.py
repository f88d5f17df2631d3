"""``DataLoader``: a dataset visited in batches, in order or shuffled, as torch's.

Each epoch (each ``for batch in loader``) the sampler gives the indices, ``batch_size`` of them
are fetched (``dataset[i]`` one by one) and ``collate_fn`` merges them into one batch:
by default ``default_collate`` stacks tensors and numbers, so a ``TensorDataset(x, y)`` gives
``[x_batch, y_batch]``. Everything runs in this process (there are no worker processes here).

Random numbers are drawn as torch draws them, so a script's later ``randn`` or initial weights
stay torch's: each ``iter(loader)`` takes one int64 from ``generator`` (the default generator
for None), the seed torch's workers would start from, and a shuffling sampler without a
generator takes another when the epoch's first batch is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...torch_compat.random import Generator
from .collate import default_collate, default_convert
from .sampler import BatchSampler, RandomSampler, SequentialSampler, fresh_seed


class DataLoader:
    """Batches of ``dataset``: ``len(loader)`` of them, the last shorter unless ``drop_last``.

    ``shuffle=True`` visits the samples in a new random order each epoch (a
    ``RandomSampler``), torch's order for the same ``manual_seed`` or ``generator``. A
    ``sampler`` (any iterable of indices) or ``batch_sampler`` (of lists of indices) replaces
    the default order. With ``batch_size=None`` the samples come one by one, NumPy arrays
    converted to Tensors (``default_convert``). ``num_workers`` and ``pin_memory`` are
    accepted for torch's code but change nothing: samples are loaded here, on the CPU.
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Iterable[int] | None = None,
        batch_sampler: Iterable[list[int]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        generator: Generator | None = None,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable "
                "multiprocessing."
            )
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None:
            sampler = (
                RandomSampler(dataset, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn

    def __iter__(self) -> Iterator[Any]:
        """An epoch's batches. Made now, as torch's iterator: the sampler's iterator first, then
        the workers' base seed, drawn though unused here so that the generator moves on."""
        indices = iter(self.batch_sampler if self.batch_sampler is not None else self.sampler)
        fresh_seed(self.generator)
        return self._batches(indices)

    def _batches(self, indices: Iterator[Any]) -> Iterator[Any]:
        if self.batch_sampler is None:  # no batches: each sample on its own
            for index in indices:
                yield self.collate_fn(self.dataset[index])
            return
        for batch in indices:
            yield self.collate_fn([self.dataset[i] for i in batch])

    def __len__(self) -> int:
        """The number of batches in an epoch (of samples, without batches)."""
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)  # type: ignore[arg-type]
