"""The plots: every line drawn equals the values and derivatives computed another way."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from matplotlib.image import imread

import tinygrad_acts as tga
from tinygrad_acts import plot
from tinygrad_acts.cli.sampling import torch_derivatives
from tinygrad_acts.registry import ACTIVATIONS

ELEMENTWISE = [name for name, e in ACTIVATIONS.items() if e.elementwise]


def lines_of(ax):
    """``{label: (x, y)}`` for the labelled lines of one panel, read back from the artists."""
    return {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    }


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def test_tanh_lines_equal_the_textbook_derivatives():
    fig = plot.curves("tanh", derivatives=(0, 1, 2))
    lines = lines_of(fig.axes[0])
    x, f = lines["f"]
    t = np.tanh(x)
    np.testing.assert_allclose(f, t, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lines["f'"][1], 1 - t**2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lines["f''"][1], -2 * t * (1 - t**2), rtol=1e-12, atol=1e-15)
    assert (x.min(), x.max()) == ACTIVATIONS["tanh"].plot_range  # the registry's range
    assert set(lines) == {"f", "f'", "f''"}  # no reference lines unless asked for


def test_piecewise_second_derivative_is_zero_and_kinks_are_marked():
    fig = plot.curves(["relu", "hardtanh"], derivatives=(0, 1, 2))
    relu, hardtanh = (lines_of(ax) for ax in visible_axes(fig))
    x, d1 = relu["f'"]
    np.testing.assert_array_equal(d1, (x > 0).astype(float))  # f'(0) = 0, as torch
    assert 0.0 in x  # the kink is on the grid, so the rule's value is drawn
    np.testing.assert_array_equal(relu["f''"][1], np.zeros_like(x))
    kx, ky = hardtanh["kinks"]
    np.testing.assert_array_equal(kx, [-1.0, 1.0])
    np.testing.assert_array_equal(ky, [-1.0, 1.0])


def test_every_activation_drawn_equals_torch(torch):
    fig = plot.curves(ELEMENTWISE, derivatives=(0, 1, 2), ncols=6)
    axes = visible_axes(fig)
    assert len(axes) == len(ELEMENTWISE)
    for name, ax in zip(ELEMENTWISE, axes):
        entry = ACTIVATIONS[name]
        lines = lines_of(ax)
        x = lines["f"][0]
        away = np.ones(x.shape, dtype=bool)  # f'' of a kink depends on the side; skip those
        for k in entry.kinks:
            away &= np.abs(x - k) > 1e-9
        theirs = torch_derivatives(entry, x, (0, 1, 2))
        for n, label in enumerate(["f", "f'", "f''"]):
            mask = away if n == 2 else np.ones_like(away)
            np.testing.assert_allclose(
                lines[label][1][mask], theirs[n][mask], rtol=1e-7, atol=1e-12, err_msg=name
            )
        assert ax.get_title().startswith(name)


def test_every_registry_formula_renders_as_mathtext_in_the_title():
    for entry in ACTIVATIONS.values():
        for tex in (entry.formula, entry.derivative):
            assert plot.formula_title(tex) is not None, (entry.name, tex)
    fig = plot.curves("sigmoid")
    expected = plot.formula_title(ACTIVATIONS["sigmoid"].formula)
    assert fig.axes[0].get_title() == f"sigmoid: {expected}"


def test_fractions_in_titles_are_set_in_display_style():
    """An inline fraction in a title is too small to read: frac and tfrac become dfrac."""
    assert plot.formula_title(r"\sigma(x) = \frac{1}{1 + e^{-x}}") == (
        r"$\sigma(x) = \dfrac{1}{1 + e^{-x}}$"
    )
    assert plot.formula_title(r"\tfrac16 x^3") == r"$\dfrac{1}{6} x^3$"
    assert plot.formula_title(r"x \le 0") == r"$x \leq 0$"


def test_a_formula_mathtext_cannot_typeset_falls_back_to_the_name():
    assert plot.formula_title(r"\nosuchcommand{x}") is None
    broken = dataclasses.replace(ACTIVATIONS["relu"], formula=r"\nosuchcommand{x}")
    fig = plot.curves([broken])
    assert fig.axes[0].get_title() == "relu"
    fig.canvas.draw()  # and the figure still draws


def test_fn_functions_and_callables_on_tensors():
    from tinygrad_acts import fn

    f = fn.parse("tanh(2*x) * x")
    x = np.linspace(-2, 2, 41)
    fig = plot.curves([f, lambda t: t * t * t], x, derivatives=(0, 1, 2, 3))
    fn_lines, cube = (lines_of(ax) for ax in visible_axes(fig))
    t = np.tanh(2 * x)
    np.testing.assert_allclose(fn_lines["f"][1], t * x, rtol=1e-12)
    np.testing.assert_allclose(fn_lines["f'"][1], t + 2 * x * (1 - t**2), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(cube["f'"][1], 3 * x**2, rtol=1e-12)
    np.testing.assert_allclose(cube["f''"][1], 6 * x, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(cube["f'''"][1], np.full_like(x, 6.0))
    assert fig.axes[0].get_title() == str(f)
    assert fig.axes[1].get_title() == "f₂"  # a lambda has no name: the panel's number


def test_expressions_as_text_are_parsed():
    fig = plot.curves("relu(x) - 0.5*x", np.array([-2.0, 0.0, 2.0]))
    np.testing.assert_allclose(lines_of(fig.axes[0])["f"][1], [1.0, 0.0, 1.0])


def test_png_is_written_and_not_blank(tmp_path):
    path = tmp_path / "curves.png"
    plot.curves(["sigmoid", "relu", "gelu"], derivatives=(0, 1)).savefig(path)
    image = imread(path)
    assert image.shape[0] > 100 and image.shape[1] > 300
    assert image[..., :3].std() > 0.05  # lines on a white background, not a blank page


def test_classic_figures():
    basic, composed = plot.classic_figures(points=61)
    names = ["sigmoid", "tanh", "hardtanh", "relu", "leaky_relu", "softplus"]
    axes = visible_axes(basic)
    assert [ax.get_title() for ax in axes] == names  # the names alone: small panels
    for ax in axes:
        x = lines_of(ax)["f"][0]
        assert (x.min(), x.max()) == (-3.0, 3.0)
    panels = visible_axes(composed)
    titles = [ax.get_title() for ax in panels]
    assert titles == [
        "A = tanh(1*x + 0.5)",  # a named unit, written out
        "B = tanh(-2*x - 1.5)",
        "A + B",  # written out, it would be too long for the panel
        "C = tanh(-3*x + 1.5)",
        "D = tanh(4*x + 1)",
        "C + D",
        "C(A + B)",
        "D(A + B)",
        "C(A + B) + D(A + B)",
    ]
    # The last panel, computed by hand with NumPy.
    x, y = lines_of(panels[-1])["f"]
    s = np.tanh(x + 0.5) + np.tanh(-2 * x - 1.5)
    np.testing.assert_allclose(y, np.tanh(-3 * s + 1.5) + np.tanh(4 * s + 1.0), rtol=1e-12)


def test_compare_draws_the_difference(torch):
    fig = plot.compare("gelu")
    top, bottom = fig.axes
    lines, diff = lines_of(top), lines_of(bottom)
    x, ours = lines["f (ours)"]
    from math import erf, sqrt

    np.testing.assert_allclose(ours, [v * 0.5 * (1 + erf(v / sqrt(2))) for v in x], rtol=1e-12)
    theirs = torch.nn.functional.gelu(torch.tensor(x)).numpy()
    np.testing.assert_allclose(lines["f (torch)"][1], theirs, rtol=1e-15)
    np.testing.assert_array_equal(diff["f: ours − torch"][1], ours - theirs)
    assert np.abs(diff["f': ours − torch"][1]).max() < 1e-12


def test_compare_without_torch_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match="needs torch: pip install torch"):
        plot.compare("relu")


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="did you mean 'relu'"):
        plot.curves("rleu")
    with pytest.raises(ValueError, match="softmax is not elementwise"):
        plot.curves("softmax")
    with pytest.raises(ValueError, match="derivatives must be integers >= 0"):
        plot.curves("relu", derivatives=(-1,))
    with pytest.raises(TypeError, match="got int"):
        plot.curves([3])


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=60
    )


def test_without_matplotlib_the_error_names_the_extra():
    done = run_python(
        "import sys; sys.modules['matplotlib'] = None\n"
        "try:\n    import tinygrad_acts.plot\n"
        "except ImportError as e:\n    print(e)\n"
    )
    assert "pip install tinygrad-acts[plot]" in done.stdout, done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is Linux's")
def test_headless_uses_agg():
    done = run_python(
        "import tinygrad_acts.plot, matplotlib; print(matplotlib.get_backend().lower())"
    )
    assert done.stdout.strip() == "agg", done.stderr


def test_plotting_leaves_no_pyplot_state():
    plot.curves("relu")
    assert (
        "matplotlib.pyplot" not in sys.modules
        or not __import__("matplotlib.pyplot").pyplot.get_fignums()
    )
    assert tga.tensor([1.0]).requires_grad is False


# Ranges at the ends of float64: a figure where one can be drawn, else a ValueError naming x.


def test_values_past_the_largest_float_still_make_a_figure():
    """exp on [700, 710] overflows to inf at the end: the axis stops at ±AXIS_LIMIT."""
    x = np.linspace(700, 710, 101)
    fig = plot.curves("exp(x)", x)
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert -plot.AXIS_LIMIT <= lo < 0 and hi == plot.AXIS_LIMIT
    assert "off the axis" in ax.get_title()
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(lines_of(ax)["f"][1], np.exp(x))  # the data, inf and all
    fig.savefig(io.BytesIO(), format="png")


def test_a_range_up_to_the_limit_draws_without_overflow():
    x = np.linspace(-plot.AXIS_LIMIT, plot.AXIS_LIMIT, 101)
    fig = plot.curves(["relu", "x**2"], x, derivatives=(0, 1, 2))
    for ax in visible_axes(fig):
        assert all(np.isfinite(ax.get_ylim()))
    fig.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize(
    "x, message",
    [
        ([-1e308, 1e308], r"x must lie within ±1e\+307"),
        ([0.0, np.finfo(np.float64).max], r"x must lie within ±1e\+307"),
        ([0.0, np.inf], "finite numbers only"),
        ([np.nan, 1.0], "finite numbers only"),
        ([2.0, 2.0], "x must span an interval"),
        ([1.0], "at least two points"),
        ("abc", "x must be numbers"),
    ],
)
def test_an_x_no_axis_can_show_is_a_value_error_naming_x(x, message):
    with pytest.raises(ValueError, match=message):
        plot.curves("relu", x)
    with pytest.raises(ValueError, match=message):
        plot.compare("relu", x)  # x is checked before torch is needed


@pytest.mark.parametrize("points", [1, 0, -5, 2.5, True])
def test_a_bad_number_of_points_is_named(points):
    with pytest.raises(ValueError, match="points must be a whole number >= 2"):
        plot.classic_figures(points=points)
    with pytest.raises(ValueError, match="points must be a whole number >= 2"):
        plot.compare("relu", points=points)


def test_x_alone_and_fn_function_names_are_expressions():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(lines_of(plot.curves("x", x).axes[0])["f"][1], x)
    np.testing.assert_allclose(lines_of(plot.curves("exp", x).axes[0])["f"][1], np.exp(x))


FUNCTIONS = ["relu", "tanh", "exp(x)", "-exp(x)", "x**2", "1/x", "log(x)", "x*1e-300"]
EDGES = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=25, deadline=None)
@given(f=st.sampled_from(FUNCTIONS), a=EDGES, b=EDGES)
def test_any_range_gives_a_figure_or_a_value_error_naming_x(f, a, b):
    """From 5e-324 to 1.8e308: a figure that draws without a warning, or x's ValueError."""
    x = np.array([a, (a + b) / 2 if np.isfinite((a + b) / 2) else a / 2 + b / 2, b])
    try:
        fig = plot.curves(f, x, derivatives=(0, 1))
    except ValueError as e:
        assert str(e).startswith("x must"), e
        return
    for ax in visible_axes(fig):
        lo, hi = ax.get_ylim()
        assert -plot.AXIS_LIMIT <= lo < hi <= plot.AXIS_LIMIT
    fig.savefig(io.BytesIO(), format="png")  # warnings are errors here: none on the way
