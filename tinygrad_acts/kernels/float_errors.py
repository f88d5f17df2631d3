"""NumPy's floating-point warnings, off while an op runs: torch never warns.

``inf·0`` is nan, ``exp(1000)`` is inf, ``1/0`` is inf — silently, as in torch. ``np.errstate``
would do it, but it costs about a microsecond per use, as much as a whole op on a small
tensor. In NumPy 2 the error state is a single context variable, so ``apply`` and the backward
pass set it to a prepared "ignore" value directly, for a tenth of that. Where NumPy keeps it
elsewhere, the plain ``np.errstate`` is used.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from numpy._core.umath import _extobj_contextvar as _errstate_var
except ImportError:  # pragma: no cover  (NumPy < 2, or a NumPy that moved it)
    _errstate_var = None


class _ErrstateShim:
    """The context variable's ``set``/``reset``, done with ``np.errstate`` (older NumPy)."""

    def set(self, overflow: str) -> Any:
        state = np.errstate(all="ignore", over=overflow)
        state.__enter__()
        return state

    def reset(self, token: Any) -> None:
        token.__exit__(None, None, None)


if _errstate_var is not None:
    ERRSTATE: Any = _errstate_var
    with np.errstate(all="ignore"):
        IGNORE = _errstate_var.get()
    with np.errstate(all="ignore", over="raise"):
        OVERFLOW_RAISES = _errstate_var.get()
else:  # pragma: no cover
    ERRSTATE, IGNORE, OVERFLOW_RAISES = _ErrstateShim(), "ignore", "raise"


def unless_overflow(compute: Any, *args: Any) -> Any:
    """``compute(*args)``, or None if an overflow happened in it.

    For kernels whose fast form overflows only in a rare far tail: NumPy checks the flags after
    every call anyway, so asking it to raise costs nothing when nothing overflows, where a check
    of the result would cost a pass over the data (or a microsecond on a small array).
    """
    token = ERRSTATE.set(OVERFLOW_RAISES)
    try:
        return compute(*args)
    except FloatingPointError:
        return None
    finally:
        ERRSTATE.reset(token)


def silence() -> Any:
    """Turn the warnings off; pass what this returns to ``restore``.

    (``apply`` inlines these two: ``token = ERRSTATE.set(IGNORE)`` ... ``ERRSTATE.reset(token)``.)
    """
    return ERRSTATE.set(IGNORE)


def restore(token: Any) -> None:
    """Put back the error state that ``silence`` replaced."""
    ERRSTATE.reset(token)
