"""Writing files for the command line: check the path first, so a typo costs no work, and
write where nothing shows until the work is done, so a failure leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _parent_folder(path: str, what: str) -> Path:
    """The folder ``path`` goes in, after checking that it exists and can be written."""
    folder = Path(path).parent
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise UserError(f"cannot {what}: folder {str(folder)!r} {state}")
    if not os.access(folder, os.W_OK):
        raise UserError(f"cannot {what}: permission denied")
    return folder


def writable_file(path: str, suffixes: tuple[str, ...] | None = None, option: str = "-o") -> Path:
    """``path`` as a Path, after checking its name, its suffix and that it can be written."""
    if not path.strip():
        raise UserError(f"{option} needs a file name, got {path!r}")
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise UserError(
            f"cannot tell the format of {path!r}: use a file name ending in " + ", ".join(suffixes)
        )
    if p.is_dir():
        raise UserError(f"cannot write {path}: it is a folder")
    _parent_folder(path, f"write {path}")
    if p.exists() and not os.access(p, os.W_OK):
        raise UserError(f"cannot write {path}: permission denied")
    return p


def writable_folder(path: str, option: str = "-o") -> Path:
    """``path`` as a Path to a folder that exists or can be created in an existing folder."""
    if not path.strip():  # "" would be the current folder: say so rather than write there
        raise UserError(f"{option} needs a folder name, got {path!r} (use . for this folder)")
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UserError(f"cannot create folder {path}: a file of that name exists")
    _parent_folder(path, f"create folder {path}")
    if p.is_dir() and not os.access(p, os.W_OK):
        raise UserError(f"cannot write into folder {path}: permission denied")
    return p


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Where to write ``target`` (a file or a folder) so that it appears only once complete.

    Yields a path of the same name inside a hidden folder next to ``target``. When the block
    ends without an error, what was written there is moved onto ``target`` (a folder into an
    existing folder entry by entry, replacing files of the same names); on an error it is
    removed and ``target`` is left as it was. An OSError is "cannot write TARGET: reason".
    """
    place = Path(os.path.abspath(target))  # "..", "." and "demo/" by their real names
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{place.name}.", dir=place.parent))
    except OSError as e:
        raise UserError(f"cannot write {target}: {e.strerror or e}") from None
    try:
        yield stage / (place.name or "root")
        _move(stage / (place.name or "root"), place)
    except OSError as e:
        raise UserError(f"cannot write {target}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    """``source`` renamed to ``target``; a folder onto an existing folder, entry by entry."""
    if source.is_dir() and target.is_dir():
        for entry in source.iterdir():
            _move(entry, target / entry.name)
    else:
        os.replace(source, target)


def save_figure(fig: object, path: Path) -> None:
    """``fig.savefig(path)``, written in full or not at all."""
    with staged(path) as temporary:
        fig.savefig(temporary)  # type: ignore[attr-defined]


def progress(message: str) -> None:
    """A progress line on stderr, so that stdout stays the result."""
    print(message, file=sys.stderr, flush=True)
