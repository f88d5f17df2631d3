"""``curves``: one panel per function, with the function and its derivatives.

The derivatives are computed by the autograd engine (``cli.sampling.derivatives``), not by
formulas, so a plot is also a check of the backward rules: a wrong rule shows as a wrong curve.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

from ..cli.sampling import derivatives as sample_derivatives
from ..cli.sampling import elementwise, lookup
from ..registry import Activation

DEFAULT_RANGE = (-4.0, 4.0)
POINTS = 401
# matplotlib places ticks past the ends of an axis and overflows near the largest float
# (1.8e308), so every axis stays within ±AXIS_LIMIT; values beyond it are drawn off the axis.
AXIS_LIMIT = 1e307
MAX_TITLE = 40  # characters of a written-out fn function in a panel's title

# The registry's LaTeX, in the dialect matplotlib's mathtext understands.
_MATHTEXT_SPELLING = [
    (r"\\tfrac(\d)(\d)", r"\\frac{\1}{\2}"),  # \tfrac16 is \frac{1}{6}
    (r"\\tfrac", r"\\frac"),
    (r"\\le(?![a-zA-Z])", r"\\leq"),
    (r"\\ge(?![a-zA-Z])", r"\\geq"),
]


@dataclass
class Panel:
    """What one panel draws: the function, its title, and its registry entry if it has one."""

    function: Callable[..., Any]
    title: str
    entry: Activation | None = None


def derivative_label(n: int) -> str:
    """The label of the n-th derivative's line: ``f``, ``f'``, ``f''``, ``f'''``, ``f^(4)``."""
    return "f" + "'" * n if n <= 3 else f"f^({n})"


@functools.cache
def formula_title(tex: str) -> str | None:
    """``tex`` as a mathtext string (``$...$``) if matplotlib can typeset it, else None."""
    for pattern, spelling in _MATHTEXT_SPELLING:
        tex = re.sub(pattern, spelling, tex)
    text = f"${tex}$"
    try:
        MathTextParser("path").parse(text)
    except ValueError:
        return None
    return text


def resolve(item: Any) -> Panel:
    """A panel for a registry name or entry, an expression, an ``fn`` function or a callable."""
    if isinstance(item, str) and item.isidentifier() and item != "x":  # a name
        try:
            item = lookup(item)
        except ValueError:
            from .. import fn

            if item not in fn.FUNCTIONS:  # nor exp, log, sqrt: fn's functions of x
                raise
            item = fn.FUNCTIONS[item]
    if isinstance(item, Activation):
        entry = elementwise(item)
        formula = formula_title(entry.formula)
        title = f"{entry.name}: {formula}" if formula else entry.name
        return Panel(entry, title, entry)
    if isinstance(item, str):
        from .. import fn  # an expression: the fn parser reads it (never eval)

        item = fn.parse(item)
    if not callable(item):
        raise TypeError(
            "curves() takes activation names, fn functions or callables on Tensors; "
            f"got {type(item).__name__}"
        )
    return Panel(item, function_title(item))


def function_title(f: Callable[..., Any]) -> str:
    """``str(f)`` for fn functions (with a short name written out: ``A = tanh(x + 0.5)``),
    the ``__name__`` of other callables."""
    if type(f).__str__ is object.__str__:  # a plain callable
        return getattr(f, "__name__", None) or repr(f)
    title = str(f)
    expand = getattr(f, "expand", None)
    if expand is not None:
        written_out = str(expand())
        if written_out != title and len(written_out) <= MAX_TITLE:
            title = f"{title} = {written_out}"
    return title


def point_count(points: Any) -> int:
    """``points`` if it is a whole number of at least 2, else a ValueError naming it."""
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ValueError(f"points must be a whole number >= 2, got {points!r}")
    return int(points)


def checked_points(x: Any, name: str = "x") -> np.ndarray:
    """``x`` as a float64 grid a plot axis can show, or a ValueError naming ``name``."""
    try:
        grid = np.asarray(x, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {type(x).__name__}") from None
    if grid.size < 2:
        raise ValueError(f"{name} must hold at least two points")
    if not np.isfinite(grid).all():
        raise ValueError(f"{name} must hold finite numbers only (it has nan or inf)")
    lo, hi = float(grid.min()), float(grid.max())
    if lo == hi:
        raise ValueError(f"{name} must span an interval (all its points are {lo:g})")
    if max(-lo, hi) > AXIS_LIMIT:
        raise ValueError(
            f"{name} must lie within ±{AXIS_LIMIT:g}, the widest axis matplotlib can draw; "
            f"it goes from {lo:g} to {hi:g}"
        )
    return grid


def _grid(panel: Panel, x: np.ndarray | None) -> np.ndarray:
    """The points to plot: ``x``, or the registry's range with the kinks on the grid."""
    if x is not None:
        return x
    lo, hi = panel.entry.plot_range if panel.entry else DEFAULT_RANGE
    grid = np.linspace(lo, hi, POINTS)
    kinks = [k for k in (panel.entry.kinks if panel.entry else ()) if lo <= k <= hi]
    return np.union1d(grid, kinks)  # the value the rule picks at a kink is on the line


def _through_origin(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Draw the axes as lines through (0, 0) where the origin is in view."""
    ax.spines[["top", "right"]].set_visible(False)
    if xlim[0] < 0 < xlim[1]:
        ax.spines["left"].set_position("zero")
    if ylim[0] < 0 < ylim[1]:
        ax.spines["bottom"].set_position("zero")


def _ylim(lines: Iterable[np.ndarray]) -> tuple[tuple[float, float], bool]:
    """Limits that show every curve (and 0), with a margin; the identity line must not set them.

    The curves are shown within ±AXIS_LIMIT; the second result says whether some finite
    values lie beyond that, off the axis.
    """
    finite = [v[np.isfinite(v)] for v in lines]
    values = np.concatenate([np.array([0.0]), *finite])
    lo, hi = float(values.min()), float(values.max())
    clipped = lo < -AXIS_LIMIT or hi > AXIS_LIMIT
    lo, hi = max(lo, -AXIS_LIMIT), min(hi, AXIS_LIMIT)  # so that hi - lo cannot overflow
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return (max(lo - pad, -AXIS_LIMIT), min(hi + pad, AXIS_LIMIT)), clipped


def draw_panel(ax: Axes, panel: Panel, x: np.ndarray, orders: Sequence[int]) -> None:
    """The function and its derivatives on ``ax``, with kinks, the identity and a legend."""
    values = sample_derivatives(panel.function, x, orders)
    xlim = (float(x.min()), float(x.max()))
    ylim, clipped = _ylim(values.values())
    # The limits first: matplotlib's own autoscaling would overflow on values near 1.8e308.
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    for n in orders:
        ax.plot(x, values[n], label=derivative_label(n), color=f"C{n}", lw=2 if n == 0 else 1.5)
    ax.plot(x, x, label="y = x", color="0.6", ls=":", lw=1, zorder=1)  # beneath the curves
    kinks = [k for k in (panel.entry.kinks if panel.entry else ()) if xlim[0] <= k <= xlim[1]]
    if kinks and 0 in values:
        at = sample_derivatives(panel.function, np.array(kinks), [0])[0]
        ax.plot(kinks, at, "o", label="kinks", color="C0", mfc="white", ms=6, zorder=3)
    _through_origin(ax, xlim, ylim)
    note = f"\n(values beyond ±{AXIS_LIMIT:g} are off the axis)" if clipped else ""
    ax.set_title(panel.title + note, fontsize=9)
    ax.legend(fontsize=7, loc="best", frameon=False)


def curves(
    functions: Any,
    x: Any = None,
    *,
    derivatives: Sequence[int] = (0, 1),
    ncols: int = 3,
    panel_size: tuple[float, float] = (4.0, 3.2),
    title: str | None = None,
) -> Figure:
    """One panel per function, with the curve and the derivatives of the orders asked for.

    ``functions`` is one item or a list of them: activation names (``"relu"``), expressions
    (``"tanh(-3*x + 1.5)"``, read by ``fn.parse``), ``fn`` functions, or any callable that
    maps a Tensor to a Tensor elementwise. ``x`` is the grid (default: each activation's
    ``plot_range`` from the registry, [-4, 4] otherwise): at least two finite points, within
    ±AXIS_LIMIT (1e307), else a ValueError; values beyond ±AXIS_LIMIT (exp near 710) are drawn
    off the axis, which the panel's title says. Each line has a label — ``"f"``, ``"f'"``,
    ``"f''"`` ... — so its data can be read back with ``ax.get_lines()``.
    """
    items = [functions] if isinstance(functions, str) or callable(functions) else list(functions)
    if not items:
        raise ValueError("curves() needs at least one function")
    orders = sorted(set(derivatives))
    if not orders or any(not isinstance(n, int) or n < 0 for n in orders):
        raise ValueError(f"derivatives must be integers >= 0, got {tuple(derivatives)}")
    grid = None if x is None else checked_points(x)
    panels = [resolve(item) for item in items]
    ncols = max(1, min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    fig = Figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, panel in zip(axes, panels):
        draw_panel(ax, panel, _grid(panel, grid), orders)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig
