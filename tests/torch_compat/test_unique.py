"""``unique`` and ``where`` with the condition alone, against torch."""

from __future__ import annotations

import math

import pytest

import tinygrad_acts as tga
from tests.run_on_both import outcome
from tests.torch_errors import assert_same_error

DATA = [3, 1, 2, 3, 1, 5]
ROWS = [[1, 2], [3, 4], [1, 2]]

CASES = {
    "plain": lambda lib: lib.unique(lib.tensor(DATA)),
    "unsorted sorts too": lambda lib: lib.unique(lib.tensor(DATA), sorted=False),
    "inverse": lambda lib: lib.unique(lib.tensor(DATA), return_inverse=True),
    "counts": lambda lib: lib.unique(lib.tensor(DATA), return_counts=True),
    "both": lambda lib: lib.unique(lib.tensor(DATA), return_inverse=True, return_counts=True),
    "method": lambda lib: lib.tensor(DATA).unique(return_counts=True),
    "matrix": lambda lib: lib.unique(lib.tensor(ROWS), return_inverse=True),
    "rows": lambda lib: lib.unique(
        lib.tensor(ROWS), dim=0, return_inverse=True, return_counts=True
    ),
    "columns": lambda lib: lib.unique(lib.tensor(ROWS), dim=1),
    "negative dim": lambda lib: lib.unique(lib.tensor(ROWS), dim=-2),
    "number": lambda lib: lib.unique(lib.tensor(3.0)),
    "floats": lambda lib: lib.unique(lib.tensor([0.5, -1.0, 0.5])),
    "bools": lambda lib: lib.unique(lib.tensor([True, False, True])),
    "empty": lambda lib: lib.unique(lib.tensor([])),
    "where 2-d": lambda lib: lib.where(lib.tensor([[True, False], [False, True]])),
    "where ints": lambda lib: lib.where(lib.tensor([1, 0, 2])),
    "where number": lambda lib: lib.where(lib.tensor(True)),
    "where floats": lambda lib: lib.where(lib.tensor([0.5, 0.0, -2.0])),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch(name, torch):
    assert outcome(CASES[name], tga) == outcome(CASES[name], torch)


def test_each_nan_is_distinct(torch):
    for lib in (tga, torch):
        values = lib.unique(lib.tensor([1.0, math.nan, math.nan, 1.0])).tolist()
        assert values[0] == 1.0 and len(values) == 3 and all(math.isnan(v) for v in values[1:])


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda lib: lib.unique(lib.tensor(ROWS), dim=2), IndexError),
        (lambda lib: lib.unique(lib.zeros(1, 0), dim=0), RuntimeError),
        (lambda lib: lib.where(lib.tensor([True]), lib.ones(1)), TypeError),
        (lambda lib: lib.where(lib.tensor([True]), 1), TypeError),
    ],
)
def test_errors_have_torchs_words(call, error, torch):
    assert_same_error(call, torch, error)
