"""One derivative rule per op, run two ways, gives one answer.

A first-order pass (``create_graph=False``) runs each op's ``backward`` on plain arrays; a
recorded pass (``create_graph=True``) runs the same ``backward`` on Tensors, recording it. Here
every op is run both ways, on ordinary and extreme inputs in both float dtypes, with a random
upstream gradient — and the results must agree to the last few bits. A final test checks that
no op of the package was left out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.autograd import grad, topological_order
from tinygrad_acts.core.function import Function
from tinygrad_acts.kernels.arrays import SMALL
from tinygrad_acts.kernels.sigmoid import tanh_derivative_array
from tinygrad_acts.nn import functional as F
from tinygrad_acts.ops import special
from tinygrad_acts.registry import ACTIVATIONS

SEEN: set[type] = set()  # every op class met in the graphs below


def _points(dtype: type) -> np.ndarray:
    """200 values: ordinary ones, kinks and roots, and the far tails, in a (4, 50) array."""
    special = [0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 0.5, -0.5, 20.0, 1e-300, -1e-300]
    special += [30.0, -30.0, 100.0, -100.0, 700.0, -700.0, 1e4, -1e4, 1e-8, -1e-8, 2.0, -2.0]
    rng = np.random.default_rng(0)
    values = np.concatenate([special, rng.normal(0, 3, 200 - len(special) - 40)])
    values = np.concatenate([values, rng.uniform(-50, 50, 40)])
    return values.reshape(4, 50).astype(dtype)


def _both_ways(
    make: Callable[..., tga.Tensor], *arrays: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """d(g·make(*inputs)) by a first-order pass and by a recorded one."""

    def run(recorded: bool) -> list[np.ndarray]:
        inputs = [tga.tensor(a, requires_grad=True) for a in arrays]
        out = make(*inputs)
        roots = [out.grad_fn] if out.grad_fn is not None else []
        # (a custom autograd.Function's node runs a ``_Rule`` that names its Function)
        SEEN.update(getattr(n.function, "function", n.function) for n in topological_order(roots))
        upstream = np.random.default_rng(1).uniform(0.5, 2.0, out.shape)
        g = tga.tensor(upstream.astype(out.dtype))
        if recorded:
            grads = grad(out, inputs, g, create_graph=True, allow_unused=True)
            grads = tuple(None if d is None else d.detach() for d in grads)
        else:
            out.backward(g)
            grads = tuple(t.grad for t in inputs)
        return [np.zeros_like(a) if d is None else d.numpy() for a, d in zip(arrays, grads)]

    return run(recorded=False), run(recorded=True)


def _agree(first: list[np.ndarray], second: list[np.ndarray], ulps: float = 4.0) -> None:
    for a, b in zip(first, second):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        eps = np.finfo(a.dtype).eps
        tiny = np.finfo(a.dtype).tiny
        ok = np.isnan(a) | (a == b) | (np.abs(a - b) <= ulps * eps * np.abs(b) + 64 * tiny)
        assert ok.all(), (a[~ok][:5], b[~ok][:5])


VARIANTS = [(name, {}) for name in sorted(ACTIVATIONS)] + [
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2.5, "threshold": 5.0}),
    ("elu", {"alpha": 0.3}),
    ("celu", {"alpha": 2.0}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("hardtanh", {"min_val": -2.0, "max_val": 0.5}),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), VARIANTS, ids=lambda v: str(v))
def test_activation_both_ways(name: str, params: dict, dtype: type) -> None:
    entry = ACTIVATIONS[name]
    if name == "rrelu":  # the same random slopes in both runs
        params = {**params, "training": False}
    first, second = _both_ways(lambda x: entry(x, **params), _points(dtype))
    _agree(first, second)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), VARIANTS, ids=lambda v: str(v))
def test_activation_derivative_both_ways(name: str, params: dict, dtype: type) -> None:
    """The backward of the first derivative's graph (the ops backward rules are made of)."""
    entry = ACTIVATIONS[name]
    if name == "rrelu":
        params = {**params, "training": False}

    def derivative(x: tga.Tensor) -> tga.Tensor:
        y = entry(x, **params)
        upstream = np.random.default_rng(2).uniform(0.5, 2.0, y.shape).astype(y.dtype)
        (d,) = grad(y, x, tga.tensor(upstream), create_graph=True)
        return d

    _agree(*_both_ways(derivative, _points(dtype)))


def test_rrelu_training_both_ways() -> None:
    x = _points(np.float64)

    def make(t: tga.Tensor) -> tga.Tensor:
        F.manual_seed(3)  # the same slopes in both runs
        return ACTIVATIONS["rrelu"](t, training=True)

    _agree(*_both_ways(make, x))


def _put(a: tga.Tensor, b: tga.Tensor) -> tga.Tensor:
    c = a * 1.0
    c[1] = b  # recorded as IndexPut
    return c * a


def _backward_hooked(a: tga.Tensor) -> tga.Tensor:
    layer = tga.nn.Tanh()  # a full backward hook wraps its inputs and outputs in identity ops
    layer.register_full_backward_hook(lambda module, grad_input, grad_output: None)
    return layer(a) * a


def _matrix(*shape: int, seed: int = 0, dtype: type = np.float64) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


BASIC = {
    "add, broadcast": (lambda a, b: a + b, [(3, 4), (4,)]),
    "sub, broadcast": (lambda a, b: a - b, [(3, 1), (3, 4)]),
    "mul, broadcast": (lambda a, b: a * b, [(2, 3, 4), (3, 1)]),
    "div": (lambda a, b: a / (b.abs() + 0.5), [(3, 4), (3, 4)]),
    "neg": (lambda a: -a, [(5,)]),
    "scalar arithmetic": (lambda a: (a * 3.0 + 1.0) / 2.0 - 0.25, [(5,)]),
    "pow": (lambda a: (a.abs() + 0.1) ** 2.5, [(5,)]),
    "exp, log, sqrt": (lambda a: (a.exp() + 1.0).log().sqrt(), [(4, 3)]),
    "abs, sign": (lambda a: a.abs() * a.sign(), [(7,)]),
    "clamp": (lambda a: a.clamp(-0.5, 0.5), [(9,)]),
    "matmul 2-D": (lambda a, b: a @ b, [(3, 4), (4, 5)]),
    "matmul batched": (lambda a, b: a @ b, [(2, 3, 4), (4, 5)]),
    "matmul vector": (lambda a, b: a @ b, [(4,), (4, 5)]),
    "matmul vector right": (lambda a, b: a @ b, [(3, 4), (4,)]),
    "dot": (lambda a, b: a @ b, [(4,), (4,)]),
    "linear, batched": (lambda x, w, b: nn.functional.linear(x, w, b), [(2, 3, 4), (5, 4), (5,)]),
    "linear, vector, no bias": (lambda x, w: nn.functional.linear(x, w), [(4,), (5, 4)]),
    "linear, broadcast bias": (
        lambda x, w, b: nn.functional.linear(x, w, b),
        [(3, 4), (5, 4), (1, 1)],
    ),
    "sum, mean": (lambda a: a.sum(dim=1) * a.mean(dim=0, keepdim=True).sum(), [(3, 4)]),
    "mean all": (lambda a: a.mean() * a, [(3, 4)]),
    "reshape, transpose, permute": (
        lambda a: a.reshape(4, 6).transpose(0, 1).reshape(2, 3, 4).permute(2, 0, 1),
        [(2, 3, 4)],
    ),
    "expand, unsqueeze, squeeze": (lambda a: a.unsqueeze(0).expand(3, 2, 4).squeeze(), [(2, 4)]),
    "index, repeated": (lambda a: a[np.array([0, 2, 2])] * a[1:3].sum(), [(4, 3)]),
    "where": (lambda a, b: tga.where(a.array > 0, a, b), [(3, 4), (3, 4)]),
    "clamp between tensors": (lambda a, b, c: a.clamp(b, c - 1.0) * a, [(3, 4), (4,), (3, 1)]),
    "cat": (lambda a, b: tga.cat([a, b * 2.0], dim=1), [(3, 2), (3, 4)]),
    "max, min": (lambda a: a.max() + a.max(dim=1).values.sum() + a.min(dim=0)[0].sum(), [(3, 4)]),
    "cast, clone": (lambda a: a.to(np.float32).clone().double() * 2.0, [(5,)]),
    "item assignment": (lambda a, b: _put(a, b), [(3, 4), (4,)]),
    "max along a dim, squared": (lambda a: a.max(dim=1).values ** 2, [(3, 4)]),
    "cross entropy": (
        lambda a: nn.functional.cross_entropy(a, tga.tensor(np.array([0, 3, 1]))) * a,
        [(3, 4)],
    ),
    "mse, bce": (
        lambda a, b: (
            nn.functional.mse_loss(a, b)
            + nn.functional.binary_cross_entropy(a.sigmoid(), b.sigmoid())
        ),
        [(6,), (6,)],
    ),
    # -- elementwise math (sin, cos, expm1 …) --
    "sin": (lambda a: a.sin(), [(3, 4)]),
    "cos": (lambda a: a.cos(), [(3, 4)]),
    "tan": (lambda a: (a * 0.4).tan(), [(3, 4)]),
    "asin": (lambda a: (a * 0.3).asin(), [(3, 4)]),
    "acos": (lambda a: (a * 0.3).acos(), [(3, 4)]),
    "atan": (lambda a: (a * 3.0).atan(), [(3, 4)]),
    "atan2, broadcast": (lambda a, b: a.atan2(b), [(3, 4), (4,)]),
    "sinh": (lambda a: a.sinh(), [(3, 4)]),
    "cosh": (lambda a: a.cosh(), [(3, 4)]),
    "exp2": (lambda a: a.exp2(), [(3, 4)]),
    "expm1": (lambda a: a.expm1(), [(3, 4)]),
    "log2": (lambda a: (a.abs() + 0.1).log2(), [(3, 4)]),
    "log10": (lambda a: (a.abs() + 0.1).log10(), [(3, 4)]),
    "log1p": (lambda a: a.abs().log1p(), [(3, 4)]),
    "rsqrt": (lambda a: (a.abs() + 0.1).rsqrt(), [(3, 4)]),
    "reciprocal": (lambda a: (a.abs() + 0.5).reciprocal(), [(3, 4)]),
    "floor": (lambda a: (a * 3.0).floor() * a, [(3, 4)]),
    "ceil": (lambda a: (a * 3.0).ceil() * a, [(3, 4)]),
    "trunc": (lambda a: (a * 3.0).trunc() * a, [(3, 4)]),
    "round, decimals": (lambda a: a.round(decimals=1) * a, [(3, 4)]),
    "frac": (lambda a: (a * 3.0).frac() * a, [(3, 4)]),
    "remainder, broadcast": (lambda a, b: a % (b.abs() + 0.5), [(3, 4), (4,)]),
    "fmod, broadcast": (lambda a, b: a.fmod(b.abs() + 0.5), [(3, 4), (4,)]),
    "sinc": (lambda a: a.sinc() * a.sinc(), [(3, 4)]),
    "a module's full backward hook": (_backward_hooked, [(3, 4)]),
    "xlogy, broadcast": (lambda a, b: a.xlogy(b.abs() + 0.5), [(3, 4), (4,)]),
    "maximum, with ties": (lambda a, b: a.maximum(b) * a.maximum(a.detach()), [(3, 4), (4,)]),
    "minimum, with ties": (lambda a, b: a.minimum(b) * a.minimum(a.detach()), [(3, 4), (4,)]),
    "lerp, tensor weight": (lambda a, b, w: a.lerp(b, w), [(3, 4), (3, 4), (4,)]),
    "erf": (lambda a: a.erf(), [(3, 4)]),
    "erfc": (lambda a: (a * 3.0).erfc(), [(3, 4)]),
    "erfinv": (lambda a: (a * 0.3).erfinv(), [(3, 4)]),
    "logit": (lambda a: a.sigmoid().logit(), [(3, 4)]),
    "logit, eps": (lambda a: (a * 3.0).sigmoid().logit(eps=0.05), [(3, 4)]),
    # -- reductions and linear algebra (prod, std, cumsum, mm, einsum …) --
    "prod, with a zero": (lambda a: (a - a[:, 1:2]).prod(1) * a.prod(), [(3, 4)]),
    "cumsum, cumprod": (lambda a: a.cumsum(1) * a.cumprod(0), [(3, 4)]),
    "cumprod, with a zero": (lambda a: (a - a[:, 1:2]).cumprod(1) * a, [(3, 4)]),
    "var, std": (lambda a: a.var(1) * a.std(0, keepdim=True).sum(), [(3, 4)]),
    "amax, amin, median": (lambda a: a.amax(1) * a.amin(0).sum() + a.median(1).values, [(3, 4)]),
    "logsumexp": (lambda a: a.logsumexp(1) * a[:, 0], [(3, 4)]),
    "norms": (
        lambda a: (
            a.norm(dim=1)
            + a.norm(p=1, dim=1) * a.norm(p=float("inf"), dim=1)
            + a.norm(p=3, dim=1) * a.norm(p=0.5, dim=1) * a.norm(p=1.5, dim=1)
        ),
        [(3, 4)],
    ),
    "einsum, batched": (lambda a, b: tga.einsum("bij,bjk->bik", a, b), [(2, 3, 4), (2, 4, 5)]),
    "einsum, diagonal and sum": (
        lambda a: tga.einsum("ii->i", a) * tga.einsum("ij->", a),
        [(3, 3)],
    ),
    "inverse, det, solve": (
        lambda a, b: (
            (a + 4.0 * tga.eye(3, dtype=a.dtype)).inverse() * a.det()
            + tga.linalg.solve(a + 4.0 * tga.eye(3, dtype=a.dtype), b)
        ),
        [(3, 3), (3, 3)],
    ),
    "conv2d, max_pool2d, avg_pool1d": (
        lambda a, w: (
            F.max_pool2d(F.conv2d(a, w, padding=1), 2).sum()
            + F.avg_pool1d(a[0], 2, stride=1).sum(0)
        ),
        [(2, 4, 4), (3, 2, 3, 3)],
    ),
    "diagonal, offsets": (
        lambda a: a.diagonal() * a.diagonal(1).sum() + a.diagonal(-1).sum(),
        [(3, 3)],
    ),
    "mm, mv, outer": (
        lambda a, b: a.mm(b).mv(b[0]) + a.t().mv(a[:, 0]).outer(b[0]).sum(),
        [(3, 4), (4, 4)],
    ),
    # -- shapes and indexing (flip, repeat, gather, scatter …) --
    "flip, repeat": (lambda a: a.flip(0, 1).repeat(2, 1, 3) * a.repeat(2, 1, 3), [(3, 4)]),
    "repeat_interleave, index_add": (
        lambda a, b: (
            a.repeat_interleave(tga.tensor([2, 0, 1]), dim=0)
            * a.index_add(0, tga.tensor([2, 2, 0]), b * b, alpha=0.5)
        ),
        [(3, 4), (3, 4)],
    ),
    "gather, scatter_add": (
        lambda a, b: (
            a.gather(1, tga.tensor(np.array([[0, 0, 3], [2, 1, 2], [3, 3, 3]])))
            * b.scatter_add(0, tga.tensor(np.array([[2, 0, 2, 0]])), a[:1] * a[:1])[:, :3]
        ),
        [(3, 4), (3, 4)],
    ),
    "scatter, masked_fill": (
        lambda a, b: (
            a.scatter(1, tga.tensor(np.array([[1], [3], [1]])), b[:, :1] * b[:, 1:2])
            * a.masked_fill(tga.tensor(np.array([True, False, False, True])), 2.0)
        ),
        [(3, 4), (3, 4)],
    ),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", sorted(BASIC))
def test_basic_op_both_ways(case: str, dtype: type) -> None:
    make, shapes = BASIC[case]
    arrays = [_matrix(*shape, seed=i, dtype=dtype) for i, shape in enumerate(shapes)]
    _agree(*_both_ways(make, *arrays))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", sorted(BASIC))
def test_basic_op_derivative_both_ways(case: str, dtype: type) -> None:
    """The backward of each op's backward: the ops rules are made of (SumTo, IndexAdd ...)."""
    make, shapes = BASIC[case]
    arrays = [_matrix(*shape, seed=i, dtype=dtype) for i, shape in enumerate(shapes)]

    def squared_gradients(*inputs: tga.Tensor) -> tga.Tensor:
        out = make(*inputs)
        upstream = np.random.default_rng(2).uniform(0.5, 2.0, out.shape).astype(out.dtype)
        grads = grad(out, inputs, tga.tensor(upstream), create_graph=True, allow_unused=True)
        total = inputs[0].sum()  # so that the result always depends on an input
        for g in grads:
            if g is not None:
                total = total + (g * g).sum()
        return total

    _agree(*_both_ways(squared_gradients, *arrays))


def _derivative_ops() -> dict[str, Callable[[tga.Tensor], tga.Tensor]]:
    """The derivative ops the activations' rules call, each applied on its own."""
    from tinygrad_acts.ops.activations import sigmoid_family

    names = ["NormalCDF", "NormalPDF", "TanhSoftplus", "Sech2Softplus", "GeluTanhGate"]
    names += ["GeluTanhGateSlope", "SigmoidDerivative", "TanhDerivative", "GELUSlope"]
    ops = {name: getattr(special, name).apply for name in names}
    ops["SiLUDerivative"] = sigmoid_family.SiLUDerivative.apply
    ops["MishDerivative"] = sigmoid_family.MishDerivative.apply
    return ops


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(_derivative_ops()))
def test_derivative_op_both_ways(name: str, dtype: type) -> None:
    op = _derivative_ops()[name]

    def first_and_second(x: tga.Tensor) -> tga.Tensor:
        y = op(x)
        (d,) = grad(y.sum(), x, create_graph=True)
        return y * 2.0 + d

    _agree(*_both_ways(first_and_second, _points(dtype)))


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_every_op_was_run_both_ways() -> None:
    """Runs last among the graphs above: each op class of the package appeared in them (an op:
    a class with a forward of its own, not a base like StepDerivative): each ran its one rule
    on arrays in a first-order pass and on Tensors in a recorded one."""
    ops = {
        cls
        for cls in _subclasses(Function)
        if cls.__module__.startswith("tinygrad_acts") and "forward" in vars(cls)
    }
    missing = sorted(cls.__name__ for cls in ops - SEEN)
    assert ops and not missing, f"never run both ways: {missing}"


ELEMENTWISE = [(name, params) for name, params in VARIANTS if ACTIVATIONS[name].elementwise]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "params"), ELEMENTWISE, ids=lambda v: str(v))
def test_small_and_large_arrays_agree(name: str, params: dict, dtype: type) -> None:
    """Kernels take a fewest-calls form on small arrays and work in place on large ones
    (``kernels.arrays.SMALL``): each point alone must give what it gives inside a large array — to 4
    ulps in float64, where one element of σ or tanh' is computed with Python's math (the C
    library's exp and cosh, each within an ulp of NumPy's vectorised ones; both kinds are
    checked against the 50-digit reference in test_accuracy.py), else to 2."""
    entry = ACTIVATIONS[name]
    ulps = 4.0 if dtype == np.float64 else 2.0
    if name == "rrelu":
        params = {**params, "training": False}
    points = _points(dtype).ravel()
    assert points.size > SMALL
    x = tga.tensor(points, requires_grad=True)
    entry(x, **params).sum().backward()
    values = entry(x, **params).detach().numpy()
    for i in range(points.size):
        xi = tga.tensor(points[i : i + 1], requires_grad=True)
        yi = entry(xi, **params)
        yi.sum().backward()
        alone = [yi.detach().numpy(), xi.grad.numpy()]
        _agree(alone, [values[i : i + 1], x.grad.numpy()[i : i + 1]], ulps=ulps)


def test_one_element_kernels_take_any_gradient():
    """The one-element form of grad·sech²(x) takes what the array form takes (a number of any
    kind, an array) and gives the same values."""
    x = np.array([0.5])
    many = np.array([0.5, 0.5])
    for upstream in (2, 2.0, np.float64(2.0), np.array([2.0]), True):
        one = tanh_derivative_array(x, upstream)
        assert type(one) is np.ndarray and one.shape == (1,)
        expected = tanh_derivative_array(many, upstream)[0]
        assert one[0] == pytest.approx(expected, rel=5e-16)
