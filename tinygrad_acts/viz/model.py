"""The graph model: what the picture shows, as plain data, before any DOT is written.

``build(tensor, ...)`` walks the autograd graph behind ``tensor`` (iteratively, in the engine's
``topological_order``) and returns a ``GraphModel``:

- one node per op (its output's data and gradient on it), per leaf input, and per constant
  argument; the op that made ``tensor`` is the output node;
- one edge per argument, from the input to the op (``x * x`` has two), carrying the local
  derivative ``∂ op / ∂ input``, the op's output gradient and the product passed back;
- each node's ``scope`` (names of the ``fn`` functions / modules it was recorded in), from
  which the emitters draw nested clusters; ``collapse`` turns a cluster into one node.

Node ids are ``n0, n1, ...``: the ops in topological order (output first), then the leaves and
constants in the order the ops use them. Nothing here depends on ``id()`` or on user names, so
the same graph always gives the same model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.engine import topological_order
from ..core.function import Node
from ..core.tensor import Tensor
from . import ops, values
from .escape import clip, one_line, shown
from .nodes import input_meta, scope_of
from .numbers import number, summary

# Arguments and attributes of the graph model.
Key = tuple[Any, ...]  # ("op", node) | ("leaf", id) | ("const", node, i) | ("group", path)


@dataclass
class VizNode:
    """One box of the picture.

    ``kind`` is ``output``, ``op``, ``leaf``, ``constant`` or ``collapsed`` (and, in the
    backward view, ``backward`` and ``saved``). ``data``/``grad`` are ``None`` when unknown;
    ``has_grad`` is False for constants (they get no gradient row).
    """

    id: str
    kind: str
    title: str
    subtitle: str = ""
    scope: tuple[str, ...] = ()
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    data: np.ndarray | None = None
    grad: np.ndarray | None = None
    has_grad: bool = True
    grad_missing: str = "?"  # what the grad row says when ``grad`` is None
    # In a frame of the backward pass: the parts of ``grad`` from each consumer, in the order
    # they arrive (``None`` for those still to come), and whether ``grad`` is the seed.
    grad_parts: list[np.ndarray | None] | None = None
    seed: bool = False
    source: Any = None  # the autograd Node, or the leaf Tensor
    members: list[Node] = field(default_factory=list)  # the ops inside a collapsed node


@dataclass
class VizEdge:
    """One argument of an op: from ``tail`` (the input) to ``head`` (the op).

    ``local`` is ∂head/∂tail (elementwise ops and one-element outputs only), ``grad_out`` the
    gradient of the head's output, ``contribution`` what the head passes back along the edge.
    """

    id: str
    tail: str
    head: str
    arg: int = 0
    local: np.ndarray | None = None
    grad_out: np.ndarray | None = None
    contribution: np.ndarray | None = None
    style: str = ""  # "saved" for the backward view's saved-tensor edges


@dataclass
class PathProduct:
    """One path of a highlight: the node titles along it and the product of its ``∂``."""

    titles: list[str]
    factors: list[np.ndarray | None]
    product: np.ndarray | None


@dataclass
class GraphModel:
    """Nodes, edges and what to show; the emitters (DOT, text, Mermaid) read only this."""

    nodes: list[VizNode]
    edges: list[VizEdge]
    rankdir: str = "LR"
    precision: int = 4
    clusters: bool = True
    show_data: bool = True
    show_grad: bool = True
    show_local_grad: bool = True
    notes: list[str] = field(default_factory=list)
    highlight: set[str] | None = None  # ids of the nodes and edges on the highlighted paths
    paths: list[PathProduct] = field(default_factory=list)
    path_sum: np.ndarray | None = None
    order: list[Node] = field(default_factory=list)  # the engine's topological order
    dtype: str | None = None  # the dtype every tensor shares, said once instead of per node

    def node(self, node_id: str) -> VizNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def cluster_walk(self) -> Iterator[tuple[str, tuple[str, ...], VizNode | None]]:
        """The nested scopes, in drawing order: ``("open", path, None)``, then each
        ``("node", path, node)`` of that scope and the sub-scopes, then ``("close", path,
        None)`` — the root scope ``()`` only holds nodes. Both emitters (DOT and Mermaid) draw
        from this; an explicit stack, so deep nesting needs no recursion."""
        members: dict[tuple[str, ...], list[VizNode]] = {}
        children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for node in self.nodes:
            path = scope_of(node) if self.clusters else ()
            members.setdefault(path, []).append(node)
            for k in range(len(path), 0, -1):
                if path[:k] in children.get(path[: k - 1], []):
                    break
                children.setdefault(path[: k - 1], []).append(path[:k])
        stack: list[tuple[str, tuple[str, ...]]] = [("open", ())]
        while stack:
            action, path = stack.pop()
            if action == "close":
                yield "close", path, None
                continue
            if path:
                yield "open", path, None
            for node in members.get(path, []):
                yield "node", path, node
            if path:
                stack.append(("close", path))
            for child in reversed(children.get(path, [])):
                stack.append(("open", child))

    def id_of(self, source: Any) -> str:
        """The id of the node drawn for an autograd Node or a leaf Tensor."""
        for n in self.nodes:
            if n.source is source or any(m is source for m in n.members):
                return n.id
        raise KeyError(source)


def _check_params(params: Any) -> tuple[dict[int, str], dict[Node, str]]:
    """``params`` (name → Tensor, like torchviz's) as lookups for leaves and for ops."""
    leaves: dict[int, str] = {}
    made_by: dict[Node, str] = {}
    if params is None:
        return leaves, made_by
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict mapping names to Tensors (as in torchviz), "
            f"got {type(params).__name__}"
        )
    for name, t in params.items():
        if not isinstance(t, Tensor):
            raise TypeError(f"params[{name!r}] must be a Tensor, got {type(t).__name__}")
        if t.grad_fn is None:
            leaves.setdefault(id(t), str(name))
        else:
            made_by.setdefault(t.grad_fn, str(name))
    return leaves, made_by


def _common_prefix(scopes: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    scopes = list(scopes)
    prefix = scopes[0] if scopes else ()
    for s in scopes[1:]:
        n = 0
        while n < min(len(prefix), len(s)) and prefix[n] == s[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


class _Collapse:
    """Which cluster (scope path) a scope is drawn inside as one node, if any."""

    def __init__(self, spec: Any, scopes: Iterable[tuple[str, ...]]) -> None:
        self.paths: set[tuple[str, ...]] = set()
        known = {s[:k] for s in scopes for k in range(1, len(s) + 1)}
        if spec is None or spec is False:
            return
        if spec is True:
            self.paths = {p for p in known if len(p) == 1}
            return
        items = [spec] if isinstance(spec, (str, tuple)) else list(spec)
        for item in items:
            if isinstance(item, str):
                found = {p for p in known if p[-1] == item}
            elif isinstance(item, tuple):
                found = {item} & known
            else:
                raise TypeError(
                    "collapse takes a cluster name, a tuple of names (a nested path), a list "
                    f"of those, or True; got {type(item).__name__}"
                )
            if not found:
                names = ", ".join(sorted(repr(p[-1]) for p in known)) or "none"
                raise ValueError(f"collapse: no cluster named {item!r} (clusters: {names})")
            self.paths |= found

    def of(self, scope: tuple[str, ...]) -> tuple[str, ...] | None:
        for k in range(1, len(scope) + 1):
            if scope[:k] in self.paths:
                return scope[:k]
        return None


def build(
    tensor: Tensor,
    params: Mapping[str, Tensor] | None = None,
    *,
    show_data: bool = True,
    show_grad: bool = True,
    show_local_grad: bool = True,
    rankdir: str = "LR",
    clusters: bool = True,
    collapse: Any = None,
    highlight: tuple[Tensor, Tensor] | None = None,
    max_nodes: int = 500,
    precision: int = 4,
) -> GraphModel:
    """The graph model of the computation that produced ``tensor`` (see the module doc)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"draw() takes a Tensor, got {type(tensor).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    if not isinstance(precision, int) or not 1 <= precision <= 17:
        raise ValueError(f"precision must be an int from 1 to 17, got {precision!r}")
    leaf_names, op_names = _check_params(params)
    root = tensor.grad_fn
    order = topological_order([root]) if root is not None else []

    # Where each leaf and constant sits: leaves in the innermost scope shared by their users.
    leaf_scopes: dict[int, list[tuple[str, ...]]] = {}
    leaves: dict[int, Tensor] = {}
    for node in order:
        for nxt in node.next:
            if isinstance(nxt, Tensor):
                leaves[id(nxt)] = nxt
                leaf_scopes.setdefault(id(nxt), []).append(scope_of(node))
    leaf_scope = {k: _common_prefix(v) for k, v in leaf_scopes.items()}
    collapse_of = (
        _Collapse(collapse, [scope_of(n) for n in order]) if clusters else _Collapse(None, [])
    )

    # 1. Keys in id order: the ops (or their collapsed cluster), then leaves and constants.
    group_of: dict[tuple[str, ...], tuple[str, ...] | None] = {}  # scope → collapsed cluster
    for scope in {scope_of(n) for n in order} | set(leaf_scope.values()):
        group_of[scope] = collapse_of.of(scope)
    for leaf_id, scope in leaf_scope.items():  # a collapsed box hides ops, never inputs
        path = group_of[scope]
        if path:
            leaf_scope[leaf_id] = path[:-1]
            group_of.setdefault(path[:-1], collapse_of.of(path[:-1]))
    op_key: dict[Node, Key] = {}
    for node in order:
        path = group_of[scope_of(node)]
        op_key[node] = ("group", path) if path else ("op", node)

    def key_of_op(node: Node) -> Key:
        return op_key[node]

    def key_of_arg(node: Node, i: int, nxt: Any) -> Key:
        if isinstance(nxt, Node):
            return op_key[nxt]
        if isinstance(nxt, Tensor):
            return ("leaf", id(nxt))
        path = group_of[scope_of(node)]
        return ("group", path) if path else ("const", node, i)

    ids: dict[Key, str] = {}
    for node in order:
        ids.setdefault(key_of_op(node), f"n{len(ids)}")
    for node in order:
        for i, nxt in enumerate(node.next):
            ids.setdefault(key_of_arg(node, i, nxt), f"n{len(ids)}")
    if root is None:
        ids[("leaf", id(tensor))] = "n0"
    if len(ids) > max_nodes:
        raise ValueError(_too_many(len(ids), max_nodes, order, clusters))

    # 2. What to write on them.
    vals = values.forward_values(tensor, order)
    drawn_ops = {n for n in order if key_of_op(n)[0] == "op"}
    grads = values.Gradients()
    if show_grad or show_local_grad or highlight is not None:
        local_for = drawn_ops if show_local_grad or highlight is not None else set()
        grads = values.gradient_pass(
            tensor, order, elementwise=ops.is_elementwise, local_for=local_for
        )

    nodes: dict[Key, VizNode] = {}
    missing = "?" if grads.note else "none"
    for node in order:
        key = key_of_op(node)
        if key[0] == "group":
            _add_to_group(nodes, ids, key, node)
            continue
        title = ops.op_title(node, precision)
        name = op_names.get(node)
        out = vals.get(node)
        grad = grads.of_node.get(node)
        nodes[key] = VizNode(
            id=ids[key],
            kind="output" if node is root else "op",
            title=name if name is not None else title,
            subtitle=title if name is not None else "",
            scope=scope_of(node),
            shape=tuple(out.shape) if out is not None else None,
            dtype=str(out.dtype) if out is not None else None,
            data=out,
            grad=grad,
            grad_missing=missing,
            source=node,
        )
    constants = {
        node: values.constant_args(node)
        for node in drawn_ops
        if any(arg is None for arg in node.next)
    }
    for node in order:
        for i, nxt in enumerate(node.next):
            key = key_of_arg(node, i, nxt)
            if key in nodes:
                continue
            if key[0] == "leaf":
                nodes[key] = _leaf_node(ids[key], nxt, leaf_names, leaf_scope, grads, missing)
            else:
                value = constants[node][i]
                nodes[key] = _constant_node(ids[key], node, i, value, precision)
    if root is None:
        key = ("leaf", id(tensor))
        nodes[key] = _leaf_node(ids[key], tensor, leaf_names, {id(tensor): ()}, grads, missing)
        nodes[key].kind = "output"
        if not tensor.requires_grad:
            nodes[key].has_grad = False
    for key, vn in nodes.items():
        if key[0] == "group":
            _finish_group(vn, order, key_of_op, vals, grads, root, missing)

    # 3. One edge per argument.
    edges: list[VizEdge] = []
    for node in order:
        head = ids[key_of_op(node)]
        for i, nxt in enumerate(node.next):
            tail = ids[key_of_arg(node, i, nxt)]
            if tail == head:  # both ends inside one collapsed cluster
                continue
            edges.append(
                VizEdge(
                    id=f"e{len(edges)}",
                    tail=tail,
                    head=head,
                    arg=i,
                    local=grads.local.get((node, i)),
                    grad_out=grads.of_node.get(node),
                    contribution=grads.contribution.get((node, i)),
                )
            )

    model = GraphModel(
        nodes=sorted(nodes.values(), key=lambda n: int(n.id[1:])),
        edges=edges,
        rankdir=rankdir,
        precision=precision,
        clusters=clusters,
        show_data=show_data,
        show_grad=show_grad,
        show_local_grad=show_local_grad,
        order=order,
    )
    dtypes = {n.dtype for n in model.nodes if n.dtype is not None}
    if len(dtypes) == 1 and len(model.nodes) > 1:
        model.dtype = dtypes.pop()
        model.notes.append(f"every tensor is {model.dtype}")
    if grads.note and show_grad:
        model.notes.append(grads.note)
    if tensor.array.size != 1 and show_grad and root is not None:
        model.notes.append(f"gradients of the sum of the output ({tensor.array.size} elements)")
    if highlight is not None:
        _highlight(model, tensor, highlight)
    return model


def _too_many(count: int, max_nodes: int, order: list[Node], clusters: bool) -> str:
    sizes: dict[str, int] = {}
    for node in order:
        if scope_of(node):
            sizes[scope_of(node)[0]] = sizes.get(scope_of(node)[0], 0) + 1
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    hint = ""
    if biggest and clusters:
        listed = ", ".join(f"{clip(name)!r} ({n} ops)" for name, n in biggest)
        hint = (
            f" Draw a named sub-function or module as one box with collapse=[...] "
            f"(largest clusters: {listed}), or collapse=True for every top-level cluster;"
        )
    return (
        f"the graph has {count} nodes, more than max_nodes={max_nodes}.{hint} "
        f"{'or p' if hint else 'P'}ass max_nodes={count} to draw them all (dot may be slow "
        "on large graphs)."
    )


def _leaf_node(
    node_id: str,
    leaf: Tensor,
    names: dict[int, str],
    leaf_scope: dict[int, tuple[str, ...]],
    grads: values.Gradients,
    missing: str,
) -> VizNode:
    grad = grads.of_leaf.get(id(leaf))
    if grad is None and grads.note and leaf.grad is not None:
        grad = leaf.grad.array  # the graph is gone, but the user's backward() left this
    return VizNode(
        id=node_id,
        kind="leaf",
        title=names.get(id(leaf), "leaf"),
        scope=leaf_scope.get(id(leaf), ()),
        shape=tuple(leaf.shape),
        dtype=str(leaf.array.dtype),
        data=leaf.array,
        grad=grad,
        grad_missing=missing,
        source=leaf,
    )


def _constant_node(node_id: str, node: Node, i: int, value: Any, precision: int) -> VizNode:
    meta = input_meta(node)[i] if i < len(input_meta(node)) else None
    known = value is not values.UNKNOWN and value is not None
    data = np.asarray(value) if known and np.asarray(value).dtype.kind in "fiub" else None
    # A Python number has no shape or dtype of its own (NumPy's weak-scalar rule applies).
    shape = tuple(meta[0]) if meta is not None else None
    dtype = str(meta[1]) if meta is not None else None
    if data is not None and data.size == 1:
        title = number(data.reshape(()), precision)
    else:
        title = "const"
    return VizNode(
        id=node_id,
        kind="constant",
        title=title,
        scope=scope_of(node),
        shape=shape,
        dtype=dtype,
        data=data,
        has_grad=False,
    )


def _add_to_group(nodes: dict[Key, VizNode], ids: dict[Key, str], key: Key, node: Node) -> None:
    if key not in nodes:
        path = key[1]
        nodes[key] = VizNode(id=ids[key], kind="collapsed", title=path[-1], scope=path[:-1])
    nodes[key].members.append(node)


def _finish_group(
    vn: VizNode,
    order: list[Node],
    key_of_op: Any,
    vals: dict[Node, np.ndarray | None],
    grads: values.Gradients,
    root: Node | None,
    missing: str,
) -> None:
    """A collapsed cluster shows its op count and, if it has one output, that output."""
    inside = set(vn.members)
    used_outside = {
        nxt for n in order if n not in inside for nxt in n.next if isinstance(nxt, Node)
    }
    outputs = [m for m in vn.members if m in used_outside or m is root]
    vn.subtitle = f"{len(vn.members)} ops"
    if root in inside:
        vn.kind = "output"
    if len(outputs) == 1:
        out = vals.get(outputs[0])
        vn.data = out
        vn.shape = tuple(out.shape) if out is not None else None
        vn.dtype = str(out.dtype) if out is not None else None
        vn.grad = grads.of_node.get(outputs[0])
        vn.grad_missing = missing
    else:
        vn.has_grad = False


def _highlight(model: GraphModel, output: Tensor, pair: Any) -> None:
    """Mark every path from ``x`` to ``y`` and put each path's chain-rule product in the label."""
    if not (
        isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, Tensor) for t in pair)
    ):
        raise TypeError(
            "highlight takes a pair of Tensors (x, y): the paths from x to y are marked"
        )
    x, y = pair
    try:
        start = model.id_of(x if x.grad_fn is None else x.grad_fn)
        end = model.id_of(y if y.grad_fn is None else y.grad_fn)
    except KeyError:
        raise ValueError(
            "highlight: both tensors must be in the graph that produced the drawn output "
            "(and not inside a collapsed cluster)"
        ) from None
    out_edges: dict[str, list[VizEdge]] = {}
    in_edges: dict[str, list[VizEdge]] = {}
    for e in model.edges:
        out_edges.setdefault(e.tail, []).append(e)
        in_edges.setdefault(e.head, []).append(e)
    after_x = _reach(start, out_edges, lambda e: e.head)
    before_y = _reach(end, in_edges, lambda e: e.tail)
    on = after_x & before_y
    marked = {e.id for e in model.edges if e.tail in on and e.head in on}
    model.highlight = on | marked

    # Enumerate the paths (iteratively; a graph can have very many, so stop at 64).
    titles = {n.id: n.title for n in model.nodes}
    stack: list[tuple[str, list[VizEdge]]] = [(start, [])]
    found: list[list[VizEdge]] = []
    while stack and len(found) < 64:
        at, path = stack.pop()
        if at == end and path:
            found.append(path)
            continue
        for e in reversed(out_edges.get(at, [])):
            if e.id in marked:
                stack.append((e.head, path + [e]))
    total: np.ndarray | None = None
    for path in found:
        factors = [e.local for e in path]
        product = None
        if all(f is not None for f in factors):
            product = np.ones(())
            for f in factors:
                product = product * f
            product = Tensor._make(np.asarray(product), None).sum_to_size(x.shape).array
            total = product if total is None else total + product
        names = [titles[start]] + [titles[e.head] for e in path]
        model.paths.append(PathProduct(names, factors, product))
    model.path_sum = total
    if len(found) == 64 and stack:
        model.notes.append("highlight: only the first 64 paths are listed")


def _reach(start: str, edges: dict[str, list[VizEdge]], step: Any) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for e in edges.get(stack.pop(), []):
            nxt = step(e)
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def path_label(path: PathProduct, precision: int) -> str:
    """``x → mul → tanh: 0.5 × 0.42 = 0.21`` (``?`` for an unknown factor).

    On one line, whatever the names hold; a long path shows its first and last three steps.
    """
    chain = " → ".join(_elide([one_line(shown(t)) for t in path.titles]))
    factors = [("?" if f is None else summary(f, precision)) for f in path.factors]
    result = "?" if path.product is None else summary(path.product, precision)
    return f"{chain}: {' × '.join(_elide(factors))} = {result}"


def _elide(items: list[str], keep: int = 3) -> list[str]:
    """``items``, or its first and last ``keep`` with how many are left out between them."""
    if len(items) <= 2 * keep + 1:
        return items
    return [*items[:keep], f"… {len(items) - 2 * keep} more", *items[-keep:]]
