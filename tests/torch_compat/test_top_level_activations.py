"""``torch.selu(x)``, ``torch.threshold(x, t, v)``, ``torch.relu_(x)`` …: the top-level
activations take torch's arguments (no ``inplace``) and give its values."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga

X = [-1.5, -0.25, 0.5, 2.0]
CALLS = {
    "selu": (),
    "celu": (2.0,),
    "rrelu": (0.1, 0.3),
    "prelu": ("weight",),
    "threshold": (0.6, 7.0),
    "hardshrink": (0.6,),
}
IN_PLACE = {
    "relu_": (),
    "selu_": (),
    "celu_": (0.5,),
    "rrelu_": (0.1, 0.3),
    "threshold_": (0.6, 7.0),
    "sigmoid_": (),
    "tanh_": (),
}


def _args(lib, args):
    return [lib.tensor([0.25]) if a == "weight" else a for a in args]


@pytest.mark.parametrize("name", CALLS)
def test_a_top_level_activation_gives_torchs_values(torch, name):
    ours = getattr(tga, name)(tga.tensor(X), *_args(tga, CALLS[name]))
    theirs = getattr(torch, name)(torch.tensor(X), *_args(torch, CALLS[name]))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", IN_PLACE)
def test_a_top_level_in_place_activation_writes_into_its_input(torch, name):
    ours, theirs = tga.tensor(X), torch.tensor(X)
    assert getattr(tga, name)(ours, *IN_PLACE[name]) is ours
    getattr(torch, name)(theirs, *IN_PLACE[name])
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["selu", "celu", "rrelu", "threshold", "relu_", "sigmoid_"])
def test_a_top_level_activation_takes_no_inplace_argument(torch, name):
    args = (0.6, 7.0) if name == "threshold" else ()
    with pytest.raises(TypeError, match="inplace"):
        getattr(torch, name)(torch.tensor(X), *args, inplace=True)
    with pytest.raises(TypeError, match="inplace"):
        getattr(tga, name)(tga.tensor(X), *args, inplace=True)


def test_an_in_place_activation_of_a_non_tensor_is_refused_in_torchs_words(torch):
    message = "sigmoid_(): argument 'input' (position 1) must be Tensor, not float"
    for lib in (torch, tga):
        with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
            lib.sigmoid_(2.0)


def test_the_top_level_activations_are_exported():
    for name in [*CALLS, *IN_PLACE]:
        assert name in tga.__all__
