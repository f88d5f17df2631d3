"""Composing simple non-linear functions bends a line into ever more complex shapes.

Four tanh units of a line each, A(x) = tanh(x + 0.5), B(x) = tanh(-2x - 1.5),
C(x) = tanh(-3x + 1.5) and D(x) = tanh(4x + 1), and nine ways of putting them together:

    A, B, A + B, C, D, C + D, C(A + B), D(A + B), C(A + B) + D(A + B)

A sum of units adds their bends; feeding one into another (C(A + B)) folds the curve. The last
panel is a two-layer network with two hidden units written as a formula.

Run:  python examples/compose_tanh.py [out.png]
Prints each panel's formula and values at a few points; with matplotlib, saves the nine panels
(to out.png, by default compose_tanh.png in the temporary folder, as every example does).
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

from tinygrad_acts import fn

x = fn.x
A = fn.tanh(1 * x + 0.5).named("A")
B = fn.tanh(-2 * x - 1.5).named("B")
C = fn.tanh(-3 * x + 1.5).named("C")
D = fn.tanh(4 * x + 1.0).named("D")

PANELS = [A, B, A + B, C, D, C + D, C(A + B), D(A + B), C(A + B) + D(A + B)]
POINTS = [-2.0, -1.0, 0.0, 1.0, 2.0]


def main(out: str | None = None) -> None:
    print("where", ", ".join(f"{p.name} = {p.body}" for p in (A, B, C, D)))
    print(f"{'panel':<22}" + "".join(f"{'x=' + str(p):>10}" for p in POINTS))
    for f in PANELS:
        values = f(POINTS)  # a list in, a float64 array out
        print(f"{f!s:<22}" + "".join(f"{v:10.5f}" for v in values))
    print("\nwritten out, the last panel is")
    print("  ", PANELS[-1].expand())

    try:
        from tinygrad_acts import plot
    except ImportError:
        print("\n(matplotlib is not installed: no picture)")
        return
    # The figure of docs/composition.md: one curve per panel, each on its own y-range.
    fig = plot.curves(PANELS, np.linspace(-3, 3, 601), derivatives=(0,), panel_size=(2.0, 1.65))
    out = out or os.path.join(tempfile.gettempdir(), "compose_tanh.png")
    fig.savefig(out, dpi=150)
    print(f"\nsaved the nine panels to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
