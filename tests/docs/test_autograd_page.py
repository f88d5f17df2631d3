"""The guide states the core's true size: docs/autograd.md file by file, docs/index.md in total.

Both are checked against the files, as ``wc -l tinygrad_acts/core/*.py`` counts them.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = {p.name: len(p.read_text().splitlines()) for p in (ROOT / "tinygrad_acts/core").glob("*.py")}
NUMBERS = {"five": 5, "six": 6, "seven": 7, "eight": 8}


def test_the_autograd_page_gives_the_cores_true_size_file_by_file():
    page = (ROOT / "docs" / "autograd.md").read_text(encoding="utf-8")
    total = int(re.search(r"`__init__.py`, (\d+) lines", page).group(1))
    assert total == sum(CORE.values())
    rows = dict(re.findall(r"\| `(\w+\.py)` \| (\d+) \|", page))
    assert rows and all(int(n) == CORE[name] for name, n in rows.items())
    assert set(rows) | {"__init__.py"} == set(CORE)
    files = re.search(r"`tinygrad_acts/core/`: (\w+) files and an\s+`__init__.py`", page)
    assert NUMBERS[files.group(1)] == len(CORE) - 1


def test_the_home_page_gives_the_cores_true_size():
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    found = re.search(r"`tinygrad_acts/core/`, is (\d+) lines in (\w+) modules", page)
    assert found, "docs/index.md no longer states the core's size"
    assert int(found.group(1)) == sum(CORE.values())
    assert NUMBERS[found.group(2)] == len(CORE)
