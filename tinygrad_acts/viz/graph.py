"""``Graph``: the ``graphviz.Digraph`` that ``viz.draw`` returns, knowing its own model.

Needs the ``graphviz`` Python package (the ``viz`` extra); the rest of ``viz`` does not.
``save``, ``pipe`` and the notebook display go through ``render.run_dot`` (which finds ``dot``
via ``TINYGRAD_ACTS_DOT`` too, with a timeout); graphviz's own ``render``/``view`` are checked
for ``dot`` first. Without ``dot`` each raises the same ``DotNotFound`` (how to install it),
and in Jupyter the graph shows as the text tree with that message instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz

from . import render
from .model import GraphModel
from .text import to_mermaid, to_text


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose body is the DOT that ``viz.dot`` wrote for ``model``."""

    def __init__(self, *args: Any, model: GraphModel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def to_text(self) -> str:
        """The graph as an indented tree (no ``dot`` needed)."""
        return to_text(self._model())

    def to_mermaid(self) -> str:
        """The graph as a Mermaid flowchart (no ``dot`` needed)."""
        return to_mermaid(self._model())

    def _model(self) -> GraphModel:
        if self.model is None:
            raise ValueError("this graph was not made by viz.draw, so it has no model")
        return self.model

    def save(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: Any = None,
        *,
        skip_existing: bool | None = False,
    ) -> str:
        """Write the graph to ``filename``, in the format its suffix names.

        ``.svg .png .pdf .gv .dot .txt .mmd .html``; with no file name, or as part of
        graphviz's ``render``/``view`` (which pass ``skip_existing``), graphviz's own ``save``:
        the DOT source, to ``filename`` or ``self.filepath``.
        """
        if filename is None or skip_existing is not False:
            return super().save(filename, directory=directory, skip_existing=skip_existing)
        path = Path(directory, filename) if directory is not None else Path(filename)
        return str(render.save(self.source, self.to_text, self.to_mermaid, path))

    def pipe(
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        """graphviz's ``pipe``: the graph rendered to ``format``, run by ``render.run_dot``.

        ``quiet`` is accepted for graphviz's sake: dot's messages are always captured.
        """
        if formatter is not None and renderer is None:
            raise graphviz.RequiredArgumentError("formatter given without renderer")
        parts = (format or self.format, renderer or self.renderer, formatter or self.formatter)
        fmt = ":".join(p for p in parts if p)
        args = (f"-n{int(neato_no_op)}",) if neato_no_op else ()
        out = render.run_dot(self.source, fmt, engine=engine or self.engine, args=args)
        return out.decode(encoding) if encoding is not None else out

    def render(self, *args: Any, **kwargs: Any) -> str:
        """graphviz's ``render`` (and so ``view``), after checking that ``dot`` is there.

        Without ``dot`` nothing is written (graphviz would save the source first).
        """
        render.find_dot()
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:  # graphviz runs the dot on PATH, not $DOT_ENV's
            raise render.not_found(
                f"graphviz's render() and view() run the 'dot' on PATH, and there is none "
                f"({render.DOT_ENV} is used by save(), pipe() and the notebook display)."
            ) from None

    def pipe_svg(self) -> str:
        """The rendered SVG, as text."""
        return render.run_dot(self.source, "svg").decode("utf-8")

    def _repr_svg_(self) -> str | None:
        try:
            return self.pipe_svg()
        except (render.DotNotFound, render.DotFailed):
            return None  # IPython then shows the next representation: _repr_mimebundle_'s

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **_: Any
    ) -> dict[str, Any]:
        """Jupyter: the SVG (or what ``include`` asks for of SVG, PNG, JPEG); when ``dot`` is
        missing or fails, the text tree and why (never an error)."""
        wanted = set(include) if include is not None else {"image/svg+xml"}
        wanted -= set(exclude or ())
        try:
            return {
                mime: self.pipe(format=fmt, encoding="utf-8" if fmt == "svg" else None)
                for mime, fmt in _MIME_FORMATS.items()
                if mime in wanted
            }
        except (render.DotNotFound, render.DotFailed) as err:
            text = self.to_text() if self.model is not None else self.source
            return {"text/plain": f"{text}\n\n{err}"}


_MIME_FORMATS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpeg"}
