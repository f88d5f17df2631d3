"""The loss functions and modules against torch: values and gradients, every reduction,
extreme inputs, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.nn import functional as F

REDUCTIONS = ["mean", "sum", "none"]


def _pair(torch, array, requires_grad=True):
    """The same float64 data as our Tensor and as a torch tensor."""
    ours = tga.tensor(array, requires_grad=requires_grad and array.dtype.kind == "f")
    theirs = torch.tensor(array, requires_grad=requires_grad and array.dtype.kind == "f")
    return ours, theirs


def _check(torch, name, inputs, grad_of=(0,), **kwargs):
    """Call F.<name> in both libraries; compare the loss and the gradients of ``grad_of``."""
    pairs = [_pair(torch, a, requires_grad=i in grad_of) for i, a in enumerate(inputs)]
    ours = getattr(F, name)(*[p[0] for p in pairs], **kwargs)
    theirs = getattr(torch.nn.functional, name)(*[p[1] for p in pairs], **kwargs)
    expected = theirs.detach().numpy()
    assert ours.shape == tuple(expected.shape), name
    np.testing.assert_allclose(ours.array, expected, rtol=1e-12, atol=1e-12, err_msg=name)
    seed = np.linspace(0.5, 1.5, max(expected.size, 1)).reshape(expected.shape)
    ours.backward(tga.tensor(seed))
    theirs.backward(torch.tensor(seed))
    for i in grad_of:
        ours_grad, theirs_grad = pairs[i][0].grad, pairs[i][1].grad
        assert np.all(np.isfinite(ours_grad.array)), f"{name}: gradient {i} not finite"
        np.testing.assert_allclose(
            ours_grad.array, theirs_grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=f"{name} grad {i}"
        )
    return ours


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_losses_match_torch(torch, rng, name, reduction):
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    y[0, 0] = x[0, 0]  # l1's kink: gradient 0 there, as torch
    _check(torch, name, [x, y], grad_of=(0, 1), reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_losses_with_weight_match_torch(torch, rng, name, reduction):
    x, y, w = rng.normal(size=(4, 2)), rng.normal(size=(4, 2)), rng.uniform(size=(4, 2))
    _check(torch, name, [x, y], reduction=reduction, weight=None)
    ours = getattr(F, name)(tga.tensor(x), tga.tensor(y), reduction=reduction, weight=tga.tensor(w))
    theirs = getattr(torch.nn.functional, name)(
        torch.tensor(x), torch.tensor(y), reduction=reduction, weight=torch.tensor(w)
    )
    np.testing.assert_allclose(ours.array, theirs.numpy(), rtol=1e-12)


def test_mse_with_broadcast_target_warns_as_torch(torch, rng):
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 1))
    with pytest.warns(UserWarning, match="Using a target size"):
        ours = F.mse_loss(tga.tensor(x), tga.tensor(y))
    with pytest.warns(UserWarning, match="Using a target size"):
        theirs = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y))
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)


def test_mse_with_target_that_does_not_broadcast_raises():
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="must match the size"):
        F.mse_loss(tga.zeros(4, 3), tga.zeros(5, 3))


ROBUST = [
    ("smooth_l1_loss", {}),
    ("smooth_l1_loss", {"beta": 0.5}),
    ("smooth_l1_loss", {"beta": 0.0}),
    ("huber_loss", {}),
    ("huber_loss", {"delta": 2.5}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "kwargs"), ROBUST)
def test_robust_regression_losses_match_torch(torch, rng, name, kwargs, reduction):
    x, y = 2 * rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    _check(torch, name, [x, y], grad_of=(0, 1), reduction=reduction, **kwargs)


KINKS = {  # (function, its parameters, where its derivative has a kink or a jump)
    "l1 at 0": ("l1_loss", {}, [0.0]),
    "smooth l1 at ±beta": ("smooth_l1_loss", {"beta": 0.5}, [-0.5, 0.5]),
    "smooth l1 at ±1": ("smooth_l1_loss", {}, [-1.0, 1.0]),
    "smooth l1 of beta 0 at 0": ("smooth_l1_loss", {"beta": 0.0}, [0.0]),
    "huber at ±delta": ("huber_loss", {"delta": 2.0}, [-2.0, 2.0]),
    "huber at ±1": ("huber_loss", {}, [-1.0, 1.0]),
}


@pytest.mark.parametrize("case", KINKS)
def test_derivatives_at_the_kinks_and_at_infinity_are_torchs(torch, case):
    """The first derivative exactly (0 at l1's kink; continuous, ±1 or ±δ, at the others) and
    the second (1/β strictly inside |d| < β, so 0 at the kink) where torch has one; at ±inf
    the gradient is the slope of the linear part."""
    name, kwargs, kinks = KINKS[case]
    d = np.array([-np.inf, -3.0, *kinks, 0.0, 0.25, 3.0, np.inf])
    results = []
    for lib in (tga, torch):
        x = lib.tensor(d, requires_grad=True)
        loss = getattr(lib.nn.functional, name)(x, lib.zeros(d.size, dtype=lib.float64), **kwargs)
        (first,) = lib.autograd.grad(loss, x, create_graph=True)
        second = None
        if name != "l1_loss" and kwargs.get("beta", 1.0) > 0:
            (second,) = lib.autograd.grad(first.sum(), x)
        results.append([loss.item(), first.detach().numpy(), None if second is None else second])
    (loss, first, second), (t_loss, t_first, t_second) = results
    assert loss == t_loss
    np.testing.assert_array_equal(first, t_first)
    if second is not None:
        np.testing.assert_array_equal(second.numpy(), t_second.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_huber_with_weight_matches_torch(torch, rng, reduction):
    """Each term times its weight; 'mean' is the mean of the products (not Σwℓ/Σw)."""
    x, y, w = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    results = []
    for lib in (tga, torch):
        xt = lib.tensor(x, requires_grad=True)
        loss = lib.nn.functional.huber_loss(
            xt, lib.tensor(y), reduction=reduction, delta=0.7, weight=lib.tensor(w)
        )
        loss.sum().backward()
        results.append((loss.detach().numpy(), xt.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)


def test_huber_keeps_the_inputs_dtype_as_torch(torch):
    """torch's huber computes in the promoted dtype and returns the input's."""
    x, y = np.array([0.1, 0.3, 2.7], np.float32), np.array([1 / 3, 0.123456789012, -0.7])
    ours = F.huber_loss(tga.tensor(x), tga.tensor(y), reduction="none")
    theirs = torch.nn.functional.huber_loss(torch.tensor(x), torch.tensor(y), reduction="none")
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours.array, theirs.numpy())
    mixed = F.smooth_l1_loss(tga.tensor(x), tga.tensor(y))  # smooth_l1 promotes
    assert mixed.dtype == np.float64


# The gradient of the gradient, against torch: losses whose second derivative is not zero.
# (BCE's to 1e-10 only: torch's rule adds its ε = 1e-12 to x(1 - x); ours is exact, to
# 1 ulp of y/x² + (1 - y)/(1 - x)².)
SECOND = {
    "mse": ("mse_loss", lambda r: [r.normal(size=(4, 3)), r.normal(size=(4, 3))], {}),
    "smooth l1": ("smooth_l1_loss", lambda r: [r.normal(size=(4, 3)), r.normal(size=(4, 3))], {}),
    "huber": ("huber_loss", lambda r: [r.normal(size=(4, 3)), r.normal(size=(4, 3))], {}),
    "bce": (
        "binary_cross_entropy",
        lambda r: [r.uniform(0.05, 0.95, (4, 3)), r.uniform(size=(4, 3))],
        {},
    ),
    "bce with logits": (
        "binary_cross_entropy_with_logits",
        lambda r: [r.normal(size=(4, 3)), r.uniform(size=(4, 3))],
        {},
    ),
    "cross entropy": (
        "cross_entropy",
        lambda r: [r.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])],
        {"label_smoothing": 0.1},
    ),
    "cross entropy of probabilities": (
        "cross_entropy",
        lambda r: [r.normal(size=(5, 4)), r.dirichlet(np.ones(4), size=5)],
        {},
    ),
}


@pytest.mark.parametrize("case", SECOND)
def test_second_derivatives_match_torch(torch, rng, case):
    name, make, kwargs = SECOND[case]
    arrays = make(rng)
    direction = rng.normal(size=arrays[0].shape)
    results = []
    for lib in (tga, torch):
        x = lib.tensor(arrays[0], requires_grad=True)
        loss = getattr(lib.nn.functional, name)(x, lib.tensor(arrays[1]), **kwargs)
        (first,) = lib.autograd.grad(loss, x, create_graph=True)
        (second,) = lib.autograd.grad((first * lib.tensor(direction)).sum(), x)
        results.append(second.numpy())
    rtol = 1e-10 if case == "bce" else 1e-12
    np.testing.assert_allclose(results[0], results[1], rtol=rtol, atol=1e-14)
    if case == "bce":
        x, y = arrays
        exact = (y / x**2 + (1 - y) / (1 - x) ** 2) * direction / x.size
        np.testing.assert_allclose(results[0], exact, rtol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_matches_torch(torch, rng, reduction):
    x = rng.uniform(0.01, 0.99, size=(6,))
    y = rng.uniform(size=(6,))
    _check(torch, "binary_cross_entropy", [x, y], grad_of=(0, 1), reduction=reduction)
    w = rng.uniform(size=(6,))
    _check(torch, "binary_cross_entropy", [x, y, w], reduction=reduction)


def test_binary_cross_entropy_clamps_log_at_minus_100(torch):
    # Probabilities of exactly 0 and 1 that are wrong: each log is clamped, so the loss is
    # 100 per element (not inf), and the gradient is torch's (x - y) / max(x(1 - x), 1e-12).
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-50])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    ours = _check(torch, "binary_cross_entropy", [x, y], reduction="none")
    np.testing.assert_array_equal(ours.array, [100.0, 100.0, 0.0, 0.0, 100.0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_matches_torch_at_extreme_logits(torch, reduction):
    x = np.array([-1e4, -50.0, -1.0, 0.0, 2.0, 50.0, 1e4, 1e4, -1e4])
    y = np.array([0.0, 1.0, 0.3, 0.5, 1.0, 0.0, 1.0, 0.0, 1.0])
    ours = _check(
        torch, "binary_cross_entropy_with_logits", [x, y], grad_of=(0, 1), reduction=reduction
    )
    assert np.all(np.isfinite(ours.array))


def test_bce_with_logits_weight_and_pos_weight_match_torch(torch, rng):
    x, y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    w, pw = rng.uniform(size=(3,)), rng.uniform(0.5, 3, size=(3,))
    (xo, xt), (yo, yt) = _pair(torch, x), _pair(torch, y, False)
    ours = F.binary_cross_entropy_with_logits(xo, yo, tga.tensor(w), pos_weight=tga.tensor(pw))
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(
        xt, yt, torch.tensor(w), pos_weight=torch.tensor(pw)
    )
    ours.backward()
    theirs.backward()
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)
    np.testing.assert_allclose(xo.grad.array, xt.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_losses_match_torch(torch, rng, name, reduction):
    x = rng.normal(size=(6, 4))
    if name == "nll_loss":
        x = x - np.log(np.exp(x).sum(1, keepdims=True))
    y = np.array([0, 3, 1, 1, 2, 3])
    _check(torch, name, [x, y], reduction=reduction)
    w = rng.uniform(0.2, 2, size=(4,))
    y_ignored = np.array([0, -100, 1, 1, 2, 3])
    ours = _pair(torch, w, False)
    (xo, xt), (yo, yt) = _pair(torch, x), _pair(torch, y_ignored)
    a = getattr(F, name)(xo, yo, weight=ours[0], reduction=reduction)
    b = getattr(torch.nn.functional, name)(xt, yt, weight=ours[1], reduction=reduction)
    np.testing.assert_allclose(a.array, b.detach().numpy(), rtol=1e-12)
    a.sum().backward()
    b.sum().backward()
    np.testing.assert_allclose(xo.grad.array, xt.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_matches_torch_at_extreme_logits(torch, reduction):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0], [1e4, 1e4, -1e4], [0.0, 0.0, 0.0]])
    y = np.array([1, 1, 2, 0])
    ours = _check(torch, "cross_entropy", [x, y], reduction=reduction)
    assert np.all(np.isfinite(ours.array))
    if reduction == "none":  # row 2: log(e^1e4 + e^1e4 + e^-1e4) - (-1e4) = 2e4 + log 2
        assert ours.array[2] == pytest.approx(2e4 + np.log(2), rel=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_spatial_soft_targets_and_smoothing_match_torch(torch, rng, reduction):
    x = rng.normal(size=(2, 3, 4))  # (N, C, d1)
    y = rng.integers(0, 3, size=(2, 4))
    y[0, 1] = 7  # ignored below
    _check(torch, "cross_entropy", [x, y], reduction=reduction, ignore_index=7)
    _check(torch, "cross_entropy", [x, y], reduction=reduction, ignore_index=7, label_smoothing=0.2)
    probs = rng.dirichlet(np.ones(3), size=(2, 4)).transpose(0, 2, 1)
    _check(torch, "cross_entropy", [x, probs], grad_of=(0, 1), reduction=reduction)
    _check(torch, "cross_entropy", [x, probs], reduction=reduction, label_smoothing=0.1)


def test_cross_entropy_smoothing_with_weights_and_unbatched_input_match_torch(torch, rng):
    x, w = rng.normal(size=(5, 4)), rng.uniform(0.5, 2, size=(4,))
    y = np.array([0, 1, 2, 3, 1])
    for reduction in REDUCTIONS:
        a = F.cross_entropy(
            tga.tensor(x), tga.tensor(y), tga.tensor(w), label_smoothing=0.3, reduction=reduction
        )
        b = torch.nn.functional.cross_entropy(
            torch.tensor(x),
            torch.tensor(y),
            torch.tensor(w),
            label_smoothing=0.3,
            reduction=reduction,
        )
        np.testing.assert_allclose(a.array, b.numpy(), rtol=1e-12)
    _check(torch, "cross_entropy", [x[0], np.array(2)])


def test_nll_loss_mean_with_every_target_ignored_is_nan_as_torch():
    loss = F.nll_loss(tga.zeros(2, 3), tga.tensor([-100, -100]))
    assert np.isnan(loss.item())


def test_loss_modules_call_their_functions(torch, rng):
    x, p = rng.normal(size=(4, 3)), rng.uniform(0.1, 0.9, size=(4, 3))
    y, c = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    w = rng.uniform(size=(3,))
    cases = [
        ("MSELoss", {"reduction": "sum"}, x, y),
        ("L1Loss", {}, x, y),
        ("SmoothL1Loss", {"beta": 0.3}, x, y),
        ("HuberLoss", {"delta": 0.4, "reduction": "sum"}, x, y),
        ("BCELoss", {}, p, p[::-1].copy()),
        ("BCEWithLogitsLoss", {"pos_weight": w}, x, p),
        ("CrossEntropyLoss", {"weight": w, "label_smoothing": 0.1}, x, c),
        ("NLLLoss", {"ignore_index": 2}, x, c),
    ]
    for name, kwargs, a, b in cases:
        ours = getattr(nn, name)(
            **{k: tga.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        )
        theirs = getattr(torch.nn, name)(
            **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        )
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        got = ours(tga.tensor(a), tga.tensor(b)).item()
        assert got == pytest.approx(theirs(torch.tensor(a), torch.tensor(b)).item(), rel=1e-12)


# -- errors ----------------------------------------------------------------------------------


def test_class_index_out_of_range_is_torchs_index_error():
    x = tga.zeros(4, 3)
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        F.cross_entropy(x, tga.tensor([0, 1, 5, 2]))
    with pytest.raises(IndexError, match=r"^Target -3 is out of bounds\.$"):
        F.nll_loss(x, tga.tensor([0, 1, -3, 2]))


def test_class_target_shape_and_dtype_errors_are_torchs():
    x = tga.zeros(4, 3)
    with pytest.raises(
        ValueError,
        match=r"Expected input batch_size \(4\) to match target "
        r"batch_size \(3\)\.",
    ):
        F.cross_entropy(x, tga.tensor([0, 1, 2]))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        F.cross_entropy(x, tga.zeros(4, 2))
    with pytest.raises(
        RuntimeError, match="expected target dtype to be Long or Byte, but got Float"
    ):
        F.cross_entropy(x, tga.tensor([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 5\], got \[2, 4\]"):
        F.cross_entropy(tga.zeros(2, 3, 5), tga.tensor(np.zeros((2, 4), dtype=np.int64)))
    with pytest.raises(
        RuntimeError,
        match="for all 3 classes or no classes but got weight "
        r"tensor of shape: \[2\]",
    ):
        F.nll_loss(x, tga.tensor([0, 1, 1, 1]), weight=tga.ones(2))


BINARY_MISTAKES = {
    "logits target of another shape": (
        ValueError,
        lambda L: L.nn.functional.binary_cross_entropy_with_logits(L.zeros(3), L.zeros(3, 1)),
    ),
    "probabilities target of another shape": (
        ValueError,
        lambda L: L.nn.functional.binary_cross_entropy(L.zeros(3), L.zeros(3, 1)),
    ),
    "probability above 1": (
        RuntimeError,
        lambda L: L.nn.functional.binary_cross_entropy(L.tensor([1.5]), L.tensor([1.0])),
    ),
}


@pytest.mark.parametrize("case", BINARY_MISTAKES)
def test_binary_loss_shape_and_range_errors_are_torchs(torch, case):
    error, call = BINARY_MISTAKES[case]
    assert_same_error(call, torch, error)


def test_bad_reduction_and_arguments():
    with pytest.raises(ValueError, match=r"^avg is not a valid value for reduction$"):
        F.mse_loss(tga.zeros(2), tga.zeros(2), reduction="avg")
    with pytest.raises(
        TypeError,
        match=r"mse_loss\(\): argument 'target' \(position 2\) must "
        "be Tensor, not list",
    ):
        F.mse_loss(tga.zeros(1), [1.0])
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        loss = F.mse_loss(tga.tensor([1.0, 2.0]), tga.tensor([0.0, 0.0]), size_average=False)
    assert loss.item() == 5.0  # 1² + 2², summed


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_with_every_target_ignored_is_nan_with_zero_gradient(torch, label_smoothing):
    """A batch of padding only: the mean is 0/0 = nan in both, but torch's gradient is 0."""
    x = np.array([[1.0, 2.0], [0.5, 0.1]])
    ours, theirs = _pair(torch, x)
    loss = F.cross_entropy(
        ours, tga.tensor([1, 1]), ignore_index=1, label_smoothing=label_smoothing
    )
    their_loss = torch.nn.functional.cross_entropy(
        theirs, torch.tensor([1, 1]), ignore_index=1, label_smoothing=label_smoothing
    )
    assert np.isnan(loss.item()) and np.isnan(their_loss.item())
    loss.backward()
    their_loss.backward()
    np.testing.assert_array_equal(ours.grad.array, theirs.grad.numpy())


@pytest.mark.parametrize(
    "target, weight, label_smoothing",
    [
        ([0, 0], [0.0, 1.0, 1.0], 0.2),
        ([0, 1], [1.0, -1.0, 1.0], 0.0),
        ([0, 0], [0.0, 1.0, 1.0], 0.0),
    ],
)
def test_cross_entropy_with_zero_total_weight_follows_torch(torch, target, weight, label_smoothing):
    """Σw = 0 without every target ignored: torch's loss and gradient are inf/nan, not 0."""
    x = np.array([[1.0, 2.0, 0.5], [0.5, 0.1, -1.0]])
    ours, theirs = _pair(torch, x)
    loss = F.cross_entropy(
        ours,
        tga.tensor(target),
        weight=tga.tensor(np.array(weight)),
        label_smoothing=label_smoothing,
    )
    their_loss = torch.nn.functional.cross_entropy(
        theirs,
        torch.tensor(target),
        weight=torch.tensor(weight, dtype=torch.float64),
        label_smoothing=label_smoothing,
    )
    np.testing.assert_array_equal(loss.item(), their_loss.item())
    loss.backward()
    their_loss.backward()
    np.testing.assert_array_equal(ours.grad.array, theirs.grad.numpy())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_ignored_rows_holding_nan_or_inf_add_nothing_as_torch(torch, reduction, label_smoothing):
    """A padding row may hold nan or -inf: its ignored target adds exactly 0 to the loss and
    to the gradient, as torch skips it (0·nan would be nan)."""
    rows = np.array([[np.nan, 0.0, 0.0], [-1.0, -2.0, -3.0], [-np.inf, -np.inf, -np.inf]])
    target = np.array([-100, 1, -100])
    x = tga.tensor(rows, requires_grad=True)
    tx = torch.tensor(rows, requires_grad=True)
    ours = F.nll_loss(x, tga.tensor(target), reduction=reduction)
    theirs = torch.nn.functional.nll_loss(tx, torch.tensor(target), reduction=reduction)
    np.testing.assert_array_equal(ours.array, theirs.detach().numpy())
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_array_equal(x.grad.array, tx.grad.numpy())
    assert not np.signbit(x.grad.array[0]).any()  # +0 where ignored, as torch
    logits = np.array([[-np.inf, -np.inf, -np.inf], [1.0, 2.0, 3.0]])
    ours = F.cross_entropy(
        tga.tensor(logits),
        tga.tensor([-100, 1]),
        reduction=reduction,
        label_smoothing=label_smoothing,
    )
    theirs = torch.nn.functional.cross_entropy(
        torch.tensor(logits),
        torch.tensor([-100, 1]),
        reduction=reduction,
        label_smoothing=label_smoothing,
    )
    np.testing.assert_allclose(ours.array, theirs.numpy(), rtol=1e-15)


def test_one_sample_class_as_a_one_element_vector(torch):
    """torch takes a (C,) input with a (1,) target as one sample (its backward then fails;
    here it works)."""
    logits = [1.0, 2.0, 3.0]
    for reduction in ("none", "mean", "sum"):
        ours = F.cross_entropy(tga.tensor(logits), tga.tensor([1]), reduction=reduction)
        theirs = torch.nn.functional.cross_entropy(
            torch.tensor(logits), torch.tensor([1]), reduction=reduction
        )
        assert ours.shape == () and ours.item() == pytest.approx(theirs.item(), rel=1e-6)
    x = tga.tensor(logits, dtype=np.float64, requires_grad=True)
    F.cross_entropy(x, tga.tensor([1])).backward()
    softmax = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(x.grad.array, softmax - [0, 1, 0], rtol=1e-12)


def test_class_targets_and_weights_of_other_dtypes_in_torch_words(torch):
    x = np.ones((2, 3), np.float32)
    for target in (np.array([0, 1], np.int32), np.array([True, False])):
        assert_same_error(
            lambda L, t=target: L.nn.functional.cross_entropy(L.tensor(x), L.tensor(t)), torch
        )
    byte = F.cross_entropy(tga.tensor(x), tga.tensor(np.array([0, 1], np.uint8)))
    assert byte.item() == pytest.approx(np.log(3))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        F.nll_loss(tga.tensor(x), tga.tensor([0, 1]), weight=tga.tensor(np.ones(3)))


def test_integer_targets_of_the_input_shape_are_refused_as_torch(torch):
    for shape in [(1,), (2, 3)]:
        assert_same_error(
            lambda L, s=shape: L.nn.functional.cross_entropy(
                L.tensor(np.ones(s, np.float32)), L.tensor(np.zeros(s, np.int64))
            ),
            torch,
        )


LOSS_MISTAKES = {
    "nan target": lambda L: L.nn.functional.binary_cross_entropy(
        L.tensor([0.2, 0.7]), L.tensor([0.0, float("nan")])
    ),
    "float64 target": lambda L: L.nn.functional.binary_cross_entropy(
        L.tensor([0.2, 0.7]), L.tensor(np.array([0.0, 1.0]))
    ),
    "integer target with logits": lambda L: L.nn.functional.binary_cross_entropy_with_logits(
        L.tensor([0.2, 0.7]), L.tensor([0, 1])
    ),
    "pos_weight requiring grad": lambda L: L.nn.functional.binary_cross_entropy_with_logits(
        L.tensor([0.2, 0.7]), L.tensor([0.0, 1.0]), pos_weight=L.tensor([2.0], requires_grad=True)
    ),
    "probabilities with ignore_index": lambda L: L.nn.functional.cross_entropy(
        L.tensor(np.ones((2, 3), np.float32)),
        L.tensor(np.full((2, 3), 1 / 3, np.float32)),
        ignore_index=1,
    ),
    "0-d input to linear": lambda L: L.nn.functional.linear(
        L.tensor(1.0), L.tensor(np.ones((2, 3), np.float32))
    ),
    "negative beta": lambda L: L.nn.functional.smooth_l1_loss(L.ones(2), L.ones(2), beta=-1.0),
    "zero delta": lambda L: L.nn.functional.huber_loss(L.ones(2), L.ones(2), delta=0.0),
    "smooth l1 of integers": lambda L: L.nn.functional.smooth_l1_loss(
        L.ones(2).long(), L.ones(2).long()
    ),
    "huber of integers": lambda L: L.nn.functional.huber_loss(L.ones(2).long(), L.ones(2).long()),
    "huber of integers against floats": lambda L: L.nn.functional.huber_loss(
        L.ones(2).long(), L.ones(2)
    ),
    "huber weights of another shape": lambda L: L.nn.functional.huber_loss(
        L.ones(2, 2), L.ones(2, 2), weight=L.ones(2)
    ),
    "huber weighted, no such reduction": lambda L: L.nn.functional.huber_loss(
        L.ones(2), L.ones(2), weight=L.ones(2), reduction="avg"
    ),
    "l1 weighted, no such reduction": lambda L: L.nn.functional.l1_loss(
        L.ones(2), L.ones(2), weight=L.ones(2), reduction="avg"
    ),
    "mse weighted, no such reduction": lambda L: L.nn.functional.mse_loss(
        L.ones(2), L.ones(2), weight=L.ones(2), reduction="avg"
    ),
    "smooth l1, no such reduction": lambda L: L.nn.functional.smooth_l1_loss(
        L.ones(2), L.ones(2), reduction="avg"
    ),
}


@pytest.mark.parametrize("case", LOSS_MISTAKES)
def test_loss_mistakes_in_torch_words(torch, case):
    error = ValueError if "reduction" in case or "shape" in case else Exception
    assert_same_error(LOSS_MISTAKES[case], torch, error)


def test_one_probability_of_one_class_is_a_probability_target(torch):
    """(C,) = (1,) input and a float (1,) target: probabilities, not one sample's class."""
    ours = F.cross_entropy(tga.tensor([0.1]), tga.tensor([1.0]))
    theirs = torch.nn.functional.cross_entropy(torch.tensor([0.1]), torch.tensor([1.0]))
    assert ours.item() == theirs.item() == 0.0


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_of_no_classes_as_torch(reduction, label_smoothing, torch):
    """C = 0 with probability targets: torch's nan mean and -0 sums (a ZeroDivisionError once)."""
    zeros = np.zeros((2, 0))
    ours = tga.nn.functional.cross_entropy(
        tga.tensor(zeros), tga.tensor(zeros), reduction=reduction, label_smoothing=label_smoothing
    )
    theirs = torch.nn.functional.cross_entropy(
        torch.tensor(zeros),
        torch.tensor(zeros),
        reduction=reduction,
        label_smoothing=label_smoothing,
    )
    np.testing.assert_array_equal(ours.array, theirs.numpy())  # nan where torch's is nan
    if reduction != "mean":
        assert np.all(np.signbit(ours.array)) and np.all(np.signbit(theirs.numpy()))


@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_bce_refuses_a_weight_that_requires_grad_as_torch(name, torch):
    def call(lib):
        x = lib.ones(2, 3) * 0.5
        w = lib.ones(3, requires_grad=True)
        return getattr(lib.nn.functional, name)(x, lib.ones(2, 3), weight=w)

    assert_same_error(call, torch)
