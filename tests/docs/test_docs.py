"""The docs can't lie: every ```python block in docs/ and README.md runs, and shows what it prints.

Conventions (docs/contributing.md says the same):

- The blocks of one page run in order, in one namespace, in a fresh temporary directory.
- A ```python block followed directly (only blank lines between) by a ```text block claims that
  the text is exactly what the code prints; the test compares them (trailing spaces ignored).
- Fences are at the start of a line; a fence indented (inside an admonition or a list) is not run.
- A page that imports torch needs torch (skipped without it, a failure in CI); a page that
  renders with ``dot`` is skipped without it unless ``TINYGRAD_ACTS_REQUIRE_DOT=1``.

Also: the generated activation pages are what ``docs/gen_pages.py`` makes now, and the notebook
``examples/backprop_walkthrough.ipynb`` runs from top to bottom (with nbclient, when installed)
and is stored without outputs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOK = ROOT / "examples" / "backprop_walkthrough.ipynb"
PAGES = sorted(p for p in DOCS.rglob("*.md")) + [ROOT / "README.md"]
REQUIRE_DOT = os.environ.get("TINYGRAD_ACTS_REQUIRE_DOT") == "1"

_FENCE = re.compile(r"^```+\s*([\w+-]*)")


@dataclass
class Block:
    language: str
    code: str
    line: int  # of the opening fence, 1-based
    output: str | None = None  # the ```text block right after a python block


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a page, each python block paired with the text block after it."""
    found: list[Block] = []
    lines = text.splitlines()
    i = 0
    last_end = -1  # index of the closing fence of the previous block
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence = lines[i][: len(lines[i]) - len(lines[i].lstrip("`"))]
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        block = Block(match.group(1).lower(), "\n".join(body) + "\n", start + 1)
        between = lines[last_end + 1 : start]
        adjacent = found and all(not s.strip() for s in between)
        if block.language == "text" and adjacent and found[-1].language == "python":
            found[-1].output = block.code
        else:
            found.append(block)
        last_end = i
        i += 1
    return found


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


PYTHON_PAGES = [p for p in PAGES if any(b.language == "python" for b in blocks(p.read_text()))]


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=_page_id)
def test_page_runs_and_prints_what_it_shows(page, request, tmp_path, monkeypatch):
    code_blocks = [b for b in blocks(page.read_text()) if b.language == "python"]
    if any(re.search(r"^\s*import torch\b", b.code, re.M) for b in code_blocks):
        request.getfixturevalue("torch")  # skips without torch; fails in CI
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__docs__"}
    for block in code_blocks:
        where = f"{_page_id(page)}:{block.line}"
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(block.code, where, "exec"), namespace)
        except Exception as err:
            if type(err).__name__ == "DotNotFound" and not REQUIRE_DOT:
                pytest.skip(f"{where} renders with dot, which is not installed")
            raise AssertionError(f"the block at {where} raised {err!r}") from err
        if block.output is not None:
            assert _normalize(out.getvalue()) == _normalize(block.output), (
                f"the block at {where} printed\n{out.getvalue()}\nbut the page shows\n"
                f"{block.output}"
            )


def test_blocks_pairs_code_with_the_output_right_after_it():
    page = "```python\nprint(1)\n```\n\n```text\n1\n```\n\ntext\n\n```text\nalone\n```\n"
    found = blocks(page)
    assert [(b.language, b.output) for b in found] == [("python", "1\n"), ("text", None)]


def _gen_pages():
    """docs/gen_pages.py, imported as a module."""
    sys.path.insert(0, str(DOCS))
    try:
        import gen_pages
    finally:
        sys.path.remove(str(DOCS))
    return gen_pages


def test_generated_pages_are_up_to_date():
    gen_pages = _gen_pages()
    files = gen_pages.generate(gen_pages.load_measurements())
    assert gen_pages.stale(files) == [], "run: python docs/gen_pages.py --reuse"


def test_guide_pictures_are_of_the_code_on_the_page():
    gen_pages = _gen_pages()
    page = (DOCS / "autograd.md").read_text()
    assert f"```python\n{gen_pages.GUIDE_EXAMPLE}```" in page


def test_reference_covers_every_public_name():
    """Each name in the ``__all__`` of the public modules has a ``:::`` entry (its own, or its
    whole module's) or is named in the text of a reference page."""
    import importlib
    import inspect

    from tinygrad_acts import fn

    text = "\n".join(p.read_text() for p in (DOCS / "reference").glob("*.md"))
    targets = set(re.findall(r"^::: ([\w.]+)", text, re.M))
    missing = []
    public = ["tinygrad_acts", "tinygrad_acts.autograd", "tinygrad_acts.nn", "tinygrad_acts.fn"]
    for module in [*public, "tinygrad_acts.viz", "tinygrad_acts.plot"]:
        for name in importlib.import_module(module).__all__:
            obj = getattr(importlib.import_module(module), name)
            if name in fn.FUNCTIONS:  # fn.tanh ...: each has its activation page
                continue
            if inspect.ismodule(obj):
                ok = any(t.startswith(obj.__name__) for t in targets)
            elif hasattr(obj, "__qualname__") and hasattr(obj, "__module__"):
                ok = f"{obj.__module__}.{obj.__qualname__}" in targets or obj.__module__ in targets
            else:
                ok = False
            if not (ok or re.search(rf"[.`]{re.escape(name)}\b", text)):
                missing.append(f"{module}.{name}")
    assert missing == [], "add these to docs/reference/"


def test_notebook_is_stored_without_outputs():
    nb = json.loads(NOTEBOOK.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
