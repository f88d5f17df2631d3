"""Grad mode (from the core), and ``scope``: a name for the ops recorded inside a block."""

from __future__ import annotations

from typing import Any

from ..core.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled, state


class scope:
    """Label every op recorded inside with ``name`` (nested scopes make a path).

    ``fn`` functions with a name and ``nn.Module`` calls open a scope, so that the graph
    picture can draw the ops they recorded as one box. Per thread, as grad mode.
    """

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):  # the picture joins the names: refused here, where given
            raise TypeError(f"scope() takes a str as its name, got {type(name).__name__}")
        self.name = name

    def __enter__(self) -> None:
        self.prev = state.on_record
        outer = next((r for r in self.prev if isinstance(r, _Namer)), None)
        names = (outer.names if outer else ()) + (self.name,)
        state.on_record = tuple(r for r in self.prev if r is not outer) + (_Namer(names),)

    def __exit__(self, *exc: object) -> None:
        state.on_record = self.prev


class _Namer:
    """What ``scope`` adds to the recorders: it writes the scope's path on each new node."""

    __slots__ = ("names",)

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def __call__(self, node: Any) -> None:
        node.scope = self.names


__all__ = ["enable_grad", "is_grad_enabled", "no_grad", "scope", "set_grad_enabled"]
