"""dtypes: an activation keeps its input's float dtype, and so does its gradient; integer and
boolean inputs give torch's result and dtype (relu and hardtanh of integers stay integers,
sigmoid computes in float32), or torch's error where torch has no kernel for them.
"""

from __future__ import annotations

import numpy as np
import pytest
from activation_helpers import NAMES

import tinygrad_acts as tga
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(name, dtype):
    entry = ACTIVATIONS[name]
    x = tga.tensor(np.linspace(-2, 2, 8).astype(dtype), requires_grad=True)
    y = entry(x)
    assert y.dtype == dtype
    y.sum().backward()
    assert x.grad.dtype == dtype


def test_integer_input_computes_in_float32():
    assert F.sigmoid(tga.tensor([0, 1])).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize(
    "name, args", [("relu", ()), ("relu6", ()), ("hardtanh", ()), ("hardtanh", (0.5, 3.5))]
)
def test_clamps_of_integers_stay_integers_as_torch(name, args, dtype, torch):
    x = np.array([0, 1, 3, 9, 120], dtype=dtype)
    if np.dtype(dtype).kind == "i":
        x = np.concatenate([x, -x])
    if np.dtype(dtype).kind == "u" and name == "hardtanh" and not args:  # negative min_val
        for f, t in ((torch.nn.functional.hardtanh, torch.tensor), (F.hardtanh, tga.tensor)):
            with pytest.raises(RuntimeError, match="unsigned type with negative limits"):
                f(t(x))
        return
    ours = getattr(F, name)(tga.tensor(x), *args)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x), *args)
    assert ours.dtype == dtype
    np.testing.assert_array_equal(ours.array, theirs.numpy())


def _integer_calls():
    """(id, name in F, extra positional args, keyword args) of every activation."""
    calls = [(n, n, (), {}) for n in NAMES if n not in ("threshold", "prelu", "softmax",
                                                        "log_softmax", "softmin")]  # fmt: skip
    calls += [
        ("threshold", "threshold", (0, 1), {}),
        ("rrelu training", "rrelu", (), {"training": True}),
        ("gelu tanh", "gelu", (), {"approximate": "tanh"}),
        ("softmax 0", "softmax", (0,), {}),
        ("softmax 1", "softmax", (1,), {}),
        ("log_softmax 0", "log_softmax", (0,), {}),
        ("softmin 1", "softmin", (1,), {}),
    ]
    return calls


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool"])
@pytest.mark.parametrize(("case", "name", "args", "kwargs"), _integer_calls(), ids=lambda v: v)
def test_integer_and_boolean_inputs_as_torch(case, name, args, kwargs, dtype, torch):
    """Where torch computes integers (sigmoid, tanh: in float32; relu, hardtanh: as integers)
    the same result and dtype; where it has no kernel for them, its error, word for word."""
    data = np.array([[1, 0], [2, 1]]).astype(dtype)
    outcome = []
    for lib, module in ((tga, F), (torch, torch.nn.functional)):
        try:
            y = getattr(module, name)(lib.tensor(data), *args, **kwargs)
        except (RuntimeError, NotImplementedError) as error:
            outcome.append((type(error), str(error)))
        else:
            values = y.array if lib is tga else y.numpy()
            outcome.append((str(y.dtype).replace("torch.", ""), np.round(values, 5).tolist()))
    assert outcome[0] == outcome[1]
