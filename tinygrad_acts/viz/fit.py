"""Which way to lay a graph out: left to right, or top to bottom, whichever fits a window.

A long chain of ops laid out left to right is far wider than a screen; top to bottom it is
tall, and a web page scrolls down easily. ``dot`` lays the graph out both ways (``-Tjson``
gives the size) and the direction that needs the picture shrunk least wins:

    scale(w, h) = min(1, W / w, H / h)     (W × H the window, w × h the picture, in pixels)

On a tie (both fit) the graph stays left to right.
"""

from __future__ import annotations

import copy
import json

from . import render
from .dot import to_dot
from .model import GraphModel

WINDOW = (1400, 1000)  # pixels: a laptop's browser window
DIRECTIONS = ("LR", "TB")


def picture_size(source: str) -> tuple[float, float]:
    """Width and height of the picture of DOT ``source``, in CSS pixels (``dot`` lays it out)."""
    data = json.loads(render.run_dot(source, "json").decode("utf-8"))
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    return (x1 - x0) * 4 / 3, (y1 - y0) * 4 / 3  # points → pixels


def scale_to_fit(size: tuple[float, float], window: tuple[float, float] = WINDOW) -> float:
    """How much a picture of ``size`` must shrink to fit ``window`` (1: not at all)."""
    return min(1.0, window[0] / max(size[0], 1.0), window[1] / max(size[1], 1.0))


def fitting_rankdir(model: GraphModel, window: tuple[float, float] = WINDOW) -> str:
    """``"LR"`` or ``"TB"``: the direction whose layout of ``model`` fits ``window`` best."""
    best, best_scale = DIRECTIONS[0], -1.0
    for rankdir in DIRECTIONS:
        candidate = copy.copy(model)
        candidate.rankdir = rankdir
        scale = scale_to_fit(picture_size(to_dot(candidate)), window)
        if scale > best_scale + 1e-9:
            best, best_scale = rankdir, scale
    return best


def fitted(model: GraphModel, window: tuple[float, float] = WINDOW) -> GraphModel:
    """``model`` laid out the way that fits (see ``fitting_rankdir``); needs ``dot``."""
    model.rankdir = fitting_rankdir(model, window)
    return model
