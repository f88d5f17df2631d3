"""The gate of gelu's tanh approximation, σ(z(x)), and its slope σ'(z(x)), with
z(x) = 2u = 2√(2/π)·(x + 0.044715·x³) carried in double-double.

σ(z) magnifies an error in z by |z| in the left tail (z = -665 at x = -20.7): formed in plain
float64, gelu_tanh loses 600 ulps there. With z = z̃ + δ (z̃ rounded, δ its error) and each
value corrected to first order in δ, it loses none.
"""

from __future__ import annotations

import numpy as np

from .arrays import clip
from .rounding import two_product, two_sum
from .sigmoid import sigmoid_array

# z(x) = k·(x + c·x³), constants split into double + rest.
GELU_C, _GELU_C_LO = 0.044715, 2.1960211427085595e-18
GELU_K, _GELU_K_LO = 1.5957691216057308, -9.96930880911092e-17  # 2·√(2/π)
GATE_LIMIT = 1e4  # past |x| = 1e4, |z| > 1e11: the gate σ(z) is 0 or 1, its slope 0


def gelu_tanh_argument(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z = 2√(2/π)·(x + 0.044715·x³) as a rounded z̃ and its error δ (z = z̃ + δ)."""
    x = clip(x.astype(np.float64, copy=False), -GATE_LIMIT, GATE_LIMIT)  # σ(z) 0 or 1 beyond
    x2, x2_err = two_product(x, x)
    x3, e = two_product(x2, x)
    x3_err = e + x2_err * x
    cx3, e = two_product(x3, GELU_C)
    cx3_err = e + x3_err * GELU_C + x3 * _GELU_C_LO
    inner, e = two_sum(x, cx3)
    inner_err = e + cx3_err
    z, e = two_product(inner, GELU_K)
    return z, e + inner_err * GELU_K + inner * _GELU_K_LO


def gelu_tanh_gate_array(x: np.ndarray) -> np.ndarray:
    """σ(z(x)) = σ(z̃)·(1 + δ·σ(-z̃)) to first order in δ."""
    z, delta = gelu_tanh_argument(x)
    out = sigmoid_array(z) * (1.0 + delta * sigmoid_array(-z))
    return out.astype(x.dtype, copy=False)


def gelu_tanh_gate_slope_array(x: np.ndarray) -> np.ndarray:
    """σ'(z(x)) = σ'(z̃)·(1 - δ·tanh(z̃/2)) to first order in δ, σ'(z̃) = E/(1 + E)²,
    E = e^{-|z̃|}."""
    z, delta = gelu_tanh_argument(x)
    t = np.exp(-np.abs(z))
    out = t / ((1.0 + t) * (1.0 + t)) * (1.0 - delta * np.tanh(0.5 * z))
    return out.astype(x.dtype, copy=False)
