"""The package's random generator, and the random tensors drawn from it: ``rand``, ``randn``,
``randint``, ``randperm``, ``normal``, the ``*_like`` forms — also nn.init, nn.Linear's initial
weights and dropout's masks. The numbers are torch's on the CPU, bit for bit: the same seed
gives the same samples as in torch (``kernels/mersenne.py`` says how torch makes them).

``manual_seed`` seeds the default generator; as in torch, without it the default generator
starts from a seed of the operating system's entropy (``initial_seed()`` tells which), while
a new ``Generator()`` starts from torch's fixed default seed, 67280421310721.
``get_rng_state``/``set_rng_state`` save and restore it as torch's 5056-byte uint8 tensor.
"""

from __future__ import annotations

import secrets
import struct
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..kernels import mersenne
from ..ops.basic import Where
from .checks import _check_broadcast, tensor_argument
from .creation import new_leaf, size_argument
from .dtypes import DTypeLike, get_default_dtype, result_type, torch_dtype_name

DEFAULT_SEED = 67280421310721  # torch's seed of a new Generator
_STATE_BYTES = 5056  # torch's CPU generator state: a legacy C struct, then the float cache
_LEGACY_HEAD = struct.Struct("<QiiQ")  # initial seed, words left, seeded flag, next index
_LEGACY_TAIL = struct.Struct("<dddi")  # (unused), the cached double normal, (unused), its flag
_FLOAT_CACHE = struct.Struct("<f?")


class Generator:
    """torch.Generator on the CPU: MT19937 and the one cached normal sample of the scalar path.

    ``manual_seed(s)`` seeds it (and forgets the cached sample); ``get_state``/``set_state``
    move its whole state as torch's uint8 tensor, so a state saved by torch works here too.
    """

    def __init__(self, device: Any = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"Generator: only the cpu device is supported, not {device}")
        self.engine = mersenne.MersenneTwister(DEFAULT_SEED)
        self._seed = DEFAULT_SEED
        self._cached_normal: float | None = None

    @property
    def device(self) -> Any:
        from .device import cpu_device

        return cpu_device()

    def manual_seed(self, seed: int) -> Generator:
        """Start again from ``seed`` (an int; a negative one is taken modulo 2⁶⁴, as torch)."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise RuntimeError(f"Overflow when unpacking long long {seed}")
        self._seed = seed % 2**64
        self.engine.seed(self._seed)
        self._cached_normal = None
        return self

    def initial_seed(self) -> int:
        """The seed given last (or drawn by ``seed()``)."""
        return self._seed

    def seed(self) -> int:
        """Seed from the operating system's entropy; the seed chosen."""
        chosen = secrets.randbits(64)
        self.manual_seed(chosen)
        return chosen

    def get_state(self) -> Tensor:
        """The state as torch keeps it: 5056 bytes (uint8)."""
        key, pos = self.engine.state
        fresh = pos == 624 and np.array_equal(key, mersenne.seeded_key(self._seed))
        next_index = 0 if fresh else pos
        left = 1 if pos == 624 else 625 - pos
        data = bytearray(_STATE_BYTES)
        _LEGACY_HEAD.pack_into(data, 0, self._seed, left, 1, next_index)
        data[24 : 24 + 8 * 624] = key.astype("<u8").tobytes()
        cached = self._cached_normal
        valid = cached is not None
        _LEGACY_TAIL.pack_into(data, 5016, 0.0, cached if valid else 0.0, 0.0, int(valid))
        _FLOAT_CACHE.pack_into(data, 5048, 0.0, False)
        return new_leaf(np.frombuffer(bytes(data), np.uint8).copy(), False, None)

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state from ``get_state`` (here or in torch)."""
        if not isinstance(new_state, Tensor) or new_state.array.dtype != np.uint8:
            raise TypeError("expected a torch.ByteTensor as the RNG state")
        data = new_state.array.tobytes()
        if len(data) != _STATE_BYTES:
            raise RuntimeError(
                "Expected either a THGeneratorState of size 5048 or a CPUGeneratorImplState of "
                f"size 5056 but found the input RNG state size to be {len(data)}"
            )
        seed, left, _, next_index = _LEGACY_HEAD.unpack_from(data, 0)
        key = np.frombuffer(data, "<u8", 624, 24).astype(np.uint32)
        _, cached, _, valid = _LEGACY_TAIL.unpack_from(data, 5016)
        self._seed = seed
        self.engine.state = (key, 624 if left == 1 else next_index)
        self._cached_normal = cached if valid else None
        return self

    def __repr__(self) -> str:
        return "<torch._C.Generator object>"


default_generator = Generator()
default_generator.seed()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: the same seed, the same weights and samples afterwards."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def seed() -> int:
    """Seed the default generator from the operating system's entropy; the seed chosen."""
    return default_generator.seed()


def get_rng_state() -> Tensor:
    """The default generator's state (torch's 5056 bytes)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator's state."""
    default_generator.set_state(new_state)


def generator() -> np.random.Generator:
    """A NumPy Generator drawing from the default generator's words (for the samplers that are
    NumPy's, not torch's: the same stream moves on, the numbers are not torch's)."""
    return np.random.Generator(default_generator.engine.bits)


def chosen(gen: Any) -> Generator:
    """The generator to draw from: ``gen``, or the default one for None."""
    if gen is None:
        return default_generator
    if not isinstance(gen, Generator):
        raise TypeError(f"generator must be a Generator or None, not {type(gen).__name__}")
    return gen


# -- samples as torch draws them ------------------------------------------------------------------


def sample_uniform(
    gen: Generator, shape: tuple[int, ...], dtype: np.dtype, low: float = 0.0, high: float = 1.0
) -> np.ndarray:
    """U[low, high) of ``shape`` in ``dtype``, element after element in C order."""
    count = int(np.prod(shape, dtype=np.int64))
    return mersenne.uniform(gen.engine, count, np.dtype(dtype), low, high).reshape(shape)


def sample_normal(
    gen: Generator,
    shape: tuple[int, ...],
    dtype: np.dtype,
    mean: float = 0.0,
    std: float = 1.0,
    contiguous: bool = True,
) -> np.ndarray:
    """N(mean, std²) of ``shape`` in ``dtype``: in blocks of 16 from 16 elements on, one at a
    time (through the cached sample) below — and for a tensor that is not contiguous, as
    torch's serial path."""
    count = int(np.prod(shape, dtype=np.int64))
    dtype = np.dtype(dtype)
    if count >= 16 and contiguous:
        return mersenne.normal(gen.engine, count, dtype, mean, std).reshape(shape)
    values = np.empty(count)
    for i in range(count):
        if gen._cached_normal is not None:
            values[i], gen._cached_normal = gen._cached_normal * std + mean, None
        else:
            ((cos, sin),) = mersenne.scalar_normal_pairs(gen.engine, 1)
            values[i], gen._cached_normal = cos * std + mean, sin
    return values.astype(dtype).reshape(shape)


def sample_integers(gen: Generator, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
    """Integers of [low, high) (int64), with torch's error for an empty range."""
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    count = int(np.prod(shape, dtype=np.int64))
    return mersenne.integers(gen.engine, count, int(low), int(high)).reshape(shape)


def sample_bernoulli(gen: Generator, shape: tuple[int, ...], p: float) -> np.ndarray:
    """True with probability p, for each element: a float64 uniform below p (torch's bernoulli_
    with a number p)."""
    count = int(np.prod(shape, dtype=np.int64))
    return (mersenne.uniform_floats(gen.engine, count, np.dtype(np.float64)) < p).reshape(shape)


def memory_order(a: np.ndarray, like: bool = False) -> list[int]:
    """The order in which torch fills the elements of a tensor laid out as ``a``: its dimensions
    by decreasing stride (TensorIterator walks memory), C order for a contiguous one. With
    ``like``, for a new tensor ``*_like(a)``: ``empty_like`` keeps ``a``'s layout only when it
    is dense (a permutation of a contiguous one), else makes it contiguous."""
    order = sorted(range(a.ndim), key=lambda d: -abs(a.strides[d]))
    if like:
        size, dense = a.itemsize, True
        for d in reversed(order):
            dense &= a.shape[d] == 1 or abs(a.strides[d]) == size
            size *= a.shape[d]
        if not dense:
            return list(range(a.ndim))
    return order


def in_order(
    draw: Callable[[tuple[int, ...]], np.ndarray], shape: tuple[int, ...], order: list[int]
) -> np.ndarray:
    """``draw(shape)`` with its values placed element after element in ``order`` (a
    ``memory_order``) rather than in C order."""
    if order == sorted(order):
        return draw(shape)
    return draw(tuple(shape[d] for d in order)).transpose(np.argsort(order))


def _floating(kernel: str, dtype: Any) -> np.dtype:
    """torch samples floats only, and names the kernel that refuses the rest."""
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")
    return dtype


# -- the factories --------------------------------------------------------------------------------


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of the uniform distribution on [0, 1)."""
    shape = size_argument("rand", size)
    dtype = _floating("check_uniform_bounds", dtype)
    return new_leaf(sample_uniform(chosen(generator), shape, dtype), requires_grad, device)


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of the standard normal distribution."""
    shape = size_argument("randn", size)
    dtype = _floating("normal_kernel_cpu", dtype)
    return new_leaf(sample_normal(chosen(generator), shape, dtype), requires_grad, device)


def randint(
    *args: Any,
    size: Any = None,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    if size is None and args:
        *args, size = args
    if len(args) not in (1, 2) or size is None:
        raise TypeError(
            "randint() takes randint(high, size) or randint(low, high, size), size a tuple"
        )
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"randint(): argument 'size' (position {len(args) + 1}) must be tuple of ints, not "
            f"{type(size).__name__}"
        )
    low, high = (0, *args) if len(args) == 1 else args
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, (bool, np.bool_)) or not isinstance(bound, (int, np.integer)):
            raise TypeError(f"randint(): argument '{name}' must be int, not {type(bound).__name__}")
    values = sample_integers(chosen(generator), low, high, size_argument("randint", (size,)))
    return new_leaf(values.astype(np.int64 if dtype is None else dtype), requires_grad, device)


def randperm(
    n: int,
    *,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """0 … n - 1 in a random order (int64 unless ``dtype`` says otherwise)."""
    (n,) = size_argument("randperm", (n,))
    values = mersenne.permutation(chosen(generator).engine, n)
    return new_leaf(values.astype(np.int64 if dtype is None else dtype), requires_grad, device)


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std²): ``normal(0.0, 1.0, (2, 3))`` with numbers and a size, or with
    tensors ``mean`` and/or ``std`` (broadcast together), one sample per element. As torch,
    a standard normal sample z of the shape is drawn first, then mean + std·z.

    As in torch, a sample made from tensors that require grad is in the graph with a zero
    gradient for them: it is a fresh draw, not a function of them.
    """
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal(): with a number mean and std, give the size too")
        shape = size_argument("normal", (size,))
        dtype = _floating("normal_kernel_cpu", dtype)
    else:
        shapes = [t.array.shape for t in tensors]
        if len(shapes) == 2:
            _check_broadcast(*shapes)
        shape = np.broadcast_shapes(*shapes)
        dtype = result_type(*tensors)
    low = std if not isinstance(std, Tensor) else np.min(std.array) if std.array.size else 0
    if low < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {float(low):g}")
    gen = chosen(generator)
    if not tensors:
        values = sample_normal(gen, shape, dtype, float(mean), float(std))
    else:
        m, s = (v.array if isinstance(v, Tensor) else v for v in (mean, std))
        values = (sample_normal(gen, shape, dtype) * np.asarray(s, dtype) + m).astype(dtype)
    out = new_leaf(values, requires_grad and not tensors, device)
    everywhere = np.ones(shape, np.bool_)
    for t in tensors:  # in the graph, with a zero gradient, as torch's NormalBackward
        if t._requires_grad:
            out = Where.apply(everywhere, out, t)
    return out


def rand_like(
    input: Tensor,
    *,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``rand`` of ``input``'s shape and dtype."""
    input = tensor_argument("rand_like", input)
    dtype = _floating("check_uniform_bounds", input.array.dtype if dtype is None else dtype)
    gen, order = chosen(generator), memory_order(input.array, like=True)
    values = in_order(lambda shape: sample_uniform(gen, shape, dtype), input.array.shape, order)
    return new_leaf(values, requires_grad, device)


def randn_like(
    input: Tensor,
    *,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``randn`` of ``input``'s shape and dtype."""
    input = tensor_argument("randn_like", input)
    dtype = _floating("normal_kernel_cpu", input.array.dtype if dtype is None else dtype)
    gen, order = chosen(generator), memory_order(input.array, like=True)
    contiguous = order == sorted(order)  # torch: the serial path for a permuted layout
    values = in_order(
        lambda shape: sample_normal(gen, shape, dtype, contiguous=contiguous),
        input.array.shape,
        order,
    )
    return new_leaf(values, requires_grad, device)


def randint_like(
    input: Tensor,
    low: int = 0,
    high: int | None = None,
    *,
    generator: Generator | None = None,
    dtype: DTypeLike = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``randint`` of ``input``'s shape and dtype: ``randint_like(x, high)`` or
    ``randint_like(x, low, high)``."""
    input = tensor_argument("randint_like", input)
    if high is None:
        low, high = 0, low
    gen, order = chosen(generator), memory_order(input.array, like=True)
    values = in_order(
        lambda shape: sample_integers(gen, low, high, shape), input.array.shape, order
    )
    dtype = input.array.dtype if dtype is None else np.dtype(dtype)
    return new_leaf(values.astype(dtype), requires_grad, device)
