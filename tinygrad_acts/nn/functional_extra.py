"""Functions of ``torch.nn.functional`` that reshape data rather than activate it:
``one_hot`` (class indices to rows of 0s and a 1), ``pad`` (a border around the last
dimensions) and ``normalize`` (divide by a norm), with torch's results, dtypes and errors;
and ``kl_div``, the Kullback-Leibler divergence (a loss, kept here: ``losses.py`` is full).

``pad`` is composed of existing ops: ``constant`` mode writes the tensor into a block of the
fill value (``IndexPut``: the gradient is the block's middle); ``reflect``, ``replicate`` and
``circular`` read the tensor at index arrays that run past its ends and turn back, stop or wrap
(``Index``: an element read twice gets both gradients). ``normalize`` is x / max(‖x‖_p, eps).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops.basic import Index, IndexPut
from ..torch_compat.checks import tensor_argument
from ..torch_compat.dtypes import check_fits
from ..torch_compat.nodes import name_node
from .losses import _reduction

_MODES = ("constant", "reflect", "replicate", "circular")

_SUPPORTED = (
    "Supported combinations for non-constant padding:\n"
    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Each class index c of an int64 tensor as a row of ``num_classes`` zeros with a 1 at c:
    the result has one more dimension, and is int64 (``num_classes=-1``: the largest index
    plus one)."""
    tensor = tensor_argument("one_hot", tensor)
    if tensor.array.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    classes = tensor.array
    if num_classes == -1:
        if classes.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(classes.max()) + 1
    if classes.size and classes.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if classes.size and classes.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    rows = (classes[..., None] == np.arange(num_classes)).astype(np.int64)
    return Tensor._make(rows, None)


def _pad_widths(input: Tensor, pad: Sequence[int]) -> list[tuple[int, int]]:
    """``pad`` as (before, after) pairs, the last dimension's first; torch's checks."""
    for i, n in enumerate(pad):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of "
                f"type {type(n).__name__} at pos {i}"
            )
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.array.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {input.array.ndim}"
        )
    return [(int(pad[i]), int(pad[i + 1])) for i in range(0, len(pad), 2)]


def _constant_pad(input: Tensor, widths: list[tuple[int, int]], value: Any) -> Tensor:
    """``input`` in the middle of a block filled with ``value`` (a negative width crops)."""
    n = input.array.ndim
    crop: list[Any] = [slice(None)] * n
    place: list[Any] = [slice(None)] * n
    shape = list(input.array.shape)
    for k, (before, after) in enumerate(widths):
        d = n - 1 - k
        size = shape[d]
        crop[d] = slice(max(-before, 0), size - max(-after, 0))
        shape[d] = size + before + after
        if shape[d] < 0 or crop[d].stop < crop[d].start:
            raise RuntimeError("narrow(): length must be non-negative.")
        place[d] = slice(max(before, 0), max(before, 0) + crop[d].stop - crop[d].start)
    fill = 0 if value is None else value
    check_fits(fill, input.array.dtype)
    block = np.full(shape, fill, dtype=input.array.dtype)
    cropped = (
        input if all(c == slice(None) for c in crop) else Index.apply(input, index=tuple(crop))
    )
    return name_node(IndexPut.apply(block, cropped, index=tuple(place)), "ConstantPadNdBackward0")


def _read_positions(mode: str, size: int, before: int, after: int) -> np.ndarray:
    """Where each position of a padded dimension reads from: i in [-before, size + after)
    reflected at the ends (without repeating the edge), clipped to them, or wrapped."""
    i = np.arange(-before, size + after)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i >= size, 2 * (size - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    return i % size


def _border_pad(input: Tensor, widths: list[tuple[int, int]], mode: str) -> Tensor:
    """reflect, replicate or circular: ``input`` read at positions that run past its ends."""
    n, m = input.array.ndim, len(widths)
    if n not in (m + 1, m + 2):
        raise NotImplementedError(
            f"Padding size {2 * m} is not supported for {n}D input tensor.\n{_SUPPORTED}"
        )
    key: list[Any] = [slice(None)] * (n - m)
    for k in range(m):  # the padded dimensions, first to last
        d = n - m + k
        before, after = widths[m - 1 - k]
        size = input.array.shape[d]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(
                f"Argument #{4 + 2 * (m - 1 - k)}: Padding size should be less than the "
                f"corresponding input dimension, but got: padding ({before}, {after}) at "
                f"dimension {d} of input {list(input.array.shape)}"
            )
        read = _read_positions(mode, size, before, after)
        key.append(read.reshape((-1,) + (1,) * (m - 1 - k)))
    name = {
        "reflect": f"ReflectionPad{m}DBackward0",
        "replicate": f"ReplicationPad{m}DBackward0",
        "circular": "torch::autograd::CopySlices",
    }[mode]
    return name_node(Index.apply(input, index=tuple(key)), name)


def pad(
    input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``input`` with a border: ``pad`` = (before, after) for the last dimension, then the one
    before it, … Mode ``constant`` fills with ``value`` (0 by default; negative widths crop);
    ``reflect`` mirrors the elements next to the edge, ``replicate`` repeats the edge,
    ``circular`` wraps around (these pad the last 1–3 dimensions of a batch)."""
    input = tensor_argument("pad", input)
    widths = _pad_widths(input, pad)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return _constant_pad(input, widths, value)
    if value is not None:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    return _border_pad(input, widths, mode)


def normalize(
    input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None
) -> Tensor:
    """input / max(‖input‖_p over ``dim``, eps): unit vectors along ``dim`` (a zero vector
    stays zero)."""
    input = tensor_argument("normalize", input)
    if out is not None:
        raise NotImplementedError("normalize(out=...) is not supported by tinygrad_acts")
    norm = input.norm(p, dim, keepdim=True).clamp_min(eps)
    return input / norm.expand_as(input)


__all__ = ["normalize", "one_hot", "pad"]


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target ‖ prediction) per element, with ``input`` the log-probabilities predicted:

        ℓ = target·(log target − input)          (0 where target = 0: xlogy(t, t) − t·input)
        ℓ = e^target·(target − input)            (``log_target=True``: target given as logs)

    then reduced: 'sum', 'none', 'batchmean' (the sum over the batch size: the KL divergence
    of each sample, averaged) or 'mean' (over every element, which torch warns about).
    Composed as torch composes it, so the gradients agree (∂ℓ/∂target is NaN where
    target = 0, as in torch)."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.",
            stacklevel=2,
        )
    if reduction != "batchmean":
        _reduction(None, None, reduction)
    input, target = tensor_argument("kl_div", input), tensor_argument("kl_div", target)
    if input.array.dtype.kind != "f" or target.array.dtype.kind != "f":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    total = loss.sum()
    return total / input.shape[0] if reduction == "batchmean" and input.ndim else total
