"""The other forms of an activation: its ``nn`` module (values, repr and attributes as
torch's), its Tensor method, and torch's spellings of softmax.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from activation_helpers import NAMES, away_from_kinks

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.registry import ACTIVATIONS


@pytest.mark.parametrize("name", NAMES)
def test_module_form_and_repr_match_torch(name, torch, rng):
    entry = ACTIVATIONS[name]
    cls = entry.module
    required = {
        k: v for k, v in entry.sample_params.items() if k in inspect.signature(cls).parameters
    }
    ours = cls(**required)
    theirs = getattr(torch.nn, cls.__name__)(**required)
    assert repr(ours) == repr(theirs)
    x = away_from_kinks(entry, rng.uniform(-3, 3, size=(2, 4))).astype(np.float32)
    if name in ("softmax", "log_softmax", "softmin"):
        ours, theirs = cls(dim=1), getattr(torch.nn, cls.__name__)(dim=1)
    ours.eval()
    theirs.eval()
    y = ours(tga.tensor(x))
    ty = theirs(torch.tensor(x))
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "module, text",
    [
        (lambda: nn.LeakyReLU(negative_slope=0.2), "LeakyReLU(negative_slope=0.2)"),
        (lambda: nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (lambda: nn.Hardtanh(0, 6), "Hardtanh(min_val=0, max_val=6)"),
        (lambda: nn.GELU("tanh"), "GELU(approximate='tanh')"),
        (lambda: nn.Softmax(dim=1), "Softmax(dim=1)"),
        (lambda: nn.PReLU(3), "PReLU(num_parameters=3)"),
        (lambda: nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"),
    ],
)
def test_module_reprs(module, text):
    assert repr(module()) == text


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("ReLU6", {"inplace": True}),
        ("ReLU6", {}),
        ("Hardsigmoid", {"inplace": True}),
        ("Hardswish", {"inplace": True}),
        ("SiLU", {"inplace": True}),
        ("Hardshrink", {"lambd": -1.0}),
        ("Softshrink", {"lambd": 1}),
        ("PReLU", {"init": 0.5}),
    ],
)
def test_module_reprs_and_attributes_as_torch(name, kwargs, torch):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    assert isinstance(ours, nn.Hardtanh) == isinstance(theirs, torch.nn.Hardtanh)
    for attribute in ("min_val", "max_val", "inplace", "lambd", "init", "num_parameters"):
        assert getattr(ours, attribute, None) == getattr(theirs, attribute, None), attribute


def test_prelu_module_learns_its_weight(torch):
    m = nn.PReLU(3, init=0.1)
    tm = torch.nn.PReLU(3, init=0.1)
    x = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, -6.0]], dtype=np.float32)
    m(tga.tensor(x)).sum().backward()
    tm(torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(m.weight.grad.array, tm.weight.grad.numpy())
    assert m.weight.grad.tolist() == [-1.0, -5.0, -9.0]


def test_tensor_methods_are_the_registry_functions():
    x = tga.tensor([-1.0, 0.5, 2.0])
    for entry in ACTIVATIONS.values():
        assert hasattr(tga.Tensor, entry.name) == entry.tensor_method
    assert x.relu().tolist() == [0.0, 0.5, 2.0]
    np.testing.assert_allclose(x.softmax(0).sum().item(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(x.log_softmax(dim=0).exp().sum().item(), 1.0, rtol=1e-6)


def test_softmax_function_and_method_forms_as_torch(torch):
    """torch.softmax(input=x, dim=…), x.softmax(dim, dtype) with dtype in second place."""
    data = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -0.5]], dtype=np.float32)
    for call in (
        lambda lib, x: lib.softmax(input=x, dim=0),
        lambda lib, x: x.softmax(1, lib.float64),
        lambda lib, x: lib.log_softmax(x, -1, lib.float64),
    ):
        ours, theirs = call(tga, tga.tensor(data)), call(torch, torch.tensor(data))
        assert str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
