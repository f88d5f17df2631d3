"""The command line, ``tinygrad-acts``: look at activations, their derivatives and graphs.

Exit status: 0 on success, 1 when ``check`` finds a mismatch, 2 on bad usage (an unknown
name, a parse error, an output path that cannot be written, a missing optional dependency).
User errors are one line on stderr (two for a parse error: the text and a caret), never a
traceback; progress goes to stderr too, so stdout is only the result.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from .errors import UserError

EPILOG = """\
examples:
  tinygrad-acts demo                      # figures, graphs and an index.html to open
  tinygrad-acts list                      # every activation
  tinygrad-acts show gelu                 # one activation: formula, kinks, values
  tinygrad-acts eval "tanh(2*x)" --at 0 0.5 --deriv 2
  tinygrad-acts plot relu gelu -o acts.png
  tinygrad-acts check                     # every activation against torch
"""


def _run_list(args: argparse.Namespace) -> int:
    from .info import run_list

    return run_list(args)


def _run_show(args: argparse.Namespace) -> int:
    from .info import run_show

    return run_show(args)


def _run_check(args: argparse.Namespace) -> int:
    from .check import run_check

    return run_check(args)


def _run_eval(args: argparse.Namespace) -> int:
    from .expressions import run_eval

    return run_eval(args)


def _run_plot(args: argparse.Namespace) -> int:
    from .expressions import run_plot

    return run_plot(args)


def _run_graph(args: argparse.Namespace) -> int:
    from .graph import run_graph

    return run_graph(args)


def _run_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args)


_NEGATIVE_VALUE = re.compile(r"^-(\d|\.\d|\()")


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    run: Callable[[argparse.Namespace], int],
    summary: str,
    example: str,
) -> argparse.ArgumentParser:
    """One subcommand, with its one-line summary and an example in its ``--help``."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    # argparse takes "-1e-3" or "-3*x" for an option: numbers in any notation, and expressions
    # that start with a minus and a digit, a point or a bracket, are values here.
    parser._negative_number_matcher = _NEGATIVE_VALUE
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinygrad-acts",
        description="Activations, their derivatives and computation graphs, from the command line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tinygrad-acts {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _command(commands, "list", _run_list, "a table of every activation", "tinygrad-acts list")

    show = _command(
        commands,
        "show",
        _run_show,
        "formula, derivative, kinks, torch counterpart and values of one activation",
        "tinygrad-acts show leaky_relu",
    )
    show.add_argument("name", help="an activation name (see `tinygrad-acts list`)")

    ev = _command(
        commands,
        "eval",
        _run_eval,
        "value and derivatives of an expression at some points",
        'tinygrad-acts eval "tanh(-3*x + 1.5)" --at -1 0 1 --deriv 2',
    )
    ev.add_argument("expr", metavar="EXPR", help='an expression in x, e.g. "relu(x) - 0.5*x"')
    ev.add_argument("--at", nargs="+", type=float, required=True, metavar="X", help="points")
    ev.add_argument("--deriv", type=int, default=1, metavar="N", help="up to the N-th (1; ≤ 10)")

    pl = _command(
        commands,
        "plot",
        _run_plot,
        "the curves of activations or expressions and their derivatives, to PNG/SVG/PDF",
        'tinygrad-acts plot relu "tanh(2*x)" --deriv 2 --range -3 3 -o curves.png',
    )
    pl.add_argument("functions", nargs="+", metavar="NAME|EXPR", help="one panel each")
    pl.add_argument(
        "--deriv", type=int, default=1, metavar="N", help="derivatives up to N (1; ≤ 10)"
    )
    pl.add_argument("--range", nargs=2, type=float, metavar=("A", "B"), help="x from A to B")
    pl.add_argument("-o", "--output", required=True, metavar="FILE", help=".png, .svg or .pdf")

    gr = _command(
        commands,
        "graph",
        _run_graph,
        "the computation graph of an expression at a point (needs graphviz's `dot` for pictures)",
        'tinygrad-acts graph "tanh(2*x + 1)" --at 0.5 -o graph.svg',
    )
    gr.add_argument("expr", metavar="EXPR", help="an expression in x")
    gr.add_argument("--at", type=float, required=True, metavar="X", help="the point")
    gr.add_argument("--backward", action="store_true", help="draw the backward graph instead")
    gr.add_argument("--steps", metavar="DIR", help="also write the backward pass frame by frame")
    gr.add_argument("--text", action="store_true", help="print the graph as a text tree")
    gr.add_argument("-o", "--output", metavar="FILE", help=".svg .png .pdf .gv .txt .mmd or .html")
    gr.add_argument(
        "--max-nodes", type=int, default=500, metavar="N", help="draw at most N nodes (500)"
    )

    check = _command(
        commands,
        "check",
        _run_check,
        "every activation against torch: value, f', f'' in float32 and float64 "
        "(exit 1 on a mismatch, 2 if torch is not installed)",
        "tinygrad-acts check            # or: tinygrad-acts check relu gelu",
    )
    check.add_argument("names", nargs="*", metavar="NAME", help="only these (default: all)")

    demo = _command(
        commands,
        "demo",
        _run_demo,
        "write the classic figures, a graph and its backward frames, and an index.html",
        "tinygrad-acts demo -o demo && open demo/index.html",
    )
    demo.add_argument(
        "-o", "--output", default="tinygrad-acts-demo", metavar="DIR", help="(tinygrad-acts-demo)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed check, 2 bad usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with a usage line on bad arguments
    if args.command is None:
        parser.print_help()
        return 0
    try:
        status = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at the exit
        return status
    except UserError as e:
        print(f"tinygrad-acts {args.command}: error: {e}", file=sys.stderr)
        if e.detail:
            print(e.detail, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `tinygrad-acts show relu | head`: the reader has had enough
        _stdout_to_devnull()
        return 0
    except OSError as e:  # `... > /dev/full`: what was written could not be kept
        print(
            f"tinygrad-acts {args.command}: error: cannot write: {e.strerror or e}", file=sys.stderr
        )
        _stdout_to_devnull()
        return 1


def _stdout_to_devnull() -> None:
    """Point standard output at /dev/null: Python's own flush at exit would fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
