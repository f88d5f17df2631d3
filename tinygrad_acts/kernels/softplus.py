"""softplus(x) = log(1 + e^x) and what mish is made of: t = tanh(softplus(x)),
S = sech²(softplus(x)) = 1 - t², and mish'(x) = t + x·S·σ(x) — each from one exponential, in
a form that neither overflows nor cancels at either end.
"""

from __future__ import annotations

import numpy as np

from .arrays import clip, largest, smallest

# Past |x| = 1e4 every exponential in mish and its derivatives is 0 or 1 (or overflows): x
# clamped there changes no value, and keeps products like 4x and x·(-2) finite.
MISH_FAR = 1e4


def log1p_exp(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}): exact for large |z| in both directions.

    In one new array, worked in in place (np.clip with an infinite bound is NumPy's fastest max).
    """
    out = np.abs(z, out=np.empty_like(z))
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += clip(z, 0.0, np.inf)
    return out


def tanh_softplus(x: np.ndarray) -> np.ndarray:
    """t = tanh(softplus(x)) from w = e^{-|x|} ≤ 1, without overflow.

    With n = e^x(e^x + 2), t = n/(n + 2); for x ≥ 0 numerator and denominator are divided by
    e^{2x}: t = (1 + 2w)/(1 + 2w + 2w²).
    """
    w = np.exp(-np.abs(x))
    n = w * (w + 2.0)  # n for x < 0
    return np.where(x >= 0, (1.0 + 2.0 * w) / (1.0 + 2.0 * w * (1.0 + w)), n / (n + 2.0))


def sech2_softplus(x: np.ndarray) -> np.ndarray:
    """S = sech²(softplus(x)) = 1 - t² = 4(n + 1)/(n + 2)², from w = e^{-|x|}.

    For x ≥ 0 in w: 4w²(1 + w)²/(1 + 2w + 2w²)², which keeps its digits where 1 - t² is 0.
    """
    w = np.exp(-np.abs(x))
    d_pos = 1.0 + 2.0 * w * (1.0 + w)
    n = w * (w + 2.0)
    return np.where(
        x >= 0,
        4.0 * (w * (1.0 + w)) ** 2 / (d_pos * d_pos),
        4.0 * (n + 1.0) / ((n + 2.0) * (n + 2.0)),
    )


def mish_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x̂ = x within [-1e4, 40], E = e^x̂ and n = E·(E + 2) = e^{2·softplus(x̂)} - 1: two new
    arrays, three when x reaches past those bounds (else x̂ is x itself).

    Then t = tanh(softplus(x)) = n / (n + 2), with no cancellation at either end. Past x = 40
    (20 in float32), t = 1 and mish' = 1 to the last bit (1 - t ≈ 2e^{-2x}): the cap only keeps
    n and mish' from overflowing.
    """
    cap = 40.0 if x.dtype == np.float64 else 20.0  # float32: E⁴ must not overflow either
    if smallest(x) >= -MISH_FAR and largest(x) <= cap:  # (NaN passes) the usual case: x itself
        capped = x
    else:  # below -1e4, E = 0 already; the floor keeps 4x finite (4x·E would be -inf·0 at -1.8e308)
        capped = clip(x, -MISH_FAR, cap, out=np.empty_like(x))
    e = np.exp(capped, out=np.empty_like(capped))
    n = e + 2.0
    n *= e
    return capped, e, n


def mish_derivative_array(x: np.ndarray) -> np.ndarray:
    """mish'(x) in one new array (``mish_derivative_from_parts``, with the parts computed)."""
    capped, e, d = mish_parts(x)
    d += 2.0
    return mish_derivative_from_parts(x, capped, e, d)


def mish_derivative_from_parts(
    x: np.ndarray, capped: np.ndarray, e: np.ndarray, d: np.ndarray
) -> np.ndarray:
    """mish'(x) = t + x·S·σ(x) = (E/D)·(Q/D),  D = (1 + E)² + 1,
    Q = E·(E² + 4E + 6 + 4x) + 4(1 + x)  (E = e^x), in one new array, from x̂ and E of
    ``mish_parts`` and D = n + 2 (the forward's, kept for the backward).

    From t = E(E + 2)/D, S = 4(1 + E)²/D² and σ = E/(1 + E), one exponential. Near mish's root
    (-1.19) Q cancels, as any form of mish' does; written so, 4x, 6 + 4x and 4 + 4x are exact
    there and only E carries a rounding: within 5.2 ulps from 0.1 of the root on (the formula's
    own level), where ``roots.patch_near_roots`` stops (E·((E + 2)·D + 4x(1 + E)) needed 0.65).
    """
    linear = np.multiply(capped, 4.0, out=np.empty_like(capped))  # an array also for 0-d x
    linear += 6.0  # 6 + 4x, exact near the root: added whole, not 4x then 6
    q = np.add(e, 4.0, out=np.empty_like(e))
    q *= e
    q += linear  # E² + 4E + 6 + 4x
    q *= e
    linear -= 2.0  # 4 + 4x, exact again near the root
    q += linear  # Q
    q /= d
    q *= np.divide(e, d, out=linear)  # E/D, into the array linear is done with
    # mish'(±inf) = ±inf·0: nan, as torch (x̂ is x itself when x holds no infinity)
    if capped is not x and (largest(x) == np.inf or smallest(x) == -np.inf):
        q[np.isinf(x)] = np.nan
    return q
