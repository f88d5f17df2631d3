"""The backward graph, as torchviz draws it: one node per recorded op's backward.

For the learner who wants to see what the engine walks: ``MulBackward`` nodes linked to the
nodes of their inputs, the leaves that receive gradients, the output tensor, and (with
``show_saved``) the tensors each op saved for its backward, on dashed edges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.engine import topological_order
from ..core.function import Node
from ..core.tensor import Tensor
from . import values
from .model import GraphModel, VizEdge, VizNode, _check_params


def build_backward(
    var: Tensor,
    params: Mapping[str, Tensor] | None = None,
    *,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
    rankdir: str = "TB",
    max_nodes: int = 500,
) -> GraphModel:
    """The backward-graph model of ``var`` (the picture of ``make_dot``)."""
    if not isinstance(var, Tensor):
        raise TypeError(f"make_dot() takes a Tensor, got {type(var).__name__}")
    leaf_names, _ = _check_params(params)
    order = topological_order([var.grad_fn]) if var.grad_fn is not None else []
    if len(order) > max_nodes:
        raise ValueError(
            f"the backward graph has {len(order)} ops, more than max_nodes={max_nodes}; "
            f"pass max_nodes={len(order)} to draw it anyway"
        )
    nodes: list[VizNode] = []
    edges: list[VizEdge] = []
    ids: dict[Any, str] = {}

    def add(key: Any, **fields: Any) -> str:
        if key not in ids:
            ids[key] = f"n{len(ids)}"
            nodes.append(VizNode(id=ids[key], has_grad=False, **fields))
        return ids[key]

    def edge(tail: str, head: str, style: str = "") -> None:
        edges.append(VizEdge(id=f"e{len(edges)}", tail=tail, head=head, style=style))

    out = add(
        ("var", id(var)),
        kind="output",
        title=_tensor_title(var, leaf_names, "output"),
        shape=tuple(var.shape),
        source=var,
    )
    for node in order:
        add(
            ("fn", node),
            kind="backward",
            title=node.name(),
            subtitle=_attrs(node, max_attr_chars) if show_attrs else "",
            source=node,
        )
    if var.grad_fn is not None:
        edge(ids[("fn", var.grad_fn)], out)
    for node in order:
        head = ids[("fn", node)]
        for nxt in node.next:
            if isinstance(nxt, Node):
                edge(ids[("fn", nxt)], head)
            elif isinstance(nxt, Tensor):
                tail = add(
                    ("leaf", id(nxt)),
                    kind="leaf",
                    title=_tensor_title(nxt, leaf_names, ""),
                    shape=tuple(nxt.shape),
                    source=nxt,
                )
                edge(tail, head)
        if show_saved:
            for i, value in enumerate(values.saved_values(node) or ()):
                title = (
                    "result"
                    if isinstance(value, Tensor) and value.grad_fn is node
                    else f"saved {i}"
                )
                shape = tuple(value.shape) if isinstance(value, Tensor) else None
                saved = add(("saved", node, i), kind="saved", title=title, shape=shape)
                edge(saved, head, style="saved")
    return GraphModel(
        nodes=nodes,
        edges=edges,
        rankdir=rankdir,
        clusters=False,
        show_data=False,
        show_grad=False,
        show_local_grad=False,
        order=order,
    )


def _tensor_title(t: Tensor, names: dict[int, str], default: str) -> str:
    return names.get(id(t), default)


def _attrs(node: Node, limit: int) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in node.params.items())
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
