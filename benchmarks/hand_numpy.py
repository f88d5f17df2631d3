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


def _upstream(x: np.ndarray) -> np.ndarray:
    return np.broadcast_to(np.ones((), dtype=x.dtype), x.shape)


def _step(condition: np.ndarray, x: np.ndarray, value: float = 1.0, other: float = 0.0):
    """``value`` where ``condition`` holds, else ``other``, in x's dtype."""
    t = x.dtype.type
    return np.where(condition, t(value), t(other))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def sigmoid(x):
    y = _sigmoid(x)
    return y.sum(), _upstream(x) * (y * (1.0 - y))


def tanh(x):
    y = np.tanh(x)
    return y.sum(), _upstream(x) * (1.0 - y * y)


def relu(x):
    y = np.maximum(x, 0.0)
    return y.sum(), _upstream(x) * (x > 0)


def relu6(x):
    y = np.clip(x, 0.0, 6.0)
    return y.sum(), _upstream(x) * ((x > 0) & (x < 6))


def _leaky(x, slope):
    d = _step(x > 0, x, 1.0, slope)  # f'(x), and f(x) = x·f'(x)
    return (x * d).sum(), _upstream(x) * d


def leaky_relu(x, negative_slope):
    return _leaky(x, negative_slope)


def prelu(x, weight):
    return _leaky(x, weight)


def rrelu(x, lower, upper, training):
    return _leaky(x, (lower + upper) / 2)


def hardtanh(x, min_val, max_val):
    y = np.clip(x, min_val, max_val)
    return y.sum(), _upstream(x) * ((x > min_val) & (x < max_val))


def softplus(x, beta, threshold):
    z = x * beta
    e = np.exp(np.minimum(z, threshold))
    linear = z > threshold
    y = np.where(linear, x, np.log1p(e) / beta)
    return y.sum(), _upstream(x) * np.where(linear, x.dtype.type(1), e / (1.0 + e))


def _elu(x, alpha, scale, input_scale):
    em = np.expm1(np.minimum(x, 0.0) * input_scale)
    positive = x > 0
    y = np.where(positive, x * scale, em * (alpha * scale))
    d = np.where(positive, x.dtype.type(scale), (em + 1.0) * (alpha * scale * input_scale))
    return y.sum(), _upstream(x) * d


def elu(x, alpha):
    return _elu(x, alpha, 1.0, 1.0)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    return _elu(x, _SELU_ALPHA, _SELU_SCALE, 1.0)


def celu(x, alpha):
    return _elu(x, alpha, 1.0, 1.0 / alpha)


_erfc = np.frompyfunc(math.erfc, 1, 1)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def gelu(x, approximate):
    """NumPy has no erf: Φ through the C library's erfc, element by element, computed once
    and reused in the backward (Φ' = φ)."""
    cdf = (0.5 * _erfc(x * -math.sqrt(0.5)).astype(np.float64)).astype(x.dtype)
    y = x * cdf
    pdf = np.exp(-0.5 * x * x) * _INV_SQRT_2PI
    return y.sum(), _upstream(x) * (cdf + x * pdf)


def silu(x):
    s = _sigmoid(x)
    y = x * s
    return y.sum(), _upstream(x) * (s * (1.0 + x * (1.0 - s)))


def mish(x):
    with np.errstate(over="ignore"):
        e = np.exp(x)
    t = np.tanh(np.log1p(e))
    y = x * t
    s = e / (1.0 + e)
    return y.sum(), _upstream(x) * (t + x * (1.0 - t * t) * s)


def hardsigmoid(x):
    y = np.clip(x + 3.0, 0.0, 6.0) / 6.0
    return y.sum(), _upstream(x) * _step((x > -3) & (x < 3), x, 1.0 / 6.0)


def hardswish(x):
    y = x * (np.clip(x + 3.0, 0.0, 6.0) / 6.0)
    d = np.where(x >= 3, x.dtype.type(1), np.where(x > -3, (x * 2.0 + 3.0) / 6.0, 0.0))
    return y.sum(), _upstream(x) * d.astype(x.dtype, copy=False)


def logsigmoid(x):
    e = np.exp(-np.abs(x))
    y = np.minimum(x, 0.0) - np.log1p(e)
    return y.sum(), _upstream(x) * (np.where(x >= 0, e, x.dtype.type(1)) / (1.0 + e))


def softsign(x):
    d = 1.0 + np.abs(x)
    y = x / d
    return y.sum(), _upstream(x) / (d * d)


def tanhshrink(x):
    t = np.tanh(x)
    y = x - t
    return y.sum(), _upstream(x) * (t * t)


def softshrink(x, lambd):
    y = x - np.clip(x, -lambd, lambd)  # x ∓ λ outside [-λ, λ], 0 inside; NaN stays NaN
    return y.sum(), _upstream(x) * (np.abs(x) > lambd)


def hardshrink(x, lambd):
    outside = np.abs(x) > lambd
    y = np.where(outside, x, x.dtype.type(0))
    return y.sum(), _upstream(x) * outside


def threshold(x, threshold, value):
    above = x > threshold
    y = np.where(above, x, x.dtype.type(value))
    return y.sum(), _upstream(x) * above


def glu(x, dim):
    a, b = np.split(x, 2, axis=dim)
    s = _sigmoid(b)
    y = a * s
    g = _upstream(y)
    return y.sum(), np.concatenate([g * s, g * (a * s * (1.0 - s))], axis=dim)


def _softmax(x, dim):
    e = np.exp(x - np.max(x, axis=dim, keepdims=True))
    return e / np.sum(e, axis=dim, keepdims=True)


def softmax(x, dim):
    y = _softmax(x, dim)
    g = _upstream(x)
    return y.sum(), y * (g - np.sum(g * y, axis=dim, keepdims=True))


def softmin(x, dim):
    y = _softmax(-x, dim)
    g = _upstream(x)
    return y.sum(), -(y * (g - np.sum(g * y, axis=dim, keepdims=True)))


def log_softmax(x, dim):
    shifted = x - np.max(x, axis=dim, keepdims=True)
    y = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
    g = _upstream(x)
    return y.sum(), g - np.exp(y) * np.sum(g, axis=dim, keepdims=True)


ACTIVATIONS: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    f.__name__: f
    for f in (
        sigmoid, tanh, relu, relu6, leaky_relu, hardtanh, softplus, elu, selu, celu, gelu, silu,
        mish, hardsigmoid, hardswish, logsigmoid, softsign, tanhshrink, softshrink, hardshrink,
        threshold, prelu, rrelu, glu, softmax, log_softmax, softmin,
    )
}  # fmt: skip


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
