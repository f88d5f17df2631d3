"""The ELU family on arrays: f(x) = scale·x for x > 0, else scale·α·expm1(x/d), and from the same
forward pass e^{min(x, 0)/d}, which every derivative is a multiple of.

Both exponentials are needed for accuracy: expm1 keeps f's digits near 0, where e^q - 1
cancels, and e^q keeps the derivative's digits in the left tail, where expm1(q) + 1 cancels
(x = -30 would keep 3 of 16). The forward computes both, so the backward is one product.

q = min(x, 0)/d is rounded unless d is a power of two, and e^q magnifies that by |q| (celu
with α = 3 lost 200 ulps at x = -800): its residual r = min(x, 0)/d - q is carried, as
e^{q + r} = e^q·(1 + r) and expm1(q + r) = expm1(q) + e^q·r.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrays import clip, scaled
from .rounding import exact_in_binary, quotient_residual


def elu_parts(
    x: np.ndarray, alpha: float, scale: float, divisor: float
) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), e^{min(x, 0)/d}) in two new arrays.

    f = scale·α·expm1(min(x, 0)/d) + scale·max(x, 0): each term is 0 on the other side, so
    the sum is exact. Where α/d ≤ 1 (elu with α ≤ 1, celu) α·expm1(x/d) ≥ x for x ≤ 0 (it is
    convex, and its slope at 0 is at most 1), and the sum is a maximum, one pass fewer.
    """
    out = clip(x, -np.inf, 0.0, out=np.empty_like(x))  # an array also for 0-d x
    if divisor != 1.0:
        out /= divisor
    residual = _residual(x, out, divisor)
    exp = np.exp(out, out=np.empty_like(out))
    np.expm1(out, out=out)
    if residual is not None:  # (where finite: α < 0 may send q to +inf)
        out += np.where(residual != 0.0, exp * residual, 0.0)
        exp *= 1.0 + residual
    if scale == 1.0 and 0.0 < alpha <= divisor:
        if alpha != 1.0:
            out *= alpha
        np.maximum(out, x, out=out)  # NaN stays NaN
        return out, exp
    if alpha * scale != 1.0:
        out *= alpha * scale
    positive = clip(x, 0.0, np.inf)
    if scale != 1.0:
        positive *= scale
    out += positive
    return out, exp


def elu_exp(x: np.ndarray, divisor: float) -> np.ndarray:
    """e^{min(x, 0)/d} in one new array (the residual of the division carried)."""
    out = clip(x, -np.inf, 0.0, out=np.empty_like(x))  # clamped: e^{x/d} of x > 0 could overflow
    if divisor != 1.0:
        out /= divisor
    residual = _residual(x, out, divisor)
    np.exp(out, out=out)
    if residual is not None:
        out *= 1.0 + residual
    return out


def elu_derivative_array(
    x: np.ndarray,
    exp: np.ndarray,
    alpha: float,
    scale: float,
    divisor: float,
    order: int,
    grad: Any = None,
) -> np.ndarray:
    """grad·f⁽ⁿ⁾(x) of the ELU family in one new array (f⁽ⁿ⁾ without ``grad``), given
    exp = e^{min(x, 0)/d}.

    f'(x) = scale for x > 0, else scale·(α/d)·e^{x/d} (x = 0 included);
    f⁽ⁿ⁾(x) = scale·(α/dⁿ)·e^{x/d} for x < 0, else 0 (n ≥ 2).
    """
    factor = scale * alpha / divisor**order
    if order == 1 and factor == 1.0 and grad is not None:  # elu, celu: f' is exp itself
        return np.multiply(exp, grad)
    out = np.multiply(exp, factor, out=np.empty_like(exp))
    if order > 1:
        out *= x < 0  # 0 from x = 0 on (and NaN·0 = NaN)
    elif factor != scale:  # for x > 0, e^0·factor is factor: scale - factor is added there
        # (a mask multiplied in: np.copyto or np.where with a random mask cost ten passes)
        exact = out.dtype.type(scale) - out.dtype.type(factor)
        if factor / 2 <= scale <= 2 * factor:  # selu: scale - factor is exact, so the sum is
            out += np.multiply(x > 0, exact, dtype=out.dtype)  # scale to the bit
        else:
            out *= x <= 0
            out += np.multiply(x > 0, scale, dtype=out.dtype)
    return scaled(out, grad)


def _residual(x: np.ndarray, q: np.ndarray, divisor: float) -> np.ndarray | None:
    """min(x, 0)/d - q for q = fl(min(x, 0)/d), in x's dtype; None when the division is exact."""
    if exact_in_binary(divisor):
        return None
    return quotient_residual(np.minimum(x, 0.0), divisor, q).astype(x.dtype, copy=False)
