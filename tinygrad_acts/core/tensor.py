"""``Tensor``: a NumPy array that remembers how it was made, so gradients can flow back.

A tensor holds its values (``array``, a NumPy array), whether gradients should reach it
(``requires_grad``), the node of the op that made it (``grad_fn``; None for a leaf, a tensor
you made yourself) and, after a backward pass, its gradient (``grad``). Its arithmetic is
defined in ``ops.py`` and its ``backward`` in ``engine.py``, each attached to this class where
it is defined; torch's wider surface (dtype rules, in-place ops, views, hooks, printing) is
added by ``torch_compat``.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Version:
    """How often a tensor's values changed in place (torch's ``_version``); views share one."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class Tensor:
    """An n-dimensional array with an optional gradient, as ``torch.Tensor``."""

    __slots__ = ("__weakref__", "_counter", "_grad", "_hooks", "_requires_grad", "array", "grad_fn")

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        self.array: np.ndarray = np.asarray(data)
        self._grad: Tensor | None = None
        self.grad_fn: Any = None
        self._hooks: list[Any] | None = None  # functions of its gradient (torch_compat/hooks)
        self._requires_grad, self._counter = False, Version()
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray, grad_fn: Any) -> Tensor:
        """A tensor of an op's result: ``data`` is already right, so no conversion or check."""
        t = object.__new__(cls)
        t.array, t._grad, t.grad_fn, t._hooks, t._counter = data, None, grad_fn, None, Version()
        t._requires_grad = grad_fn is not None
        return t

    @property
    def grad(self) -> Tensor | None:
        """The gradient the backward passes added up for this tensor (leaves), or None."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        self._grad = value

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Ask for gradients of this leaf (only floating tensors have them)."""
        if requires_grad and self.array.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than recorded by an op."""
        return self.grad_fn is None

    def detach(self) -> Tensor:
        """The same values (and version counter), cut from the graph."""
        t = Tensor._make(self.array, None)
        t._counter = self._counter
        return t

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape

    @property
    def dtype(self) -> np.dtype:
        return self.array.dtype

    @property
    def ndim(self) -> int:
        return self.array.ndim

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if (n := self.array.size) != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return self.array.item()

    __hash__ = object.__hash__
