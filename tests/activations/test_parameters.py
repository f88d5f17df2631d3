"""The parameters of the activations: out-of-range and mistyped ones are refused where the
mistake is made, with torch's words; what torch accepts (any hardshrink lambda) works; rrelu's
slopes are random in training and their mean in eval.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.nn import functional as F


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: F.hardtanh(x, 2.0, 1.0), ValueError, "min_val cannot be greater than max_val"),
        (lambda x: F.softmax(x, dim=3), IndexError, r"Dimension out of range"),
        (lambda x: F.log_softmax(x, dim=-4), IndexError, r"Dimension out of range"),
        (
            lambda x: F.softshrink(x, -0.5),
            RuntimeError,
            r"^lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, but found -0.5$",
        ),
        (lambda x: F.softshrink(x, math.inf), RuntimeError, "but found inf"),
        (lambda x: nn.Softshrink(-0.5), RuntimeError, "lambda must be greater or equal to 0"),
        (lambda x: F.gelu(x, approximate=None), TypeError, "'approximate' must be str, not None"),
        (
            lambda x: F.softmax(x, 0, dtype=np.int64),
            NotImplementedError,
            "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
        ),
        (lambda x: F.softplus(x, beta=0), ValueError, "beta must be non-zero"),
        (lambda x: F.gelu(x, approximate="fast"), RuntimeError, "either none or tanh"),
        (lambda x: nn.GELU("fast"), ValueError, "either none or tanh"),
        (
            lambda x: F.glu(x[:, :3], dim=1),
            RuntimeError,
            "Halving dimension must be even, but dimension 1 is size 3",
        ),
        (
            lambda x: F.rrelu(x, 0.5, 0.1),
            RuntimeError,
            "Lower bound should be less than or equal to the upper bound",
        ),
        (
            lambda x: F.prelu(x, tga.ones(3)),
            RuntimeError,
            "Found parameter numbers = 3 and channel size = 4",
        ),
        (lambda x: F.leaky_relu(x, "a"), TypeError, "argument 'negative_slope' .* must be Number"),
        (lambda x: F.relu([1.0]), TypeError, "argument 'input' .* must be Tensor, not list"),
        (lambda x: F.threshold(x, 0.5), TypeError, "value"),
    ],
)
def test_bad_parameters_raise_clearly(call, error, match):
    x = tga.ones(2, 4)
    with pytest.raises(error, match=match):
        call(x)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lib, x: lib.nn.functional.hardtanh(x, 2.0, 1.0), ValueError),
        (lambda lib, x: lib.nn.Hardtanh(2.0, 1.0), AssertionError),
        (lambda lib, x: lib.nn.Hardtanh(1.0, 1.0), AssertionError),
        (lambda lib, x: lib.nn.functional.rrelu(x, 0.5, 0.1), RuntimeError),
        (lambda lib, x: lib.nn.functional.gelu(x, approximate="Tanh"), RuntimeError),
        (lambda lib, x: lib.nn.functional.gelu(x, "tanh"), TypeError),  # keyword-only
        (lambda lib, x: lib.nn.functional.softmax(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.softmax(x, dim="0"), TypeError),
        (lambda lib, x: lib.nn.functional.softmax(x, dim=True), TypeError),
        (lambda lib, x: lib.nn.functional.log_softmax(x, (0,)), TypeError),
        (lambda lib, x: lib.nn.functional.softmin(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.glu(x, 1.0), TypeError),
        (lambda lib, x: lib.nn.functional.glu(x, None), TypeError),
        (lambda lib, x: x.softmax(), TypeError),
        (lambda lib, x: x.log_softmax(), TypeError),
        (lambda lib, x: x.softmax(1.5), TypeError),
        (lambda lib, x: x.softmax(None), TypeError),
        (lambda lib, x: x.log_softmax(dim=None), TypeError),
        (lambda lib, x: lib.softmax(x, None), TypeError),
        (lambda lib, x: lib.matmul(x, [1.0, 2.0, 3.0, 4.0]), TypeError),
        (lambda lib, x: lib.nn.functional.celu(x, alpha=0.0), RuntimeError),
        (lambda lib, x: x.transpose(0, 1.0), TypeError),
        (lambda lib, x: lib.zeros(0).min(), RuntimeError),
        (lambda lib, x: lib.zeros(0).max(), RuntimeError),
    ],
)
def test_bad_parameters_raise_in_torchs_words(call, error, torch):
    assert_same_error(lambda lib: call(lib, lib.ones(2, 4)), torch, error)


def test_softmax_without_dim_warns_like_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = F.softmax(tga.ones(2, 3))
    assert y.shape == (2, 3) and np.allclose(y.array.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "x, w",
    [
        ([-1.0, 2.0], [0.3, 0.2]),  # a 1-D input is one channel
        (-2.0, [0.3, 0.2, 0.1]),  # a 0-d input with several slopes
        ([-1.0, 2.0], 0.3),  # float32 input, float64 slope: set below
    ],
)
def test_prelu_refuses_what_torch_refuses(x, w, torch):
    w_dtype = np.float64 if np.ndim(w) == 0 else np.float32
    assert_same_error(
        lambda L: L.nn.functional.prelu(L.tensor(np.float32(x)), L.tensor(np.asarray(w, w_dtype))),
        torch,
    )


def test_hardshrink_accepts_any_lambda_as_torch(torch):
    x = np.array([-2.0, -0.3, 0.0, 0.7])
    for lambd in (-1.0, 0.0, 0.5):
        theirs = torch.nn.functional.hardshrink(torch.tensor(x), lambd).numpy()
        np.testing.assert_array_equal(F.hardshrink(tga.tensor(x), lambd).array, theirs)
    assert repr(nn.Hardshrink(-1)) == repr(torch.nn.Hardshrink(-1)) == "Hardshrink(-1)"


def test_rrelu_samples_in_training_and_averages_in_eval():
    x = tga.tensor(-np.ones(1000), requires_grad=True)
    m = nn.RReLU(0.1, 0.3)
    m.train()
    y = m(x)
    slopes = -y.array
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.03
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.array, slopes)  # each element's gradient is its slope
    m.eval()
    assert m(x).array[0] == pytest.approx(-0.2)
    F.manual_seed(0)
    a = F.rrelu(x, training=True).array
    F.manual_seed(0)
    assert np.array_equal(a, F.rrelu(x, training=True).array)
