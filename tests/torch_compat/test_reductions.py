"""torch's reductions — sum, mean, prod, std, var, max, min, amax, amin, argmax, argmin, median,
norm, logsumexp, cumsum, cumprod, all, any, count_nonzero — each against torch 2.13: values,
dtypes and shapes (keepdim), gradients, second derivatives of the smooth ones, printed results,
and torch's words for the typical mistakes.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga

INF = math.inf

DATA = np.random.default_rng(7).normal(size=(3, 4))

# Ties, zeros and a row of zeros: where max, median, prod and norm need their conventions.
AWKWARD = np.array([[1.0, 3.0, 3.0, -2.0], [2.0, 0.0, -2.0, 0.0], [0.0, 0.0, 0.0, 0.0]])


def _dtype(lib, name):
    return getattr(lib, name)


# name -> (call(lib, x), smooth: compare a second derivative too — not for the linear ones,
# whose gradient does not depend on x)
CASES = {
    "sum": (lambda L, x: L.sum(x), False),
    "sum dim": (lambda L, x: x.sum(1), False),
    "sum dims keepdim": (lambda L, x: x.sum((0, -1), keepdim=True), False),
    "sum dtype": (lambda L, x: x.sum(0, dtype=_dtype(L, "float32")), False),
    "mean": (lambda L, x: x.mean(), False),
    "mean dims keepdim": (lambda L, x: L.mean(x, [0, 1], True), False),
    "prod": (lambda L, x: x.prod(), True),
    "prod dim keepdim": (lambda L, x: L.prod(x, 1, keepdim=True), True),
    "var": (lambda L, x: x.var(), True),
    "var dim, unbiased=False": (lambda L, x: L.var(x, 1, False), True),
    "var correction keepdim": (lambda L, x: x.var(0, correction=0, keepdim=True), True),
    "var(False)": (lambda L, x: x.var(False), True),
    "std": (lambda L, x: x.std(), True),
    "std dims": (lambda L, x: L.std(x, dim=(0, 1), correction=2), True),
    "std dim keepdim": (lambda L, x: x.std(1, keepdim=True), True),
    "max": (lambda L, x: x.max(), False),
    "min": (lambda L, x: L.min(x), False),
    "max dim": (lambda L, x: x.max(1).values, False),
    "max dim keepdim": (lambda L, x: L.max(x, 0, True)[0], False),
    "min dim": (lambda L, x: x.min(dim=-1).values, False),
    "amax": (lambda L, x: x.amax(), False),
    "amax dim": (lambda L, x: L.amax(x, 1), False),
    "amin dims keepdim": (lambda L, x: x.amin((0, 1), keepdim=True), False),
    "median": (lambda L, x: x.median(), False),
    "median dim": (lambda L, x: L.median(x, 1).values, False),
    "norm": (lambda L, x: x.norm(), True),
    "norm fro": (lambda L, x: L.norm(x, "fro", dim=(0, 1)), True),
    "norm p=1": (lambda L, x: x.norm(p=1, dim=1), False),
    "norm p=inf": (lambda L, x: x.norm(INF, dim=1), False),
    "norm p=-inf": (lambda L, x: x.norm(-INF), False),
    "norm p=3 keepdim": (lambda L, x: L.norm(x, 3, dim=0, keepdim=True), True),
    "norm p=1.5": (lambda L, x: x.norm(1.5, dim=1), False),
    "norm p=0.5": (lambda L, x: x.norm(0.5, dim=1), False),
    "logsumexp": (lambda L, x: x.logsumexp(1), True),
    "logsumexp dims keepdim": (lambda L, x: L.logsumexp(x, (0, 1), keepdim=True), True),
    "cumsum": (lambda L, x: x.cumsum(1), False),
    "cumsum dim 0": (lambda L, x: L.cumsum(x, dim=0), False),
    "cumprod": (lambda L, x: x.cumprod(1), True),
    "cumprod dim 0": (lambda L, x: L.cumprod(x, 0), True),
}


def _run(call, data, lib, second):
    """The value, its gradient for a fixed upstream gradient, and (``second``) the gradient of
    the gradient's squares."""
    x = lib.tensor(data, requires_grad=True)
    y = call(lib, x)
    w = lib.tensor(np.random.default_rng(3).uniform(0.5, 2.0, tuple(y.shape)))
    (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=second)
    out = [y.detach().numpy(), g.detach().numpy()]
    if second:
        (h,) = lib.autograd.grad((g * g).sum(), x)
        out.append(h.numpy())
    return str(y.dtype).removeprefix("torch."), tuple(y.shape), out


@pytest.mark.parametrize("data", [DATA, AWKWARD], ids=["random", "ties and zeros"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_reductions_as_torch(name, data, torch):
    """Values, dtype, shape, gradient and (smooth ones) second derivative, as torch's."""
    call, smooth = CASES[name]
    second = smooth and data is DATA  # at zeros some second derivatives are 0/0 in torch
    if data is AWKWARD and name.startswith("logsumexp"):
        data = AWKWARD * 100.0  # far apart: the exponentials underflow
    ours = _run(call, data, tga, second)
    theirs = _run(call, data, torch, second)
    assert ours[:2] == theirs[:2]
    for a, b in zip(ours[2], theirs[2]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13)


INTEGER_CASES = {
    "sum": lambda L, x: x.sum(),
    "sum dim": lambda L, x: x.sum(0),
    "prod": lambda L, x: L.prod(x),
    "prod dim": lambda L, x: x.prod(1, True),
    "cumsum": lambda L, x: x.cumsum(1),
    "cumprod": lambda L, x: L.cumprod(x, 0),
    "max": lambda L, x: x.max(),
    "amax dim": lambda L, x: x.amax(0),
    "argmax": lambda L, x: x.argmax(),
    "argmin dim keepdim": lambda L, x: L.argmin(x, 1, keepdim=True),
    "median": lambda L, x: x.median(),
    "all": lambda L, x: x.all(),
    "any dim": lambda L, x: L.any(x, 1),
    "all dims keepdim": lambda L, x: x.all((0, 1), keepdim=True),
    "count_nonzero": lambda L, x: L.count_nonzero(x),
    "count_nonzero dim": lambda L, x: x.count_nonzero(0),
    "logsumexp": lambda L, x: x.logsumexp(1),
    "sum dtype": lambda L, x: x.sum(dtype=_dtype(L, "float64")),
    "mean dtype": lambda L, x: x.mean(1, dtype=_dtype(L, "float64")),
    "prod dtype": lambda L, x: x.prod(0, dtype=_dtype(L, "int32")),
}


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool", "int64"])
@pytest.mark.parametrize("name", sorted(INTEGER_CASES))
def test_result_dtypes_of_integers_and_booleans_as_torch(name, dtype, torch):
    """Sums and products of integers or booleans are int64, argmax int64, all/any bool (uint8
    for uint8), logsumexp float32 — or torch's refusal, word for word."""
    data = np.array([[1, 0, 2], [3, 1, 1]]).astype(dtype)
    call = INTEGER_CASES[name]
    assert outcome(lambda L: call(L, L.tensor(data)), tga) == outcome(
        lambda L: call(L, L.tensor(data)), torch
    )


def test_max_and_min_with_dim_are_named_pairs_printed_as_torch(torch):
    data = np.array([[1.0, 5.0, 2.0], [3.0, 3.0, 0.5]], np.float32)
    for name in ("max", "min", "median"):
        ours = getattr(tga.tensor(data), name)(dim=1)
        theirs = getattr(torch.tensor(data), name)(dim=1)
        assert repr(ours) == repr(theirs)
        values, indices = ours
        assert values is ours.values and indices is ours[1]
        assert (
            indices.tolist() == theirs.indices.tolist()
            and str(indices.dtype).removeprefix("torch.") == "int64"
        )
    kept = tga.tensor(data).max(1, keepdim=True)
    assert repr(kept) == repr(torch.tensor(data).max(1, keepdim=True))


def test_max_of_two_tensors_is_the_elementwise_maximum(torch):
    a, b = np.array([[1.0, 5.0], [3.0, -1.0]]), np.array([2.0, 2.0])
    for lib in (tga, torch):
        assert lib.max(lib.tensor(a), lib.tensor(b)).tolist() == [[2.0, 5.0], [3.0, 2.0]]
        assert lib.tensor(a).min(lib.tensor(b)).tolist() == [[1.0, 2.0], [2.0, -1.0]]


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize(
    ("data", "correction"),
    [([1.0, 2.0], 2), ([1.0, 2.0], 3), ([1.0], 1), ([], 1)],
    ids=["n=correction", "n<correction", "one", "none"],
)
def test_nothing_left_to_divide_by_warns_and_gives_inf_or_nan_as_torch(
    name, data, correction, torch
):
    results = []
    for lib in (tga, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = getattr(lib.tensor(data), name)(correction=correction)
        assert [str(w.message).split(" (Triggered")[0] for w in caught] == [
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel)."
        ]
        results.append(value.item())
    np.testing.assert_equal(*results)


def test_logsumexp_of_infinite_rows_as_torch(torch):
    """A row of -inf gives -inf, a +inf gives inf, a nan nan; the gradients too (nan where
    torch has nan)."""
    data = np.array([[-INF, -INF], [INF, 1.0], [np.nan, 2.0], [-INF, 0.0]])
    results = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        y = x.logsumexp(1)
        y.sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("p", [2, 1, INF, 3])
def test_norm_gradient_at_zero_is_zero_as_torch(p, torch):
    grads = []
    for lib in (tga, torch):
        x = lib.tensor(np.zeros((2, 3)), requires_grad=True)
        x.norm(p=p, dim=1).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(*grads)
    assert not np.any(grads[0])


def test_amax_shares_the_gradient_among_ties_max_dim_gives_it_to_one_as_torch(torch):
    data = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    for reduce in (
        lambda x: x.amax(1),
        lambda x: x.amax(),
        lambda x: x.max(),
        lambda x: x.max(1).values,
        lambda x: x.norm(INF, dim=1),
        lambda x: x.median(),
    ):
        grads = []
        for lib in (tga, torch):
            x = lib.tensor(data, requires_grad=True)
            reduce(x).sum().backward()
            grads.append(x.grad.numpy())
        np.testing.assert_array_equal(*grads)


MISTAKES = {
    "sum dim out of range": (lambda L: L.ones(2, 3).sum(2), IndexError),
    "prod dim out of range": (lambda L: L.prod(L.ones(2, 3), -3), IndexError),
    "std dim out of range": (lambda L: L.ones(2, 3).std(5), IndexError),
    "amax dim out of range": (lambda L: L.ones(2, 3).amax((0, 2)), IndexError),
    "argmax dim out of range": (lambda L: L.ones(2, 3).argmax(2), IndexError),
    "logsumexp dim out of range": (lambda L: L.ones(2, 3).logsumexp(-3), IndexError),
    "cumsum dim out of range": (lambda L: L.ones(2, 3).cumsum(3), IndexError),
    "cumsum dims": (lambda L: L.ones(2, 3).cumsum(dim=(0,)), TypeError),
    "median dim out of range": (lambda L: L.ones(2, 3).median(4), IndexError),
    "all dim out of range": (lambda L: L.ones(2, 3).all(2), IndexError),
    "repeated dim": (lambda L: L.ones(2, 3).sum((0, 0)), RuntimeError),
    "mean of integers": (lambda L: L.tensor([1, 2]).mean(), RuntimeError),
    "mean into integers": (lambda L: L.ones(2).mean(dtype=L.int64), RuntimeError),
    "var of integers": (lambda L: L.tensor([1, 2]).var(), RuntimeError),
    "norm of integers": (lambda L: L.tensor([1, 2]).norm(), RuntimeError),
    "max of nothing": (lambda L: L.ones(0).max(), RuntimeError),
    "amax of nothing": (lambda L: L.ones(0, 2).amax(), RuntimeError),
    "max along an empty dim": (lambda L: L.ones(0, 2).max(0), IndexError),
    "argmax of nothing": (lambda L: L.ones(0).argmax(), IndexError),
    "argmax along an empty dim": (lambda L: L.ones(0, 2).argmin(0), IndexError),
    "argmax of booleans": (lambda L: L.tensor([True]).argmax(), RuntimeError),
    "median of booleans": (lambda L: L.tensor([True]).median(), NotImplementedError),
    "inf norm of nothing": (lambda L: L.ones(0).norm(INF), RuntimeError),
    "inf norm along an empty dim": (lambda L: L.ones(0, 2).norm(INF, dim=0), RuntimeError),
    "unknown norm": (lambda L: L.ones(2, 2).norm("abc"), RuntimeError),
    "fro norm over three dims": (lambda L: L.ones(2, 2, 2).norm("fro", (0, 1, 2)), RuntimeError),
    "sum of a list": (lambda L: L.sum([1.0, 2.0]), TypeError),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistakes_in_torch_words(name, torch):
    call, error = MISTAKES[name]
    assert_same_error(call, torch, error)


def test_empty_reductions_as_torch(torch):
    """Over nothing: sum 0, prod 1, logsumexp -inf, norm 0, all True, any False, mean nan."""
    calls = [
        lambda L: L.ones(0, 3).sum(0),
        lambda L: L.ones(0, 3).prod(0),
        lambda L: L.ones(0, 3).logsumexp(0),
        lambda L: L.ones(0, 3).norm(dim=0),
        lambda L: L.ones(0, 3).all(0),
        lambda L: L.ones(0, 3).any(0),
        lambda L: L.ones(0, 3).mean(),
        lambda L: L.ones(0, 3).amax(1),
        lambda L: L.ones(0, 3).cumsum(0),
        lambda L: L.ones(0, 3).median(),
    ]
    for call in calls:
        assert str(outcome(call, tga)) == str(outcome(call, torch))


def test_zero_dimensional_inputs_as_torch(torch):
    calls = [
        lambda L: L.tensor(2.5).sum(0),
        lambda L: L.tensor(2.5).prod(0, keepdim=True),
        lambda L: L.tensor(2.5).cumsum(0),
        lambda L: L.tensor(2.5).cumprod(-1),
        lambda L: L.tensor(2.5).logsumexp(0),
        lambda L: L.tensor(2.5).argmax(0),
        lambda L: L.tensor(2.5).max(0),
        lambda L: L.tensor(2.5).median(0),
        lambda L: L.tensor(2.5).amax(0),
        lambda L: L.tensor(2.5).norm(dim=0),
    ]
    for call in calls:
        assert outcome(call, tga) == outcome(call, torch)


def test_argmax_and_argmin_as_torch(torch):
    data = np.array([[1.0, 7.0, 7.0], [np.nan, 2.0, 9.0]])
    calls = [
        lambda L: L.tensor(data).argmax(),
        lambda L: L.tensor(data).argmin(),
        lambda L: L.tensor(data).argmax(keepdim=True),
        lambda L: L.argmax(L.tensor(data), 1),
        lambda L: L.tensor(data).argmin(0, keepdim=True),
        lambda L: L.tensor(data[:, 1:]).argmax(dim=-1),
    ]
    for call in calls:
        assert outcome(call, tga) == outcome(call, torch)
