"""The graph picture without the ``dot`` program: model, DOT source, text, Mermaid, frames.

Numbers on the picture are checked against torch on a composed example (the one in
``shared/design/graph-sketch.png``), and against the engine's own ``.grad``.
"""

from __future__ import annotations

import inspect
import re
import shutil
import sys

import numpy as np
import pytest
from conftest import HOSTILE

import tinygrad_acts as tga
from tinygrad_acts import autograd, viz
from tinygrad_acts.autograd import scope, topological_order
from tinygrad_acts.nn import functional as F
from tinygrad_acts.viz.dot import to_dot
from tinygrad_acts.viz.model import build
from tinygrad_acts.viz.numbers import number


def sketch(x):
    """y = C(u) + D(u), u = A(x) + B(x), each named function in its own scope."""
    with scope("A"):
        a = (1 * x + 0.5).tanh()
    with scope("B"):
        b = (2 * x).sigmoid()
    u = a + b
    with scope("C"):
        c = u.relu()
    with scope("D"):
        d = (-1 * u).tanh()
    return c + d, u


def f64(value, requires_grad=True):
    return tga.tensor(np.float64(value), requires_grad=requires_grad)


# -- structure ---------------------------------------------------------------------------------


def test_x_times_x_draws_two_edges_into_one_op():
    x = f64(3.0)
    y = x * x
    m = build(y, {"x": x})
    assert [n.kind for n in m.nodes] == ["output", "leaf"]
    assert [(e.tail, e.head) for e in m.edges] == [("n1", "n0"), ("n1", "n0")]
    # ∂(x·x)/∂x through each edge is x = 3, each passes back 3; the leaf shows their sum 6.
    assert [float(e.contribution) for e in m.edges] == [3.0, 3.0]
    assert float(m.node("n1").grad) == 6.0
    assert to_dot(m).count(" -> ") == 2


def test_counts_and_ids_follow_the_engines_topological_order():
    x = f64(0.5)
    y, _ = sketch(x)
    order = topological_order([y.grad_fn])
    m = build(y, {"x": x})
    ops = [n for n in m.nodes if n.kind in ("op", "output")]
    assert [n.source for n in ops] == order
    assert [n.id for n in m.nodes] == [f"n{i}" for i in range(len(m.nodes))]
    constants = sum(arg is None for node in order for arg in node.next)
    assert len(m.nodes) == len(order) + 1 + constants  # ops, the leaf x, constants
    assert len(m.edges) == sum(len(node.next) for node in order)
    assert m.nodes[0].kind == "output"
    src = to_dot(m)
    assert len(re.findall(r"^\s*n\d+ \[", src, re.M)) == len(m.nodes)
    assert len(re.findall(r" -> ", src)) == len(m.edges)
    assert src.count("subgraph cluster_") == 4


def test_same_graph_gives_byte_identical_dot():
    sources = []
    for _ in range(2):
        x = f64(0.5)
        y, _ = sketch(x)
        sources.append(viz.to_dot(y, {"x": x}, highlight=(x, y)))
    assert sources[0] == sources[1]


def test_second_order_graphs_can_be_drawn_and_printed():
    x = tga.tensor(np.array([0.5, -1.0]), requires_grad=True)
    (g,) = autograd.grad(F.silu(x).sum(), x, create_graph=True)
    assert "digraph" in viz.make_dot(g).source
    assert "Backward" in repr(g.grad_fn)


# -- the numbers, against torch --------------------------------------------------------------


def test_data_grad_and_local_derivatives_match_torch(torch):
    x = f64(0.5)
    y, u = sketch(x)
    m = build(y, {"x": x, "u": u})

    tx = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    ta = (1 * tx + 0.5).tanh()
    tb = (2 * tx).sigmoid()
    tu = ta + tb
    tc = tu.relu()
    td = (-1 * tu).tanh()
    ty = tc + td
    for t in (ta, tb, tu, tc, td):
        t.retain_grad()
    ty.backward()

    by_title = {n.title: n for n in m.nodes}
    assert float(by_title["x"].grad) == pytest.approx(tx.grad.item(), rel=1e-12)
    assert float(by_title["u"].data) == pytest.approx(tu.item(), rel=1e-12)
    assert float(by_title["u"].grad) == pytest.approx(tu.grad.item(), rel=1e-12)
    tanhs = {n.scope: n for n in m.nodes if n.title == "tanh"}
    assert float(tanhs[("A",)].data) == pytest.approx(ta.item(), rel=1e-12)
    assert float(tanhs[("A",)].grad) == pytest.approx(ta.grad.item(), rel=1e-12)
    assert float(tanhs[("D",)].data) == pytest.approx(td.item(), rel=1e-12)

    # The edge into A's tanh: ∂tanh(s)/∂s = 1 - tanh², times tanh's gradient.
    edge = next(e for e in m.edges if e.head == tanhs[("A",)].id)
    local = 1 - ta.item() ** 2
    assert float(edge.local) == pytest.approx(local, rel=1e-12)
    assert float(edge.grad_out) == pytest.approx(ta.grad.item(), rel=1e-12)
    assert float(edge.contribution) == pytest.approx(local * ta.grad.item(), rel=1e-12)

    # ... and the DOT label says so, with 4 significant digits.
    src = to_dot(m)
    label = f"∂={number(local, 4)}<BR/>×{number(ta.grad.item(), 4)} → "
    assert label + number(local * ta.grad.item(), 4) in src
    assert f"grad {number(tx.grad.item(), 4)}<" in src
    assert f"data {number(tu.item(), 4)}<" in src


def test_every_value_is_recovered_even_of_ops_that_ask_which_inputs_need_grad():
    """``1 * x`` keeps no output: its value is recomputed by running Mul's forward again, with
    a context that knows which arguments need a gradient (Mul's forward asks)."""
    x = f64(0.5)
    y, _ = sketch(x)
    m = build(y, {"x": x})
    assert all(n.data is not None for n in m.nodes)
    assert "data ?" not in viz.to_text(m)


def test_constants_get_no_gradient_row():
    x = f64(0.5)
    y = 3 * x
    m = build(y, {"x": x})
    const = next(n for n in m.nodes if n.kind == "constant")
    assert const.title == "3" and float(const.data) == 3.0 and not const.has_grad
    assert "grad" not in re.search(rf"{const.id} \[.*\]", to_dot(m)).group(0)


def test_op_parameters_are_in_the_title():
    x = f64(-2.0)
    y = tga.nn.functional.leaky_relu(x, negative_slope=0.2)
    m = build(y)
    assert m.nodes[0].title == "leaky_relu(negative_slope=0.2)"
    assert float(m.nodes[0].data) == pytest.approx(-0.4)
    assert float(m.edges[0].local) == pytest.approx(0.2)  # the slope on the negative side


def test_arrays_are_summarised_and_non_elementwise_ops_show_the_vjp():
    w = tga.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    v = tga.tensor(np.ones(3), requires_grad=True)
    y = (w @ v).sum()  # non-scalar matmul, then a sum
    m = build(y, {"w": w, "v": v})
    mm = next(n for n in m.nodes if n.title == "matmul")
    assert mm.shape == (2,) and list(mm.data) == [3.0, 12.0]
    into_mm = [e for e in m.edges if e.head == mm.id]
    assert all(e.local is None for e in into_mm)  # not elementwise: no ∂, only the VJP
    # ∂sum(w@v)/∂w[i, j] = v[j] = 1; ∂/∂v[j] = Σ_i w[i, j] = [3, 5, 7]
    grad_v = next(e for e in into_mm if e.tail == m.id_of(v)).contribution
    assert list(grad_v) == [3.0, 5.0, 7.0]
    assert "VJP → [3, 5, 7&#93;" in to_dot(m)  # "]" as an entity: dot refuses a bare "]"
    # Every tensor is float64: said once, in the label; the rows keep only the shapes.
    assert m.dtype == "float64" and "every tensor is float64" in to_dot(m)
    assert "2×3<" in to_dot(m) and "2×3 float64" not in to_dot(m)


def test_mixed_dtypes_are_written_on_every_node():
    w = tga.tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    v = tga.tensor(np.ones(3), requires_grad=True)  # float64: the product is promoted
    m = build(w * v, {"w": w, "v": v})
    assert m.dtype is None and "every tensor" not in to_dot(m)
    assert "2×3 float32" in to_dot(m) and "2×3 float64" in to_dot(m) and "3 float64" in to_dot(m)


# -- gradients without touching the user's --------------------------------------------------


def test_drawing_leaves_grad_untouched_and_the_graph_usable():
    x = f64(0.5)
    y, u = sketch(x)
    u.retain_grad()
    viz.to_dot(y, {"x": x})
    assert x.grad is None and u.grad is None
    y.backward()  # the graph was not freed by drawing
    expected = x.grad.item()
    viz.to_dot(y, {"x": x}, highlight=(x, y))  # after a backward: draws from .grad, no change
    assert x.grad.item() == expected


def test_highlight_path_products_sum_to_x_grad():
    x = f64(0.5)
    y, _ = sketch(x)
    m = build(y, {"x": x, "y": y}, highlight=(x, y), max_nodes=100)
    assert len(m.paths) == 4  # {A, B} × {C, D}
    products = [float(p.product) for p in m.paths]
    y.backward()
    assert sum(products) == pytest.approx(x.grad.item(), rel=1e-12)
    assert float(m.path_sum) == pytest.approx(x.grad.item(), rel=1e-12)
    # Every path starts at x and ends at y; constants are off every path.
    assert all(p.titles[0] == "x" and p.titles[-1] == "y" for p in m.paths)
    constants = {n.id for n in m.nodes if n.kind == "constant"}
    assert not constants & m.highlight
    assert f"sum = {number(x.grad.item(), 4)}" in to_dot(m)


def test_after_a_freeing_backward_the_picture_says_so():
    x = f64(0.5)
    y = (x * x).tanh()
    y.backward()
    m = build(y, {"x": x})
    assert any("retain_graph=True" in note for note in m.notes)
    assert float(m.node(m.id_of(x)).grad) == x.grad.item()  # shown from .grad
    assert m.nodes[0].data is not None  # the output's own data


# -- clusters, collapse, size ------------------------------------------------------------------


def test_nested_scopes_nest_clusters_and_collapse_draws_one_node():
    x = f64(0.5)
    with scope("outer"):
        with scope("inner"):
            h = (x * 2).exp()
        y = h + 1
    src = viz.to_dot(y, {"x": x})
    outer = src.index('label="outer"')
    inner = src.index('label="inner"')
    assert outer < inner and src.count("subgraph cluster_") == 2
    m = build(y, {"x": x}, collapse=["inner"])
    box = next(n for n in m.nodes if n.kind == "collapsed")
    assert box.title == "inner" and box.subtitle == "2 ops" and box.scope == ("outer",)
    assert float(box.data) == pytest.approx(np.exp(1.0))
    assert float(box.grad) == 1.0
    with pytest.raises(ValueError, match="no cluster named 'nope'"):
        build(y, collapse=["nope"])


def test_a_100000_op_chain_is_refused_with_advice_or_collapsed():
    x = f64(1.0)
    y = x
    with scope("chain"):
        for _ in range(100_000):
            y = y * 1.0
    # 100,000 ops, each with a constant argument, and the leaf.
    with pytest.raises(ValueError, match=r"200001 nodes.*collapse=\[\.\.\.\].*max_nodes="):
        build(y)
    m = build(y, {"x": x}, collapse=["chain"], show_local_grad=False)
    assert [n.kind for n in m.nodes] == ["output", "leaf"]
    assert float(m.nodes[1].grad) == 1.0 and len(m.edges) == 1
    # The collapsed chain, then the leaf, then the dtype they share.
    assert len(viz.to_text(m).splitlines()) == 3
    assert viz.to_text(m).splitlines()[-1] == "every tensor is float64"


# -- text and Mermaid --------------------------------------------------------------------------


def test_text_tree_writes_a_reused_node_once():
    x = f64(0.5)
    y, _ = sketch(x)
    text = viz.to_text(y, {"x": x})
    assert text.splitlines()[0].startswith("n0 add")
    assert text.count("(see n") >= 2  # x and u are each used twice
    assert sum(" x " in line and "data 0.5" in line for line in text.splitlines()) == 1


def test_mermaid_has_every_node_edge_and_cluster():
    x = f64(0.5)
    y, _ = sketch(x)
    m = build(y, {"x": x})
    text = viz.to_mermaid(m)
    assert text.startswith("flowchart LR\n")
    assert len(re.findall(r"^\s*n\d+\[", text, re.M)) == len(m.nodes)
    assert len(re.findall(r" --> | -->\|", text)) == len(m.edges)
    assert text.count("subgraph ") == 4 == len(re.findall(r"^\s*end$", text, re.M))


def test_hostile_names_are_escaped_in_every_form():
    x = f64(0.5)
    with scope(HOSTILE[3]):
        y = x * 2
    names = {name: x if i == 0 else f64(i) for i, name in enumerate(HOSTILE)}
    z = y
    for t in names.values():
        if t is not x:
            z = z + t
    src = viz.to_dot(z, names)
    labels = "".join(re.findall(r"label=<(.*?)> (?:tooltip|id)=", src))
    assert "<b>" not in labels and "<B>&lt;b&gt;bold&lt;/b&gt;</B>" in labels
    assert 'quo\\"te' in src and "quo&quot;te" in src
    assert '"trailing\\\\' in src  # the tooltip's trailing backslash is doubled
    assert "\x00" not in src and "\\\\x00" in src
    assert "n" * 10_000 not in src  # clipped on the picture and in the tooltip
    assert "new<BR/>line" in src
    mermaid = viz.to_mermaid(z, names)
    assert "<b>" not in mermaid and '"te' not in mermaid
    text = viz.to_text(z, names)
    assert "\x00" not in text


# -- frames of the backward pass ---------------------------------------------------------------


def test_backward_steps_follow_the_engine():
    x = f64(0.5)
    y, _ = sketch(x)
    steps = viz.backward_steps(y, {"x": x})
    order = topological_order([y.grad_fn])
    assert steps.order == order and len(steps) == len(order) + 1  # the seed, then each step
    assert steps.focus == [None] + [steps.model.id_of(node) for node in order]
    # Frame 0 is the seed: the output's gradient (1) and nothing else.
    seed = steps.frames[0]
    known = {n.id for n in seed.nodes if n.has_grad and n.grad is not None}
    assert known == {"n0"} and float(seed.node("n0").grad) == 1.0 and seed.node("n0").seed
    assert "grad 1 (seed)" in viz.to_text(seed)
    # After step 1 (the output's backward) its own inputs know their gradient too.
    into_output = {e.tail for e in steps.model.edges if e.head == "n0"}
    known = {n.id for n in steps.frames[1].nodes if n.has_grad and n.grad is not None}
    assert known == {"n0"} | into_output
    assert all(n.grad is not None for n in steps.frames[-1].nodes if n.has_grad)
    # x gets its gradient only once both of its consumers have been processed.
    xid = steps.model.id_of(x)
    known = [f.node(xid).grad is not None for f in steps.frames]
    users = [i + 1 for i, node in enumerate(order) if x in node.next]  # their frames
    assert known == [k >= max(users) for k in range(len(steps))]
    assert len(steps.sources) == len(steps)
    assert steps.sources[3].count(" -> ") == len(steps.model.edges)


def test_backward_frames_show_the_running_sum_of_a_gradient():
    """x feeds A (1 * x) and B (2 * x): its gradient is two parts, shown as they arrive."""
    x = f64(0.5)
    y, _ = sketch(x)
    steps = viz.backward_steps(y, {"x": x})
    y.backward()  # the engine's own accumulation, to compare with
    xid = steps.model.id_of(x)
    users = [i + 1 for i, node in enumerate(steps.order) if x in node.next]
    before, between, after = users[0] - 1, users[0], users[1]
    parts = steps.frames[after].node(xid).grad_parts
    assert len(parts) == 2 and all(p is not None for p in parts)
    assert float(parts[0] + parts[1]) == pytest.approx(float(x.grad), rel=1e-15)
    # By hand: u = tanh(1) + σ(1) > 0, y = relu(u) + tanh(-u), so ∂y/∂u = 1 - sech²(u) = tanh²(u);
    # the parts are ∂y/∂u · ∂a/∂x = tanh²(u) (1 - tanh²(1)) and ∂y/∂u · ∂b/∂x = tanh²(u) 2σ'(1).
    sig = 1 / (1 + np.exp(-1.0))
    du = np.tanh(np.tanh(1.0) + sig) ** 2
    by_hand = sorted([du * (1 - np.tanh(1.0) ** 2), du * 2 * sig * (1 - sig)])
    assert sorted(float(p) for p in parts) == pytest.approx(by_hand, rel=1e-13)
    assert steps.frames[before].node(xid).grad_parts == [None, None]
    first = steps.frames[between].node(xid)
    assert first.grad is None and first.grad_parts[1] is None
    assert float(first.grad_parts[0]) == float(parts[0])
    texts = [viz.to_text(steps.frames[k]).splitlines() for k in (before, between, after)]
    x_rows = [next(line for line in t if f"{xid} x " in line) for t in texts]
    assert x_rows[0].endswith("grad ?")
    assert x_rows[1].endswith(f"grad {float(parts[0]):.4g} + ?")
    total = float(x.grad)
    assert x_rows[2].endswith(f" = {total:.4g}") and f"{float(parts[0]):.4g}" in x_rows[2]


# -- API shape ---------------------------------------------------------------------------------


def test_make_dot_has_torchviz_signature_and_draws_the_backward_graph():
    params = inspect.signature(viz.make_dot).parameters
    assert list(params) == ["var", "params", "show_attrs", "show_saved", "max_attr_chars"]
    assert [p.default for p in list(params.values())[2:]] == [False, False, 50]
    x = f64(0.5)
    y = (x * x).tanh()
    g = viz.make_dot(y, {"x": x}, show_saved=True)
    m = g.model
    kinds = [n.kind for n in m.nodes]
    assert kinds.count("backward") == 2 and kinds.count("leaf") == 1
    assert kinds.count("saved") == 3  # mul saved (x, x), tanh saved its input
    assert "TanhBackward" in g.source and "MulBackward" in g.source


def test_draw_returns_a_digraph_with_the_same_source():
    graphviz = pytest.importorskip("graphviz")
    x = f64(0.5)
    y = (x * 3).sigmoid()
    g = viz.draw(y, {"x": x})
    assert isinstance(g, graphviz.Digraph)
    assert g.source == viz.to_dot(y, {"x": x})


def test_draw_function_names_the_variable():
    g = viz.draw_function(lambda t: (2 * t).tanh(), at=0.5)
    leaf = next(n for n in g.model.nodes if n.kind == "leaf")
    assert leaf.title == "x" and float(leaf.grad) == pytest.approx(2 * (1 - np.tanh(1.0) ** 2))


def test_without_the_graphviz_package_draw_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.delitem(sys.modules, "tinygrad_acts.viz.graph", raising=False)
    x = f64(0.5)
    with pytest.raises(ImportError, match=r"pip install tinygrad-acts\[viz\]"):
        viz.draw(x * 2)
    assert "digraph G {" in viz.to_dot(x * 2)  # the DOT source needs no package


def test_bad_arguments_are_named():
    x = f64(0.5)
    with pytest.raises(TypeError, match="draw\\(\\) takes a Tensor"):
        build(0.5)
    with pytest.raises(TypeError, match="params must be a dict"):
        build(x * 2, [x])
    with pytest.raises(ValueError, match="rankdir"):
        build(x * 2, rankdir="XY")
    with pytest.raises(ValueError, match="highlight: both tensors"):
        build(x * 2, highlight=(f64(1.0), x))


# -- no dot ----------------------------------------------------------------------------------


@pytest.fixture(params=["not on PATH", "TINYGRAD_ACTS_DOT pointing nowhere"])
def no_dot(request, monkeypatch, tmp_path):
    """dot missing, in both ways ``render.find_dot`` can find it."""
    if request.param == "not on PATH":
        monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
        monkeypatch.delenv("TINYGRAD_ACTS_DOT", raising=False)
    else:
        monkeypatch.setenv("TINYGRAD_ACTS_DOT", str(tmp_path / "no-dot-here"))
    with pytest.raises(viz.DotNotFound) as err:
        viz.find_dot()
    return str(err.value)


def test_every_way_of_rendering_says_how_to_install_dot(no_dot, tmp_path):
    """graphviz's render/view/pipe gave graphviz's raw ExecutableNotFound (and ignored
    TINYGRAD_ACTS_DOT); now each raises the one message, and writes nothing."""
    graphviz = pytest.importorskip("graphviz")
    for advice in ("apt-get install graphviz", "brew install graphviz", "TINYGRAD_ACTS_DOT="):
        assert advice in no_dot
    x = f64(0.5)
    g = viz.draw(x * 2, {"x": x})
    out = tmp_path / "out"
    out.mkdir()
    ways = [
        lambda: g.save(out / "g.svg"),
        lambda: g.save(out / "g.html"),
        lambda: g.pipe(format="svg"),
        lambda: g.pipe_svg(),
        lambda: g.render(out / "g", format="png"),
        lambda: g.view(out / "v"),
        lambda: viz.backward_steps(x * 2).save(out / "steps.html"),
        lambda: viz.backward_steps(x * 2).save(out / "frames"),
    ]
    for way in ways:
        with pytest.raises(viz.DotNotFound) as err:
            way()
        assert str(err.value) == no_dot
        assert isinstance(err.value, graphviz.ExecutableNotFound)  # what graphviz users catch
    assert list(out.iterdir()) == []


def test_a_notebook_without_dot_shows_the_text_tree_and_how_to_install_it(no_dot):
    pytest.importorskip("graphviz")
    x = f64(0.5)
    g = viz.draw(x * 2, {"x": x})
    assert g._repr_svg_() is None
    assert g._repr_mimebundle_() == {"text/plain": viz.to_text(x * 2, {"x": x}) + "\n\n" + no_dot}


def test_a_notebook_whose_dot_fails_shows_the_text_tree_and_why(monkeypatch):
    pytest.importorskip("graphviz")
    false = shutil.which("false")
    if false is None:
        pytest.skip("no 'false' program to stand in for a failing dot")
    monkeypatch.setenv("TINYGRAD_ACTS_DOT", false)
    x = f64(0.5)
    bundle = viz.draw(x * 2, {"x": x})._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert (
        bundle["text/plain"].startswith("n0 mul")
        and "dot failed (exit status 1)" in bundle["text/plain"]
    )


def test_dot_env_pointing_nowhere_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("TINYGRAD_ACTS_DOT", str(tmp_path / "no-dot-here"))
    with pytest.raises(viz.DotNotFound, match=r"TINYGRAD_ACTS_DOT=.*no-dot-here"):
        viz.find_dot()


def test_text_tree_of_a_deep_chain_writes_the_depth_past_a_limit():
    """An indented tree of a 2,000-op chain would hold 8 MB of spaces: past 32 levels the
    depth is written ([33] ...), so each line stays short."""
    x = tga.tensor(np.array(0.5), requires_grad=True)
    h = x
    for _ in range(2000):
        h = h * 1.0001
    text = viz.to_text(h, {"x": x}, max_nodes=10_000)
    lines = text.splitlines()
    assert max(len(line) for line in lines) < 400
    assert any(line.lstrip().startswith("[1999] ") for line in lines)
