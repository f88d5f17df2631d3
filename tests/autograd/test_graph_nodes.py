"""A node's edges as torch shows them: ``grad_fn.next_functions``, a tuple of ``(node, 0)``
pairs — the node that made each input, an ``AccumulateGrad`` for a leaf, None for a constant.
"""

from __future__ import annotations

import pytest

import tinygrad_acts as tga


def describe(node, depth=3):
    """A node and its edges, recursively, as comparable text (the names as each prints them)."""
    if node is None:
        return None
    if type(node).__name__ == "AccumulateGrad":
        return "AccumulateGrad"
    name = node.name()
    if depth == 0:
        return name
    return name, [(describe(n, depth - 1), k) for n, k in node.next_functions]


GRAPHS = {
    "product with a constant": lambda lib, x, w: (x * 2) * w,
    "a sum of a product": lambda lib, x, w: (x * w).sum(),
    "the same leaf twice": lambda lib, x, w: x * x + w,
    "a chain": lambda lib, x, w: ((x + 1) * 3).exp(),
}


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_next_functions_as_torch(make, torch):
    shown = []
    for lib in (tga, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0])
        shown.append(describe(make(lib, x, w).grad_fn))
    assert shown[0] == shown[1]


def test_a_leaf_appears_as_its_accumulate_grad_node(torch):
    for lib in (tga, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        node = (x * 2).grad_fn.next_functions[0][0]
        assert node.variable is x
        assert node is (x * 3).grad_fn.next_functions[0][0]  # one per leaf, while held
        assert node.name() == "torch::autograd::AccumulateGrad"
        assert node.next_functions == ()


def test_a_custom_functions_node_lists_only_its_tensor_arguments(torch):
    shown = []
    for lib in (tga, torch):

        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, k, w):
                return x * k * w

            @staticmethod
            def backward(ctx, g):
                return g, None, None

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        shown.append(describe(Scale.apply(x * 1, 2.0, lib.ones(2)).grad_fn))
    mul = ("MulBackward0", [("AccumulateGrad", 0), (None, 0)])
    assert shown[0] == shown[1] == ("ScaleBackward", [(mul, 0), (None, 0)])
