"""A tensor's basics as torch has them: its sizes (``dim``, ``numel``, ``size``), its values as
Python and NumPy data, conversions to other dtypes and devices (``to`` in all its forms,
``float``, ``long``, ``type`` …) with their gradients, copies and contiguity, and the warning
when the empty ``.grad`` of a non-leaf is read (torch's, #20 item 16).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga


def _matrix(lib):
    return lib.tensor([[1.5, -2.25, 3.0], [0.0, 7.75, -1.0]])


BASICS = {
    "dim": lambda lib: _matrix(lib).dim(),
    "numel": lambda lib: _matrix(lib).numel(),
    "size": lambda lib: list(_matrix(lib).size()),
    "size(dim)": lambda lib: _matrix(lib).size(1),
    "size(-1)": lambda lib: _matrix(lib).size(-1),
    "ndim": lambda lib: lib.tensor(1.0).ndim,
    "item": lambda lib: lib.tensor([2.5]).item(),
    "item of an int": lambda lib: lib.tensor([[7]]).item(),
    "item of many": lambda lib: _matrix(lib).item(),
    "tolist": lambda lib: _matrix(lib).tolist(),
    "tolist of a 0-d": lambda lib: lib.tensor(3).tolist(),
    "element_size": lambda lib: [
        lib.ones(1, dtype=d).element_size() for d in (lib.float16, lib.float64, lib.int32, lib.bool)
    ],
    "index": lambda lib: [10, 20, 30][lib.tensor(1)],
    "index of a float": lambda lib: [10, 20][lib.tensor(1.0)],
    "len": lambda lib: len(_matrix(lib)),
    "float()": lambda lib: float(lib.tensor([2.5])),
    "int()": lambda lib: int(lib.tensor(-2.7)),
    "float of many": lambda lib: float(lib.ones(2)),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BASICS))
def test_basics_as_torch(case, torch):
    assert outcome(BASICS[case], tga) == outcome(BASICS[case], torch)


CONVERSIONS = {
    "to(dtype)": lambda x, lib: x.to(lib.float64),
    "to(int64)": lambda x, lib: x.to(lib.int64),
    "to(float)": lambda x, lib: x.to(float),
    "to(int)": lambda x, lib: x.to(int),
    "to('cpu')": lambda x, lib: x.to("cpu"),
    "to(device)": lambda x, lib: x.to(lib.device("cpu")),
    "to(device, dtype)": lambda x, lib: x.to("cpu", lib.float64),
    "to(keywords)": lambda x, lib: x.to(device="cpu", dtype=lib.float16),
    "to(other)": lambda x, lib: x.to(lib.ones(1, dtype=lib.float64)),
    "to(copy)": lambda x, lib: x.to(lib.float32, copy=True),
    "cpu": lambda x, lib: x.cpu(),
    "float": lambda x, lib: x.float(),
    "double": lambda x, lib: x.double(),
    "half": lambda x, lib: x.half(),
    "long": lambda x, lib: x.long(),
    "int": lambda x, lib: x.int(),
    "bool": lambda x, lib: x.bool(),
    "type(dtype)": lambda x, lib: x.type(lib.float64),
    "type(name)": lambda x, lib: x.type("torch.DoubleTensor"),
    "type(int name)": lambda x, lib: x.type("torch.IntTensor"),
    "clone": lambda x, lib: x.clone(),
    "contiguous": lambda x, lib: x.contiguous(),
    "contiguous of a transpose": lambda x, lib: x.T.contiguous(),
}


@pytest.mark.parametrize("case", sorted(CONVERSIONS))
def test_conversions_and_their_gradients_as_torch(case, torch):
    """Values, dtype, whether the result is the tensor itself and still in the graph, and the
    gradient that reaches the tensor."""
    convert = CONVERSIONS[case]
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[1.7, -1.7, 0.0], [2.5, -0.5, 300.0]], requires_grad=True)
        y = convert(x, lib)
        results.append([outcome(lambda _, y=y: y.detach(), lib), y is x, y.requires_grad])
        if y.requires_grad:
            weights = lib.tensor(np.arange(6.0).reshape(y.shape)).to(y.dtype)
            (y * weights).sum().backward()
            results[-1].append(x.grad.tolist())
    assert results[0] == results[1]


def test_type_names_as_torch(torch):
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "bool"):
        dtype = getattr(torch, name)
        assert tga.ones(1, dtype=np.dtype(name)).type() == torch.ones(1, dtype=dtype).type()
    assert_same_error(lambda lib: lib.ones(1).type("float"), torch, ValueError)


def test_conversion_mistakes_in_torchs_words(torch):
    assert_same_error(lambda lib: lib.tensor(2.5).__index__(), torch, TypeError)
    assert_same_error(lambda lib: lib.ones(2).to("float32"), torch, RuntimeError)
    assert_same_error(lambda lib: lib.ones(2).to("tpu"), torch, RuntimeError)
    assert_same_error(lambda lib: lib.ones(2).to(5), torch, RuntimeError)
    assert_same_error(lambda lib: lib.ones(2, requires_grad=True).numpy(), torch, RuntimeError)


def test_contiguity_as_torch(torch):
    views = {
        "plain": lambda x: x,
        "transposed": lambda x: x.T,
        "expanded": lambda x: x[:, :1].expand(2, 4),
        "column slice": lambda x: x[:, :1],
        "row slice": lambda x: x[:1],
        "row of a transpose": lambda x: x.T[:1],
        "contiguous": lambda x: x.T.contiguous(),
    }
    for name, view in views.items():
        ours, theirs = view(tga.ones(2, 3)), view(torch.ones(2, 3))
        assert ours.is_contiguous() == theirs.is_contiguous(), name
    x = tga.ones(2, 3)
    assert x.contiguous() is x and x.T.contiguous() is not x


def test_numpy_shares_and_force_copies(torch):
    x = tga.tensor([1.0, 2.0])
    x.numpy()[0] = 5.0
    assert x.tolist() == [5.0, 2.0]
    y = tga.tensor([1.0, 2.0], requires_grad=True)
    forced = y.numpy(force=True)
    forced[0] = 9.0
    assert y.tolist() == [1.0, 2.0]
    assert torch.tensor([1.0], requires_grad=True).numpy(force=True).tolist() == [1.0]


def test_requires_grad_as_torch(torch):
    for lib in (tga, torch):
        x = lib.ones(2)
        assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
        assert x.requires_grad_(False) is x and not x.requires_grad
    assert_same_error(lambda lib: lib.ones(2, dtype=lib.int64, requires_grad=True), torch)
    assert_same_error(lambda lib: lib.tensor([1, 2], requires_grad=True), torch)


# -- #20 item 16: reading the .grad of a non-leaf -------------------------------------------------


def _grad_warnings(read) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read()
    return [str(w.message).split(" (Triggered internally")[0] for w in caught]


def test_reading_an_empty_grad_of_a_non_leaf_warns_as_torch(torch):
    messages = []
    for lib in (tga, torch):
        x = lib.ones(2, requires_grad=True)
        y = x * 2
        messages.append(_grad_warnings(lambda y=y: y.grad))
    assert len(messages[0]) == 1 and messages[0] == messages[1]
    assert "use .retain_grad() on the non-leaf Tensor" in messages[0][0]


def test_the_warning_points_at_the_users_line():
    y = tga.ones(2, requires_grad=True) * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y.grad  # noqa: B018
    assert caught[0].filename == __file__ and caught[0].category is UserWarning


QUIET = {
    "a leaf": lambda lib: lib.ones(2, requires_grad=True).grad,
    "a leaf without grad": lambda lib: lib.ones(2).grad,
    "a result made without grad": lambda lib: (lib.ones(2, requires_grad=True) * 2).detach().grad,
    "a non-leaf that retains": lambda lib: _retained(lib).grad,
    "a non-leaf given its gradient": lambda lib: _backward_into(lib),
    "a non-leaf given its gradient by autograd.backward": lambda lib: _backward_into(lib, True),
}


def _retained(lib):
    y = lib.ones(2, requires_grad=True) * 2
    y.retain_grad()
    return y


def _backward_into(lib, function=False):
    y = lib.ones(2, requires_grad=True) * 2
    if function:
        lib.autograd.backward(y.sum(), inputs=[y])
    else:
        y.sum().backward(inputs=[y])
    return y.grad.tolist()


@pytest.mark.parametrize("case", sorted(QUIET))
def test_no_warning_where_torch_gives_none(case, torch):
    for lib in (tga, torch):
        assert _grad_warnings(lambda lib=lib: QUIET[case](lib)) == [], lib.__name__


def test_the_package_never_reads_a_non_leafs_grad_itself():
    """Training steps, retain_grad, hooks and backward(inputs=...) read .grad internally: none
    of them may trigger the warning meant for the user."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lin = tga.nn.Linear(3, 2)
        opt = tga.optim.SGD(lin.parameters(), lr=0.1)
        x = tga.ones(4, 3, requires_grad=True)
        hidden = lin(x)
        hidden.retain_grad()
        hidden.register_hook(lambda g: g * 1.0)
        out = hidden.tanh().sum()
        out.backward(retain_graph=True)
        opt.step()
        opt.zero_grad()
        out.backward(inputs=[hidden], retain_graph=True)
        assert hidden.grad is not None and x.grad is not None
        tga.autograd.grad(out, [hidden], retain_graph=True)
        repr(hidden)
