"""``nn.Softmax2d``: softmax over the channels (dim -3) of a 3-D or 4-D input, as torch's."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga


def test_softmax_over_channels_with_torchs_gradient(torch, rng):
    x = rng.standard_normal((2, 3, 4, 5))
    results = []
    for lib in (torch, tga):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.Softmax2d()(t)
        (y * lib.tensor(x)).sum().backward()
        results.append((y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-14)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-12, atol=1e-14)
    assert results[1][2] == results[0][2] == "SoftmaxBackward0"
    assert repr(tga.nn.Softmax2d()) == repr(torch.nn.Softmax2d()) == "Softmax2d()"


@pytest.mark.parametrize("shape", [(3,), (2, 3), (1, 2, 3, 4, 5)])
def test_other_ranks_are_refused_in_torchs_words(torch, shape):
    with pytest.raises(ValueError) as theirs:
        torch.nn.Softmax2d()(torch.ones(shape))
    with pytest.raises(ValueError) as ours:
        tga.nn.Softmax2d()(tga.ones(shape))
    assert str(ours.value) == str(theirs.value)
