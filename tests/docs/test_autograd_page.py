"""docs/autograd.md states the core's true size, file by file: checked against the files."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_gives_the_cores_true_size():
    page = (ROOT / "docs" / "autograd.md").read_text(encoding="utf-8")
    files = {
        p.name: len(p.read_text().splitlines()) for p in (ROOT / "tinygrad_acts/core").glob("*.py")
    }
    total = int(re.search(r"`__init__.py`, (\d+) lines", page).group(1))
    assert total == sum(files.values())
    rows = dict(re.findall(r"\| `(\w+\.py)` \| (\d+) \|", page))
    assert rows and all(int(n) == files[name] for name, n in rows.items())
    assert set(rows) | {"__init__.py"} == set(files)
