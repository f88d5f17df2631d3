"""Text forms of the graph model that need no ``dot``: an indented tree, and Mermaid.

The tree has one line per node visit and per footer line, whatever the names hold: a newline
in a name is written ``\\n`` (``escape.one_line``).
"""

from __future__ import annotations

from .dot import edge_text, grad_row, node_rows
from .escape import mermaid, one_line, shown
from .model import GraphModel, path_label
from .nodes import scope_of
from .numbers import summary

_MAX_INDENT = 32


def to_text(model: GraphModel) -> str:
    """The graph as an indented tree, output first, each input one level deeper.

    A node used more than once is written in full the first time and as ``(see nK)`` after,
    so the tree stays as small as the graph. Walked with an explicit stack (no recursion).
    """
    inputs: dict[str, list] = {}
    for edge in model.edges:
        inputs.setdefault(edge.head, []).append(edge)
    nodes = {n.id: n for n in model.nodes}
    kinds = {n.id: n.kind for n in model.nodes}
    consumed = {e.tail for e in model.edges}
    roots = [n.id for n in model.nodes if n.id not in consumed]
    lines: list[str] = []
    written: set[str] = set()
    stack: list[tuple[str, int, str]] = [(r, 0, "") for r in reversed(roots)]
    while stack:
        node_id, depth, via = stack.pop()
        node = nodes[node_id]
        # Past _MAX_INDENT levels the depth is written, not drawn: a deep chain's tree would
        # otherwise grow with the square of its length (20,000 ops: 800 MB of spaces).
        pad = "    " * depth if depth <= _MAX_INDENT else "    " * _MAX_INDENT + f"[{depth}] "
        arrow = f"← [{via}] " if via else ("← " if depth else "")
        head = f"{pad}{arrow}{node_id} {one_line(shown(node.title))}"
        if scope_of(node):
            head += "   in " + " / ".join(one_line(shown(s)) for s in scope_of(node))
        if node_id in written:
            lines.append(f"{head}   (see {node_id} above)")
            continue
        written.add(node_id)
        details = [one_line(r) for r in node_rows(model, node)]
        grad = grad_row(model, node)
        if grad is not None:
            details.append(grad)
        lines.append(head + ("   " + " | ".join(details) if details else ""))
        for edge in reversed(inputs.get(node_id, [])):
            label = "; ".join(edge_text(model, edge, kinds[edge.tail]))
            stack.append((edge.tail, depth + 1, label))
    lines.extend(one_line(line) for line in _footer(model))
    return "\n".join(lines)


def _footer(model: GraphModel) -> list[str]:
    lines = list(model.notes)
    if model.highlight is not None:
        lines.append("paths:")
        lines.extend("  " + path_label(p, model.precision) for p in model.paths)
        if model.path_sum is not None:
            lines.append("  sum = " + summary(model.path_sum, model.precision))
    return lines


def to_mermaid(model: GraphModel) -> str:
    """The graph as a Mermaid flowchart (clusters as nested subgraphs)."""
    direction = {"LR": "LR", "RL": "RL", "TB": "TB", "BT": "BT"}[model.rankdir]
    lines = [f"flowchart {direction}"]
    names: dict[tuple[str, ...], str] = {}
    for event, path, node in model.cluster_walk():
        if event == "open":
            name = names.setdefault(path, f"c{len(names)}")
            lines.append("    " * len(path) + f'subgraph {name}["{mermaid(shown(path[-1]))}"]')
        elif event == "node":
            rows = [shown(node.title), *node_rows(model, node)]
            grad = grad_row(model, node)
            if grad is not None:
                rows.append(grad)
            label = "<br/>".join(mermaid(r) for r in rows)
            lines.append("    " * (len(path) + 1) + f'{node.id}["{label}"]')
        else:
            lines.append("    " * len(path) + "end")
    kinds = {n.id: n.kind for n in model.nodes}
    for edge in model.edges:
        text = edge_text(model, edge, kinds[edge.tail])
        label = f'|"{mermaid(" ".join(text))}"|' if text else ""
        lines.append(f"    {edge.tail} -->{label} {edge.head}")
    return "\n".join(lines)
