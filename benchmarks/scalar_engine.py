"""A scalar autograd engine in the style of micrograd, for the one-element workloads.

Each value holds a Python float, its gradient, its parents and a closure that sends the
gradient back — forward and backward of an op side by side. Unlike micrograd, the topological
order is found with an explicit stack, so a chain of 40,000 ops does not hit the recursion
limit. Written for these benchmarks: it is the cost floor of "one Python object per op".
"""

from __future__ import annotations

import math
from collections.abc import Callable


def _nothing() -> None:
    pass


class Scalar:
    """A float that remembers the op that made it."""

    __slots__ = ("_backward", "data", "grad", "parents")

    def __init__(self, data: float, parents: tuple[Scalar, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self._backward: Callable[[], None] = _nothing

    def scale(self, c: float) -> Scalar:
        """c·x.   d/dx = c."""
        out = Scalar(self.data * c, (self,))

        def backward() -> None:
            self.grad += out.grad * c

        out._backward = backward
        return out

    def shift(self, c: float) -> Scalar:
        """x + c.   d/dx = 1."""
        out = Scalar(self.data + c, (self,))

        def backward() -> None:
            self.grad += out.grad

        out._backward = backward
        return out

    def tanh(self) -> Scalar:
        """tanh(x).   d/dx = 1 - tanh²(x)."""
        t = math.tanh(self.data)
        out = Scalar(t, (self,))

        def backward() -> None:
            self.grad += out.grad * (1.0 - t * t)

        out._backward = backward
        return out

    def sigmoid(self) -> Scalar:
        """σ(x) = 1/(1 + e^{-x}).   d/dx = σ(1 - σ)."""
        s = 1.0 / (1.0 + math.exp(-self.data))
        out = Scalar(s, (self,))

        def backward() -> None:
            self.grad += out.grad * s * (1.0 - s)

        out._backward = backward
        return out

    def relu(self) -> Scalar:
        """max(x, 0).   d/dx = [x > 0]."""
        out = Scalar(self.data if self.data > 0 else 0.0, (self,))

        def backward() -> None:
            if out.data > 0:
                self.grad += out.grad

        out._backward = backward
        return out

    def backward(self) -> None:
        """Fill ``.grad`` of every value this one depends on (seed: d self / d self = 1)."""
        order: list[Scalar] = []
        seen: set[int] = set()
        # Post-order depth-first search with an explicit stack: (value, children pushed?).
        stack: list[tuple[Scalar, bool]] = [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
                continue
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.append((v, True))
            for p in v.parents:
                if id(p) not in seen:
                    stack.append((p, False))
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
