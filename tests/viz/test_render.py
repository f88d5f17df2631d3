"""The graph picture rendered by Graphviz's ``dot``: SVG structure, hostile names (any name
renders, in every format), formats, frames, and dot found through ``TINYGRAD_ACTS_DOT``.

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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_acts as tga
from tinygrad_acts import viz
from tinygrad_acts.autograd import scope
from tinygrad_acts.viz.backward import build_backward
from tinygrad_acts.viz.escape import shown
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
    assert len(frames) == len(steps.order) + 1  # the seed, then one per step
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


# -- every name renders (#20 item 11) ----------------------------------------------------------

FORBIDDEN = re.compile(  # what XML refuses, and what would break a line of the text tree
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
EDGE_NAMES = [
    "",
    " ",
    "]",
    "]]",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    chr(0x1FFFE),
    "\x0b\x0c",
    "\u2028",
    "\x00" * 10_000,  # 10,000 escapes: the tooltip is cut, never mid-escape
    "n" * 17_000,
]


def f64(value):
    return tga.tensor(np.float64(value), requires_grad=True)


def node_ids(svg: bytes) -> list[str]:
    return sorted(g.get("id") for g in groups(svg, "node"))


@pytest.mark.parametrize("name", EDGE_NAMES, ids=[f"{n[:4]!a}x{len(n)}" for n in EDGE_NAMES])
def test_every_name_renders(dot, name):
    """dot refused an empty name (``<B></B>``), ``]``, U+FFFE and U+FFFF, and a highlighted
    17,000-character name (a string longer than 16,384 bytes)."""
    x = f64(0.5)
    with scope(name):
        y = (x * 2).tanh()
    model = build(y, {name: x}, highlight=(x, y))
    svg = viz.run_dot(viz.to_dot(model), "svg")
    assert node_ids(svg) == sorted(n.id for n in model.nodes)  # well-formed XML, every node
    assert not FORBIDDEN.search(svg.decode("utf-8"))


def test_an_empty_name_is_shown_as_quotes(dot):
    x = f64(0.5)
    y = x * 2
    svg = viz.run_dot(viz.to_dot(y, {"": x}), "svg")
    assert '""' in {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert 'n1 ""' in viz.to_text(y, {"": x})
    assert '["#34;#34;<br/>' in viz.to_mermaid(y, {"": x})


def test_a_highlighted_path_of_950_ops_renders(dot):
    """Its chain-rule line held every step: a graph label of 20,000 bytes, which dot refused."""
    x = f64(0.5)
    y = x
    for _ in range(950):
        y = y.tanh()
    source = viz.to_dot(y, {"x": x}, highlight=(x, y), max_nodes=2000, show_data=False)
    label = re.search(r'^\tgraph \[.* label="(.*)" labelloc', source, re.M).group(1)
    assert len(label.encode("utf-8")) < 16_384
    assert "x → tanh → tanh → … 945 more → tanh → tanh → tanh:" in label
    svg = viz.run_dot(source, "svg")
    assert len(groups(svg, "node")) == 951


# Names to try: any code point (surrogates too), the characters each format gives a meaning,
# XML's forbidden ones, and very long runs.
SPECIAL = [
    *"\"\\<>&[]{}|:;#`%'\n\r\t\x00\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u202e",
    *"\ufdd0\ufffe\uffff\ud800\udbff\udc00\udfff",
    chr(0x1FFFE),
    chr(0x10FFFF),
    "]]>",
    "<BR/>",
    "&amp;",
    "#35;",
    "\\n",
    "\\l",
    "-->",
    "end",
]
NAMES = st.one_of(
    st.lists(
        st.one_of(st.characters(exclude_categories=()), st.sampled_from(SPECIAL)), max_size=12
    ).map("".join),
    st.sampled_from([*HOSTILE, "", " ", "]", "]]"]),
    st.builds(lambda s, n: s * n, st.sampled_from([*SPECIAL, "n", "漢"]), st.integers(1000, 6000)),
)
PLAIN = [f"name{k}" for k in range(6)]


def named_graph(names):
    """A graph with a name at every place a name can go: two nested scopes, two leaves, an
    intermediate result and a leaf that may share a name with another."""
    a, b, c = f64(0.5), f64(-1.0), f64(2.0)
    with scope(names[0]):
        with scope(names[1]):
            u = (a * b).tanh()
        v = u + c
    y = v * a
    return y, {names[2]: a, names[3]: b, names[4]: u, names[5]: c}, a


MERMAID_LINE = re.compile(
    r'flowchart (?:LR|TB)|(?P<indent> *)(?:subgraph c\d+\["(?P<cluster>[^"]*)"\]|end'
    r'|n\d+\["(?P<node>[^"]*)"\]|n\d+ -->(?:\|"(?P<edge>[^"]*)"\|)? n\d+)'
)
MERMAID_LABEL = re.compile(r"(?:[^\"<>&`#\n\r]|#\d+;|<br/>)*")


def mermaid_text(label: str) -> str:
    """What a Mermaid label shows: ``<br/>`` a new line, ``#34;`` the character 34."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.replace("<br/>", "\n"))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, min_size=6, max_size=6))
def test_any_names_come_out_right_in_every_format(dot, names):
    """DOT that dot accepts (SVG well-formed, one group per node), a text tree with one line
    per entry, Mermaid whose every line parses and whose labels give the names back."""
    y, params, a = named_graph(names)
    py, pparams, pa = named_graph(PLAIN)
    for view, plain in [
        (build(y, params, highlight=(a, y)), build(py, pparams, highlight=(pa, py))),
        (build_backward(y, params, show_saved=True), build_backward(py, pparams, show_saved=True)),
    ]:
        source = viz.to_dot(view)
        assert source.count("\n") == viz.to_dot(plain).count("\n")
        svg = viz.run_dot(source, "svg")
        assert node_ids(svg) == sorted(n.id for n in view.nodes)
        page = viz.render.strip_prolog(svg.decode("utf-8"))  # what a .html file holds
        assert ET.fromstring(page).tag == f"{SVG}svg" and not FORBIDDEN.search(page)

        text = viz.to_text(view)
        assert len(text.splitlines()) == text.count("\n") + 1 == len(viz.to_text(plain).split("\n"))
        assert not FORBIDDEN.search(text)

        mermaid = viz.to_mermaid(view)
        assert mermaid.count("\n") == viz.to_mermaid(plain).count("\n")
        for line in mermaid.split("\n"):
            parsed = MERMAID_LINE.fullmatch(line)
            assert parsed, line
            label = parsed.group("cluster") or parsed.group("node") or parsed.group("edge") or ""
            assert MERMAID_LABEL.fullmatch(label), line
        leaf = view.node(view.id_of(a))
        label = re.search(rf'^ *{leaf.id}\["([^"]*)"\]$', mermaid, re.M).group(1)
        assert mermaid_text(label).startswith(shown(leaf.title))


# -- without dot, and with a dot elsewhere (#20 item 15) ---------------------------------------


def test_dot_from_the_environment_serves_pipe_save_and_the_notebook(dot, monkeypatch, tmp_path):
    """With dot only at $TINYGRAD_ACTS_DOT, everything but graphviz's own render() works, and
    render() says why it cannot."""
    monkeypatch.setenv("TINYGRAD_ACTS_DOT", dot)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    x, y = composed()
    g = viz.draw(y, {"x": x})
    assert g.pipe(format="svg", encoding="utf-8").startswith("<?xml")
    assert g.pipe("png")[:4] == b"\x89PNG"
    assert g.save(tmp_path / "g.pdf").endswith("g.pdf")
    assert list(g._repr_mimebundle_()) == ["image/svg+xml"]
    with pytest.raises(viz.DotNotFound, match=r"(?s)run the 'dot' on PATH.*apt-get install"):
        g.render(tmp_path / "r", format="svg")


def test_pipe_and_the_notebook_take_graphvizs_arguments(dot):
    x, y = composed()
    g = viz.draw(y, {"x": x})
    svg = g.pipe(format="svg", engine="neato", encoding="utf-8")
    assert ET.fromstring(svg.encode("utf-8")).tag == f"{SVG}svg"
    assert list(g._repr_mimebundle_(include=["image/png"])) == ["image/png"]
    assert g._repr_mimebundle_(include=["image/png"])["image/png"][:4] == b"\x89PNG"
    assert g._repr_mimebundle_(exclude=["image/svg+xml"]) == {}
    assert g._repr_svg_().startswith("<?xml")
