"""Property-based (hypothesis): random compositions match torch to the second derivative.

Random composition graphs — ``fn.random`` functions, and chains of registry activations with
random valid parameters on tensors of random shapes — give the same values, first and second
derivatives as torch (float64). Points within 1e-4 of a kink of any activation in the graph
are left out: there the one-sided derivatives differ and either is a valid answer. The
activations along a dim (softmax, ...) likewise, along any dim of a random shape.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_acts as tga
from tinygrad_acts import autograd, fn
from tinygrad_acts.fn.expr import BinOp, Call, Const, Neg, Var, postorder
from tinygrad_acts.registry import ACTIVATIONS

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


ELEMENTWISE = [a.name for a in ACTIVATIONS.values() if a.elementwise]


ALONG_DIM = [a.name for a in ACTIVATIONS.values() if not a.elementwise]


# -- random valid parameters, and where each activation has its kinks for them ---------------------


finite = {"allow_nan": False, "allow_infinity": False}


def _between(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, **finite).map(lambda v: round(v, 3))


PARAMS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "leaky_relu": st.fixed_dictionaries({"negative_slope": _between(-1, 1)}),
    "hardtanh": st.tuples(_between(-3, -0.1), _between(0.1, 3)).map(
        lambda b: {"min_val": b[0], "max_val": b[1]}
    ),
    "softplus": st.fixed_dictionaries({"beta": _between(0.25, 4), "threshold": _between(1, 20)}),
    "elu": st.fixed_dictionaries({"alpha": _between(0.1, 3)}),
    "celu": st.fixed_dictionaries({"alpha": _between(0.1, 3)}),
    "gelu": st.fixed_dictionaries({"approximate": st.sampled_from(["none", "tanh"])}),
    "softshrink": st.fixed_dictionaries({"lambd": _between(0, 2)}),
    "hardshrink": st.fixed_dictionaries({"lambd": _between(0, 2)}),
    "threshold": st.fixed_dictionaries({"threshold": _between(-2, 2), "value": _between(-2, 2)}),
    "prelu": st.fixed_dictionaries({"weight": _between(-1, 1)}),
    "rrelu": st.tuples(_between(0, 0.5), _between(0.5, 1)).map(
        lambda b: {"lower": b[0], "upper": b[1]}
    ),
}


def kinks(name: str, p: dict[str, Any]) -> list[float]:
    """Where ``name`` with parameters ``p`` is not smooth (f, f' or f'' jumps)."""
    table = {
        "relu": [0.0],
        "relu6": [0.0, 6.0],
        "leaky_relu": [0.0],
        "hardtanh": [p.get("min_val", -1.0), p.get("max_val", 1.0)],
        "softplus": [p.get("threshold", 20.0) / p.get("beta", 1.0)],  # the switch to x itself
        "elu": [0.0],
        "selu": [0.0],
        "celu": [0.0],
        "hardsigmoid": [-3.0, 3.0],
        "hardswish": [-3.0, 3.0],
        "softsign": [0.0],
        "softshrink": [-p.get("lambd", 0.5), p.get("lambd", 0.5)],
        "hardshrink": [-p.get("lambd", 0.5), p.get("lambd", 0.5)],
        "threshold": [p.get("threshold", 0.5)],
        "prelu": [0.0],
        "rrelu": [0.0],
    }
    return table.get(name, [])


def test_parameter_and_kink_tables_cover_the_registry():
    """A new activation with parameters or kinks must be added above, or it goes untested."""
    with_params = {a.name for a in ACTIVATIONS.values() if a.elementwise and a.params}
    assert with_params == set(PARAMS)
    rough = {a.name for a in ACTIVATIONS.values() if a.elementwise and not a.smooth}
    assert all(kinks(name, ACTIVATIONS[name].call_params()) for name in rough)
    for name in rough:  # the table agrees with the registry at the default parameters
        assert set(ACTIVATIONS[name].kinks) <= set(kinks(name, ACTIVATIONS[name].call_params()))


# -- fn functions in torch -------------------------------------------------------------------------


def torch_call(torch, name: str, t, params: dict[str, Any]):
    F = torch.nn.functional
    if name in ("exp", "log", "sqrt", "abs"):
        return getattr(torch, name)(t)
    if name == "prelu":
        return F.prelu(t, torch.tensor([params["weight"]], dtype=t.dtype))
    return getattr(F, name)(t, **params)


ARITHMETIC = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def to_torch(torch, f: fn.Expr, t):
    """The torch computation of an fn function built from x, numbers, + - * / ** and calls."""
    value: dict[int, Any] = {}
    for node in postorder(f):
        args = [value[id(a)] for a in node.args]
        if isinstance(node, Var):
            value[id(node)] = t
        elif isinstance(node, Const):
            value[id(node)] = node.value
        elif isinstance(node, Neg):
            value[id(node)] = -args[0]
        elif isinstance(node, BinOp):
            value[id(node)] = ARITHMETIC[node.op](*args)
        elif isinstance(node, Call):
            value[id(node)] = torch_call(torch, node.name, args[0], node.params)
        else:
            raise AssertionError(f"unexpected node {type(node).__name__}")
    result = value[id(f)]
    return result if isinstance(result, torch.Tensor) else torch.full_like(t, result)


def away_from_kinks(f: fn.Expr, points: np.ndarray, margin: float = 1e-4) -> np.ndarray:
    """The points at which no activation in ``f`` sees an argument near one of its kinks."""
    keep = np.ones(points.shape, dtype=bool)
    for node in postorder(f):
        if isinstance(node, Call):
            where = kinks(node.name, node.params)
            if where:
                arg = np.broadcast_to(node.args[0](points), points.shape)
                for k in where:
                    keep &= np.abs(arg - k) > margin
    return keep


def derivatives(x_data: np.ndarray, forward) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f, f' and f'' of an elementwise ``forward`` at every entry, by tinygrad_acts autograd."""
    x = tga.tensor(x_data, requires_grad=True)
    y = forward(x)
    (d1,) = autograd.grad(y.sum(), x, create_graph=True)
    (d2,) = autograd.grad(d1.sum(), x, allow_unused=True)
    d2_data = np.zeros_like(x_data) if d2 is None else d2.array
    return y.array, d1.array, d2_data


def torch_derivatives(torch, x_data: np.ndarray, forward):
    """f, f' and f'' by torch autograd. Where torch has no double backward (hardsigmoid),
    f'' is the central difference of torch's f' (step 1e-6; the kinks are 1e-4 away)."""

    def first(data, create_graph):
        x = torch.tensor(data, requires_grad=True)
        y = forward(x)
        (d1,) = torch.autograd.grad(y.sum(), x, create_graph=create_graph)
        return x, y, d1

    x, y, d1 = first(x_data, True)
    try:
        d2 = torch.autograd.grad(d1.sum(), x, allow_unused=True)[0] if d1.requires_grad else None
        d2_data = np.zeros_like(x_data) if d2 is None else d2.numpy()
    except RuntimeError as e:
        assert "not implemented" in str(e)
        h = 1e-6
        up, down = first(x_data + h, False)[2], first(x_data - h, False)[2]
        d2_data = (up - down).numpy() / (2 * h)
    return y.detach().numpy(), d1.detach().numpy(), d2_data


def assert_close(ours, theirs, what: str, f: Any) -> None:
    scale = 1.0 + np.abs(theirs)
    err = np.abs(ours - theirs) / scale
    same_nonfinite = ~np.isfinite(theirs) & (ours == theirs)
    err = np.where(same_nonfinite, 0.0, err)
    # 1e-7, not 1e-12: torch's float64 kernels hold some constants in float32 (hardsigmoid's
    # slope is float32(1/6) = 0.16666667163..., celu's 1/alpha likewise), which this library
    # computes exactly. A wrong formula is off by far more.
    assert np.all(err <= 1e-7), (
        f"{what} of {f}: worst relative error {np.nanmax(err):.3g} at "
        f"{np.unravel_index(np.nanargmax(err), err.shape)}"
    )


shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@SETTINGS
@given(
    depth=st.integers(1, 3),
    width=st.integers(1, 3),
    names=st.lists(st.sampled_from(ELEMENTWISE), min_size=1, max_size=4, unique=True),
    seed=st.integers(0, 2**32 - 1),
    shape=shapes,
)
def test_random_compositions_match_torch_to_second_order(torch, depth, width, names, seed, shape):
    f = fn.random(depth, width=width, activations=names, seed=seed)
    points = np.random.default_rng(seed).uniform(-3, 3, size=shape)
    keep = away_from_kinks(f, points)
    ours = derivatives(points, f)
    theirs = torch_derivatives(torch, points, lambda t: to_torch(torch, f, t))
    for what, a, b in zip(("value", "f'", "f''"), ours, theirs):
        assert_close(a[keep], b[keep], what, f)


@st.composite
def chains(draw) -> fn.Expr:
    """h = a·σ(w·h + b) repeated, each σ with its own random valid parameters."""
    h: fn.Expr = fn.x
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(ELEMENTWISE))
        params = draw(PARAMS[name]) if name in PARAMS else {}
        a, w, b = (draw(_between(-2, 2)) for _ in range(3))
        h = a * getattr(fn, name)(w * h + b, **params)
    return h


@SETTINGS
@given(f=chains(), seed=st.integers(0, 2**32 - 1), shape=shapes)
def test_activations_with_random_parameters_match_torch_to_second_order(torch, f, seed, shape):
    points = np.random.default_rng(seed).uniform(-4, 4, size=shape)
    keep = away_from_kinks(f, points)
    ours = derivatives(points, f)
    theirs = torch_derivatives(torch, points, lambda t: to_torch(torch, f, t))
    for what, a, b in zip(("value", "f'", "f''"), ours, theirs):
        assert_close(a[keep], b[keep], what, f)
    # fn's own derivatives (f.derivative(n), evaluated on an array) agree as well.
    for n in (1, 2):
        assert_close(f.derivative(n)(points)[keep], theirs[n][keep], f"derivative({n})", f)


@SETTINGS
@given(data=st.data(), name=st.sampled_from(ALONG_DIM), seed=st.integers(0, 2**32 - 1))
def test_activations_along_a_dim_match_torch_to_second_order(torch, data, name, seed):
    """softmax, log_softmax, softmin, glu: any dim of a random shape, vs torch."""
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    if name == "glu":
        shape[dim] *= 2  # glu halves its dim
    rng = np.random.default_rng(seed)
    x_data = rng.standard_normal(shape) * 3
    x = tga.tensor(x_data, requires_grad=True)
    tx = torch.tensor(x_data, requires_grad=True)
    ours_y = getattr(tga.nn.functional, name)(x, dim=dim)
    their_y = getattr(torch.nn.functional, name)(tx, dim=dim)
    weights = rng.standard_normal(ours_y.shape)  # a random vector-Jacobian product
    (g,) = autograd.grad((ours_y * tga.tensor(weights)).sum(), x, create_graph=True)
    (gg,) = autograd.grad((g * g).sum(), x)
    (tg,) = torch.autograd.grad((their_y * torch.tensor(weights)).sum(), tx, create_graph=True)
    (tgg,) = torch.autograd.grad((tg * tg).sum(), tx)
    for what, a, b in (("value", ours_y, their_y), ("vjp", g, tg), ("second", gg, tgg)):
        assert_close(a.array, b.detach().numpy(), what, f"{name}(dim={dim}) on {shape}")
