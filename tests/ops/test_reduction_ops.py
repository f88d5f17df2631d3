"""Reductions as ops: max shares its gradient between ties, sums of integers are int64, a
float16 mean adds up in float32, a dim out of range is an IndexError; the gradients of every
reduction against finite differences (first and second order), right at zeros and ties; and
float64 results a few ulps from the exact ones (sums, two-pass variances, log-sum-exp, norms
that neither overflow nor underflow).
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import gradcheck, gradgradcheck


def test_max_ties_share_the_gradient_as_torch():
    x = tga.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]
    x = tga.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]] and indices.tolist() == [1]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.bool_])
def test_sums_of_integers_are_int64_as_torch(torch, dtype):
    data = np.array([[1, 0], [1, 1]], dtype=dtype)
    for dim in (None, 0):
        ours = tga.tensor(data).sum(dim)
        theirs = torch.tensor(data).sum() if dim is None else torch.tensor(data).sum(dim)
        assert ours.dtype == np.int64 and str(theirs.dtype) == "torch.int64"
        np.testing.assert_array_equal(ours.array, theirs.numpy())


def test_mean_of_float16_adds_up_in_float32_as_torch():
    x = tga.tensor(np.full(1000, 100.0, np.float16))
    assert x.mean().item() == 100.0 and x.mean().dtype == np.float16


def test_bad_dim():
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of "
        r"\[-2, 1\], but got 2\)",
    ):
        tga.ones(2, 3).sum(dim=2)


# name -> (function of a float64 tensor, smooth: check second derivatives too)
GRADIENTS = {
    "prod": (lambda x: x.prod(), True),
    "prod dim": (lambda x: x.prod(1, keepdim=True), True),
    "cumprod": (lambda x: x.cumprod(1), True),
    "cumprod dim 0": (lambda x: x.cumprod(0), True),
    "cumsum": (lambda x: x.cumsum(0), True),
    "var": (lambda x: x.var(1), True),
    "std": (lambda x: x.std((0, 1), correction=0), True),
    "logsumexp": (lambda x: x.logsumexp(1), True),
    "norm": (lambda x: x.norm(dim=0), True),
    "norm p=3": (lambda x: x.norm(3, dim=1), True),
    "norm p=1.5": (lambda x: x.norm(1.5), True),
    "norm p=1": (lambda x: x.norm(1, dim=1), False),
    "norm p=inf": (lambda x: x.norm(math.inf, dim=1), False),
    "amax": (lambda x: x.amax(0), False),
    "median": (lambda x: x.median(1).values, False),
    "mean": (lambda x: x.mean(1), True),
}

# Away from kinks (no ties, no zeros where |x| is not smooth), with zeros where a product has
# them: x[0, 1] and x[2, 0] are 0 (one zero in a row, and one leading a column).
POINT = np.array([[0.7, 0.0, -1.3, 2.1], [1.9, -0.4, 0.8, -1.1], [0.0, 1.2, -0.6, 0.3]])


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    f, smooth = GRADIENTS[name]
    data = POINT if name.startswith(("prod", "cumprod", "cumsum", "mean")) else POINT + 0.05
    x = tga.tensor(data, requires_grad=True)
    assert gradcheck(f, [x])
    if smooth:
        assert gradgradcheck(f, [x])


def test_prod_gradient_at_zeros_is_the_product_of_the_others():
    """One zero: its gradient is the product of the others, the rest 0 (not 0/0); two: all 0."""
    x = tga.tensor([[2.0, 0.0, 3.0], [0.0, 5.0, 0.0]], requires_grad=True)
    x.prod(1).sum().backward()
    assert x.grad.tolist() == [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]]


def test_cumprod_gradient_at_zeros():
    """y = (2, 0, 0): ∂Σy/∂x = (1 + x₁ + x₁x₂, x₀ + x₀x₂, x₀x₁) = (1, 2 + 2·3, 0)."""
    x = tga.tensor([2.0, 0.0, 3.0], requires_grad=True)
    x.cumprod(0).sum().backward()
    assert x.grad.tolist() == [1.0, 8.0, 0.0]


def _ulps(got: float, exact: mpmath.mpf) -> float:
    return float(abs(mpmath.mpf(got) - exact) / mpmath.mpf(np.spacing(abs(float(exact)))))


def test_sum_and_mean_are_a_few_ulps_from_exact():
    """Pairwise summation (NumPy's): of positive terms (no cancellation, which no summation
    order can help), within a few ulps where a running sum drifts by ~n/2 ulps."""
    rng = np.random.default_rng(0)
    data = rng.uniform(0.0, 1.0, 100_000) * np.exp(rng.uniform(-5, 5, 100_000))
    exact = sum(Fraction(v) for v in data)
    x = tga.tensor(data)
    assert _ulps(x.sum().item(), mpmath.mpf(exact.numerator) / exact.denominator) <= 4
    mean = mpmath.mpf(exact.numerator) / exact.denominator / len(data)
    assert _ulps(x.mean().item(), mean) <= 4


def test_var_and_std_are_two_pass_so_a_large_mean_does_not_cancel():
    """1e9 + (1, 2, 3, 4): var = 5/3 exactly; a one-pass Σx² - n·mean² loses every digit."""
    x = tga.tensor(1e9 + np.array([1.0, 2.0, 3.0, 4.0]))
    assert x.var().item() == pytest.approx(5 / 3, rel=4e-16)
    assert x.std(correction=0).item() == pytest.approx(math.sqrt(1.25), rel=4e-16)


@pytest.mark.parametrize(
    "values",
    [[0.0, -50.0], [1000.0, 1000.0], [-1000.0, -1001.0, -1002.0], [1e-20, -1e-20], [3.0]],
    ids=str,
)
def test_logsumexp_is_a_few_ulps_from_exact(values):
    """Shifted by the maximum (no overflow at 1000) and with log1p of the rest: log(1 + e⁻⁵⁰)
    keeps its e⁻⁵⁰, where log of a sum would round it to 0."""
    with mpmath.workdps(60):
        exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in values))
        got = tga.tensor(np.array(values)).logsumexp(0).item()
        assert _ulps(got, exact) <= 2


@pytest.mark.parametrize("scale", [1e300, 1e-300, 1.0])
@pytest.mark.parametrize("ord", [2, 3, 1, 0.5])
def test_norms_are_a_few_ulps_from_exact_at_any_scale(ord, scale):
    values = np.array([3.0, -4.0, 12.0]) * scale
    with mpmath.workdps(60):
        p = mpmath.mpf(ord)
        exact = mpmath.fsum(abs(mpmath.mpf(v)) ** p for v in values) ** (1 / p)
        got = tga.tensor(values).norm(ord).item()
        assert math.isfinite(got) and _ulps(got, exact) <= 4
