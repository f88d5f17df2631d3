"""The command line, ``tinygrad-acts``: look at activations, their derivatives and graphs.

Exit status: 0 on success, 1 when ``check`` finds a mismatch or the output cannot be written
(a full disk), 2 on bad usage (an unknown name, a parse error, an output path that cannot be
written, a missing optional dependency, a failing ``dot``), 70 on an internal error (a bug).
Errors are one line on stderr (two for a parse error: the text and a caret), never a
traceback; progress goes to stderr too, so stdout is only the result. Files appear only
when complete: a command that fails leaves nothing behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from .errors import UserError

INTERNAL_ERROR = 70  # sysexits.h's EX_SOFTWARE: the program, not the user, went wrong

EPILOG = """\
examples:
  tinygrad-acts demo                      # figures, graphs and an index.html to open
  tinygrad-acts list                      # every activation
  tinygrad-acts show gelu                 # one activation: formula, kinks, values
  tinygrad-acts eval "tanh(2*x)" --at 0 0.5 --deriv 2
  tinygrad-acts plot relu gelu -o acts.png
  tinygrad-acts graph "C(A + B)" --at 0.5 -o graph.svg \
      --define A="tanh(x + 0.5)" --define B="tanh(-2*x - 1.5)" --define C="tanh(-3*x + 1.5)"
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


def number(text: str) -> float:
    """A float from the command line: 1, -1e-3, inf, -inf, nan."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text.strip()!r}") from None


def whole_number(text: str) -> int:
    """An int from the command line."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text.strip()!r}") from None


# The commands whose values may start with a minus: numbers (--at -1) and expressions ("-x").
MINUS_VALUES = ("eval", "plot", "graph")
PATH_OPTIONS = ("--output", "--steps")


def _is_value(word: str, before: str) -> bool:
    """Whether ``word``, after ``before``, is a value that starts with a single minus."""
    if len(word) < 2 or word[0] != "-" or word[1] == "-" or word == "-h":
        return False
    if word.startswith("-o"):  # -o FILE, or -oFILE as argparse allows
        return False
    # a path after -o, --output, --steps or an abbreviation (--out) is argparse's to judge
    return before != "-o" and not (
        len(before) > 2 and any(p.startswith(before) for p in PATH_OPTIONS)
    )


def values_not_options(argv: Sequence[str]) -> list[str]:
    """``argv`` with each value that starts with a minus made plain to argparse.

    argparse takes every word that starts with "-" for an option, so ``--at -inf`` and
    ``eval "-x"`` would fail. In the commands of MINUS_VALUES a word that starts with a single
    "-" is an option only if it is -h or starts with -o; any other is a value, a number or an
    expression, and gets a space in front, which makes argparse take it for a value and which
    float() and the expression parser skip.
    """
    words = list(argv)
    command = next((i for i, w in enumerate(words) if not w.startswith("-")), None)
    if command is None or words[command] not in MINUS_VALUES:
        return words
    for i in range(command + 1, len(words)):
        if words[i] == "--":  # argparse's own "the rest are values"
            break
        if _is_value(words[i], words[i - 1]):
            words[i] = " " + words[i]
    return words


class Parser(argparse.ArgumentParser):
    """argparse's parser, but a failed write of --help or --version to stdout is not ignored."""

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and file is sys.stdout:  # a full disk or a closed pipe is main's to report
            file.write(message)
            file.flush()
        else:
            super()._print_message(message, file)


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
    parser.set_defaults(run=run, command_parser=parser)  # whose usage a mistake shows
    return parser


def _define(parser: argparse.ArgumentParser) -> None:
    """``--define NAME=TEXT``, as often as wanted: named parts for the expressions."""
    parser.add_argument(
        "--define",
        action="append",
        default=[],
        metavar="NAME=TEXT",
        help='a named part the expression may use, e.g. --define A="tanh(x + 0.5)"; drawn '
        "as a box by graph; a part may use the parts defined before it",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    ev.add_argument("--at", nargs="+", type=number, required=True, metavar="X", help="points")
    ev.add_argument(
        "--deriv", type=whole_number, default=1, metavar="N", help="up to the N-th (1; ≤ 10)"
    )
    _define(ev)

    pl = _command(
        commands,
        "plot",
        _run_plot,
        "the curves of activations or expressions and their derivatives, to PNG/SVG/PDF",
        'tinygrad-acts plot relu "tanh(2*x)" --deriv 2 --range -3 3 -o curves.png',
    )
    pl.add_argument("functions", nargs="+", metavar="NAME|EXPR", help="one panel each")
    pl.add_argument(
        "--deriv", type=whole_number, default=1, metavar="N", help="derivatives up to N (1; ≤ 10)"
    )
    pl.add_argument("--range", nargs=2, type=number, metavar=("A", "B"), help="x from A to B")
    pl.add_argument("-o", "--output", required=True, metavar="FILE", help=".png, .svg or .pdf")
    _define(pl)

    gr = _command(
        commands,
        "graph",
        _run_graph,
        "the computation graph of an expression at a point (needs graphviz's `dot` for pictures)",
        'tinygrad-acts graph "tanh(2*x + 1)" --at 0.5 -o graph.svg',
    )
    gr.add_argument("expr", metavar="EXPR", help="an expression in x")
    gr.add_argument("--at", type=number, required=True, metavar="X", help="the point")
    gr.add_argument("--backward", action="store_true", help="draw the backward graph instead")
    gr.add_argument(
        "--steps",
        metavar="DIR|PAGE.html",
        help="also the backward pass frame by frame: DIR/step_NNN.svg and DIR/backward.html, "
        "or only the page, with a slider, for a name ending in .html",
    )
    gr.add_argument("--text", action="store_true", help="print the graph as a text tree")
    gr.add_argument("-o", "--output", metavar="FILE", help=".svg .png .pdf .gv .txt .mmd or .html")
    gr.add_argument(
        "--max-nodes",
        type=whole_number,
        default=500,
        metavar="N",
        help="at most N nodes in any output: picture, --text, --steps (500)",
    )
    _define(gr)

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
        "tinygrad-acts demo -o demo && python -m webbrowser demo/index.html",
    )
    demo.add_argument(
        "-o", "--output", default="tinygrad-acts-demo", metavar="DIR", help="(tinygrad-acts-demo)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module's doc)."""
    who = "tinygrad-acts"  # and the command, once known: the start of every error line
    try:
        parser = build_parser()
        args = _parse(parser, sys.argv[1:] if argv is None else argv)
        if args.command is None:
            parser.print_help()
            status = 0
        else:
            who = f"tinygrad-acts {args.command}"
            status = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at the exit
        return status
    except UserError as e:
        print(f"{who}: error: {e}", file=sys.stderr)
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
        print(f"{who}: error: cannot write: {e.strerror or e}", file=sys.stderr)
        _stdout_to_devnull()
        return 1
    except Exception as e:  # a bug: still one line, which says what to report
        what = ": ".join([type(e).__name__, *str(e).splitlines()[:1]])
        print(
            f"{who}: internal error: {what} (a bug; please report it with the command)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """``parser.parse_args``, with what --help and --version print flushed before they exit,
    and words no option takes reported with the usage of the command they were given to."""
    try:
        args, extra = parser.parse_known_args(values_not_options(argv))
        if extra:  # argparse's own words, but from the command's parser
            owner = getattr(args, "command_parser", parser)
            owner.error("unrecognized arguments: " + " ".join(w.strip() for w in extra))
        return args
    except SystemExit:  # a usage error (status 2, said on stderr), --help or --version (0)
        sys.stdout.flush()  # a closed pipe or a full disk is then main's, not the exit's
        raise


def _stdout_to_devnull() -> None:
    """Point standard output at /dev/null: Python's own flush at exit would fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
