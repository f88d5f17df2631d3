"""Masks combined as torch combines them: ``&``, ``|``, ``^``, ``~`` and ``logical_*``, with
torch's result dtypes and its refusals for floats."""

from __future__ import annotations

import pytest
from run_on_both import outcome

CASES = {
    "and of masks": lambda lib: (lib.tensor([1, 6, 3]) > 0) & (lib.tensor([1, 6, 3]) < 5),
    "or, xor, not of bools": lambda lib: [
        lib.tensor([True, False]) | lib.tensor([False, False]),
        lib.tensor([True, False]) ^ lib.tensor([True, True]),
        ~lib.tensor([True, False]),
    ],
    "integers bitwise": lambda lib: [lib.tensor([1, 6]) & 3, 3 | lib.tensor([6]), ~lib.tensor([6])],
    "a Python bool on either side": lambda lib: [True & lib.tensor([True]), lib.tensor([1]) ^ True],
    "int8 with int64": lambda lib: lib.tensor([5], dtype=lib.int8) | lib.tensor([2, 8]),
    "broadcast mismatch": lambda lib: lib.tensor([True, False]) & lib.tensor([True, False, True]),
    "floats refused": lambda lib: lib.tensor([1.0]) & lib.tensor([1.0]),
    "invert of floats refused": lambda lib: ~lib.tensor([1.0]),
    "logical of any dtype": lambda lib: [
        lib.logical_and(lib.tensor([0.0, 2.0]), lib.tensor([1, 1])),
        lib.logical_or(lib.tensor([0, 0]), lib.tensor([0.0, 0.5])),
        lib.logical_xor(lib.tensor([True, False]), lib.tensor([True, True])),
        lib.logical_not(lib.tensor([0, 3])),
        lib.tensor([0.0, 1.0]).logical_not(),
    ],
    "bitwise functions": lambda lib: [
        lib.bitwise_and(lib.tensor([12]), 10),
        lib.bitwise_or(lib.tensor([12]), 10),
        lib.bitwise_xor(lib.tensor([12]), 10),
        lib.bitwise_not(lib.tensor([12])),
    ],
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_masks_as_torch(case, torch):
    import tinygrad_acts as tga

    assert outcome(CASES[case], tga) == outcome(CASES[case], torch)


def test_a_mask_from_a_tensor_that_requires_grad_selects_with_the_gradient(torch):
    """A combined mask indexes as torch's does, and the gradient reaches the chosen places."""
    import tinygrad_acts as tga

    grads = []
    for lib in (tga, torch):
        x = lib.tensor([-2.0, 1.0, 3.0, 7.0], requires_grad=True)
        (x[(x > 0) & (x < 5)] ** 2).sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [0.0, 2.0, 6.0, 0.0]
