"""``new_zeros``, ``new_ones``, ``new_full``, ``new_empty``, ``new_tensor``, and what a tensor
says of its memory (``data_ptr``, ``nbytes``, ``itemsize``, ``storage_offset``), against torch."""

from __future__ import annotations

import warnings

import pytest

import tinygrad_acts as tga
from tests.run_on_both import outcome
from tests.torch_errors import assert_same_error


def _double(lib):
    return lib.ones(2, dtype=lib.float64, requires_grad=True)


MADE = {
    "new_zeros(3)": lambda lib: _double(lib).new_zeros(3),
    "new_zeros((2, 1))": lambda lib: _double(lib).new_zeros((2, 1)),
    "new_zeros(2, 1)": lambda lib: _double(lib).new_zeros(2, 1),
    "new_ones dtype": lambda lib: _double(lib).new_ones(2, dtype=lib.int32),
    "new_full": lambda lib: _double(lib).new_full((2,), 7),
    "new_full of int": lambda lib: lib.ones(2, dtype=lib.long).new_full((3,), 2.9),
    "new_empty shape": lambda lib: (_double(lib).new_empty(2, 3).shape, str(_double(lib).dtype)),
    "new_tensor ints": lambda lib: _double(lib).new_tensor([1, 2]),
    "new_tensor to long": lambda lib: lib.ones(2, dtype=lib.long).new_tensor([1.5]),
    "requires_grad": lambda lib: _double(lib).new_full((2,), 7, requires_grad=True).requires_grad,
    "not from the graph": lambda lib: _double(lib).new_zeros(2).requires_grad,
}


@pytest.mark.parametrize("name", MADE)
def test_new_tensors_match_torch(name, torch):
    assert outcome(MADE[name], tga) == outcome(MADE[name], torch)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda lib: lib.ones(2).new_zeros(), TypeError),
        (lambda lib: lib.ones(2).new_zeros(-1), RuntimeError),
        (lambda lib: lib.ones(2).new_full(2, 7), TypeError),
        (lambda lib: lib.ones(2).new_ones(2, 1.5), TypeError),
    ],
)
def test_errors_have_torchs_words(call, error, torch):
    assert_same_error(call, torch, error)


def test_new_tensor_copies_a_tensor_with_one_warning(torch):
    for lib in (tga, torch):
        source = lib.ones(2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            copy = lib.zeros(1, dtype=lib.float64).new_tensor(source)
        assert len(caught) == 1 and "sourceTensor.detach().clone()" in str(caught[0].message)
        copy[0] = 9.0
        assert source.tolist() == [1.0, 1.0] and str(copy.dtype) == "torch.float64"


VIEWS = {
    "whole": lambda t: t,
    "row": lambda t: t[1],
    "column": lambda t: t[:, 1],
    "transpose": lambda t: t.t(),
    "every other": lambda t: t[:, ::2],
    "last element": lambda t: t[1, 2],
}


@pytest.mark.parametrize("name", VIEWS)
def test_memory_of_views_matches_torch(name, torch):
    def memory(lib):
        base = lib.arange(6, dtype=lib.float64).reshape(2, 3)
        view = VIEWS[name](base)
        return (
            view.data_ptr() - base.data_ptr(),
            view.storage_offset(),
            view.nbytes,
            view.itemsize,
            view.element_size(),
        )

    assert memory(tga) == memory(torch)


def test_the_class_takes_an_int_for_a_size_but_a_tensor_for_its_values_as_torch(torch):
    def made(lib):
        return [
            repr(lib.Tensor(3).shape),
            repr(lib.Tensor(lib.tensor(3))),
            repr(lib.Tensor(lib.tensor([3]))),
        ]

    assert made(tga) == made(torch)
