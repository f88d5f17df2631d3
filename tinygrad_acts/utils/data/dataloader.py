"""``DataLoader``: a dataset visited in batches, in order or shuffled, as torch's.

Each epoch (each ``for batch in loader``) the sampler gives the indices, ``batch_size`` of them
are fetched (``dataset[i]`` one by one) and ``collate_fn`` merges them into one batch:
by default ``default_collate`` stacks tensors and numbers, so a ``TensorDataset(x, y)`` gives
``[x_batch, y_batch]``. Everything runs in this process.

Random numbers are drawn as torch draws them, so a script's later ``randn`` or initial weights
stay torch's: each ``iter(loader)`` takes one int64 from ``generator`` (the default one for
None), the seed torch's workers start from, and a shuffling sampler without a generator takes
another when the epoch's first batch is asked for. With ``num_workers > 0`` the workers are
emulated as far as the numbers go (``_Workers``): batch i is fetched by worker i mod n, whose
torch and ``random`` generators are its own, seeded with that seed plus its id.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, NamedTuple

from ...torch_compat.random import Generator, get_rng_state, manual_seed, set_rng_state
from .collate import default_collate, default_convert
from .sampler import BatchSampler, RandomSampler, SequentialSampler, fresh_seed


class DataLoader:
    """Batches of ``dataset``: ``len(loader)`` of them, the last shorter unless ``drop_last``.

    ``shuffle=True`` visits the samples in a new random order each epoch (a
    ``RandomSampler``), torch's order for the same ``manual_seed`` or ``generator``. A
    ``sampler`` (any iterable of indices) or ``batch_sampler`` (of lists of indices) replaces
    the default order. With ``batch_size=None`` the samples come one by one, NumPy arrays
    converted to Tensors (``default_convert``). ``num_workers`` gives each batch the random
    numbers torch's worker would draw (in this process); ``worker_init_fn`` runs first in each
    worker, and ``persistent_workers`` keeps their generators from epoch to epoch. The other
    options of torch's workers (``timeout``, ``prefetch_factor``, ``pin_memory`` …) are checked
    as torch checks them and change nothing here.
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
        timeout: float = 0,
        worker_init_fn: Callable[[int], Any] | None = None,
        multiprocessing_context: Any = None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable "
                "multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
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
        self.worker_init_fn = worker_init_fn
        self.persistent_workers = persistent_workers
        self._workers: _Workers | None = None  # kept between epochs if persistent
        self.timeout, self.prefetch_factor = timeout, prefetch_factor
        self.pin_memory = pin_memory
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn

    def __iter__(self) -> Iterator[Any]:
        """An epoch's batches. Made now, as torch's iterator: the sampler's iterator first, then
        the workers' base seed (persistent workers: only for the first epoch)."""
        indices = iter(self.batch_sampler if self.batch_sampler is not None else self.sampler)
        if self._workers is None or not self.persistent_workers:
            seed = fresh_seed(self.generator)
            if self.num_workers > 0:
                self._workers = _Workers(self, seed)
        return self._batches(indices)

    def _batches(self, indices: Iterator[Any]) -> Iterator[Any]:
        for k, chosen in enumerate(indices):
            fetch = partial(self._fetch, chosen)
            yield fetch() if self._workers is None else self._workers.fetch(k, fetch)

    def _fetch(self, chosen: Any) -> Any:
        """One batch (a list of indices), merged; without batches, one sample."""
        if self.batch_sampler is None:
            return self.collate_fn(self.dataset[chosen])
        return self.collate_fn([self.dataset[i] for i in chosen])

    def __len__(self) -> int:
        """The number of batches in an epoch (of samples, without batches)."""
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)  # type: ignore[arg-type]


class WorkerInfo(NamedTuple):
    """What ``get_worker_info()`` gives inside a worker, as torch's."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_current: list[WorkerInfo] = []  # the worker whose batch is being fetched, if any


def get_worker_info() -> WorkerInfo | None:
    """The worker fetching the current batch (None in the main process), as torch's."""
    return _current[-1] if _current else None


class _Workers:
    """torch's worker processes, as far as random numbers go. Worker w fetches batches w,
    w + n, w + 2n … of an epoch; its torch and ``random`` generators start from seed
    base + w (torch's ``manual_seed`` and ``random.seed`` in the worker), then run
    ``worker_init_fn(w)``, and carry on from batch to batch apart from this process's, whose
    generators are put back after each fetch. (NumPy's global generator is not seeded per
    worker here, as torch does.)"""

    def __init__(self, loader: DataLoader, base_seed: int) -> None:
        self.loader, self.base_seed = loader, base_seed
        self.states: list[Any] = [None] * loader.num_workers

    def fetch(self, k: int, fetch: Callable[[], Any]) -> Any:
        w = k % len(self.states)
        mine = get_rng_state(), random.getstate()
        info = WorkerInfo(w, len(self.states), self.base_seed + w, self.loader.dataset)
        _current.append(info)
        try:
            if self.states[w] is None:
                manual_seed(info.seed)
                random.seed(info.seed)
                if self.loader.worker_init_fn is not None:
                    self.loader.worker_init_fn(w)
            else:
                set_rng_state(self.states[w][0])
                random.setstate(self.states[w][1])
            out = fetch()
            self.states[w] = get_rng_state(), random.getstate()
        finally:
            _current.pop()
            set_rng_state(mine[0])
            random.setstate(mine[1])
        return out
