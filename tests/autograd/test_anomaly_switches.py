"""``set_detect_anomaly`` and the anomaly-mode switches, as torch has them: called, it switches
at once; as a context manager, the previous mode (and its ``check_nan``) comes back after the
block. ``detect_anomaly(check_nan=False)`` is anomaly mode without the NaN check."""

from __future__ import annotations

import warnings

import pytest

import tinygrad_acts as tga


def modes(T):
    """(enabled, check_nan) of ``T``: torch keeps them at the top level, we in autograd."""
    where = T if hasattr(T, "is_anomaly_check_nan_enabled") else T.autograd
    return where.is_anomaly_enabled(), where.is_anomaly_check_nan_enabled()


def test_set_detect_anomaly_switches_and_restores_as_torchs(torch):
    def run(T):
        seen = [modes(T)]
        with T.autograd.set_detect_anomaly(True):
            seen.append(modes(T))
            with T.autograd.set_detect_anomaly(True, check_nan=False):
                seen.append(modes(T))
            seen.append(modes(T))
        seen.append(modes(T))
        switch = T.autograd.set_detect_anomaly(True, check_nan=False)  # at once, not on enter
        seen.append(modes(T))
        with switch:
            pass
        seen.append(modes(T))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that anomaly mode is slow
            with T.autograd.detect_anomaly(check_nan=False):
                seen.append(modes(T))
        seen.append(modes(T))
        return seen

    assert run(tga) == run(torch)
    assert run(tga)[2] == (True, False)


def test_set_detect_anomaly_is_not_a_decorator(torch):
    for T in (tga, torch):
        with pytest.raises(TypeError, match="object is not callable"):
            T.autograd.set_detect_anomaly(False)(lambda: None)


def test_the_hint_of_the_inplace_error_works():
    """Our "modified by an inplace operation" error ends with torch's hint: following it
    enables anomaly mode, and the error stays the same."""
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    with tga.autograd.set_detect_anomaly(True, check_nan=False):
        assert tga.autograd.is_anomaly_enabled()
        y = x * 1
        z = y.sin()  # saves y
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()
    assert not tga.autograd.is_anomaly_enabled()


def test_check_nan_false_lets_a_nan_gradient_through(torch):
    """sqrt at 0 times 0: sqrt's gradient there is 0 · 1/(2·0) = nan. With the NaN check on,
    backward stops; off, the nan reaches .grad, as in torch."""

    def run(T, check_nan):
        x = T.tensor([0.0, 4.0], requires_grad=True)
        with T.autograd.set_detect_anomaly(True, check_nan=check_nan):
            try:
                (x.sqrt() * T.tensor([0.0, 1.0])).sum().backward()
            except RuntimeError as e:
                return "SqrtBackward0' returned nan values" in str(e)
        return str(x.grad.tolist())

    for check_nan in (True, False):
        assert run(tga, check_nan) == run(torch, check_nan)
    assert run(tga, True) is True
    assert run(tga, False) == "[nan, 0.25]"
