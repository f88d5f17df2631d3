"""``demo``: everything the project draws, written to one folder with a page to open.

The classic figures (six activations; nine compositions of tanh units), the computation
graph of the classic composition C(A+B) + D(A+B) at x = 0.5, its backward pass frame by
frame, and ``index.html`` showing them all. Without Graphviz's ``dot`` the graphs are
written as text, Mermaid and DOT source, and the page says how to get the pictures.
"""

from __future__ import annotations

import argparse
import html
import time
from pathlib import Path
from typing import Any

from .errors import UserError
from .expressions import load_fn, load_plot
from .graph import evaluate_at, load_viz
from .output import progress, save_figure, staged, writable_folder

AT = 0.5  # where the graph of the classic composition is evaluated


def write_figures(plot: Any, folder: Path) -> list[Path]:
    """The two classic figures as PNG."""
    basic, composed = plot.classic_figures()
    written = []
    for fig, name in ((basic, "activations.png"), (composed, "compositions.png")):
        path = folder / name
        save_figure(fig, path)
        written.append(path)
    return written


def write_graphs(viz: Any, f: Any, folder: Path) -> tuple[list[Path], str | None]:
    """The graph of ``f`` at ``AT`` as text, Mermaid and DOT; with ``dot``, SVG and frames.

    Returns the files written and, when ``dot`` is missing, the reason.
    """
    x, y = evaluate_at(f, AT)
    params = {"x": x}
    try:
        graph = viz.draw(y, params, rankdir="auto")  # LR or TB, whichever fits a window
    except viz.DotFailed as e:  # dot measured the layouts, and crashed or timed out
        raise UserError(str(e).splitlines()[0]) from None
    written = [Path(graph.save(folder / name)) for name in ("graph.txt", "graph.mmd", "graph.gv")]
    try:
        written.append(Path(graph.save(folder / "graph.svg")))
        steps = viz.backward_steps(y, params, rankdir=graph.model.rankdir)
        written += steps.save(folder / "backward")
        written += steps.save(folder / "backward.html")
    except viz.DotNotFound as e:
        return written, str(e).splitlines()[0]
    except viz.DotFailed as e:  # a crash or a time-out of dot: its first line, not a traceback
        raise UserError(str(e).splitlines()[0]) from None
    return written, None


def index_page(page: Any, folder: Path, written: list[Path], title: str, no_dot: str | None) -> str:
    """A page that shows every figure and graph, and links the rest.

    The graph's SVG is inline, at its own size in a pane that zooms and pans, so its text
    stays legible and its tooltips (every value in full) work; ``page`` is ``viz.page``.
    """
    names = {p.relative_to(folder).as_posix() for p in written}
    parts = [
        "<h1>tinygrad_acts demo</h1>",
        f"<p>The classic composition: <code>f = {html.escape(title)}</code></p>",
    ]
    for name, caption in (
        ("activations.png", "Six basic activations and their first derivatives"),
        ("compositions.png", "Composing tanh units bends a line into ever more complex shapes"),
    ):
        if name in names:
            parts.append(
                f'<h2>{caption}</h2><img src="{name}" alt="{name}" style="max-width:100%">'
            )
    if "graph.svg" in names:
        svg = page.strip_prolog((folder / "graph.svg").read_text(encoding="utf-8"))
        parts.append(
            f"<h2>The computation graph of f at x = {AT}, with data, gradients and local "
            f'derivatives</h2>\n<div id="graph">{page.viewer(svg)}</div>'
            '<p>The picture alone: <a href="graph.svg">graph.svg</a></p>'
        )
    if "backward.html" in names:
        parts.append(
            '<h2>The backward pass</h2><p><a href="backward.html">step by step</a> '
            "(a slider and a play button)</p>"
        )
    if no_dot:
        parts.append(
            f"<p><b>No pictures of the graph:</b> {html.escape(no_dot)} Install Graphviz "
            "(apt-get install graphviz / brew install graphviz) and run the demo again.</p>"
        )
    if "graph.txt" in names:
        text = (folder / "graph.txt").read_text(encoding="utf-8")
        parts.append(f"<h2>The graph as text</h2><pre>{html.escape(text)}</pre>")
    links = " · ".join(f'<a href="{n}">{n}</a>' for n in sorted(names) if "/" not in n)
    parts.append(f"<p>Files: {links}</p>")
    style = "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}</style>"
    return page.document("tinygrad_acts demo", "\n".join(parts), style=style)


def write_demo(plot: Any, viz: Any, folder: Path) -> tuple[list[Path], str | None]:
    """Every file of the demo in ``folder`` (made here), and why graphs lack pictures, if so."""
    folder.mkdir()
    progress("drawing the classic figures ...")
    written = write_figures(plot, folder)
    f = plot.classic.composition_panels()[-1]
    progress(f"drawing the graph of {f} at x = {AT} and its backward pass ...")
    graphs, no_dot = write_graphs(viz, f, folder)
    written += graphs
    index = folder / "index.html"
    index.write_text(index_page(viz.page, folder, written, str(f), no_dot), encoding="utf-8")
    written.append(index)
    return written, no_dot


def run_demo(args: argparse.Namespace) -> int:
    folder = writable_folder(args.output)
    plot = load_plot()
    load_fn()
    viz = load_viz()
    start = time.perf_counter()
    with staged(folder) as temporary:  # the folder fills only once every file is done
        written, no_dot = write_demo(plot, viz, temporary)
        written = [folder / p.relative_to(temporary) for p in written]
    progress(f"done in {time.perf_counter() - start:.1f} s")
    index = folder / "index.html"
    print(f"wrote {len(written)} files:")
    for path in written:
        print(f"  {path}")
    if no_dot:
        print(f"no pictures of the graph: {no_dot}")
        print("  install Graphviz (apt-get install graphviz / brew install graphviz) for them")
    print(f"open {index} in a browser, e.g.: python -m webbrowser {index.resolve().as_uri()}")
    return 0
