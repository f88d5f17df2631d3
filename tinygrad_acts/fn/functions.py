"""The functions ``fn`` knows, and how a call's parameters are checked.

The names come from one place, the registry: every *elementwise* activation, plus the
elementary functions sin, cos, exp, log, sqrt and abs, and the constants pi and e. softmax,
log_softmax, softmin and glu are left out on purpose: they mix the entries of their input along
``dim``, so they are not functions of one variable (and ``f'`` on an array would not be
elementwise).

A call's parameters are read from the F function's own signature (``Activation.params``) and
checked the way Python checks a call — same wording — so ``fn.leaky_relu(slope=0.2)`` fails
as ``F.leaky_relu(x, slope=0.2)`` would. Their *values* are checked by the F function itself,
by calling it once on a probe tensor: the error a learner sees is the one torch would give.
"""

from __future__ import annotations

import difflib
import inspect
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..registry import ACTIVATIONS

# The elementary functions that are not activations: the Tensor methods of the same name.
ELEMENTARY = {
    "sin": Tensor.sin,
    "cos": Tensor.cos,
    "exp": Tensor.exp,
    "log": Tensor.log,
    "sqrt": Tensor.sqrt,
    "abs": Tensor.abs,
}

# The numbers the parser knows by name.
CONSTANTS = {"pi": math.pi, "e": math.e}

# What a parameter may hold: something the printer can write and the parser can read back.
ParamValue = float | str | bool


def names() -> list[str]:
    """Every function name ``fn`` knows: the elementwise activations, then sin ... abs."""
    return [a.name for a in ACTIVATIONS.values() if a.elementwise] + list(ELEMENTARY)


def is_function(name: str) -> bool:
    entry = ACTIVATIONS.get(name)
    return name in ELEMENTARY or (entry is not None and entry.elementwise)


def not_one_variable(name: str) -> bool:
    """True for registered activations that take a whole vector (softmax, glu, ...)."""
    entry = ACTIVATIONS.get(name)
    return entry is not None and not entry.elementwise


def taken(name: str) -> bool:
    """Whether ``name`` already means something in fn's text: x, a function, a constant, or an
    activation that is not a function of one variable."""
    return name == "x" or name in CONSTANTS or is_function(name) or not_one_variable(name)


def parameters(name: str) -> dict[str, Any]:
    """The parameters of ``name`` after its input, with their defaults (``empty`` if required)."""
    return {} if name in ELEMENTARY else ACTIVATIONS[name].params


def suggest(word: str, candidates: Sequence[str]) -> str:
    """``"; did you mean 'tanh'?"`` when a candidate is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    if not close and len(word) >= 3:  # a part of a longer name: slope for negative_slope
        close = [c for c in candidates if word in c][:3]
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


class BindError(TypeError):
    """A call's arguments do not fit the signature. ``culprit`` is the offending positional
    index (counting the input as 0) or keyword name, or ``None`` for a missing argument."""

    def __init__(self, message: str, culprit: int | str | None) -> None:
        super().__init__(message)
        self.culprit = culprit


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def bind(
    name: str,
    positional: Sequence[Any],
    keywords: Mapping[str, Any],
    given: Mapping[str, Any] | None = None,
) -> dict[str, ParamValue]:
    """Match parameters to ``name``'s signature, as Python matches a call's arguments.

    ``positional`` are the parameters after the input (``hardtanh(x, -2, 2)`` gives
    ``[-2, 2]``), ``keywords`` the named ones; ``given`` are parameters already set (they may
    be overridden). Returns the parameters by name. Raises ``BindError`` in Python's words.
    """
    signature = parameters(name)
    params: dict[str, Any] = dict(given or {})
    order = list(signature)
    if len(positional) > len(order):
        least = 1 + sum(d is inspect.Parameter.empty for d in signature.values())
        most = 1 + len(order)
        takes = _plural(most, "positional argument")
        if least < most:
            takes = f"from {least} to {most} positional arguments"
        raise BindError(
            f"{name}() takes {takes} but {1 + len(positional)} were given", len(order) + 1
        )
    for i, value in enumerate(positional):
        params[order[i]] = value
    for key, value in keywords.items():
        if key not in signature:
            raise BindError(
                f"{name}() got an unexpected keyword argument '{key}'" + suggest(key, order), key
            )
        if key in order[: len(positional)]:
            raise BindError(f"{name}() got multiple values for argument '{key}'", key)
        params[key] = value
    missing = [k for k, d in signature.items() if d is inspect.Parameter.empty and k not in params]
    if missing:
        quoted = [f"'{k}'" for k in missing]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        raise BindError(
            f"{name}() missing {_plural(len(missing), 'required positional argument')}: {listed}",
            None,
        )
    for key, value in params.items():
        if isinstance(value, (np.floating, np.integer)):
            value = value.item()
        if not isinstance(value, (int, float, str, bool)):
            raise BindError(
                f"{name}(): a parameter of an fn function must be a number or a string; "
                f"got {key}={type(value).__name__}",
                key,
            )
        # the culprit as the parser points at it: a positional index (the input is 0) or a name
        culprit = order.index(key) + 1 if key in order[: len(positional)] else key
        if isinstance(signature.get(key), bool) and not isinstance(value, bool):
            raise BindError(
                f"{name}(): argument '{key}' must be True or False, not {type(value).__name__}",
                culprit,
            )
        if name == "rrelu" and key == "training" and value:
            # an fn function gives the same values at every call (plots, derivatives, graphs)
            raise BindError(
                "rrelu(training=True) draws new random slopes at every call, which a function "
                "of x cannot: use training=False (the average slope)",
                culprit,
            )
        params[key] = (
            float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        )
    return params


def probe(name: str, params: Mapping[str, ParamValue]) -> None:
    """Call the F function once on a small tensor, so a bad value raises F's own error now,
    where the function is built, not later where it is evaluated."""
    if name not in ELEMENTARY:
        ACTIVATIONS[name](Tensor(np.zeros(1)), **params)


def apply(name: str, x: Tensor, params: Mapping[str, ParamValue]) -> Tensor:
    """``name(x, **params)`` through the F function (or the Tensor method), so the autograd
    graph holds the library's own op with its hand-written backward."""
    if name in ELEMENTARY:
        return ELEMENTARY[name](x)
    bind(name, [], params)  # no silent sample values for required parameters: say they're missing
    return ACTIVATIONS[name](x, **params)
