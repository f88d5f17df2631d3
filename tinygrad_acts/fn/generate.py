"""``fn.random``: random compositions, to explore what compositions can express.

A composition of ``depth`` layers, each a weighted sum of ``width`` activations of the layer
below — a one-input network written as a formula:

    h₀ = x,    h_{k+1} = Σⱼ aⱼ · σⱼ(wⱼ · h_k + bⱼ),    f = h_depth

The weights are drawn from N(0, 1) and rounded to two decimals, so the formula stays legible;
the activations σⱼ are drawn from ``activations``. The same seed gives the same function.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..registry import ACTIVATIONS
from . import functions
from .expr import BinOp, Call, Const, Expr, X


def random(
    depth: int,
    width: int = 2,
    activations: Sequence[str] | None = None,
    seed: int | None = None,
) -> Expr:
    """A random composition ``depth`` layers deep and ``width`` units wide.

    ``activations`` defaults to every elementwise activation of the registry (required
    parameters, as threshold's, take the registry's sample values). ``seed`` goes to
    ``numpy.random.default_rng``.
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"random(): depth must be a non-negative integer, got {depth!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"random(): width must be a positive integer, got {width!r}")
    if isinstance(activations, str):
        raise TypeError(
            f"random(): activations must be a list of names, got the str {activations!r} "
            f"(write activations=[{activations!r}])"
        )
    if activations is None:
        names = [n for n in functions.names() if n not in functions.ELEMENTARY]
    else:
        names = list(activations)
    if not names:
        raise ValueError("random(): activations must name at least one function")
    for name in names:
        if functions.not_one_variable(name):
            raise ValueError(
                f"random(): {name} is not elementwise (it mixes the entries along dim), so it "
                "is not a function of one variable"
            )
        if not functions.is_function(name):
            raise ValueError(
                f"random(): unknown function {name!r}"
                + functions.suggest(str(name), functions.names())
            )
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise ValueError(f"random(): seed must be a non-negative integer or None, got {seed!r}")
    rng = np.random.default_rng(seed)

    def weight() -> float:
        return round(float(rng.normal()), 2)

    h: Expr = X
    for _ in range(depth):
        layer: Expr | None = None
        for _ in range(width):
            name = names[int(rng.integers(len(names)))]
            params = {} if name in functions.ELEMENTARY else ACTIVATIONS[name].sample_params
            a, w, b = weight(), weight(), weight()
            unit = Call(name, _plus(w * h, b), dict(params))
            layer = a * unit if layer is None else _plus(layer, a * unit)
        h = layer  # type: ignore[assignment]
    return h


def _plus(f: Expr, term: Expr | float) -> Expr:
    """f + c, written f - |c| when c is a negative number (``0.5*x - 1.3``, not ``+ -1.3``)."""
    if isinstance(term, float) and term < 0:
        return f - (-term)
    if isinstance(term, BinOp) and term.op == "*" and isinstance(term.args[0], Const):
        c = term.args[0].value
        if c < 0:
            return f - (-c) * term.args[1]
    return f + term
