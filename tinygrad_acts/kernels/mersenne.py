"""torch's CPU random numbers: the Mersenne Twister and what torch makes of its words.

The engine is MT19937 (32-bit words), seeded by Matsumoto and Nishimura's ``init_genrand``
with the low 32 bits of the seed — the seeding of NumPy's legacy ``RandomState``, whose bit
generator gives the same words, fast. torch turns the words into samples so:

- ``random()`` is one word w; ``random64()`` is two, (w₁ << 32) | w₂;
- a uniform float32 on [0, 1) is (w mod 2²⁴)·2⁻²⁴ (float16: 11 bits); a float64 one is
  (random64() mod 2⁵³)·2⁻⁵³; U[a, b) is then x·(b - a) + a in the dtype (b - a rounded too);
- an integer in [low, high) is random() mod (high - low) + low, or random64() when the range
  is 2²⁸ or more (``random_(low, high)``, ``randint``); ``random_()`` without bounds is
  random() mod (m + 1), random64() for int64 and float64, m the dtype's largest integer
  (2ᵈ for a float of d digits, 1 for bool);
- an exponential sample is -log1p(-u)/λ, u a float64 uniform (float32 too, rounded at the end);
- normal samples, for 16 or more contiguous elements: all filled with U[0, 1), then in each
  block of 16, Box–Muller on pairs (j, j + 8): r = √(-2 log(1 - u_j)), θ = 2π·u_{j+8},
  x_j = r cos θ, x_{j+8} = r sin θ. When 16 does not divide the count, the last 16 are drawn
  again and transformed again. float32 uses AVX2 code with Cephes polynomials for log, sin
  and cos (``log_ps``, ``sincos_ps`` below, fused multiply-adds where the compiler put them);
- fewer than 16 normal samples come one at a time from two float64 uniforms u₁, u₂:
  r = √(-2 log1p(-u₂)), θ = 2π·u₁, r cos θ now and r sin θ kept for the next scalar draw;
- randperm(n) is Fisher–Yates: for i < n - 1, swap i with i + random() mod (n - i).
"""

from __future__ import annotations

import math

import numpy as np

from .fused import fma32, fma64

_N = 624  # words in the state of MT19937
_LOG_FALLBACK = 0.45  # within this many ulps of a rounding tie, ask libm's log itself


def seeded_key(seed: int) -> np.ndarray:
    """The state that ``init_genrand(seed mod 2³²)`` makes: k₀ = seed, and
    k_i = 1812433253·(k_{i-1} ⊕ (k_{i-1} >> 30)) + i mod 2³²."""
    key = np.empty(_N, np.uint32)
    k = seed & 0xFFFFFFFF
    key[0] = k
    for i in range(1, _N):
        k = (1812433253 * (k ^ (k >> 30)) + i) & 0xFFFFFFFF
        key[i] = k
    return key


class MersenneTwister:
    """MT19937's words, one by one or a million at a time (NumPy's bit generator does the work)."""

    def __init__(self, seed: int) -> None:
        self.bits = np.random.MT19937(0)
        self.seed(seed)

    def seed(self, seed: int) -> None:
        self.bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": seeded_key(seed), "pos": _N},
        }

    def words(self, count: int) -> np.ndarray:
        """The next ``count`` 32-bit words, as uint64."""
        return self.bits.random_raw(count)

    def words64(self, count: int) -> np.ndarray:
        """The next ``count`` random64() values: two words each, the first one high."""
        pairs = self.words(2 * count)
        return (pairs[0::2] << np.uint64(32)) | pairs[1::2]

    @property
    def state(self) -> tuple[np.ndarray, int]:
        """(the 624 words, the index of the next one; 624 when they are all used)."""
        state = self.bits.state["state"]
        return np.array(state["key"], np.uint32), int(state["pos"])

    @state.setter
    def state(self, value: tuple[np.ndarray, int]) -> None:
        key, pos = value
        state = {"key": np.asarray(key, np.uint32), "pos": int(pos)}
        self.bits.state = {"bit_generator": "MT19937", "state": state}


# -- uniform --------------------------------------------------------------------------------------


def uniform_floats(engine: MersenneTwister, count: int, dtype: np.dtype) -> np.ndarray:
    """``count`` samples of U[0, 1) in ``dtype``, made as torch makes them."""
    if dtype == np.float64:
        mantissa = engine.words64(count) & np.uint64(2**53 - 1)
        return mantissa.astype(np.float64) * 2.0**-53
    digits = 11 if dtype == np.float16 else 24
    mantissa = engine.words(count) & np.uint64(2**digits - 1)
    return (mantissa.astype(np.float32) * np.float32(2.0**-digits)).astype(dtype)


def uniform(
    engine: MersenneTwister, count: int, dtype: np.dtype, low: float, high: float
) -> np.ndarray:
    """U[low, high): x·(high - low) + low, the bounds and the arithmetic in the dtype (float
    for float16), with one rounding for the multiply-add in float32 (torch's FMA)."""
    if dtype == np.float64:
        a, b = float(low), float(high)
        return fma64(uniform_floats(engine, count, dtype), b - a, a)
    a, b = np.float32(np.asarray(low, dtype)), np.float32(np.asarray(high, dtype))
    x = uniform_floats(engine, count, np.dtype(dtype)).astype(np.float32)
    return fma32(x, b - a, a).astype(dtype)


def integers(
    engine: MersenneTwister, count: int, low: int, high: int, wide: bool | None = None
) -> np.ndarray:
    """Integers in [low, high) as int64: a word (random64() if ``wide``; by default from a range
    of 2²⁸ on) modulo the range, plus low. A range of 2⁶⁴ takes random64() as it is."""
    span = high - low
    wide = span >= 2**28 if wide is None else wide
    words = engine.words64(count) if wide else engine.words(count)
    offsets = words if span == 2**64 else words % np.uint64(span)
    return (offsets + np.uint64(low % 2**64)).view(np.int64)  # mod 2⁶⁴, as torch's int64


def exponential(engine: MersenneTwister, count: int, rate: float) -> np.ndarray:
    """``count`` samples of Exp(rate) in float64: -log1p(-u)/rate, with libm's log1p (NumPy's
    differs in the last bit)."""
    u = uniform_floats(engine, count, np.dtype(np.float64)).tolist()
    return np.array([-1.0 / rate * math.log1p(-x) for x in u], np.float64)


def permutation(engine: MersenneTwister, n: int) -> np.ndarray:
    """Fisher–Yates: for i < n - 1, swap i with i + random() mod (n - i)."""
    order = np.arange(n, dtype=np.int64)
    if n < 2:
        return order
    steps = engine.words(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
    values = order.tolist()  # the swaps are sequential: a list is fastest in Python
    for i, step in enumerate(steps.tolist()):
        j = i + step
        values[i], values[j] = values[j], values[i]
    return np.array(values, np.int64)


# -- normal ---------------------------------------------------------------------------------------


def normal(
    engine: MersenneTwister, count: int, dtype: np.dtype, mean: float, std: float
) -> np.ndarray:
    """``count`` ≥ 16 samples of N(mean, std²) by torch's Box–Muller in blocks of 16."""
    work = np.dtype(np.float64 if dtype == np.float64 else np.float32)
    values = uniform_floats(engine, count, work)
    whole = count - count % 16
    out = np.empty(count, work)
    out[:whole] = _box_muller_16(values[:whole], work, mean, std)
    if whole < count:  # the last 16 again, from new uniforms
        out[count - 16 :] = _box_muller_16(uniform_floats(engine, 16, work), work, mean, std)
    return out.astype(dtype)


def _box_muller_16(u: np.ndarray, work: np.dtype, mean: float, std: float) -> np.ndarray:
    blocks = u.reshape(-1, 16)
    u1, u2 = 1 - blocks[:, :8], blocks[:, 8:]
    if work == np.float32:
        radius = np.sqrt(np.float32(-2) * log_ps(u1))
        sin, cos = sincos_ps(np.float32(2 * math.pi) * u2)
        pairs = np.concatenate([radius * cos, radius * sin], axis=1)
        return fma32(pairs, np.float32(std), np.float32(mean)).reshape(-1)
    radius = np.sqrt(-2 * _libm_log(u1))
    theta = 2 * math.pi * u2
    pairs = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
    return (pairs * std + mean).reshape(-1)


def _libm_log(x: np.ndarray) -> np.ndarray:
    """log in float64 rounded as the C library rounds it: from the 64-bit-mantissa log, except
    near a rounding tie, where libm's own answer is taken."""
    extended = np.log(x.astype(np.longdouble))
    rounded = extended.astype(np.float64)
    ulp = np.spacing(np.abs(rounded)).astype(np.longdouble)
    near_tie = np.abs((extended - rounded) / ulp) > _LOG_FALLBACK
    if near_tie.any():
        rounded[near_tie] = [math.log(v) for v in x[near_tie].tolist()]
    return rounded


def scalar_normal_pairs(engine: MersenneTwister, count: int) -> np.ndarray:
    """``count`` pairs (r cos θ, r sin θ) of the scalar path, from float64 uniforms u₁, u₂ each:
    r = √(-2 log1p(-u₂)), θ = 2π·u₁ (libm's functions, one pair at a time)."""
    u = uniform_floats(engine, 2 * count, np.dtype(np.float64)).tolist()
    pairs = np.empty((count, 2))
    for i in range(count):
        r = math.sqrt(-2.0 * math.log1p(-u[2 * i + 1]))
        theta = 2.0 * math.pi * u[2 * i]
        pairs[i] = r * math.cos(theta), r * math.sin(theta)
    return pairs


# -- float32 log, sin and cos of torch's AVX2 normal kernel (Cephes polynomials) ----------------

_F = np.float32
_LOG_P = (
    7.0376836292e-2,
    -1.1514610310e-1,
    1.1676998740e-1,
    -1.2420140846e-1,
    1.4249322787e-1,
    -1.6668057665e-1,
    2.0000714765e-1,
    -2.4999993993e-1,
    3.3333331174e-1,
)


def log_ps(x: np.ndarray) -> np.ndarray:
    """log x for x > 0 in float32: x = m·2ᵉ with m in [√½, √2), then
    log x = (m - 1) + P(m - 1) + e·log 2, log 2 split in two parts for accuracy."""
    bits = x.astype(_F).view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(_F) + _F(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(_F)  # the mantissa in [0.5, 1)
    small = m < _F(0.707106781186547524)
    e = e - small.astype(_F)
    m = (m - _F(1)) + np.where(small, m, _F(0))  # m - 1, or 2m - 1 below √½
    z = m * m
    y = np.full_like(m, _F(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = fma32(y, m, _F(p))
    y = fma32(y * m, z, e * _F(-2.12194440e-4))
    y = y - z * _F(0.5)
    return fma32(e, _F(0.693359375), m + y)


def sincos_ps(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sin x, cos x) for x ≥ 0 in float32: x reduced by the multiple j of π/4 nearest above
    (π/4 split in three parts), then a polynomial for sin or cos on [-π/4, π/4] by j's octant."""
    x = x.astype(_F)
    j = (x * _F(1.27323954473516)).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(_F)
    for part in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = fma32(y, _F(part), x)
    z = x * x
    cos = fma32(
        fma32(_F(2.443315711809948e-5), z, _F(-1.388731625493765e-3)), z, _F(4.166664568298827e-2)
    )
    cos = fma32(cos * z, z, -(z * _F(0.5))) + _F(1)
    sin = fma32(fma32(_F(-1.9515295891e-4), z, _F(8.3321608736e-3)), z, _F(-1.6666654611e-1))
    sin = fma32(sin * z, x, x)
    swap = (j & 2) != 0
    sin, cos = np.where(swap, cos, sin), np.where(swap, sin, cos)
    sin_sign = (j & 4) << 29
    cos_sign = (~(j - 2) & 4) << 29
    return (sin.view(np.int32) ^ sin_sign).view(_F), (cos.view(np.int32) ^ cos_sign).view(_F)
