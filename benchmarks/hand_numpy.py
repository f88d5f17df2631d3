"""Hand-written NumPy: the forward and backward of each workload, with no framework at all.

This is the limit a NumPy-based framework can reach: the same arithmetic, each formula written
the lean way a person would write it (reusing forward intermediates in the backward), and the
upstream gradient multiplied in as every backward must. Each function returns what the
frameworks are checked against.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

# -- workloads 1 and 4: a chain of elementwise ops on one element ---------------------------------

CHAIN_PATTERN = ("scale", "shift", "tanh", "sigmoid", "relu")
# Scale and shift put the chain near a fixed point of σ(tanh(4y - 2)) whose derivative is 1, so
# the gradient of a 40,000-op chain stays far from underflow and can be compared digit by digit.
SCALE, SHIFT = 4.0, -2.0


def chain_ops(n_ops: int) -> list[str]:
    """The op names of a chain of ``n_ops``: scale, shift, tanh, sigmoid, relu, repeated."""
    return [CHAIN_PATTERN[i % len(CHAIN_PATTERN)] for i in range(n_ops)]


def chain(x: np.ndarray, ops: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Forward through ``ops``, then backward from the one-element output: (output, dx)."""
    saved: list[np.ndarray | None] = []
    y = x
    for op in ops:
        if op == "scale":
            y = y * SCALE
            saved.append(None)
        elif op == "shift":
            y = y + SHIFT
            saved.append(None)
        elif op == "tanh":
            y = np.tanh(y)
            saved.append(y)
        elif op == "sigmoid":
            y = 1.0 / (1.0 + np.exp(-y))
            saved.append(y)
        else:
            y = np.maximum(y, 0.0)
            saved.append(y)
    g = np.ones_like(y)
    for op, s in zip(reversed(ops), reversed(saved)):
        if op == "scale":
            g = g * SCALE
        elif op == "tanh":
            g = g * (1.0 - s * s)
        elif op == "sigmoid":
            g = g * (s * (1.0 - s))
        elif op == "relu":
            g = g * (s > 0)
    return y, g


# -- workload 2: each activation, forward + sum + backward ----------------------------------------
#
# Each function returns (Σ f(x), ∂Σf/∂x). ``g`` is the upstream gradient of the sum: ones, as a
# broadcast view (no array is made), multiplied in as in any backward.
#
# Written for the fewest passes over memory: each new array is worked in in place, masks are
# booleans multiplied in (``np.where`` on a random mask costs ten passes), and the output the
# caller keeps is never used as scratch. This is the floor a NumPy framework is measured by;
# a row where tinygrad_acts beats it by more than 10 % means the row is not lean enough here.
#
# ``ACTIVATIONS`` are the lean formulas. ``ACCURATE`` are, for the rows whose lean derivative
# loses digits (σ(1 - σ) past x = 37, 1 - tanh² past |x| = 19, x - tanh x near 0, ...), the
# cheapest formula that keeps them — what an accurate framework must compute — and those
# rows are measured against it. gelu's floor calls ``scipy.special.erfc`` when SciPy is
# installed; without it, the C library's erfc element by element (``GELU_FLOOR`` says which).


def _upstream(x: np.ndarray) -> np.ndarray:
    return np.broadcast_to(np.ones((), dtype=x.dtype), x.shape)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1/(1 + e^{-x}) in one new array, four passes."""
    y = np.negative(x)
    with np.errstate(over="ignore"):
        np.exp(y, out=y)
    y += 1.0
    return np.divide(1.0, y, out=y)


def sigmoid(x):
    y = _sigmoid(x)
    d = np.subtract(1.0, y)
    d *= y  # σ(1 - σ)
    d *= _upstream(x)
    return y.sum(), d


def sigmoid_accurate(x):
    """σ' = σ(x)/(1 + e^x) = σ(x)·σ(-x): no cancellation in either tail."""
    y = _sigmoid(x)
    with np.errstate(over="ignore"):
        d = np.exp(x)
    d += 1.0
    np.divide(y, d, out=d)
    d *= _upstream(x)
    return y.sum(), d


def tanh(x):
    y = np.tanh(x)
    d = np.multiply(y, y)
    np.subtract(1.0, d, out=d)  # 1 - tanh²
    d *= _upstream(x)
    return y.sum(), d


def tanh_accurate(x):
    """tanh' = 1/cosh²(x), the gradient divided by it: no cancellation past |x| = 19."""
    y = np.tanh(x)
    d = np.cosh(x)
    d *= d
    np.divide(_upstream(x), d, out=d)
    return y.sum(), d


def relu(x):
    y = np.maximum(x, 0.0)
    return y.sum(), np.multiply(_upstream(x), x > 0)


def _inside(x, low, high):
    return (x > low) & (x < high)


def relu6(x):
    y = np.clip(x, 0.0, 6.0)
    return y.sum(), np.multiply(_upstream(x), _inside(x, 0.0, 6.0))


def hardtanh(x, min_val, max_val):
    y = np.clip(x, min_val, max_val)
    return y.sum(), np.multiply(_upstream(x), _inside(x, min_val, max_val))


def _leaky(x, slope):
    """x for x > 0, else slope·x: max(x, slope·x) for 0 ≤ slope ≤ 1; f' = 1 or slope."""
    y = np.multiply(x, slope)
    np.maximum(y, x, out=y)
    d = np.multiply(x > 0, 1.0 - slope, dtype=x.dtype)
    d += slope
    d *= _upstream(x)
    return y.sum(), d


def leaky_relu(x, negative_slope):
    return _leaky(x, negative_slope)


def prelu(x, weight):
    return _leaky(x, weight)


def rrelu(x, lower, upper, training):
    return _leaky(x, (lower + upper) / 2)


def softplus(x, beta, threshold):
    """log1p(e^{-|z|}) + max(z, 0) over β, z = βx; f' = σ(βx) = -expm1(-βy). (Past the
    threshold f = x; on this data, |βx| < 20, nothing reaches it.)"""
    z = x * beta if beta != 1 else x
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=e)
    y = np.maximum(z, 0.0)
    y += e
    if beta != 1:
        y /= beta
    np.multiply(y, -beta, out=e)
    np.expm1(e, out=e)
    np.negative(e, out=e)
    e *= _upstream(x)
    return y.sum(), e


def _elu(x, alpha, scale, input_scale):
    """scale·x for x > 0, else scale·α·expm1(x·input_scale); the negative part t is computed
    once, and f' = input_scale·(t + scale·α) there (the exponential again, from t)."""
    t = np.minimum(x, 0.0)
    if input_scale != 1:
        t *= input_scale
    np.expm1(t, out=t)
    if alpha * scale != 1:
        t *= alpha * scale
    y = np.maximum(x, 0.0)
    if scale != 1:
        y *= scale
    y += t
    t += alpha * scale  # f' for x ≤ 0 (and α·scale·input_scale at x > 0, where t = 0)
    if input_scale != 1:
        t *= input_scale
    jump = scale - alpha * scale * input_scale
    if jump:  # f' for x > 0 is scale: the difference added where x > 0
        t += np.multiply(x > 0, jump, dtype=x.dtype)
    t *= _upstream(x)
    return y.sum(), t


def elu(x, alpha):
    return _elu(x, alpha, 1.0, 1.0)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    return _elu(x, _SELU_ALPHA, _SELU_SCALE, 1.0)


def celu(x, alpha):
    return _elu(x, alpha, 1.0, 1.0 / alpha)


_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

_SQRT_HALF = math.sqrt(0.5)

try:
    from scipy.special import erfc as _erfc

    GELU_FLOOR = "scipy.special.erfc"
except ImportError:  # NumPy has no erf: the C library's, one element at a time
    _libm_erfc = np.frompyfunc(math.erfc, 1, 1)

    def _erfc(z: np.ndarray) -> np.ndarray:
        return _libm_erfc(z).astype(z.dtype)

    GELU_FLOOR = "math.erfc per element (SciPy not installed)"


def gelu(x, approximate):
    """Φ = ½·erfc(-x/√2) computed once (SciPy's erfc when installed) and reused in the
    backward (Φ' = φ)."""
    cdf = _erfc(x * -_SQRT_HALF)
    cdf *= 0.5
    y = x * cdf
    d = np.multiply(x, x)
    d *= -0.5
    np.exp(d, out=d)
    d *= _INV_SQRT_2PI
    d *= x
    d += cdf  # Φ + x·φ
    d *= _upstream(x)
    return y.sum(), d


def silu(x):
    s = _sigmoid(x)
    y = x * s
    d = np.subtract(1.0, s)
    d *= x
    d += 1.0
    d *= s  # σ(1 + x(1 - σ))
    d *= _upstream(x)
    return y.sum(), d


def silu_accurate(x):
    """silu' = σ(x)·(1 + x·σ(-x)) with σ(-x) = 1/(1 + e^x) computed, not 1 - σ(x)."""
    s = _sigmoid(x)
    y = x * s
    with np.errstate(over="ignore"):
        d = np.exp(x)
    d += 1.0
    np.divide(x, d, out=d)  # x·σ(-x)
    d += 1.0
    d *= s
    d *= _upstream(x)
    return y.sum(), d


def mish(x):
    with np.errstate(over="ignore"):
        e = np.exp(x)
    t = np.log1p(e)
    np.tanh(t, out=t)
    y = x * t
    d = np.multiply(t, t)
    np.subtract(1.0, d, out=d)
    d *= x
    np.divide(e, e + 1.0, out=e)  # σ
    d *= e
    d += t  # t + x·(1 - t²)·σ
    d *= _upstream(x)
    return y.sum(), d


def mish_accurate(x):
    """From E = e^x alone: t = n/D with n = E(E + 2), D = n + 2, and mish' = (E/D)·(Q/D),
    Q = E·(E² + 4E + 6 + 4x) + 4(1 + x), where 6 + 4x and 4 + 4x are exact near the root of
    mish' (the forward's E and D reused)."""
    e = np.exp(x)  # no overflow on this data (|x| < 40)
    n = e + 2.0
    n *= e
    dd = n + 2.0
    n /= dd  # t
    y = x * n
    q = e + 4.0
    q *= e
    lin = x * 4.0
    lin += 6.0
    q += lin
    q *= e
    lin -= 2.0
    q += lin
    q /= dd
    e /= dd
    q *= e
    q *= _upstream(x)
    return y.sum(), q


def hardsigmoid(x):
    y = x + 3.0
    np.clip(y, 0.0, 6.0, out=y)
    y /= 6.0
    d = np.multiply(_inside(x, -3.0, 3.0), 1.0 / 6.0, dtype=x.dtype)
    d *= _upstream(x)
    return y.sum(), d


def hardswish(x):
    h = x + 3.0
    np.clip(h, 0.0, 6.0, out=h)
    h /= 6.0
    y = x * h
    d = np.clip(x, -3.0, 3.0, out=h)  # (2x + 3)/6 = (x + 1.5)/3 between the kinks
    d += 1.5
    d /= 3.0
    d *= x > -3.0  # 0 below -3
    d -= np.multiply(x >= 3.0, 0.5, dtype=x.dtype)  # 1 above 3, where (x + 1.5)/3 was 1.5
    d *= _upstream(x)
    return y.sum(), d


def logsigmoid(x):
    e = np.abs(x)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=e)
    y = np.minimum(x, 0.0)
    y -= e  # min(x, 0) - log1p(e^{-|x|})
    np.expm1(y, out=e)  # f' = σ(-x) = 1 - e^y, without cancelling
    np.negative(e, out=e)
    e *= _upstream(x)
    return y.sum(), e


def softsign(x):
    d = np.abs(x)
    d += 1.0
    y = x / d
    d *= d
    np.divide(_upstream(x), d, out=d)
    return y.sum(), d


def tanhshrink(x):
    t = np.tanh(x)
    y = x - t
    t *= t
    t *= _upstream(x)
    return y.sum(), t


def tanhshrink_accurate(x):
    """x - tanh x cancels for |x| < 1: there x³·P(x²), the near-minimax fit tinygrad_acts's
    forward uses (its coefficients: ``kernels/_tanhshrink_poly.py``), gathered by index."""
    from tinygrad_acts.kernels import _tanhshrink_poly

    t = np.tanh(x)
    y = x - t
    small = np.flatnonzero(np.abs(x) < 1.0)
    xs = x[small]
    x2 = xs * xs
    highest, *rest = _tanhshrink_poly.FLOAT64 if x.dtype == np.float64 else _tanhshrink_poly.FLOAT32
    p = np.full_like(xs, highest)
    for c in rest:
        p *= x2
        p += c
    p *= x2
    p *= xs
    y[small] = p
    t *= t
    t *= _upstream(x)
    return y.sum(), t


def softshrink(x, lambd):
    y = np.clip(x, -lambd, lambd)
    np.subtract(x, y, out=y)  # x ∓ λ outside [-λ, λ], 0 inside; NaN stays NaN
    return y.sum(), np.multiply(_upstream(x), np.abs(x) > lambd)


def hardshrink(x, lambd):
    outside = np.abs(x) > lambd
    y = np.multiply(x, outside)
    return y.sum(), np.multiply(_upstream(x), outside)


def threshold(x, threshold, value):
    above = x > threshold
    y = np.multiply(x, above)  # x above, 0 below: then value added below (both exact)
    y += np.multiply(~above, value, dtype=x.dtype)
    return y.sum(), np.multiply(_upstream(x), above)


def glu(x, dim):
    """The two halves' gradients written straight into the result (no concatenation)."""
    a, b = np.split(x, 2, axis=dim)
    s = _sigmoid(b)
    y = a * s
    d = np.empty_like(x)
    da, db = np.split(d, 2, axis=dim)
    g = _upstream(y)
    np.multiply(g, s, out=da)
    np.subtract(1.0, s, out=db)
    db *= s
    db *= a  # a·σ(1 - σ)
    db *= g
    return y.sum(), d


def _softmax_forward(x, dim):
    y = x - np.max(x, axis=dim, keepdims=True)
    np.exp(y, out=y)
    y /= np.sum(y, axis=dim, keepdims=True)
    return y


def softmax(x, dim):
    y = _softmax_forward(x, dim)
    g = _upstream(x)
    d = np.multiply(g, y)
    np.subtract(g, np.sum(d, axis=dim, keepdims=True), out=d)
    d *= y  # y·(g - Σ g·y)
    return y.sum(), d


def softmin(x, dim):
    y = _softmax_forward(np.negative(x), dim)
    g = _upstream(x)
    d = np.multiply(g, y)
    np.subtract(np.sum(d, axis=dim, keepdims=True), g, out=d)
    d *= y  # -y·(g - Σ g·y)
    return y.sum(), d


def log_softmax(x, dim):
    y = x - np.max(x, axis=dim, keepdims=True)
    e = np.exp(y)
    total = np.sum(e, axis=dim, keepdims=True)
    y -= np.log(total)
    g = _upstream(x)
    e /= total  # e^y, the softmax, from the forward's exponentials
    e *= np.sum(g, axis=dim, keepdims=True)
    np.subtract(g, e, out=e)
    return y.sum(), e


ACTIVATIONS: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    f.__name__: f
    for f in (
        sigmoid, tanh, relu, relu6, leaky_relu, hardtanh, softplus, elu, selu, celu, gelu, silu,
        mish, hardsigmoid, hardswish, logsigmoid, softsign, tanhshrink, softshrink, hardshrink,
        threshold, prelu, rrelu, glu, softmax, log_softmax, softmin,
    )
}  # fmt: skip

# The rows measured against an accurate floor, and the formula each floor computes.
ACCURATE: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    "sigmoid": sigmoid_accurate,
    "tanh": tanh_accurate,
    "silu": silu_accurate,
    "mish": mish_accurate,
    "tanhshrink": tanhshrink_accurate,
}


# -- workload 3: the MLP --------------------------------------------------------------------------


def mlp_train(
    weights: list[np.ndarray], x: np.ndarray, y: np.ndarray, steps: int, lr: float
) -> float:
    """Full-batch SGD on a tanh MLP (W1, b1, W2, b2, W3, b3); returns the final loss.

    The loss is the mean squared error of the last step's forward (before its update), as
    ``loss.item()`` in a torch training loop.
    """
    w1, b1, w2, b2, w3, b3 = (w.copy() for w in weights)
    n = y.size
    loss = math.nan
    for _ in range(steps):
        h1 = np.tanh(x @ w1.T + b1)
        h2 = np.tanh(h1 @ w2.T + b2)
        d = h2 @ w3.T + b3 - y
        loss = float(np.mean(d * d))
        g_out = d * (2.0 / n)
        g_w3, g_b3 = g_out.T @ h2, g_out.sum(axis=0)
        g_z2 = (g_out @ w3) * (1.0 - h2 * h2)
        g_w2, g_b2 = g_z2.T @ h1, g_z2.sum(axis=0)
        g_z1 = (g_z2 @ w2) * (1.0 - h1 * h1)
        g_w1, g_b1 = g_z1.T @ x, g_z1.sum(axis=0)
        w1, b1 = w1 - lr * g_w1, b1 - lr * g_b1
        w2, b2 = w2 - lr * g_w2, b2 - lr * g_b2
        w3, b3 = w3 - lr * g_w3, b3 - lr * g_b3
    return loss


# -- workload 5: a chain of sigmoids on a big array ----------------------------------------------


def sigmoid_chain(x: np.ndarray, layers: int) -> np.ndarray:
    """∂/∂x of Σ σ(σ(…σ(x))): forward keeps each output, backward frees each after use."""
    outputs = []
    y = x
    for _ in range(layers):
        y = _sigmoid(y)
        outputs.append(y)
    del y
    g = None
    while outputs:
        s = outputs.pop()
        d = 1.0 - s
        d *= s  # σ' = σ(1 - σ), in place: one new array per layer
        del s
        if g is None:
            g = d
        else:
            g *= d
        del d
    return g
