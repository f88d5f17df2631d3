"""Evaluating an fn function: the tree becomes Tensor operations, recorded by autograd.

Each node computes with the library's own ops (``Tensor`` arithmetic, the F functions), so
evaluating on a Tensor that requires grad builds the real autograd graph: ``backward`` works
through it like through any Tensor code.

What goes in and what comes out:

- a Tensor: computed in its dtype; a Tensor comes out, connected to the input's graph;
- a NumPy array: a floating array keeps its dtype, an integer one becomes float64; an array
  comes out;
- a Python number or list: computed in float64 (a learner comparing with ``math.tanh`` wants
  every digit, not float32's seven); a float or a float64 array comes out.

Three choices that shape the graph picture:

- A named function's ops are recorded inside ``autograd.scope(name)`` (nested names nest), so
  each named part can be drawn as a box. Its argument is computed outside its box.
- Equal subtrees are computed once per evaluation (see ``structure_keys``): in
  ``C(A + B) + D(A + B)`` the nodes of A, B and A + B are shared by C and D, as they are in the
  math. A subtree is shared only within one named box, never across two.
- Constants are Python floats, so ``2*x`` records one ``Mul`` with the number in it.

The walk is a loop with an explicit stack: a tree 100,000 deep evaluates without recursion.
(A derivative evaluates its body by a nested call, so only derivatives of derivatives of ...
nest Python calls — one level per ``d/dx`` written, never per node.)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..autograd import enable_grad, grad, is_grad_enabled, no_grad, scope, topological_order
from ..core.tensor import Tensor
from .expr import Derivative, Expr, Named, Var, postorder, structure_keys
from .lifting import Lifted


def evaluate(f: Expr, value: Any) -> Any:
    """``f`` at ``value``: a number, a (nested) list, a NumPy array or a Tensor."""
    if isinstance(value, Tensor):
        return run(f, value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        array = value
    elif isinstance(value, numbers.Real | np.ndarray | list | tuple):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as e:  # ["a"], [[1, 2], [3]]
            raise TypeError(
                f"an fn function takes numbers; this {type(value).__name__} is not an array "
                f"of numbers ({e})"
            ) from None
    else:
        raise TypeError(
            f"an fn function takes a number, a list, a NumPy array, a Tensor or another fn "
            f"function; got {type(value).__name__}"
        )
    with no_grad():  # nothing to differentiate: derivatives turn recording back on themselves
        out = run(f, Tensor(array))
    if isinstance(value, np.ndarray | list | tuple):
        return out.array
    return float(out.array)


class _Scopes:
    """Keeps autograd's naming scope equal to the path of the node being computed.

    Moving from path (A, B) to (A, C) closes B and opens C; the scopes are opened and closed
    in stack order, so each ``scope()`` restores exactly what it found.
    """

    def __init__(self) -> None:
        self.path: tuple[str, ...] = ()
        self.open: list[Any] = []

    def move_to(self, path: tuple[str, ...]) -> None:
        common = 0
        while common < min(len(path), len(self.path)) and path[common] == self.path[common]:
            common += 1
        while len(self.path) > common:
            self.open.pop().__exit__(None, None, None)
            self.path = self.path[:-1]
        for name in path[common:]:
            context = scope(name)
            context.__enter__()
            self.open.append(context)
            self.path += (name,)


def run(f: Expr, x: Tensor) -> Tensor:
    """``f`` at the Tensor ``x``, as Tensor operations; the result has ``x``'s shape.

    The loop computes each (subtree, value of x, named path) once, children first. The value
    of x changes inside a named function (its argument) and a derivative (see below).
    """
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    keys = structure_keys(f)
    top = ("x",)
    values: dict[tuple[Any, ...], Any] = {top: x}
    scopes = _Scopes()

    def key(node: Expr, env: tuple[Any, ...], path: tuple[str, ...]) -> tuple[Any, ...]:
        return (keys[id(node)], env, path)

    stack: list[tuple[Expr, tuple[Any, ...], tuple[str, ...]]] = [(f, top, ())]
    try:
        while stack:
            node, env, path = stack[-1]
            k = key(node, env, path)
            if k in values:
                stack.pop()
            elif isinstance(node, Var):
                values[k] = values[env]  # env is the key of the value x stands for here
                stack.pop()
            elif isinstance(node, Named):
                # First the argument, where we are; then the body, in its own box, with x
                # standing for the argument's value.
                arg = key(node.args[0], env, path)
                inner = path + (node.name,)
                body = key(node.body, arg, inner)
                if arg not in values:
                    stack.append((node.args[0], env, path))
                elif body not in values:
                    stack.append((node.body, arg, inner))
                else:
                    values[k] = values[body]
                    stack.pop()
            else:
                missing = [(a, env, path) for a in node.args if key(a, env, path) not in values]
                if missing:
                    stack.extend(reversed(missing))
                    continue
                stack.pop()
                operands = [values[key(a, env, path)] for a in node.args]
                scopes.move_to(path)
                if isinstance(node, Derivative):
                    values[k] = derivative_at(node.body, node.order, operands[0], dtype)
                else:
                    values[k] = node.compute(operands, dtype)
    finally:
        scopes.move_to(())
    return _full(values[key(f, top, ())], x, dtype)


def _full(result: Any, x: Tensor, dtype: np.dtype) -> Tensor:
    """A constant function's value, spread to x's shape (it has no graph to keep)."""
    if isinstance(result, Tensor) and result.shape == x.shape:
        return result
    data = result.array if isinstance(result, Tensor) else np.asarray(result, dtype=dtype)
    return Tensor(np.broadcast_to(data, x.shape).astype(dtype))


def derivative_at(f: Expr, order: int, at: Any, dtype: np.dtype) -> Tensor:
    """f⁽ⁿ⁾ at each entry of ``at``, through the autograd engine.

    y = f(t) with t = ``at``; then n times y ← grad(y, t, grad_outputs=ones, create_graph=True).
    Because f is elementwise, ∂(Σᵢ yᵢ)/∂tⱼ = f'(tⱼ): the gradient of the sum *is* the
    derivative at each entry. ``create_graph`` records each gradient, so it can be
    differentiated again — for the next order, and for the caller when ``at`` requires grad
    (then d/dx f(g(x)) flows through ``at``'s own graph).
    """
    t = at if isinstance(at, Tensor) else Tensor(np.asarray(at, dtype=dtype))
    if t.dtype.kind != "f":
        t = t.to(dtype)
    fresh = not (is_grad_enabled() and t.requires_grad)
    with enable_grad():
        if fresh:
            t = t.detach().requires_grad_(True)  # a leaf of our own to differentiate against
        y = run(f, t)
        lifted = any(isinstance(node, Lifted) for node in postorder(f, bodies=True))
        for n in range(1, order + 1):
            try:
                y = _elementwise_grad(y, t, again=lifted and n < order)
            except _CutOff:
                cut = f"the {_ordinal(n)} derivative's graph does not lead back to x"
                raise _cannot_differentiate(f, n + 1, cut) from None
            except (RuntimeError, NotImplementedError) as e:
                raise _cannot_differentiate(f, n, e) from e
    return y.detach() if fresh else y  # no graph back to that private leaf


class _CutOff(RuntimeError):
    """A gradient to be differentiated again whose graph does not lead back to x."""


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _cannot_differentiate(f: Expr, n: int, reason: object) -> RuntimeError:
    """The engine's refusal (a backward that is missing, or cut off by
    ``@once_differentiable``) said as: which derivative of which function, and why."""
    order = _ordinal(n)
    lifted = sorted({node.name for node in postorder(f, bodies=True) if isinstance(node, Lifted)})
    hint = ""
    if lifted:
        hint = (
            f" ({', '.join(lifted)} {'is' if len(lifted) == 1 else 'are'} lifted: a derivative "
            "of order n needs a backward that autograd can differentiate n - 1 times: written "
            "in Tensor ops, not marked @once_differentiable)"
        )
    return RuntimeError(f"the {order} derivative of {f} cannot be computed: {reason}{hint}")


def _elementwise_grad(y: Tensor, t: Tensor, again: bool = False) -> Tensor:
    """dy/dt entry by entry: the vector-Jacobian product with ones, recorded.

    ``again`` (the result will be differentiated again, through a lifted callable) makes the
    ones require grad, as torch's seed does in such a pass, and checks that the result's
    graph leads back to t or the ones: a backward marked ``@once_differentiable`` hands back
    a gradient made from a new leaf, whose next derivative would look like a constant 0.
    """
    if not y.requires_grad:  # y does not depend on t: its derivative is 0
        return Tensor(np.zeros_like(t.array))
    ones = Tensor(np.ones_like(y.array), requires_grad=again)
    (g,) = grad(y, t, grad_outputs=ones, create_graph=True, allow_unused=True)
    if again and g is not None and g.requires_grad and not _leads_to(g, (t, ones)):
        raise _CutOff
    return Tensor(np.zeros_like(t.array)) if g is None else g


def _leads_to(g: Tensor, sources: tuple[Tensor, ...]) -> bool:
    """Whether ``g``'s graph reaches one of ``sources`` (a leaf, or the node that made it).

    An honest gradient reaches x or its seed of ones; one cut off from both was made from
    new leaves, and its next derivative would look like a constant 0.
    """
    ends = {id(s) for s in sources} | {id(s.grad_fn) for s in sources if s.grad_fn is not None}
    for node in topological_order([g.grad_fn] if g.grad_fn is not None else []):
        if id(node) in ends or any(id(n) in ends for n in node.next):
            return True
    return False
