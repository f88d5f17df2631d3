"""``torch.utils.data``: datasets of samples and the loader that batches them.

    dataset = TensorDataset(x, y)                 # (x[i], y[i]) for i < len(x)
    loader = DataLoader(dataset, batch_size=32, shuffle=True)
    for xb, yb in loader:                          # len(loader) batches an epoch
        ...

Shuffling (``shuffle=True``, ``RandomSampler``, ``random_split``) draws from the package's
generator: ``tinygrad_acts.manual_seed(0)`` makes the order repeat from run to run, but it is
not the order torch gives for the same seed.
"""

from __future__ import annotations

from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = [
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "default_convert",
    "random_split",
]
