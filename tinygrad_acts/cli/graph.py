"""``graph``: the computation graph of an expression at a point, as a picture or text.

The point is a float64 variable, as ``f(0.5)`` and ``f.graph(at=0.5)`` compute; each part named
with ``--define`` is drawn as a box, as the library draws a named fn function.
"""

from __future__ import annotations

import argparse
import re
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .errors import UserError
from .expressions import function_of, parts_of
from .output import staged, writable_file, writable_folder

GRAPH_SUFFIXES = (".svg", ".png", ".pdf", ".gv", ".dot", ".txt", ".mmd", ".html")


def load_viz() -> Any:
    """The ``viz`` package, or a one-line error if this install does not have it."""
    try:
        from .. import viz
    except ImportError as e:
        raise UserError(f"graphs are not available in this install ({e})") from None
    return viz


def dot_missing(viz: Any, error: Exception) -> UserError:
    """The missing-``dot`` error as one line: what failed and the shortest way to fix it."""
    return UserError(
        f"{str(error).splitlines()[0]} Install Graphviz (e.g. apt-get install graphviz, "
        f"brew install graphviz) or set {viz.DOT_ENV}; .txt, .mmd and .gv outputs and --text "
        "work without it"
    )


def evaluate_at(f: Any, at: float) -> tuple[Tensor, Tensor]:
    """``x = tensor(at, requires_grad=True)`` (float64) and ``y = f(x)``."""
    x = Tensor(np.array(at, dtype=np.float64), requires_grad=True)
    return x, f(x)


def steps_target(path: str) -> Path:
    """Where ``--steps`` writes: a folder of frames, or one page for a name ending in .html."""
    if Path(path).suffix.lower() == ".html":
        return writable_file(path, option="--steps")
    return writable_folder(path, option="--steps")


def write_steps(steps: Any, target: Path, page: bool) -> None:
    """The frames as step_000.svg ... and backward.html in the folder ``target``, or one page."""
    steps.save(target)
    if not page:
        steps.save(target / "backward.html")


def run_graph(args: argparse.Namespace) -> int:
    if args.output is None and args.steps is None:
        args.text = True  # nothing else asked for: the text tree, which needs nothing installed
    if args.max_nodes < 1:
        raise UserError(f"--max-nodes must be 1 or more, got {args.max_nodes}")
    path = writable_file(args.output, GRAPH_SUFFIXES) if args.output is not None else None
    steps_to = steps_target(args.steps) if args.steps is not None else None
    page = steps_to is not None and steps_to.suffix.lower() == ".html"
    viz = load_viz()
    f = function_of(args.expr, parts_of(args.define))
    x, y = evaluate_at(f, args.at)
    params = {"x": x}
    limit = args.max_nodes
    text, frames = None, 0
    try:
        if args.text:
            build = viz.build_backward if args.backward else viz.build
            text = viz.to_text(build(y, params, max_nodes=limit))
        with ExitStack() as stack:  # every file appears at the end, or none does
            if path is not None:
                graph_file = stack.enter_context(staged(path))
                viz.draw(y, params, show_backward=args.backward, max_nodes=limit).save(graph_file)
            if steps_to is not None:
                steps = viz.backward_steps(y, params, max_nodes=limit)
                write_steps(steps, stack.enter_context(staged(steps_to)), page)
                frames = len(steps)
    except viz.DotNotFound as e:
        raise dot_missing(viz, e) from None
    except viz.DotFailed as e:  # a crash or a time-out of dot: its first line, not a traceback
        raise UserError(str(e).splitlines()[0]) from None
    except (ValueError, TypeError) as e:  # what viz refuses to draw, in its own words
        message = re.sub(r"ass max_nodes=(\d+)", r"ass --max-nodes \1", str(e).splitlines()[0])
        raise UserError(message) from None
    if text is not None:
        print(text)
    if path is not None:
        print(f"wrote {path}")
    if steps_to is not None and page:
        print(f"wrote {steps_to} ({frames} backward frames on one page)")
    elif steps_to is not None:
        print(f"wrote {frames} backward frames and {steps_to / 'backward.html'}")
    return 0
