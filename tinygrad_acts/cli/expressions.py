"""``eval`` and ``plot``: functions given on the command line, by name or as expressions.

A bare activation name (``relu``) is the registry's function with its default parameters;
anything else is read by ``fn.parse`` — a real parser, never Python's ``eval``. Named parts
come from ``--define NAME=TEXT``, each text read by the same parser (``fn.parse`` takes them
as text): ``graph "C(A + B)" --define A="tanh(x + 0.5)" ...`` draws A, B and C as boxes.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..registry import ACTIVATIONS
from .errors import UserError
from .info import value_table
from .output import FIGURE_SUFFIXES, save_figure, writable_file
from .sampling import elementwise, lookup

PLOT_POINTS = 401


def load_fn() -> Any:
    """The ``fn`` package, or a one-line error if this install does not have it yet."""
    try:
        from .. import fn
    except ImportError as e:
        raise UserError(f"expressions are not available yet in this version ({e})") from None
    if not hasattr(fn, "parse"):
        raise UserError("expressions are not available yet in this version (no fn.parse)")
    return fn


def load_plot() -> Any:
    """The ``plot`` package, or its one-line ImportError (how to install matplotlib)."""
    try:
        from .. import plot
    except ImportError as e:
        raise UserError(str(e)) from None
    return plot


def parts_of(definitions: Sequence[str]) -> dict[str, str]:
    """The ``--define NAME=TEXT`` words as ``{NAME: TEXT}``, in the order given."""
    parts: dict[str, str] = {}
    for word in definitions:
        name, equals, text = word.partition("=")
        name = name.strip()
        if not equals or not name:
            raise UserError(
                f'--define needs NAME=TEXT, as in --define A="tanh(x + 0.5)"; got {word.strip()!r}'
            )
        if name in parts:
            raise UserError(f"--define {name} is given twice")
        fn = load_fn()
        try:
            fn.expr.check_name(name)
        except ValueError as e:
            raise UserError(f"--define {name}: {e}") from None
        parts[name] = text
    return parts


def function_of(text: str, parts: dict[str, str] | None = None) -> Any:
    """An activation (for a bare name) or the ``fn`` function that ``text`` spells, with the
    named ``parts`` (from ``parts_of``) bound."""
    parts = parts or {}
    text = text.strip()
    if text.isidentifier() and text != "x" and text not in parts:
        try:
            return elementwise(lookup(text))
        except ValueError as e:
            fn = load_fn() if text not in ACTIVATIONS else None
            if fn is not None and text in fn.FUNCTIONS:  # exp, log, sqrt, abs
                return fn.FUNCTIONS[text]
            raise UserError(str(e)) from None
    fn = load_fn()
    try:
        return fn.parse(text, **parts)
    except fn.ParseError as e:
        raise UserError(*parse_error_lines(e)) from None
    except (ValueError, TypeError) as e:
        raise UserError(str(e)) from None


def parse_error_lines(error: Exception) -> tuple[str, str]:
    """A parse error as (message, detail): the first line, then the text with its caret; a
    mistake in a named part is said to be in its ``--define``."""
    lines = str(error).splitlines() or [repr(error)]
    part = getattr(error, "part", None)
    if part is not None and lines[0].startswith(f"in {part}: "):
        lines[0] = f"in --define {part}: " + lines[0][len(f"in {part}: ") :]
    return lines[0], "\n".join(lines[1:])


def described(f: Any) -> str:
    """How ``eval`` names a function: its name, or its text and what its named parts are."""
    if f in ACTIVATIONS.values():
        return f.name
    parts = load_fn().expr.named_parts(f)
    where = ", ".join(f"{p.name} = {p.body}" for p in parts)
    return f"{f}" + (f"   where {where}" if where else "")


# Each order of derivative costs about 3.5 times the one before (its graph is that much larger):
# order 10 takes about a second, 13 half a minute, 20 more memory than a machine has.
MAX_DERIV = 10


def _check_deriv(deriv: int) -> None:
    if deriv < 0:
        raise UserError(f"--deriv must be 0 or more, got {deriv}")
    if deriv > MAX_DERIV:
        raise UserError(
            f"--deriv must be at most {MAX_DERIV}, got {deriv}: each order costs about 3.5 times "
            "the one before (order 13 takes half a minute, 20 more memory than a machine has)"
        )


def run_eval(args: argparse.Namespace) -> int:
    _check_deriv(args.deriv)
    f = function_of(args.expr, parts_of(args.define))
    print(f"f(x) = {described(f)}")
    print(value_table(f, args.at, orders=args.deriv))
    return 0


def run_plot(args: argparse.Namespace) -> int:
    _check_deriv(args.deriv)
    path = writable_file(args.output, FIGURE_SUFFIXES)
    parts = parts_of(args.define)
    functions = [function_of(text, parts) for text in args.functions]
    plot = load_plot()
    x = None
    if args.range is not None:
        a, b = args.range
        if not (math.isfinite(a) and math.isfinite(b)):
            raise UserError(f"--range A B needs finite numbers, got {a:g} {b:g}")
        if not a < b:
            raise UserError(f"--range A B needs A < B, got {a:g} {b:g}")
        if max(-a, b) > plot.AXIS_LIMIT:
            raise UserError(
                f"--range A B must lie within ±{plot.AXIS_LIMIT:g}, the widest axis matplotlib "
                f"can draw; got {a:g} {b:g}"
            )
        x = np.linspace(a, b, PLOT_POINTS)
    try:
        fig = plot.curves(functions, x, derivatives=tuple(range(args.deriv + 1)))
    except (ValueError, TypeError) as e:  # what the plot refuses, in its own words
        raise UserError(str(e)) from None
    save_figure(fig, path)
    print(f"wrote {path}")
    return 0
