"""The names of graph nodes, as torch prints them (``grad_fn=<MulBackward0>``): one name per
op, numbered by its overload (``SumBackward0`` over everything, ``SumBackward1`` along a dim),
and for what takes several ops here the name of torch's one op (``MseLossBackward0``).

Not the same as torch's (and not tested): ``F.celu`` with α = 1 (``EluBackward0`` here: it is
ELU then) and ``einsum`` (torch names the last of the products it turns it into).
"""

from __future__ import annotations

import pytest

import tinygrad_acts as tga

# Each builds a tensor from x (2×3), w (3×2), v (3,) and idx, in either library.
EXPRESSIONS = {
    "x + 1": lambda t, F, x, w, v, idx: x + 1,
    "1 - x": lambda t, F, x, w, v, idx: 1 - x,
    "x - x": lambda t, F, x, w, v, idx: x - x,
    "2 * x": lambda t, F, x, w, v, idx: 2 * x,
    "x / 2": lambda t, F, x, w, v, idx: x / 2,
    "2 / x": lambda t, F, x, w, v, idx: 2 / x,
    "-x": lambda t, F, x, w, v, idx: -x,
    "x ** 2": lambda t, F, x, w, v, idx: x**2,
    "2 ** x": lambda t, F, x, w, v, idx: 2**x,
    "x ** x": lambda t, F, x, w, v, idx: x**x,
    "x.sum()": lambda t, F, x, w, v, idx: x.sum(),
    "x.sum(0)": lambda t, F, x, w, v, idx: x.sum(0),
    "x.mean()": lambda t, F, x, w, v, idx: x.mean(),
    "x.mean(dim=1)": lambda t, F, x, w, v, idx: x.mean(dim=1),
    "x.prod(1)": lambda t, F, x, w, v, idx: x.prod(1),
    "x.exp()": lambda t, F, x, w, v, idx: x.exp(),
    "x.log1p()": lambda t, F, x, w, v, idx: x.log1p(),
    "x.sin()": lambda t, F, x, w, v, idx: x.sin(),
    "x.relu()": lambda t, F, x, w, v, idx: x.relu(),
    "F.leaky_relu": lambda t, F, x, w, v, idx: F.leaky_relu(x),
    "F.gelu tanh": lambda t, F, x, w, v, idx: F.gelu(x, approximate="tanh"),
    "F.silu": lambda t, F, x, w, v, idx: F.silu(x),
    "F.selu": lambda t, F, x, w, v, idx: F.selu(x),
    "F.celu α = 2": lambda t, F, x, w, v, idx: F.celu(x, alpha=2.0),
    "F.softsign": lambda t, F, x, w, v, idx: F.softsign(x),
    "F.tanhshrink": lambda t, F, x, w, v, idx: F.tanhshrink(x),
    "F.relu6": lambda t, F, x, w, v, idx: F.relu6(x),
    "F.glu": lambda t, F, x, w, v, idx: F.glu(x, dim=0),
    "F.log_softmax": lambda t, F, x, w, v, idx: F.log_softmax(x, dim=1),
    "F.prelu": lambda t, F, x, w, v, idx: F.prelu(x, t.tensor([0.25], requires_grad=True)),
    "view": lambda t, F, x, w, v, idx: x.view(6),
    "flatten": lambda t, F, x, w, v, idx: x.flatten(),
    "t()": lambda t, F, x, w, v, idx: x.t(),
    "T": lambda t, F, x, w, v, idx: x.T,
    "transpose": lambda t, F, x, w, v, idx: x.transpose(0, 1),
    "unsqueeze": lambda t, F, x, w, v, idx: x.unsqueeze(0),
    "squeeze()": lambda t, F, x, w, v, idx: x.unsqueeze(0).squeeze(),
    "squeeze(0)": lambda t, F, x, w, v, idx: x.unsqueeze(0).squeeze(0),
    "x[0]": lambda t, F, x, w, v, idx: x[0],
    "x[:, 1]": lambda t, F, x, w, v, idx: x[:, 1],
    "x[0:1]": lambda t, F, x, w, v, idx: x[0:1],
    "x[0, 1:]": lambda t, F, x, w, v, idx: x[0, 1:],
    "x[None]": lambda t, F, x, w, v, idx: x[None],
    "x[idx]": lambda t, F, x, w, v, idx: x[idx],
    "x[x > 0]": lambda t, F, x, w, v, idx: x[x > 0],
    "narrow": lambda t, F, x, w, v, idx: x.narrow(1, 0, 2),
    "chunk": lambda t, F, x, w, v, idx: x.chunk(3, dim=1)[0],
    "split sizes": lambda t, F, x, w, v, idx: x.split([1, 2], dim=1)[1],
    "index_select": lambda t, F, x, w, v, idx: x.index_select(1, idx),
    "masked_fill": lambda t, F, x, w, v, idx: x.masked_fill(x > 0, 0.0),
    "stack": lambda t, F, x, w, v, idx: t.stack([x, x]),
    "cat": lambda t, F, x, w, v, idx: t.cat([x, x]),
    "mm": lambda t, F, x, w, v, idx: x @ w,
    "mv": lambda t, F, x, w, v, idx: x @ v,
    "dot": lambda t, F, x, w, v, idx: v @ v,
    "x.max()": lambda t, F, x, w, v, idx: x.max(),
    "x.max(dim)": lambda t, F, x, w, v, idx: x.max(dim=1)[0],
    "x.min(dim)": lambda t, F, x, w, v, idx: x.min(1).values,
    "x.median(dim)": lambda t, F, x, w, v, idx: x.median(1).values,
    "x.amax(1)": lambda t, F, x, w, v, idx: x.amax(1),
    "clamp": lambda t, F, x, w, v, idx: x.clamp(min=0),
    "norm": lambda t, F, x, w, v, idx: x.norm(),
    "logsumexp": lambda t, F, x, w, v, idx: x.logsumexp(1),
    "double": lambda t, F, x, w, v, idx: x.double(),
    "linear": lambda t, F, x, w, v, idx: F.linear(x, w.t(), v[:2]),
    "linear without bias": lambda t, F, x, w, v, idx: F.linear(x, w.t()),
    "mse_loss": lambda t, F, x, w, v, idx: F.mse_loss(x, x.detach() * 2),
    "mse_loss none": lambda t, F, x, w, v, idx: F.mse_loss(x, x.detach(), reduction="none"),
    "l1_loss": lambda t, F, x, w, v, idx: F.l1_loss(x, x.detach() * 2),
    "smooth_l1_loss": lambda t, F, x, w, v, idx: F.smooth_l1_loss(x, x.detach() * 2),
    "huber_loss": lambda t, F, x, w, v, idx: F.huber_loss(x, x.detach() * 2),
    "cross_entropy": lambda t, F, x, w, v, idx: F.cross_entropy(x, idx),
    "nll_loss sum": lambda t, F, x, w, v, idx: F.nll_loss(x, idx, reduction="sum"),
    "binary_cross_entropy": lambda t, F, x, w, v, idx: F.binary_cross_entropy(
        x.sigmoid(), x.detach().sigmoid()
    ),
    "bce with logits": lambda t, F, x, w, v, idx: F.binary_cross_entropy_with_logits(
        x, x.detach().sigmoid()
    ),
}


LAYERS = {
    "embedding": lambda T, x2, x1, w: T.nn.functional.embedding(T.tensor([1, 0]), w[0, 0]),
    "embedding with padding_idx": lambda T, x2, x1, w: T.nn.functional.embedding(
        T.tensor([1, 0]), w[0, 0], padding_idx=0
    ),
    "layer_norm": lambda T, x2, x1, w: T.nn.functional.layer_norm(x1, (6,)),
    "BatchNorm2d": lambda T, x2, x1, w: T.nn.BatchNorm2d(2)(x2),
    "BatchNorm1d in eval": lambda T, x2, x1, w: T.nn.BatchNorm1d(2).eval()(x1),
    "conv2d": lambda T, x2, x1, w: T.nn.functional.conv2d(x2, w),
    "conv2d unbatched": lambda T, x2, x1, w: T.nn.functional.conv2d(x2[0], w),
    "conv1d": lambda T, x2, x1, w: T.nn.functional.conv1d(x1, w[:, :, 0]),
    "max_pool2d": lambda T, x2, x1, w: T.nn.functional.max_pool2d(x2, 2),
    "max_pool2d unbatched": lambda T, x2, x1, w: T.nn.functional.max_pool2d(x2[0], 2),
    "max_pool1d": lambda T, x2, x1, w: T.nn.functional.max_pool1d(x1, 2),
    "avg_pool2d": lambda T, x2, x1, w: T.nn.functional.avg_pool2d(x2, 2),
    "avg_pool1d": lambda T, x2, x1, w: T.nn.functional.avg_pool1d(x1, 2),
    "unbind": lambda T, x2, x1, w: x2.unbind(1)[0],
}


@pytest.mark.parametrize("make", LAYERS.values(), ids=LAYERS.keys())
def test_the_nodes_of_layers_are_named_as_torch(make, torch):
    """Layers built of several ops here, one op in torch: the result is named as torch's."""

    def name(T):
        x2 = T.linspace(-1.0, 1.0, 72).reshape(1, 2, 6, 6).requires_grad_()
        x1 = T.linspace(-1.0, 1.0, 12).reshape(1, 2, 6).requires_grad_()
        w = T.linspace(-0.5, 0.5, 54).reshape(3, 2, 3, 3).requires_grad_()
        return make(T, x2, x1, w).grad_fn.name()

    assert name(tga) == name(torch)


def _name(lib, make):
    x = lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    w = lib.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], requires_grad=True)
    v = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    idx = lib.tensor([1, 0])
    return make(lib, lib.nn.functional, x, w, v, idx).grad_fn.name()


@pytest.mark.parametrize("make", EXPRESSIONS.values(), ids=EXPRESSIONS.keys())
def test_node_names_as_torch(make, torch):
    assert _name(tga, make) == _name(torch, make)


def test_a_users_function_is_named_without_a_number_as_in_torch(torch):
    """torch numbers only its own nodes: a user's ``Function`` ``Cube`` is ``CubeBackward``."""

    def cube(lib):
        class Cube(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x**3

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return 3 * x**2 * grad

        return Cube.apply(lib.tensor([2.0], requires_grad=True)).grad_fn.name()

    assert cube(tga) == cube(torch) == "CubeBackward"


def test_a_printed_tensor_names_its_node_as_torch(torch):
    def printed(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        out = lib.zeros(2)
        out[0] += x[1] * 3
        return [repr((x * 2).sum()), repr(x.view(2, 1)), repr(out)]

    assert printed(tga) == printed(torch)
