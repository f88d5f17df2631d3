"""``graph``: the computation graph of an expression at a point, as a picture or text."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .errors import UserError
from .expressions import function_of
from .output import writable_file, writable_folder

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


def run_graph(args: argparse.Namespace) -> int:
    if not (args.output or args.text or args.steps):
        args.text = True  # nothing asked for: the text tree, which needs nothing installed
    path = writable_file(args.output, GRAPH_SUFFIXES) if args.output else None
    viz = load_viz()
    f = function_of(args.expr)
    x, y = evaluate_at(f, args.at)
    params = {"x": x}
    try:
        if args.text:
            if args.backward:
                print(viz.to_text(viz.build_backward(y, params)))
            else:
                print(viz.to_text(y, params))
        if path is not None:
            viz.draw(y, params, show_backward=args.backward, max_nodes=args.max_nodes).save(path)
            print(f"wrote {path}")
        if args.steps:
            folder = writable_folder(args.steps)
            steps = viz.backward_steps(y, params)
            written = steps.save(folder)
            page = Path(folder) / "backward.html"
            steps.save(page)
            print(f"wrote {len(written)} backward frames and {page}")
    except viz.DotNotFound as e:
        raise dot_missing(viz, e) from None
    except viz.DotFailed as e:  # a crash or a time-out of dot: its first line, not a traceback
        raise UserError(str(e).splitlines()[0]) from None
    except (ValueError, TypeError) as e:  # what viz refuses to draw, in its own words
        message = re.sub(r"ass max_nodes=(\d+)", r"ass --max-nodes \1", str(e).splitlines()[0])
        raise UserError(message) from None
    except BrokenPipeError:  # `graph ... --text | head`: the reader has had enough (main's)
        raise
    except OSError as e:
        raise UserError(f"cannot write {e.filename or path}: {e.strerror or e}") from None
    return 0
