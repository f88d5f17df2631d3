"""The in-place forms of the activations: ``inplace=True`` and the ``F.relu_`` spellings write
into their input and return it; a leaf that requires grad refuses; inside a graph, the
gradients are torch's.
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import TORCH_FLOAT32_CONSTANTS

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.nn import functional as F

INPLACE = [
    "relu", "relu6", "leaky_relu", "hardtanh", "elu", "selu", "celu", "silu", "mish",
    "hardsigmoid", "hardswish", "rrelu",
]  # fmt: skip


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_writes_into_the_input_as_torch(name, torch):
    """``inplace=True``: the result goes into the input, which is returned; a leaf that
    requires grad refuses (torch's error); inside a graph the input takes the result's place,
    and gradients are torch's."""
    values = [-2.0, -0.5, 0.0, 0.5, 3.0, 7.0]
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    x, tx = tga.tensor(values), torch.tensor(values)
    view = x.array  # the same array: an alias sees the new values
    assert ours(x, inplace=True) is x and theirs(tx, inplace=True) is tx
    np.testing.assert_allclose(view, tx.numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        ours(tga.tensor(values, requires_grad=True), inplace=True)
    a = tga.tensor(values, dtype=np.float64, requires_grad=True)
    ta = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    h, th = a * 2.0, ta * 2.0
    assert ours(h, inplace=True) is h
    theirs(th, inplace=True)
    (h * h).sum().backward()
    (th * th).sum().backward()
    rtol = 1e-6 if name in TORCH_FLOAT32_CONSTANTS else 1e-12  # torch's 1/6 is a float32
    np.testing.assert_allclose(a.grad.array, ta.grad.numpy(), rtol=rtol)


def test_inplace_modules_integers_and_no_grad():
    z = tga.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(z) is z and z.tolist() == [0.0, 2.0]
    n = tga.tensor([-1, 2, 7])
    F.threshold(n, 1, 5, inplace=True)
    assert n.dtype == np.int64 and n.tolist() == [5, 2, 7]
    with pytest.raises(NotImplementedError, match="\"silu_cpu\" not implemented for 'Long'"):
        F.silu(tga.tensor([1, 2]), inplace=True)  # as torch: no silu of integers
    with tga.no_grad():  # parameters may change in place outside the graph
        p = tga.tensor([-1.0, 2.0], requires_grad=True)
        assert F.relu(p, inplace=True) is p and p.tolist() == [0.0, 2.0]


@pytest.mark.parametrize(
    "name, args",
    [
        ("relu_", ()),
        ("elu_", (0.5,)),
        ("selu_", ()),
        ("celu_", (2.0,)),
        ("leaky_relu_", (0.2,)),
        ("hardtanh_", (-0.5, 0.5)),
        ("rrelu_", (0.1, 0.3)),
        ("threshold_", (0.1, -2.0)),
    ],
)
def test_functional_in_place_spellings_as_torch(name, args, torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[-1.5, 0.25], [2.0, -0.75]], dtype=lib.float64, requires_grad=True)
        h = x * 1.0
        out = getattr(lib.nn.functional, name)(h, *args)
        assert out is h
        (h * h).sum().backward()
        results.append((h.tolist(), x.grad.tolist()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-15)


IN_PLACE_CALLS = {
    "leaky_relu(-0.2)": lambda f, a: f.leaky_relu(a, -0.2, inplace=True),
    "leaky_relu(0)": lambda f, a: f.leaky_relu(a, 0.0, inplace=True),
    "rrelu eval, negative": lambda f, a: f.rrelu(a, -0.3, -0.1, training=False, inplace=True),
    "elu(-1)": lambda f, a: f.elu(a, alpha=-1.0, inplace=True),
    "elu(0)": lambda f, a: f.elu(a, alpha=0.0, inplace=True),
    "celu(-1)": lambda f, a: f.celu(a, alpha=-1.0, inplace=True),
    "selu": lambda f, a: f.selu(a, inplace=True),
    "threshold": lambda f, a: f.threshold(a, 0.5, 1.0, inplace=True),
    "relu": lambda f, a: f.relu(a, inplace=True),
}


@pytest.mark.parametrize("call", IN_PLACE_CALLS.values(), ids=IN_PLACE_CALLS)
def test_in_place_node_names_and_negative_slopes_as_torch(call, torch):
    """torch computes these in-place backwards from the output, names their nodes
    ``…Backward1``, and refuses a negative slope when the backward pass reaches one."""

    def run(lib):
        x = lib.tensor([-1.0, 0.0, 2.0], dtype=lib.float64, requires_grad=True)
        out = call(lib.nn.functional, x * 2)
        name = out.grad_fn.name()
        try:
            out.sum().backward()
        except RuntimeError as e:
            return name, str(e)
        return name, x.grad.tolist()

    ours, theirs = run(tga), run(torch)
    assert ours[0] == theirs[0]
    if isinstance(theirs[1], str):
        assert ours[1] == theirs[1]
    else:
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-15)
