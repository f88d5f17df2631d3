"""``compare``: our curve and derivative against torch's, with their difference below."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..cli.sampling import derivatives, elementwise, lookup, torch_derivatives
from . import style
from .curves import checked_points, derivative_label, point_count


def compare(name: str, x: np.ndarray | None = None, *, points: int = 401) -> Figure:
    """f and f' of activation ``name``, ours (solid) and torch's (dashed); below, ours − torch.

    Raises ImportError if torch is not installed, ValueError for an ``x`` no axis can show.
    """
    entry = elementwise(lookup(name))
    if x is None:
        x = np.linspace(*entry.plot_range, point_count(points))
    x = checked_points(x)
    try:
        import torch  # noqa: F401
    except ImportError:
        raise ImportError(f"plot.compare({name!r}) needs torch: pip install torch") from None
    ours = derivatives(entry, x, (0, 1))
    theirs = torch_derivatives(entry, x, (0, 1))

    fig = Figure(figsize=(6.4, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
    for n in (0, 1):
        label = derivative_label(n)
        top.plot(x, ours[n], color=f"C{n}", lw=2, label=f"{label} (ours)")
        top.plot(x, theirs[n], color="k", ls="--", lw=1, label=f"{label} (torch)")
        bottom.plot(x, ours[n] - theirs[n], color=f"C{n}", label=f"{label}: ours − torch")
    top.set_title(f"{entry.name}: ours against {entry.torch_name}", fontsize=style.TITLE_SIZE)
    top.legend(fontsize=style.TICK_SIZE, frameon=False)
    bottom.axhline(0, color=style.REFERENCE_COLOR, lw=0.8, zorder=0)  # where the two agree
    bottom.set_ylabel("difference", fontsize=style.TICK_SIZE)
    bottom.legend(fontsize=style.TICK_SIZE - 1, frameon=False)
    style.frame(top)
    style.frame(bottom)
    bottom.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
    return fig
