"""``repeat_interleave`` and ``index_add``: values, node names, gradients and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga

M = [[1.0, 2.0], [3.0, 4.0]]


def _same_error(torch, call, error):
    with pytest.raises(error) as theirs:
        call(torch)
    with pytest.raises(error) as ours:
        call(tga)
    assert str(ours.value) == str(theirs.value)


REPEATS = {
    "int, flattened": lambda lib, x: x.repeat_interleave(2),
    "int along dim 0": lambda lib, x: x.repeat_interleave(2, dim=0),
    "counts along dim 1": lambda lib, x: x.repeat_interleave(lib.tensor([1, 2]), dim=1),
    "counts, flattened": lambda lib, x: x.repeat_interleave(lib.tensor([1, 2, 0, 1])),
    "0-d counts": lambda lib, x: lib.repeat_interleave(x, lib.tensor(2), 0),
    "one count": lambda lib, x: x.repeat_interleave(lib.tensor([2]), dim=0),
    "int32 counts": lambda lib, x: x.repeat_interleave(lib.tensor([1, 2], dtype=lib.int32), 0),
    "output_size": lambda lib, x: x.repeat_interleave(2, dim=0, output_size=4),
    "zero times": lambda lib, x: x.repeat_interleave(0, dim=1),
}


@pytest.mark.parametrize("name", REPEATS)
def test_repeat_interleave_values_node_and_gradient_are_torchs(torch, name):
    def run(lib):
        x = lib.tensor(M, requires_grad=True)
        out = REPEATS[name](lib, x)
        weights = lib.arange(float(out.numel())).reshape(out.shape)
        (out * weights).sum().backward()
        return out, x.grad

    (ours, our_grad), (theirs, their_grad) = run(tga), run(torch)
    assert repr(ours) == repr(theirs)
    np.testing.assert_array_equal(our_grad.numpy(), their_grad.numpy())


def test_repeat_interleave_of_counts_alone_gives_their_indices(torch):
    ours = tga.repeat_interleave(tga.tensor([1, 2, 3]))
    assert repr(ours) == repr(torch.repeat_interleave(torch.tensor([1, 2, 3])))


def test_repeat_interleave_of_a_0d_tensor_repeats_its_value(torch):
    ours = tga.tensor(5.0).repeat_interleave(3)
    assert repr(ours) == repr(torch.tensor(5.0).repeat_interleave(3))


def test_repeat_interleave_has_second_derivatives():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (g,) = tga.autograd.grad((x.repeat_interleave(3) ** 3).sum(), x, create_graph=True)
    (h,) = tga.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(h.numpy(), [18.0, 36.0])  # 3 copies of 6x


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([1, 2])), RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([-1, 2]), dim=0), RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(-1), RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([1.0, 2]), 0), NotImplementedError),
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([True]), 0), NotImplementedError),
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([[1, 2]]), dim=0), RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(2, dim=2), IndexError),
        (lambda lib: lib.tensor(M).repeat_interleave(2, dim=0, output_size=5), RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(lib.tensor([1, 2]), 0, output_size=4),
         RuntimeError),
        (lambda lib: lib.tensor(M).repeat_interleave(2.0), TypeError),
        (lambda lib: lib.tensor(M).repeat_interleave(True), TypeError),
        (lambda lib: lib.repeat_interleave(lib.tensor([[1, 2]])), RuntimeError),
    ],
    ids=[
        "counts of the wrong length", "a negative count", "a negative int", "float counts",
        "bool counts", "2-d counts", "dim out of range", "wrong output_size",
        "wrong output_size with counts", "a float", "a bool", "2-d counts alone",
    ],
)  # fmt: skip
def test_repeat_interleave_refuses_as_torch(torch, call, error):
    _same_error(torch, call, error)


INDEX_ADDS = {
    "a repeated index": lambda lib, t, s: t.index_add(0, lib.tensor([0, 0]), s),
    "alpha": lambda lib, t, s: t.index_add(0, lib.tensor([0, 2]), s, alpha=2),
    "dim 1": lambda lib, t, s: t.index_add(1, lib.tensor([1, 1]), lib.cat([s, s[:1]])),
    "int32 index": lambda lib, t, s: t.index_add(0, lib.tensor([2, 1], dtype=lib.int32), s),
    "function": lambda lib, t, s: lib.index_add(t, 0, lib.tensor([1, 0]), s, alpha=-0.5),
}


@pytest.mark.parametrize("name", INDEX_ADDS)
def test_index_add_values_node_and_gradients_are_torchs(torch, name):
    def run(lib):
        t = lib.zeros(3, 2, requires_grad=True)
        s = lib.arange(1.0, 7.0).reshape(3, 2)[:2].clone().requires_grad_(True)
        out = INDEX_ADDS[name](lib, t, s)
        (out * lib.arange(6.0).reshape(3, 2)).sum().backward()
        return out, t.grad, s.grad

    for o, t in zip(run(tga), run(torch)):
        assert repr(o) == repr(t)


def test_index_add_of_integers_casts_alpha_as_torch(torch):
    def f(lib):
        return lib.zeros(3, dtype=lib.long).index_add(
            0, lib.tensor([0, 1]), lib.ones(2, dtype=lib.long), alpha=2.5
        )

    assert repr(f(tga)) == repr(f(torch))


def test_index_add_in_place_is_recorded_and_refused_on_a_leaf(torch):
    a = tga.zeros(3, 2, requires_grad=True)
    b = a * 1
    assert b.index_add_(0, tga.tensor([1]), tga.ones(1, 2)) is b
    assert b.grad_fn.name() == "IndexAddBackward0"
    _same_error(
        torch,
        lambda lib: lib.zeros(3, 2, requires_grad=True).index_add_(
            0, lib.tensor([1]), lib.ones(1, 2)
        ),
        RuntimeError,
    )


@pytest.mark.parametrize(
    "index, source, dim, error",
    [
        ([0, 3], (2, 2), 0, RuntimeError),
        ([-1, 1], (2, 2), 0, RuntimeError),
        ([0.0, 1.0], (2, 2), 0, RuntimeError),
        ([0, 1, 2], (2, 2), 0, RuntimeError),
        ([[0, 1]], (2, 2), 0, IndexError),
        ([0, 1], (2, 3), 0, RuntimeError),
        ([0, 1], (2, 2), 2, IndexError),
    ],
    ids=[
        "out of bounds", "negative", "float index", "count", "2-d index", "shape", "dim",
    ],
)  # fmt: skip
def test_index_add_refuses_as_torch(torch, index, source, dim, error):
    def call(lib):
        return lib.zeros(3, 2).index_add(dim, lib.tensor(index), lib.ones(*source))

    _same_error(torch, call, error)


def test_index_add_refuses_another_dtype_as_torch(torch):
    def call(lib):
        return lib.zeros(3, 2).index_add(0, lib.tensor([0, 1]), lib.ones(2, 2, dtype=lib.float64))

    _same_error(torch, call, RuntimeError)
