"""Pictures of activations and composed functions: curves, derivatives, the classic figures.

Needs matplotlib (``pip install tinygrad-acts[plot]``). Every function returns a
``matplotlib.figure.Figure`` built without pyplot's global state, so nothing pops up and
nothing leaks between calls: save it with ``fig.savefig("relu.png")``, or let Jupyter show it.

>>> from tinygrad_acts import plot
>>> fig = plot.curves(["relu", "tanh"], derivatives=(0, 1, 2))
>>> fig.savefig("curves.png")
"""

from __future__ import annotations

import os
import sys

try:
    import matplotlib
except ImportError:  # the extra is not installed: say how to get it
    raise ImportError(
        "tinygrad_acts.plot needs matplotlib: pip install tinygrad-acts[plot]"
    ) from None

# Without a display (a server, CI), pick the file-only backend before anyone imports pyplot,
# so that a user who does call pyplot gets no "cannot connect to display" error.
if (
    sys.platform.startswith("linux")
    and not os.environ.get("DISPLAY")
    and not os.environ.get("WAYLAND_DISPLAY")
    and not os.environ.get("MPLBACKEND")
    and "matplotlib.pyplot" not in sys.modules
):
    matplotlib.use("Agg")

from .classic import classic_figures
from .compare import compare
from .curves import AXIS_LIMIT, curves, formula_title

__all__ = ["AXIS_LIMIT", "classic_figures", "compare", "curves", "formula_title"]
