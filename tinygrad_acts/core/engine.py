"""The backward pass: walk the graph from the outputs to the leaves, applying the chain rule.

The whole algorithm, in the order the code does it:

1. **Order.** Count, for every node reachable from the outputs, how many consumers it has.
   A node is ready once all its consumers have sent their gradient (Kahn's algorithm, walked
   as the pass goes) — a plain loop with a stack, so a chain of 100,000 ops needs no recursion.
2. **Seed.** Each output starts with its given gradient (``1`` for a scalar output).
3. **Chain rule.** Each node in order turns its output's gradient into its inputs' gradients
   (``Function.backward``): on arrays in a first-order pass, on Tensors with ``create_graph``.
4. **Conform.** A gradient is reduced to its input's shape (undoing broadcasting) and dtype.
5. **Accumulate.** Gradients from several consumers add up: in ``pending`` for nodes, in ``Leaves``
   for leaves, whose hooks see the sum before it is added to ``.grad`` (across calls too).
6. **Free.** A node's pending gradient is dropped as soon as it is used, and what it saved is
   released after its backward unless ``retain_graph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .function import Node, loud, quiet
from .grad_mode import set_grad_enabled, state
from .ops import cast, sum_to
from .tensor import Tensor


def consumer_counts(roots: Iterable[Node], leaves: dict[int, int] | None = None) -> dict[Node, int]:
    """Every node reachable from ``roots`` with its number of consumers (edges into it); with
    ``leaves``, the edges into each leaf are counted there (by the leaf's id)."""
    consumers = dict.fromkeys(roots, 0)
    stack = list(consumers)
    while stack:
        for nxt in stack.pop().next:
            if isinstance(nxt, Node):
                if nxt not in consumers:
                    stack.append(nxt)
                consumers[nxt] = consumers.get(nxt, 0) + 1
            elif nxt is not None and leaves is not None:
                leaves[id(nxt)] = leaves.get(id(nxt), 0) + 1
    return consumers


def topological_order(roots: Iterable[Node]) -> list[Node]:
    """The nodes reachable from ``roots``, each after every node that consumes its output."""
    consumers = consumer_counts(roots)
    order, ready = [], [r for r, n in consumers.items() if n == 0]
    while ready:
        order.append(node := ready.pop())
        for nxt in node.next:
            if isinstance(nxt, Node):
                consumers[nxt] -= 1
                if consumers[nxt] == 0:
                    ready.append(nxt)
    return order


def run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Tensor],
    *,
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
    accumulate: bool = True,
) -> list[Tensor | None]:
    """The pass behind ``backward`` and ``autograd.grad``: with ``accumulate`` leaves' gradients
    (of ``inputs`` only, if given) are added to ``.grad``, else those of ``inputs`` returned."""
    arrays = not create_graph  # what flows: arrays, or Tensors recorded as they are computed
    leaves = Leaves(arrays, accumulate, inputs)
    roots = [out.grad_fn for out in outputs if out.grad_fn is not None]
    consumers = consumer_counts(roots, leaves.edges)  # 1. Order
    ready = [node for node, n in consumers.items() if n == 0]
    # With ``inputs``, only the nodes on a path to one of them run (as in torch).
    needed = None if inputs is None else _leading_to(roots, leaves.wanted, leaves.nodes)

    pending: dict[Node, Any] = {}
    for out, g in zip(outputs, grad_outputs):  # 2. Seed
        g = g.array if arrays else g
        leaves.given.add(id(g))
        if out.grad_fn is None:  # an output that is a leaf: held until its edges are walked
            leaves.arrive(out, g, edge=False)
        else:
            pending[out.grad_fn] = pending[out.grad_fn] + g if out.grad_fn in pending else g

    # NumPy silenced: gradients through infinities are inf or nan, silently, as in torch
    checks, token = state.on_backward, quiet()
    try:
        with set_grad_enabled(create_graph):
            while ready:
                node = ready.pop()
                grad = pending.pop(node, None)  # 6. dropped as soon as it is used
                grads: Any = ()
                if grad is not None and (node._pre_hooks or node._retained or leaves.nodes):
                    grad = leaves.capture(node, _hooked(node, grad, arrays, leaves.given))
                if grad is not None and (needed is None or needed[node]):
                    grads = chain_rule(node, grad)  # 3. the chain rule
                    for check in checks:
                        check(node, grads)
                if node._to_save and not retain_graph and (needed is None or needed[node]):
                    node.release()  # 6. free what it saved
                for nxt, g in zip(node.next, grads or (None,) * len(node.next)):
                    if isinstance(nxt, Node):
                        consumers[nxt] -= 1
                        if not consumers[nxt]:
                            ready.append(nxt)
                        if g is None:
                            continue
                        if g.shape != nxt.output_shape or g.dtype is not nxt.output_dtype:
                            g = cast(sum_to(g, nxt.output_shape), nxt.output_dtype)  # 4. conform
                        pending[nxt] = pending[nxt] + g if nxt in pending else g  # 5. accumulate
                    elif nxt is not None:
                        leaves.arrive(nxt, g)
            for out in outputs:  # leaves that are outputs, reached by no edge
                leaves.arrive(out, None, edge=False)
    finally:
        loud(token)
    return leaves.captured


def chain_rule(node: Node, grad: Any) -> tuple[Any, ...]:
    """``backward`` at a node: one gradient (or None) per input, of the pass's kind."""
    grads = node.function.backward(node, grad)
    grads = grads if type(grads) is tuple else (grads,)
    if len(grads) != len(node.next):
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {len(node.next)}, got {len(grads)})"
        )
    return grads


def as_tensor(g: Any) -> Tensor:
    return g if isinstance(g, Tensor) else Tensor._make(np.asarray(g), None)


def run_hooks(hooks: list[Any], grad: Tensor) -> Tensor:
    """Each hook sees the gradient and may return a replacement (or None to keep it)."""
    for hook in hooks:
        new = hook(grad)
        grad = grad if new is None else new
    return grad


def _hooked(node: Node, grad: Any, arrays: bool, given: set[int]) -> Any:
    """The gradient of a node's output once its hooks, then retain_grad's keepers, saw it."""
    if node._pre_hooks:
        grad = run_hooks(node._pre_hooks, as_tensor(grad))
        grad = grad.array if arrays else grad
        given.add(id(grad))  # a hook may keep it: no leaf takes it as its own
    for keep in node._retained or ():
        keep(as_tensor(grad))
    return grad


class Leaves:
    """Step 5 for leaves: what arrives at each is summed, and delivered once the last edge
    into it has been walked — its hooks see its whole gradient, once per pass, as in torch."""

    def __init__(self, arrays: bool, accumulate: bool, inputs: Sequence[Tensor] | None) -> None:
        self.arrays, self.accumulate = arrays, accumulate
        self.wanted = None if inputs is None else {id(t): i for i, t in enumerate(inputs)}
        self.nodes = {t.grad_fn: i for i, t in enumerate(inputs or ()) if t.grad_fn is not None}
        self.captured: list[Any] = [None] * len(inputs or ())
        self.sums: dict[int, Any] = {}  # id(leaf) -> the sum so far
        self.edges: dict[int, int] = {}  # id(leaf) -> edges into it not walked yet
        self.given: set[int] = set()  # ids of gradients a .grad must not take as its own

    def capture(self, node: Node, grad: Any) -> Any:
        """A non-leaf among ``inputs`` gets what arrives at the node that made it."""
        if node in self.nodes:
            self.captured[self.nodes[node]] = as_tensor(grad)
            self.given.add(id(grad))  # held now: a leaf that gets it takes a copy
        return grad

    def arrive(self, leaf: Tensor, g: Any, edge: bool = True) -> None:
        key = id(leaf)
        if edge:
            self.edges[key] -= 1
        if g is not None and (self.wanted is None or key in self.wanted):
            g = cast(sum_to(g, leaf.array.shape), leaf.array.dtype)  # 4. conform
            self.sums[key] = self.sums.pop(key) + g if key in self.sums else g
        if not self.edges.get(key) and key in self.sums:
            self.deliver(leaf, self.sums.pop(key))

    def deliver(self, leaf: Tensor, g: Any) -> None:
        """Run the leaf's hooks on its summed gradient, then add it to ``.grad`` (or capture)."""
        hooked = bool(leaf._hooks)
        if hooked:
            self.given.add(id(g))  # a hook may keep what it is shown
            g = run_hooks(leaf._hooks, as_tensor(g))  # type: ignore[arg-type]
            g = g.array if self.arrays else g
        if not self.accumulate:
            self.captured[self.wanted[id(leaf)]] = as_tensor(g)  # type: ignore[index]
        elif leaf.grad is None:
            leaf.grad = as_tensor(self._owned(g, hooked))
        elif self.arrays and leaf.grad.grad_fn is None and leaf.grad.array.flags.writeable:
            np.add(leaf.grad.array, g, out=leaf.grad.array)  # in place, as torch's AccumulateGrad
        else:  # a recorded pass (the sum is differentiable), or a .grad set by hand
            leaf.grad = leaf.grad + as_tensor(g)

    def _owned(self, g: Any, hooked: bool) -> Any:
        """A gradient ``.grad`` may own: no view, not seen by a hook or another leaf; writable."""
        if self.arrays:
            if hooked or type(g) is not np.ndarray or g.base is not None or id(g) in self.given:
                g = np.array(g)
            elif not g.flags.writeable:
                g = g.copy()
        elif g.grad_fn is None or hooked or id(g) in self.given or g.array.base is not None:
            g = g + 0.0 if g.grad_fn is not None else Tensor._make(np.array(g.array), None)
        self.given.add(id(g))
        return g


def _leading_to(roots: list[Node], leaves: Any, nodes: dict[Node, int]) -> dict[Node, bool]:
    """Per node: does a path from it reach one of the leaves (by id) or ``nodes``?"""
    reaches: dict[Node, bool] = {}
    for node in reversed(topological_order(roots)):  # every node after those it consumes
        reaches[node] = any(
            (reaches[n] or n in nodes) if isinstance(n, Node) else id(n) in leaves
            for n in node.next
            if n is not None
        )
    return reaches


def backward(
    tensor: Tensor,
    gradient: Tensor | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
) -> None:
    """``tensor.backward()``: add d tensor / d leaf to each leaf's ``.grad`` (``gradient`` is 1 for
    one element; ``create_graph`` records the pass; ``inputs`` limits it to these)."""
    if gradient is None:
        if tensor.array.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        gradient = Tensor._make(np.ones_like(tensor.array), None)
    retain = create_graph if retain_graph is None else retain_graph
    got = run_backward(
        [tensor], [gradient], retain_graph=retain, create_graph=create_graph, inputs=inputs
    )
    for t, g in zip(inputs or (), got):  # a non-leaf among ``inputs`` gets a .grad too
        if t.grad_fn is not None and g is not None:
            t.grad = g if t._grad is None else t._grad + g


Tensor.backward = backward
