"""Writing files for the command line: check the path first, so a typo costs no work."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import UserError

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def writable_file(path: str, suffixes: tuple[str, ...] | None = None) -> Path:
    """``path`` as a Path, after checking its suffix and that its folder can be written."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise UserError(
            f"cannot tell the format of {path!r}: use a file name ending in " + ", ".join(suffixes)
        )
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"cannot write {path}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UserError(f"cannot write {path}: permission denied")
    return p


def writable_folder(path: str) -> Path:
    """``path`` as a folder that exists (created if needed) and can be written."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create folder {path}: {e.strerror or e}") from None
    if not os.access(p, os.W_OK):
        raise UserError(f"cannot write into folder {path}: permission denied")
    return p


def save_figure(fig: object, path: Path) -> None:
    """``fig.savefig(path)``, with an OSError turned into a one-line user error."""
    try:
        fig.savefig(path)  # type: ignore[attr-defined]
    except OSError as e:
        raise UserError(f"cannot write {path}: {e.strerror or e}") from None


def progress(message: str) -> None:
    """A progress line on stderr, so that stdout stays the result."""
    print(message, file=sys.stderr, flush=True)
