"""``torch.utils.data``: datasets of samples and the loader that batches them.

    dataset = TensorDataset(x, y)                 # (x[i], y[i]) for i < len(x)
    loader = DataLoader(dataset, batch_size=32, shuffle=True)
    for xb, yb in loader:                          # len(loader) batches an epoch
        ...

Shuffling (``shuffle=True``, ``RandomSampler``, ``random_split`` and the other samplers)
draws from torch's generator as torch does: the same ``manual_seed`` (or seeded
``Generator``) gives torch's order, and the random numbers drawn afterwards are torch's too.
"""

from __future__ import annotations

from .collate import default_collate, default_convert
from .dataloader import DataLoader, WorkerInfo, get_worker_info
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]
