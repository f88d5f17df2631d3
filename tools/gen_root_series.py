"""Generate ``tinygrad_acts/kernels/_root_series.py``: Taylor series of f' and f'' about roots.

Near a root r of a derivative, every formula that adds terms cancels: silu''(x) = σ'(x)·(2 -
x·tanh(x/2)) loses as many digits as 2 and x·tanh(x/2) share. A Taylor series in d = x - r,
with r carried as two doubles, gives those values to a few ulps instead. The roots and
coefficients come from the 50-digit reference formulas of tests/reference.py (mpmath):

    python tools/gen_root_series.py > tinygrad_acts/kernels/_root_series.py

Each series has its own window r - below < x < r + above (``WINDOWS``) and as many terms as
keep its truncation error under ``TRUNCATION`` ulp of the value over that window; the measured
truncation error and the error of the float64 evaluation (as ``patch_near_roots`` does it) are
printed to stderr.
"""

from __future__ import annotations

import os
import sys

import mpmath as mp
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from reference import REFERENCE

CASES = {"gelu": (1, 2), "gelu_tanh": (1, 2), "silu": (1, 2), "mish": (1, 2)}

# (below, above) for each root, in the order of roots(): the series is used for
# r - below < x < r + above. Chosen from a float64 scan of the dense formulas against the
# 50-digit reference (every 1e-4 on r ± 1.6, in units of spacing(f)): each side ends where the
# dense formula stays within 4 ulps beyond it. Where it never does within 0.8 — the formula's
# own error far from the root is above 4 ulps there (B, the largest beyond 1.0) — the side ends
# where the error beyond it is at most B + 1, i.e. where the cancellation's excess is gone; no
# side is wider than 0.8. The dense error beyond each side, as measured:
WINDOWS = {
    ("gelu", 1): [(0.80, 0.75)],  # 5.9 (0.80..0.95; 4.5 beyond), 3.9
    ("gelu", 2): [(0.45, 0.25), (0.25, 0.45)],  # outer 5.0 (B 4.1), inner 3.3
    ("gelu_tanh", 1): [(0.55, 0.45)],  # 7.1 (B 7.0), 2.7
    ("gelu_tanh", 2): [(0.70, 0.75), (0.75, 0.70)],  # outer 10.2 (B 9.3), inner 4.0
    ("silu", 1): [(0.15, 0.15)],  # 3.5, 3.5: the form e^x(1 + x + e^x)/(1 + e^x)²
    ("silu", 2): [(0.75, 0.50), (0.50, 0.75)],  # outer 3.5, inner 4.0 / 4.1 (B 4.1)
    ("mish", 1): [(0.10, 0.10)],  # 4.3, 5.2 (B 5.1): the form (E/D)·(Q/D), Q with 4(1 + x)
    ("mish", 2): [(0.45, 0.80), (0.60, 0.80)],  # 8.8 (B 8.0), 5.9; 4.5, 10.2 (B 8.1)
}
TRUNCATION = 0.25  # ulps (of spacing(f)) the dropped terms may contribute, at most
MAX_TERMS = 40


def roots(name: str, order: int) -> list:
    found = []
    with mp.workdps(60):
        f = lambda t: REFERENCE[name](t)[order]  # noqa: E731
        grid = [mp.mpf(-10) + k * mp.mpf("0.01") for k in range(2001)]
        values = [f(t) for t in grid]
        for a, b, fa, fb in zip(grid, grid[1:], values, values[1:]):
            if fa == 0 or fa * fb < 0:
                found.append(mp.findroot(f, (a, b), solver="anderson"))
    return found


def horner(coeffs: list[float], d: np.ndarray) -> np.ndarray:
    """Σ c_k d^k, k ≥ 1, in float64 exactly as ``patch_near_roots`` evaluates it."""
    series = np.zeros_like(d)
    for c in reversed(coeffs):
        series *= d
        series += c
    return series * d


def fit(name: str, order: int, r, below: float, above: float) -> tuple[float, float, list]:
    """(r_hi, r_lo, coefficients) with as few terms as the window allows; prints the errors."""
    with mp.workdps(150):  # 120 digits already give every coefficient to 20
        exact = mp.taylor(lambda t: REFERENCE[name](t)[order], r, MAX_TERMS)[1:]
    r_hi = float(r)
    r_lo = float(r - mp.mpf(r_hi))
    # Points of the window, as float64 inputs, and their 50-digit values.
    xs = np.linspace(r_hi - below, r_hi + above, 801)[1:-1]
    xs = xs[xs != r_hi]
    with mp.workdps(80):
        ds = [mp.mpf(float(x)) - r for x in xs]
        true = [REFERENCE[name](mp.mpf(float(x)))[order] for x in xs]
        ulp = [mp.mpf(float(np.spacing(abs(float(v))))) for v in true]
        # tails[n]: the largest |f - Σ_{k ≤ n} c_k d^k| over the window, in ulps of f.
        tails = [mp.mpf(0)] * (MAX_TERMS + 1)
        for d, v, u in zip(ds, true, ulp):
            partial, power = mp.mpf(0), mp.mpf(1)
            for n, c in enumerate(exact, 1):
                power *= d
                partial += c * power
                tails[n] = max(tails[n], abs(v - partial) / u)
        terms = next((n for n in range(1, MAX_TERMS + 1) if tails[n] < TRUNCATION), MAX_TERMS)
        worst = tails[terms]
        if worst >= TRUNCATION:
            print(f"{name} order {order}: {MAX_TERMS} terms do not suffice", file=sys.stderr)
        coeffs = [float(c) for c in exact[:terms]]
        d64 = (xs - r_hi) - r_lo
        ours = horner(coeffs, d64)
        evaluated = max(abs(mp.mpf(float(o)) - v) / u for o, v, u in zip(ours, true, ulp))
    print(
        f"{name} order {order}: root {mp.nstr(r, 20)}, window -{below}/+{above}, {terms} terms:"
        f" truncation {float(worst):.3f} ulp, float64 series {float(evaluated):.2f} ulp",
        file=sys.stderr,
    )
    return r_hi, r_lo, coeffs


def main() -> None:
    lines = [
        "\"\"\"Taylor series of f', f'' about their roots: (r_hi, r_lo, Series(below, above, c)).",
        "",
        "f^(order)(x) = Σ c_k·d^k (k ≥ 1) with d = (x - r_hi) - r_lo, used for r - below < x <",
        "r + above: each series has its own window and number of terms. Generated by",
        "tools/gen_root_series.py from the 50-digit reference; do not edit by hand.",
        '"""',
        "",
        "from typing import NamedTuple",
        "",
        "",
        "class Series(NamedTuple):",
        "    below: float  # the window is r - below < x < r + above",
        "    above: float",
        "    coeffs: list  # c1, c2, ...: f^(order)(r + d) = Σ c_k·d^k",
        "",
        "",
        "SERIES = {",
    ]
    for name, orders in CASES.items():
        for order in orders:
            lines.append(f"    ({name!r}, {order}): [")
            found = roots(name, order)
            assert len(found) == len(WINDOWS[name, order]), (name, order, found)
            for r, (below, above) in zip(found, WINDOWS[name, order]):
                r_hi, r_lo, coeffs = fit(name, order, r, below, above)
                lines.append("        (")
                lines.append(f"            {r_hi!r},")
                lines.append(f"            {r_lo!r},")
                lines.append("            Series(")
                lines.append(f"                {below!r},")
                lines.append(f"                {above!r},")
                lines.append("                [")
                lines += [f"                    {c!r}," for c in coeffs]
                lines.append("                ],")
                lines.append("            ),")
                lines.append("        ),")
            lines.append("    ],")
    lines.append("}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
