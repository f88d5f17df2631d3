"""Anomaly mode: under ``detect_anomaly`` a nan or inf gradient is an error that names the op,
its parameters and the user's line that made it. Off by default, and free there; per thread.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import detect_anomaly
from tinygrad_acts.nn import functional as F


def test_detect_anomaly_names_the_op_and_the_users_line():
    x = tga.tensor(np.array([-1.0, 2.0]), requires_grad=True)
    with detect_anomaly():
        y = F.relu(x).log().sum()  # log(0) = -inf; its gradient 1/0 is inf
        with pytest.raises(RuntimeError) as info:
            y.backward()
    message = str(info.value)
    assert "LogBackward" in message and "inf values" in message
    assert "test_anomaly_mode.py" in message and "F.relu(x).log().sum()" in message


def test_detect_anomaly_names_parameters():
    x = tga.tensor(np.array([-1.0, 4.0]), requires_grad=True)
    with detect_anomaly():
        y = F.leaky_relu(x, negative_slope=0.0).sqrt().sum()
        with pytest.raises(RuntimeError, match="SqrtBackward"):
            y.backward()
    nan_input = tga.tensor(np.array([np.nan, 1.0]), requires_grad=True)
    with detect_anomaly():
        z = F.softplus(nan_input, beta=2.0).sum()
        named = r"SoftplusBackward0' \(beta=2\.0, threshold=20\.0\)"
        with pytest.raises(RuntimeError, match=named):
            z.backward()


def test_anomaly_mode_is_off_outside_and_costs_nothing_there():
    x = tga.tensor(np.array([0.0]), requires_grad=True)
    y = x.log().sum()
    assert getattr(y.grad_fn, "stack", None) is None
    y.backward()  # no check: inf flows into .grad silently, as in torch
    assert np.isinf(x.grad.item())


def test_anomaly_mode_is_per_thread():
    seen = {}

    def other():
        seen["other"] = tga.autograd.is_anomaly_enabled()

    with detect_anomaly():
        t = threading.Thread(target=other)
        t.start()
        t.join()
        seen["main"] = tga.autograd.is_anomaly_enabled()
    assert seen == {"other": False, "main": True}
