"""The command line's tables: they fit 80 columns, and their numbers are rounded for display only.

Widths are measured as a terminal draws them (a wide character takes two columns, a combining
one none), on the output of ``list``, ``show`` for every activation, and ``check``.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from tinygrad_acts.cli import main
from tinygrad_acts.cli.info import default, number, table
from tinygrad_acts.cli.sampling import derivatives
from tinygrad_acts.registry import ACTIVATIONS

# Parameters named for a Greek letter may be written as the letter: in plain text, in LaTeX.
GREEK = {"alpha": ("α", r"\alpha"), "beta": ("β", r"\beta"), "lambd": ("λ", r"\lambda")}
# A number printed with a minus sign but no digit other than 0: "-0", "-0.0", "-0e+00".
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(\.0*)?(e[+-]?\d+)?(?![\w.])")


def columns(line: str) -> int:
    """The columns a terminal gives ``line``."""
    widths = {"W": 2, "F": 2}
    return sum(
        0 if unicodedata.combining(c) else widths.get(unicodedata.east_asian_width(c), 1)
        for c in line
    )


def widest(text: str) -> int:
    return max(columns(line) for line in text.splitlines())


def run(*args: str, **env: str) -> str:
    """``tinygrad-acts ARGS`` as a user runs it, its output read through a pipe."""
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environ.update(env, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_acts", *args],
        capture_output=True,
        encoding="utf-8",
        env=environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def shown(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("env", [{}, {"COLUMNS": "80"}], ids=["a pipe", "COLUMNS=80"])
def test_list_fits_80_columns_with_a_plain_formula_for_every_activation(env):
    out = run("list", **env)
    assert widest(out) <= 80
    assert "\\" not in out  # no LaTeX
    for name, entry in ACTIVATIONS.items():
        row = next(line for line in out.splitlines() if line.startswith(f"{name} "))
        assert entry.formula_text.split()[0] in row, name


def test_list_wraps_less_in_a_wider_terminal():
    wide, narrow = run("list", COLUMNS="200"), run("list", COLUMNS="80")
    assert widest(narrow) <= 80 < widest(wide)
    assert len(wide.splitlines()) < len(narrow.splitlines())


def test_show_fits_80_columns_for_every_activation(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for name in ACTIVATIONS:
        out = shown(capsys, "show", name)
        assert widest(out) <= 80, name
        assert ACTIVATIONS[name].formula_text in " ".join(out.split()), name


def test_check_fits_80_columns(torch, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = shown(capsys, "check", "sigmoid", "hardswish")
    assert widest(out) <= 80
    row = next(line for line in out.splitlines() if line.startswith("sigmoid") and "64" in line)
    abs_error = float(row.split()[2])  # f's absolute error: float64's last bits, to one digit
    assert 0 < abs_error < 1e-15


def test_a_table_wraps_its_last_column_under_itself():
    # 30 columns, less 9 for the first two and their gaps, leave 21 for the last.
    rows = [["relu", "a\nb", "one two three four five six"]]
    assert table(rows, ["name", "p", "f"], width=30).splitlines() == [
        "name  p  f",
        "----  -  ------------------",
        "relu  a  one two three four",
        "      b    five six",
    ]


def test_numbers_are_rounded_for_display_and_minus_zero_is_zero():
    assert number(0.3333333333333333) == "0.333333"
    assert number(-0.0) == "0" and number(0.0) == "0"
    assert number(-1e-300) == "-1e-300"  # small, but not zero: it keeps its sign
    assert number(2.0611536e-09) == "2.06115e-09"
    assert default(1 / 3) == "0.333333" and default(-1.0) == "-1.0" and default(20.0) == "20.0"
    assert default(0.01) == "0.01" and default("none") == "'none'" and default(False) == "False"
    assert NEGATIVE_ZERO.search("x -0 y") and NEGATIVE_ZERO.search("(-0.0)")
    assert not NEGATIVE_ZERO.search("-0.5 -1e-05 1e-07 -0x")


def test_tables_show_no_minus_zero(capsys, monkeypatch):
    # tanh''(0) is -0.0 in float64; it shows as 0.
    _, _, second = derivatives(ACTIVATIONS["tanh"], np.array([0.0]), (0, 1, 2)).values()
    assert second[0] == 0 and np.signbit(second[0])
    monkeypatch.setenv("COLUMNS", "80")
    for name in ACTIVATIONS:
        out = shown(capsys, "show", name)
        assert not NEGATIVE_ZERO.search(out), (name, NEGATIVE_ZERO.search(out))
    zero_row = next(line for line in shown(capsys, "show", "tanh").splitlines() if line[:2] == "0 ")
    assert zero_row.split() == ["0", "0", "1", "0"]


def test_parameters_are_rounded_for_display_only(capsys):
    listing = shown(capsys, "list")
    assert "upper=0.333333" in listing and "0.3333333" not in listing
    assert ACTIVATIONS["rrelu"].params["upper"] == 1 / 3  # what is computed keeps every digit
    out = shown(capsys, "show", "rrelu")
    assert "with lower=0.125, upper=0.333333, training=False" in " ".join(out.split())
    row = next(line for line in out.splitlines() if line.startswith("-1 "))
    slope = (0.125 + 1 / 3) / 2  # eval mode: the mean of lower and upper
    assert [float(c) for c in row.split()] == [-1.0, float(number(-slope)), float(number(slope)), 0]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_formulas_name_each_parameter_as_the_signature_does(name):
    """Every number the caller passes (a float parameter) appears in both forms of f by its
    name in the signature — ``negative_slope``, not a — or as the Greek letter it is named for."""
    entry = ACTIVATIONS[name]
    signature = inspect.signature(entry.function).parameters
    values = entry.call_params()
    numbers = [p for p in entry.params if isinstance(values.get(p), float)]
    assert set(numbers) <= set(signature)
    for parameter in numbers:
        plain, latex = GREEK.get(parameter, (parameter, rf"\text{{{parameter}}}"))
        assert parameter in entry.formula_text or plain in entry.formula_text, parameter
        assert latex in entry.formula, parameter


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_declaration_has_its_formulas_in_plain_text(name):
    entry = ACTIVATIONS[name]
    for text in (entry.formula_text, entry.derivative_text):
        assert text and "\\" not in text and "{" not in text
