"""The basic ops: arithmetic, exp/log, reductions, shape and matmul.

Each op is a ``Function``: ``forward`` on NumPy arrays, ``backward`` in Tensor operations
(so it can be differentiated again). Broadcasting is not handled here: the engine sums each
gradient back to its input's shape (``Tensor.sum_to_size``).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, c10_dtype_name, sum_to_shape, torch_dtype_name
from .special import SMALL

# -- arithmetic ------------------------------------------------------------------------------


class Add(Function):
    """a + b.   ∂/∂a = 1, ∂/∂b = 1 (saves nothing)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        # inf + -inf is nan, silently
        return a + b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        return grad, grad

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, grad


class Sub(Function):
    """a - b.   ∂/∂a = 1, ∂/∂b = -1 (saves nothing)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        # inf - inf is nan, silently
        return a - b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor | None]:
        return grad, -grad if ctx.needs_input_grad[1] else None

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Function):
    """a * b.   ∂/∂a = b, ∂/∂b = a (saves both inputs)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        # 0·inf is nan, silently (torch)
        return a * b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, Any]:
        a, b = ctx.saved_arrays
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Function):
    """a / b.   ∂/∂a = 1/b, ∂/∂b = -a/b² (saves both inputs)."""

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        # x/0 is ±inf or nan, as in torch
        return a / b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        grad_a = grad / b
        # -grad·a/b² written as -(grad/b)·(a/b): no overflow of b² for large b.
        return grad_a if ctx.needs_input_grad[0] else None, (
            -grad_a * (a / b) if ctx.needs_input_grad[1] else None
        )

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, Any]:
        a, b = ctx.saved_arrays
        grad_a = grad / b
        return grad_a if ctx.needs_input_grad[0] else None, (
            -grad_a * (a / b) if ctx.needs_input_grad[1] else None
        )


class Neg(Function):
    """-a.   ∂/∂a = -1."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        return -a

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return -grad

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return -grad


def power(a: Any, b: Any) -> np.ndarray:
    """a ** b, with torch's rules for integers to negative integer powers: an error when b is
    a Python number, else 1 for a = 1, ±1 for a = -1 (by the parity of b), 0 for any other a
    (NumPy refuses them all). A power of -0.5 is 1/√a in float32 and float64, torch's rsqrt
    (NumPy takes √a for 0.5): -inf at -0 and nan at -inf, where the C library's pow gives inf
    and 0 — and that is also the derivative of √a there."""
    if type(b) is float and b == -0.5 and isinstance(a, np.ndarray) and a.dtype.char in "fd":
        return np.divide(1.0, np.sqrt(a))
    try:
        return np.power(a, b)
    except ValueError as e:
        if not isinstance(b, np.ndarray):
            raise RuntimeError(str(e)) from None  # torch's words, in its type
        return _integer_power(a, b)


def _integer_power(a: Any, b: np.ndarray) -> np.ndarray:
    negative = b < 0
    out = np.power(a, np.where(negative, 0, b))
    parity = np.where(b % 2 == 0, 1, -1)
    below = np.where(np.equal(a, 1), 1, np.where(np.equal(a, -1), parity, 0))
    return np.where(negative, below, out).astype(out.dtype)


class Pow(Function):
    """a ** b.   ∂/∂a = b·a^(b-1),   ∂/∂b = a^b·log(a)  (taken as 0 where a = 0 and b ≥ 0).

    Saves both inputs and the output.
    """

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        out = power(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            if isinstance(b, (int, float)) and b == 0:
                grad_a = grad * 0.0
            else:
                grad_a = grad * b * a ** (b - 1)
                b_data = b.data if isinstance(b, Tensor) else np.asarray(b)
                if np.any(b_data == 0):  # ∂(a⁰)/∂a = 0, also at a = 0 where 0·0⁻¹ is nan
                    grad_a = where(np.broadcast_to(b_data == 0, grad_a.shape), 0.0, grad_a)
        if ctx.needs_input_grad[1]:
            a_data = a.data if isinstance(a, Tensor) else np.asarray(a)
            b_data = b.data if isinstance(b, Tensor) else np.asarray(b)
            zero_base = (a_data == 0) & (b_data >= 0)  # lim a→0 of a^b·log a is 0
            safe_a = where(zero_base, 1.0, a) if np.any(zero_base) else a
            if isinstance(safe_a, Tensor):
                log_a = safe_a.log()
            else:
                log_a = float(np.log(safe_a))
            grad_b = grad * out * log_a
        return grad_a, grad_b


def _check_matmul(a: np.ndarray, b: np.ndarray) -> None:
    """torch's checks of a @ b, in its words for each case (dot, matrix·vector, matrices)."""
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    k_a = a.shape[-1]
    k_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if k_a != k_b:
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{k_a}] and src [{k_b}] to have the "
                f"same number of elements, but got {k_a} and {k_b} elements respectively"
            )
        if b.ndim == 1:  # a matrix (batches folded in) times a vector
            rows = int(np.prod(a.shape[:-1]))
            raise RuntimeError(
                f"size mismatch, got input ({rows}), mat ({rows}x{k_a}), vec ({k_b})"
            )
        rows = int(np.prod(a.shape[:-1])) if b.ndim == 2 else a.shape[-2] if a.ndim > 1 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k_a} and {k_b}x{b.shape[-1]})"
        )
    if a.dtype != b.dtype:  # torch refuses to mix dtypes here
        if a.ndim == 1 and b.ndim == 1:
            names = [torch_dtype_name(a.dtype), torch_dtype_name(b.dtype)]
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {names[0]} and "
                f"{names[1]}"
            )
        if a.ndim == 2 and b.ndim == 1:
            mat, vec = torch_dtype_name(a.dtype), torch_dtype_name(b.dtype)
            raise RuntimeError(
                f"addmv input tensors must have the same dtype, but got {vec}, {mat}, and {vec}"
            )
        names = [c10_dtype_name(a.dtype), c10_dtype_name(b.dtype)]
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {names[0]} != {names[1]}"
        )


class MatMul(Function):
    """a @ b, with NumPy's rules for 1-D and batched operands.

    ∂/∂a = grad @ bᵀ, ∂/∂b = aᵀ @ grad (saves both inputs); a 1-D operand is treated as a
    row (a) or a column (b) and the extra axis removed again.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _check_matmul(a, b)
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise RuntimeError(
                f"matmul: batch dimensions {a.shape[:-2]} and {b.shape[:-2]} do not broadcast"
            ) from None
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # dot product
            return (grad * b if need_a else None), (grad * a if need_b else None)
        a2 = a.unsqueeze(0) if a.ndim == 1 else a  # a row vector
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b  # a column vector
        g2 = grad
        if a.ndim == 1:
            g2 = g2.unsqueeze(-2)
        if b.ndim == 1:
            g2 = g2.unsqueeze(-1)
        grad_a = grad_b = None
        if need_a:
            grad_a = g2 @ b2.transpose(-1, -2)
            if a.ndim == 1:
                grad_a = grad_a.sum_to_size((1, *a.shape)).reshape(a.shape)
        if need_b:
            grad_b = a2.transpose(-1, -2) @ g2
            if b.ndim == 1:
                grad_b = grad_b.sum_to_size((*b.shape, 1)).reshape(b.shape)
        return grad_a, grad_b

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, Any]:
        a, b = ctx.saved_arrays
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:
            return (grad * b if need_a else None), (grad * a if need_b else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if need_a:
            grad_a = g2 @ np.swapaxes(b2, -1, -2)
            if a.ndim == 1:
                grad_a = sum_to_shape(grad_a, (1, *a.shape)).reshape(a.shape)
        if need_b:
            grad_b = np.swapaxes(a2, -1, -2) @ g2
            if b.ndim == 1:
                grad_b = sum_to_shape(grad_b, (*b.shape, 1)).reshape(b.shape)
        return grad_a, grad_b


class Linear(Function):
    """x Wᵀ + b (b optional), as one op: ``F.linear``, torch's addmm.

    ∂/∂x = g W,  ∂/∂W = Σ gᵀ x over the leading axes,  ∂/∂b = g (the engine sums it over the
    axes b was broadcast along).  Saves x and W. One node instead of three (transpose, matmul,
    add), so a training step records and visits a third as many.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None
    ) -> np.ndarray:
        ctx.save_for_backward(x, weight)
        out = np.matmul(x, weight.T)
        if bias is not None:
            out += bias  # in place: out is a new array
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, weight = ctx.saved_tensors
        return _linear_gradients(grad, x, weight, ctx.needs_input_grad)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, ...]:
        x, weight = ctx.saved_arrays
        return _linear_gradients(grad, x, weight, ctx.needs_input_grad)


def _linear_gradients(grad: Any, x: Any, weight: Any, needs: tuple[bool, ...]) -> tuple[Any, ...]:
    """Linear's three gradients, in operations that Tensors and arrays share (``@``, ``.T``,
    ``reshape``): one rule for both kinds of pass."""
    need_x, need_w, need_b = needs
    rows = math.prod(x.shape[:-1])  # every leading axis is a batch axis
    return (
        grad @ weight if need_x else None,
        grad.reshape(rows, weight.shape[0]).T @ x.reshape(rows, weight.shape[1])
        if need_w
        else None,
        grad if need_b else None,
    )


# -- elementwise functions -------------------------------------------------------------------


class Exp(Function):
    """exp(a).   ∂/∂a = exp(a) (saves the output)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        # exp(1000) is inf, as in torch
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad * out

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_arrays
        return grad * out


class Log(Function):
    """log(a).   ∂/∂a = 1/a (saves the input). log(0) = -inf, log(-1) = nan, as in torch."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad / a

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (a,) = ctx.saved_arrays
        return grad / a


class Sqrt(Function):
    """√a.   ∂/∂a = 1/(2√a) (saves the output)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_arrays
        return grad / (2 * out)


class Abs(Function):
    """|a|.   ∂/∂a = sign(a), and 0 at a = 0 (torch's convention). Saves the input."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad * a.sign()

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (a,) = ctx.saved_arrays
        return grad * sign_array(a)


class Clamp(Function):
    """min(max(a, lo), hi).   ∂/∂a = 1 for lo ≤ a ≤ hi (bounds included, as torch), else 0."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, min: Any = None, max: Any = None) -> np.ndarray:
        ctx.save_for_backward(a)
        ctx.min, ctx.max = min, max
        out = a
        if min is not None:
            out = np.maximum(out, np.asarray(min, dtype=a.dtype))
        if max is not None:
            out = np.minimum(out, np.asarray(max, dtype=a.dtype))
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return step_scale(grad, a, clamp_masks(a.data, ctx.min, ctx.max, a.shape)[0])

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        (a,) = ctx.saved_arrays
        return masked(grad, clamp_masks(a, ctx.min, ctx.max, a.shape)[0])


def clamp_masks(a: np.ndarray, lo: Any, hi: Any, shape: tuple[int, ...]) -> list[Any]:
    """Where the gradient of min(max(a, lo), hi) reaches a, lo and hi (numbers or arrays, or
    None; each mask broadcast to ``shape``), as torch: a where lo ≤ a ≤ hi; lo where a < lo
    (and lo < hi); hi where a > hi (or hi < lo: then every value is hi)."""
    if lo is None:
        inside, to_lo, to_hi = a <= hi, None, a > hi
    elif hi is None:
        inside, to_lo, to_hi = a >= lo, a < lo, None
    else:
        inside, to_lo, to_hi = (a >= lo) & (a <= hi), (a < lo) & (lo < hi), (a > hi) | (hi < lo)
    return [None if m is None else np.broadcast_to(m, shape) for m in (inside, to_lo, to_hi)]


class ClampBetween(Function):
    """min(max(a, lo), hi) with tensor bounds, broadcast with a (either bound may be None).

    As torch's clamp with tensor bounds: ∂/∂a = 1 where lo ≤ a ≤ hi;  ∂/∂lo = 1 where a < lo
    (and lo < hi);  ∂/∂hi = 1 where a > hi (or hi < lo: then every value is hi)
    (``clamp_masks``). Saves all three.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        ctx.save_for_backward(a, lo, hi)
        out = a
        if lo is not None:
            out = np.maximum(out, lo)  # NaN in either stays NaN, as in torch
        if hi is not None:
            out = np.minimum(out, hi)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        saved = ctx.saved_tensors
        arrays = [None if t is None else t.data for t in saved]
        masks = clamp_masks(*arrays, grad.shape)
        return tuple(
            step_scale(grad, t, m) if need else None
            for t, m, need in zip(saved, masks, ctx.needs_input_grad)
        )

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[Any, ...]:
        masks = clamp_masks(*ctx.saved_arrays, grad.shape)
        return tuple(
            masked(grad, m) if need else None for m, need in zip(masks, ctx.needs_input_grad)
        )


class Indicator(Function):
    """1 where ``condition`` holds, else 0, as a function of x (a step: its derivative is 0).

    Gradient masks at kinks are built with it rather than as constants, so that the
    derivative of a piecewise-linear gradient is a zero that is still connected to x —
    ``grad(relu'(x).sum(), x)`` gives zeros, as in torch, not an error.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, condition: np.ndarray) -> np.ndarray:
        return condition.astype(x.dtype)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad * 0.0

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return np.zeros_like(grad)  # 0, also for an inf or nan grad (grad·0 would be nan)


def indicator(x: Tensor, condition: np.ndarray) -> Tensor:
    """``Indicator``: the step function of x that is 1 where ``condition`` holds."""
    return Indicator.apply(x, condition=condition)


class StepScale(Function):
    """grad·s(x), where s is a step function of x given by its values ``factor``.

    The backward of every piecewise-linear activation: f'(x) is constant between kinks, so
    grad·f'(x) is one multiplication, and its derivative with respect to x is 0 — yet still
    connected to x, so a second derivative is a zero rather than an error (as in torch).
    ∂/∂grad = s(x), ∂/∂x = 0.
    """

    @staticmethod
    def forward(ctx: Node, grad: np.ndarray, x: np.ndarray, *, factor: np.ndarray) -> np.ndarray:
        ctx.factor = factor
        return _step_times(grad, factor)

    @staticmethod
    def backward(ctx: Node, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_grad, need_x = ctx.needs_input_grad
        x_shape, x_dtype = ctx.input_meta[1]
        return (
            StepScale.apply(g, Tensor._make(np.zeros(x_shape, x_dtype), None), factor=ctx.factor)
            if need_grad
            else None,
            Tensor._make(np.zeros(x_shape, x_dtype), None) if need_x else None,
        )

    @staticmethod
    def array_backward(ctx: Node, g: np.ndarray) -> tuple[Any, Any]:
        need_grad, need_x = ctx.needs_input_grad
        x_shape, x_dtype = ctx.input_meta[1]
        return (
            _step_times(g, ctx.factor) if need_grad else None,
            np.zeros(x_shape, x_dtype) if need_x else None,
        )


def step_scale(grad: Tensor, x: Tensor, factor: np.ndarray) -> Tensor:
    """``StepScale``: grad times the step function of x whose values are ``factor`` (a mask of
    where it is 1, or its values)."""
    return StepScale.apply(grad, x, factor=factor)


def _step_times(grad: np.ndarray, factor: np.ndarray) -> np.ndarray:
    if factor.dtype == np.bool_:
        return masked(grad, factor)
    return np.multiply(grad, factor, dtype=grad.dtype)


# The unsigned integer of each float's width, for ``masked``.
_UNSIGNED = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def masked(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` where ``keep`` holds, else exactly 0, in a new array.

    The gradient through the flat side of a kink (relu, clamp, hardtanh, ...) is 0 even when
    the incoming gradient is inf or nan: ``sqrt(relu(x))`` at x < 0 sends back 1/(2·√0) = inf,
    and relu must answer 0, as torch's masked backwards do, not 0·inf = nan. So not a product:
    the bits. ``keep`` as unsigned integers of the floats' width, negated (1 → all ones,
    0 → all zeros), ANDed with the floats' bits — a pass as cheap as a product, where
    ``np.where`` is several times slower on a random mask. (Small arrays take ``np.where``:
    one call.)
    """
    if values.size == 1 and keep.shape == values.shape:  # one element: looked at
        return np.array(values) if keep.item() else np.zeros(values.shape, values.dtype)
    unsigned = _UNSIGNED.get(values.dtype.itemsize)
    if values.size <= SMALL or keep.shape != values.shape or unsigned is None:
        return np.where(keep, values, 0.0)  # a Python 0.0 keeps values.dtype (NEP 50)
    out = np.empty(values.shape, values.dtype)  # an array of its own (not a view: the engine
    bits = out.view(unsigned)  # would copy a view before a leaf's .grad may keep it)
    np.copyto(bits, keep)
    np.negative(bits, out=bits)
    np.bitwise_and(values.view(unsigned), bits, out=bits)
    return out


def sign_array(x: np.ndarray) -> np.ndarray:
    """sign(x) ∈ {-1, 0, 1}, and 0 at NaN as torch's (NumPy's is NaN): so |x|' at NaN is 0."""
    out = np.sign(x)
    if out.dtype.kind == "f" and np.isnan(np.add.reduce(out, axis=None)):  # any NaN (rare)
        out = np.asarray(out)  # an array also for 0-d x
        out[np.isnan(out)] = 0
    return out


class Sign(Function):
    """sign(x) ∈ {-1, 0, 1}, and 0 at NaN (torch's).   Derivative 0 (a step function)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return sign_array(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad * 0.0

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return grad * 0.0


class Where(Function):
    """cond ? a : b.   ∂/∂a = cond, ∂/∂b = not cond (the condition gets no gradient)."""

    @staticmethod
    def forward(ctx: Node, cond: np.ndarray, a: Any, b: Any) -> np.ndarray:
        ctx.cond = cond
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor | None, Tensor | None]:
        _, need_a, need_b = ctx.needs_input_grad
        return (
            None,
            Where.apply(ctx.cond, grad, 0.0) if need_a else None,
            Where.apply(ctx.cond, 0.0, grad) if need_b else None,
        )

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> tuple[None, Any, Any]:
        _, need_a, need_b = ctx.needs_input_grad
        return (
            None,
            np.where(ctx.cond, grad, 0.0).astype(grad.dtype, copy=False) if need_a else None,
            np.where(ctx.cond, 0.0, grad).astype(grad.dtype, copy=False) if need_b else None,
        )


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """Elementwise choice: ``input`` where ``condition`` holds, ``other`` elsewhere."""
    from ..tensor import result_type

    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{cond.dtype}"
        )
    operands = [v if isinstance(v, Tensor) or np.isscalar(v) else Tensor(v) for v in (input, other)]
    from ..tensor import _check_broadcast

    shapes = [cond.shape] + [v.data.shape for v in operands if isinstance(v, Tensor)]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            _check_broadcast(tuple(a), tuple(b))
    target = result_type(*operands)
    input, other = (
        v.to(target) if isinstance(v, Tensor) and v.data.dtype != target else v for v in operands
    )
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = Tensor(np.asarray(input, dtype=target))
    return Where.apply(cond, input, other)


class Cast(Function):
    """a converted to ``dtype``; the gradient is converted back to a's dtype."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dtype: np.dtype) -> np.ndarray:
        ctx.dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.to(ctx.dtype)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return grad.astype(ctx.dtype)


class Clone(Function):
    """A copy of a.   ∂/∂a = 1."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        return a.copy()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return grad


# -- reductions ------------------------------------------------------------------------------


def _keepdim_shape(shape: tuple[int, ...], dim: tuple[int, ...] | None) -> tuple[int, ...]:
    """The shape of a reduction over ``dim`` with keepdim=True."""
    if dim is None:
        return (1,) * len(shape)
    return tuple(1 if i in dim else n for i, n in enumerate(shape))


class Sum(Function):
    """Σ a over ``dim`` (all axes if None).   ∂/∂a = 1: the gradient is spread back (expanded)."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, dim: tuple[int, ...] | None, keepdim: bool
    ) -> np.ndarray:
        ctx.shape = a.shape
        ctx.dim = dim
        # integers and booleans add up in int64, as in torch (NumPy: uint64 for unsigned)
        wide = np.int64 if a.dtype.kind in "biu" else None
        return np.asarray(np.sum(a, axis=dim, keepdims=keepdim, dtype=wide))

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        kept = _keepdim_shape(ctx.shape, ctx.dim)
        if grad.shape != kept:
            grad = grad.reshape(kept)
        return grad.expand(ctx.shape)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.reshape(grad, _keepdim_shape(ctx.shape, ctx.dim)), ctx.shape)


class Mean(Function):
    """Mean of a over ``dim``.   ∂/∂a = 1/n, spread back over the n reduced elements."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, dim: tuple[int, ...] | None, keepdim: bool
    ) -> np.ndarray:
        ctx.shape = a.shape
        ctx.dim = dim
        n = a.size if dim is None else int(np.prod([a.shape[d] for d in dim]))
        # sum/n rather than np.mean: the mean of nothing is nan, silently (as torch); float16
        # adds up in float32, as torch's CPU does (1000 × 100 would overflow float16)
        wide = np.float32 if a.dtype == np.float16 else None
        return np.asarray(np.sum(a, axis=dim, keepdims=keepdim, dtype=wide) / n, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        kept = _keepdim_shape(ctx.shape, ctx.dim)
        n = int(np.prod(ctx.shape)) // max(int(np.prod(kept)), 1)
        if grad.shape != kept:
            grad = grad.reshape(kept)
        return grad.expand(ctx.shape) / max(n, 1)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        kept = _keepdim_shape(ctx.shape, ctx.dim)
        n = int(np.prod(ctx.shape)) // max(int(np.prod(kept)), 1)
        return np.broadcast_to(np.reshape(grad, kept), ctx.shape) / max(n, 1)


class MaxAll(Function):
    """max (or min) over all elements.   ∂/∂a = 1/k at each of the k tied extremes, else 0."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, largest: bool) -> np.ndarray:
        if a.size == 0:
            raise RuntimeError(
                f"{'max' if largest else 'min'}(): Expected reduction dim to be specified for "
                "input.numel() == 0. Specify the reduction dim with the 'dim' argument."
            )
        out = np.asarray(a.max() if largest else a.min())
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        a, out = ctx.saved_tensors
        # The maximum is shared by its ties; a nan maximum is the nan entries' (as torch).
        ties = np.isnan(a.data) if np.isnan(out.data) else a.data == out.data
        return grad * Tensor._make(ties / ties.sum(dtype=a.dtype), None)


class MaxDim(Function):
    """max (or min) along ``dim``.   ∂/∂a = 1 at the returned index, else 0 (as torch)."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int, keepdim: bool
    ) -> np.ndarray:
        idx = np.expand_dims(indices, dim)  # the arg-max (or arg-min), found by the caller
        ctx.indices, ctx.dim, ctx.shape, ctx.keepdim = idx, dim, a.shape, keepdim
        out = np.take_along_axis(a, idx, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return ScatterAlong.apply(grad, indices=ctx.indices, dim=ctx.dim, shape=ctx.shape)


class ScatterAlong(Function):
    """Zeros of ``shape`` with ``a`` placed at ``indices`` along ``dim`` (MaxDim's backward)."""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int, shape: tuple[int, ...]
    ) -> np.ndarray:
        ctx.indices, ctx.dim = indices, dim
        out = np.zeros(shape, dtype=a.dtype)
        np.put_along_axis(out, indices, a, axis=dim)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return TakeAlong.apply(grad, indices=ctx.indices, dim=ctx.dim)


class TakeAlong(Function):
    """The entries of ``a`` at ``indices`` along ``dim`` (ScatterAlong's backward)."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, indices: np.ndarray, dim: int) -> np.ndarray:
        ctx.indices, ctx.dim, ctx.shape = indices, dim, a.shape
        return np.take_along_axis(a, indices, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return ScatterAlong.apply(grad, indices=ctx.indices, dim=ctx.dim, shape=ctx.shape)


# What max(dim)/min(dim) return: a pair with names, as torch's ``torch.return_types.max``.
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])


def max_or_min(t: Tensor, dim: int | None, keepdim: bool, largest: bool) -> Any:
    """``Tensor.max``/``min``: a Tensor without ``dim``, a ``(values, indices)`` pair with it."""
    from ..tensor import _check_dim

    if dim is None:
        return MaxAll.apply(t, largest=largest)
    if t.data.ndim == 0:
        _check_dim(dim, 0)
        result = MaxResult if largest else MinResult
        return result(t, Tensor._make(np.asarray(0), None))
    dim = _check_dim(dim, t.data.ndim)
    if t.data.shape[dim] == 0:
        name = "max" if largest else "min"
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
    idx = (np.argmax if largest else np.argmin)(t.data, axis=dim)
    values = MaxDim.apply(t, indices=idx, dim=dim, keepdim=keepdim)
    if keepdim:
        idx = np.expand_dims(idx, dim)
    result = MaxResult if largest else MinResult
    return result(values, Tensor._make(np.asarray(idx, dtype=np.int64), None))


# -- shape -----------------------------------------------------------------------------------


class Reshape(Function):
    """a with a new shape.   The gradient is reshaped back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        out = a.reshape(shape)
        ctx.view_of_input = np.may_share_memory(out, a)  # a copy when a is not contiguous
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.reshape(ctx.shape)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return np.reshape(grad, ctx.shape)


class Transpose(Function):
    """a with axes ``dim0`` and ``dim1`` swapped.   The gradient is swapped back."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dim0: int, dim1: int) -> np.ndarray:
        ctx.dim0, ctx.dim1 = dim0, dim1
        ctx.view_of_input = True
        return np.swapaxes(a, dim0, dim1)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.transpose(ctx.dim0, ctx.dim1)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return np.swapaxes(grad, ctx.dim0, ctx.dim1)


class Permute(Function):
    """a with its axes reordered to ``dims``.   The gradient gets the inverse order."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        ctx.view_of_input = True
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.permute(tuple(np.argsort(ctx.dims)))

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return np.transpose(grad, tuple(np.argsort(ctx.dims)))


class Expand(Function):
    """a broadcast to ``shape``.   The gradient is summed back over the broadcast axes."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = a.shape
        ctx.view_of_input = True
        out = np.broadcast_to(a, shape)  # read-only: in place, one element in many places
        if a.flags.writeable and not any(s == 0 and n > 1 for s, n in zip(out.strides, shape)):
            # nothing repeated (new axes of 1, or no elements): as writable as a, as torch's
            out = np.lib.stride_tricks.as_strided(a, shape, out.strides)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad.sum_to_size(ctx.shape)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        return sum_to_shape(grad, ctx.shape)


class Index(Function):
    """a[index] (NumPy indexing).   The gradient is added back at the indexed places."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, index: Any) -> np.ndarray:
        ctx.index, ctx.shape = index, a.shape
        out = np.asarray(a[_element_as_view(index)])
        ctx.view_of_input = np.may_share_memory(out, a)  # basic indexing; index arrays copy
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return IndexAdd.apply(grad, index=ctx.index, shape=ctx.shape)

    @staticmethod
    def array_backward(ctx: Node, grad: np.ndarray) -> np.ndarray:
        out = np.zeros(ctx.shape, dtype=grad.dtype)
        np.add.at(out, ctx.index, grad)
        return out


def _element_as_view(index: Any) -> Any:
    """An index of integers alone picks one element: NumPy returns a copy of it (a scalar),
    torch a 0-d view (``x[0].mul_(2)`` changes x); followed by an Ellipsis, NumPy's too."""
    whole = index if isinstance(index, tuple) else (index,)
    if all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in whole):
        return (*whole, Ellipsis)
    return index


class IndexAdd(Function):
    """Zeros of ``shape`` with ``a`` added at ``index`` (repeats add up). Index's backward."""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, *, index: Any, shape: tuple[int, ...]) -> np.ndarray:
        ctx.index = index
        out = np.zeros(shape, dtype=a.dtype)
        np.add.at(out, index, a)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return Index.apply(grad, index=ctx.index)


class IndexPut(Function):
    """``a`` with ``v`` written at ``index`` (``a[index] = v``, recorded out of place).

    ∂/∂a = grad with zeros at ``index`` (those values were overwritten); ∂/∂v = grad at
    ``index``, summed back to v's shape (v was broadcast there). Saves nothing.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, v: Any, *, index: Any) -> np.ndarray:
        ctx.index = index
        out = a.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_a, need_v = ctx.needs_input_grad
        meta = ctx.input_meta[1]
        grad_a = grad_v = None
        if need_a:
            zeros = np.zeros(np.shape(grad.data[ctx.index]), grad.data.dtype)
            grad_a = IndexPut.apply(grad, Tensor._make(zeros, None), index=ctx.index)
        if need_v:
            grad_v = Index.apply(grad, index=ctx.index)
            if meta is not None and grad_v.shape != meta[0]:
                grad_v = grad_v.sum_to_size(meta[0]) if meta[0] else grad_v.sum()
        return grad_a, grad_v


class Cat(Function):
    """The inputs joined along ``dim``.   Each input's gradient is its slice of ``grad``."""

    @staticmethod
    def forward(ctx: Node, *arrays: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        ctx.bounds = np.cumsum([0] + [a.shape[dim] for a in arrays])
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        grads = []
        for need, lo, hi in zip(ctx.needs_input_grad, ctx.bounds[:-1], ctx.bounds[1:]):
            index: list[Any] = [slice(None)] * grad.ndim
            index[ctx.dim] = slice(int(lo), int(hi))
            grads.append(grad[tuple(index)] if need else None)
        return tuple(grads)


def _tensor_list(tensors: Any, empty: Exception) -> list[Tensor]:
    """cat's and stack's argument as a list of Tensors, or torch's error (``empty`` if none)."""
    tensors = list(tensors)
    if not tensors:
        raise empty
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return tensors


def cat(tensors: Any, dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension ``dim`` (as ``torch.cat``)."""
    from ..tensor import _check_dim, result_type

    tensors = _tensor_list(tensors, ValueError("torch.cat(): expected a non-empty list of Tensors"))
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    target = result_type(*tensors)
    tensors = [t if t.data.dtype == target else t.to(target) for t in tensors]
    solid = [t for t in tensors if t.shape != (0,)]
    if not solid:  # only empty vectors: one empty vector, whatever dim says (torch)
        return Cat.apply(*tensors, dim=0)
    dim = _check_dim(dim, solid[0].ndim)
    # torch's legacy rule: a 1-D empty tensor joins anything, as an empty block of the others'
    # shape (still in the graph: its gradient is empty too)
    block = list(solid[0].shape)
    block[dim] = 0
    joined = [t.reshape(block) if t.shape == (0,) and len(block) != 1 else t for t in tensors]
    first = solid[0].shape
    for i, t in enumerate(joined):
        if t.ndim != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {t.ndim}"
            )
        for d, (a, b) in enumerate(zip(first, t.shape)):
            if d != dim and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size {a} "
                    f"but got size {b} for tensor number {i} in the list."
                )
    return Cat.apply(*joined, dim=dim)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension ``dim`` (as ``torch.stack``): each
    gets an axis of length 1 there, then ``cat``."""
    from ..tensor import _check_dim

    tensors = _tensor_list(tensors, RuntimeError("stack expects a non-empty TensorList"))
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} "
                f"at entry 0 and {list(t.shape)} at entry {i}"
            )
    dim = _check_dim(dim, tensors[0].ndim + 1)
    return cat([t.unsqueeze(dim) for t in tensors], dim=dim)
