"""Every activation in the registry against torch and finite differences: values, gradients
for a random upstream gradient, and second derivatives, in float64 and float32, at ordinary and
large inputs, and for a 0-d tensor as for a vector.

Parametrized over ``registry.ACTIVATIONS``: adding an activation there adds it here, and in the
other files of tests/activations/ (kinks, parameters, module and method forms, dtypes, extreme
inputs, in-place forms).
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import (
    NAMES,
    TOL,
    TORCH_FLOAT32_CONSTANTS,
    away_from_kinks,
    ours_and_torch,
)

import tinygrad_acts as tga
from tinygrad_acts.autograd import grad, gradcheck, gradgradcheck
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS

SHAPES = [(), (7,), (4, 6)]


def needs_shape(entry, shape):
    """glu halves its last dim, prelu with one weight takes any shape: skip what can't work."""
    if entry.name == "glu":
        return len(shape) > 0 and shape[-1] % 2 == 0
    return True


@pytest.mark.parametrize(
    "name, shape",
    [(n, s) for n in NAMES for s in SHAPES if needs_shape(ACTIVATIONS[n], s)],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", ["unit", "large"])
def test_against_torch(name, dtype, shape, scale, torch, rng):
    """Values, gradients for a random upstream gradient, and second derivatives."""
    entry = ACTIVATIONS[name]
    if scale == "unit":
        x = rng.uniform(-3, 3, size=shape)
    else:  # the tails: ±[300, 400]
        x = rng.uniform(300, 400, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    x = away_from_kinks(entry, x)
    ours_in, y, their_in, ty = ours_and_torch(entry, torch, x, dtype)
    tol = TOL[dtype]
    if name in TORCH_FLOAT32_CONSTANTS:
        tol = TOL[np.float32]
    assert y.dtype == dtype and y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.array, ty.detach().numpy(), **tol)

    v = rng.standard_normal(y.shape).astype(dtype)
    g = grad(y, ours_in, grad_outputs=tga.tensor(v), create_graph=True)
    tg = torch.autograd.grad(ty, their_in, grad_outputs=torch.tensor(v), create_graph=True)
    for a, b in zip(g, tg):
        assert a.dtype == dtype
        np.testing.assert_allclose(a.array, b.detach().numpy(), **tol)

    # Second derivative: d/dx <g, w>.
    w = rng.standard_normal(g[0].shape).astype(dtype)
    g2 = grad((g[0] * tga.tensor(w)).sum(), ours_in, allow_unused=True)
    tg2 = [None] * len(their_in)  # torch's first derivative is constant: f'' = 0
    if tg[0].requires_grad:
        try:
            tg2 = torch.autograd.grad((tg[0] * torch.tensor(w)).sum(), their_in, allow_unused=True)
        except RuntimeError as e:  # hardsigmoid: torch has no double backward; f'' is 0
            assert "not implemented" in str(e) and not entry.smooth
    for a, b in zip(g2, tg2):
        a = np.zeros(x.shape) if a is None else a.array
        b = np.zeros(x.shape) if b is None else b.detach().numpy(force=True)
        b = b.reshape(a.shape)
        assert np.all(np.isfinite(a))
        # Where torch's second derivative is NaN (mish'' in the tails), ours is checked
        # against the 50-digit reference instead (test_accuracy.py).
        finite = np.isfinite(b)
        np.testing.assert_allclose(a[finite], b[finite], **tol)


@pytest.mark.parametrize("name", NAMES)
def test_gradcheck_and_gradgradcheck(name, rng):
    entry = ACTIVATIONS[name]
    x = away_from_kinks(entry, rng.uniform(-3, 3, size=(3, 4)))
    inputs = [tga.tensor(x, requires_grad=True)]
    fn = entry
    if name == "prelu":
        inputs.append(tga.tensor(np.array([0.3]), requires_grad=True))

        def fn(a, w):
            return F.prelu(a, w)

    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# Parameters other than the defaults, each a path of its own in some kernel.
VARIANTS = [
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("hardtanh", {"min_val": -2.0, "max_val": 1.5}),
    ("threshold", {"threshold": 0.5, "value": -1.0}),
]


@pytest.mark.parametrize(
    "name, kwargs",
    [(n, {}) for n in NAMES if ACTIVATIONS[n].elementwise] + VARIANTS,
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_element_0d_as_1d_and_as_torch(name, kwargs, dtype, torch):
    """A 0-d tensor takes other paths than a vector (one-element shortcuts, NumPy scalars out
    of ufuncs): its value, gradient and second derivative must be the (1,) tensor's and
    torch's. (gelu's tanh form of a 0-d tensor once returned z(x) itself: 7.52 at x = -2.)"""
    entry = ACTIVATIONS[name]
    for v in (-3.7, -2.0, -0.3, 0.6, 3.0, 25.0):
        results = []
        for shape in ((), (1,)):
            x = np.full(shape, v, dtype=dtype)
            ours, y, theirs, ty = ours_and_torch(entry, torch, x, dtype, **kwargs)
            (g,) = grad(y.sum(), ours[0], create_graph=True)
            (g2,) = grad(g.sum(), ours[0]) if g.requires_grad else (np.zeros(shape),)
            (tg,) = torch.autograd.grad(ty.sum(), theirs[0], create_graph=True)
            tol = TOL[np.float32 if name in TORCH_FLOAT32_CONSTANTS else dtype]
            np.testing.assert_allclose(y.array, ty.detach().numpy(), **tol)
            np.testing.assert_allclose(g.array, tg.detach().numpy(), **tol)
            assert y.shape == tuple(ty.shape) and g.shape == tuple(tg.shape)
            results.append([np.asarray(getattr(a, "data", a)).item() for a in (y, g, g2)])
        assert results[0] == results[1], (v, results)


@pytest.mark.parametrize(("name", "kwargs"), [("elu", {}), ("elu", {"alpha": 2.0}),
                                              ("selu", {}), ("celu", {"alpha": 0.5})])  # fmt: skip
def test_elu_family_second_derivative_at_zero_as_torch(torch, name, kwargs):
    """f'(0) is the left slope and f''(0) = 0: torch's backward and double backward."""
    values = [0.0, -0.0, -1.0, 1.0, -800.0]
    results = []
    for lib in (tga, torch):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad(getattr(lib.nn.functional, name)(x, **kwargs).sum(), x,
                                 create_graph=True)  # fmt: skip
        (g2,) = lib.autograd.grad(g.sum(), x)
        results.append([g.detach().numpy(), g2.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", ["softmax", "softmin", "log_softmax"])
def test_a_row_does_not_depend_on_the_others_in_its_batch(name):
    """Only a saturated row's maximum takes the other formula: a row next to a saturated one
    gives, to the bit, what it gives alone (f′ and f″)."""
    sign = -1.0 if name == "softmin" else 1.0
    row = np.array([1.72, 0.0, 1.5, -2.0]) * sign
    results = []
    for rows in ([row], [row, np.array([40.0, 0.0, 1.5, -2.0]) * sign]):
        t = tga.tensor(np.array(rows), requires_grad=True)
        y = getattr(F, name)(t, dim=-1)
        (g,) = grad(y[:, 0].sum(), t, create_graph=True)
        (g2,) = grad(g[:, 0].sum(), t)
        results.append((g.array[0].tolist(), g2.array[0].tolist()))
    assert results[0] == results[1]
