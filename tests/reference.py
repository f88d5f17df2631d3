"""A 50-digit reference for every elementwise activation: f, f' and f'' in mpmath.

Written independently of the library, from the textbook formulas, with mpmath's arbitrary
precision doing the work that cancellation and overflow would spoil in float64. The values of
the parameters are the registry's defaults (and its sample values for threshold and prelu).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

mp.mp.dps = 50

ALPHA_SELU = mp.mpf("1.6732632423543772848170429916717")
SCALE_SELU = mp.mpf("1.0507009873554804934193349852946")


def _sig(x):
    return 1 / (1 + mp.exp(-x))


def _phi(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _Phi(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def _piecewise(x, branches, default):
    for cond, value in branches:
        if cond(x):
            return value
    return default


def _sigmoid(x):
    s = _sig(x)
    d = s * _sig(-x)
    return s, d, -d * mp.tanh(x / 2)


def _tanh(x):
    t = mp.tanh(x)
    sech2 = 1 / mp.cosh(x) ** 2
    return t, sech2, -2 * t * sech2


def _softplus(x, beta=1, threshold=20):
    if beta * x > threshold:
        return x, mp.mpf(1), mp.mpf(0)
    s = _sig(beta * x)
    return mp.log1p(mp.exp(beta * x)) / beta, s, beta * s * _sig(-beta * x)


def _logsigmoid(x):
    s, s_neg = _sig(x), _sig(-x)
    return -mp.log1p(mp.exp(-x)), s_neg, -s * s_neg


def _silu(x):
    s, s_neg = _sig(x), _sig(-x)
    d = s * s_neg
    return x * s, s + x * d, 2 * d - x * d * mp.tanh(x / 2)


def _gelu(x):
    return x * _Phi(x), _Phi(x) + x * _phi(x), _phi(x) * (2 - x * x)


def _gelu_tanh(x):
    k, c = mp.sqrt(2 / mp.pi), mp.mpf("0.044715")
    z = 2 * k * (x + c * x**3)  # 1 + tanh(u) = 2σ(2u)
    dz = 2 * k * (1 + 3 * c * x * x)
    ddz = 2 * k * 6 * c * x
    s = _sig(z)
    d = s * _sig(-z)  # σ'(z)
    dd = -d * mp.tanh(z / 2)  # σ''(z)
    return x * s, s + x * d * dz, 2 * d * dz + x * (dd * dz * dz + d * ddz)


def _mish(x):
    sp = mp.log1p(mp.exp(x))
    t = mp.tanh(sp)
    sech2 = 1 / mp.cosh(sp) ** 2
    s = _sig(x)
    ds = s * _sig(-x)
    # f = x t;  f' = t + x sech² s;  (t)' = sech² s,  (sech²)' = -2 t sech² s
    f1 = t + x * sech2 * s
    f2 = 2 * sech2 * s + x * (-2 * t * sech2 * s * s + sech2 * ds)
    return x * t, f1, f2


def _tanhshrink(x):
    t = mp.tanh(x)
    return x - t, t * t, 2 * t / mp.cosh(x) ** 2


def _softsign(x):
    d = 1 + abs(x)
    return x / d, 1 / d**2, -2 * mp.sign(x) / d**3


def _elu_family(alpha, scale=1, input_scale=1):
    def f(x):
        if x > 0:
            return scale * x, mp.mpf(scale), mp.mpf(0)
        e = mp.exp(input_scale * x)
        return (
            scale * alpha * mp.expm1(input_scale * x),
            scale * alpha * input_scale * e,
            scale * alpha * input_scale**2 * e,
        )

    return f


def _linear_pieces(pieces):
    """f(x) = a·x + b on each piece (condition, a, b)."""

    def f(x):
        for cond, a, b in pieces:
            if cond(x):
                return a * x + b, mp.mpf(a), mp.mpf(0)
        raise AssertionError(x)

    return f


def _hardswish(x):
    if x <= -3:
        return mp.mpf(0), mp.mpf(0), mp.mpf(0)
    if x >= 3:
        return x, mp.mpf(1), mp.mpf(0)
    return x * (x + 3) / 6, (2 * x + 3) / 6, mp.mpf(1) / 3


RRELU_SLOPE = (mp.mpf(1) / 8 + mp.mpf(1) / 3) / 2

REFERENCE = {
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "softplus": _softplus,
    "logsigmoid": _logsigmoid,
    "silu": _silu,
    "gelu": _gelu,
    "gelu_tanh": _gelu_tanh,
    "mish": _mish,
    "tanhshrink": _tanhshrink,
    "softsign": _softsign,
    "elu": _elu_family(mp.mpf(1)),
    "selu": _elu_family(ALPHA_SELU, SCALE_SELU),
    "celu": _elu_family(mp.mpf(1), 1, 1),
    "relu": _linear_pieces([(lambda x: x > 0, 1, 0), (lambda x: True, 0, 0)]),
    "relu6": _linear_pieces(
        [(lambda x: x <= 0, 0, 0), (lambda x: x >= 6, 0, 6), (lambda x: True, 1, 0)]
    ),
    "leaky_relu": _linear_pieces([(lambda x: x > 0, 1, 0), (lambda x: True, mp.mpf("0.01"), 0)]),
    "hardtanh": _linear_pieces(
        [(lambda x: x <= -1, 0, -1), (lambda x: x >= 1, 0, 1), (lambda x: True, 1, 0)]
    ),
    "hardsigmoid": _linear_pieces(
        [
            (lambda x: x <= -3, 0, 0),
            (lambda x: x >= 3, 0, 1),
            (lambda x: True, mp.mpf(1) / 6, mp.mpf(1) / 2),
        ]
    ),
    "hardswish": _hardswish,
    "softshrink": _linear_pieces(
        [
            (lambda x: x > 0.5, 1, -mp.mpf("0.5")),
            (lambda x: x < -0.5, 1, mp.mpf("0.5")),
            (lambda x: True, 0, 0),
        ]
    ),
    "hardshrink": _linear_pieces([(lambda x: abs(x) > 0.5, 1, 0), (lambda x: True, 0, 0)]),
    "threshold": _linear_pieces([(lambda x: x > 0.5, 1, 0), (lambda x: True, 0, -1)]),
    "prelu": _linear_pieces([(lambda x: x > 0, 1, 0), (lambda x: True, mp.mpf("0.25"), 0)]),
    "rrelu": _linear_pieces([(lambda x: x > 0, 1, 0), (lambda x: True, RRELU_SLOPE, 0)]),
}


# Digits to work with: 80 keeps 50 through any mild cancellation; x - tanh(x) near 0 loses
# about twice as many digits as |x| has leading zeros: 600 at 1e-300.
WORKING_DIGITS = {"tanhshrink": 700}


def reference(name: str, x: float) -> tuple[float, float, float]:
    """f(x), f'(x), f''(x) rounded to float64, each from at least 50 correct digits."""
    with mp.workdps(WORKING_DIGITS.get(name, 80)):
        return tuple(float(v) for v in REFERENCE[name](mp.mpf(x)))


# -- measuring accuracy ---------------------------------------------------------------------


def grid(kinks: tuple[float, ...] = ()) -> list[float]:
    """Dense on [-1000, 1000], with extra points near 0, near every kink and transition,
    tiny (down to 1e-300) and huge values."""
    points = list(np.linspace(-1000, 1000, 801))
    points += list(np.linspace(-40, 40, 801))
    small = np.logspace(-300, 0, 61)
    points += list(small) + list(-small)
    for k in (*kinks, 20.0):  # 20: softplus's switch to the identity
        offsets = np.logspace(-12, -1, 12)
        points += [k, *(k + offsets), *(k - offsets)]
    points += [1e4, -1e4, 1e10, -1e10]
    return sorted({float(p) for p in points})


def ulp_error(ours, true) -> np.ndarray:
    """|ours - true| / (ε·|true|): the relative error in units of float64's ε = 2^-52.

    Results below 1e-300 in magnitude are subnormal or nearly: no float64 computation keeps
    relative accuracy there (a subnormal has fewer than 52 bits), so there the error is
    measured against 1e-300 instead (0 when both are equal).
    """
    ours, true = np.asarray(ours, dtype=np.float64), np.asarray(true, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        err = np.abs(ours - true) / (np.finfo(np.float64).eps * np.maximum(np.abs(true), 1e-300))
    err = np.where(ours == true, 0.0, err)  # also inf == inf
    return np.where(np.isnan(err), np.inf, err)
