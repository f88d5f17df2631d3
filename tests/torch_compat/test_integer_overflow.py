"""A float that an integer tensor cannot hold is refused in torch's words, never wrapped."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.nn import functional as F

CASES = [
    (np.uint8, 0.5, -1.0),
    (np.uint8, 0.5, 255.5),
    (np.uint8, 300.0, 2.0),
    (np.uint8, 0.5, float("nan")),
    (np.int8, 0.5, 127.5),
    (np.int8, 0.5, -128.5),
    (np.int16, 0.5, 1e30),
    (np.int32, 0.5, 1e30),
    (np.int64, 0.5, 1e30),
    (np.uint8, 0.5, 2.0),
    (np.uint8, 0.5, 1.5),
    (np.uint8, 0.5, -1),  # a Python int wraps, in torch too
    (np.int8, 0.5, -0.5),
    (np.int64, 0.5, -1.0),
]


@pytest.mark.parametrize(("dtype", "threshold", "value"), CASES, ids=str)
def test_threshold_of_integers_as_torch(dtype, threshold, value, torch):
    x = np.array([0, 1, 5, 100], dtype=dtype)
    try:
        expected = torch.nn.functional.threshold(torch.from_numpy(x), threshold, value).numpy()
    except RuntimeError as error:
        with pytest.raises(RuntimeError, match=str(error)):
            F.threshold(tga.tensor(x), threshold, value)
        return
    got = F.threshold(tga.tensor(x), threshold, value)
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()


def test_uint8_threshold_with_a_negative_value_is_refused():
    """The issue's case: [0, 1, 5, 200] with value -1.0 gave [255, 1, 5, 200]."""
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without"):
        F.threshold(tga.tensor(np.array([0, 1, 5, 200], dtype=np.uint8)), 0.5, -1.0)
