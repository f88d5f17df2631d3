"""torch's rounding ops and remainders as ops: floor, ceil, trunc, round (their derivative is
0), the fractional part, remainder (Python's %) and fmod (C's).

Each op is a ``Function``: ``forward`` on NumPy arrays and one ``backward`` rule, which runs on
arrays (a first-order pass) and on Tensors (``create_graph``) alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.function import Function, Node
from .basic import array_of

# -- rounding: steps, whose derivative is 0 ------------------------------------------------------


class Step(Function):
    """The base of the rounding ops: a piecewise constant function, whose derivative is 0
    everywhere (torch's zeros, also at the jumps). The zeros are a constant: their own
    derivative is None, as torch's."""

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return np.zeros_like(array_of(grad))


class Floor(Step):
    """⌊x⌋, the largest integer ≤ x.   ∂/∂x = 0."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.floor(x)


class Ceil(Step):
    """⌈x⌉, the smallest integer ≥ x.   ∂/∂x = 0."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.ceil(x)


class Trunc(Step):
    """x rounded towards 0.   ∂/∂x = 0."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.trunc(x)


class Round(Step):
    """x rounded to ``decimals`` decimal places, halves to even.   ∂/∂x = 0.

    As torch: rint(x·10ᵈ)/10ᵈ, or rint(x/10⁻ᵈ)·10⁻ᵈ for d < 0, with 10^|d| in x's dtype
    (float16 computes in float32).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, *, decimals: int = 0) -> np.ndarray:
        if decimals == 0:
            return np.rint(x)
        wide = np.float32 if x.dtype == np.float16 else x.dtype
        scale = np.power(np.float64(10.0), abs(decimals)).astype(wide)
        x_wide = x.astype(wide, copy=False)
        if decimals > 0:
            return (np.rint(x_wide * scale) / scale).astype(x.dtype, copy=False)
        return (np.rint(x_wide / scale) * scale).astype(x.dtype, copy=False)


class Frac(Function):
    """x - trunc(x), the fractional part, of x's sign (NaN at ±inf).   ∂/∂x = 1."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        return grad


class Remainder(Function):
    """a mod b = a - b·⌊a/b⌋, of b's sign (Python's %).

    As torch: C's fmod(a, b) (of a's sign, exact), plus b where the two signs differ; so a zero
    keeps a's sign (-4 mod 2 is -0, where NumPy's remainder says +0).
    ∂/∂a = 1,  ∂/∂b = -q, q = ⌊a/b⌋ (``quotient``; a step function of a and b: a constant of
    the graph, as torch). Saves both inputs.
    """

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        mod = np.fmod(a, b)
        return np.where((mod != 0) & ((mod < 0) != (b < 0)), mod + b, mod)

    @staticmethod
    def quotient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.floor_divide(a, b)

    @classmethod
    def backward(cls, ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        quotient = cls.quotient(array_of(a), array_of(b))
        return grad if need_a else None, -grad * quotient if need_b else None


class Fmod(Remainder):
    """C's fmod(a, b) = a - b·trunc(a/b), of a's sign and exact (torch's ``fmod``; NaN for a
    float b = 0).   ∂/∂a = 1,  ∂/∂b = -trunc(a/b) (the backward is ``Remainder``'s with this
    quotient). Saves both inputs.
    """

    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.fmod(a, b)

    @staticmethod
    def quotient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.trunc(np.divide(a, b))
