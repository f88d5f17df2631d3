"""The training examples run headless, finish, and their losses fall."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None

CASES = {
    "thermometer": ["--epochs", "300", "--mlp-epochs", "300"],
    "activation_shootout": ["--activations", "tanh,relu,prelu,rrelu", "--epochs", "60"],
    "spiral_classifier": ["--classes", "2", "--points", "40", "--epochs", "60"],
}


def _run(name: str, args: list[str], out: Path) -> str:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py"), *args, "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", list(CASES))
def test_example_trains_and_saves_its_figure(name, tmp_path):
    out = tmp_path / f"{name}.png"
    stdout = _run(name, CASES[name], out)
    pairs = re.findall(r"loss ([0-9.]+) -> ([0-9.]+)", stdout)
    assert pairs, f"no 'loss A -> B' line in the output of {name}:\n{stdout}"
    for first, last in pairs:
        assert float(last) < float(first), f"{name}: the loss did not fall ({first} -> {last})"
    if HAS_MATPLOTLIB:
        assert out.stat().st_size > 1000, f"{name} wrote no figure"
