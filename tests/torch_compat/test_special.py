"""``torch.special``: each name the package's own function, against torch; ``ndtr`` keeps its
digits in the lower tail (torch's is 0 at -36), against mpmath."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import special

X = [-3.0, -0.5, 0.0, 0.25, 2.0]
CALLS = {
    "expit": lambda S, T: S.expit(T.tensor(X, dtype=T.float64)),
    "ndtr": lambda S, T: S.ndtr(T.tensor(X, dtype=T.float64)),
    "ndtr of integers": lambda S, T: S.ndtr(T.tensor([1, 2])),
    "logit": lambda S, T: S.logit(T.tensor([0.1, 0.5, 0.9], dtype=T.float64)),
    "erf, erfc, erfinv": lambda S, T: (
        S.erf(T.tensor(X)) + S.erfc(T.tensor(X)) + S.erfinv(T.tensor([0.5]))
    ),
    "xlogy": lambda S, T: S.xlogy(T.tensor([0.0, 2.0]), T.tensor([0.0, 3.0])),
    "sinc, exp2, expm1, log1p": lambda S, T: (
        S.sinc(T.tensor(X)) + S.exp2(T.tensor(X)) + S.expm1(T.tensor(X)) + S.log1p(T.tensor([0.5]))
    ),
    "softmax, log_softmax": lambda S, T: (
        S.softmax(T.tensor([[1.0, 2.0]]), 1) + S.log_softmax(T.tensor([[1.0, 2.0]]), dim=1)
    ),
    "logsumexp": lambda S, T: S.logsumexp(T.tensor([[1.0, 2.0]]), 1),
    "round": lambda S, T: S.round(T.tensor([1.25, 2.5]), decimals=1),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS)
def test_special_is_torchs(torch, call):
    ours, theirs = call(special, tga), call(torch.special, torch)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_ndtr_keeps_its_digits_in_the_lower_tail():
    import mpmath

    mpmath.mp.dps = 50
    x = [-36.0, -20.0, -8.0]
    ours = special.ndtr(tga.tensor(x, dtype=tga.float64)).numpy()
    true = [float(mpmath.ncdf(v)) for v in x]
    np.testing.assert_allclose(ours, true, rtol=4e-16)


def test_what_torch_special_has_beyond_these_is_an_attribute_error():
    with pytest.raises(AttributeError, match="digamma"):
        special.digamma  # noqa: B018
