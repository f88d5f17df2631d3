"""Collating: turning a list of samples into one batch, as torch's ``default_collate``.

The batch has the samples' structure, with each leaf stacked along a new first dimension:

| each sample's element | the batch's |
|---|---|
| Tensor, or NumPy array | a Tensor, the elements stacked (``stack``) |
| Python float | a float64 Tensor |
| Python int (bool) | an int64 (bool) Tensor |
| NumPy scalar | a Tensor of its dtype |
| str, bytes | the list of them |
| dict | a dict of the collated values, key by key |
| tuple, list | a list of the collated columns (a named tuple stays one) |
"""

from __future__ import annotations

import collections.abc
from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...torch_compat.creation import tensor
from ...torch_compat.functions import stack

_UNSUPPORTED = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _holds_numbers(array: np.ndarray) -> bool:
    """Arrays of strings or objects are not collated (torch's check on the dtype)."""
    return array.dtype.kind not in "SaUO"


def default_collate(batch: list[Any]) -> Any:
    """Merge a list of samples into a batch (the table in this module's docstring)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        if any(t.requires_grad or t.shape != elem.shape or t.dtype != elem.dtype for t in batch):
            return stack(batch, 0)  # records the graph, promotes, or raises torch's error
        # nothing to record: one NumPy stack rather than an op per sample, at every batch
        return Tensor._make(np.stack([t.array for t in batch]), None)
    if isinstance(elem, np.ndarray):
        if not _holds_numbers(elem):
            raise TypeError(_UNSUPPORTED.format(elem.dtype))
        return default_collate([Tensor(b) for b in batch])
    if isinstance(elem, np.generic) and not isinstance(elem, (np.str_, np.bytes_)):
        return Tensor(np.asarray(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=np.float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple keeps its type
        return type(elem)(*(default_collate(list(column)) for column in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(column)) for column in zip(*batch)]
    raise TypeError(_UNSUPPORTED.format(type(elem)))


def default_convert(data: Any) -> Any:
    """One sample as a ``DataLoader`` without batches gives it (torch's ``default_convert``):
    NumPy arrays and scalars become Tensors, looking into dicts, tuples and lists; the rest
    is left as it is."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.generic)) and not isinstance(data, (np.str_, np.bytes_)):
        return Tensor(data) if _holds_numbers(np.asarray(data)) else data
    if isinstance(data, collections.abc.Mapping):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data
