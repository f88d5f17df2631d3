"""Every activation of ``torch.nn`` as an op: its math, a stable forward, a Tensor-op backward.

Read each class as a textbook entry: the docstring gives f(x), f'(x), the gradient chosen at
each kink (torch's, unless it says otherwise) and what ``backward`` needs saved. The forward is
a few NumPy lines in a form that neither overflows nor cancels; the backward is the derivative
written with Tensor operations — with ops that are themselves accurate (``σ'``, ``φ``, ``Φ`` in
``special.py``) — so second and higher derivatives are as exact as the first.

Constants are Python floats on purpose: NumPy treats them as "weak", so float32 inputs stay
float32 (a ``np.float64`` constant would silently promote them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .basic import cat, indicator, step_scale
from .derivatives import derivative
from .special import (
    GeluTanhGate,
    GeluTanhGateSlope,
    Sech2Softplus,
    TanhDerivative,
    TanhSoftplus,
    gelu_tanh_argument_slope,
    gelu_tanh_gate_array,
    normal_cdf,
    normal_cdf_array,
    normal_pdf,
    sigmoid_array,
    sigmoid_derivative,
    sigmoid_derivative_array,
    tanh_derivative_array,
    tanh_softplus_array,
)


def _log1p_exp(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}): exact for large |z| in both directions."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


# -- the sigmoid family ----------------------------------------------------------------------


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e^{-x}).

    σ'(x) = σ(x)·σ(-x).  Smooth. Saves the input (torch saves the output, but 1 - σ(x) loses
    every digit for large x: torch's σ'(698) is 0, the true value 2.5e-303).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return sigmoid_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * sigmoid_derivative(x)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        return grad * sigmoid_derivative_array(x)


class LogSigmoid(Function):
    """log σ(x) = -log(1 + e^{-x}) = min(x, 0) - log1p(e^{-|x|}).

    f'(x) = σ(-x).  Smooth. Saves the input. logsigmoid(-1000) = -1000 exactly.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * Sigmoid.apply(-x)


class Tanh(Function):
    """tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x}).

    tanh'(x) = 1 - tanh²(x) = sech²(x).  Smooth. Saves the input: 1 - y² cancels for
    |x| > 1 (torch's tanh'(25.3) is 0, the true value 4.2e-22); sech² from e^{-2|x|} does not.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.tanh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * TanhDerivative.apply(x)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        return grad * tanh_derivative_array(x)


class Softplus(Function):
    """softplus(x) = (1/β)·log(1 + e^{βx}), and x itself where βx > threshold.

    f'(x) = σ(βx), and 1 where βx > threshold (strictly, as torch).  Saves the input.
    Parameters: beta (≠ 0), threshold.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, beta: float, threshold: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta
        return np.where(z > threshold, x, _log1p_exp(z) / beta)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        z = x * ctx.beta
        linear = indicator(x, z.data > ctx.threshold)  # [βx > threshold]
        return grad * (linear + (1.0 - linear) * Sigmoid.apply(z))


class SiLU(Function):
    """silu(x) = x·σ(x)  (also called swish).

    f'(x) = σ(x) + x·σ'(x).  Smooth. Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # silu(-inf) = -inf·0 is nan, as in torch
        return x * sigmoid_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * derivative(x, SiLUDerivative.apply, "silu")


def _mish_derivative(x: Tensor) -> Tensor:
    """mish'(x) = t(x) + x·S(x)·σ(x)."""
    return TanhSoftplus.apply(x) + x * Sech2Softplus.apply(x) * Sigmoid.apply(x)


class SiLUDerivative(Function):
    """silu'(x) = σ(x) + x·σ'(x) = σ(x)·(1 + x·σ(-x)), from one t = e^{-|x|}.

    Derivative: silu''(x) = σ'(x)·(2 - x·tanh(x/2)). Saves the input.
    One op instead of five in silu's backward: σ(x) and σ(-x) share their exponential.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        t = np.exp(-np.abs(x))
        r = 1.0 / (1.0 + t)
        positive = x >= 0
        s_pos = np.where(positive, r, t * r)  # σ(x)
        s_neg = np.where(positive, t * r, r)  # σ(-x)
        # ±inf·0 is nan, as in torch
        return s_pos + x * (s_pos * s_neg)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * sigmoid_derivative(x) * (2.0 - x * Tanh.apply(x * 0.5))


class Mish(Function):
    """mish(x) = x·t(x),  t(x) = tanh(softplus(x)).

    f'(x) = t(x) + x·S(x)·σ(x),  S = sech²(softplus(x)) = 1 - t².  Smooth. Saves the input.
    t and S are ops of their own, computed from e^{-|x|} (``special.py``): torch's mish'' is
    NaN for x > 709 and loses every digit of S long before; here all orders stay exact.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # mish(-inf) is nan, as in torch
        return x * tanh_softplus_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * derivative(x, _mish_derivative, "mish")


# -- piecewise-linear activations ------------------------------------------------------------


class ReLU(Function):
    """relu(x) = max(x, 0).

    f'(x) = 1 for x > 0, else 0; at the kink f'(0) = 0.  Saves the output (y > 0 ⇔ x > 0).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.maximum(x, 0.0).astype(x.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return step_scale(grad, y, y.data > 0)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (y,) = ctx.saved_arrays
        return grad * (y > 0)


class LeakyReLU(Function):
    """leaky_relu(x) = x for x > 0, else slope·x.

    f'(x) = 1 for x > 0, else slope; at the kink f'(0) = slope.  Saves the input.
    Also rrelu in eval mode, with slope = (lower + upper) / 2.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, negative_slope: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        return np.where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, np.where(x.data > 0, 1.0, ctx.slope))


class RReLU(Function):
    """rrelu(x) in training mode = x for x ≥ 0, else r·x with r ~ U(lower, upper) per element.

    f'(x) = 1 for x > 0, else r; at the kink f'(0) = r (torch: x ≤ 0 takes the slope).
    Saves the input and the sampled slopes.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, slopes: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.slopes = slopes
        return np.where(x > 0, x, x * slopes)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, np.where(x.data > 0, 1.0, ctx.slopes))


class PReLU(Function):
    """prelu(x, w) = x for x > 0, else w·x, with a learnable slope w (per channel).

    ∂f/∂x = 1 for x > 0, else w (w at the kink);  ∂f/∂w = 0 for x > 0, else x.
    Saves both inputs. The weight arrives already shaped to broadcast along dim 1.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, w)
        return np.where(x > 0, x, x * w)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, w = ctx.saved_tensors
        negative = 1.0 - indicator(x, x.data > 0)  # [x ≤ 0]
        grad_x = grad * (1.0 - negative + negative * w) if ctx.needs_input_grad[0] else None
        grad_w = grad * x * negative if ctx.needs_input_grad[1] else None
        return grad_x, grad_w


class Hardtanh(Function):
    """hardtanh(x) = min(max(x, min_val), max_val).

    f'(x) = 1 for min_val < x < max_val, else 0; at both bounds f' = 0 (as torch).
    Saves the input. relu6 is hardtanh(x, 0, 6).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, min_val: float, max_val: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.min_val, ctx.max_val = min_val, max_val
        return np.clip(x, min_val, max_val).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, (x.data > ctx.min_val) & (x.data < ctx.max_val))


def _hardsigmoid(x: np.ndarray) -> np.ndarray:
    """relu6(x + 3) / 6: x + 3 is exact near -3, where x/6 + 1/2 would cancel."""
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


class Hardsigmoid(Function):
    """hardsigmoid(x) = 0 for x ≤ -3, 1 for x ≥ 3, (x + 3)/6 between.

    f'(x) = 1/6 for -3 < x < 3, else 0; at ±3 f' = 0.  Saves the input.
    (torch's f' is 1/6 rounded to float32 even in float64; here 1/6 is a float64.)
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _hardsigmoid(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, np.where((x.data > -3.0) & (x.data < 3.0), 1.0 / 6.0, 0.0))


class Hardswish(Function):
    """hardswish(x) = x·hardsigmoid(x) = 0 for x ≤ -3, x for x ≥ 3, x(x + 3)/6 between.

    f'(x) = 0 for x < -3, 1 for x > 3, (2x + 3)/6 between.  Kinks at ±3, where the one-sided
    derivatives differ (-3: 0 | -1/2; 3: 3/2 | 1). We take f'(-3) = 0 and f'(3) = 1: the
    product rule with hardsigmoid'(±3) = 0, the same convention as every other hard
    activation (torch 2.13 agrees; older releases gave -1/2 and 3/2). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # hardswish(-inf) = -inf·0 is nan, as in torch
        return x * _hardsigmoid(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        inside = indicator(x, (x.data > -3.0) & (x.data < 3.0))
        above = indicator(x, x.data >= 3.0)
        middle = (x.clamp(-3.0, 3.0) * 2.0 + 3.0) / 6.0  # clamped: ±inf must not make 0·inf
        return grad * (inside * middle + above)


class Softshrink(Function):
    """softshrink(x) = x - λ for x > λ, x + λ for x < -λ, else 0  (λ ≥ 0).

    f'(x) = 1 for |x| > λ, else 0; at ±λ f' = 0.  Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, lambd: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        # "|x| ≤ λ → 0, else x - sign(x)·λ": NaN falls in the else branch and stays NaN.
        return np.where(np.abs(x) <= lambd, 0.0, x - np.sign(x) * lambd)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, np.abs(x.data) > ctx.lambd)


class Hardshrink(Function):
    """hardshrink(x) = x for |x| > λ, else 0.

    f'(x) = 1 for |x| > λ, else 0; at ±λ f' = 0.  Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, lambd: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return np.where(np.abs(x) <= lambd, 0.0, x)  # NaN stays NaN, as in torch

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, np.abs(x.data) > ctx.lambd)


class Threshold(Function):
    """threshold(x) = x for x > threshold, else value.

    f'(x) = 1 for x > threshold, else 0; at the threshold f' = 0.  Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, threshold: float, value: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        # x ≤ threshold, not "not x > threshold": NaN stays NaN, as in torch.
        return np.where(x <= threshold, np.asarray(value, dtype=x.dtype), x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return step_scale(grad, x, ~(x.data <= ctx.threshold))


# -- exponential-linear units ----------------------------------------------------------------


class ELU(Function):
    """The ELU family: f(x) = scale·x for x > 0, else scale·α·(e^{input_scale·x} - 1).

    f'(x) = scale for x > 0, else scale·α·input_scale·e^{input_scale·x}; at 0 the second branch
    (elu'(0) = α, as torch).  Saves the input.
    elu: scale = input_scale = 1.  selu: fixed α ≈ 1.6733, scale ≈ 1.0507.
    celu: scale = 1, input_scale = 1/α.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, *, alpha: float, scale: float = 1.0, input_scale: float = 1.0
    ) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.alpha, ctx.scale, ctx.input_scale = alpha, scale, input_scale
        # expm1 of min(x, 0): accurate near 0, and never overflows on the unused branch.
        negative = np.expm1(np.minimum(x, 0.0) * input_scale) * (alpha * scale)
        return np.where(x > 0, x * scale, negative)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s, a, k = ctx.scale, ctx.alpha, ctx.input_scale
        positive = indicator(x, x.data > 0)
        negative = (x.clamp(max=0.0) * k).exp() * (s * a * k)  # clamped: no overflow unused
        return grad * (positive * s + (1.0 - positive) * negative)


# -- GELU ------------------------------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


class GELU(Function):
    """gelu(x) = x·Φ(x), Φ the standard normal distribution function.

    f'(x) = Φ(x) + x·φ(x), φ the normal density.  Smooth. Saves the input and Φ(x).
    Φ through erfc, not 1 + erf: torch's gelu(-36) is -0.0, the true value -6.7e-285.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        cdf = normal_cdf_array(x)
        ctx.save_for_backward(x)
        ctx.cdf = cdf  # Φ(x) costs as much as the rest together: the backward reuses it
        # gelu(-inf) = -inf·0 is nan, as in torch
        return x * cdf

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        cdf = ctx.cdf

        def first(t: Tensor) -> Tensor:  # gelu'(x) = Φ(x) + x·φ(x), with Φ(x) already known
            return normal_cdf(t, value=cdf) + t * normal_pdf(t)

        return grad * derivative(x, first, "gelu")


def _gelu_tanh_derivative(x: Tensor) -> Tensor:
    """f'(x) = s(x) + x·s'(x), s'(x) = σ'(z)·z'(x)."""
    slope = GeluTanhGateSlope.apply(x) * gelu_tanh_argument_slope(x)
    return GeluTanhGate.apply(x) + x * slope


class GELUTanh(Function):
    """gelu(x, approximate='tanh') = ½x·(1 + tanh(u)) = x·s(x),  s = σ(2u),
    u = √(2/π)·(x + 0.044715x³).

    f'(x) = s(x) + x·s'(x),  s'(x) = σ'(2u)·2u'(x).  Smooth. Saves the input.
    Through σ(2u) rather than 1 + tanh(u), which cancels to 0 for x < -10, and with 2u carried
    in double-double (``special.GeluTanhGate``): in the left tail σ magnifies the rounding of
    its argument by |2u|, 600 ulps at x = -20.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # -inf·0 is nan, as in torch
        return x * gelu_tanh_gate_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * derivative(x, _gelu_tanh_derivative, "gelu_tanh")


# -- shapes from rational functions ------------------------------------------------------------


class Softsign(Function):
    """softsign(x) = x / (1 + |x|).

    f'(x) = 1 / (1 + |x|)².  Smooth at 0 in f and f' (f'' jumps there). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        # inf/inf: nan, as in torch
        return x / (1.0 + np.abs(x))

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        d = x.abs() + 1.0
        return grad / (d * d)


def _tanh_series_coefficients(n: int) -> list[float]:
    """c_k with x - tanh(x) = Σ_k c_k·x^{2k+3} (k ≥ 0), from the Bernoulli numbers.

    tanh(x) = Σ_{m≥1} 2^{2m}(2^{2m} - 1)·B_{2m}·x^{2m-1} / (2m)!, computed exactly with
    fractions once at import.
    """
    from fractions import Fraction

    bernoulli = [Fraction(1)]
    for m in range(1, 2 * n + 4):
        bernoulli.append(
            -sum(math.comb(m + 1, k) * bernoulli[k] for k in range(m)) / Fraction(m + 1)
        )
    coefficients = []
    for m in range(2, n + 2):  # m = 1 is the x term, which x - tanh(x) cancels
        c = Fraction(2 ** (2 * m) * (2 ** (2 * m) - 1)) * bernoulli[2 * m] / math.factorial(2 * m)
        coefficients.append(float(-c))
    return coefficients


# 48 terms: the series of x - tanh(x) converges like (2x/π)^{2k}, to < 1e-18 at |x| = 1.
_TANHSHRINK_SERIES = _tanh_series_coefficients(48)


class Tanhshrink(Function):
    """tanhshrink(x) = x - tanh(x).

    f'(x) = tanh²(x).  Smooth. Saves the input.
    For |x| < 1 the difference cancels (torch's tanhshrink(1e-16) is 0, the true value
    3.3e-49), so there it is summed as the series x³/3 - 2x⁵/15 + 17x⁷/315 - …
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = np.array(x - np.tanh(x))  # an array also for 0-d x (assigned into below)
        small = np.abs(x) < 1.0
        if small.any():  # the series only where it is needed (48 steps of Horner's rule)
            xs = x[small]
            x2 = xs * xs
            series = np.zeros_like(xs)
            for c in reversed(_TANHSHRINK_SERIES):  # in x², in place
                series *= x2
                series += c
            out[small] = series * x2 * xs
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        t = Tanh.apply(x)
        return grad * t * t


# -- along a dimension -------------------------------------------------------------------------


class Softmax(Function):
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = y·(grad - Σ_j grad_j·y_j).  Saves the output (as torch).
    Computed as e^{x - max x}: never overflows, and a row of 1e4s gives 1/n each.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim = dim
        if x.size == 0:
            out = x.copy()
            ctx.save_for_backward(out)
            return out
        # a row holding inf gives nan, as in torch
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        out = e / np.sum(e, axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(dim=ctx.dim, keepdim=True))


class LogSoftmax(Function):
    """log_softmax(x)_i = x_i - log Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = grad - softmax(x)·Σ_j grad_j = grad - e^y·Σ grad.  Saves the output (as torch).
    The sum is 1 + (the others) with the maximum's own term exactly 1, so it is taken as
    log1p(others): log_softmax([1e4, 0]) = [-0, -1e4] exactly, and tiny gaps keep their digits.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim = dim
        if x.size == 0:
            out = x.copy()
        else:
            top = np.argmax(x, axis=dim)
            m = np.take_along_axis(x, np.expand_dims(top, dim), axis=dim)
            shifted = x - m
            e = np.exp(shifted)
            np.put_along_axis(e, np.expand_dims(top, dim), 0.0, axis=dim)
            out = shifted - np.log1p(np.sum(e, axis=dim, keepdims=True))
            if not np.isfinite(m).all():  # a row whose maximum is ±inf or nan: all nan
                out = np.where(np.isfinite(m), out, np.nan)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad - y.exp() * grad.sum(dim=ctx.dim, keepdim=True)


class GLU(Function):
    """glu(x) = a·σ(b), where a, b are the two halves of x along ``dim``.

    ∂/∂a = σ(b),  ∂/∂b = a·σ'(b); the two halves of the gradient are joined again.
    Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.dim = dim
        a, b = np.split(x, 2, axis=dim)
        return a * sigmoid_array(b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        half = x.shape[ctx.dim] // 2
        index_a: list[Any] = [slice(None)] * x.ndim
        index_b: list[Any] = [slice(None)] * x.ndim
        index_a[ctx.dim], index_b[ctx.dim] = slice(0, half), slice(half, None)
        a, b = x[tuple(index_a)], x[tuple(index_b)]
        return cat([grad * Sigmoid.apply(b), grad * a * sigmoid_derivative(b)], dim=ctx.dim)
