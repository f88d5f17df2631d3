"""torch's argument checks, in its words: broadcastable shapes, dims in range, index keys."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor


def _check_broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """Raise torch's error, word for word, when ``a`` and ``b`` do not broadcast."""
    if a == b:
        return
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )


def _check_dim(dim: int, ndim: int, argument: str = "") -> int:
    """Normalise a possibly negative ``dim``; torch's IndexError when out of range.

    ``argument`` names it for torch's TypeError ("softmax(): argument 'dim' (position 1)").
    """
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        if argument:
            raise TypeError(f"{argument} must be int, not {type(dim).__name__}")
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not lo <= dim <= hi:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return int(dim) % max(ndim, 1)


def _check_dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalise ``dim`` (None, an int or a sequence); an empty sequence means every axis."""
    if dim is None:
        return None
    if not isinstance(dim, (int, np.integer, tuple, list)):
        raise TypeError(
            f"dim must be an int or a tuple of ints, not {type(dim).__name__} ({dim!r})"
        )
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return None
    out = tuple(_check_dim(d, ndim) for d in dims)
    if len(set(out)) != len(out):
        repeated = next(d for i, d in enumerate(out) if d in out[:i])
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(d for d in out if d < ndim) if ndim else ()


def check_expandable(shape: tuple[int, ...], broadcast: tuple[int, ...]) -> None:
    """torch's error when NumPy broadcasting cannot take ``shape`` to ``broadcast``."""
    lead = len(broadcast) - len(shape)
    if lead < 0 or any(n != broadcast[lead + i] and n != 1 for i, n in enumerate(shape)):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(broadcast)}")


def _raw_index(index: Any) -> Any:
    """An index with Tensors as arrays; a 0-d integer tensor is an int (``x[t]`` is a view, as
    ``x[1]``, in torch)."""
    if isinstance(index, tuple):
        return tuple(_raw_index_part(i) for i in index)
    return _raw_index_part(index)


def _raw_index_part(part: Any) -> Any:
    if not isinstance(part, Tensor):
        return part
    if part.array.ndim == 0 and part.array.dtype.kind in "iu":
        return int(part.array)
    return part.array


def _index_message(numpy_message: str, ndim: int) -> str:
    """NumPy's IndexError in torch's words (dimension, not axis; tensor, not array)."""
    if ndim == 0:
        return (
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if numpy_message.startswith("too many indices"):
        return f"too many indices for tensor of dimension {ndim}"
    return numpy_message.replace(" for axis ", " for dimension ")


_VALID_INDICES = (
    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
    "indices (got {})"
)


def _check_index_key(key: Any, shape: tuple[int, ...]) -> None:
    """torch's refusals of an indexing key (its Tensors already arrays) that NumPy would take
    or word otherwise: a step below 1 (NumPy reverses, torch has no negative strides), a float,
    an index of floats, a boolean mask whose shape is not that of the dimensions it covers."""
    items = key if isinstance(key, tuple) else (key,)
    spans = [_span(item) for item in items]
    dim = 0
    for item, span in zip(items, spans):
        if isinstance(item, slice) and item.step is not None and item.step <= 0:
            raise ValueError(
                "slice step cannot be zero" if item.step == 0 else "step must be greater than zero"
            )
        if isinstance(item, (float, np.floating)):
            raise IndexError(_VALID_INDICES.format(type(item).__name__))
        if isinstance(item, np.ndarray) and item.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if isinstance(item, np.ndarray) and item.dtype == np.bool_:
            _check_mask(item, shape, dim)
        dim += len(shape) - sum(s for s in spans if s is not None) if span is None else span


def _span(item: Any) -> int | None:
    """How many dimensions an index item covers (None for an Ellipsis: all the rest)."""
    if item is Ellipsis:
        return None
    if item is None:
        return 0
    if isinstance(item, np.ndarray) and item.dtype == np.bool_:
        return item.ndim
    return 1


def _check_mask(mask: np.ndarray, shape: tuple[int, ...], dim: int) -> None:
    for i, n in enumerate(mask.shape):
        if dim + i < len(shape) and n != shape[dim + i]:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {i} does not match the shape "
                f"of the indexed tensor {list(shape)} at index {dim + i}"
            )


def _integers_first(index: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """A key mixing integers with index arrays, split in two: the integers (basic indexing),
    then the rest. torch applies integers as basic indexing; NumPy counts them among the
    advanced indices, whose dimensions then go first when a slice separates them (x[0, :, [0,
    2]] would come out transposed). None for other keys."""
    if not isinstance(index, tuple):
        return None
    integers = [_is_integer_index(i) for i in index]
    arrays = [isinstance(i, (list, np.ndarray)) and not integers[k] for k, i in enumerate(index)]
    if not any(integers) or not any(arrays):
        return None
    first: list[Any] = []
    rest: list[Any] = []
    for item, integer in zip(index, integers):
        if integer:
            first.append(item)
        elif item is None:
            rest.append(None)
        elif item is Ellipsis:
            first.append(Ellipsis)
            rest.append(Ellipsis)
        else:  # a slice, or an array (a boolean mask spans as many dimensions as it has)
            span = np.ndim(item) if np.asarray(item).dtype == np.bool_ else 1
            first.extend([slice(None)] * span)
            rest.append(item)
    return tuple(first), tuple(rest)


def _is_integer_index(item: Any) -> bool:
    """An integer (a 0-d integer array too, as a 0-d tensor index becomes), not a bool."""
    if isinstance(item, (bool, np.bool_)):
        return False
    if isinstance(item, (int, np.integer)):
        return True
    return isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu"


def tensor_argument(function: str, value: Any, name: str = "input", position: int = 1) -> Tensor:
    """``value`` if it is a Tensor, else torch's TypeError naming the argument: "atan2():
    argument 'other' (position 2) must be Tensor, not float"."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
            f"{type_name(value)}"
        )
    return value


def type_name(value: Any) -> str:
    """A type as torch's messages name it: ``list``, but ``numpy.ndarray``."""
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
