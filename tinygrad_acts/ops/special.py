"""σ and tanh, and the special functions activations and their derivatives are built from.

Each is an op whose forward is an accurate kernel (``kernels/``) and whose backward is written
with ops like these, so an activation whose derivative uses them is accurate at every order:
σ'(x), tanh'(x), the normal density φ(x) and distribution Φ(x), mish's tanh and sech² of
softplus, and the gate of gelu's tanh approximation.

A derivative op applied as ``D.apply(x, g)`` gives g·f'(x), the gradient multiplied in where
f'(x) is computed (g = 1 when not given): an activation's backward is then this one op. Its
own backward is ∂/∂x = g·f''(x) and ∂/∂g = f'(x).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..kernels.erfc import NORMAL_TAIL, gelu_slope_array, normal_cdf_array, normal_pdf_array
from ..kernels.gelu_tanh import (
    GATE_LIMIT,
    GELU_C,
    GELU_K,
    gelu_tanh_gate_array,
    gelu_tanh_gate_slope_array,
)
from ..kernels.sigmoid import sigmoid_array, sigmoid_derivative_array, tanh_derivative_array
from ..kernels.softplus import sech2_softplus, tanh_softplus
from .basic import Clamp, array_of

# -- σ and tanh, and their derivatives ---------------------------------------------------------


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e^{-x}).

    σ'(x) = σ(x)·σ(-x) = σ(x) / (1 + e^x).  Smooth. Saves the input and the output: the
    backward is ``SigmoidDerivative`` given σ(x), one exponential. Not σ·(1 - σ), as torch:
    1 - σ(x) loses every digit for large x (torch's σ'(698) is 0, the true value 2.5e-303).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        out = sigmoid_array(x)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        x, y = ctx.saved_tensors
        return SigmoidDerivative.apply(x, grad, sigma=array_of(y))


class SigmoidDerivative(Function):
    """g·σ'(x), σ'(x) = σ(x)·σ(-x) = σ(x) / (1 + e^x)  (g = 1 when not given).

    ∂/∂x = g·σ''(x) = -g·σ'(x)·tanh(x/2),  ∂/∂g = σ'(x). Saves x and g; ``sigma`` is σ(x)
    when the caller has it (then one exponential, not two).

    Written with σ(-x) = 1 / (1 + e^x) it keeps full relative accuracy in the tails
    (σ'(698) = 2.5e-303), where σ·(1 - σ) gives 0 (past x = 80 the mirrored form takes over,
    ``kernels.sigmoid.sigmoid_product_array``). (1/(4cosh²(x/2)) is a little faster but a
    little less exact: 2 ulps more in mish'' and silu''.)
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, g: Any = None, *, sigma: np.ndarray | None = None
    ) -> np.ndarray:
        ctx.save_for_backward(x, g)
        ctx.sigma = sigma
        return sigmoid_derivative_array(x, sigma, g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        dx = dg = None
        if need_x:  # σ''(x) = -σ'(x)·tanh(x/2)
            scale = grad if g is None else grad * g
            dx = SigmoidDerivative.apply(x, -scale, sigma=ctx.sigma) * Tanh.apply(x * 0.5)
        if need_g:
            dg = SigmoidDerivative.apply(x, grad, sigma=ctx.sigma)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


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
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return TanhDerivative.apply(x, grad)


class TanhDerivative(Function):
    """g·tanh'(x) = g·sech²(x) = g / cosh²(x)  (g = 1 when not given), in one pass.

    ∂/∂x = g·tanh''(x) = -2g·tanh(x)·sech²(x),  ∂/∂g = sech²(x). Saves x and g.
    1 - tanh² cancels for |x| > 1 (torch's tanh'(25.3) is 0, the true value 4.2e-22); this
    form keeps every digit, and dividing g by cosh² takes one pass fewer than g·(1/cosh²).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, g: Any = None) -> np.ndarray:
        ctx.save_for_backward(x, g)
        return tanh_derivative_array(x, 1.0 if g is None else g)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, g = ctx.saved_tensors
        need_x, need_g = (*ctx.needs_input_grad, False)[:2]  # g may not have been given
        dx = dg = None
        if need_x:  # tanh''(x) = -2·tanh(x)·sech²(x)
            scale = grad if g is None else grad * g
            dx = TanhDerivative.apply(x, scale) * (-2.0 * Tanh.apply(x))
        if need_g:
            dg = TanhDerivative.apply(x, grad)
        return (dx, dg)[: len(ctx.next)]  # one per argument given


def sigmoid_derivative(x: Any) -> Any:
    """σ'(x) (``SigmoidDerivative``), of an array or a Tensor."""
    return SigmoidDerivative.apply(x)


# -- gelu's tanh approximation: its gate σ(z(x)) and the gate's slope --------------------------


class GeluTanhGate(Function):
    """s(x) = σ(z(x)) = (1 + tanh(u))/2, the gate of gelu's tanh approximation (z = 2u).

    s'(x) = σ'(z)·z'(x),  z'(x) = 2√(2/π)·(1 + 3·0.044715·x²). Saves the input.
    To first order σ(z̃ + δ) = σ(z̃)·(1 + δ·σ(-z̃)), with z carried in double-double
    (``kernels.gelu_tanh``).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gelu_tanh_gate_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * GeluTanhGateSlope.apply(x) * gelu_tanh_argument_slope(x)


class GeluTanhGateSlope(Function):
    """σ'(z(x)), with z in double-double:  σ'(z̃ + δ) = σ'(z̃)·(1 - δ·tanh(z̃/2)).

    Derivative: σ''(z)·z'(x) = -σ'(z)·tanh(z/2)·z'(x). Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gelu_tanh_gate_slope_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        slope = GeluTanhGateSlope.apply(x)
        return -grad * slope * Tanh.apply(_gelu_tanh_half_z(x)) * gelu_tanh_argument_slope(x)


def _gelu_tanh_half_z(x: Any) -> Any:
    """z/2 = √(2/π)·(x + 0.044715·x³) (differentiable), of x clamped as the gate's own."""
    x = Clamp.apply(x, min=-GATE_LIMIT, max=GATE_LIMIT)
    return (x + x * x * x * GELU_C) * (0.5 * GELU_K)


def gelu_tanh_argument_slope(x: Any) -> Any:
    """z'(x) = 2√(2/π)·(1 + 3·0.044715·x²) (differentiable), of x clamped as the gate's own:
    past |x| = 1e4 the gate's slope σ'(z) is 0, and 0·z'(1e200) must be 0, not 0·inf."""
    x = Clamp.apply(x, min=-GATE_LIMIT, max=GATE_LIMIT)
    return (x * x * (3.0 * GELU_C) + 1.0) * GELU_K


# -- the standard normal distribution ------------------------------------------------------------


class NormalPDF(Function):
    """φ(x) = e^{-x²/2} / √(2π), the standard normal density.   φ'(x) = -x·φ(x). Saves the input."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return normal_pdf_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        # φ(x) is 0 past |x| = 40: clamped there, no product of its derivatives overflows
        # (x·x·φ(x) was inf·0 = nan at x = 1e155); x·φ(x) first: grad·0, not (grad·x)·0.
        x = Clamp.apply(x, min=-NORMAL_TAIL, max=NORMAL_TAIL)
        return -grad * (x * NormalPDF.apply(x))


class NormalCDF(Function):
    """Φ(x) = ½·erfc(-x/√2), the standard normal distribution.   Φ'(x) = φ(x). Saves the input.

    Through erfc, not ½(1 + erf(x/√2)): for x = -36 the sum 1 + erf cancels to 0, while
    erfc gives Φ(-36) = 1.9e-284 to full precision.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, value: np.ndarray | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        return normal_cdf_array(x) if value is None else value  # value: Φ(x), already known

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * NormalPDF.apply(x)


class GELUSlope(Function):
    """gelu'(x) = Φ(x) + x·φ(x) as one op (``kernels.erfc.gelu_slope_array``: one new array
    where the three ops of the formula made three); ``value`` passes gelu'(x), already known
    (gelu's forward computes it with Φ: ``kernels.erfc.gelu_parts``).

    Derivative: gelu''(x) = Φ' + φ + x·φ' = φ(x) + (φ(x) - x·x·φ(x)), each term the op the
    formula's own ops would give. Saves the input.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, value: np.ndarray | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        return gelu_slope_array(x, normal_cdf_array(x)) if value is None else value

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        pdf = NormalPDF.apply(x)
        clamped = Clamp.apply(x, min=-NORMAL_TAIL, max=NORMAL_TAIL)  # as NormalPDF's backward
        slope_of_pdf = -(grad * x) * (clamped * NormalPDF.apply(clamped))
        return grad * pdf + (grad * pdf + slope_of_pdf)


def normal_pdf(x: Any) -> Any:
    """φ(x) (``NormalPDF``), of an array or a Tensor."""
    return NormalPDF.apply(x)


def normal_cdf(x: Any, value: np.ndarray | None = None) -> Any:
    """Φ(x) as an op; ``value`` passes Φ(x) when the caller has already computed it."""
    return NormalCDF.apply(x, value=value)


# -- mish's gate: tanh and sech² of softplus -----------------------------------------------------


class TanhSoftplus(Function):
    """t(x) = tanh(softplus(x)), mish's gate.   t'(x) = sech²(softplus(x))·σ(x). Saves the input."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return tanh_softplus(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * Sech2Softplus.apply(x) * Sigmoid.apply(x)


class Sech2Softplus(Function):
    """S(x) = sech²(softplus(x)) = 1 - t(x)².   S'(x) = -2·t(x)·S(x)·σ(x). Saves the input."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return sech2_softplus(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -2.0 * grad * TanhSoftplus.apply(x) * Sech2Softplus.apply(x) * Sigmoid.apply(x)
