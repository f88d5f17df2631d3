"""``list`` and ``show``: what the registry knows about each activation.

Both fit the terminal (80 columns when the output is a pipe or a file): formulas are shown in
their plain Unicode form, and long text wraps. Numbers are rounded for display only
(``number``); what is computed is never rounded.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import textwrap
from typing import Any

import numpy as np

from ..registry import ACTIVATIONS, Activation
from .errors import UserError
from .sampling import derivatives, lookup

SHOW_POINTS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)
DIGITS = 6  # significant digits of a number on screen
MIN_WRAP = 20  # the narrowest a wrapped column gets, however narrow the terminal
LABEL = 11  # the width of ``show``'s labels ("parameters", "LaTeX f'(x)")


def terminal_width() -> int:
    """Columns to fit: ``COLUMNS`` if set, else the terminal's width, else 80 (a pipe)."""
    return shutil.get_terminal_size((80, 24)).columns


def number(value: float, digits: int = DIGITS) -> str:
    """``value`` to ``digits`` significant digits, as ``g`` writes it; -0 shows as 0."""
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def default(value: Any) -> str:
    """A parameter's value as a call would write it: floats rounded (``0.333333``, ``-1.0``)."""
    if isinstance(value, float):
        text = number(value)
        return text if any(c in text for c in ".einf") else text + ".0"
    return repr(value)


def parameter_lines(entry: Activation, examples: bool = False) -> list[str]:
    """``negative_slope=0.01`` style, one per parameter: each with its default, if any (a
    required one says so, with the value the tests use if ``examples``); ``-`` for none."""
    lines = []
    for name, value in entry.params.items():
        if value is not inspect.Parameter.empty:
            lines.append(f"{name}={default(value)}")
        elif examples and name in entry.sample_params:
            lines.append(f"{name} (required; e.g. {default(entry.sample_params[name])})")
        else:
            lines.append(f"{name} (required)")
    return lines or ["-"]


def format_params(entry: Activation) -> str:
    """Every parameter on one line, as ``lower=0.125, upper=0.333333, training=False``."""
    return ", ".join(parameter_lines(entry, examples=True))


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` (a longer word stays whole);
    a continuation line is indented by two spaces."""
    return textwrap.wrap(
        text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    ) or [""]


def table(rows: list[list[str]], header: list[str], width: int | None = None) -> str:
    """Rows of text as aligned columns under a header and a rule.

    A cell may hold several lines (separated by ``\\n``). With ``width``, the last column wraps
    so that no line is longer than ``width`` — unless the other columns leave it fewer than
    ``MIN_WRAP`` characters, and then it takes ``MIN_WRAP``.
    """
    cells = [[cell.split("\n") for cell in row] for row in [header, *rows]]
    if width is not None:
        others = [
            max(len(line) for row in cells for line in row[i]) for i in range(len(header) - 1)
        ]
        room = max(width - sum(others) - 2 * len(others), MIN_WRAP)
        for row in cells[1:]:
            row[-1] = [part for line in row[-1] for part in wrap(line, room)]
    widths = [max(len(line) for row in cells for line in row[i]) for i in range(len(header))]
    lines = []
    for i, row in enumerate(cells):
        for k in range(max(len(cell) for cell in row)):
            parts = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(row, widths)]
            lines.append("  ".join(parts).rstrip())
        if i == 0:  # under the header
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def described(label: str, text: str, width: int) -> str:
    """``  label       text``: the label in its column, the text wrapped beside it."""
    return textwrap.fill(
        text,
        max(width, LABEL + 3 + MIN_WRAP),
        initial_indent=f"  {label:<{LABEL}} ",
        subsequent_indent=" " * (LABEL + 3),
        break_long_words=False,
        break_on_hyphens=False,
    )


def run_list(args: argparse.Namespace) -> int:
    rows = [
        [e.name, "\n".join(parameter_lines(e)), e.formula_text or e.formula]
        for e in ACTIVATIONS.values()
    ]
    print(table(rows, ["name", "parameters", "f(x)"], width=terminal_width()))
    print(f"\n{len(rows)} activations. `tinygrad-acts show NAME` tells more about one.")
    return 0


def value_table(f: object, points: list[float], orders: int = 2) -> str:
    """x, f(x), f'(x), ... at ``points``, by the autograd engine in float64: the values to
    ``DIGITS`` significant digits, the points as given (``-0`` stays what was asked for)."""
    x = np.array(points, dtype=np.float64)
    values = derivatives(f, x, range(orders + 1))  # type: ignore[arg-type]
    header = ["x"] + ["f" + "'" * n if n <= 3 else f"f^({n})" for n in range(orders + 1)]
    rows = [
        [f"{x[i]:g}"] + [number(values[n][i]) for n in range(orders + 1)] for i in range(len(x))
    ]
    return table(rows, header)


def kinks_line(entry: Activation) -> str:
    """Where f is not smooth, and the derivative's value there."""
    if not entry.kinks:
        if entry.kink_rule:
            return f"none in the formula; {entry.kink_rule}"
        return "none: f is infinitely differentiable"
    kinks = ", ".join(number(k) for k in entry.kinks)
    return f"x = {kinks}; at a kink: {entry.kink_rule}"


def run_show(args: argparse.Namespace) -> int:
    try:
        entry = lookup(args.name)
    except ValueError as e:
        raise UserError(str(e)) from None
    width = terminal_width()
    module = entry.module.__name__
    fields = [
        ("f(x)", entry.formula_text or entry.formula),
        ("f'(x)", entry.derivative_text or entry.derivative),
        ("parameters", format_params(entry)),
        ("kinks", kinks_line(entry)),
        ("torch", f"{entry.torch_name}, torch.nn.{module}"),
        ("ours", f"tinygrad_acts.nn.functional.{entry.name}, tinygrad_acts.nn.{module}"),
        ("LaTeX f(x)", entry.formula),
        ("LaTeX f'(x)", entry.derivative),
    ]
    print(entry.name)
    for label, text in fields:
        print(described(label, text, width))
    if not entry.elementwise:
        print("\n(not elementwise: each output depends on several inputs, so no table of f(x))")
        return 0
    points = sorted(set(SHOW_POINTS) | set(entry.kinks))
    params = entry.call_params()
    note = f" with {', '.join(f'{k}={default(v)}' for k, v in params.items())}" if params else ""
    print()
    print(textwrap.fill(f"values and derivatives (autograd, float64){note}:", width))
    print(value_table(entry, points))
    return 0
