"""The command line never shows a traceback: not into a closed pipe, not onto a full disk, not
when ``dot`` fails, not for any junk typed at it (#20). Each case runs as a user runs it, a
subprocess, except the many generated ones, which call ``main`` in the same process."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_acts
from tinygrad_acts.cli import main

# The package under test, for a subprocess that runs in another folder.
ROOT = str(Path(tinygrad_acts.__file__).parents[1])
NO_DOT = {"PATH": "", "TINYGRAD_ACTS_DOT": ""}
FAILING_DOT = {"TINYGRAD_ACTS_DOT": "/bin/false"}
POINTS = [f"{i / 10:g}" for i in range(-100, 100)]
SUM = " + ".join(f"tanh({i}*x)" for i in range(1, 40))

# Every command, with arguments that write a lot to stdout where it can, and what it needs.
COMMANDS = {
    "help": ([], {}),
    "list": (["list"], {}),
    "show": (["show", "gelu"], {}),
    "eval": (["eval", "tanh(x)", "--at", *POINTS, "--deriv", "2"], {}),
    "plot": (["plot", "relu", "-o", "{tmp}/p.png"], {}),
    "graph": (["graph", SUM, "--at", "0.5", "--text"], {}),
    "check": (["check", "relu"], {}),
    "demo": (["demo", "-o", "{tmp}/demo"], NO_DOT),  # without dot: the same output, sooner
}


def test_every_command_is_covered():
    from tinygrad_acts.cli import build_parser

    (commands,) = [a for a in build_parser()._actions if a.choices]  # the subcommands
    assert set(commands.choices) == set(COMMANDS) - {"help"}


def command(name: str, tmp_path: Path) -> tuple[list[str], dict]:
    args, env = COMMANDS[name]
    argv = [sys.executable, "-m", "tinygrad_acts", *(a.format(tmp=tmp_path) for a in args)]
    return argv, {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": ROOT, **env}


def progress_only(lines: list[str]) -> bool:
    """Whether these stderr lines are progress (``demo``, ``check``), not errors."""
    return all(not line.startswith("tinygrad-acts") and "rror" not in line for line in lines)


@pytest.fixture(params=list(COMMANDS))
def name(request):
    if request.param == "check":
        request.getfixturevalue("torch")  # check needs torch; the fixture skips without it
    return request.param


def test_a_pipe_closed_after_one_line_ends_quietly(name, tmp_path):
    """``tinygrad-acts COMMAND | head -1``: exit status 0, no message, no traceback."""
    argv, env = command(name, tmp_path)
    reader = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    text = err.decode()
    assert reader.returncode == 0, text
    assert "Traceback" not in text and progress_only(text.splitlines())


def test_a_full_disk_is_one_line_and_exit_1(name, tmp_path):
    """``tinygrad-acts COMMAND > /dev/full``: the output cannot be kept, and it says so."""
    argv, env = command(name, tmp_path)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            argv, stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=120
        )
    assert done.returncode == 1, done.stderr
    *before, last = done.stderr.strip().splitlines()
    who = "tinygrad-acts" if name == "help" else f"tinygrad-acts {name}"
    assert last == f"{who}: error: cannot write: No space left on device"
    assert progress_only(before), done.stderr


DOT_USERS = {
    "graph picture": ["graph", "tanh(x)", "--at", "0.5", "-o", "{tmp}/out/g.svg"],
    "graph backward png": [
        "graph",
        "tanh(x)",
        "--at",
        "0.5",
        "--backward",
        "-o",
        "{tmp}/out/g.png",
    ],
    "graph page": ["graph", "tanh(x)", "--at", "0.5", "-o", "{tmp}/out/g.html"],
    "graph steps": ["graph", "tanh(2*x)", "--at", "0.5", "--steps", "{tmp}/out/S"],
    "graph steps page": ["graph", "tanh(2*x)", "--at", "0.5", "--steps", "{tmp}/out/S.html"],
    "graph all": [
        "graph",
        "x*x",
        "--at",
        "1",
        "--text",
        "-o",
        "{tmp}/out/g.gv",
        "--steps",
        "{tmp}/out/S",
    ],
    "demo": ["demo", "-o", "{tmp}/out/demo"],
}


@pytest.mark.parametrize("case", DOT_USERS)
def test_a_failing_dot_is_one_line_exit_2_and_leaves_nothing(case, tmp_path):
    (tmp_path / "out").mkdir()
    args = [a.format(tmp=tmp_path) for a in DOT_USERS[case]]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": ROOT, **FAILING_DOT}
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_acts", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    *before, last = done.stderr.strip().splitlines()
    assert last == f"tinygrad-acts {args[0]}: error: dot failed (exit status 1):"
    assert progress_only(before), done.stderr
    assert list((tmp_path / "out").iterdir()) == []  # not a file, not a folder, not a stage


# Junk: generated command lines. Values a user could type (numbers in any spelling,
# expressions, file names) and plain junk, in any order, with and without the right options.

NUMBERS = st.one_of(
    st.floats(width=64).map(repr),
    st.integers(-3, 12).map(str),
    st.sampled_from(["inf", "-inf", "nan", "-0", "1e999", "-1e-400", "0x10", "1_0", "1e308"]),
)
EXPRESSIONS = st.one_of(
    st.sampled_from(
        [
            "x",
            "-x",
            "tanh(x)",
            "-tanh(2*x)",
            "relu",
            "exp",
            "exp(x)",
            "x**x",
            "1/x",
            "log(-x)",
            "softmax",
            "x^2",
            "tanh(",
            ")",
            "",
            " ",
            "-",
            "x,",
            "prelu(x)",
            "hardtanh(x, 2, 1)",
            "elu(x, alpha=-1)",
            "leaky_relu(x, negative_slope=x)",
            "((((x))))",
            "x" * 300,
        ]
    ),
    st.text(alphabet="x0123456789.+-*/() e^,=_abcdghilnmoprstuw", max_size=24),
)
PATHS = st.sampled_from(
    [
        "p.png",
        "p.svg",
        "p.pdf",
        "p.jpg",
        "g.gv",
        "g.txt",
        "g.mmd",
        "g.html",
        "S",
        "S.html",
        "",
        " ",
        ".",
        "-p.png",
        "P.PNG",
        "x",
    ]
)
OPTIONS = st.sampled_from(
    [
        "--at",
        "--deriv",
        "--range",
        "-o",
        "--output",
        "--text",
        "--backward",
        "--steps",
        "--max-nodes",
        "-h",
        "--",
        "--at=",
        "--at=-1",
        "--bogus",
        "-",
        "-x",
        "-hx",
        "-o",
        "--out",
    ]
)
# Plain junk: anything one can type in a shell (no NUL), as a relative name at most, so
# that the files a command writes stay in its own folder.
JUNK = st.text(max_size=12).filter(lambda s: "\x00" not in s and "/" not in s and s != "..")
ANY = st.one_of(NUMBERS, EXPRESSIONS, PATHS, OPTIONS, JUNK)
NAMES = st.one_of(st.sampled_from(["relu", "gelu", "softmax", "ReLU", "rleu"]), JUNK)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command with well-formed arguments of junk values, or a command and any words."""
    name = draw(st.sampled_from(["show", "eval", "plot", "graph", "check"]))
    if draw(st.booleans()):
        return [name, *draw(st.lists(ANY, min_size=1, max_size=6))]
    if name in ("show", "check"):
        return [name, draw(NAMES)]
    if name == "eval":
        points = draw(st.lists(NUMBERS, min_size=1, max_size=3))
        args = [draw(EXPRESSIONS), "--at", *points]
    elif name == "plot":
        args = [draw(EXPRESSIONS), "--range", draw(NUMBERS), draw(NUMBERS), "-o", draw(PATHS)]
    else:
        args = [draw(EXPRESSIONS), "--at", draw(NUMBERS)]
        args += draw(st.sampled_from([["--text"], ["--backward", "--text"], ["-o", "g.gv"]]))
        args += draw(st.sampled_from([[], ["-o", draw(PATHS)], ["--steps", draw(PATHS)]]))
        args += draw(st.sampled_from([[], ["--max-nodes", draw(NUMBERS)]]))
    args += draw(st.sampled_from([[], ["--deriv", str(draw(st.integers(-1, 3)))]]))
    return [name, *draw(st.permutations(args))] if draw(st.booleans()) else [name, *args]


def run_in_process(argv: list[str]) -> tuple[int, str]:
    """``main(argv)`` in a fresh folder: its exit status and what it wrote on stderr."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
        except SystemExit as e:  # argparse: --help, or a usage error
            status = e.code
        finally:
            os.chdir(here)
    return status, err.getvalue()


def assert_clean(status: int, err: str) -> None:
    """Exit 0 or 2; no traceback, no internal error; an error is one line."""
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("tinygrad-acts")]
    assert len(errors) <= 1, err
    if status == 2:
        assert errors, err


@settings(max_examples=40, deadline=None)
@given(command_lines())
def test_junk_in_process_is_never_a_traceback(argv):
    """Warnings are errors here, so a warning on the way fails too (as internal error)."""
    assert_clean(*run_in_process(argv))


@settings(max_examples=8, deadline=None)
@given(command_lines())
def test_junk_in_a_subprocess_is_never_a_traceback(argv):
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-m", "tinygrad_acts", *argv],
            capture_output=True,
            text=True,
            cwd=folder,
            env={**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": ROOT},
            timeout=120,
        )
    assert_clean(done.returncode, done.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "extra"],
        ["list", "-x"],
        ["demo", "extra"],
        ["demo", "-o"],
        ["demo", "-o", ""],
        ["demo", "--output="],
        ["nosuchcommand"],
        ["-x"],
        ["--version", "extra"],
    ],
)
def test_junk_for_list_and_demo_and_none(argv):
    assert_clean(*run_in_process(argv))
