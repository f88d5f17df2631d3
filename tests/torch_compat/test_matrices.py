"""tril, triu, diag, diagonal, trace, bmm and the stacks (hstack, vstack, column_stack, concat)
against torch: values, dtypes, shapes, gradients and node names; second derivatives by finite
differences; and each one's typical mistake in torch's words.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import autograd

OPS = {
    "tril": (lambda x, lib: lib.tril(x), (3, 4)),
    "tril above": (lambda x, lib: x.tril(1), (3, 4)),
    "tril below, batched": (lambda x, lib: x.tril(diagonal=-1), (2, 4, 3)),
    "triu": (lambda x, lib: x.triu(), (3, 4)),
    "triu above, batched": (lambda x, lib: lib.triu(x, 2), (2, 3, 4)),
    "triu below": (lambda x, lib: x.triu(-1), (4, 3)),
    "diag of a vector": (lambda x, lib: lib.diag(x), (3,)),
    "diag of a vector, above": (lambda x, lib: x.diag(2), (3,)),
    "diag of a vector, below": (lambda x, lib: lib.diag(x, -1), (3,)),
    "diag of a matrix": (lambda x, lib: x.diag(), (3, 4)),
    "diag of a matrix, above": (lambda x, lib: lib.diag(x, 1), (3, 4)),
    "diag of a matrix, below": (lambda x, lib: x.diag(-2), (4, 3)),
    "diag of a matrix, past its end": (lambda x, lib: x.diag(5), (3, 4)),
    "diagonal": (lambda x, lib: lib.diagonal(x), (3, 4)),
    "diagonal of a batch": (lambda x, lib: x.diagonal(1, 0, 2), (2, 3, 4)),
    "diagonal, last dims, below": (lambda x, lib: x.diagonal(-1, -2, -1), (2, 3, 4)),
    "trace": (lambda x, lib: lib.trace(x), (3, 4)),
    "trace of a tall matrix": (lambda x, lib: x.trace(), (4, 2)),
    "bmm": (lambda x, lib: lib.bmm(x, x.transpose(1, 2)), (2, 3, 4)),
    "bmm method": (lambda x, lib: x.transpose(1, 2).bmm(x * 2.0), (2, 3, 4)),
    "hstack of matrices": (lambda x, lib: lib.hstack([x, x * 2.0]), (3, 2)),
    "hstack of vectors": (lambda x, lib: lib.hstack((x, x[1:])), (3,)),
    "hstack of numbers": (lambda x, lib: lib.hstack([x[0], x[2]]), (3,)),
    "vstack of vectors": (lambda x, lib: lib.vstack([x, x * 3.0]), (3,)),
    "vstack of a matrix and a vector": (lambda x, lib: lib.vstack([x, x[0]]), (2, 3)),
    "vstack of numbers": (lambda x, lib: lib.vstack([x[0], x[1]]), (2,)),
    "column_stack of vectors": (lambda x, lib: lib.column_stack([x, x * 2.0]), (3,)),
    "column_stack of a vector and a matrix": (
        lambda x, lib: lib.column_stack([x[:, 0], x]),
        (3, 2),
    ),
    "concat": (lambda x, lib: lib.concat([x, x], 1), (2, 3)),
    "concat axis=": (lambda x, lib: lib.concat([x, x * 2.0], axis=0), (2, 3)),
    "concatenate": (lambda x, lib: lib.concatenate((x, x), dim=-1), (2, 3)),
}


def _run(make, data, lib):
    x = lib.tensor(data, requires_grad=True)
    y = make(x, lib)
    weights = np.linspace(-1.0, 2.0, int(np.prod(tuple(y.shape)))).reshape(tuple(y.shape))
    (y * lib.tensor(weights)).sum().backward()
    return (
        y.detach().numpy().copy(),
        str(y.dtype),
        tuple(y.shape),
        x.grad.numpy().copy(),
        y.grad_fn.name(),
    )


@pytest.mark.parametrize("name", sorted(OPS))
def test_values_gradients_and_node_names_as_torch(name, torch):
    make, shape = OPS[name]
    data = np.random.default_rng(13).uniform(-1.0, 2.0, shape)
    ours, theirs = _run(make, data, tga), _run(make, data, torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-15, atol=1e-15)
    assert ours[1:3] == theirs[1:3]  # dtype, shape
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-15, atol=1e-15)
    assert ours[4] == theirs[4]


OTHER_DTYPES = {
    "tril of ints": lambda lib: lib.arange(12).reshape(3, 4).tril(),
    "triu of bools": lambda lib: lib.ones(2, 3, dtype=lib.bool).triu(1),
    "diag of ints": lambda lib: lib.diag(lib.tensor([1, 2])),
    "diag of an int matrix": lambda lib: lib.arange(6).reshape(2, 3).diag(-1),
    "trace of int64": lambda lib: lib.trace(lib.arange(6).reshape(2, 3)),
    "trace of int32": lambda lib: lib.ones(2, 2, dtype=lib.int32).trace(),
    "trace of uint8": lambda lib: lib.ones(2, 3, dtype=lib.uint8).trace(),
    "bmm of int32": lambda lib: lib.ones(2, 3, 4, dtype=lib.int32).bmm(
        lib.ones(2, 4, 1, dtype=lib.int32)
    ),
    "hstack, float and int": lambda lib: lib.hstack([lib.ones(2), lib.tensor([3, 4])]),
    "vstack of bools": lambda lib: lib.vstack([lib.tensor([True]), lib.tensor([False])]),
    "tril of an empty": lambda lib: lib.ones(0, 3).tril(),
}


@pytest.mark.parametrize("name", sorted(OTHER_DTYPES))
def test_other_dtypes_and_shapes_as_torch(name, torch):
    ours, theirs = OTHER_DTYPES[name](tga), OTHER_DTYPES[name](torch)
    assert ours.tolist() == theirs.tolist()
    assert (str(ours.dtype), tuple(ours.shape)) == (str(theirs.dtype), tuple(theirs.shape))


def test_tril_zeroes_nan_and_inf_above_the_diagonal(torch):
    data = [[np.nan, np.inf], [1.0, -np.inf]]
    ours, theirs = tga.tensor(data).tril(), torch.tensor(data).tril()
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.tolist()[0][1] == 0.0


SECOND_DERIVATIVES = {
    "tril": lambda x: x.tril(1) ** 3,
    "triu": lambda x: x.triu() ** 2 * x,
    "diag of a matrix": lambda x: x.diag(1) ** 3,
    "diag of a vector": lambda x: x[0].diag() ** 3,
    "diagonal": lambda x: x.diagonal(-1) ** 3,
    "trace": lambda x: (x * x).trace() * x,
    "bmm": lambda x: tga.bmm(x.unsqueeze(0), x.T.unsqueeze(0) ** 2),
    "hstack": lambda x: tga.hstack([x**2, x]) ** 2,
    "vstack": lambda x: tga.vstack([x[0] ** 3, x]),
    "column_stack": lambda x: tga.column_stack([x[0] ** 3, x.T]),
}


@pytest.mark.parametrize("name", sorted(SECOND_DERIVATIVES))
def test_first_and_second_derivatives_by_finite_differences(name):
    x = tga.tensor(np.random.default_rng(3).uniform(0.5, 2.0, (3, 3)), requires_grad=True)
    assert autograd.gradcheck(SECOND_DERIVATIVES[name], (x,))
    assert autograd.gradgradcheck(SECOND_DERIVATIVES[name], (x,))


MISTAKES = {
    "tril of a vector": (lambda lib: lib.tril(lib.ones(3)), RuntimeError),
    "triu of a number": (lambda lib: lib.triu(lib.tensor(1.0)), RuntimeError),
    "tril, a float diagonal": (lambda lib: lib.ones(2, 2).tril(diagonal=1.5), TypeError),
    "diag of a 3-d": (lambda lib: lib.diag(lib.ones(2, 3, 4)), RuntimeError),
    "diag of a 0-d": (lambda lib: lib.tensor(1.0).diag(), RuntimeError),
    "diag, a float diagonal": (lambda lib: lib.diag(lib.ones(3, 4), 1.0), TypeError),
    "diagonal, the same dim twice": (lambda lib: lib.ones(2, 3).diagonal(0, 0, 0), RuntimeError),
    "diagonal, dim out of range": (lambda lib: lib.diagonal(lib.ones(3, 4), 0, 0, 5), IndexError),
    "trace of a vector": (lambda lib: lib.trace(lib.ones(4)), RuntimeError),
    "trace of a 3-d": (lambda lib: lib.ones(2, 3, 4).trace(), RuntimeError),
    "trace of bools": (lambda lib: lib.ones(2, 2, dtype=lib.bool).trace(), NotImplementedError),
    "bmm of matrices": (lambda lib: lib.bmm(lib.ones(3, 4), lib.ones(4, 3)), RuntimeError),
    "bmm, second not 3-d": (lambda lib: lib.ones(2, 3, 4).bmm(lib.ones(3, 4)), RuntimeError),
    "bmm, inner sizes": (lambda lib: lib.bmm(lib.ones(2, 3, 4), lib.ones(2, 3, 4)), RuntimeError),
    "bmm, batch sizes": (lambda lib: lib.bmm(lib.ones(2, 3, 4), lib.ones(3, 4, 2)), RuntimeError),
    "bmm, dtypes": (
        lambda lib: lib.bmm(lib.ones(2, 3, 4, dtype=lib.float64), lib.ones(2, 4, 3)),
        RuntimeError,
    ),
    "bmm with a number": (lambda lib: lib.bmm(lib.ones(2, 3, 4), 3), TypeError),
    "hstack of nothing": (lambda lib: lib.hstack([]), RuntimeError),
    "hstack of a tensor": (lambda lib: lib.hstack(lib.ones(3, 4)), TypeError),
    "hstack with a number": (lambda lib: lib.hstack([lib.ones(3), 1]), TypeError),
    "hstack, matrix and vector": (
        lambda lib: lib.hstack([lib.ones(3, 4), lib.ones(4)]),
        RuntimeError,
    ),
    "vstack, sizes": (lambda lib: lib.vstack([lib.ones(3, 4), lib.ones(3)]), RuntimeError),
    "column_stack of nothing": (lambda lib: lib.column_stack([]), RuntimeError),
    "column_stack, sizes": (
        lambda lib: lib.column_stack([lib.tensor(1.0), lib.ones(2, 2)]),
        RuntimeError,
    ),
    "concat of nothing": (lambda lib: lib.concat([]), ValueError),
    "concat of a tensor": (lambda lib: lib.concat(lib.ones(3)), TypeError),
    "concatenate of a tensor": (lambda lib: lib.concatenate(lib.ones(3)), TypeError),
    "concat, dim and axis": (
        lambda lib: lib.concat([lib.ones(2), lib.ones(2)], 0, axis=0),
        TypeError,
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_typical_mistakes_raise_torchs_error(name, torch):
    call, error = MISTAKES[name]
    assert_same_error(call, torch, error)
