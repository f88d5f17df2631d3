"""dtypes as torch chooses them: a Python float makes float32 and an int int64 (and a number
beside a tensor is weak), NumPy arrays and doubles keep float64, integers beyond int64 and other
byte orders are handled, and a gradient keeps its tensor's dtype.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import Tensor, tensor


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1.5, np.float32),
        ([1.0, 2.0], np.float32),
        ([1, 2.5], np.float32),  # one float makes the list float
        (3, np.int64),
        ([1, 2], np.int64),
        (True, np.bool_),
        (np.array([1.0, 2.0]), np.float64),  # a NumPy array keeps float64
        (np.array([1.0], dtype=np.float32), np.float32),
        (np.float64(2.0), np.float64),
    ],
)
def test_dtype_follows_torch(data, dtype):
    assert tensor(data).dtype == dtype
    # torch's class makes floats of lists and takes an int for a size (the legacy constructor);
    # other numbers and arrays as tensor()
    if type(data) is int:
        assert Tensor(data).shape == (data,) and Tensor(data).dtype == np.float32
    else:
        assert Tensor(data).dtype == (np.float32 if isinstance(data, list) else dtype)


def test_the_class_makes_floats_of_a_list_as_torch(torch):
    for data in ([1, 2], [True, False], [[1, 0], [0, 1]]):
        assert str(Tensor(data).dtype) == str(torch.Tensor(data).dtype) == "torch.float32"


def test_explicit_dtype_and_float64_stays():
    assert tensor([1, 2], dtype=tga.float64).dtype == np.float64
    x = tensor(np.arange(3.0), requires_grad=True)
    assert (x * 2.0 + 1).dtype == np.float64
    assert (tensor([1.0]) * 2.5).dtype == np.float32  # Python numbers are weak, as in torch
    assert (tensor([1, 2]) * 2.5).dtype == np.float32  # int tensor and a float: float32


def test_numpy_doubles_in_a_list_make_a_float64_tensor_as_torch():
    """A Python float gives torch's default float32; a NumPy float64 is a double, as in torch."""
    assert tga.tensor([np.float64(1.5)]).dtype == np.float64
    assert tga.tensor([[1.0], [np.float64(2.5)]]).dtype == np.float64
    assert tga.tensor([np.float32(1.5)]).dtype == np.float32
    assert tga.tensor([1.5]).dtype == np.float32
    assert tga.tensor([np.int32(1)]).dtype == np.int32


@pytest.mark.parametrize(
    "data, dtype",
    [([2**63], None), ([-(2**63) - 1], None), ([1, 2**63], None), ([2**63], "int64"),
     ([1.5, 2**70], None), ([2**63], "float64"), ([2**63 - 1], None)],
)  # fmt: skip
def test_python_ints_beyond_int64_as_torch(data, dtype, torch):
    """Refused unless the tensor is floating (NumPy would make uint64 or an object array)."""
    try:
        expected = torch.tensor(data, dtype=getattr(torch, dtype) if dtype else None)
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e)):
            tga.tensor(data, dtype=dtype)
        return
    ours = tga.tensor(data, dtype=dtype)
    assert str(ours.dtype) == str(expected.dtype)
    np.testing.assert_array_equal(ours.array, expected.numpy())


def test_other_byte_orders_become_native():
    """torch refuses a big-endian array; here it is converted, so every kernel (and a
    one-element one, which keeps its input's dtype) sees the machine's byte order."""
    data = np.array([0.5, -2.0], dtype=">f8")
    t = tga.tensor(data, requires_grad=True)
    assert t.dtype == np.float64 and t.array.dtype.isnative
    assert t.tolist() == [0.5, -2.0]
    one = tga.tensor(data[:1], requires_grad=True)
    y = one.sigmoid()
    y.backward()
    assert y.array.dtype.isnative and one.grad.array.dtype.isnative
    assert y.item() == tga.tensor([0.5], dtype=tga.float64).sigmoid().item()


def test_float32_gradients_stay_float32():
    a = tga.tensor([[1.0, 2.0]], requires_grad=True)
    b = tga.tensor(np.array([3.0, 4.0]), requires_grad=True)  # float64
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
