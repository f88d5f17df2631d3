"""The sigmoid family beyond σ itself: log σ, softplus, SiLU and Mish, with the derivative ops
SiLU and Mish need to stay exact near the roots of their derivatives."""

from __future__ import annotations

import numpy as np

from ...core.function import Function, Node
from ...core.tensor import Tensor
from ..basic import indicator
from ..derivatives import derivative
from ..special import (
    _EXP_SAFE,
    Sech2Softplus,
    Sigmoid,
    Tanh,
    TanhSoftplus,
    clip,
    exact_in_binary,
    largest,
    product_residual,
    sigmoid_array,
    sigmoid_derivative,
    smallest,
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


class LogSigmoid(Function):
    """log σ(x) = -log(1 + e^{-x}) = min(x, 0) - log1p(e^{-|x|}).

    f'(x) = σ(-x) = 1 - e^{f(x)} = -expm1(f(x)).  Smooth. Saves the input and the output.
    logsigmoid(-1000) = -1000 exactly. The array backward takes -expm1(y) from the output y:
    one pass, and accurate (expm1 keeps the digits of 1 - e^y for y near 0, where σ(-x) is tiny).
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

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


class Softplus(Function):
    """softplus(x) = (1/β)·log(1 + e^{βx}), and x itself where βx > threshold.

    f'(x) = σ(βx) = 1 - e^{-βf(x)} = -expm1(-βf(x)), and 1 where βx > threshold (strictly, as
    torch).  Saves the input and the output. Parameters: beta (≠ 0), threshold.
    The array backward takes -expm1(-βy) from the output y: one pass, accurate at both ends.
    βx is rounded unless β is a power of two, and e^{βx} magnifies that by |βx| (100 ulps at
    βx = -219): its residual r is carried, as log(1 + e^{z + r}) = log(1 + e^z) + r·σ(z).
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

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


class SiLU(Function):
    """silu(x) = x·σ(x)  (also called swish).

    f'(x) = σ(x) + x·σ'(x).  Smooth. Saves the input.
    """

    backward_on_arrays = False  # its rule still uses Tensor methods

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

    backward_on_arrays = False  # its rule still uses Tensor methods

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

    backward_on_arrays = False  # its rule still uses Tensor methods

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

    backward_on_arrays = False  # its rule still uses Tensor methods

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
