"""The two classic figures: the basic activations, and what composing them can draw.

docs/composition.md shows the code that draws each, beside it; this module is that code.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .curves import curves, point_count

BASIC = ("sigmoid", "tanh", "hardtanh", "relu", "leaky_relu", "softplus")
CLASSIC_RANGE = (-3.0, 3.0)
# Inches: three panels across fit beside their code in the docs, at the size they are written.
PANEL_SIZE = (2.0, 1.65)


def composition_panels() -> list:
    """The nine functions A, B, A+B, C, D, C+D, C(A+B), D(A+B), C(A+B) + D(A+B).

    Four tanh units, each a line bent once; sums add the bends, and composing a sum bends
    it again, so a few units draw ever more complex shapes.
    """
    from .. import fn

    x = fn.x
    A = fn.tanh(1 * x + 0.5).named("A")
    B = fn.tanh(-2 * x - 1.5).named("B")
    C = fn.tanh(-3 * x + 1.5).named("C")
    D = fn.tanh(4 * x + 1.0).named("D")
    return [A, B, A + B, C, D, C + D, C(A + B), D(A + B), C(A + B) + D(A + B)]


def classic_figures(points: int = 601) -> tuple[Figure, Figure]:
    """The six basic activations with f' on [-3, 3], and the nine composition panels.

    No figure title: like a textbook's, each figure is captioned by the text around it.
    """
    x = np.linspace(*CLASSIC_RANGE, point_count(points))
    basic = curves(
        list(BASIC),
        x,
        derivatives=(0, 1),
        formulas=False,
        panel_size=PANEL_SIZE,
    )
    composed = curves(
        composition_panels(),
        x,
        derivatives=(0,),
        panel_size=PANEL_SIZE,
    )
    return basic, composed
