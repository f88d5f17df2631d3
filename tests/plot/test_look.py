"""How the figures look, read from the figure's data: limits, titles, legends, axes, layout."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from tinygrad_acts import fn, plot
from tinygrad_acts.plot import style
from tinygrad_acts.registry import ACTIVATIONS

ROOT = Path(__file__).resolve().parents[2]
ELEMENTWISE = [name for name, e in ACTIVATIONS.items() if e.elementwise]


def lines_of(ax):
    """``{label: (x, y)}`` for the labelled lines of one panel."""
    return {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    }


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def legend_texts(fig):
    """The entries of every legend of the figure: the figure's own, then each panel's."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    return [[t.get_text() for t in lg.get_texts()] for lg in legends if lg is not None]


# -- the y-range is the data's ------------------------------------------------------------------


def test_the_y_range_is_the_data_with_a_five_percent_margin():
    """C(A + B) lies in [0.79, 1.0]: zero is not pulled into view."""
    x = np.linspace(-3, 3, 601)
    s = np.tanh(x + 0.5) + np.tanh(-2 * x - 1.5)
    y = np.tanh(-3 * s + 1.5)
    A = fn.tanh(1 * fn.x + 0.5).named("A")
    B = fn.tanh(-2 * fn.x - 1.5).named("B")
    C = fn.tanh(-3 * fn.x + 1.5).named("C")
    fig = plot.curves(C(A + B), x, derivatives=(0,))
    lo, hi = fig.axes[0].get_ylim()
    span = y.max() - y.min()
    assert lo == pytest.approx(y.min() - 0.05 * span, rel=1e-12)
    assert hi == pytest.approx(y.max() + 0.05 * span, rel=1e-12)
    assert 0.77 < lo < 0.79 and 1.0 < hi < 1.02
    assert fig.axes[0].get_xlim() == (-3.0, 3.0)


def test_the_y_range_covers_every_derivative_drawn():
    fig = plot.curves("sigmoid", derivatives=(0, 1, 2))
    lines = lines_of(fig.axes[0])
    values = np.concatenate([lines[k][1] for k in ("f", "f'", "f''")])
    lo, hi = fig.axes[0].get_ylim()
    span = values.max() - values.min()
    assert (lo, hi) == pytest.approx((values.min() - 0.05 * span, values.max() + 0.05 * span))
    assert lo < -0.09  # f'' dips to -1/(6√3) ≈ -0.096


@pytest.mark.parametrize("c, expected", [(0.0, (-0.5, 0.5)), (40.0, (38.0, 42.0))])
def test_a_constant_curve_gets_a_band_around_it(c, expected):
    """c ± max(5% of |c|, 0.5): a flat line is drawn in the middle, not on an edge."""
    fig = plot.curves(f"0*x + {c}", np.array([-1.0, 1.0]), derivatives=(0,))
    assert fig.axes[0].get_ylim() == pytest.approx(expected)


# -- the axes sit beside the data: no tick label on a curve -------------------------------------


def test_the_axes_are_set_apart_from_the_data_with_ticks_out():
    fig = plot.curves(["sigmoid", "relu"], derivatives=(0, 1))
    for ax in visible_axes(fig):
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        for side in ("left", "bottom"):
            assert ax.spines[side].get_position() == ("outward", style.SPINE_OFFSET)


def test_every_tick_label_lies_outside_the_data_area():
    """Labels left of and below the panel can never sit on a curve (sigmoid's 0.4 did)."""
    fig = plot.curves(["sigmoid", "tanh(-3*x + 1.5)"], derivatives=(0, 1, 2))
    fig.draw_without_rendering()
    for ax in visible_axes(fig):
        box = ax.get_window_extent()
        y_labels = [t for t in ax.get_yticklabels() if t.get_text()]
        x_labels = [t for t in ax.get_xticklabels() if t.get_text()]
        assert len(y_labels) >= 3 and len(x_labels) >= 3
        assert all(t.get_window_extent().x1 < box.x0 for t in y_labels)
        assert all(t.get_window_extent().y1 < box.y0 for t in x_labels)


# -- legends: a key only where there is something to tell apart ---------------------------------


def test_one_curve_per_panel_has_no_legend():
    _, composed = plot.classic_figures(points=61)
    assert legend_texts(composed) == []
    assert legend_texts(plot.curves("relu", derivatives=(0,))) == []


def test_several_curves_share_one_legend_below_the_panels():
    basic, _ = plot.classic_figures(points=61)
    assert legend_texts(basic) == [["f", "f'", "kinks"]]  # the figure's, none on a panel
    assert all(ax.get_legend() is None for ax in basic.axes)
    fig = plot.curves(["sigmoid", "tanh"], derivatives=(0, 1, 2))
    assert legend_texts(fig) == [["f", "f'", "f''"]]
    fig.draw_without_rendering()
    below = min(ax.get_window_extent().y0 for ax in visible_axes(fig))
    assert fig.legends[0].get_window_extent().y1 < below


def test_the_legend_can_be_asked_for_or_left_out():
    assert legend_texts(plot.curves("tanh", derivatives=(0,), legend=True)) == [["f"]]
    assert legend_texts(plot.curves("tanh", derivatives=(0, 1), legend=False)) == []


# -- reference lines: optional, light, beneath, and they set no limits --------------------------


def test_reference_lines_are_optional_light_and_set_no_limits():
    x = np.linspace(-2.0, 3.0, 51)
    plain = plot.curves("sigmoid", x, derivatives=(0,))
    fig = plot.curves("sigmoid", x, derivatives=(0,), reference_lines=True)
    ax = fig.axes[0]
    assert ax.get_ylim() == plain.axes[0].get_ylim()  # y = x reaches 3, the limits don't
    identity = lines_of(ax)["y = x"]
    np.testing.assert_array_equal(identity[0], identity[1])
    horizontal = [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 0]]
    vertical = [line for line in ax.get_lines() if list(line.get_xdata()) == [0, 0]]
    assert len(vertical) == 1  # x = 0 is in view
    assert horizontal == []  # y = 0 is not: sigmoid stays above 0.11 here
    curve = next(line for line in ax.get_lines() if line.get_label() == "f")
    for line in ax.get_lines():
        if line is not curve:
            assert line.get_zorder() < curve.get_zorder()
            assert line.get_color() == style.REFERENCE_COLOR


# -- titles as given ----------------------------------------------------------------------------


def cube(t):
    return t * t * t


def test_titles_are_the_names_given():
    x = np.linspace(-1, 1, 5)
    fig = plot.curves(["relu", cube, lambda t: t], x, names=["ReLU", None, "identity"])
    assert [ax.get_title() for ax in visible_axes(fig)] == ["ReLU", "cube", "identity"]
    assert plot.curves(cube, x, names="x³").axes[0].get_title() == "x³"


def test_a_lambda_is_titled_f_and_never_lambda():
    x = np.linspace(-1, 1, 5)
    assert plot.curves(lambda t: t * t, x).axes[0].get_title() == "f"
    titles = [ax.get_title() for ax in visible_axes(plot.curves(["tanh", lambda t: t], x))]
    assert titles[1] == "f₂"
    assert "<lambda>" not in titles


def test_names_must_match_the_functions():
    with pytest.raises(ValueError, match="one title per function: 2, got 1"):
        plot.curves(["relu", "tanh"], names=["a"])
    with pytest.raises(TypeError, match="names must be strings"):
        plot.curves(["relu"], names=[3])


def test_formulas_false_titles_an_activation_by_its_name():
    assert plot.curves("gelu", formulas=False).axes[0].get_title() == "gelu"


def test_every_activation_title_fits_its_panel():
    """At the size the docs write them, each title lies within the figure's width."""
    for name in ELEMENTWISE:
        fig = plot.curves([name], derivatives=(0, 1, 2), ncols=1)
        fig.draw_without_rendering()
        box = fig.axes[0].title.get_window_extent()
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width + 1, name
        assert fig.axes[0].get_title().startswith(name)


def test_a_title_too_wide_for_its_panel_falls_back_to_the_name():
    long = " + ".join(["x"] * 60)
    entry = dataclasses.replace(ACTIVATIONS["relu"], formula=long)
    fig = plot.curves([entry, "tanh"], ncols=2)
    assert fig.axes[0].get_title() == "relu"
    assert fig.axes[1].get_title().startswith("tanh: $")


# -- the docs show the code that draws their figures --------------------------------------------


def page_blocks(page: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", (ROOT / page).read_text(), re.S | re.M)


def figure_data(fig):
    """What a figure shows: size, and per panel its title, limits and lines."""
    return (
        tuple(fig.get_size_inches()),
        [(ax.get_title(), ax.get_xlim(), ax.get_ylim(), lines_of(ax)) for ax in visible_axes(fig)],
        legend_texts(fig),
    )


def assert_same_figure(a, b):
    size_a, panels_a, legends_a = figure_data(a)
    size_b, panels_b, legends_b = figure_data(b)
    assert size_a == size_b and legends_a == legends_b
    assert len(panels_a) == len(panels_b)
    for (title, xlim, ylim, lines), (title_b, xlim_b, ylim_b, lines_b) in zip(panels_a, panels_b):
        assert (title, xlim, ylim) == (title_b, xlim_b, ylim_b)
        assert lines.keys() == lines_b.keys()
        for key in lines:
            np.testing.assert_array_equal(lines[key][0], lines_b[key][0])
            np.testing.assert_array_equal(lines[key][1], lines_b[key][1])


def test_the_code_beside_each_classic_figure_draws_it(tmp_path, monkeypatch):
    """docs/composition.md: the blocks that define A … f and draw ``nine`` and ``six``."""
    monkeypatch.chdir(tmp_path)
    blocks = page_blocks("docs/composition.md")
    namespace: dict = {}
    exec(blocks[0], namespace)  # the page's own code: A, B, C, D and f
    drawing = [b for b in blocks if "plot.curves(" in b]
    assert len(drawing) == 2
    for block in drawing:
        exec(block, namespace)
    basic, composed = plot.classic_figures()
    assert_same_figure(namespace["nine"], composed)
    assert_same_figure(namespace["six"], basic)
    assert (tmp_path / "nine-panels.svg").exists() and (tmp_path / "six-activations.svg").exists()
