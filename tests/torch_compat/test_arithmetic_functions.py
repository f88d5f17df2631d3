"""torch's arithmetic as functions and methods with their keywords: ``torch.add(a, b, alpha=2)``,
``a.sub(b, alpha=2)``, ``a.div(b, rounding_mode="floor")``, the aliases (``multiply``,
``subtract``, ``divide``, ``true_divide``), ``is_tensor`` and ``is_floating_point``."""

from __future__ import annotations

import pytest
from run_on_both import outcome

import tinygrad_acts as tga

CASES = {
    "add with alpha": lambda lib: lib.add(lib.tensor([1.0, -2.5]), lib.tensor([3.0, 4.0]), alpha=2),
    "add of a number and a tensor": lambda lib: lib.add(1, lib.tensor([1.0, 2.0]), alpha=3),
    "add and sub methods with alpha": lambda lib: [
        lib.tensor([1.0, 2.0]).add(lib.tensor([0.5, 1.0]), alpha=-2),
        lib.tensor([1.0, 2.0]).sub(lib.tensor([0.5, 1.0]), alpha=2),
    ],
    "a float alpha for integers": lambda lib: lib.tensor([1, 2]).add(lib.tensor([1, 2]), alpha=0.5),
    "the aliases": lambda lib: [
        lib.multiply(lib.tensor([2.0]), lib.tensor([3.0])),
        lib.subtract(lib.tensor([2.0]), lib.tensor([3.0])),
        lib.divide(lib.tensor([2.0]), lib.tensor([3.0])),
        lib.true_divide(lib.tensor([2, 7]), 2),
        lib.mul(2, lib.tensor([1.5])),
    ],
    "rounded division": lambda lib: [
        lib.tensor([7, -7]).div(2, rounding_mode="trunc"),
        lib.tensor([7, -7]).div(2, rounding_mode="floor"),
        lib.div(lib.tensor([7.5, -7.5]), 2, rounding_mode="trunc"),
        lib.div(lib.tensor([7.5, -7.5]), 2, rounding_mode="floor"),
    ],
    "a rounding mode torch does not have": lambda lib: lib.tensor([1.0]).div(2, rounding_mode="x"),
    "is_tensor and is_floating_point": lambda lib: [
        lib.is_tensor(lib.tensor([1])),
        lib.is_tensor([1]),
        lib.tensor([1]).is_floating_point(),
        lib.is_floating_point(lib.tensor([1.0], dtype=lib.float64)),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_arithmetic_functions_as_torch(case, torch):
    assert outcome(CASES[case], tga) == outcome(CASES[case], torch)


def test_add_with_alpha_sends_alpha_times_the_gradient(torch):
    grads = []
    for lib in (tga, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([3.0, 1.0], requires_grad=True)
        (lib.add(x, y, alpha=2) * x).sum().backward()
        grads.append((x.grad.tolist(), y.grad.tolist()))
    # by hand: d/dx (x + 2y)·x = 2x + 2y, d/dy = 2x
    assert grads[0] == grads[1] == ([8.0, 6.0], [2.0, 4.0])
