"""Embedding against torch: looked-up rows, the scatter-add gradient, padding_idx, max_norm,
from_pretrained, repr, state_dict and errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn

TABLE = np.arange(15, dtype=np.float64).reshape(5, 3) / 7 - 1
IDS = [[0, 2, 2, 4], [1, 4, 0, 0]]


def _lookup(lib, padding_idx=None, ids=IDS, max_norm=None):
    weight = lib.tensor(TABLE, requires_grad=True)
    y = lib.nn.functional.embedding(
        lib.tensor(ids), weight, padding_idx=padding_idx, max_norm=max_norm
    )
    upstream = lib.tensor(np.linspace(-1, 2, y.numel()).reshape(tuple(y.shape)))
    (y * upstream).sum().backward()
    return y.detach().numpy(), weight.grad.numpy(), weight.detach().numpy()


@pytest.mark.parametrize("padding_idx", [None, 0, -1, 3])
def test_rows_and_gradient_are_torchs(torch, padding_idx):
    """Row 0 and row 2 are looked up twice: their gradients add up; unused rows get 0."""
    for a, b in zip(_lookup(tga, padding_idx), _lookup(torch, padding_idx)):
        np.testing.assert_array_equal(a, b)


def test_repeated_rows_sum_their_gradients():
    _, grad, _ = _lookup(tga, ids=[2, 2, 2])
    upstream = np.linspace(-1, 2, 9).reshape(3, 3)
    np.testing.assert_allclose(grad[2], upstream.sum(0))
    np.testing.assert_array_equal(np.delete(grad, 2, axis=0), 0)


def test_padding_row_gets_no_gradient_but_keeps_its_value():
    y, grad, _ = _lookup(tga, padding_idx=0)
    np.testing.assert_array_equal(grad[0], 0)
    np.testing.assert_array_equal(y[1, 3], TABLE[0])


def test_max_norm_rescales_the_rows_looked_up_as_torch(torch):
    for a, b in zip(_lookup(tga, max_norm=1.0), _lookup(torch, max_norm=1.0)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_module_trains_as_torchs(torch):
    """Two SGD steps of an Embedding with a padding row, from the same table."""

    def train(lib):
        emb = lib.nn.Embedding(5, 3, padding_idx=1, dtype=lib.float64)
        emb.weight.data = lib.tensor(TABLE)
        opt = lib.optim.SGD(emb.parameters(), lr=0.5)
        for _ in range(2):
            opt.zero_grad()
            (emb(lib.tensor([[1, 3], [3, 4]])) ** 2).sum().backward()
            opt.step()
        return emb.weight.detach().numpy()

    np.testing.assert_allclose(train(tga), train(torch), rtol=1e-14)


def test_new_table_is_standard_normal_with_a_zero_padding_row():
    tga.manual_seed(0)
    weight = nn.Embedding(2000, 8, padding_idx=7).weight.detach().numpy()
    np.testing.assert_array_equal(weight[7], 0)
    assert abs(weight.mean()) < 0.02 and abs(weight.std() - 1) < 0.02


def test_from_pretrained_is_frozen_unless_asked(torch):
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(tga.tensor(TABLE), freeze=freeze)
        theirs = torch.nn.Embedding.from_pretrained(torch.tensor(TABLE), freeze=freeze)
        assert ours.weight.requires_grad == theirs.weight.requires_grad == (not freeze)
        assert repr(ours) == repr(theirs)
        np.testing.assert_array_equal(ours(tga.tensor([4])).detach().numpy(), TABLE[[4]])


def test_repr_and_state_dict_are_torchs(torch):
    for args, kwargs in [((5, 3), {}), ((5, 3), {"padding_idx": -1}), ((9, 2), {"max_norm": 1.0})]:
        ours, theirs = nn.Embedding(*args, **kwargs), torch.nn.Embedding(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
        assert ours.padding_idx == theirs.padding_idx


@pytest.mark.parametrize("ids", [[5], [-1]])
def test_index_out_of_range_is_torchs(torch, ids):
    assert_same_error(lambda lib: lib.nn.Embedding(5, 3)(lib.tensor(ids)), torch, IndexError)


def test_float_ids_are_refused_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([1.0])), torch)


@pytest.mark.parametrize("padding_idx", [5, -6])
def test_padding_idx_outside_the_table_is_torchs_error(torch, padding_idx):
    assert_same_error(
        lambda lib: lib.nn.Embedding(5, 3, padding_idx=padding_idx), torch, AssertionError
    )
