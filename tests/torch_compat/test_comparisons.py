"""Comparisons against torch 2.13: ``== != < <= > >=``, ``eq`` … and their aliases as methods
and functions, ``isfinite`` and its kin, ``isclose``, ``allclose`` and ``equal`` — values,
torch's result dtype for mixed operands, bool results outside the graph, and the mistakes.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts.torch_compat import comparisons

VALUES = [np.nan, -np.inf, -2.0, -0.0, 0.0, 0.5, 1.0, np.inf]
OPERATORS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
ALIASES = {
    "greater": "gt",
    "greater_equal": "ge",
    "less": "lt",
    "less_equal": "le",
    "not_equal": "ne",
}
NAMES = sorted(OPERATORS) + sorted(ALIASES)


def _pairs(lib):
    """Every pair of VALUES as two float64 tensors, with the second also as a 0-d tensor, a
    broadcast row and a Python number."""
    a, b = np.meshgrid(VALUES, VALUES, indexing="ij")
    return lib.tensor(a.ravel()), lib.tensor(b.ravel()), lib.tensor(a), lib.tensor(VALUES)


@pytest.mark.parametrize("name", NAMES)
def test_function_method_and_operator_as_torch(name, torch):
    """NaN compares false (but !=), -0 equals 0, inf equals inf: with a tensor, a broadcast row,
    a 0-d tensor and Python numbers."""
    op = OPERATORS[ALIASES.get(name, name)]

    def run(lib):
        a, b, matrix, row = _pairs(lib)
        results = [getattr(lib, name)(a, b), getattr(a, name)(b), getattr(matrix, name)(row)]
        results += [getattr(lib, name)(row, 0.5), getattr(row, name)(0), getattr(row, name)(True)]
        results += [getattr(row, name)(lib.tensor(0.5, dtype=lib.float32))]
        if name in OPERATORS:
            results += [op(a, b), op(matrix, row), op(row, 1), op(row, lib.tensor(float("inf")))]
        return results

    ours, theirs = outcome(run, tga), outcome(run, torch)
    assert ours == theirs and all(dtype == "bool" for _, dtype in ours)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("tensor([0.1])", "tensor(0.1, dtype=float64)"),  # compared in float32, as torch
        ("tensor([16777217])", "16777216.0"),  # int64 compared in float32: equal
        ("tensor([1, 2, 3])", "2.5"),
        ("tensor([True, False])", "0.5"),
        ("tensor([1, 2])", "tensor([1.0, 2.0], dtype=float64)"),
        ("tensor([1.0, 2.0], dtype=float16)", "tensor([1, 2], dtype=int32)"),
        ("tensor([0.1], dtype=float64)", "tensor(0.1)"),  # compared in float64: not equal
    ],
)
def test_mixed_operands_compare_in_torch_s_result_dtype(left, right, torch):
    def run(lib):
        namespace = {
            "tensor": lib.tensor,
            "float64": lib.float64,
            "float16": lib.float16,
            "int32": lib.int32,
        }
        a, b = eval(left, namespace), eval(right, namespace)
        return [a == b, a < b, a >= b, lib.eq(a, b)]

    assert outcome(run, tga) == outcome(run, torch)


def test_results_are_bool_tensors_outside_the_graph(torch):
    for lib in (tga, torch):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        for result in (x > 0, x.eq(x * 2), lib.isclose(x, x), x.isfinite(), x == x):
            assert not result.requires_grad and result.grad_fn is None


def test_an_array_on_the_left_compares_as_the_reflected_operator():
    x = tga.tensor([1.0, 2.0, 3.0])
    assert (np.array([2.0, 2.0, 2.0]) < x).tolist() == [False, False, True]
    assert (x >= np.array([2.0, 2.0, 2.0])).tolist() == [False, True, True]


def test_anything_else_is_not_a_comparison(torch):
    """``t == None`` and ``t == [1, 2]`` are False, ``t != "a"`` True (Python's fallback, as in
    torch); ``t < None`` is Python's TypeError."""

    def run(lib):
        x = lib.tensor([1.0, 2.0])
        return [x == None, x != "a", x == [1.0, 2.0], x == (1, 2)]  # noqa: E711

    assert outcome(run, tga) == outcome(run, torch) == [False, True, False, False]
    assert_same_error(lambda lib: lib.tensor([1.0]) < None, torch, TypeError)


# -- isfinite and its kin --------------------------------------------------------------------------

TESTS = ["isfinite", "isnan", "isinf", "isposinf", "isneginf"]


@pytest.mark.parametrize("name", TESTS)
def test_value_tests_as_torch(name, torch):
    """Floats of each width, integers and bools (all finite), as methods and functions."""

    def run(lib):
        floats = lib.tensor(VALUES + [1e300, 5e-324], dtype=lib.float64)
        return [
            getattr(floats, name)(),
            getattr(lib, name)(floats.float()),
            getattr(lib, name)(floats.half()),
            getattr(lib, name)(lib.tensor([[1, -2], [3, 4]])),
            getattr(lib.tensor([True, False]), name)(),
            getattr(lib, name)(lib.tensor(float("nan"))),
        ]

    assert outcome(run, tga) == outcome(run, torch)
    assert_same_error(lambda lib: getattr(lib, name)([1.0]), torch, TypeError)


# -- isclose, allclose, equal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rtol", "atol", "equal_nan"),
    [(1e-5, 1e-8, False), (1e-5, 1e-8, True), (0.0, 0.0, False), (0.1, 0.5, False), (0, 1, True)],
)
def test_isclose_and_allclose_as_torch(rtol, atol, equal_nan, torch):
    """Equal values (and infinities of one sign) are close, NaN only with equal_nan; not
    symmetric: the tolerance is relative to ``other``; integers and bools too."""
    a = [1.0, 1.0 + 1e-6, 1.0001, np.nan, np.inf, -np.inf, np.inf, 0.0, 1e-9, 100.0, 0.5]
    b = [1.0, 1.0, 1.0, np.nan, np.inf, np.inf, 1e308, -0.0, 0.0, 109.0, 0.8]

    def run(lib):
        x, y = lib.tensor(a, dtype=lib.float64), lib.tensor(b, dtype=lib.float64)
        ints, other_ints = lib.tensor([10, 5, -3]), lib.tensor([11, 5, 3])
        options = {"rtol": rtol, "atol": atol, "equal_nan": equal_nan}
        return [
            lib.isclose(x, y, **options),
            x.float().isclose(y.float(), **options),
            lib.isclose(y, x, **options),
            lib.isclose(ints, other_ints, **options),
            lib.isclose(lib.tensor([True, False]), lib.tensor([True, True]), **options),
            lib.isclose(x.reshape(-1, 1), y[:3], **options),  # broadcast
            lib.allclose(x, y, **options),
            x[:2].allclose(y[:2], **options),
            lib.allclose(x[:1], y[:1], **options),
        ]

    ours, theirs = outcome(run, tga), outcome(run, torch)
    assert ours == theirs
    assert all(type(v) is bool for v in ours[-3:])


def test_equal_as_torch(torch):
    """The same shape and values: dtypes may differ (compared in the result dtype), NaN is
    equal to nothing, a broadcast does not count. A Python bool."""

    def run(lib):
        x = lib.tensor([0.5, -1.5, 2.5])
        return [
            lib.equal(x, x.clone()),
            x.equal(x.double()),
            lib.equal(lib.ones(3), lib.ones(3, dtype=lib.int64)),
            lib.equal(x, lib.ones(2)),
            lib.equal(lib.ones(3), lib.ones(1)),
            lib.equal(lib.tensor([float("nan")]), lib.tensor([float("nan")])),
            lib.equal(lib.zeros(0), lib.zeros(0)),
            lib.equal(x, x + 1),
        ]

    ours = outcome(run, tga)
    assert ours == outcome(run, torch) == [True, True, True, False, False, False, True, False]
    assert all(type(v) is bool for v in ours)


# -- mistakes --------------------------------------------------------------------------------------

MISTAKES = [
    (lambda lib: lib.eq(1.0, lib.ones(2)), TypeError),
    (lambda lib: lib.lt(lib.ones(2), [1, 2]), TypeError),
    (lambda lib: lib.greater_equal(lib.ones(2), None), TypeError),
    (lambda lib: lib.ones(2).eq("a"), TypeError),
    (lambda lib: lib.ones(2).lt([1.0, [2]]), TypeError),
    (lambda lib: lib.ones(2).ge((1, 2)), TypeError),
    (lambda lib: lib.ones(2) < "a", TypeError),
    (lambda lib: lib.isclose(lib.ones(2), lib.ones(2, dtype=lib.float64)), RuntimeError),
    (lambda lib: lib.allclose(lib.tensor([1, 2]), lib.ones(2)), RuntimeError),
    (lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol=-1.0), RuntimeError),
    (lambda lib: lib.ones(2).isclose(lib.ones(2), atol=-0.5), RuntimeError),
    (lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol="a"), TypeError),
    (lambda lib: lib.isclose(lib.ones(2), 1.0), TypeError),
    (lambda lib: lib.ones(2).isclose(1.0), TypeError),
    (lambda lib: lib.allclose(lib.ones(2), 1.0), TypeError),
    (lambda lib: lib.equal(lib.ones(2), 1.0), TypeError),
    (lambda lib: lib.ones(2).equal([1.0]), TypeError),
    (lambda lib: lib.equal([1.0], lib.ones(2)), TypeError),
]


@pytest.mark.parametrize(("call", "error"), MISTAKES, ids=[str(i) for i in range(len(MISTAKES))])
def test_mistakes_raise_torch_s_errors(call, error, torch):
    assert_same_error(call, torch, error)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.ones(3) == lib.ones(2),
        lambda lib: lib.lt(lib.ones(3), lib.ones(2)),
        lambda lib: lib.ones(3).ge(lib.ones(2)),
        lambda lib: lib.isclose(lib.ones(3), lib.ones(2)),
        lambda lib: lib.allclose(lib.ones(3), lib.ones(2)),
    ],
)
def test_shapes_that_do_not_broadcast_as_torch(call, torch):
    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(tga)
    assert str(ours.value).startswith(str(theirs.value))  # ours adds: "shapes (3,) and (2,) …"


def test_every_top_level_comparison_is_torch_s(torch):
    for name in comparisons.__all__:
        assert callable(getattr(torch, name)), name
        assert getattr(tga, name) is getattr(comparisons, name)
