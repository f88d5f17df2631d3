"""``tinygrad_acts.fn``: functions of one variable as values that compose, print and differentiate.

    >>> from tinygrad_acts import fn
    >>> x = fn.x
    >>> A = fn.tanh(1*x + 0.5).named("A")
    >>> B = fn.tanh(-2*x - 1.5).named("B")
    >>> C = fn.tanh(-3*x + 1.5).named("C")
    >>> D = fn.tanh(4*x + 1.0).named("D")
    >>> f = C(A + B) + D(A + B)
    >>> str(f), round(f(0.0), 6)
    ('C(A + B) + D(A + B)', 0.344884)
    >>> fn.parse("C(A + B) + D(A + B)", A=A, B=B, C=C, D=D)(0.0) == f(0.0)
    True
    >>> print(fn.tanh.derivative())
    d/dx tanh(x)

Every elementwise activation of the registry is here under its name (``fn.tanh``,
``fn.leaky_relu(negative_slope=0.2)``), with ``fn.sin``, ``fn.cos``, ``fn.exp``, ``fn.log``,
``fn.sqrt`` and ``fn.abs``; ``FUNCTIONS`` maps each name to its function. softmax,
log_softmax, softmin and glu are not: they are not functions of one variable. Anything else
that maps a Tensor to a Tensor elementwise — a custom ``autograd.Function``, a Python function
— becomes an fn function with ``fn.lift`` (``lifting.py``).

``fn.parse`` reads text: ``fn.parse("C(A + B)", A="tanh(x + 0.5)", B=..., C=...)`` takes each
named part as an fn function, a number, a callable to lift, or text (parsed, and named after
its keyword, so it is drawn as a box); a part's text may use the parts given before it.

Evaluation: ``f(tensor)`` gives a Tensor in the input's dtype, recorded by autograd (gradients
flow through it); ``f(array)`` an array (integer arrays are computed in float64); ``f(number)``
a float and ``f(list)`` a float64 array — Python numbers are computed in float64, for every
digit. Named parts are recorded in ``autograd.scope(name)``, equal subtrees computed once.

Modules: ``functions.py`` (the names, parameter checks), ``expr.py`` (the tree, composition,
printing), ``evaluate.py`` (evaluation and derivatives through autograd), ``parser.py``
(``parse``), ``lifting.py`` (``lift``), ``generate.py`` (``random``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import evaluate, expr, functions
from .expr import Call, Expr, X
from .generate import random
from .lifting import lift
from .parser import ParseError, parse

# f(values) is computed by evaluate.py, which builds on expr.py: connected here, above both.
expr.use_evaluator(evaluate.evaluate)

x = X


class _Functions(Mapping[str, Expr]):
    """The functions by name, each applied to x with its default parameters: call one on another
    function to compose, on values to evaluate, or with parameters to set them. The names are
    read from the registry at each look-up, so an activation registered later is here too."""

    def __init__(self) -> None:
        self._made: dict[str, Expr] = {}  # one Call per name: fn.tanh is fn.tanh

    def __getitem__(self, name: str) -> Expr:
        if not functions.is_function(name):
            raise KeyError(name)
        if name not in self._made:
            self._made[name] = Call(name, X, {})
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(functions.names())

    def __len__(self) -> int:
        return len(functions.names())

    def __repr__(self) -> str:
        return f"<fn.FUNCTIONS: {', '.join(self)}>"


FUNCTIONS = _Functions()


def __getattr__(name: str) -> Expr:
    """``fn.tanh`` and the others, read from ``FUNCTIONS`` (that is, from the registry)."""
    if name in FUNCTIONS:
        return FUNCTIONS[name]
    if functions.not_one_variable(name):
        raise AttributeError(
            f"fn has no {name!r}: {name} is not elementwise (it mixes entries along dim), so it "
            "is not a function of one variable"
        )
    raise AttributeError(f"module 'tinygrad_acts.fn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *FUNCTIONS])


__all__ = ["FUNCTIONS", "Expr", "ParseError", "lift", "parse", "random", "x", *FUNCTIONS]
