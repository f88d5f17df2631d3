"""The DOT emitter: a ``GraphModel`` as Graphviz source, every user string escaped.

Two kinds of strings appear in DOT, each with its own escaping (``escape.py``):

- **plain quoted strings** (tooltips, cluster names, the graph label): ``\\`` and ``"`` are
  backslash-escaped and a newline becomes ``\\n`` — so a name ending in a backslash cannot
  swallow the quote — and each is cut to what ``dot`` accepts (16,384 bytes);
- **HTML-like labels** (``label=<...>``, the node tables): ``& < > " ]`` become entities and a
  newline becomes ``<BR/>``, so ``<b>`` in a name is text, not markup.

Ids are generated (``n0``, ``e0``, ``cluster_0``) and never contain user text. Characters XML
forbids are shown as escapes (``\\x00``, ``\\ufffe``), an empty name as ``""``, and names are
clipped on the picture (longer in the tooltip). The output depends only on the model: the
same graph gives byte-identical DOT.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .escape import DOT_BUDGET, MAX_LINE, clip, dot_html, dot_string, shown
from .model import GraphModel, VizEdge, VizNode, path_label
from .nodes import scope_of
from .numbers import full, shape_dtype, summary

# Colours that tell the kinds of node apart (header fill).
FILL = {
    "leaf": "#e3f4e1",
    "constant": "#eeeeee",
    "op": "#dbe8fb",
    "output": "#ffe9a8",
    "collapsed": "#e8dcf5",
    "backward": "#d3d3d3",
    "saved": "#ffd199",
}
GRAD_COLOR = "#b00000"
DIM = "#c0c0c0"
FOCUS = "#d62728"
FOCUS_FILL = "#ff8a80"
CLUSTER_FILL = "#f5f6ff"
CLUSTER_LINE = "#7b7fc9"
MAX_TOOLTIP = 4000  # characters of a tooltip (then cut to what dot accepts)


@dataclass
class Layout:
    """Positions from a first ``dot`` run, to pin every frame of ``backward_steps``."""

    nodes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # pos, width, height
    edges: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # pos, lp
    clusters: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # bb, lp
    bb: str = ""
    lp: str | None = None


def to_dot(model: GraphModel, *, focus: str | None = None, layout: Layout | None = None) -> str:
    """The whole DOT source: ``digraph G { ... }``."""
    return "digraph G {\n" + "".join(body_lines(model, focus=focus, layout=layout)) + "}\n"


def body_lines(
    model: GraphModel, *, focus: str | None = None, layout: Layout | None = None
) -> list[str]:
    """The statements inside ``digraph G { }``, one per line (as graphviz.Digraph's body)."""
    lines = [_graph_attrs(model, layout)]
    lines.append('\tnode [shape=plain fontname="Helvetica" fontsize=10]\n')
    lines.append('\tedge [fontname="Helvetica" fontsize=9 arrowsize=0.7]\n')

    # Clusters: the tree of scope paths, as subgraphs.
    names: dict[tuple[str, ...], str] = {}
    for event, path, node in model.cluster_walk():
        depth = "\t" * (len(path) + 1)
        if event == "open":
            name = names.setdefault(path, f"cluster_{len(names)}")
            lines.append("\t" * len(path) + f"subgraph {name} {{\n")
            lines.append(depth + _cluster_attrs(path, name, layout))
        elif event == "node":
            lines.append(depth + _node_line(model, node, focus, layout))
        else:
            lines.append("\t" * len(path) + "}\n")

    kinds = {n.id: n.kind for n in model.nodes}
    for edge in model.edges:
        lines.append("\t" + _edge_line(model, edge, kinds, focus, layout))
    return lines


def _graph_attrs(model: GraphModel, layout: Layout | None) -> str:
    attrs = [f"rankdir={model.rankdir}", 'fontname="Helvetica"', "fontsize=11", "newrank=true"]
    label = list(model.notes)
    if model.highlight is not None:
        label.append("paths (chain rule: multiply the ∂ along a path, add the paths):")
        label.extend("  " + path_label(p, model.precision) for p in model.paths)
        if model.path_sum is not None:
            label.append("  sum = " + summary(model.path_sum, model.precision))
    if label:
        attrs.append(f"label={graph_label(label)} labelloc=t labeljust=l")
    if layout is not None:
        attrs.append(f'bb="{layout.bb}" splines=true')
        if layout.lp:
            attrs.append(f'lp="{layout.lp}"')
    return "\tgraph [" + " ".join(attrs) + "]\n"


def graph_label(lines: list[str], budget: int = DOT_BUDGET) -> str:
    """Lines as one left-aligned DOT string (``\\l`` ends each), as many as ``dot`` accepts."""
    parts: list[str] = []
    size = 0
    for k, line in enumerate(lines):
        part = dot_string(clip(line, MAX_LINE))[1:-1] + "\\l"
        size += len(part.encode("utf-8"))
        if size > budget - 100:  # room for the line that says what is missing
            rest = f"… and {len(lines) - k} more lines (all of them in to_text())"
            parts.append(rest + "\\l")
            break
        parts.append(part)
    return '"' + "".join(parts) + '"'


def _scope(path: tuple[str, ...]) -> str:
    """``outer / inner``, for a tooltip."""
    return clip(" / ".join(shown(name, MAX_TOOLTIP) for name in path), MAX_TOOLTIP)


def _cluster_attrs(path: tuple[str, ...], name: str, layout: Layout | None) -> str:
    attrs = [
        f"label={dot_string(shown(path[-1]))}",
        'style="rounded,filled"',
        f'fillcolor="{CLUSTER_FILL}"',
        f'color="{CLUSTER_LINE}"',
        f"tooltip={dot_string(_scope(path))}",
    ]
    if layout is not None and name in layout.clusters:
        bb, lp = layout.clusters[name]
        attrs.append(f'bb="{bb}"' + (f' lp="{lp}"' if lp else ""))
    return "graph [" + " ".join(attrs) + "]\n"


def _row(text: str, color: str | None = None, size: int | None = None) -> str:
    body = dot_html(text)
    if color or size:
        font = (f' COLOR="{color}"' if color else "") + (f' POINT-SIZE="{size}"' if size else "")
        body = f"<FONT{font}>{body}</FONT>"
    return f"<TR><TD>{body}</TD></TR>"


def node_rows(model: GraphModel, node: VizNode) -> list[str]:
    """The text rows of a node, as the text form also prints them."""
    p = model.precision
    rows = []
    if node.subtitle:
        rows.append(clip(node.subtitle))
    dtype = node.dtype if node.dtype != model.dtype else None  # a shared dtype is in the label
    kind = shape_dtype(node.shape, dtype)
    if kind:
        rows.append(kind)
    if model.show_data and node.kind not in ("backward",):
        if is_number(node):
            pass  # its title is its value
        elif node.data is not None:
            rows.append("data " + summary(node.data, p))
        elif node.kind != "collapsed":
            rows.append("data ?")
    return rows


def is_number(node: VizNode) -> bool:
    """A constant with one value: drawn small, its value as its title."""
    return node.kind == "constant" and node.data is not None and node.data.size == 1


def grad_row(model: GraphModel, node: VizNode) -> str | None:
    if not (model.show_grad and node.has_grad and node.kind not in ("backward", "saved")):
        return None
    if node.grad_parts is not None and len(node.grad_parts) > 1:
        return "grad " + running_sum(node.grad_parts, node.grad, model.precision)
    if node.grad is None:
        return "grad " + node.grad_missing
    return "grad " + summary(node.grad, model.precision) + (" (seed)" if node.seed else "")


def running_sum(parts: list, total: object, precision: int) -> str:
    """The gradient as its parts arrive: ``?``, then ``0.46 + ?``, then ``0.46 − 0.79 = −0.32``.

    ``parts`` are in the order they arrive, ``None`` for those still to come.
    """
    known = [summary(part, precision) for part in parts if part is not None]
    if not known:
        return "?"
    text = known[0] + "".join(" − " + k[1:] if k.startswith("-") else " + " + k for k in known[1:])
    if len(known) < len(parts):
        return text + " + ?"
    return text + " = " + ("?" if total is None else summary(total, precision))


def _node_line(model: GraphModel, node: VizNode, focus: str | None, layout: Layout | None) -> str:
    dim = model.highlight is not None and node.id not in model.highlight
    ink = DIM if dim else None
    if is_number(node):
        return _number_line(model, node, ink, layout)
    # The node being processed is marked by colour only, so its size (and the layout) stays.
    fill = FOCUS_FILL if node.id == focus else FILL.get(node.kind, "#ffffff")
    width = ""
    if layout is not None and node.id in layout.nodes:  # as wide as the box, in every frame
        width = f' WIDTH="{math.ceil(float(layout.nodes[node.id][1]) * 72)}"'
    cells = [f'<TR><TD BGCOLOR="{fill}"{width}>']
    title = f"<B>{dot_html(shown(node.title))}</B>"
    cells.append(f'<FONT COLOR="{ink}">{title}</FONT>' if ink else title)
    cells.append("</TD></TR>")
    for k, text in enumerate(node_rows(model, node)):
        small = k == 0 and bool(node.subtitle)  # the op under a user's name, in small print
        cells.append(_row(text, ink, 9 if small else None))
    grad = grad_row(model, node)
    if grad is not None:
        cells.append(_row(grad, ink or GRAD_COLOR))
    table = (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"'
        + (f' COLOR="{DIM}"' if dim else "")
        + ">"
        + "".join(cells)
        + "</TABLE>>"
    )
    attrs = [f"label={table}", f"tooltip={dot_string(_tooltip(model, node))}", f'id="{node.id}"']
    attrs += _pinned(node, layout)
    return f"{node.id} [" + " ".join(attrs) + "]\n"


def _number_line(model: GraphModel, node: VizNode, ink: str | None, layout: Layout | None) -> str:
    """A constant number as a small grey tag: no header, no rows."""
    font = f'<FONT POINT-SIZE="9" COLOR="{ink or "#444444"}">{dot_html(shown(node.title))}</FONT>'
    label = (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" COLOR="#9a9a9a">'
        f'<TR><TD BGCOLOR="{FILL["constant"]}">{font}</TD></TR></TABLE>>'
    )
    attrs = [f"label={label}", f"tooltip={dot_string(_tooltip(model, node))}", f'id="{node.id}"']
    attrs += _pinned(node, layout)
    return f"{node.id} [" + " ".join(attrs) + "]\n"


def _pinned(node: VizNode, layout: Layout | None) -> list[str]:
    """The position and size a first layout gave ``node`` (nothing without a layout)."""
    if layout is None or node.id not in layout.nodes:
        return []
    pos, width, height = layout.nodes[node.id]
    # shape=plain would force the size to 0: "none" with no margin is the same box.
    return [f'pos="{pos}" width={width} height={height} fixedsize=true', "shape=none margin=0"]


def _tooltip(model: GraphModel, node: VizNode) -> str:
    p = model.precision
    lines = [shown(node.title, MAX_TOOLTIP) + (f" — {node.subtitle}" if node.subtitle else "")]
    if scope_of(node):
        lines.append("in " + _scope(scope_of(node)))
    if node.data is not None:
        lines.append("data = " + full(node.data, p))
    if node.grad is not None and node.has_grad:
        lines.append("grad = " + full(node.grad, p))
    return clip("\n".join(lines), MAX_TOOLTIP)


def edge_text(model: GraphModel, edge: VizEdge, tail_kind: str) -> list[str]:
    """``["∂=0.42", "×0.8169 → 0.3431"]``, ``["VJP → …"]``, or nothing for a constant."""
    if tail_kind == "constant" or edge.style == "saved":
        return []
    p = model.precision

    def show(a: object) -> str:
        return "?" if a is None else summary(a, p)

    if edge.local is not None and model.show_local_grad:
        lines = [f"∂={show(edge.local)}"]
        if model.show_grad:
            lines.append(f"×{show(edge.grad_out)} → {show(edge.contribution)}")
        return lines
    if model.show_grad and edge.contribution is not None:
        return [f"VJP → {show(edge.contribution)}"]
    return []


def _edge_line(
    model: GraphModel,
    edge: VizEdge,
    kinds: dict[str, str],
    focus: str | None,
    layout: Layout | None,
) -> str:
    attrs = [f'id="{edge.id}"']
    if focus is not None and edge.head == focus and kinds.get(edge.tail) != "constant":
        attrs.append(f'penwidth=2 color="{FOCUS}" fontcolor="{FOCUS}"')  # arriving now
    text = edge_text(model, edge, kinds.get(edge.tail, ""))
    if text:
        attrs.append("label=<" + "<BR/>".join(dot_html(t) for t in text) + ">")
    if edge.style == "saved":
        attrs.append('style=dashed color="#e08a00" arrowhead=none')
    if model.highlight is not None:
        if edge.id in model.highlight:
            attrs.append(f'penwidth=2.5 color="{FOCUS}"')
        else:
            attrs.append(f'color="{DIM}" fontcolor="{DIM}"')
    if layout is not None and edge.id in layout.edges:
        pos, lp = layout.edges[edge.id]
        attrs.append(f'pos="{pos}"' + (f' lp="{lp}"' if lp else ""))
    return f"{edge.tail} -> {edge.head} [" + " ".join(attrs) + "]\n"
