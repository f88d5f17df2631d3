"""torch's random fills and draws beyond the distributions of ``random``: ``random_``
(integers), ``bernoulli``/``bernoulli_``, ``exponential_`` and ``multinomial``, each drawing from
torch's generator exactly as torch 2.13's CPU kernels do (the rules are in ``kernels/mersenne``
and beside each function), and ``TensorRandom``, their Tensor methods."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..kernels import mersenne
from ..ops.basic import Where
from .checks import tensor_argument
from .creation import new_leaf
from .dtypes import torch_dtype_name
from .in_place import fill_in_place
from .random import (
    Generator,
    chosen,
    sample_bernoulli,
    sample_integers,
)

# -- integers, Bernoulli and multinomial draws --------------------------------------------------

# C++'s names of the dtypes, which torch's bound errors of random_ use
_CXX_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
}


def _largest_integer(dtype: np.dtype) -> int:
    """The largest integer ``random_`` draws for ``dtype``: its maximum, 2ᵈ for a float of d
    digits, 1 for bool."""
    if dtype.kind == "b":
        return 1
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1)
    return int(np.iinfo(dtype).max)


def _check_bound(name: str, value: int, dtype: np.dtype) -> None:
    low, high = (
        (-float(np.finfo(dtype).max), float(np.finfo(dtype).max))
        if dtype.kind == "f"
        else (0, 1)
        if dtype.kind == "b"
        else (int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))
    )
    if not low <= value <= high:
        raise RuntimeError(f"{name} is out of bounds for {_CXX_NAMES[dtype.name]}")


def sample_random(
    gen: Generator, shape: tuple[int, ...], dtype: np.dtype, low: int | None, high: int | None
) -> np.ndarray:
    """``random_``'s integers in ``dtype``: of [0, m] without bounds (m = ``_largest_integer``),
    of [low, high), or of [low, m] when only ``high`` is None (rules in ``kernels/mersenne``)."""
    count = int(np.prod(shape, dtype=np.int64))
    largest = _largest_integer(dtype)
    if low is None:
        wide = dtype in (np.dtype(np.int64), np.dtype(np.float64))
        values = mersenne.integers(gen.engine, count, 0, largest + 1, wide)
        return values.astype(dtype).reshape(shape)
    if high is None and low == -(2**63):  # the whole int64 range: random64() as it is
        kernel = "random_full_64_bits_range_kernel_cpu"
        if dtype.kind == "b" or dtype == np.float16:
            name = torch_dtype_name(dtype)
            raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")
        if dtype not in (np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.float32)):
            raise RuntimeError(f"{kernel} handles only int64, double, float and bfloat16")
        values = mersenne.integers(gen.engine, count, low, low + 2**64, True)
        return (values - np.int64(low)).astype(dtype).reshape(shape)
    _check_bound("from", low, dtype)
    if high is None:
        high = largest + 1
    elif low < high:
        _check_bound("to - 1", high - 1, dtype)
    values = sample_integers(gen, low, high, shape)
    return values.astype(dtype) if dtype.kind != "b" else values.astype(np.bool_)


def _int_argument(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"random_(): argument '{name}' must be int, not {type(value).__name__}")
    return int(value)


def random_(self: Tensor, *args: Any, generator: Generator | None = None, **bounds: Any) -> Tensor:
    """Integers in place, as torch's ``random_``: ``random_()`` of [0, m] (m the dtype's largest
    integer: 2⁶³ - 1 for int64, 2⁵³ for float64), ``random_(to)`` of [0, to),
    ``random_(from, to)`` of [from, to), ``to=None`` meaning up to m."""
    if len(args) > 2 or set(bounds) - {"from", "to"}:
        raise TypeError("random_() takes random_(), random_(to) or random_(from, to)")
    if len(args) == 1 and not bounds:
        low, high = 0, args[0]
    else:
        low, high = (*args, *(None,) * (2 - len(args)))
        low, high = bounds.get("from", low), bounds.get("to", high)
    if "from" in bounds and high is None and "to" not in bounds and len(args) < 2:
        raise TypeError("random_() takes random_(), random_(to) or random_(from, to)")
    if low is None and "to" in bounds:
        low = 0
    if high is None and low is None:
        low = None
    else:
        low = _int_argument("from", low)
        high = None if high is None else _int_argument("to", high)
    if high is not None and low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    gen = chosen(generator)
    return fill_in_place(self, lambda shape, dtype, _: sample_random(gen, shape, dtype, low, high))


def _probability_tensor(p: Tensor) -> np.ndarray:
    """The probabilities of a tensor ``p``, checked as torch checks them (floats in [0, 1])."""
    if p.array.dtype.kind != "f":
        raise NotImplementedError(
            f"\"bernoulli_tensor_cpu_p_\" not implemented for '{torch_dtype_name(p.array.dtype)}'"
        )
    values = p.array
    if not np.all((values >= 0) & (values <= 1)):
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    return values


def _bernoulli_values(gen: Generator, shape: tuple[int, ...], p: Any) -> np.ndarray:
    """True with probability p at each element: a uniform below p, float64 for a number p or a
    float64 tensor, float32 for other float tensors (compared in float32)."""
    if not isinstance(p, Tensor):
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        return sample_bernoulli(gen, shape, p)
    values = np.broadcast_to(_probability_tensor(p), shape)
    work = np.dtype(np.float64 if values.dtype == np.float64 else np.float32)
    count = int(np.prod(shape, dtype=np.int64))
    u = mersenne.uniform_floats(gen.engine, count, work).reshape(shape)
    return u < values.astype(work)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """1 with probability ``p`` (a number, or a tensor that broadcasts to ``self``), else 0,
    in place."""
    gen = chosen(generator)
    return fill_in_place(self, lambda shape, dtype, _: _bernoulli_values(gen, shape, p))


def bernoulli(
    input: Tensor, p: float | None = None, *, generator: Generator | None = None
) -> Tensor:
    """1 with probability ``input`` (elementwise), else 0, in ``input``'s dtype; with a number
    ``p``, every element 1 with probability ``p``. As torch's, the sample of a ``input`` that
    requires grad is in the graph with a zero gradient for it."""
    input = tensor_argument("bernoulli", input)
    gen = chosen(generator)
    values = _bernoulli_values(gen, input.array.shape, input if p is None else p)
    out = new_leaf(values.astype(input.array.dtype), False, None)
    if p is None and input._requires_grad:
        out = Where.apply(np.ones(input.array.shape, np.bool_), out, input)
    return out


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Samples of Exp(lambd) (density λe^{-λx}), in place; computed in float64."""
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    if self.array.dtype.kind != "f":
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {torch_dtype_name(self.array.dtype)}"
        )
    gen = chosen(generator)

    def draw(shape: tuple[int, ...], dtype: np.dtype, contiguous: bool) -> np.ndarray:
        count = int(np.prod(shape, dtype=np.int64))
        return mersenne.exponential(gen.engine, count, lambd).astype(dtype).reshape(shape)

    return fill_in_place(self, draw)


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """``num_samples`` indices of categories drawn with probabilities proportional to the
    weights in ``input`` (1-d, or 2-d: one draw per row), as torch's CPU kernel draws them:

    - with replacement (and more than one sample): u ~ U[0, 1) in float64, and the first index
      whose normalised cumulative weight (running sums in float64, kept in the weights' dtype,
      the last one set to 1) is ≥ u;
    - without replacement, or one sample: q ~ Exp(1) for every weight, and the indices of the
      ``num_samples`` largest w/q (the Gumbel trick), largest first.
    """
    input = tensor_argument("multinomial", input)
    weights = input.array
    if weights.dtype.kind != "f":
        raise RuntimeError(
            "multinomial only supports floating-point dtypes for input, got: "
            f"{torch_dtype_name(weights.dtype)}"
        )
    if weights.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = weights.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    rows = weights.reshape(-1, categories)
    by_ratios = not replacement or num_samples == 1
    if by_ratios and (not np.all(np.isfinite(rows)) or np.any(rows < 0)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if np.any(rows < 0):
        raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
    if not np.all(np.isfinite(rows)):
        raise RuntimeError(
            "invalid multinomial distribution (encountering probability entry = infinity or NaN)"
        )
    if np.any(rows.astype(np.float64).sum(axis=1) <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    gen = chosen(generator)
    if by_ratios:
        q = mersenne.exponential(gen.engine, rows.size, 1.0).astype(rows.dtype)
        ratios = rows / q.reshape(rows.shape)
        indices = np.argsort(-ratios, axis=1, kind="stable")[:, :num_samples]
    else:
        indices = np.empty((len(rows), num_samples), np.int64)
        work = np.float32 if rows.dtype == np.float16 else rows.dtype
        for i, row in enumerate(rows):
            totals = np.cumsum(row.astype(work))  # running sums, in the weights' precision
            cumulative = (totals / totals[-1]).astype(np.float64)
            cumulative[-1] = 1
            u = mersenne.uniform_floats(gen.engine, num_samples, np.dtype(np.float64))
            indices[i] = np.searchsorted(cumulative, u, side="left")
    shape = (*weights.shape[:-1], num_samples)
    return new_leaf(indices.astype(np.int64).reshape(shape), False, None)


class TensorRandom:
    """The random in-place methods of ``Tensor`` and ``Tensor.bernoulli``/``multinomial``."""

    random_ = random_
    bernoulli_ = bernoulli_
    exponential_ = exponential_

    def bernoulli(self, p: float | None = None, *, generator: Generator | None = None) -> Tensor:
        """``torch.bernoulli(self)`` (or with a number ``p``)."""
        return bernoulli(self, p, generator=generator)

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: Generator | None = None
    ) -> Tensor:
        """``torch.multinomial(self, …)``."""
        return multinomial(self, num_samples, replacement, generator=generator)
