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
from . import _tanhshrink_poly
from .basic import cat, indicator, masked, step_scale, where
from .derivatives import derivative, derivative_array, patch_near_roots
from .special import (
    _EXP_SAFE,
    _GATE_LIMIT,
    GeluTanhGate,
    GeluTanhGateSlope,
    Sech2Softplus,
    TanhDerivative,
    TanhSoftplus,
    clip,
    exact_in_binary,
    gelu_tanh_argument_slope,
    gelu_tanh_gate_array,
    largest,
    normal_cdf,
    normal_cdf_array,
    normal_pdf,
    product_residual,
    quotient_residual,
    sigmoid_array,
    sigmoid_derivative,
    sigmoid_product_array,
    smallest,
    tanh_derivative_array,
    times,
)


def _log1p_exp(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}): exact for large |z| in both directions.

    In one new array, worked in in place (np.clip with an infinite bound is NumPy's fastest max).
    """
    out = np.abs(z, out=np.empty_like(z))
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += clip(z, 0.0, np.inf)
    return out


# -- the sigmoid family ----------------------------------------------------------------------


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e^{-x}).

    σ'(x) = σ(x)·σ(-x).  Smooth. Saves the input and the output. Not σ·(1 - σ), as torch: 1 - σ(x)
    loses every digit for large x (torch's σ'(698) is 0, the true value 2.5e-303); the array
    backward takes σ(x) / (1 + e^x) instead, reusing σ(x).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = sigmoid_array(x)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, _ = ctx.saved_tensors
        return grad * sigmoid_derivative(x)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        x, y = ctx.saved_arrays
        out = sigmoid_product_array(x, y)  # σ(x)·σ(-x), in an array of our own
        return times(out, grad)


class LogSigmoid(Function):
    """log σ(x) = -log(1 + e^{-x}) = min(x, 0) - log1p(e^{-|x|}).

    f'(x) = σ(-x) = 1 - e^{f(x)} = -expm1(f(x)).  Smooth. Saves the input and the output.
    logsigmoid(-1000) = -1000 exactly. The array backward takes -expm1(y) from the output y:
    one pass, and accurate (expm1 keeps the digits of 1 - e^y for y near 0, where σ(-x) is tiny).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = np.abs(x, out=np.empty_like(x))
        np.negative(out, out=out)
        np.exp(out, out=out)
        np.log1p(out, out=out)
        np.subtract(clip(x, -np.inf, 0.0), out, out=out)  # min(x, 0) - log1p(e^{-|x|})
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, _ = ctx.saved_tensors
        return grad * Sigmoid.apply(-x)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        _, y = ctx.saved_arrays
        out = np.expm1(y, out=np.empty_like(y))
        np.subtract(0.0, out, out=out)  # not negative(): σ(-x) underflows to +0, not -0
        return times(out, grad)


class Tanh(Function):
    """tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x}).

    tanh'(x) = 1 - tanh²(x) = sech²(x).  Smooth. Saves the input: 1 - y² cancels for
    |x| > 1 (torch's tanh'(25.3) is 0, the true value 4.2e-22); 1/cosh²(x) does not.
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
        return tanh_derivative_array(x, grad)


class Softplus(Function):
    """softplus(x) = (1/β)·log(1 + e^{βx}), and x itself where βx > threshold.

    f'(x) = σ(βx) = 1 - e^{-βf(x)} = -expm1(-βf(x)), and 1 where βx > threshold (strictly, as
    torch).  Saves the input and the output. Parameters: beta (≠ 0), threshold.
    The array backward takes -expm1(-βy) from the output y: one pass, accurate at both ends.
    βx is rounded unless β is a power of two, and e^{βx} magnifies that by |βx| (100 ulps at
    βx = -219): its residual r is carried, as log(1 + e^{z + r}) = log(1 + e^z) + r·σ(z).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, beta: float, threshold: float) -> np.ndarray:
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta
        out = _log1p_exp(z)
        if not exact_in_binary(beta):
            out += (product_residual(x, beta, z) * sigmoid_array(z)).astype(x.dtype, copy=False)
        out /= beta
        ctx.linear = None  # where βx > threshold (usually nowhere): x itself, and f' = 1
        if largest(z) > threshold:
            ctx.linear = z > threshold
            np.copyto(out, x, where=ctx.linear)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, _ = ctx.saved_tensors
        z = x * ctx.beta
        linear = indicator(x, z.data > ctx.threshold)  # [βx > threshold]
        gate = Sigmoid.apply(z)
        if not exact_in_binary(ctx.beta):  # σ(z + r) = σ(z)·(1 + r·σ(-z)), r a constant
            r = Tensor._make(product_residual(x.data, ctx.beta, z.data).astype(z.dtype), None)
            gate = gate * (1.0 + r * Sigmoid.apply(-z))  # (so its derivative is σ'(z + r) too)
        return grad * (linear + (1.0 - linear) * gate)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        _, y = ctx.saved_arrays
        out = np.multiply(y, -ctx.beta, out=np.empty_like(y))
        np.expm1(out, out=out)
        np.negative(out, out=out)
        if ctx.linear is not None:
            np.copyto(out, 1.0, where=ctx.linear)
        return times(out, grad)


class SiLU(Function):
    """silu(x) = x·σ(x)  (also called swish).

    f'(x) = σ(x) + x·σ'(x).  Smooth. Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = sigmoid_array(x)
        out *= x  # silu(-inf) = -inf·0 is nan, as in torch
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * derivative(x, SiLUDerivative.apply, "silu")

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = patch_near_roots(silu_derivative_array(x), x, ("silu", 1))
        return times(out, grad)


def silu_derivative_array(x: np.ndarray) -> np.ndarray:
    """silu'(x) = σ(x)·(1 + x·σ(-x)) = e^x·(1 + x + e^x) / (1 + e^x)², in one new array.

    One exponential. Near the root of silu' (x = -1.28) 1 + x + e^x cancels, as any form does,
    but here only e^x carries a rounding error (1 + x is exact for x in [-2, -1/2]): within 3.5
    ulps from 0.15 of the root on, where ``patch_near_roots`` stops — the form (e^x + silu(x))/
    (1 + e^x), with silu(x)'s own rounding in the sum, needed 0.8. For x > 80 e^x may overflow:
    those elements take σ(x)·(1 + x·σ(-x)) from e^{-x} instead.
    """
    out = np.exp(x, out=np.empty_like(x))
    d = out + 1.0
    n = x + 1.0
    n += out  # 1 + x + e^x
    n /= d
    out /= d  # σ(x): each factor divided apart, as e^x·(1 + x + e^x) overflows from x = 44
    out *= n  # in float32 (355 in float64)
    if largest(x) > _EXP_SAFE:
        far = x > _EXP_SAFE
        xf = x[far]
        e = np.exp(-xf)
        out[far] = (1.0 + xf * (e / (1.0 + e))) / (1.0 + e)
    return out


class MishDerivative(Function):
    """mish'(x) = t(x) + x·S(x)·σ(x), with one exponential (``mish_derivative_array``: the same
    values as mish's array backward).

    Derivative: mish''(x) = 2S·σ + x·S·(σ' - 2t·σ²)  (S' = -2t·S·σ). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return mish_derivative_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        t, s2, s = TanhSoftplus.apply(x), Sech2Softplus.apply(x), Sigmoid.apply(x)
        # The factor x clamped to ±1e4, where every term it multiplies is exactly 0 or
        # constant: the same values, but its own derivatives never meet x·(-2) = -inf (1e308).
        xc = x.clamp(-_MISH_FAR, _MISH_FAR)
        return grad * (2.0 * s2 * s + xc * s2 * (sigmoid_derivative(x) - 2.0 * t * s * s))


class SiLUDerivative(Function):
    """silu'(x) = σ(x) + x·σ'(x) = σ(x)·(1 + x·σ(-x)), with one exponential
    (``silu_derivative_array``: the same values as silu's array backward).

    Derivative: silu''(x) = σ'(x)·(2 - x·tanh(x/2)). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return silu_derivative_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * sigmoid_derivative(x) * (2.0 - x * Tanh.apply(x * 0.5))


class Mish(Function):
    """mish(x) = x·t(x),  t(x) = tanh(softplus(x)).

    f'(x) = t(x) + x·S(x)·σ(x),  S = sech²(softplus(x)) = 1 - t².  Smooth. Saves the input.
    t and S are ops of their own, computed from e^{-|x|} (``special.py``): torch's mish'' is
    NaN for x > 709 and loses every digit of S long before; here all orders stay exact.
    Forward and array backward work from E = e^x alone (``_mish_parts``).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        _, e, n = _mish_parts(x)
        np.add(n, 2.0, out=e)
        n /= e  # t = n / (n + 2)
        n *= x  # mish(-inf) = -inf·0 is nan, as in torch
        return n

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * derivative(x, MishDerivative.apply, "mish")

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = patch_near_roots(mish_derivative_array(x), x, ("mish", 1))
        return times(out, grad)


# Past |x| = 1e4 every exponential in mish and its derivatives is 0 or 1 (or overflows): x
# clamped there changes no value, and keeps products like 4x and x·(-2) finite.
_MISH_FAR = 1e4


def _mish_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x̂ = x within [-1e4, 40], E = e^x̂ and n = E·(E + 2) = e^{2·softplus(x̂)} - 1: three new
    arrays.

    Then t = tanh(softplus(x)) = n / (n + 2), with no cancellation at either end. Past x = 40
    (20 in float32), t = 1 and mish' = 1 to the last bit (1 - t ≈ 2e^{-2x}): the cap only keeps
    n and mish' from overflowing.
    """
    cap = 40.0 if x.dtype == np.float64 else 20.0  # float32: E⁴ must not overflow either
    # Below -1e4, E = 0 already; the floor keeps 4x finite (4x·E was -inf·0 at -1.8e308).
    capped = clip(x, -_MISH_FAR, cap, out=np.empty_like(x))
    e = np.exp(capped, out=np.empty_like(capped))
    n = e + 2.0
    n *= e
    return capped, e, n


def mish_derivative_array(x: np.ndarray) -> np.ndarray:
    """mish'(x) = t + x·S·σ(x) = (E/D)·(Q/D),  D = (1 + E)² + 1,
    Q = E·(E² + 4E + 6 + 4x) + 4(1 + x)  (E = e^x), in one new array.

    From t = E(E + 2)/D, S = 4(1 + E)²/D² and σ = E/(1 + E), one exponential. Near mish's root
    (-1.19) Q cancels, as any form of mish' does; written so, 4x, 6 + 4x and 4 + 4x are exact
    there and only E carries a rounding: within 5.2 ulps from 0.1 of the root on (the formula's
    own level), where ``patch_near_roots`` stops (E·((E + 2)·D + 4x(1 + E)) needed 0.65).
    """
    linear, e, d = _mish_parts(x)
    linear *= 4.0
    linear += 6.0  # 6 + 4x, exact near the root: added whole, not 4x then 6
    q = np.add(e, 4.0, out=np.empty_like(e))  # an array also for 0-d x
    q *= e
    q += linear  # E² + 4E + 6 + 4x
    q *= e
    linear -= 2.0  # 4 + 4x, exact again near the root
    q += linear  # Q
    d += 2.0  # D
    e /= d
    q /= d
    q *= e
    if largest(x) == np.inf or smallest(x) == -np.inf:  # mish'(±inf) = ±inf·0: nan, as torch
        q[np.isinf(x)] = np.nan
    return q


# -- piecewise-linear activations ------------------------------------------------------------


class StepDerivative(Function):
    """Base of the piecewise-linear activations: f' is a step function of one saved array.

    A subclass defines ``slope(ctx, saved)``, f'(x) from the array its forward saved (the
    input; for relu the output): a mask of where f' is ``height`` (and 0 elsewhere), or an
    array of f' values. The backward is grad·f'(x) in both kinds of pass: in Tensor operations
    through ``StepScale``, whose own derivative is a zero still connected to x (so a second
    derivative is 0, as in torch), and on arrays as one pass. Where a mask says 0 the gradient
    is exactly 0, even an inf or nan one (``masked``): torch's masked backwards do the same.
    """

    height = 1.0  # f' where the mask holds

    @staticmethod
    def slope(ctx: Node, saved: np.ndarray) -> np.ndarray:
        raise NotImplementedError("a StepDerivative subclass must define slope(ctx, saved)")

    @classmethod
    def backward(cls, ctx: Node, grad: Tensor) -> Tensor:
        (saved,) = ctx.saved_tensors
        out = step_scale(grad, saved, np.asarray(cls.slope(ctx, saved.data)))
        return out if cls.height == 1.0 else out * cls.height

    @classmethod
    def array_backward(cls, ctx: Node, grad: np.ndarray) -> np.ndarray:
        (saved,) = ctx.saved_arrays
        factor = np.asarray(cls.slope(ctx, saved))
        if factor.dtype != np.bool_:  # values (a new array of ours): multiplied in place
            return times(factor.astype(grad.dtype, copy=False), grad)
        out = masked(grad, factor)
        if cls.height != 1.0:
            out *= cls.height
        return out


class ReLU(StepDerivative):
    """relu(x) = max(x, 0).

    f'(x) = 1 for x > 0, else 0; at the kink f'(0) = 0.  Saves the output: f'(x) = [y ≠ 0]
    (y = max(x, 0) is 0 exactly where x ≤ 0; NaN, as in torch, lets the gradient through).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = clip(x, 0.0, np.inf)  # NaN stays NaN; clip is NumPy's fastest max
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def slope(ctx: Node, y: np.ndarray) -> np.ndarray:
        return y.astype(bool)  # y ≠ 0, without comparing with a Python number (slower)


def _leaky_factor(positive: np.ndarray, slope: Any, dtype: Any) -> np.ndarray:
    """f'(x) = 1 where ``positive``, else ``slope`` (a number or an array), without np.where.

    As slope + [x > 0]·(1 - slope): where x ≤ 0 exactly slope, and where x > 0 exactly 1 for
    any slope in [0, 1] (the rounding of 1 - slope is undone by adding slope back).
    """
    if not _finite(slope):
        return np.where(positive, 1.0, slope).astype(dtype)
    out = positive.astype(dtype)
    out *= 1.0 - np.asarray(slope, dtype=dtype)
    out += slope
    return out


def _finite(slope: Any) -> bool:
    return math.isfinite(slope) if isinstance(slope, float) else bool(np.isfinite(slope).all())


def _leaky(x: np.ndarray, slope: Any) -> np.ndarray:
    """max(x, 0) + slope·min(x, 0): x for x > 0, slope·x for x ≤ 0, each exact; NaN stays NaN."""
    if not _finite(slope):  # 0·slope would be nan also where x > 0
        return np.where(x > 0, x, x * slope)
    out = clip(x, -np.inf, 0.0)
    out *= slope
    out += clip(x, 0.0, np.inf)
    return out


class LeakyReLU(StepDerivative):
    """leaky_relu(x) = x for x > 0, else slope·x.

    f'(x) = 1 for x > 0, else slope; at the kink f'(0) = slope.  Saves the input.
    Also rrelu in eval mode, with slope = (lower + upper) / 2.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, negative_slope: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return _leaky(x, negative_slope)

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return _leaky_factor(x > 0, ctx.negative_slope, x.dtype)


class RReLU(StepDerivative):
    """rrelu(x) in training mode = x for x ≥ 0, else r·x with r ~ U(lower, upper) per element.

    f'(x) = 1 for x > 0, else r; at the kink f'(0) = r (torch: x ≤ 0 takes the slope).
    Saves the input and the sampled slopes.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, slopes: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.slopes = slopes
        return _leaky(x, slopes)

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return _leaky_factor(x > 0, ctx.slopes, x.dtype)


class PReLU(Function):
    """prelu(x, w) = x for x > 0, else w·x, with a learnable slope w (per channel).

    ∂f/∂x = 1 for x > 0, else w (w at the kink);  ∂f/∂w = 0 for x > 0, else x.
    Saves both inputs. The weight arrives already shaped to broadcast along dim 1.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, w)
        return _leaky(x, w)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, w = ctx.saved_tensors
        negative = 1.0 - indicator(x, x.data > 0)  # [x ≤ 0]
        grad_x = grad * (1.0 - negative + negative * w) if ctx.needs_input_grad[0] else None
        # grad·x where x < 0, exactly 0 elsewhere (x = +inf would give inf·0 = nan); its
        # derivative in x is 0 at x = 0, as torch's double backward has it.
        grad_w = step_scale(grad * x, x, x.data < 0) if ctx.needs_input_grad[1] else None
        return grad_x, grad_w

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, Any]:
        x, w = ctx.saved_arrays
        grad_x = grad_w = None
        if ctx.needs_input_grad[0]:
            grad_x = _leaky_factor(x > 0, w, grad.dtype)
            grad_x *= grad
        if ctx.needs_input_grad[1]:
            grad_w = clip(x, -np.inf, 0.0)  # x where x ≤ 0, else 0
            grad_w *= grad
        return grad_x, grad_w


class Hardtanh(StepDerivative):
    """hardtanh(x) = min(max(x, min_val), max_val).

    f'(x) = 1 for min_val < x < max_val, else 0; at both bounds f' = 0 (as torch).
    Saves the input. relu6 is hardtanh(x, 0, 6).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, min_val: float, max_val: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.min_val, ctx.max_val = min_val, max_val
        return clip(x, min_val, max_val).astype(x.dtype, copy=False)

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return (x > ctx.min_val) & (x < ctx.max_val)


def _hardsigmoid(x: np.ndarray) -> np.ndarray:
    """relu6(x + 3) / 6: x + 3 is exact near -3, where x/6 + 1/2 would cancel. One new array."""
    out = np.add(x, 3.0, out=np.empty_like(x))  # an array also for 0-d x
    clip(out, 0.0, 6.0, out=out)
    out /= 6.0
    return out


class Hardsigmoid(StepDerivative):
    """hardsigmoid(x) = 0 for x ≤ -3, 1 for x ≥ 3, (x + 3)/6 between.

    f'(x) = 1/6 for -3 < x < 3, else 0; at ±3 f' = 0.  Saves the input.
    (torch's f' is 1/6 rounded to float32 even in float64; here 1/6 is a float64.)
    """

    height = 1.0 / 6.0

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _hardsigmoid(x).astype(x.dtype, copy=False)

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return (x > -3.0) & (x < 3.0)


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
        out = _hardsigmoid(x)
        out *= x  # hardswish(-inf) = -inf·0 is nan, as in torch
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        inside = indicator(x, (x.data > -3.0) & (x.data < 3.0))
        above = indicator(x, x.data >= 3.0)
        middle = (x.clamp(-3.0, 3.0) * 2.0 + 3.0) / 6.0  # clamped: ±inf must not make 0·inf
        # For x ≤ -3 the gradient is 0 even where grad is inf or nan (as torch), not grad·0.
        return step_scale(grad, x, ~(x.data <= -3.0)) * (inside * middle + above)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = clip(x, -3.0, 3.0)
        out *= 2.0
        out += 3.0
        out /= 6.0
        out *= (x > -3.0) & (x < 3.0)
        out += x >= 3.0
        # For x ≤ -3 the gradient is 0 even where grad is inf or nan (as torch), not grad·0.
        return times(out, masked(grad, ~(x <= -3.0)))


class Softshrink(StepDerivative):
    """softshrink(x) = x - λ for x > λ, x + λ for x < -λ, else 0  (λ ≥ 0).

    f'(x) = 1 for |x| > λ, else 0; at ±λ f' = 0.  Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, lambd: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        # x - clip(x, -λ, λ): x ∓ λ outside, exactly 0 inside; NaN stays NaN.
        out = clip(x, -lambd, lambd, out=np.empty_like(x))
        np.subtract(x, out, out=out)
        return out

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.abs(x) > ctx.lambd


class Hardshrink(StepDerivative):
    """hardshrink(x) = x for |x| > λ, else 0.

    f'(x) = 1 for |x| > λ, else 0; at ±λ f' = 0.  Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, lambd: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        # x where not |x| ≤ λ (NaN stays NaN, as in torch), else +0 as torch's (0·x gave -0)
        return masked(x, ~(np.abs(x) <= lambd))

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.abs(x) > ctx.lambd


class Threshold(StepDerivative):
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
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return ~(x <= ctx.threshold)


# -- exponential-linear units ----------------------------------------------------------------


class ELU(Function):
    """The ELU family: f(x) = scale·x for x > 0, else scale·α·(e^{x/d} - 1).

    f'(x) = scale for x > 0, else scale·(α/d)·e^{x/d}; at 0 the second branch (elu'(0) = α,
    as torch), and f''(0) = 0 (torch's double backward).  Saves the input.
    elu: scale = d = 1.  selu: fixed α ≈ 1.6733, scale ≈ 1.0507.  celu: scale = 1, d = α.
    x/d is rounded unless d is a power of two, and e^{x/d} magnifies that by |x/d| (celu
    with α = 3 lost 200 ulps at x = -800): its residual r = x/d - fl(x/d) is carried, as
    e^{x/d} = e^{fl(x/d)}·(1 + r).
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, *, alpha: float, scale: float = 1.0, divisor: float = 1.0
    ) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.alpha, ctx.scale, ctx.divisor = alpha, scale, divisor
        # scale·α·expm1(min(x, 0)/d) + scale·max(x, 0): each term is 0 on the other side, so
        # the sum is exact; expm1 keeps the digits near 0 and cannot overflow.
        out = clip(x, -np.inf, 0.0, out=np.empty_like(x))  # an array also for 0-d x
        if divisor != 1.0:
            out /= divisor
        residual = _elu_residual(x, out, divisor)
        np.expm1(out, out=out)
        if residual is not None:  # expm1(q + r) = expm1(q) + e^q·r (where finite: α < 0)
            out += np.where(residual != 0.0, (out + 1.0) * residual, 0.0)
        out *= alpha * scale
        positive = clip(x, 0.0, np.inf)
        positive *= scale
        out += positive
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s, a, d = ctx.scale, ctx.alpha, ctx.divisor
        positive = indicator(x, x.data > 0)
        # min(x, 0), as -relu(-x): clamped, the unused exponential cannot overflow; and its
        # derivative is 0 at x = 0, so f''(0) = 0 as in torch (whose f'(0) is the left one)
        negative = -(-x).relu()
        if d != 1.0:
            negative = negative / d
        exponential = negative.exp()
        residual = _elu_residual(x.data, negative.data, d)
        if residual is not None:  # a constant factor 1 + r: the derivative is e^{x/d}/d still
            exponential = exponential * Tensor._make((1.0 + residual).astype(x.dtype), None)
        return grad * (positive * s + (1.0 - positive) * (exponential * (s * a / d)))

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        s, a, d = ctx.scale, ctx.alpha, ctx.divisor
        out = clip(x, -np.inf, 0.0, out=np.empty_like(x))
        if d != 1.0:
            out /= d
        residual = _elu_residual(x, out, d)
        np.exp(out, out=out)
        if residual is not None:
            out *= 1.0 + residual
        out *= s * a / d
        out *= x <= 0  # the exponential branch for x ≤ 0 (and NaN·0 = NaN)
        positive = (x > 0).astype(out.dtype)
        positive *= s
        out += positive
        return times(out, grad)


def _elu_residual(x: np.ndarray, q: np.ndarray, divisor: float) -> np.ndarray | None:
    """min(x, 0)/d - q for q = fl(min(x, 0)/d), in x's dtype; None when the division is exact."""
    if exact_in_binary(divisor):
        return None
    return quotient_residual(np.minimum(x, 0.0), divisor, q).astype(x.dtype, copy=False)


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

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        cdf = ctx.cdf

        def first(t: Tensor) -> Tensor:  # as in backward
            return normal_cdf(t, value=cdf) + t * normal_pdf(t)

        out = derivative_array(x, first, 1, "gelu")
        return times(out, grad)


def _gelu_tanh_derivative(x: Tensor) -> Tensor:
    """f'(x) = s(x) + x·s'(x), s'(x) = σ'(z)·z'(x).

    x is clamped where it multiplies s' (0 past |x| = 1e4): the same values and derivatives,
    but the backward sends x·z' ≈ 1e8·x into σ'(z), which overflowed at x = 1e308 (inf·0)."""
    slope = GeluTanhGateSlope.apply(x) * gelu_tanh_argument_slope(x)
    return GeluTanhGate.apply(x) + x.clamp(-_GATE_LIMIT, _GATE_LIMIT) * slope


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

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = derivative_array(x, _gelu_tanh_derivative, 1, "gelu_tanh")
        return times(out, grad)


# -- shapes from rational functions ------------------------------------------------------------


class Softsign(Function):
    """softsign(x) = x / (1 + |x|).

    f'(x) = 1 / (1 + |x|)².  Smooth at 0 in f and f' (f'' jumps there). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = np.abs(x, out=np.empty_like(x))
        out += 1.0
        np.divide(x, out, out=out)  # inf/inf: nan, as in torch
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        d = x.abs() + 1.0
        return grad / d / d  # not grad/(d·d): its derivative underflowed before ·2d (f'' = 0)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = np.abs(x, out=np.empty_like(x))
        out += 1.0
        out *= out
        np.divide(grad, out, out=out)
        return out


class Tanhshrink(Function):
    """tanhshrink(x) = x - tanh(x).

    f'(x) = tanh²(x).  Smooth. Saves the input.
    For |x| < 1 the difference cancels (torch's tanhshrink(1e-16) is 0, the true value
    3.3e-49), so there it is x³·P(x²), P a near-minimax fit of (x - tanh x)/x³ = 1/3 - 2x²/15
    + 17x⁴/315 - … (``_tanhshrink_poly``, from tools/gen_tanhshrink_poly.py: 17 terms to
    below 2 ulps in float64, 8 in float32, where the Taylor series needs 48).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = np.tanh(x, out=np.empty_like(x))  # an array also for 0-d x (assigned into below)
        np.subtract(x, out, out=out)
        # The polynomial only where it is needed, gathered by index.
        small = np.flatnonzero((x > -1.0) & (x < 1.0))
        if small.size:
            xs = np.ravel(x)[small]
            x2 = xs * xs
            highest, *rest = (
                _tanhshrink_poly.FLOAT64 if x.dtype == np.float64 else (_tanhshrink_poly.FLOAT32)
            )
            series = np.full_like(xs, highest)
            for c in rest:  # Horner's rule in x², in place
                series *= x2
                series += c
            series *= x2
            series *= xs
            out.reshape(-1)[small] = series  # (out is our own contiguous array: a view)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        t = Tanh.apply(x)
        return grad * t * t

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_arrays
        out = np.tanh(x, out=np.empty_like(x))
        out *= out
        return times(out, grad)


# -- along a dimension -------------------------------------------------------------------------


class Softmax(Function):
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = y·(grad - Σ_j grad_j·y_j).  Saves the output (as torch).
    Computed as e^{x - max x}: never overflows, and a row of 1e4s gives 1/n each.
    At the maximum of a saturated row (y_max > 3/4) grad_max - Σ_j grad_j·y_j cancels —
    torch's softmax([37.4, 0])' is 0, the true value 5.5e-17 — so when a row is, the forward
    also saves where each row's maximum is and c = 1 - y_max summed from the other terms, and
    there the backward takes grad_max·c - Σ_{j≠max} grad_j·y_j.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim, ctx.top = dim, None
        if x.size == 0:
            out = x.copy()
            ctx.save_for_backward(out)
            return out
        # a row holding inf gives nan, as in torch
        out = np.subtract(x, np.max(x, axis=dim, keepdims=True), out=np.empty_like(x))
        np.exp(out, out=out)
        total = np.sum(out, axis=dim, keepdims=True)
        out /= total
        if np.any(total < 1.0 / (1.0 - _SATURATED)):  # a row saturates: keep c = 1 - y_max
            ctx.top, ctx.c = _top_and_rest(x, out, dim)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        if ctx.top is None:
            return y * (grad - (grad * y).sum(dim=ctx.dim, keepdim=True))
        # As array_backward, sum for sum: every element as usual but the maximum of a
        # saturated row, which takes grad_max·c - Σ_{j≠max} grad_j·y_j.
        is_top, others = _top_masks(ctx.top, y.shape, ctx.dim, y.dtype, ctx.c)
        gy = grad * y
        inner = grad - gy.sum(dim=ctx.dim, keepdim=True)
        rest = (gy * others).sum(dim=ctx.dim, keepdim=True)
        c = (y * others).sum(dim=ctx.dim, keepdim=True)
        c = c + Tensor._make(ctx.c - c.data, None)  # the forward's value, c's derivative
        return y * where(is_top, grad * c - rest, inner)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (y,) = ctx.saved_arrays
        out = grad * y
        if ctx.top is None:
            total = np.sum(out, axis=ctx.dim, keepdims=True)
            np.subtract(grad, total, out=out)
            out *= y
            return out
        total = np.sum(out, axis=ctx.dim, keepdims=True)
        rest = _sum_but_top(out, ctx.top, ctx.dim)  # Σ_{j≠max} grad_j·y_j
        g_top = np.take_along_axis(np.broadcast_to(grad, y.shape), ctx.top, axis=ctx.dim)
        np.subtract(grad, total, out=out)
        usual = np.take_along_axis(out, ctx.top, axis=ctx.dim)
        at_top = np.where(ctx.c < _SATURATED, g_top * ctx.c - rest, usual)
        np.put_along_axis(out, ctx.top, at_top, axis=ctx.dim)
        out *= y
        return out


def _top_and_rest(x: np.ndarray, y: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row along ``dim``: where the maximum is (kept dims) and Σ_{j≠max} y_j, summed."""
    top = np.expand_dims(np.argmax(x, axis=dim), dim)
    return top, _sum_but_top(y, top, dim)


def _sum_but_top(a: np.ndarray, top: np.ndarray, dim: int) -> np.ndarray:
    """Σ_{j≠max} a_j per row: the terms themselves added, not the total less a_max (which
    keeps none of their digits when a_max dominates)."""
    rest = a.copy()
    np.put_along_axis(rest, top, 0.0, axis=dim)
    return np.sum(rest, axis=dim, keepdims=True)


# A row saturates when 1 - y_max = c < 1/4 (y_max > 3/4): there the usual formula loses
# more than ~4 ulps at the maximum, and only there the maximum takes the other one.
_SATURATED = 0.25


def _top_masks(
    top: np.ndarray, shape: tuple[int, ...], dim: int, dtype: Any, c: np.ndarray
) -> tuple[Any, Any]:
    """Where the maximum of each saturated row is (booleans), and 1 but at each row's
    maximum (``dtype``, a constant Tensor)."""
    is_top = np.zeros(shape, np.bool_)
    np.put_along_axis(is_top, top, True, axis=dim)
    others = Tensor._make((~is_top).astype(dtype), None)
    return is_top & (c < _SATURATED), others


class LogSoftmax(Function):
    """log_softmax(x)_i = x_i - log Σ_j e^{x_j} along ``dim``.

    ∂: grad_in = grad - softmax(x)·Σ_j grad_j = grad - e^y·Σ grad.  Saves the output (as torch)
    and, per row, where its maximum is and c = 1 - e^{y_max}.
    The sum is 1 + (the others) with the maximum's own term exactly 1, so it is taken as
    log1p(others): log_softmax([1e4, 0]) = [-0, -1e4] exactly, and tiny gaps keep their digits.
    At a row's maximum grad_max - e^{y_max}·Σ grad cancels when the row saturates (torch's
    log_softmax([37.6, 0])' is 1.1e-16, the true value 4.7e-17): there it is taken as
    grad_max·c - e^{y_max}·(Σ grad - grad_max) — exact for the one-hot gradient of a loss.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim, ctx.top = dim, None
        if x.size == 0:
            out = x.copy()
        else:
            top = np.expand_dims(np.argmax(x, axis=dim), dim)
            m = np.take_along_axis(x, top, axis=dim)
            out = x - m
            e = np.exp(out)
            np.put_along_axis(e, top, 0.0, axis=dim)
            others = np.sum(e, axis=dim, keepdims=True)  # Σ_{j≠max} e^{x_j - max}
            out -= np.log1p(others)
            if not np.isfinite(m).all():  # a row whose maximum is ±inf or nan: all nan
                out = np.where(np.isfinite(m), out, np.nan)
            ctx.top, ctx.c = top, others / (others + 1.0)  # c = 1 - e^{y_max}
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        p = y.exp()
        total = grad.sum(dim=ctx.dim, keepdim=True)
        general = grad - p * total
        if ctx.top is None:
            return general
        is_top, others = _top_masks(ctx.top, y.shape, ctx.dim, y.dtype, ctx.c)
        c = (p * others).sum(dim=ctx.dim, keepdim=True)
        # e^y magnifies y's rounding by |y| (30 ulps at y = -33): c takes the forward's exact
        # value, keeping the derivative of Σ_{j≠max} e^{y_j}.
        c = c + Tensor._make(ctx.c - c.data, None)
        g_top = (grad * (1.0 - others)).sum(dim=ctx.dim, keepdim=True)  # as array_backward
        return where(is_top, grad * c - p * (total - g_top), general)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (y,) = ctx.saved_arrays
        out = np.exp(y, out=np.empty_like(y))
        total = np.sum(grad, axis=ctx.dim, keepdims=True)
        if ctx.top is not None:
            p_top = np.take_along_axis(out, ctx.top, axis=ctx.dim)
            g_top = np.take_along_axis(np.broadcast_to(grad, y.shape), ctx.top, axis=ctx.dim)
        out *= total
        np.subtract(grad, out, out=out)
        if ctx.top is not None:  # the maximum of a saturated row: the other formula
            usual = np.take_along_axis(out, ctx.top, axis=ctx.dim)
            at_top = np.where(ctx.c < _SATURATED, g_top * ctx.c - p_top * (total - g_top), usual)
            np.put_along_axis(out, ctx.top, at_top, axis=ctx.dim)
        return out


class GLU(Function):
    """glu(x) = a·σ(b), where a, b are the two halves of x along ``dim``.

    ∂/∂a = σ(b),  ∂/∂b = a·σ'(b); the two halves of the gradient are joined again.
    Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, dim: int) -> np.ndarray:
        ctx.dim = dim
        a, b = np.split(x, 2, axis=dim)
        out = sigmoid_array(b)
        out *= a
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, _ = ctx.saved_tensors
        half = x.shape[ctx.dim] // 2
        index_a: list[Any] = [slice(None)] * x.ndim
        index_b: list[Any] = [slice(None)] * x.ndim
        index_a[ctx.dim], index_b[ctx.dim] = slice(0, half), slice(half, None)
        a, b = x[tuple(index_a)], x[tuple(index_b)]
        return cat([grad * Sigmoid.apply(b), grad * a * sigmoid_derivative(b)], dim=ctx.dim)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        x, y = ctx.saved_arrays
        b = np.split(x, 2, axis=ctx.dim)[1]
        out = np.empty_like(x)
        grad_a, grad_b = np.split(out, 2, axis=ctx.dim)  # views: written in place
        np.exp(b, out=grad_a)
        np.add(grad_a, 1.0, out=grad_b)  # 1 + e^b
        np.divide(grad_a, grad_b, out=grad_a)  # σ(b) = e^b / (1 + e^b)
        np.divide(y, grad_b, out=grad_b)  # a·σ'(b) = a·σ(b) / (1 + e^b)
        if largest(b) > _EXP_SAFE:  # e^b may have overflowed: σ(b) from e^{-b}
            far = b > _EXP_SAFE
            grad_a[far] = sigmoid_array(b[far])
            grad_b[far] = sigmoid_product_array(b[far], y[far])
        grad_a *= grad
        grad_b *= grad
        return out
