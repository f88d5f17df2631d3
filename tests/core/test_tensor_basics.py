"""A tensor, where reverse mode starts: its data, dtype and shape; ``requires_grad``, which makes
it a leaf that the engine computes a gradient for; the node (``grad_fn``) each op on it records;
and how it converts and prints, as torch's tensors do.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import tensor

# -- a tensor, and the graph its ops record --------------------------------------------------------


def test_attributes():
    x = tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert x.shape == (1, 3) and x.ndim == 2 and x.is_leaf and x.grad is None
    assert x.grad_fn is None and x.requires_grad
    y = x * 2
    assert not y.is_leaf and y.grad_fn.name() == "MulBackward0" and y.requires_grad
    assert x.size() == (1, 3) and x.size(-1) == 3 and x.numel() == 3


def test_conversions():
    x = tensor([[1.0, 2.0]])
    assert x.tolist() == [[1.0, 2.0]]
    assert isinstance(x.numpy(), np.ndarray)
    assert tensor(2.5).item() == 2.5
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        x.item()
    with pytest.raises(RuntimeError, match="detach"):
        tensor([1.0], requires_grad=True).numpy()
    d = tensor([1.0], requires_grad=True).detach()
    assert not d.requires_grad and d.grad_fn is None
    assert f"{tensor(0.123456):.3f}" == "0.123"


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: tensor([1.0, 2.0], requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
        (lambda: tensor(0.5, requires_grad=True) * 1, "tensor(0.5000, grad_fn=<MulBackward0>)"),
        (lambda: tensor([1.5, -2.0]), "tensor([ 1.5000, -2.0000])"),
        (lambda: tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (lambda: tensor([1, 2]), "tensor([1, 2])"),
        (lambda: tensor(np.array([1.5, 2.0])), "tensor([1.5000, 2.0000], dtype=torch.float64)"),
        (lambda: tensor([[1.0, 2.0], [3.0, 4.0]]), "tensor([[1., 2.],\n        [3., 4.]])"),
    ],
)
def test_repr_like_torch(make, text):
    assert repr(make()) == text


def test_comparisons_are_boolean_constants():
    x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad
    assert (x == 2.0).tolist() == [False, True, False]
    assert {x: 1}[x] == 1  # still hashable


# -- requires_grad: floating tensors only, and set on leaves ---------------------------------------


def test_requires_grad_on_integers_is_torchs_error():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can"):
        tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require"):
        tensor([True]).requires_grad_()


def test_casts_to_integers_leave_the_graph_as_torch():
    x = tga.tensor([1.5, 2.5], requires_grad=True)
    assert not x.to(tga.int64).requires_grad
    (x * x.to(tga.int64)).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0]


def test_requires_grad_false_on_non_leaf():
    y = tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad_(False)


def test_grad_property_edges_as_torch():
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="can't assign Variable as its own grad"):
        x.grad = x
    x.grad = tga.tensor([1.0, 1.0])
    del x.grad
    assert x.grad is None
    with pytest.raises(RuntimeError, match="with no values is ambiguous"):
        bool(tga.tensor([]))
    with pytest.raises(TypeError, match='missing 1 required positional arguments: "dims"'):
        x.permute()
