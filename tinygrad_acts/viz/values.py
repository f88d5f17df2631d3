"""What the picture shows on each node and edge: values, gradients and local derivatives.

The autograd graph keeps ``Node`` objects, not the Tensors they produced, so the values are
recovered here, and the gradients computed here, without touching anything the user owns:

- **Values.** The output's own data; every Tensor the graph saved for backward (an op that saves
  its output, or an op that saves an intermediate input, hands back that Tensor); the rest is
  recomputed by running ``forward`` again on its inputs, producers first.
- **Gradients.** A retained pass of our own over ``topological_order``: each node's ``backward``
  turns the gradient of its output into one per input, which is conformed to the input's shape
  and dtype and accumulated, exactly as the engine does — but into a dict, never into ``.grad``,
  and without freeing anything. Hooks are not run (a hook may write ``.grad``).
- **Local derivatives.** ``backward`` seeded with ones gives ``Σ_j ∂out_j/∂in_i``: for an
  elementwise op that is the derivative of each output element with respect to its input
  element, and for an op with a one-element output it is the exact gradient. Other ops get
  only their vector-Jacobian product on the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.engine import chain_rule
from ..core.function import Node, loud, quiet
from ..core.grad_mode import no_grad
from ..core.ops import cast, sum_to
from ..core.tensor import Tensor
from .nodes import input_meta

UNKNOWN: Any = object()  # a value the graph no longer holds


def saved_values(node: Node) -> tuple[Any, ...] | None:
    """``node.saved_tensors``, or ``None`` once backward has freed them."""
    try:
        return node.saved_tensors
    except RuntimeError:
        return None


def constant_args(node: Node) -> list[Any]:
    """The value of each argument that is not in the graph (``None`` for those that are).

    An argument that needs no gradient (a number, a constant Tensor) is not linked in
    ``node.next``; ``apply`` records its value in ``node.constants``.
    """
    constants = node.constants or (None,) * len(node.next)  # empty: all args in the graph
    return [None if n is not None else _array(v) for n, v in zip(node.next, constants)]


def _array(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


def forward_values(root: Tensor, order: Sequence[Node]) -> dict[Node, np.ndarray | None]:
    """The output array of every node in ``order`` (``None`` where it cannot be recovered)."""
    known: dict[Node, np.ndarray] = {}
    if root.grad_fn is not None:
        known[root.grad_fn] = root.array
    for node in order:  # every intermediate Tensor that the graph saved
        for value in saved_values(node) or ():
            if isinstance(value, Tensor) and value.grad_fn is not None:
                known.setdefault(value.grad_fn, value.array)
    values: dict[Node, np.ndarray | None] = dict(known)
    for node in reversed(order):  # producers before consumers
        if node in values:
            continue
        values[node] = _recompute(node, values)
    return values


def _recompute(node: Node, values: dict[Node, np.ndarray | None]) -> np.ndarray | None:
    """Run the op's ``forward`` again on its inputs' arrays (with a throw-away ctx)."""
    constants = constant_args(node)
    args = []
    for nxt, const in zip(node.next, constants):
        if isinstance(nxt, Node):
            value = values.get(nxt)
        elif isinstance(nxt, Tensor):
            value = nxt.array
        else:
            value = None if const is UNKNOWN else const
            if const is UNKNOWN:
                return None
        if value is None and nxt is not None:
            return None
        args.append(value)
    ctx = Node(node.function)
    ctx.next = node.next  # forward may ask ctx.needs_input_grad, as it did when first run
    try:
        with np.errstate(all="ignore"):
            return np.asarray(node.function.forward(ctx, *args, **node.params))
    except Exception:  # a user-defined op may not be re-runnable; then the value is unknown
        return None


@dataclass
class Gradients:
    """The result of the drawing's own backward pass.

    ``of_node`` is the gradient of each node's output, ``of_leaf`` of each leaf (by ``id``);
    ``contribution[(node, i)]`` is what ``node`` passes back to its argument ``i`` (after
    conforming), and ``local[(node, i)]`` the local derivative on that edge (only for
    elementwise ops and one-element outputs). ``note`` says why gradients are missing, if so.
    """

    of_node: dict[Node, np.ndarray] = field(default_factory=dict)
    of_leaf: dict[int, np.ndarray] = field(default_factory=dict)
    contribution: dict[tuple[Node, int], np.ndarray] = field(default_factory=dict)
    local: dict[tuple[Node, int], np.ndarray] = field(default_factory=dict)
    note: str = ""


def _backward(node: Node, grad: Tensor) -> tuple[Any, ...]:
    """The node's rule on the gradient of its output, as the engine's first-order pass runs it."""
    token = quiet()
    try:
        with no_grad():
            grads = chain_rule(node, grad.array)
    finally:
        loud(token)
    return tuple([None if g is None else Tensor._make(g, None) for g in grads])


def gradient_pass(
    root: Tensor,
    order: Sequence[Node],
    *,
    elementwise: Any,
    local_for: set[Node] | None = None,
) -> Gradients:
    """Backpropagate ``root`` (seeded with ones) through ``order`` into a ``Gradients``.

    ``elementwise(node)`` says whether an op is elementwise; ``local_for`` limits the local
    derivatives to the nodes whose edges are drawn (``None``: all).
    """
    result = Gradients()
    if root.grad_fn is None:
        if root.requires_grad:
            result.of_leaf[id(root)] = np.ones_like(root.array)
        return result
    pending: dict[Node, Tensor] = {root.grad_fn: Tensor._make(np.ones_like(root.array), None)}
    with no_grad():
        for node in order:
            grad = pending.pop(node, None)
            if grad is None:
                continue
            result.of_node[node] = grad.array
            try:
                grads = _backward(node, grad)
                local = None
                wants_local = local_for is None or node in local_for
                if wants_local and (grad.array.size == 1 or elementwise(node)):
                    local = _backward(node, Tensor._make(np.ones_like(grad.array), None))
            except RuntimeError as err:  # freed by an earlier backward()
                return Gradients(note=_freed_note(err))
            for i, (nxt, g, meta) in enumerate(zip(node.next, grads, input_meta(node))):
                if nxt is None or g is None:
                    continue
                if local is not None and isinstance(local[i], Tensor):
                    result.local[(node, i)] = local[i].array
                g = cast(sum_to(g, meta[0]), meta[1])
                result.contribution[(node, i)] = g.array
                if isinstance(nxt, Node):
                    pending[nxt] = pending[nxt] + g if nxt in pending else g
                else:
                    before = result.of_leaf.get(id(nxt))
                    result.of_leaf[id(nxt)] = g.array if before is None else before + g.array
    return result


def _freed_note(err: RuntimeError) -> str:
    if "second time" in str(err):
        return (
            "gradients unknown: backward() already freed this graph; draw before calling "
            "backward(), or call it with retain_graph=True"
        )
    return f"gradients unknown: {err}"
