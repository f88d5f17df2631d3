"""Convolutions and pooling against torch: outputs, gradients (first and second order), repr,
parameters, errors, and a small CNN trained a few steps."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn


def _run(lib, function, arrays, kwargs):
    """``function(*arrays, **kwargs)`` and the gradients of Σ cos(i)·y_i for every array."""
    tensors = [lib.tensor(a, requires_grad=True) for a in arrays]
    y = function(lib)(*tensors, **kwargs)
    upstream = lib.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))
    (y * upstream).sum().backward()
    return [y.detach().numpy()] + [t.grad.numpy() for t in tensors]


def _same(ours, theirs, rtol=1e-12, atol=1e-12):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


CONV2D = [
    ((2, 3, 7, 6), (4, 3, 3, 2), {}),
    ((2, 4, 9, 8), (6, 2, 3, 3), {"stride": 2, "padding": 1, "dilation": 2, "groups": 2}),
    ((3, 7, 7), (2, 3, 3, 3), {"padding": "same"}),  # no batch axis
    ((2, 3, 7, 6), (4, 3, 4, 2), {"padding": "same", "dilation": (1, 2)}),  # uneven 'same'
    ((1, 2, 5, 5), (3, 2, 5, 5), {"padding": "valid"}),
    ((2, 1, 6, 7), (2, 1, 2, 3), {"stride": (2, 3), "padding": (1, 0)}),
]


@pytest.mark.parametrize(("x", "w", "kwargs"), CONV2D)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_values_and_gradients_are_torchs(torch, rng, x, w, kwargs, bias):
    arrays = [rng.normal(size=x), rng.normal(size=w)] + ([rng.normal(size=w[0])] if bias else [])
    with _quiet():
        theirs = _run(torch, lambda lib: lib.nn.functional.conv2d, arrays, kwargs)
    _same(_run(tga, lambda lib: lib.nn.functional.conv2d, arrays, kwargs), theirs)


def _quiet():
    """torch warns that an uneven 'same' padding copies the input: not the point here."""
    return warnings.catch_warnings(action="ignore", category=UserWarning)


CONV1D = [
    ((2, 3, 10), (4, 3, 3), {}),
    ((2, 4, 11), (2, 2, 3), {"stride": 3, "padding": 2, "dilation": 2, "groups": 2}),
    ((3, 9), (5, 3, 4), {"padding": "same"}),
]


@pytest.mark.parametrize(("x", "w", "kwargs"), CONV1D)
def test_conv1d_values_and_gradients_are_torchs(torch, rng, x, w, kwargs):
    arrays = [rng.normal(size=x), rng.normal(size=w), rng.normal(size=w[0])]
    with _quiet():
        theirs = _run(torch, lambda lib: lib.nn.functional.conv1d, arrays, kwargs)
    _same(_run(tga, lambda lib: lib.nn.functional.conv1d, arrays, kwargs), theirs)


def test_conv2d_by_hand():
    """A 2×2 kernel of ones over a 3×3 image: each output is the sum of a 2×2 block."""
    x = tga.arange(9.0).reshape(1, 1, 3, 3)
    y = nn.functional.conv2d(x, tga.ones(1, 1, 2, 2))
    assert y.tolist() == [[[[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]]]]


def test_conv2d_second_derivatives_are_torchs(torch, rng):
    x, w = rng.normal(size=(2, 2, 5, 4)), rng.normal(size=(3, 2, 3, 2))

    def second(lib):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = lib.nn.functional.conv2d(xt, wt, stride=2, padding=1)
        gx, gw = lib.autograd.grad((y**2).sum(), (xt, wt), create_graph=True)
        return [g.numpy() for g in lib.autograd.grad((gx**2).sum() + gw.sum(), (xt, wt))]

    _same(second(tga), second(torch), rtol=1e-10, atol=1e-10)


def test_conv2d_in_float32_is_torchs(torch, rng):
    x, w = rng.normal(size=(4, 3, 8, 8)), rng.normal(size=(5, 3, 3, 3))
    arrays = [x.astype(np.float32), w.astype(np.float32)]
    ours = _run(tga, lambda lib: lib.nn.functional.conv2d, arrays, {"padding": 1})
    theirs = _run(torch, lambda lib: lib.nn.functional.conv2d, arrays, {"padding": 1})
    assert ours[0].dtype == np.float32
    _same(ours, theirs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("cls", "args", "kwargs"),
    [
        ("Conv2d", (1, 8, 3), {}),
        ("Conv2d", (4, 8, (3, 5)), {"stride": 2, "padding": 1, "groups": 2, "bias": False}),
        ("Conv2d", (3, 3, 3), {"padding": "same", "dilation": 2}),
        ("Conv1d", (2, 4, 5), {"padding": 2}),
    ],
)
def test_module_repr_parameters_and_initial_bounds_are_torchs(torch, cls, args, kwargs):
    ours, theirs = getattr(nn, cls)(*args, **kwargs), getattr(torch.nn, cls)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    fan_in = np.prod(theirs.weight.shape[1:])
    for p in ours.parameters():
        assert p.dtype == tga.float32
        assert np.abs(p.detach().numpy()).max() <= 1 / np.sqrt(fan_in)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.ones(2, 2, 5, 5)), RuntimeError),
        (lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.ones(5, 5)), RuntimeError),
        (lambda lib: lib.nn.Conv2d(3, 4, 7)(lib.ones(1, 3, 5, 5)), RuntimeError),
        (lambda lib: lib.nn.Conv2d(3, 4, 3, groups=2), ValueError),
        (lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2), ValueError),
        (lambda lib: lib.nn.Conv2d(3, 4, 3, stride=2, padding="same"), ValueError),
        (
            lambda lib: lib.nn.functional.conv2d(
                lib.ones(1, 1, 3, 3), lib.ones(1, 1, 2, 2), padding="full"
            ),
            RuntimeError,
        ),
        (lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.ones(1, 3, 5, 5, dtype=lib.float64)), RuntimeError),
        (
            lambda lib: lib.nn.functional.conv2d(
                lib.ones(1, 3, 5, 5, dtype=lib.float64), lib.ones(4, 3, 3, 3)
            ),
            RuntimeError,
        ),
    ],
)
def test_conv_errors_are_torchs(torch, call, error):
    assert_same_error(call, torch, error)


# -- pooling ---------------------------------------------------------------------------------

POOLS = [
    ("max_pool2d", (2, 3, 6, 7), {"kernel_size": 2}),
    ("max_pool2d", (2, 3, 7, 7), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("max_pool2d", (1, 2, 8, 8), {"kernel_size": (2, 3), "stride": 1, "dilation": 2}),
    ("max_pool2d", (3, 5, 5), {"kernel_size": 2, "stride": 1}),  # no batch axis
    ("max_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool2d", (2, 3, 6, 7), {"kernel_size": 2}),
    ("avg_pool2d", (2, 3, 7, 7), {"kernel_size": 3, "stride": 2, "padding": 1}),
    (
        "avg_pool2d",
        (2, 3, 7, 7),
        {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
    ),
    ("avg_pool2d", (2, 1, 6, 6), {"kernel_size": 3, "divisor_override": 4}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 4, "padding": 2, "count_include_pad": False}),
]


@pytest.mark.parametrize(("name", "shape", "kwargs"), POOLS)
def test_pooling_values_and_gradients_are_torchs(torch, rng, name, shape, kwargs):
    arrays = [rng.normal(size=shape)]

    def function(lib):
        return getattr(lib.nn.functional, name)

    _same(_run(tga, function, arrays, kwargs), _run(torch, function, arrays, kwargs))


def test_max_pool_gives_a_tie_to_the_first_maximum_as_torch(torch):
    """After a ReLU many entries are 0: torch sends each window's gradient to one of them."""
    x = np.maximum(np.sin(np.arange(36.0)).reshape(1, 1, 6, 6), 0)
    x[0, 0, :2, :2] = 0.5  # a window whose four entries tie

    def function(lib):
        return lib.nn.functional.max_pool2d

    ours = _run(tga, function, [x], {"kernel_size": 2})
    _same(ours, _run(torch, function, [x], {"kernel_size": 2}))
    assert ours[1][0, 0, :2, :2].tolist() == [[np.cos(0), 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        ("MaxPool2d", {"kernel_size": 2}),
        ("MaxPool2d", {"kernel_size": (3, 2), "stride": 1, "padding": 1}),
        ("MaxPool1d", {"kernel_size": 3}),
        ("AvgPool2d", {"kernel_size": 2}),
        ("AvgPool2d", {"kernel_size": 3, "stride": (2, 1), "padding": 1}),
        ("AvgPool1d", {"kernel_size": 3, "stride": 2}),
    ],
)
def test_pooling_module_repr_and_output_are_torchs(torch, rng, cls, kwargs):
    ours, theirs = getattr(nn, cls)(**kwargs), getattr(torch.nn, cls)(**kwargs)
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=(2, 3, 7, 6) if cls.endswith("2d") else (2, 3, 8))
    np.testing.assert_allclose(
        ours(tga.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-14
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.functional.max_pool2d(lib.ones(1, 1, 4, 4), 2, padding=2),
        lambda lib: lib.nn.functional.avg_pool2d(lib.ones(1, 1, 4, 4), 3, padding=2),
        lambda lib: lib.nn.functional.max_pool2d(lib.ones(1, 1, 2, 5), 3),
        lambda lib: lib.nn.functional.avg_pool2d(lib.ones(1, 1, 2, 5), 3),
    ],
)
def test_pooling_errors_are_torchs(torch, call):
    assert_same_error(call, torch)


def test_small_cnn_trains_as_torchs(torch, rng):
    """Three SGD steps of conv → relu → pool → batch norm → linear, from the same weights."""
    images = rng.normal(size=(4, 1, 8, 8))
    labels = np.array([0, 2, 1, 2])

    def train(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(
            lib.nn.Conv2d(1, 4, 3, padding=1, dtype=lib.float64),
            lib.nn.ReLU(),
            lib.nn.MaxPool2d(2),
            lib.nn.BatchNorm2d(4, dtype=lib.float64),
            lib.nn.AvgPool2d(2),
            lib.nn.Flatten(),
            lib.nn.Linear(16, 3, dtype=lib.float64),
        )
        for i, p in enumerate(model.parameters()):
            p.data = lib.tensor(np.sin(np.arange(p.numel()) + i).reshape(tuple(p.shape)) / 3)
        opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(model(lib.tensor(images)), lib.tensor(labels))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, [p.detach().numpy() for p in model.parameters()]

    (ours, ours_params), (theirs, theirs_params) = train(tga), train(torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    _same(ours_params, theirs_params, rtol=1e-10, atol=1e-12)
