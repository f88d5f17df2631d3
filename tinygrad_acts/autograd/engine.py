"""The backward pass: walk the graph from the outputs to the leaves, applying the chain rule.

The whole algorithm, in the order the code does it:

1. **Order.** Count, for every node reachable from the outputs, how many consumers it has.
   A node is ready once all its consumers have sent their gradient (Kahn's algorithm, walked
   as the pass goes) — a plain loop with a stack, so a chain of 100,000 ops needs no recursion.
2. **Seed.** Each output starts with ``grad_outputs`` (``1`` for a scalar output).
3. **Chain rule.** Each node in order turns the gradient of its output into gradients of its
   inputs (``Function.backward``), run under ``no_grad`` unless ``create_graph``.
4. **Conform.** A gradient is reduced to its input's shape (undoing broadcasting: ``conform``)
   and dtype — here, in one place, not in every op.
5. **Accumulate.** Gradients from several consumers add up: in ``pending`` for inner nodes,
   in ``leaf_grads`` for leaves. Once a leaf's last consumer has sent its gradient, the leaf's
   hooks run once on the sum, which is then added to its ``.grad`` (across calls too, as in
   torch's ``AccumulateGrad``).
6. **Free.** A node's pending gradient is dropped as soon as it is used, and what it saved is
   released after its backward unless ``retain_graph``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor, sum_to_shape
from .float_errors import restore, silence
from .function import Node
from .grad_mode import _state, set_grad_enabled


def consumer_counts(roots: Iterable[Node], leaves: dict[int, int] | None = None) -> dict[Node, int]:
    """Every node reachable from ``roots``, with the number of its consumers (edges into it).

    With ``leaves``, the edges into each leaf tensor are counted there too (by the leaf's id).
    """
    consumers = dict.fromkeys(roots, 0)  # also the set of nodes seen so far
    stack = list(consumers)
    while stack:
        for nxt in stack.pop().next:
            if isinstance(nxt, Node):
                if nxt in consumers:
                    consumers[nxt] += 1
                else:
                    consumers[nxt] = 1
                    stack.append(nxt)
            elif nxt is not None and leaves is not None:
                leaves[id(nxt)] = leaves.get(id(nxt), 0) + 1
    return consumers


def topological_order(roots: Iterable[Node]) -> list[Node]:
    """The nodes reachable from ``roots``, each after every node that consumes its output.

    Kahn's algorithm: a node is ready once all its consumers are done. (``run_backward`` walks
    the same order as it goes: there "done" means "has sent its gradient".)
    """
    consumers = consumer_counts(roots)
    order: list[Node] = []
    ready = [r for r, n in consumers.items() if n == 0]
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt in node.next:
            if isinstance(nxt, Node):
                consumers[nxt] -= 1
                if consumers[nxt] == 0:
                    ready.append(nxt)
    return order


def conform(grad: Any, meta: tuple[tuple[int, ...], Any]) -> Any:
    """Reduce a gradient to its input's ``(shape, dtype)``: the one place broadcasting is undone.

    ``grad`` is a Tensor (a recorded pass) or an array (a first-order pass).
    """
    shape, dtype = meta
    if isinstance(grad, Tensor):
        if grad.data.shape != shape:
            grad = grad.sum_to_size(shape)
        if grad.data.dtype != dtype:
            grad = grad.to(dtype)
        return grad
    return sum_to_shape(np.asarray(grad), shape).astype(dtype, copy=False)


def run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Tensor],
    *,
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
    accumulate: bool = True,
) -> list[Tensor | None]:
    """The backward pass shared by ``Tensor.backward``, ``autograd.backward`` and ``grad``.

    With ``accumulate`` the gradients of leaves (only of ``inputs``, if given) are added to
    their ``.grad``; otherwise the gradients of ``inputs`` are returned and nothing is touched.

    Two kinds of pass run the same loop. With ``create_graph`` the gradients are Tensors and
    each node's ``backward`` is recorded, so the result can be differentiated again. Without
    it (the usual, first-order pass) nothing is recorded, so the gradients travel as plain
    arrays and a node whose op defines ``array_backward`` runs that: the same rule, without
    the cost of wrapping and recording each of its steps.
    """
    arrays = not create_graph
    wrap = _wrap if arrays else _same
    wanted = None if inputs is None else {id(t): i for i, t in enumerate(inputs)}
    captured: list[Tensor | None] = [None] * (len(inputs) if inputs is not None else 0)
    # Non-leaf inputs: their gradient is whatever arrives at the node that made them.
    capture_nodes = {t.grad_fn: i for i, t in enumerate(inputs or ()) if t.grad_fn is not None}
    given: set[int] = set()  # arrays a leaf's .grad must not take as its own (see deliver)
    # 5. What arrives at a leaf is summed here (one array per leaf, as ``pending`` is for
    # nodes) and delivered once the last edge into the leaf has been walked: its hooks see its
    # whole gradient, once per pass, as in torch.
    leaf_grads: dict[int, Any] = {}  # id(leaf) -> the sum so far
    leaf_edges: dict[int, int] = {}  # id(leaf) -> edges into it not walked yet

    def deliver(leaf: Tensor, g: Any) -> None:
        """Run the leaf's hooks on its summed gradient, then add it to ``.grad`` (or capture it)."""
        hooked = bool(leaf._hooks)
        if hooked:
            given.add(id(g))  # a hook may keep what it is shown: no leaf takes it as its own
            g = _unwrap(_run_hooks(leaf._hooks, wrap(g))) if arrays else _run_hooks(leaf._hooks, g)
        if not accumulate:
            captured[wanted[id(leaf)]] = wrap(g)  # type: ignore[index]
        elif leaf.grad is None:
            # .grad owns what it holds: not a view (of the seed, say), not what a hook returned
            # (the user may still hold it), not an array or Tensor already handed to another
            # leaf or given by the caller, and writable.
            if arrays:
                if hooked or type(g) is not np.ndarray or g.base is not None or id(g) in given:
                    g = np.array(g)
                elif not g.flags.writeable:
                    g = g.copy()
            elif hooked or id(g) in given or g.data.base is not None:  # a view: of the seed?
                g = g.clone()
            given.add(id(g))
            leaf.grad = wrap(g)
        else:
            held = leaf.grad.data
            if arrays and held.flags.writeable and held.shape == g.shape and not leaf.grad.grad_fn:
                # In place, as torch's AccumulateGrad: whoever holds .grad sees the sum.
                np.add(held, g, out=held)
            else:  # a recorded pass (the sum is differentiable), or a .grad set by hand
                leaf.grad = leaf.grad + wrap(g)

    # 2. Seed: the gradient of each output with respect to itself.
    pending: dict[Node, Any] = {}
    for out, g in zip(outputs, grad_outputs):
        if arrays:
            g = g.data
        given.add(id(g))
        if out.grad_fn is None:  # a leaf: summed with what else reaches it, delivered below
            if wanted is None or id(out) in wanted:
                leaf_grads[id(out)] = leaf_grads[id(out)] + g if id(out) in leaf_grads else g
        else:
            node = out.grad_fn
            pending[node] = pending[node] + g if node in pending else g

    # 1. Order: a node is ready once every consumer of its output has sent its gradient.
    roots = [out.grad_fn for out in outputs if out.grad_fn is not None]
    consumers = consumer_counts(roots, leaf_edges)
    ready = [node for node, n in consumers.items() if n == 0]
    # With ``inputs``, only the nodes on a path to one of them run (as in torch): the rest of
    # the graph is neither computed nor freed.
    needed = None if inputs is None else _leading_to(roots, set(wanted or ()), capture_nodes)

    anomaly = _state.anomaly
    # Gradients through infinities are inf or nan, silently, as in torch: one error state for
    # the whole pass (the ops recorded by a create_graph pass set their own).
    token = silence()
    try:
        with set_grad_enabled(create_graph):
            while ready:
                node = ready.pop()
                grad = pending.pop(node, None)  # 6. drop the gradient as soon as it is used
                if grad is None:  # nothing flows through this node (no path to the outputs' grads)
                    if not retain_graph:
                        node.release()
                    grads: tuple[Any, ...] = ()
                elif needed is not None and not needed[node]:
                    if capture_nodes and node in capture_nodes:
                        captured[capture_nodes[node]] = wrap(grad)
                    grads = ()
                else:
                    if node._pre_hooks:
                        hooked = _run_hooks(node._pre_hooks, wrap(grad))
                        grad = _unwrap(hooked) if arrays else hooked
                        given.add(id(grad))  # a hook may keep it: no leaf takes it as its own
                    if node._retained:  # retain_grad(): after the other hooks, as in torch
                        for keep in node._retained:
                            keep(wrap(grad))
                    if capture_nodes and node in capture_nodes:
                        captured[capture_nodes[node]] = wrap(grad)

                    # 3. The chain rule at this node.
                    fast = node.function.array_backward if arrays else None
                    if fast is not None:
                        grads = fast(node, grad)
                        if type(grads) is not tuple:
                            grads = (grads,)
                        if len(grads) != len(node.next):
                            grads = _check_gradients(
                                node, grads, (np.ndarray, np.generic), "arrays"
                            )
                    else:
                        grads = _chain_rule(node, grad, arrays)
                    if not retain_graph and node._to_save:
                        node._to_save = ()  # node.release(), inlined: this runs for every node
                        node._freed = True
                    if anomaly:
                        _check_anomaly(node, grads)

                if not grads:  # nothing to send: still, each input has one consumer fewer
                    grads = (None,) * len(node.next)
                for nxt, g in zip(node.next, grads):
                    if nxt is None:
                        continue
                    if type(g) is not np.ndarray and g is not None and arrays:  # a scalar? a bug?
                        _check_gradients(node, grads, (np.ndarray, np.generic), "arrays")
                    if isinstance(nxt, Node):
                        left = consumers[nxt] - 1
                        consumers[nxt] = left
                        if not left:
                            ready.append(nxt)
                        if g is None:
                            continue
                        # 4. Conform the gradient to its input (here, the output of nxt).
                        if g.shape != nxt.output_shape or g.dtype is not nxt.output_dtype:
                            g = conform(g, (nxt.output_shape, nxt.output_dtype))
                        # 5. Accumulate.
                        pending[nxt] = pending[nxt] + g if nxt in pending else g
                    else:  # a leaf
                        key = id(nxt)
                        left = leaf_edges[key] - 1  # edges into it still to walk
                        leaf_edges[key] = left
                        if g is not None and (wanted is None or key in wanted):
                            if g.shape != nxt.data.shape or g.dtype is not nxt.data.dtype:
                                g = conform(g, (nxt.data.shape, nxt.data.dtype))
                            # 5. Accumulate, and deliver after the last edge.
                            if key in leaf_grads:
                                g = leaf_grads.pop(key) + g
                            if left:
                                leaf_grads[key] = g
                            else:
                                deliver(nxt, g)
                        elif not left and key in leaf_grads:
                            deliver(nxt, leaf_grads.pop(key))
            for out in outputs:  # leaves that are outputs, reached by no edge
                if out.grad_fn is None and id(out) in leaf_grads:
                    deliver(out, leaf_grads.pop(id(out)))
    finally:
        restore(token)
    return captured


def _leading_to(roots: list[Node], leaves: set[int], nodes: dict[Node, int]) -> dict[Node, bool]:
    """For each node: does a path from it reach one of the leaves (by id) or nodes below it?"""
    reaches: dict[Node, bool] = {}
    for node in reversed(topological_order(roots)):  # every node after those it consumes
        reaches[node] = any(
            (reaches[n] or n in nodes) if isinstance(n, Node) else id(n) in leaves
            for n in node.next
            if n is not None
        )
    return reaches


def _chain_rule(node: Node, grad: Any, arrays: bool) -> tuple[Any, ...]:
    """``backward`` at a node: its inputs' gradients, checked, in the pass's kind (arrays in a
    first-order pass, else Tensors). Ops with an ``array_backward`` are called in the loop."""
    grads = node.function.backward(node, _wrap(grad) if arrays else grad)
    if type(grads) is not tuple:
        grads = (grads,)
    grads = _check_gradients(node, grads, Tensor, "Tensors")
    return tuple([None if g is None else g.data for g in grads]) if arrays else grads


def _check_gradients(
    node: Node, grads: tuple[Any, ...], kind: Any, kind_name: str
) -> tuple[Any, ...]:
    """One gradient (or None) per argument of the op, each of the kind the rule must return.

    Extra gradients after the last argument are dropped when they are all None, as torch does.
    """
    if len(grads) > len(node.next) and all(g is None for g in grads[len(node.next) :]):
        grads = grads[: len(node.next)]
    if len(grads) != len(node.next):
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {len(node.next)}, got {len(grads)})"
        )
    for g in grads:
        if g is not None and not isinstance(g, kind):
            rule = "backward" if kind_name == "Tensors" else "array_backward"
            raise TypeError(
                f"function {node.name()} returned a {type(g).__name__} as a gradient; "
                f"{rule} must return {kind_name} (or None)"
            )
    return grads


def _wrap(grad: Any) -> Tensor:
    """A gradient array as a constant Tensor (for hooks, and for ops without array_backward)."""
    return Tensor._make(grad if type(grad) is np.ndarray else np.asarray(grad), None)


def _unwrap(grad: Tensor) -> np.ndarray:
    return grad.data


def _same(grad: Tensor) -> Tensor:
    return grad


def _run_hooks(hooks: list[Any], grad: Tensor) -> Tensor:
    """Let each hook see the gradient and replace it — with a Tensor of the same shape."""
    for hook in hooks:
        new = hook(grad)
        if new is None:
            continue
        if not isinstance(new, Tensor):
            raise TypeError(
                f"hook {getattr(hook, '__name__', hook)!r} returned a {type(new).__name__}; "
                "a hook returns None or a Tensor"
            )
        if new.shape != grad.shape:
            raise RuntimeError(
                f"hook {getattr(hook, '__name__', hook)!r} has changed the size of value: "
                f"{tuple(grad.shape)} -> {tuple(new.shape)}"
            )
        if new.dtype != grad.dtype:
            raise RuntimeError(
                f"hook {getattr(hook, '__name__', hook)!r} has changed the type of value "
                f"(was {grad.dtype} got {new.dtype})"
            )
        grad = new
    return grad


def _check_anomaly(node: Node, grads: tuple[Any, ...]) -> None:
    """In ``detect_anomaly`` mode: stop at the first backward that produced NaN or inf."""
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = np.asarray(g.data if isinstance(g, Tensor) else g)
        if data.dtype.kind == "f" and not np.isfinite(data).all():
            what = "nan" if np.isnan(data).any() else "inf"
            params = ", ".join(f"{k}={v!r}" for k, v in node.params.items())
            where = ""
            frame = _user_frame(node.stack or [])
            if frame is not None:
                where = (
                    f"\nIts forward was called at {frame.filename}:{frame.lineno}: "
                    f"{(frame.line or '').strip()}"
                )
            raise RuntimeError(
                f"Function '{node.name()}'"
                + (f" ({params})" if params else "")
                + f" returned {what} values in its {i}th output.{where}"
            )


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_frame(stack: list[Any]) -> Any:
    """The innermost frame of the recorded stack outside this package: the user's line."""
    for frame in reversed(stack):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR + os.sep):
            return frame
    return stack[-1] if stack else None


def _make_grads(
    outputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None, *, create_graph: bool
) -> list[Tensor]:
    """Check the outputs and build their seed gradients (``1`` for scalars)."""
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor):
            raise TypeError(f"outputs must be Tensors, got {type(out).__name__}")
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if out.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = Tensor._make(np.ones_like(out.data), None)
        else:
            if not isinstance(g, Tensor):
                try:
                    g = Tensor(np.asarray(g, dtype=out.data.dtype))
                except (TypeError, ValueError):
                    raise TypeError(
                        f"gradient must be a Tensor or numbers (grad_outputs[{i}]), not "
                        f"{type(g).__name__}"
                    ) from None
            if g.shape != out.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of "
                    f"torch.Size({list(g.shape)}) and output[{i}] has a shape of "
                    f"torch.Size({list(out.shape)})."
                )
        grads.append(g)
    return grads


def _as_sequence(tensors: Any) -> list[Any]:
    if tensors is None:
        return []
    if isinstance(tensors, Tensor):
        return [tensors]
    return list(tensors)


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Any] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Add the gradients of ``tensors`` to the leaves' ``.grad`` (as torch.autograd.backward)."""
    outputs = _as_sequence(tensors)
    grads = _make_grads(
        outputs,
        None if grad_tensors is None else _as_sequence(grad_tensors),
        create_graph=create_graph,
    )
    if retain_graph is None:
        retain_graph = create_graph
    targets = None if inputs is None else _as_sequence(inputs)
    if targets is not None and not targets:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    captured = run_backward(
        outputs, grads, retain_graph=retain_graph, create_graph=create_graph, inputs=targets
    )
    # A non-leaf in ``inputs`` gets its gradient in .grad too, as in torch.
    for t, g in zip(targets or (), captured):
        if t.grad_fn is not None and g is not None:
            t.grad = g if t.grad is None else t.grad + g


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Any] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, leaving every ``.grad`` untouched.

    As ``torch.autograd.grad``: returns a tuple with one entry per input. With
    ``create_graph=True`` the results are themselves differentiable (higher derivatives).
    """
    outs = _as_sequence(outputs)
    ins = _as_sequence(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    for i, t in enumerate(ins):
        if not isinstance(t, Tensor):
            raise TypeError(f"inputs[{i}] must be a Tensor, got {type(t).__name__}")
        if not t.requires_grad:
            raise RuntimeError(
                f"One of the differentiated Tensors (inputs[{i}]) does not require grad"
            )
    grads = _make_grads(
        outs,
        None if grad_outputs is None else _as_sequence(grad_outputs),
        create_graph=create_graph,
    )
    if retain_graph is None:
        retain_graph = create_graph
    result = run_backward(
        outs,
        grads,
        retain_graph=retain_graph,
        create_graph=create_graph,
        inputs=ins,
        accumulate=False,
    )
    # An input listed twice gets its gradient in each place (the pass fills the last).
    last = {id(t): i for i, t in enumerate(ins)}
    result = [result[last[id(t)]] for t in ins]
    for i, (t, g) in enumerate(zip(ins, result)):
        if g is None:
            if materialize_grads:
                result[i] = Tensor._make(np.zeros_like(t.data), None)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
    return tuple(result)
