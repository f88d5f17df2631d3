"""How a figure of curves looks: a textbook's conventions, in one place.

- The axes are drawn on the left and at the bottom, a few points apart from the data, with the
  ticks pointing out: no tick label ever sits on a curve.
- The y-range is the data's, with a margin of 5% of its span; zero is not forced into view.
- One legend for the whole figure, below the panels, and only when a panel draws more than one
  curve: a lone curve needs no key.
- A title too wide for its panel is set smaller, down to MIN_TITLE_SIZE, and past that
  shortened (an activation's formula is dropped: its page shows it).
- Reference lines (y = 0, x = 0, y = x) are thin and light, beneath the curves, and drawn only
  when asked for; they never set the limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# matplotlib places ticks past the ends of an axis and overflows near the largest float
# (1.8e308), so every axis stays within ±AXIS_LIMIT; values beyond it are drawn off the axis.
AXIS_LIMIT = 1e307
MARGIN = 0.05  # of the data's span, above and below
SPINE_OFFSET = 4.0  # points between the data area and an axis
TITLE_SIZE = 11.0  # points; a panel's title
SUPTITLE_SIZE = 12.0
MIN_TITLE_SIZE = 9.0
TICK_SIZE = 9.0
LEGEND_SIZE = 10.0
REFERENCE_COLOR = "0.82"  # light grey: seen when looked for, not otherwise


def data_limits(lines: Iterable[np.ndarray]) -> tuple[tuple[float, float], bool]:
    """y-limits ``(lo - m, hi + m)`` around the finite values, m = 5% of ``hi - lo``.

    Every limit stays within ±AXIS_LIMIT; the second result says whether some finite value
    lies beyond that, off the axis. A constant curve c gets ``c ± max(5% of |c|, 0.5)``.
    """
    finite = [v[np.isfinite(v)] for v in lines]
    values = np.concatenate([np.zeros(0), *finite])
    if values.size == 0:  # nothing finite to show (all nan or inf)
        return (-1.0, 1.0), False
    lo, hi = float(values.min()), float(values.max())
    clipped = lo < -AXIS_LIMIT or hi > AXIS_LIMIT
    lo, hi = max(lo, -AXIS_LIMIT), min(hi, AXIS_LIMIT)  # so that hi - lo cannot overflow
    pad = MARGIN * (hi - lo) if hi > lo else max(MARGIN * abs(lo), 0.5)
    return (max(lo - pad, -AXIS_LIMIT), min(hi + pad, AXIS_LIMIT)), clipped


def frame(ax: Axes) -> None:
    """Axes on the left and at the bottom, set apart from the data; ticks out."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_position(("outward", SPINE_OFFSET))
    ax.tick_params(direction="out", labelsize=TICK_SIZE, length=3.5)
    for axis in (ax.xaxis, ax.yaxis):  # at least three ticks, even on a small panel
        axis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], min_n_ticks=3))


def reference_lines(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """y = 0 and x = 0 where they are in view, and y = x, light and beneath the curves."""
    style = {"color": REFERENCE_COLOR, "lw": 0.8, "zorder": 0}
    if ylim[0] < 0 < ylim[1]:
        ax.axhline(0.0, **style)
    if xlim[0] < 0 < xlim[1]:
        ax.axvline(0.0, **style)
    # y = x across the panel, clipped to it; drawn after the limits are set, so it sets none.
    ax.axline((0.0, 0.0), slope=1.0, ls=":", label="y = x", **style)


def figure_legend(fig: Figure, axes: Sequence[Axes]) -> None:
    """One legend below the panels: each label once, in the order first drawn."""
    entries: dict[str, object] = {}
    for ax in axes:
        handles, labels = ax.get_legend_handles_labels()
        for handle, label in zip(handles, labels):
            entries.setdefault(label, handle)
    if entries:
        fig.legend(
            list(entries.values()),
            list(entries),
            loc="outside lower center",
            ncols=len(entries),
            frameon=False,
            fontsize=LEGEND_SIZE,
        )


def fit_titles(fig: Figure, axes: Sequence[Axes], short: Sequence[str], ncols: int) -> None:
    """Each title within its column of the figure: smaller if need be, else ``short``."""
    fig.draw_without_rendering()  # lays the figure out: where the titles fall is known now
    column = fig.bbox.width / ncols

    def fits(ax: Axes) -> bool:
        left = ax.get_subplotspec().colspan.start * column
        box = ax.title.get_window_extent()
        return left - 1.0 <= box.x0 and box.x1 <= left + column + 1.0

    for ax, fallback in zip(axes, short):
        size = TITLE_SIZE
        while not fits(ax) and size > MIN_TITLE_SIZE:
            size -= 1.0
            ax.title.set_fontsize(size)
        if not fits(ax):
            ax.title.set_text(fallback)
            ax.title.set_fontsize(TITLE_SIZE)
