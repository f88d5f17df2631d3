"""``fn.lift``: any one-argument Tensor → Tensor callable as an fn function.

    >>> import math
    >>> from tinygrad_acts import autograd, fn
    >>> class Square(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, t):
    ...         ctx.save_for_backward(t)
    ...         return t * t
    ...
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (t,) = ctx.saved_tensors
    ...         return 2 * t * g
    >>> sq = fn.lift(Square)            # or fn.lift(Square.apply, name="Square")
    >>> f = fn.tanh(sq(fn.x) + 1)
    >>> print(f)
    tanh(Square(x) + 1)
    >>> round(f.derivative()(0.5), 6) == round(2 * 0.5 / math.cosh(1.25) ** 2, 6)
    True

What can be lifted: a custom ``autograd.Function`` class (its ``apply`` is called; its name
is the class's), its ``apply``, a Python function, a module such as ``nn.Tanh()`` — anything
that takes one Tensor and returns a Tensor of the same shape, elementwise. The result is an
fn function like ``fn.tanh``: it composes, differentiates, plots, prints as ``name(...)``,
reads back through ``fn.parse(text, name=lifted)`` and is drawn as one box named ``name``.

Its derivatives come from the autograd engine, through the callable's own backward: the first
always, the second and higher when that backward is itself written in Tensor ops (it is then
recorded under ``create_graph``). A backward marked ``@once_differentiable`` makes the second
derivative an error that says so. (A backward that leaves the graph, computing on NumPy arrays
and wrapping the result, looks to the engine like a constant derivative: its f'' is 0.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Function, no_grad, scope
from ..core.tensor import Tensor
from .expr import Expr, Piece, X, check_name

# Where lift tries the callable once: points on both sides of 0, none at a usual kink.
PROBE = np.array([-0.7, 0.3, 1.3])


class Lifted(Expr):
    """A Tensor → Tensor callable of the user's (``fn.lift``) applied to f, under a ``name``.

    Prints as ``name(f)``, like a known function. Computed by calling ``function`` on f's
    Tensor inside ``autograd.scope(name)``, so the graph picture draws its ops as one box and
    its derivatives are the autograd engine's, through the callable's own backward.
    """

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: Callable[[Tensor], Tensor], arg: Expr) -> None:
        super().__init__(arg)
        self.name = name
        self.function = function

    def rebuild(self, args: tuple[Expr, ...]) -> Expr:
        return Lifted(self.name, self.function, args[0])

    def pieces(self) -> list[Piece]:
        return [f"{self.name}(", self.args[0], ")"]

    def structure(self) -> tuple[Any, ...]:
        return ("Lifted", self.name, id(self.function))

    def compute(self, operands: list[Any], dtype: np.dtype) -> Any:
        (a,) = operands
        if not isinstance(a, Tensor):
            a = Tensor(np.asarray(a, dtype=dtype))
        with scope(self.name):
            out = self.function(a)
        if not isinstance(out, Tensor) or out.shape != a.shape:
            got = f"shape {tuple(out.shape)}" if isinstance(out, Tensor) else type(out).__name__
            raise TypeError(
                f"{self.name}, a lifted function, must return a Tensor of its input's shape "
                f"{tuple(a.shape)}; it returned {got}"
            )
        return out


def lift(function: Callable[[Tensor], Tensor] | type[Function], name: str | None = None) -> Expr:
    """``function`` (Tensor → Tensor, elementwise) as an fn function named ``name``.

    ``name`` may be left out for a custom Function class or its ``apply`` (the class's name)
    and for a Python function with a name of its own (not a lambda). The callable is tried
    once, on a small float64 Tensor, so that one that does not take a Tensor, returns
    something else or mixes its entries is refused here, where it is lifted.
    """
    if isinstance(function, Expr):
        raise TypeError(
            f"lift(): {function} is already an fn function (give it a name with .named)"
        )
    if isinstance(function, type):
        if not issubclass(function, Function):
            raise TypeError(
                f"lift(): the class {function.__name__} is not an autograd.Function; lift a "
                "callable that takes a Tensor and returns one"
            )
        name = function.__name__ if name is None else name
        function = function.apply
    if not callable(function):
        raise TypeError(
            f"lift(): expected a callable that takes a Tensor and returns one, got "
            f"{type(function).__name__}"
        )
    if name is None:
        name = _own_name(function)
    check_name(name)
    _try(name, function)
    return Lifted(name, function, X)


def _own_name(function: Callable[..., Any]) -> str:
    """The name a callable brings: its Function class's for ``MyFn.apply``, else its own."""
    owner = getattr(function, "__self__", None)
    if isinstance(owner, type) and issubclass(owner, Function):
        return owner.__name__
    own = getattr(function, "__name__", None)
    if isinstance(own, str) and own.isidentifier():
        return own
    raise ValueError(
        f"lift(): a {type(function).__name__} has no name of its own to print and parse by: "
        "give one, as in fn.lift(f, name='g')"
    )


def _try(name: str, function: Callable[[Tensor], Tensor]) -> None:
    """Call ``function`` on ``PROBE`` at once and entry by entry: it must return Tensors of
    the input's shape, and the same values both ways (else its output mixes the entries)."""
    with no_grad(), np.errstate(all="ignore"):
        try:
            together = function(Tensor(PROBE.copy()))
            alone = [function(Tensor(PROBE[i : i + 1].copy())) for i in range(len(PROBE))]
        except Exception as e:  # whatever the callable raises, said as lift's mistake
            raise TypeError(
                f"lift(): {name} must take one Tensor and return a Tensor; called on "
                f"tensor({PROBE.tolist()}, dtype=torch.float64) it raised "
                f"{type(e).__name__}: {e}"
            ) from e
    for out, shape in [(together, PROBE.shape), *[(a, (1,)) for a in alone]]:
        if not isinstance(out, Tensor) or out.shape != shape:
            got = (
                f"a Tensor of shape {tuple(out.shape)}"
                if isinstance(out, Tensor)
                else (f"a {type(out).__name__}")
            )
            raise TypeError(
                f"lift(): {name} must return a Tensor of its input's shape; given shape "
                f"{shape} it returned {got}"
            )
    each = np.concatenate([np.asarray(a.array, dtype=np.float64) for a in alone])
    if not np.allclose(np.asarray(together.array, np.float64), each, rtol=1e-9, equal_nan=True):
        raise ValueError(
            f"lift(): {name} is not elementwise: its value at an entry depends on the other "
            "entries, so it is not a function of one variable"
        )
