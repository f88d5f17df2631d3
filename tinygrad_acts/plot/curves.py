"""``curves``: one panel per function, with the function and its derivatives.

The derivatives are computed by the autograd engine (``cli.sampling.derivatives``), not by
formulas, so a plot is also a check of the backward rules: a wrong rule shows as a wrong curve.
How the panels look (axes, limits, legend) is ``style``'s job.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

from ..cli.sampling import derivatives as sample_derivatives
from ..cli.sampling import elementwise, lookup
from ..registry import Activation
from . import style
from .style import AXIS_LIMIT

DEFAULT_RANGE = (-4.0, 4.0)
POINTS = 401
MAX_TITLE = 24  # characters of a named fn function written out after its name in a title
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# The registry's LaTeX, in the dialect matplotlib's mathtext understands. Fractions are set in
# display style (\dfrac): an inline \frac in a title is too small to read.
_MATHTEXT_SPELLING = [
    (r"\\tfrac(\d)(\d)", r"\\dfrac{\1}{\2}"),  # \tfrac16 is 1/6
    (r"\\[td]?frac(?![a-zA-Z])", r"\\dfrac"),
    (r"\\le(?![a-zA-Z])", r"\\leq"),
    (r"\\ge(?![a-zA-Z])", r"\\geq"),
]


@dataclass
class Panel:
    """What one panel draws: the function, its title, and its registry entry if it has one.

    ``title`` is None for a callable with no name of its own (a lambda): ``curves`` numbers it.
    ``short`` is the title to use when ``title`` is too wide for the panel.
    """

    function: Callable[..., Any]
    title: str | None
    entry: Activation | None = None
    short: str | None = None


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


def resolve(item: Any, *, formulas: bool = True) -> Panel:
    """A panel for a registry name or entry, an expression, an ``fn`` function or a callable.

    An activation's title is its name, and its formula when ``formulas`` is true.
    """
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
        formula = formula_title(entry.formula) if formulas else None
        title = f"{entry.name}: {formula}" if formula else entry.name
        return Panel(entry, title, entry, short=entry.name)
    if isinstance(item, str):
        from .. import fn  # an expression: the fn parser reads it (never eval)

        item = fn.parse(item)
    if not callable(item):
        raise TypeError(
            "curves() takes activation names, fn functions or callables on Tensors; "
            f"got {type(item).__name__}"
        )
    return Panel(item, function_title(item))


def function_title(f: Callable[..., Any]) -> str | None:
    """``str(f)`` for fn functions (a short named one written out: ``A = tanh(x + 0.5)``), the
    ``__name__`` of a function defined with ``def``, and None for a lambda or other callable."""
    if type(f).__str__ is object.__str__:  # a plain callable
        name = getattr(f, "__name__", None)
        return name if isinstance(name, str) and name.isidentifier() else None
    title = str(f)
    expand = getattr(f, "expand", None)
    if expand is not None:
        written_out = str(expand())
        if written_out != title and len(written_out) <= MAX_TITLE:
            title = f"{title} = {written_out}"
    return title


def unnamed_title(position: int, count: int) -> str:
    """The title of a panel whose function has no name: ``f``, or ``f₂`` for the second panel."""
    return "f" if count == 1 else "f" + str(position + 1).translate(_SUBSCRIPTS)


def given_names(names: Any, count: int) -> list[str | None]:
    """``names`` as one title (or None) per panel, or an error that says what was expected."""
    if names is None:
        return [None] * count
    listed = [names] if isinstance(names, str) else list(names)
    if len(listed) != count:
        raise ValueError(f"names must give one title per function: {count}, got {len(listed)}")
    for name in listed:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"names must be strings (or None), got {type(name).__name__}")
    return listed


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


def draw_panel(
    ax: Axes, panel: Panel, x: np.ndarray, orders: Sequence[int], *, reference: bool = False
) -> str:
    """The function and its derivatives on ``ax``, the kinks marked; reference lines if asked.

    Returns the note below the title ("" when every value is on the axis).
    """
    values = sample_derivatives(panel.function, x, orders)
    xlim = (float(x.min()), float(x.max()))
    ylim, clipped = style.data_limits(values.values())
    # The limits first: matplotlib's own autoscaling would overflow on values near 1.8e308.
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    for n in orders:  # f above its derivatives where they coincide (exp), the kinks above all
        width, z = (2.0, 2.5) if n == 0 else (1.5, 2.0)
        ax.plot(x, values[n], label=derivative_label(n), color=f"C{n}", lw=width, zorder=z)
    kinks = [k for k in (panel.entry.kinks if panel.entry else ()) if xlim[0] <= k <= xlim[1]]
    if kinks and 0 in values:
        at = sample_derivatives(panel.function, np.array(kinks), [0])[0]
        ax.plot(kinks, at, "o", label="kinks", color="C0", mfc="white", ms=5, zorder=3)
    if reference:
        style.reference_lines(ax, xlim, ylim)
    style.frame(ax)
    note = f"\n(values beyond ±{AXIS_LIMIT:g} are off the axis)" if clipped else ""
    ax.set_title((panel.title or "") + note, fontsize=style.TITLE_SIZE)
    return note


def curves(
    functions: Any,
    x: Any = None,
    *,
    derivatives: Sequence[int] = (0, 1),
    ncols: int = 3,
    panel_size: tuple[float, float] = (4.0, 3.2),
    title: str | None = None,
    names: str | Sequence[str | None] | None = None,
    legend: bool | None = None,
    reference_lines: bool = False,
    formulas: bool = True,
) -> Figure:
    """One panel per function, with the curve and the derivatives of the orders asked for.

    ``functions`` is one item or a list of them: activation names (``"relu"``), expressions
    (``"tanh(-3*x + 1.5)"``, read by ``fn.parse``), ``fn`` functions, or any callable that
    maps a Tensor to a Tensor elementwise. ``x`` is the grid (default: each activation's
    ``plot_range`` from the registry, [-4, 4] otherwise): at least two finite points, within
    ±AXIS_LIMIT (1e307), else a ValueError; values beyond ±AXIS_LIMIT (exp near 710) are drawn
    off the axis, which the panel's title says.

    Each panel is titled by ``names`` (one title per function, None to keep the default),
    else by the activation's name and formula (its name alone if not ``formulas``), the ``fn``
    function as written, or a ``def`` function's name; a lambda is ``f`` (``f₂`` on the second
    panel of several). A title too wide for its panel is set smaller, then shortened to the
    activation's name. The y-range is the data's with a 5% margin, and the axes sit beside the
    data, ticks out, so no tick label sits on a curve. ``legend``: one key below the panels;
    None draws it when a panel has more than one curve. ``reference_lines`` adds light lines
    y = 0, x = 0 and y = x beneath the curves. Each line has a label — ``"f"``, ``"f'"``,
    ``"f''"``, ``"kinks"``, ``"y = x"`` — so its data can be read back with ``ax.get_lines()``.
    """
    items = [functions] if isinstance(functions, str) or callable(functions) else list(functions)
    if not items:
        raise ValueError("curves() needs at least one function")
    orders = sorted(set(derivatives))
    if not orders or any(not isinstance(n, int) or n < 0 for n in orders):
        raise ValueError(f"derivatives must be integers >= 0, got {tuple(derivatives)}")
    titles = given_names(names, len(items))
    grid = None if x is None else checked_points(x)
    panels = [resolve(item, formulas=formulas) for item in items]
    for k, (panel, name) in enumerate(zip(panels, titles)):
        if name is not None:
            panel.title = name
        elif panel.title is None:
            panel.title = unnamed_title(k, len(panels))
    ncols = max(1, min(ncols, len(panels)))
    nrows = math.ceil(len(panels) / ncols)
    fig = Figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    short = []
    for ax, panel in zip(axes, panels):
        note = draw_panel(ax, panel, _grid(panel, grid), orders, reference=reference_lines)
        short.append((panel.short or panel.title or "") + note)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if legend or (legend is None and len(orders) > 1):
        style.figure_legend(fig, axes[: len(panels)])
    if title:
        fig.suptitle(title, fontsize=style.SUPTITLE_SIZE)
    style.fit_titles(fig, axes[: len(panels)], short, ncols)
    return fig
