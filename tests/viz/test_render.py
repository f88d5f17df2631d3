"""The graph picture rendered by Graphviz's ``dot``: SVG structure, hostile names, formats, frames.

These need the ``dot`` program: skipped when it is absent, and a failure when
``TINYGRAD_ACTS_REQUIRE_DOT=1`` (set by ``.ci/run``), so they always run in CI.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import HOSTILE

import tinygrad_acts as tga
from tinygrad_acts import viz
from tinygrad_acts.autograd import scope
from tinygrad_acts.viz.model import build

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def dot():
    """The path of ``dot``; skips without it (fails when TINYGRAD_ACTS_REQUIRE_DOT=1)."""
    try:
        return viz.find_dot()
    except viz.DotNotFound as err:
        if os.environ.get("TINYGRAD_ACTS_REQUIRE_DOT") == "1":
            pytest.fail(f"TINYGRAD_ACTS_REQUIRE_DOT=1 but dot is missing: {err}")
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")


def composed():
    x = tga.tensor(np.float64(0.5), requires_grad=True)
    with scope("A"):
        a = (1 * x + 0.5).tanh()
    with scope("B"):
        b = (2 * x).sigmoid()
    y = (a * b).relu()
    return x, y


def groups(svg: bytes, kind: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def test_svg_has_one_group_per_node_edge_and_cluster(dot):
    x, y = composed()
    model = build(y, {"x": x})
    svg = viz.run_dot(viz.to_dot(model), "svg")
    nodes = groups(svg, "node")
    assert sorted(g.get("id") for g in nodes) == sorted(n.id for n in model.nodes)
    assert len(groups(svg, "edge")) == len(model.edges)
    assert len(groups(svg, "cluster")) == 2
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "data 0.5" in texts and "tanh" in texts


def test_hostile_names_render_and_come_out_as_text(dot):
    x = tga.tensor(np.float64(0.5), requires_grad=True)
    names = {name: tga.tensor(np.float64(i), requires_grad=True) for i, name in enumerate(HOSTILE)}
    with scope(HOSTILE[0]):
        with scope(HOSTILE[2]):
            z = x * 2
    for t in names.values():
        z = z + t
    names["x"] = x
    source = viz.to_dot(z, names, highlight=(names["x & y"], z))
    svg = viz.run_dot(source, "svg")  # dot accepted it
    texts = {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    for name in ('quo"te', "back\\slash", "trailing\\", "<b>bold</b>", "{a|b}", "a:b", "x & y"):
        assert name in texts
    assert "ünïcødé ∂ 漢字" in texts and "new" in texts and "line" in texts
    assert "n" * 59 + "…" in texts
    titles = [g.find(f"{SVG}title").text for g in groups(svg, "node")]
    assert all(re.fullmatch(r"n\d+", t) for t in titles)


@pytest.mark.parametrize(
    "suffix, start",
    [
        (".svg", b"<?xml"),
        (".png", b"\x89PNG"),
        (".pdf", b"%PDF"),
        (".gv", b"digraph G {"),
        (".txt", b"n0 relu"),
        (".mmd", b"flowchart LR"),
        (".html", b"<!DOCTYPE html>"),
    ],
)
def test_save_picks_the_format_from_the_suffix(dot, tmp_path, suffix, start):
    x, y = composed()
    g = viz.draw(y, {"x": x})
    path = tmp_path / f"graph{suffix}"
    g.save(path)
    assert path.read_bytes().startswith(start)


@pytest.mark.parametrize("make", ["draw", "make_dot"])
def test_graphviz_render_works_as_on_any_digraph(dot, tmp_path, make):
    """graphviz's own ``render`` saves the DOT source through ``save`` (with ``skip_existing``),
    then runs dot: the override of ``save`` once broke every ``.render()`` and ``.view()``."""
    x, y = composed()
    g = viz.draw(y, {"x": x}) if make == "draw" else viz.make_dot(y, params={"x": x})
    out = g.render(tmp_path / "attached", format="png")
    assert out.endswith("attached.png")
    assert (tmp_path / "attached.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "attached").read_text().startswith("digraph")


def test_save_refuses_an_unknown_suffix(tmp_path):
    _, y = composed()
    with pytest.raises(ValueError, match=r"cannot tell the format from 'g\.jpeg'"):
        viz.draw(y).save(tmp_path / "g.jpeg")


def _positions(svg: bytes) -> dict[str, tuple[str, ...]]:
    """Each node's header text position and each edge's path, by id."""
    out = {}
    for g in groups(svg, "node"):
        text = g.find(f".//{SVG}text")
        out[g.get("id")] = (text.get("x"), text.get("y"))
    for g in groups(svg, "edge"):
        out[g.get("id")] = (g.find(f"{SVG}path").get("d"),)
    return out


def test_backward_frames_keep_every_node_in_place(dot, tmp_path):
    x, y = composed()
    steps = viz.backward_steps(y, {"x": x})
    frames = steps.render("svg")
    assert len(frames) == len(steps.order)
    first = _positions(frames[0])
    assert len(first) == len(steps.model.nodes) + len(steps.model.edges)
    for svg in frames[1:]:
        assert _positions(svg) == first
    # The frames differ in what they say: "?" early, every gradient at the end.
    assert b"grad ?" in frames[0] and b"grad ?" not in frames[-1]

    files = steps.save(tmp_path / "frames", fmt="png")
    assert [f.name for f in files] == [f"step_{k:03d}.png" for k in range(len(frames))]
    page = steps.save(tmp_path / "steps.html")[0].read_text(encoding="utf-8")
    assert page.count('<div class="frame"') == len(frames)
    assert 'type="range"' in page and 'id="play"' in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # self-contained
