"""The two classic figures: the basic activations, and what composing them can draw."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .curves import curves, point_count

BASIC = ("sigmoid", "tanh", "hardtanh", "relu", "leaky_relu", "softplus")
CLASSIC_RANGE = (-3.0, 3.0)


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
    """The six basic activations on [-3, 3], and the nine composition panels."""
    x = np.linspace(*CLASSIC_RANGE, point_count(points))
    basic = curves(list(BASIC), x, derivatives=(0, 1), title="Six basic activations and f'")
    composed = curves(
        composition_panels(), x, derivatives=(0,), title="Composing tanh units bends a line"
    )
    return basic, composed
