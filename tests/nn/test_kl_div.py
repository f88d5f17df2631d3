"""``F.kl_div`` and ``nn.KLDivLoss`` against torch: target·(log target − input), reduced."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.nn.functional_extra import kl_div

INPUT = [[-1.0, -2.0, -0.5], [-3.0, -1.0, -1.0]]
TARGET = [[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]]  # a 0: the term is 0, its target gradient NaN


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["none", "sum", "batchmean", "mean"])
def test_values_and_gradients_are_torchs(torch, reduction, log_target):
    results = []
    for lib, f in ((torch, torch.nn.functional.kl_div), (tga, kl_div)):
        x = lib.tensor(INPUT, dtype=lib.float64, requires_grad=True)
        t = lib.tensor(TARGET, dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss = f(x, t, reduction=reduction, log_target=log_target)
        loss.sum().backward()
        results.append(
            (
                loss.detach().numpy(),
                x.grad.numpy(),
                t.grad.numpy(),
                loss.grad_fn.name(),
                [str(w.message) for w in caught],
            )
        )
    ours, theirs = results[1], results[0]
    for a, b in zip(ours[:3], theirs[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)  # NaN where torch's is
    assert ours[3:] == theirs[3:]  # node names and the warning for 'mean'


def test_module_and_errors_are_torchs(torch):
    assert repr(tga.nn.KLDivLoss(reduction="batchmean")) == "KLDivLoss()"
    x, t = tga.tensor(INPUT), tga.tensor(TARGET)
    module = tga.nn.KLDivLoss(reduction="batchmean", log_target=True)
    assert module(x, t).item() == pytest.approx(
        torch.nn.KLDivLoss(reduction="batchmean", log_target=True)(
            torch.tensor(INPUT), torch.tensor(TARGET)
        ).item(),
        rel=1e-6,
    )
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        kl_div(x, t, reduction="bad")
    assert kl_div(tga.tensor(-1.0), tga.tensor(0.5), reduction="batchmean").item() == (
        pytest.approx(
            torch.nn.functional.kl_div(
                torch.tensor(-1.0), torch.tensor(0.5), reduction="batchmean"
            ).item()
        )
    )
