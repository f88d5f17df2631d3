"""The piecewise-linear activations: ReLU and its leaky, randomized and parametric kin, hard
tanh, hard sigmoid and swish, the shrinks and threshold.

f' is a step function (hardswish's is linear between its kinks), so each backward is one
masked product — ``StepScale``, or an op of this file where f' has values other than 0 and 1
(``LeakyGrad``, ``HardsigmoidGrad``, ``HardswishGrad``) — exactly 0 on the flat side of a
kink, and whose own derivative in x is a zero still connected to x (hardswish's: f'').
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.function import Function, Node
from ...core.tensor import Tensor
from ...kernels.arrays import SMALL, clip
from ...kernels.masks import masked, masked_in_place, where_else
from ..basic import array_of, step_scale

# torch computes the backward of an in-place leaky_relu, rrelu or elu from the output (the input
# is gone): with a negative slope x < 0 cannot be told from the output there, so it refuses —
# when a backward pass reaches the node (``self_is_result``: set by the in-place function).
NEGATIVE_SLOPE_IN_PLACE = (
    "In-place {} backward calculation is triggered with a negative slope which is not "
    "supported. This is caused by calling in-place forward function with a negative slope, "
    "please call out-of-place version instead."
)
LEAKY_ISSUE = (
    " File an issue at https://github.com/pytorch/pytorch if you do require supporting "
    "in-place leakRelu backward calculation with negative slope"
)

# -- piecewise-linear activations ------------------------------------------------------------


class StepDerivative(Function):
    """Base of the piecewise-linear activations: f' is a step function of one saved array.

    A subclass defines ``slope(ctx, saved)``, f'(x) from the array its forward saved (the
    input; for relu the output): a mask of where f' is 1 (and 0 elsewhere), or an array of
    f' values. The backward is grad·f'(x) in both kinds of pass: in Tensor operations
    through ``StepScale``, whose own derivative is a zero still connected to x (so a second
    derivative is 0, as in torch), and on arrays as one pass. Where a mask says 0 the gradient
    is exactly 0, even an inf or nan one (``masked``): torch's masked backwards do the same.
    """

    @staticmethod
    def slope(ctx: Node, saved: np.ndarray) -> np.ndarray:
        raise NotImplementedError("a StepDerivative subclass must define slope(ctx, saved)")

    @classmethod
    def backward(cls, ctx: Node, grad: Tensor) -> Tensor:
        (saved,) = ctx.saved_tensors
        return step_scale(grad, saved, np.asarray(cls.slope(ctx, array_of(saved))))


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


def _finite_in(slope: Any, dtype: Any) -> bool:
    """Is ``slope`` (a number or an array) finite in ``dtype``, where x·slope is computed?"""
    if isinstance(slope, np.ndarray):
        return bool(np.isfinite(slope).all())
    return abs(slope) <= np.finfo(dtype).max  # False for ±inf and NaN too


def _leaky(x: np.ndarray, slope: Any) -> np.ndarray:
    """x for x > 0, else slope·x (torch's), each exact; NaN stays NaN.

    As min(x, 0)·slope + max(x, 0): two clips, no select (``np.where`` on a random mask is
    several times slower); for a slope in (0, 1], max(x, slope·x): two passes, one array.
    float16 as torch: slope·x in float32, rounded once — so a slope beyond float16's range is
    no inf there, and 0·slope no NaN.
    """
    if x.dtype == np.float16:
        below = np.multiply(x, np.asarray(slope, np.float32), dtype=np.float32)
        return np.where(x > 0, x, below.astype(np.float16))
    if isinstance(slope, np.ndarray) and slope.ndim == 0:  # prelu's one weight: its number
        slope = slope.item()  # x's dtype holds it exactly: x·slope rounds as with the array
    if not _finite_in(slope, x.dtype):  # 0·slope would be NaN also where x > 0
        return np.where(x > 0, x, x * slope)
    if isinstance(slope, float) and 0.0 < slope <= 1.0 and x.size > SMALL:
        out = np.multiply(x, slope)  # then max(x, slope·x): x for x > 0, slope·x below
        np.maximum(out, x, out=out)
        return out
    out = clip(x, -np.inf, 0.0)
    out *= slope
    out += clip(x, 0.0, np.inf)
    return out


# The unsigned integer of each float's width: a select by bits.
_UNSIGNED = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _one_or_slope(positive: np.ndarray, slope: Any, dtype: Any) -> np.ndarray:
    """1 where ``positive``, else ``slope`` (a number or an array), exactly, in a new array.

    A select by bits, in as many passes as a product and a sum: [positive] times the bits in
    which 1 and slope differ, XORed onto slope's bits. Exact for any slope, inf and NaN too
    (1 - slope, rounded, loses the 1 for large slopes; ``np.where`` on a random mask is
    several times slower).
    """
    unsigned = _UNSIGNED[np.dtype(dtype).itemsize]
    one = np.asarray(1, dtype).view(unsigned)
    slope_bits = np.asarray(slope, dtype).view(unsigned)
    out = np.empty(np.shape(positive), dtype)  # owns its memory: the engine copies a view
    bits = out.view(unsigned)
    np.copyto(bits, positive)
    bits *= one ^ slope_bits
    bits ^= slope_bits
    return out


def _leaky_input_grad(grad: np.ndarray, x: np.ndarray, slope: Any) -> np.ndarray:
    """grad for x > 0, else slope·grad (torch's select); float16 multiplies in float32 (torch)."""
    if x.dtype == np.float16:
        below = np.multiply(grad, np.asarray(slope, np.float32), dtype=np.float32)
        return np.where(x > 0, grad, below.astype(np.float16))
    out = _one_or_slope(x > 0, slope, x.dtype)
    out *= grad
    return out


def _leaky_slope_grad(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """grad·x where not x > 0 (NaN too), exactly 0 where x > 0 (torch's), as min(x, 0)·grad.

    That product is NaN where grad is inf or NaN at x > 0 (0·inf): then, and only then (a NaN
    in the sum tells), those elements are zeroed by their bits (``masked``).
    """
    out = np.asarray(clip(x, -np.inf, 0.0))  # NaN stays NaN
    out *= grad
    if np.isnan(np.add.reduce(out, axis=None)):  # a NaN of x's own, or 0·inf (rare)
        out = masked(out, ~(x > 0))
    return out


class LeakyGrad(Function):
    """grad times a partial derivative of leaky(x, s) = x for x > 0, else s·x: the backward of
    leaky_relu (and rrelu in eval mode, s a number) and of prelu (s its weight).

    ``wrt="input"``: grad·∂f/∂x = grad where x > 0, else s·grad (at the kink and NaN too).
    ``wrt="slope"``: grad·∂f/∂s = grad·x where not x > 0 (NaN at NaN), else exactly 0 (also
    where grad is inf).  Each an exact select: a rounded 1 - s loses the 1 for large slopes.

    Derivatives of the first: s or 1 in grad (the same op), 0 in x, grad where not x > 0 in s.
    Of the second: x or 0 in grad (the same op); grad where not x ≥ 0 in x (0 at x = 0, as
    torch's double backward); none in s.  Saves grad, x and s.
    """

    @staticmethod
    def forward(ctx: Node, grad: np.ndarray, x: np.ndarray, slope: Any, *, wrt: str) -> Any:
        ctx.save_for_backward(grad, x, slope)
        ctx.wrt = wrt
        if wrt == "input":
            return _leaky_input_grad(grad, x, slope)
        return _leaky_slope_grad(grad, x)

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any, Any]:
        grad, x, slope = ctx.saved_tensors
        need_grad, need_x, need_slope = ctx.needs_input_grad
        values = array_of(x)
        by_grad = LeakyGrad.apply(g, x, slope, wrt=ctx.wrt) if need_grad else None
        if ctx.wrt == "slope":
            by_x = step_scale(g * grad, x, ~(values >= 0)) if need_x else None
            return by_grad, by_x, None
        by_x = np.zeros(values.shape, values.dtype) if need_x else None  # f' is a step in x
        by_slope = step_scale(g * grad, x, ~(values > 0)) if need_slope else None
        return by_grad, by_x, by_slope


class LeakyReLU(Function):
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
    def backward(ctx: Node, grad: Any) -> Any:
        if ctx.negative_slope < 0 and getattr(ctx, "self_is_result", False):
            raise RuntimeError(NEGATIVE_SLOPE_IN_PLACE.format("leakyReLu") + LEAKY_ISSUE)
        (x,) = ctx.saved_tensors
        return LeakyGrad.apply(grad, x, ctx.negative_slope, wrt="input")


class RReLU(StepDerivative):
    """rrelu(x) in training mode = r·x for x ≤ 0, else x, with r ~ U(lower, upper) per element.

    f'(x) = r for x ≤ 0, else 1; at the kink f'(0) = r, and at NaN 1 (torch's: the noise
    n = r where x ≤ 0, else 1, and f = n·x, f' = n).  Saves the input; n is kept with it.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, slopes: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.noise = _one_or_slope(~(x <= 0), slopes, x.dtype)
        return x * ctx.noise

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return ctx.noise


class PReLU(Function):
    """prelu(x, w) = x for x > 0, else w·x, with a learnable slope w (per channel).

    ∂f/∂x = 1 for x > 0, else w (w at the kink);  ∂f/∂w = 0 for x > 0, else x (NaN at x = NaN,
    0 at x = +inf, as torch).  Saves both inputs. The weight arrives already shaped to
    broadcast along dim 1.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, w)
        return _leaky(x, w)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        x, w = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad
        return (
            LeakyGrad.apply(grad, x, w, wrt="input") if need_x else None,
            LeakyGrad.apply(grad, x, w, wrt="slope") if need_w else None,
        )


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


class HardsigmoidGrad(Function):
    """grad·hardsigmoid'(x) = grad/6 for -3 < x < 3, else exactly 0 (even where grad is inf or
    NaN): the masked gradient times 1/6, in place, in one new array.

    Derivatives: hardsigmoid'(x) in grad (the same op); 0 in x (a step). Saves x.
    """

    @staticmethod
    def forward(ctx: Node, grad: np.ndarray, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        out = masked(grad, (x > -3.0) & (x < 3.0))
        out *= 1.0 / 6.0
        return out

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any]:
        (x,) = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad
        values = array_of(x)
        return (
            HardsigmoidGrad.apply(g, x) if need_grad else None,
            np.zeros(values.shape, values.dtype) if need_x else None,
        )


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
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return HardsigmoidGrad.apply(grad, x)


def _hardswish_input_grad(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """grad·hardswish'(x): exactly 0 for x ≤ -3 (even where grad is inf or NaN), (2x + 3)/6·grad
    between, grad for x ≥ 3; NaN at NaN. (x + 1.5)/3 is (2x + 3)/6 to the bit (doubling is
    exact) in one pass fewer, and exact near the root -1.5 where x/3 + 1/2 would cancel."""
    out = clip(x, -3.0, 3.0, out=np.empty_like(x))  # an array also for 0-d x
    out += 1.5
    out /= 3.0
    below = x < 3.0
    out *= below
    out += ~below  # 1 for x ≥ 3; NaN·0 + 1 stays NaN
    out *= grad
    return masked_in_place(out, ~(x <= -3.0))


class HardswishGrad(Function):
    """grad·hardswish'(x) (see ``Hardswish``): 0 for x ≤ -3, (2x + 3)/6·grad between, grad
    for x ≥ 3.

    Derivatives: hardswish'(x) in grad (the same op); grad·hardswish''(x) in x, which is grad/3
    for -3 < x < 3 and exactly 0 elsewhere (torch's). Saves grad and x.
    """

    @staticmethod
    def forward(ctx: Node, grad: np.ndarray, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(grad, x)
        return _hardswish_input_grad(grad, x)

    @staticmethod
    def backward(ctx: Node, g: Any) -> tuple[Any, Any]:
        grad, x = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad
        values = array_of(x)
        inside = (values > -3.0) & (values < 3.0)
        return (
            HardswishGrad.apply(g, x) if need_grad else None,
            step_scale(g * grad, x, inside) / 3.0 if need_x else None,
        )


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
    def backward(ctx: Node, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return HardswishGrad.apply(grad, x)


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
        return _outside(x, ctx.lambd)


def _outside(x: np.ndarray, lambd: float) -> np.ndarray:
    """|x| > λ (False at NaN), as two comparisons: |x| would be a new array of floats."""
    return (x > lambd) | (x < -lambd)


class Hardshrink(StepDerivative):
    """hardshrink(x) = x for |x| > λ, else 0.

    f'(x) = 1 for |x| > λ, else 0; at ±λ f' = 0.  Saves the input, and where |x| > λ (the
    forward's mask is the backward's).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, lambd: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.outside = _outside(x, lambd)
        # x·[|x| > λ] keeps NaN (NaN·0, as torch); + 0 turns the -0 of a negative x inside
        # into torch's +0, and changes nothing else
        out = np.multiply(x, ctx.outside, dtype=x.dtype)
        out += 0.0
        return out

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return ctx.outside


class Threshold(StepDerivative):
    """threshold(x) = x for x > threshold, else value.

    f'(x) = 1 for x > threshold, else 0; at the threshold f' = 0.  Saves the input, and where
    f' = 1 (the forward's mask is the backward's).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, threshold: float, value: float) -> np.ndarray:
        ctx.save_for_backward(x)
        # not x ≤ threshold, rather than x > threshold: NaN stays NaN (and passes the
        # gradient), as in torch
        ctx.keep = ~(x <= threshold)
        return where_else(ctx.keep, x, value)

    @staticmethod
    def slope(ctx: Node, x: np.ndarray) -> np.ndarray:
        return ctx.keep
