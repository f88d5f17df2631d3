"""torch scripts a learner has, run unchanged: each file in ``tests/scripts`` imports ``torch``
and prints what it computed. Run once with torch and once with ``python -m
tinygrad_acts.as_torch`` (``import torch`` finds tinygrad_acts), the two print the same lines.

The scripts are the shape of the beginner tutorials: a cubic fitted to sin(x) with tensors
only, with autograd, with a custom ``autograd.Function``, with ``nn`` and ``optim``, a custom
``nn.Module``, the autograd tutorial's first steps, a classifier with a ``DataLoader``, and a
layer written by hand, its outputs filled in place in a loop.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).parent.parent / "scripts").glob("*.py"))
ROOT = Path(__file__).resolve().parents[2]


def _run(*command: str) -> str:
    done = subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_a_torch_script_prints_what_it_prints_under_torch(script, torch):
    theirs = _run(str(script))
    ours = _run("-m", "tinygrad_acts.as_torch", str(script))
    assert ours.splitlines() == theirs.splitlines()


def test_the_runner_without_a_script_says_how_to_use_it():
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_acts.as_torch"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2 and "as_torch script.py" in done.stdout
