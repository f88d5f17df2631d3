"""Property-based (hypothesis): random chains of basic ops match finite differences and torch.

A chain mixes shape ops, reductions and broadcast arithmetic (sum / mean / max with dim and
keepdim, reshape, transpose, indexing, matmul, broadcast arithmetic with a second input); its
gradients match central differences (``autograd.gradcheck``), and its value and gradients
match torch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_acts as tga
from tinygrad_acts import autograd

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


@st.composite
def programs(draw) -> tuple[tuple[int, ...], tuple[int, ...], list[tuple[str, Any]]]:
    """A random chain of shape ops, reductions and broadcast arithmetic.

    Returns the shapes of the two inputs and the steps; each step is (kind, argument) and is
    applied by ``run`` to tinygrad_acts and torch tensors alike.
    """
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    other_shape: tuple[int, ...] | None = None  # the second input's, once a step fixes it
    steps: list[tuple[str, Any]] = []
    cur = np.zeros(shape)  # tracks the shape the chain has reached
    for _ in range(draw(st.integers(1, 5))):
        kinds = ["binary", "reshape"]
        if cur.ndim >= 1:
            kinds += ["sum", "mean", "max", "index"]
        if cur.ndim >= 2:
            kinds += ["transpose"]
        if cur.ndim >= 1 and other_shape is None:
            kinds += ["matmul"]
        kind = draw(st.sampled_from(kinds))
        if kind in ("sum", "mean", "max"):
            dim = draw(st.one_of(st.none(), st.integers(-cur.ndim, cur.ndim - 1)))
            keepdim = draw(st.booleans())
            if kind == "max" and dim is None:
                arg: Any = (None, False)
                cur = np.zeros(())
            else:
                arg = (dim, keepdim)
                axis = tuple(range(cur.ndim)) if dim is None else dim
                cur = np.sum(cur, axis=axis, keepdims=keepdim)
        elif kind == "reshape":
            arg = draw(st.sampled_from([(-1,), (1, -1), (*cur.shape[::-1], 1)]))
            cur = cur.reshape(arg)
        elif kind == "transpose":
            arg = tuple(draw(st.integers(-cur.ndim, cur.ndim - 1)) for _ in range(2))
            cur = np.swapaxes(cur, *arg)
        elif kind == "index":
            n = cur.shape[0]
            arg = draw(
                st.one_of(
                    st.integers(-n, n - 1),
                    st.builds(
                        slice,
                        st.one_of(st.none(), st.integers(-n, n - 1)),
                        st.none(),
                        st.sampled_from([None, 1, 2]),
                    ),
                    st.lists(st.integers(-n, n - 1), min_size=1, max_size=5).map(np.array),
                )
            )
            cur = cur[arg]
            if cur.size == 0:
                return draw(programs())  # an empty slice: draw again
        elif kind == "matmul":
            n = cur.shape[-1]
            m = draw(st.integers(1, 3))
            candidate = draw(st.sampled_from([(n,), (n, m), (2, n, m)]))
            try:
                cur = cur @ np.zeros(candidate)
            except ValueError:  # batch axes that do not broadcast
                continue
            other_shape, arg = candidate, None
        else:  # broadcast arithmetic with the second input
            if other_shape is None:
                # Each axis of the result: 1 (broadcast from the other side) or its own size.
                ones = [draw(st.booleans()) for _ in range(cur.ndim)]
                other_shape = tuple(1 if o else n for o, n in zip(ones, cur.shape))
                if draw(st.booleans()):
                    other_shape = (2, *other_shape)  # the other input adds a leading axis
            try:
                cur = cur + np.zeros(other_shape)
            except ValueError:
                continue
            arg = draw(st.sampled_from(["+", "-", "*", "/"]))
        steps.append((kind, arg))
    return shape, (1,) if other_shape is None else other_shape, steps


def run(steps: list[tuple[str, Any]], a, b):
    """Apply the steps to ``a`` (the chain) with ``b`` as the second operand."""
    for kind, arg in steps:
        if kind == "sum":
            a = a.sum(dim=arg[0], keepdim=arg[1])
        elif kind == "mean":
            a = a.mean(dim=arg[0], keepdim=arg[1])
        elif kind == "max":
            a = a.max() if arg[0] is None else a.max(dim=arg[0], keepdim=arg[1])[0]
        elif kind == "reshape":
            a = a.reshape(*arg)
        elif kind == "transpose":
            a = a.transpose(*arg)
        elif kind == "index":
            a = a[arg]
        elif kind == "matmul":
            a = a @ b
        elif arg == "/":
            a = a / (b * b + 1)  # a denominator kept away from 0
        else:
            a = {"+": a + b, "-": a - b, "*": a * b}[arg]
    return a


def _max_is_unique(steps, a_data, b_data) -> bool:
    """Whether every max in the chain has a clear winner (no near-tie: a kink of max)."""
    a, b = tga.tensor(a_data), tga.tensor(b_data)
    for kind, arg in steps:
        if kind == "max":
            values = a.array if arg[0] is None else np.moveaxis(a.array, arg[0], -1)
            top = np.sort(values.reshape(-1) if arg[0] is None else values, axis=-1)
            if top.shape[-1] > 1 and np.min(top[..., -1] - top[..., -2]) < 1e-3:
                return False
        a = run([(kind, arg)], a, b)
    return True


@SETTINGS
@given(program=programs(), seed=st.integers(0, 2**32 - 1))
def test_broadcast_and_reduction_chains_match_finite_differences(torch, program, seed):
    shape, other_shape, steps = program
    rng = np.random.default_rng(seed)
    a_data, b_data = rng.standard_normal(shape), rng.standard_normal(other_shape)
    if not _max_is_unique(steps, a_data, b_data):
        a_data = a_data + np.arange(a_data.size).reshape(shape)  # spread the values out
        if not _max_is_unique(steps, a_data, b_data):
            return
    a = tga.tensor(a_data, requires_grad=True)
    b = tga.tensor(b_data, requires_grad=True)
    assert autograd.gradcheck(lambda a, b: run(steps, a, b), (a, b), atol=1e-6, rtol=1e-5)
    # And torch agrees on the value and on both gradients.
    ta = torch.tensor(a_data, requires_grad=True)
    tb = torch.tensor(b_data, requires_grad=True)
    out, t_out = run(steps, a, b), run(steps, ta, tb)
    np.testing.assert_allclose(out.array, t_out.detach().numpy(), rtol=1e-12, atol=1e-12)
    weights = rng.standard_normal(out.shape)
    grads = autograd.grad((out * tga.tensor(weights)).sum(), (a, b), allow_unused=True)
    t_grads = torch.autograd.grad(
        (t_out * torch.tensor(weights)).sum(), (ta, tb), allow_unused=True
    )
    for g, tg in zip(grads, t_grads):
        if tg is None:
            assert g is None or not np.any(g.array)
        else:
            np.testing.assert_allclose(g.array, tg.numpy(), rtol=1e-12, atol=1e-12)
