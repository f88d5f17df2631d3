"""Running Graphviz's ``dot`` program, and saving a graph in the format its file name asks for.

``dot`` is found on ``PATH``, or wherever the environment variable ``TINYGRAD_ACTS_DOT`` points,
and run with a timeout. Without it, everything but rendering still works; rendering raises
``DotNotFound``, a ``graphviz.ExecutableNotFound`` that says how to install it (``not_found``
writes that message, for every way of rendering: ``save``, ``pipe``, ``render``, a notebook).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from . import page
from .page import strip_prolog

try:  # the ``viz`` extra; the error below subclasses its error when it is installed
    from graphviz import ExecutableNotFound as _NotFoundBase
except ImportError:  # pragma: no cover - exercised only without the graphviz package
    _NotFoundBase = RuntimeError  # type: ignore[assignment,misc]

DOT_ENV = "TINYGRAD_ACTS_DOT"
TIMEOUT = 60.0  # seconds; a graph that takes longer is better collapsed

INSTALL = (
    "Install Graphviz (the program, not only the Python package):\n"
    "    Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "    macOS:          brew install graphviz\n"
    "    conda:          conda install graphviz\n"
    f"or set {DOT_ENV}=/path/to/dot. Without it, .source (DOT), to_text() and to_mermaid() "
    "still work."
)


class DotNotFound(_NotFoundBase):
    """Graphviz's ``dot`` program is not available; the message says how to get it."""

    def __init__(self, message: str) -> None:
        RuntimeError.__init__(self, message)


def not_found(reason: str) -> DotNotFound:
    """The error for a missing ``dot``: ``reason`` (one line), then how to install it."""
    return DotNotFound(f"{reason}\n{INSTALL}")


class DotFailed(RuntimeError):
    """``dot`` ran but gave no picture (it crashed, refused the input, or ran out of time)."""


def find_dot() -> str:
    """The path of the ``dot`` program: ``$TINYGRAD_ACTS_DOT`` if set, else ``dot`` on PATH."""
    configured = os.environ.get(DOT_ENV)
    if configured:
        path = shutil.which(configured)
        if path is None:
            raise not_found(
                f"{DOT_ENV}={configured!r} is not an executable Graphviz 'dot' program."
            )
        return path
    path = shutil.which("dot")
    if path is None:
        raise not_found("Graphviz's 'dot' program was not found on PATH.")
    return path


def run_dot(
    source: str,
    fmt: str,
    *,
    engine: str = "dot",
    args: tuple[str, ...] = (),
    timeout: float = TIMEOUT,
) -> bytes:
    """Render DOT ``source`` to ``fmt`` (``svg``, ``png``, ``pdf``, ``json`` ...) and return it."""
    command = [find_dot(), f"-K{engine}", f"-T{fmt}", *args]
    try:
        done = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise DotFailed(
            f"dot did not finish within {timeout:g} s; draw a smaller graph "
            "(collapse=[...] or a smaller max_nodes)"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DotFailed(f"dot failed (exit status {done.returncode}): {message}")
    return done.stdout


# File name suffix → what to write. Rendered formats go through dot; the others are text.
RENDERED = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
TEXT = (".gv", ".dot", ".txt", ".mmd", ".html")


def save(source: str, text: Any, mermaid: Any, path: str | os.PathLike[str]) -> Path:
    """Write a graph to ``path`` in the format its suffix names.

    ``.svg .png .pdf`` are rendered by ``dot``; ``.gv``/``.dot`` are the DOT source, ``.txt``
    the text tree, ``.mmd`` Mermaid, ``.html`` a page with the SVG inline (zoom and pan).
    ``text`` and ``mermaid`` are called only when needed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in RENDERED:
        path.write_bytes(run_dot(source, RENDERED[suffix]))
    elif suffix in (".gv", ".dot"):
        path.write_text(source, encoding="utf-8")
    elif suffix == ".txt":  # a text file ends with a newline; the text itself does not (print)
        path.write_text(text() + "\n", encoding="utf-8")
    elif suffix == ".mmd":
        path.write_text(mermaid() + "\n", encoding="utf-8")
    elif suffix == ".html":
        svg = strip_prolog(run_dot(source, "svg").decode("utf-8"))
        path.write_text(page.document("computation graph", page.viewer(svg)), encoding="utf-8")
    else:
        known = ", ".join(sorted([*RENDERED, *TEXT]))
        raise ValueError(f"cannot tell the format from {path.name!r}: use one of {known}")
    return path
