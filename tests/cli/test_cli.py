"""``tinygrad-acts``, run as a user runs it: a subprocess, its output and its exit status."""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_acts
from tinygrad_acts import viz
from tinygrad_acts.cli import main
from tinygrad_acts.registry import ACTIVATIONS

COMMANDS = ["list", "show", "eval", "plot", "graph", "check", "demo"]
ELEMENTWISE = [name for name, e in ACTIVATIONS.items() if e.elementwise]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tinygrad_acts", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def cli_code(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the CLI's ``main`` after ``code`` has changed something (torch gone, tolerances)."""
    environ = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120
    )


def assert_user_error(done: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit 2, a clear message on stderr, and no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def table_rows(text: str) -> dict[str, list[float]]:
    """The numeric rows of a value table: ``{x: [f, f', ...]}``."""
    rows = {}
    for line in text.splitlines():
        cells = line.split()
        try:
            rows[cells[0]] = [float(c) for c in cells[1:]]
        except (ValueError, IndexError):
            continue
    return rows


def test_version_and_help():
    done = cli("--version")
    assert (
        done.returncode == 0 and done.stdout.strip() == f"tinygrad-acts {tinygrad_acts.__version__}"
    )
    done = cli()
    assert done.returncode == 0
    for command in COMMANDS:
        assert command in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    # In-process (argparse's --help is the same code either way): one subprocess is enough.
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and f"tinygrad-acts {command}" in out


def test_help_through_a_subprocess():
    done = cli("plot", "--help")
    assert done.returncode == 0 and "-o FILE" in done.stdout


def test_unknown_command_and_missing_arguments_are_usage_errors():
    assert cli("frobnicate").returncode == 2
    assert_user_error(cli("eval", "tanh(x)"), "--at")


def test_list():
    done = cli("list")
    assert done.returncode == 0
    for name in ACTIVATIONS:
        assert re.search(rf"^{name}\s", done.stdout, re.M), name
    leaky = next(line for line in done.stdout.splitlines() if line.startswith("leaky_relu "))
    assert "negative_slope=0.01" in leaky


def test_show():
    done = cli("show", "gelu")
    assert done.returncode == 0, done.stderr
    assert r"x\,\Phi(x)" in done.stdout and "torch.nn.functional.gelu" in done.stdout
    f, d1, d2 = table_rows(done.stdout)["1"]
    phi = math.exp(-0.5) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    assert f == pytest.approx(cdf, rel=1e-5)
    assert d1 == pytest.approx(cdf + phi, rel=1e-5)
    assert d2 == pytest.approx(2 * phi - phi, rel=1e-5)  # (2 - x²) φ(x) at x = 1


def test_show_a_kink_and_its_rule():
    done = cli("show", "relu6")
    assert "x = 0, 6" in done.stdout and "f'(0) = f'(6) = 0" in done.stdout
    assert table_rows(done.stdout)["6"] == [6.0, 0.0, 0.0]


def test_show_unknown_name_suggests():
    assert_user_error(cli("show", "rleu"), "unknown activation 'rleu'", "did you mean 'relu'")
    assert len(cli("show", "rleu").stderr.strip().splitlines()) == 1


def test_eval_values_and_derivatives():
    done = cli("eval", "tanh(2*x)", "--at", "0", "0.5", "--deriv", "2")
    assert done.returncode == 0, done.stderr
    rows = table_rows(done.stdout)
    t = math.tanh(1.0)
    assert rows["0"] == [0.0, 2.0, 0.0]
    assert rows["0.5"] == pytest.approx([t, 2 * (1 - t * t), -8 * t * (1 - t * t)], rel=1e-5)


def test_eval_a_bare_name():
    rows = table_rows(cli("eval", "relu6", "--at", "7", "-1").stdout)
    assert rows["7"] == [6.0, 0.0] and rows["-1"] == [0.0, 0.0]


def test_eval_parse_error_shows_a_caret():
    done = cli("eval", "tanh(2*x + )", "--at", "1")
    assert_user_error(done, "column 12")
    lines = done.stderr.splitlines()
    assert len(lines) == 3
    assert lines[1].strip() == "tanh(2*x + )"
    assert lines[2].index("^") == lines[1].index(")")  # the caret is under the culprit


def test_eval_bad_options():
    assert_user_error(cli("eval", "softmax", "--at", "1"), "not elementwise")
    assert_user_error(cli("eval", "tanh(x)", "--at", "1", "--deriv", "-1"), "--deriv")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_plot_formats(tmp_path, suffix):
    path = tmp_path / f"curves{suffix}"
    done = cli(
        "plot", "relu", "tanh(2*x) - x", "--deriv", "2", "--range", "-2", "2", "-o", str(path)
    )
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stdout
    data = path.read_bytes()
    if suffix == ".png":
        from matplotlib.image import imread

        assert imread(path)[..., :3].std() > 0.05
    else:
        assert data.startswith(b"%PDF" if suffix == ".pdf" else b"<?xml")


def test_plot_errors(tmp_path):
    out = str(tmp_path / "x.png")
    assert_user_error(cli("plot", "relu", "-o", str(tmp_path / "x.jpg")), ".png, .svg, .pdf")
    assert_user_error(cli("plot", "relu", "-o", str(tmp_path / "no" / "x.png")), "does not exist")
    assert_user_error(cli("plot", "rleu", "-o", out), "did you mean 'relu'")
    assert_user_error(cli("plot", "relu", "--range", "3", "1", "-o", out), "A < B")
    assert_user_error(cli("plot", "relu", "--range", "0", "inf", "-o", out), "finite numbers")
    assert not Path(out).exists()


def test_negative_numbers_and_expressions_are_values_not_options(tmp_path):
    """argparse would take "-1e-3" and "-3*x" for options."""
    done = cli("eval", "-3*x", "--at", "-1e-3")
    assert done.returncode == 0, done.stderr
    assert table_rows(done.stdout)["-0.001"] == pytest.approx([0.003, -3.0])
    done = cli("plot", "relu", "--range", "-1e3", "1e3", "-o", str(tmp_path / "wide.png"))
    assert done.returncode == 0, done.stderr


def test_graph_too_big_says_how_to_draw_it(tmp_path):
    deep = "tanh(" * 600 + "x" + ")" * 600
    out = str(tmp_path / "deep.gv")
    assert_user_error(cli("graph", deep, "--at", "0.5", "-o", out), "Pass --max-nodes 601")
    assert cli("graph", deep, "--at", "0.5", "-o", out, "--max-nodes", "700").returncode == 0


def test_graph_text_and_picture(tmp_path):
    done = cli("graph", "tanh(2*x + 1)", "--at", "0.5", "--text")
    assert done.returncode == 0, done.stderr
    assert "tanh" in done.stdout and "x" in done.stdout
    # d/dx tanh(2x + 1) at 0.5 = 2 (1 - tanh(2)²), in the gradient row of x
    assert f"{2 * (1 - math.tanh(2.0) ** 2):.4g}" in done.stdout
    svg = tmp_path / "g.svg"
    done = cli(
        "graph", "tanh(2*x + 1)", "--at", "0.5", "-o", str(svg), "--steps", str(tmp_path / "s")
    )
    if (
        "dot" in done.stderr
        and done.returncode == 2
        and os.environ.get("TINYGRAD_ACTS_REQUIRE_DOT") != "1"
    ):
        pytest.skip("Graphviz's dot is not installed")
    assert done.returncode == 0, done.stderr
    assert "<svg" in svg.read_text()
    frames = sorted((tmp_path / "s").glob("step_*.svg"))
    assert len(frames) >= 3 and (tmp_path / "s" / "backward.html").exists()


def test_graph_without_dot_says_how_to_get_it(tmp_path):
    env = {"PATH": "", "TINYGRAD_ACTS_DOT": ""}
    done = cli("graph", "tanh(x)", "--at", "0.5", "-o", str(tmp_path / "g.svg"), env=env)
    assert_user_error(done, "dot", "graphviz")
    assert len(done.stderr.strip().splitlines()) == 1
    done = cli("graph", "tanh(x)", "--at", "0.5", "-o", str(tmp_path / "g.mmd"), env=env)
    assert done.returncode == 0 and "flowchart" in (tmp_path / "g.mmd").read_text()


def test_check_agrees_with_torch(torch):
    done = cli("check")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    checked = {(r[0], r[1]) for r in rows if len(r) > 2 and r[-1] == "ok"}
    assert checked == {(n, d) for n in ELEMENTWISE for d in ("float32", "float64")}
    assert "checking" in done.stderr  # progress


def test_check_exit_1_on_a_mismatch(torch):
    # With zero tolerance, the last-bit differences of sigmoid in float64 are mismatches.
    code = (
        "import sys, numpy as np\n"
        "import tinygrad_acts.cli.check as c\n"
        "c.TOLERANCE = {np.float32: (0.0, 0.0), np.float64: (0.0, 0.0)}\n"
        "from tinygrad_acts.cli import main\n"
        "sys.exit(main(['check', 'relu', 'sigmoid']))\n"
    )
    done = cli_code(code)
    assert done.returncode == 1
    assert "MISMATCH" in done.stdout and "sigmoid (float64)" in done.stderr
    assert re.search(r"^relu\s+float64.*ok$", done.stdout, re.M)  # exact ones still pass


def test_check_some_names(torch):
    done = cli("check", "elu", "hardswish")
    assert done.returncode == 0
    assert {line.split()[0] for line in done.stdout.splitlines() if line.endswith(" ok")} == {
        "elu",
        "hardswish",
    }
    assert_user_error(cli("check", "rleu"), "did you mean 'relu'")


def test_check_without_torch_is_a_clear_exit_2():
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from tinygrad_acts.cli import main\n"
        "sys.exit(main(['check']))\n"
    )
    assert_user_error(cli_code(code), "pip install torch")


def listed_files(stdout: str) -> list[Path]:
    return [Path(line.strip()) for line in stdout.splitlines() if line.startswith("  ")]


def test_demo_writes_every_file_it_lists(tmp_path):
    out = tmp_path / "demo"
    done = cli("demo", "-o", str(out))
    assert done.returncode == 0, done.stderr
    files = listed_files(done.stdout)
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"activations.png", "compositions.png", "graph.txt", "graph.mmd", "index.html"} <= names
    for path in files:
        assert path.is_file() and path.stat().st_size > 0, path
    from matplotlib.image import imread

    for png in ("activations.png", "compositions.png"):
        assert imread(out / png)[..., :3].std() > 0.05
    page = (out / "index.html").read_text()
    assert 'src="activations.png"' in page and "C(A + B) + D(A + B)" in page
    assert "index.html" in done.stdout.splitlines()[-1]  # how to open it
    if os.environ.get("TINYGRAD_ACTS_REQUIRE_DOT") == "1" or "graph.svg" in names:
        assert {"graph.svg", "backward.html"} <= names and '"graph.svg"' in page
        assert any(n.startswith("backward/step_") for n in names)
    assert "drawing" in done.stderr  # progress


def test_demo_without_dot_still_writes_figures_and_text(tmp_path):
    out = tmp_path / "demo"
    done = cli("demo", "-o", str(out), env={"PATH": "", "TINYGRAD_ACTS_DOT": ""})
    assert done.returncode == 0, done.stderr
    names = {p.name for p in listed_files(done.stdout)}
    assert {"activations.png", "graph.txt", "graph.mmd", "index.html"} <= names
    assert "graph.svg" not in names and not (out / "graph.svg").exists()
    assert "install Graphviz" in done.stdout
    assert "Install Graphviz" in (out / "index.html").read_text()


def test_demo_into_an_unwritable_place(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert_user_error(cli("demo", "-o", str(blocker / "demo")), "cannot create folder")


def test_values_printed_match_the_engine():
    """The numbers the CLI prints are the engine's, rounded for display."""
    from tinygrad_acts.cli.sampling import derivatives

    rows = table_rows(cli("eval", "softplus", "--at", "-1", "2").stdout)
    exact = derivatives(ACTIVATIONS["softplus"], np.array([-1.0, 2.0]), (0, 1))
    assert rows["-1"] == pytest.approx([exact[0][0], exact[1][0]], rel=1e-5)
    assert rows["2"] == pytest.approx([exact[0][1], exact[1][1]], rel=1e-5)


def test_show_takes_torch_module_names_too(capsys):
    """A torch user types the class: ``show ReLU`` is relu, ``show LeakyReLU`` leaky_relu."""
    assert main(["show", "ReLU"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "relu"
    assert main(["show", "LeakyReLU"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "leaky_relu"


def test_a_caret_is_explained_as_not_a_power():
    done = cli("eval", "x^2", "--at", "1")
    assert_user_error(done, "unexpected character '^'", "powers are written **")


@pytest.mark.parametrize("command", ["eval", "plot"])
def test_derivative_orders_past_the_limit_are_refused_with_the_reason(command, tmp_path):
    args = ["tanh(x)", "--deriv", "11"]
    args += ["--at", "0.5"] if command == "eval" else ["-o", str(tmp_path / "p.png")]
    done = cli(command, *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--deriv must be at most 10" in done.stderr and "3.5 times" in done.stderr
    assert not (tmp_path / "p.png").exists()


def test_a_closed_pipe_ends_graph_text_quietly_with_exit_0():
    """`graph ... --text | head -c 1`: the reader stops early; no message, exit status 0."""
    command = (
        f"{sys.executable} -m tinygrad_acts graph 'tanh(x) + tanh(2*x) + tanh(3*x)' --at 0.5 "
        "--text | head -c 1 > /dev/null; echo ${PIPESTATUS[0]}"
    )
    for _ in range(5):  # the pipe closes at a different moment each time
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
        assert done.stdout.strip() == "0" and done.stderr == ""


# Ranges at the ends of float64 (#20 item 6).


def test_a_range_no_axis_can_show_is_one_line_and_exit_2(tmp_path):
    out = tmp_path / "wide.png"
    done = cli("plot", "relu", "--range", "-1e308", "1e308", "-o", str(out))
    assert_user_error(done, "--range A B must lie within ±1e+307")
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_values_that_overflow_still_make_a_figure(tmp_path):
    out = tmp_path / "exp.png"
    done = cli("plot", "exp(x)", "--range", "700", "710", "-o", str(out))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    from matplotlib.image import imread

    assert imread(out)[..., :3].std() > 0.05


# --max-nodes holds for every output, and the advice it gives works (#20 item 10).

GRAPH_OUTPUTS = {
    "text": ["--text"],
    "backward text": ["--text", "--backward"],
    "picture": ["-o", "g.gv"],
    "backward picture": ["-o", "g.gv", "--backward"],
    "steps": ["--steps", "frames"],
    "steps page": ["--steps", "frames.html"],
}


@pytest.mark.parametrize("output", GRAPH_OUTPUTS)
def test_every_graph_output_honours_max_nodes_and_its_advice_works(output, tmp_path):
    args = ["graph", "tanh(2*x + 1) * x", "--at", "0.5"]
    args += [str(tmp_path / a) if "." in a or a == "frames" else a for a in GRAPH_OUTPUTS[output]]
    done = cli(*args, "--max-nodes", "2")
    assert_user_error(done)
    advice = re.search(r"[Pp]ass --max-nodes (\d+)", done.stderr)
    assert advice, done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
    done = cli(*args, "--max-nodes", advice.group(1))
    assert done.returncode == 0, done.stderr


def test_a_deep_graph_as_text_takes_the_advice():
    deep = "tanh(" * 600 + "x" + ")" * 600
    assert_user_error(cli("graph", deep, "--at", "0.5", "--text"), "Pass --max-nodes 601")
    done = cli("graph", deep, "--at", "0.5", "--text", "--max-nodes", "601")
    assert done.returncode == 0 and "tanh" in done.stdout, done.stderr


@pytest.mark.parametrize("value", ["0", "-3"])
def test_max_nodes_below_one_is_refused(value):
    done = cli("graph", "tanh(x)", "--at", "1", "--max-nodes", value)
    assert_user_error(done, f"--max-nodes must be 1 or more, got {value}")


# Nothing on disk unless the work succeeds; no empty paths; --steps NAME.html (#20 item 12).


def test_failing_steps_leave_nothing_behind(tmp_path):
    """x alone has no backward pass to film: an error, and no folder S."""
    done = cli("graph", "x", "--at", "1", "--steps", str(tmp_path / "S"))
    assert_user_error(done, "no grad_fn")
    assert list(tmp_path.iterdir()) == []


def test_steps_into_a_name_ending_in_html_writes_one_page(tmp_path):
    page = tmp_path / "S.html"
    done = cli("graph", "tanh(2*x + 1)", "--at", "0.5", "--steps", str(page))
    assert done.returncode == 0, done.stderr
    assert page.is_file() and "<svg" in page.read_text() and 'type="range"' in page.read_text()
    x = tinygrad_acts.tensor(0.5, dtype=tinygrad_acts.float64, requires_grad=True)
    frames = len(viz.backward_steps(tinygrad_acts.tanh(2 * x + 1), {"x": x}))  # the library's
    assert done.stdout.strip() == f"wrote {page} ({frames} backward frames on one page)"
    assert list(tmp_path.iterdir()) == [page]


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "-o", ""],
        ["demo", "-o", "  "],
        ["plot", "relu", "-o", ""],
        ["graph", "tanh(x)", "--at", "1", "-o", ""],
        ["graph", "tanh(x)", "--at", "1", "--steps", ""],
    ],
)
def test_an_empty_output_path_is_refused_and_nothing_is_written(args, tmp_path):
    (tmp_path / "index.html").write_text("mine")
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_acts", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            "MPLBACKEND": "Agg",
            "PYTHONPATH": str(Path(tinygrad_acts.__file__).parents[1]),
        },
        timeout=120,
    )
    assert_user_error(done, "needs a")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert (tmp_path / "index.html").read_text() == "mine"


def test_demo_into_a_folder_that_does_not_exist_says_so(tmp_path):
    done = cli("demo", "-o", str(tmp_path / "no" / "demo"))
    assert_user_error(done, "cannot create folder", "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_staged_writes_appear_only_when_complete(tmp_path):
    from tinygrad_acts.cli.errors import UserError
    from tinygrad_acts.cli.output import staged

    target = tmp_path / "out"
    with pytest.raises(RuntimeError), staged(target) as temporary:
        temporary.mkdir()
        (temporary / "a.txt").write_text("a")
        raise RuntimeError("the work failed")
    assert list(tmp_path.iterdir()) == []
    with staged(target) as temporary:
        temporary.mkdir()
        (temporary / "a.txt").write_text("a")
        assert not target.exists()
    assert (target / "a.txt").read_text() == "a"
    (target / "notes.txt").write_text("mine")
    with staged(target) as temporary:  # into an existing folder: a.txt replaced, notes kept
        temporary.mkdir()
        (temporary / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    assert (target / "notes.txt").read_text() == "mine"
    with staged(target / "a.txt") as temporary:
        temporary.write_text("b")
    assert (target / "a.txt").read_text() == "b" and sorted(tmp_path.iterdir()) == [target]
    with pytest.raises(UserError, match="cannot write"), staged(target / "a.txt") as temporary:
        temporary.mkdir()  # a folder cannot replace a file
    assert (target / "a.txt").read_text() == "b"


# Values that start with a minus are values, not options (#20 item 13).


@pytest.mark.parametrize(
    "args, x, values",
    [
        (["-x", "--at", "1"], "1", [-1.0, -1.0]),
        (["tanh(x)", "--at", "-inf"], "-inf", [-1.0, 0.0]),
        (["tanh(x)", "--at", "-1e3"], "-1000", [-1.0, 0.0]),
        (["-tanh(x)", "--at", "0.5"], "0.5", [-math.tanh(0.5), -(1 - math.tanh(0.5) ** 2)]),
        (["-hardtanh(x)", "--at", "-0.5"], "-0.5", [0.5, -1.0]),
        (["--at", "-2", "--", "-x"], "-2", [2.0, -1.0]),
        (["--at=-2", "-3*x"], "-2", [6.0, -3.0]),
        (["-x", "--at", "-0.5", "--deriv", "1"], "-0.5", [0.5, -1.0]),
    ],
)
def test_minus_values_in_eval(args, x, values, capsys):
    assert main(["eval", *args]) == 0, capsys.readouterr().err
    assert table_rows(capsys.readouterr().out)[x] == pytest.approx(values, rel=1e-5)


def test_several_minus_points(capsys):
    assert main(["eval", "tanh(x)", "--at", "-0.5", "0.7", "-inf"]) == 0
    rows = table_rows(capsys.readouterr().out)
    assert rows["-0.5"][0] == pytest.approx(math.tanh(-0.5)) and rows["-inf"][0] == -1.0
    assert rows["0.7"][0] == pytest.approx(math.tanh(0.7))


def test_minus_values_in_graph_and_plot(tmp_path, capsys):
    assert main(["graph", "-x", "--at", "-1", "--text"]) == 0
    assert "neg" in capsys.readouterr().out
    out = tmp_path / "neg.png"
    assert main(["plot", "-x", "-tanh(x)", "--range", "-3", "-1", "-o", str(out)]) == 0
    assert out.exists()
    out = tmp_path / "abbreviated.png"
    assert main(["plot", "relu", "--out", str(out), "--range", "-1", "1"]) == 0
    assert out.exists()
    out = tmp_path / "attached.png"
    assert main(["plot", "relu", f"-o{out}"]) == 0 and out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval", "x", "--at", "-abc"], "argument --at: not a number: '-abc'"),
        (["eval", "x", "--at", "1", "--deriv", "-x"], "argument --deriv: not a whole number"),
        (["plot", "relu", "-o", "-weird.png"], "argument -o/--output: expected one argument"),
        (["eval", "x", "--at", "1", "--bogus"], "unrecognized arguments: --bogus"),
        (["show", "-relu"], "the following arguments are required: name"),
    ],
)
def test_real_options_and_their_mistakes_still_read_as_options(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


@settings(max_examples=40, deadline=None)
@given(st.floats(width=64))
def test_every_float_is_a_point(value):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["eval", "-x", "--at", repr(value)]) == 0
    row = out.getvalue().splitlines()[-1].split()
    assert row[0] == f"{value:g}"
    assert float(row[1]) == pytest.approx(-float(f"{value:.6g}"), nan_ok=True)


# -- named parts: --define NAME=TEXT ----------------------------------------------------------

CLASSIC_DEFINES = [
    *("--define", "A=tanh(x + 0.5)", "--define", "B=tanh(-2*x - 1.5)"),
    *("--define", "C=tanh(-3*x + 1.5)", "--define", "D=tanh(4*x + 1)"),
]


def classic_at(t: float) -> float:
    s = math.tanh(t + 0.5) + math.tanh(-2 * t - 1.5)
    return math.tanh(-3 * s + 1.5) + math.tanh(4 * s + 1.0)


def test_graph_draws_each_defined_part_as_a_box(tmp_path):
    svg, gv = tmp_path / "classic.svg", tmp_path / "classic.gv"
    for out in (svg, gv):
        done = cli("graph", "C(A+B) + D(A+B)", "--at", "0.5", *CLASSIC_DEFINES, "-o", str(out))
        assert done.returncode == 0, done.stderr
    labels = re.findall(r'subgraph cluster_\d+ \{\s*graph \[label="(\w+)"', gv.read_text())
    assert sorted(labels) == ["A", "B", "C", "D"]
    drawn = svg.read_text()
    for name in "ABCD":
        assert f">{name}</text>" in drawn  # each box's title, as dot drew it
    assert f"data {classic_at(0.5):.4g}" in drawn  # the output's value, at the float64 point


def test_eval_with_parts_prints_them_and_their_values():
    parts = ["--define", "A=tanh(x+0.5)", "--define", "C=sin(pi*A(x))"]
    done = cli("eval", "C + A", "--at", "0", "0.5", *parts)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "f(x) = C + A   where A = tanh(x + 0.5), C = sin(pi*A)"
    rows = table_rows(done.stdout)
    for t in (0.0, 0.5):
        a = math.tanh(t + 0.5)
        f = math.sin(math.pi * a) + a
        f1 = (math.cos(math.pi * a) * math.pi + 1) * (1 - a * a)
        assert rows[f"{t:g}"] == pytest.approx([f, f1], rel=1e-5)


def test_plot_takes_parts_too(tmp_path, monkeypatch, capsys):
    from tinygrad_acts.cli import expressions

    figures = []
    monkeypatch.setattr(expressions, "save_figure", lambda fig, path: figures.append(fig))
    parts = ["--define", "A=exp(-x**2)", "--define", "C=cos(pi*A(x))"]
    status = main(["plot", "A", "C", *parts, "--range", "-1", "1", "-o", str(tmp_path / "p.png")])
    assert status == 0, capsys.readouterr().err
    (fig,) = figures
    curves = [
        line
        for ax in fig.axes
        for line in ax.get_lines()
        if line.get_label() == "f" and len(line.get_xdata()) > 2
    ]
    assert len(curves) == 2
    x = np.asarray(curves[1].get_xdata())
    np.testing.assert_allclose(curves[0].get_ydata(), np.exp(-(x**2)), rtol=1e-12)
    np.testing.assert_allclose(curves[1].get_ydata(), np.cos(np.pi * np.exp(-(x**2))), atol=1e-12)


@pytest.mark.parametrize(
    "define, needles",
    [
        ("A", ["--define needs NAME=TEXT", "got 'A'"]),
        ("=x", ["--define needs NAME=TEXT"]),
        ("tanh=x", ["--define tanh: 'tanh' cannot name a function"]),
        ("pi=x", ["--define pi: 'pi' cannot name a function"]),
        (
            "A=tanh(x +)",
            [
                "in --define A: expected an expression, found ')' (column 9)",
                "tanh(x +)\n            ^",
            ],
        ),
        ("A=B(x)", ["in --define A: B is given after this part"]),
    ],
)
def test_a_bad_define_is_a_usage_error_that_points_at_it(define, needles):
    done = cli("eval", "A", "--at", "0", "--define", define, "--define", "B=x")
    assert_user_error(done, *needles)


def test_a_part_defined_twice_is_refused():
    done = cli("eval", "A", "--at", "0", "--define", "A=x", "--define", "A=2*x")
    assert_user_error(done, "--define A is given twice")


# -- a usage error shows the usage of the command it was made in --------------------------------


@pytest.mark.parametrize(
    "args, command, extra",
    [
        (["graph", "x", "--at", "0.5", "0.7"], "graph", "0.7"),
        (["eval", "x", "--at", "0", "--bogus"], "eval", "--bogus"),
        (["plot", "relu", "-o", "p.png", "--bogus", "-1"], "plot", "--bogus -1"),
        (["show", "relu", "gelu"], "show", "gelu"),
    ],
)
def test_unrecognized_words_show_the_commands_usage(args, command, extra, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: tinygrad-acts {command} ")
    assert err.rstrip().endswith(f"tinygrad-acts {command}: error: unrecognized arguments: {extra}")
