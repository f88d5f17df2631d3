"""torch's top-level functions (``torch.tanh(x)``, ``torch.sum(x, 1, True)``, ``torch.matmul``,
...): a torch user's first guesses give torch's values, gradients and refusals.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga

_TOP_LEVEL = [
    ("tanh", ()),
    ("sigmoid", ()),
    ("relu", ()),
    ("exp", ()),
    ("log", ()),
    ("sqrt", ()),
    ("abs", ()),
    ("clamp", (0.6, 1.5)),
    ("sum", ()),
    ("sum", (1, True)),
    ("mean", (0,)),
    ("softmax", (1,)),
    ("log_softmax", (0,)),
]


@pytest.mark.parametrize("name, args", _TOP_LEVEL, ids=[f"{n}{a}" for n, a in _TOP_LEVEL])
def test_top_level_functions_as_torch(name, args, torch):
    """torch.tanh(x), torch.sum(x, 1, True), ...: a torch user's first guesses."""
    data = np.array([[0.5, 1.25, 2.0], [0.75, 1.0, 3.0]])
    results = []
    for lib in (tga, torch):
        x = lib.tensor(data, requires_grad=True)
        y = getattr(lib, name)(x, *args)
        (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14)
    if args:  # torch's overloads list their signatures instead: only the type is compared
        with pytest.raises(TypeError, match=r"must be Tensor, not numpy\.ndarray"):
            getattr(tga, name)(np.ones(3), *args)
    else:
        assert_same_error(lambda lib: getattr(lib, name)(np.ones(3)), torch, TypeError)


def test_top_level_matmul_and_softmax_without_dim_as_torch(torch):
    a = np.arange(6.0).reshape(2, 3)
    ours = tga.matmul(tga.tensor(a), tga.tensor(a.T))
    np.testing.assert_array_equal(ours.numpy(), torch.matmul(torch.tensor(a), torch.tensor(a.T)))
    assert_same_error(lambda lib: lib.softmax(lib.ones(2)), torch, TypeError)


# torch's names this package has at its top level too, as ``torch.<name>``.
TOP_LEVEL_NAMES = (
    "tensor as_tensor from_numpy zeros ones full empty arange linspace logspace zeros_like "
    "ones_like full_like empty_like rand randn randint randperm normal rand_like randn_like "
    "randint_like manual_seed device cuda backends set_default_device get_default_device "
    "set_default_dtype get_default_dtype set_printoptions Size "
    "reshape flatten unflatten squeeze unsqueeze transpose permute movedim moveaxis flip narrow "
    "select unbind split chunk index_select gather scatter scatter_add masked_fill numel cat "
    "stack where"
).split()


@pytest.mark.parametrize("name", TOP_LEVEL_NAMES)
def test_torchs_top_level_names_are_here(name, torch):
    assert hasattr(torch, name)
    assert getattr(tga, name) is not None and name in tga.__all__
