"""Functions of one variable as values: an expression tree in ``x`` that composes and prints.

    >>> from tinygrad_acts import fn
    >>> x = fn.x
    >>> A = fn.tanh(1*x + 0.5).named("A")
    >>> B = fn.tanh(-2*x - 1.5).named("B")
    >>> C = fn.tanh(-3*x + 1.5).named("C")
    >>> D = fn.tanh(4*x + 1.0).named("D")
    >>> f = C(A + B) + D(A + B)
    >>> print(f)
    C(A + B) + D(A + B)
    >>> print(C.expand())
    tanh(-3*x + 1.5)

The tree has eight kinds of node, each a small class: the variable ``x``, a constant, a
negation, a binary operation (``+ - * / **``), a call of a known function (``tanh(...)``), a
named function applied to an argument (``C(A + B)``) and a derivative (``d/dx f``) below, and
a call of a lifted Tensor → Tensor callable in ``lifting.py`` (``fn.lift``). A named function
and a derivative hold a *body*: a function of its own ``x``, which their argument is put into.
Everything else is in the same ``x`` — its ``args``.

Calling a function on another function composes (``f(g)`` is f with g put in for x); calling it
on numbers evaluates it (see ``evaluate.py``). Every walk over a tree here is a loop with an
explicit stack, so a tree 100,000 deep is no problem.

Equality is identity (``==`` and ``hash`` are Python's defaults): two functions are "the same"
when they give the same values, which the tests check by evaluating both.
"""

from __future__ import annotations

import inspect
import keyword
import math
import numbers
import operator
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..viz import draw_function
from . import functions

# Precedence, loosest first (as Python's): a child looser than its place needs parentheses.
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5

# What ``f(values)`` computes with: ``evaluate.evaluate``, given by ``use_evaluator``. The
# evaluator builds on this module, so the package (``fn/__init__.py``) hands it in from above.
_evaluate: Callable[[Expr, Any], Any] | None = None


def use_evaluator(evaluate: Callable[[Expr, Any], Any]) -> None:
    """Make ``f(values)`` return ``evaluate(f, values)``."""
    global _evaluate
    _evaluate = evaluate


class Expr:
    """A function of one variable ``x``; build it from ``fn.x`` and the ``fn`` functions.

    - arithmetic with numbers and other functions: ``+ - * / **`` and unary ``-``;
    - ``f(g)`` composes (g put in for x), ``f(values)`` evaluates on a number, a list, a NumPy
      array or a Tensor;
    - ``f.named("A")`` gives a function that prints as ``A`` and is drawn as its own box;
    - ``f.derivative(n)``, ``f.expand()``, ``str(f)`` and ``repr(f)``.
    """

    __slots__ = ("args",)
    __array_ufunc__ = None  # ``np.float64(2) * f`` must come to ``f.__rmul__``, not NumPy
    precedence = ATOM
    body: Expr | None = None

    def __init__(self, *args: Expr) -> None:
        self.args: tuple[Expr, ...] = args

    # -- what each kind of node defines -------------------------------------------------------
    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        """The same node over new arguments."""
        raise NotImplementedError

    def pieces(self) -> list[Piece]:
        """How to print this node: text, and the children to print in their place."""
        raise NotImplementedError

    def structure(self) -> tuple[Any, ...]:
        """What, besides its children, tells this node apart (for sharing equal subtrees)."""
        return (type(self).__name__,)

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        """The value of this node from its arguments' values (Tensors or Python floats)."""
        raise NotImplementedError

    # -- arithmetic ---------------------------------------------------------------------------
    def __add__(self, other: Any) -> Expr:
        return _binary("+", self, other)

    def __radd__(self, other: Any) -> Expr:
        return _binary("+", other, self)

    def __sub__(self, other: Any) -> Expr:
        return _binary("-", self, other)

    def __rsub__(self, other: Any) -> Expr:
        return _binary("-", other, self)

    def __mul__(self, other: Any) -> Expr:
        return _binary("*", self, other)

    def __rmul__(self, other: Any) -> Expr:
        return _binary("*", other, self)

    def __truediv__(self, other: Any) -> Expr:
        return _binary("/", self, other)

    def __rtruediv__(self, other: Any) -> Expr:
        return _binary("/", other, self)

    def __pow__(self, other: Any) -> Expr:
        return _binary("**", self, other)

    def __rpow__(self, other: Any) -> Expr:
        return _binary("**", other, self)

    def __neg__(self) -> Expr:
        return Neg(self)

    def __pos__(self) -> Expr:
        return self

    # -- composition and evaluation -----------------------------------------------------------
    def __call__(self, *args: Any, **params: Any) -> Any:
        """``f(g)`` composes; ``f(values)`` evaluates; ``fn.leaky_relu(negative_slope=0.2)``
        (or ``fn.hardtanh(x, -2, 2)``) sets the parameters of a function."""
        if params or len(args) != 1:
            raise TypeError(
                f"{self} takes one argument: a function to compose with, or values to evaluate "
                f"on (got {len(args)} positional and {len(params)} keyword arguments); "
                "parameters can be given only to the fn functions themselves, e.g. "
                "fn.leaky_relu(x, negative_slope=0.2)"
            )
        (arg,) = args
        if isinstance(arg, Expr):
            return compose(self, arg)
        if _evaluate is None:
            raise RuntimeError("tinygrad_acts.fn has not finished loading: nothing evaluates yet")
        return _evaluate(self, arg)

    def named(self, name: str) -> Named:
        """This function under a name: it prints as ``name``, and evaluating it records its ops
        in ``autograd.scope(name)`` so the graph picture draws them as one box."""
        check_name(name)
        return Named(name, self, X)

    def derivative(self, n: int = 1) -> Expr:
        """The n-th derivative, computed by the autograd engine (not symbolically).

        Evaluating it at an array gives f⁽ⁿ⁾ at each entry: the engine's ``grad`` with
        ``grad_outputs`` of ones and ``create_graph=True``, n times.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"derivative(): n must be a non-negative integer, got {n!r}")
        if n == 0:
            return self
        if isinstance(self, Derivative) and isinstance(self.args[0], Var):
            return Derivative(self.body, self.order + n, X)  # type: ignore[arg-type]
        return Derivative(self, n, X)

    def expand(self) -> Expr:
        """The same function with every named part written out."""
        return expand(self)

    def graph(self, at: Any = 0.5, **options: Any) -> Any:
        """The computation graph of this function evaluated at ``at``, drawn by ``viz.draw``
        (named parts as boxes, values and gradients on it); ``options`` go to ``viz.draw``.

        A Python number or list is computed in float64, as ``f(0.5)`` and the command line
        compute it; a Tensor or a floating NumPy array keeps its dtype."""
        if not isinstance(at, Tensor) and not (isinstance(at, np.ndarray) and at.dtype.kind == "f"):
            at = np.asarray(at, dtype=np.float64)
        return draw_function(self, at, **options)

    # -- printing -----------------------------------------------------------------------------
    def __str__(self) -> str:
        return render(self)

    def __repr__(self) -> str:
        definitions = [f"{d.name} = {render(d.body)}" for d in named_parts(self)]  # type: ignore[arg-type]
        return f"fn({render(self)}" + ("; " + ", ".join(definitions) if definitions else "") + ")"


Piece = str | Expr  # what a node prints as: text, or a child printed in its place


# -- the seven kinds of node ------------------------------------------------------------------


class Var(Expr):
    """The variable ``x`` (``fn.x``)."""

    __slots__ = ()

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return self

    def pieces(self) -> list[Piece]:
        return ["x"]


class Const(Expr):
    """A number. Negative numbers print with a sign, so they bind like a unary minus.

    ``symbol`` is the name it was written as (``pi``, ``e``), printed in place of its digits.
    """

    __slots__ = ("symbol", "value")

    def __init__(self, value: float, symbol: str | None = None) -> None:
        super().__init__()
        self.value = float(value)
        self.symbol = symbol

    @property
    def precedence(self) -> int:  # type: ignore[override]
        if self.symbol is None and math.copysign(1.0, self.value) < 0:
            return UNARY
        return ATOM

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return self

    def pieces(self) -> list[Piece]:
        return [self.symbol or format_number(self.value)]

    def structure(self) -> tuple[Any, ...]:
        return ("Const", self.value.hex())  # hex tells -0.0 from 0.0, and is equal for nan

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        return self.value  # a Python float: NumPy keeps the tensor's dtype when mixed with it


class Neg(Expr):
    """-f."""

    __slots__ = ()
    precedence = UNARY

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return Neg(*args)

    def pieces(self) -> list[Piece]:
        # -(-x) rather than --x: a minus sign twice in a row is too easy to misread. And -(0)
        # rather than -0, which would read back as the number -0.0 (printed "-0.0").
        child = self.args[0]
        zero = isinstance(child, Const) and child.value == 0
        return ["-", *_wrap(child, child.precedence <= UNARY or zero)]

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        return -operands[0]


_OPERATORS: dict[str, tuple[int, Callable[[Any, Any], Any]]] = {
    "+": (SUM, operator.add),
    "-": (SUM, operator.sub),
    "*": (PRODUCT, operator.mul),
    "/": (PRODUCT, operator.truediv),
    "**": (POWER, operator.pow),
}


class BinOp(Expr):
    """f + g, f - g, f * g, f / g, f ** g."""

    __slots__ = ("op",)

    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        super().__init__(left, right)
        self.op = op

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return _OPERATORS[self.op][0]

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return BinOp(self.op, *args)

    def pieces(self) -> list[Piece]:
        left, right = self.args
        p = self.precedence
        if self.op == "**":
            # Right-associative, and the exponent may carry a sign: (a**b)**c, a**-b.
            left_parens, right_parens = left.precedence <= POWER, right.precedence < UNARY
        else:
            # Left-associative: a - b - c is (a - b) - c, so a - (b - c) keeps its parentheses.
            left_parens, right_parens = left.precedence < p, right.precedence <= p
        op = f" {self.op} " if p == SUM else self.op
        return [*_wrap(left, left_parens), op, *_wrap(right, right_parens)]

    def structure(self) -> tuple[Any, ...]:
        return ("BinOp", self.op)

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        a, b = operands
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            a = Tensor(np.asarray(a, dtype=dtype))  # 2*3: computed as the tensors would be
        return _OPERATORS[self.op][1](a, b)


class Call(Expr):
    """A known function (an elementwise activation, sin, cos, exp, log, sqrt, abs) of f, with the
    parameters that were given (the others take the F function's defaults)."""

    __slots__ = ("name", "params")

    def __init__(self, name: str, arg: Expr, params: dict[str, functions.ParamValue]) -> None:
        super().__init__(arg)
        self.name = name
        self.params = params

    def __call__(self, *args: Any, **params: Any) -> Any:
        if isinstance(self.args[0], Var) and (params or len(args) != 1 or not self.complete()):
            return self.configure(args, params)
        return super().__call__(*args, **params)

    def complete(self) -> bool:
        """Whether every required parameter is set (``fn.threshold`` alone has none)."""
        return all(
            k in self.params
            for k, default in functions.parameters(self.name).items()
            if default is inspect.Parameter.empty
        )

    def configure(self, args: tuple[Any, ...], params: dict[str, Any]) -> Any:
        """``fn.hardtanh(g, -2, 2)``, ``fn.leaky_relu(negative_slope=0.2)``: the first positional
        argument (optional) is the input, the others parameters in the F function's order."""
        inner, positional = (args[0], args[1:]) if args else (X, ())
        bound = functions.bind(self.name, positional, params, given=self.params)
        functions.probe(self.name, bound)
        configured = Call(self.name, X, bound)
        return configured(inner) if args else configured

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return Call(self.name, args[0], self.params)

    def pieces(self) -> list[Piece]:
        params = "".join(f", {k}={format_value(v)}" for k, v in self.params.items())
        return [f"{self.name}(", self.args[0], params + ")"]

    def structure(self) -> tuple[Any, ...]:
        return ("Call", self.name, tuple(sorted((k, repr(v)) for k, v in self.params.items())))

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        (a,) = operands
        if not isinstance(a, Tensor):
            a = Tensor(np.asarray(a, dtype=dtype))
        return functions.apply(self.name, a, self.params)


class Named(Expr):
    """A named function (its ``body``, a function of its own x) applied to ``args[0]``.

    Prints as ``A`` when applied to x itself, ``A(g)`` otherwise.
    """

    __slots__ = ("_body", "name")

    def __init__(self, name: str, body: Expr, arg: Expr) -> None:
        super().__init__(arg)
        self.name = name
        self._body = body

    @property
    def body(self) -> Expr:  # type: ignore[override]
        return self._body

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return Named(self.name, self._body, args[0])

    def pieces(self) -> list[Piece]:
        if isinstance(self.args[0], Var):
            return [self.name]
        return [f"{self.name}(", self.args[0], ")"]

    def structure(self) -> tuple[Any, ...]:
        return ("Named", self.name)


class Derivative(Expr):
    """The ``order``-th derivative of ``body`` (a function of its own x), at ``args[0]``.

    Prints as ``d/dx tanh(x)`` (``d^2/dx^2 ...`` for the second); applied to something other
    than x, as ``(d/dx tanh(x))(g)`` — f'(g(x)), not the derivative of f(g(x)). Evaluated by
    the autograd engine (``evaluate.py``). Not part of the parser's grammar.
    """

    __slots__ = ("_body", "order")

    def __init__(self, body: Expr, order: int, arg: Expr) -> None:
        super().__init__(arg)
        self._body = body
        self.order = order

    @property
    def body(self) -> Expr:  # type: ignore[override]
        return self._body

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return UNARY if isinstance(self.args[0], Var) else ATOM

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return Derivative(self._body, self.order, args[0])

    def pieces(self) -> list[Piece]:
        n = self.order
        prefix = "d/dx " if n == 1 else f"d^{n}/dx^{n} "
        written = [prefix, *_wrap(self._body, self._body.precedence < ATOM)]
        if isinstance(self.args[0], Var):
            return written
        return ["(", *written, ")(", self.args[0], ")"]

    def structure(self) -> tuple[Any, ...]:
        return ("Derivative", self.order)


X = Var()


# -- building ---------------------------------------------------------------------------------


def as_expr(value: Any) -> Expr | None:
    """``value`` as a function: itself, or a constant for a real number; else ``None``."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Const(float(value))
    return None


def _binary(op: str, left: Any, right: Any) -> Expr:
    a, b = as_expr(left), as_expr(right)
    if a is None or b is None:
        bad = left if a is None else right
        return NotImplemented if isinstance(bad, Tensor | np.ndarray) else _refuse(op, bad)
    return BinOp(op, a, b)


def _refuse(op: str, value: Any) -> Expr:
    raise TypeError(
        f"unsupported operand for {op}: an fn function and {type(value).__name__} "
        "(use numbers or other fn functions; evaluate first to combine with arrays)"
    )


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_name(name: str) -> None:
    """A name must read back through the parser: an identifier that is not x, a function or a
    constant (pi, e), nor a Python keyword."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"a function's name must be an identifier like 'A' or 'hidden1', got {name!r}"
        )
    if functions.taken(name):
        raise ValueError(f"{name!r} cannot name a function: it already means something in fn")
    if keyword.iskeyword(name):
        raise ValueError(f"{name!r} cannot name a function: it is a Python keyword")


# -- walks over the tree (all iterative) ------------------------------------------------------


def postorder(root: Expr, *, bodies: bool = False) -> list[Expr]:
    """Every node reachable from ``root`` (each once), children before parents.

    With ``bodies`` the walk also enters the bodies of named functions and derivatives.
    """
    order: list[Expr] = []
    seen: set[int] = set()
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        children = node.args + ((node.body,) if bodies and node.body is not None else ())
        stack.extend((c, False) for c in reversed(children) if id(c) not in seen)
    return order


def substitute(root: Expr, replacement: Expr) -> Expr:
    """``root`` with ``replacement`` put in for x (bodies, having their own x, are kept).

    Subtrees used twice stay shared in the result.
    """
    new: dict[int, Expr] = {}
    for node in postorder(root):
        if isinstance(node, Var):
            new[id(node)] = replacement
            continue
        args = tuple(new[id(a)] for a in node.args)
        same = all(a is b for a, b in zip(args, node.args))
        new[id(node)] = node if same else node.rebuild(args)
    return new[id(root)]


def compose(f: Expr, g: Expr) -> Expr:
    """f ∘ g: the function x ↦ f(g(x))."""
    return substitute(f, g)


def expand(root: Expr) -> Expr:
    """``root`` with every named function replaced by its body (with its argument put in)."""
    new: dict[int, Expr] = {}
    for node in postorder(root, bodies=True):
        args = tuple(new[id(a)] for a in node.args)
        if isinstance(node, Named):
            new[id(node)] = substitute(new[id(node.body)], args[0])
        elif isinstance(node, Derivative):
            new[id(node)] = Derivative(new[id(node.body)], node.order, args[0])
        elif all(a is b for a, b in zip(args, node.args)):
            new[id(node)] = node
        else:
            new[id(node)] = node.rebuild(args)
    return new[id(root)]


def named_parts(root: Expr) -> list[Named]:
    """The named functions inside ``root`` (inner ones first), each once."""
    parts: dict[tuple[str, int], Named] = {}
    for node in postorder(root, bodies=True):
        if isinstance(node, Named):
            parts.setdefault((node.name, id(node.body)), node)
    return list(parts.values())


def structure_keys(root: Expr) -> dict[int, int]:
    """A number for each node such that equal numbers mean equal subtrees.

    The evaluator computes each distinct subtree once, so ``C(A + B) + D(A + B)`` computes
    ``A + B`` once, and the graph picture shows it feeding both C and D.
    """
    table: dict[tuple[Any, ...], int] = {}
    keys: dict[int, int] = {}
    for node in postorder(root, bodies=True):
        body = (keys[id(node.body)],) if node.body is not None else ()
        signature = (node.structure(), *(keys[id(a)] for a in node.args), *body)
        keys[id(node)] = table.setdefault(signature, len(table))
    return keys


# -- printing ---------------------------------------------------------------------------------


def _wrap(child: Expr, parens: bool) -> list[Piece]:
    return ["(", child, ")"] if parens else [child]


def render(root: Expr) -> str:
    """Readable math with as few parentheses as Python needs: ``tanh(-3*x + 1.5)``."""
    out: list[str] = []
    stack: list[Piece] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        else:
            stack.extend(reversed(item.pieces()))
    return "".join(out)


def format_number(value: float) -> str:
    """``2`` for 2.0, ``0.5``, ``1e-05``: the shortest text that reads back as the same float."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        if value == 0 and math.copysign(1.0, value) < 0:
            return "-0.0"
        return str(int(value))
    return repr(value)


def format_value(value: functions.ParamValue) -> str:
    if isinstance(value, bool | str):
        return repr(value)
    return format_number(value)
