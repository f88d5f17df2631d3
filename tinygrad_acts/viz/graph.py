"""``Graph``: the ``graphviz.Digraph`` that ``viz.draw`` returns, knowing its own model.

Needs the ``graphviz`` Python package (the ``viz`` extra); the rest of ``viz`` does not.
Rendering goes through ``render.run_dot`` (which finds ``dot`` via ``TINYGRAD_ACTS_DOT`` too);
in Jupyter the graph shows as SVG, or as text when ``dot`` is missing.
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

    def pipe_svg(self) -> str:
        """The rendered SVG, as text."""
        return render.run_dot(self.source, "svg").decode("utf-8")

    def _repr_svg_(self) -> str | None:
        try:
            return self.pipe_svg()
        except render.DotNotFound:
            return None

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **_: Any
    ) -> dict[str, Any]:
        """Jupyter: the SVG, or the text tree when ``dot`` is missing (never an error)."""
        try:
            return {"image/svg+xml": self.pipe_svg()}
        except render.DotNotFound:
            text = self.to_text() if self.model is not None else self.source
            return {"text/plain": text}
