"""Every basic op: gradcheck and gradgradcheck in float64, and values, gradients and second
derivatives against torch. Broadcasting cases included.

The edge cases of each kind of op are in the files beside this one: test_elementwise.py,
test_reductions.py, test_shape_ops.py, test_matmul.py, test_indexing.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import grad, gradcheck, gradgradcheck

# name -> (function on tensors (works for ours and torch's), input shapes, input sampler)
POSITIVE = "positive"


ANY = "any"


OPS = {
    "add": (lambda a, b: a + b, [(3, 4), (4,)], ANY),
    "radd_number": (lambda a: 2.5 + a, [(3,)], ANY),
    "sub": (lambda a, b: a - b, [(2, 1, 3), (4, 1)], ANY),
    "rsub_number": (lambda a: 1.0 - a, [(3,)], ANY),
    "mul": (lambda a, b: a * b, [(3, 1), (1, 4)], ANY),
    "mul_self": (lambda a: a * a, [(5,)], ANY),
    "div": (lambda a, b: a / b, [(3, 4), (3, 1)], POSITIVE),
    "rdiv_number": (lambda a: 2.0 / a, [(3,)], POSITIVE),
    "neg": (lambda a: -a, [(2, 3)], ANY),
    "pow_number": (lambda a: a**3, [(4,)], ANY),
    "pow_fraction": (lambda a: a**1.5, [(4,)], POSITIVE),
    "pow_tensor": (lambda a, b: a**b, [(3,), (3,)], POSITIVE),
    "rpow_number": (lambda a: 2.0**a, [(3,)], ANY),
    "matmul": (lambda a, b: a @ b, [(3, 4), (4, 2)], ANY),
    "matmul_vec_mat": (lambda a, b: a @ b, [(4,), (4, 2)], ANY),
    "matmul_mat_vec": (lambda a, b: a @ b, [(3, 4), (4,)], ANY),
    "matmul_dot": (lambda a, b: a @ b, [(4,), (4,)], ANY),
    "matmul_batched": (lambda a, b: a @ b, [(2, 3, 4), (4, 2)], ANY),
    "exp": (lambda a: a.exp(), [(3, 2)], ANY),
    "log": (lambda a: a.log(), [(3, 2)], POSITIVE),
    "sqrt": (lambda a: a.sqrt(), [(3, 2)], POSITIVE),
    "abs": (lambda a: a.abs(), [(5,)], ANY),
    "clamp": (lambda a: a.clamp(-0.5, 0.5), [(6,)], ANY),
    "clamp_min": (lambda a: a.clamp(min=0.1), [(6,)], ANY),
    "sum": (lambda a: a.sum(), [(3, 4)], ANY),
    "sum_dim": (lambda a: a.sum(dim=1), [(3, 4)], ANY),
    "sum_dims_keepdim": (lambda a: a.sum(dim=(0, 2), keepdim=True), [(2, 3, 4)], ANY),
    "mean": (lambda a: a.mean(), [(3, 4)], ANY),
    "mean_dim": (lambda a: a.mean(dim=-1, keepdim=True), [(3, 4)], ANY),
    "max": (lambda a: a.max(), [(3, 4)], ANY),
    "max_dim": (lambda a: a.max(dim=1)[0], [(3, 4)], ANY),
    "min_dim_keepdim": (lambda a: a.min(dim=0, keepdim=True)[0], [(3, 4)], ANY),
    "reshape": (lambda a: a.reshape(4, 3) * 2, [(3, 4)], ANY),
    "transpose": (lambda a: a.transpose(0, 1) * 2, [(3, 4)], ANY),
    "T": (lambda a: a.T * 2, [(3, 4)], ANY),
    "index": (lambda a: a[1:, ::2] * 2, [(3, 4)], ANY),
    "index_repeat": (lambda a: a[[0, 0, 2]] * 2, [(3, 4)], ANY),
    "expand": (lambda a: a.expand(3, 4) * 2, [(3, 1)], ANY),
    "unsqueeze_squeeze": (lambda a: a.unsqueeze(0).squeeze(0) * 2, [(3,)], ANY),
    "composite": (lambda a, b: ((a * b).exp() / (1 + b * b)).sum(dim=0), [(3, 2), (2,)], ANY),
}


def sample(rng, shape, kind):
    x = rng.uniform(-2, 2, size=shape)
    if kind == POSITIVE:
        x = np.abs(x) + 0.5
    return x


@pytest.fixture(params=sorted(OPS))
def op(request, rng):
    fn, shapes, kind = OPS[request.param]
    arrays = [sample(rng, s, kind) for s in shapes]
    return request.param, fn, arrays


def test_gradcheck(op):
    _, fn, arrays = op
    inputs = [tga.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)


def test_gradgradcheck(op):
    _, fn, arrays = op
    inputs = [tga.tensor(a, requires_grad=True) for a in arrays]
    assert gradgradcheck(fn, inputs)


def test_against_torch(op, torch, rng):
    """Values, gradients (random upstream gradient) and a second derivative, in float64."""
    _, fn, arrays = op
    ours = [tga.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    y, ty = fn(*ours), fn(*theirs)
    np.testing.assert_allclose(y.array, ty.detach().numpy(), rtol=1e-13, atol=1e-13)
    assert y.dtype == np.float64

    v = rng.standard_normal(y.shape)
    g = grad(y, ours, grad_outputs=tga.tensor(v), create_graph=True)
    tg = torch.autograd.grad(ty, theirs, grad_outputs=torch.tensor(v), create_graph=True)
    for a, b in zip(g, tg):
        np.testing.assert_allclose(a.array, b.detach().numpy(), rtol=1e-12, atol=1e-12)

    # Second derivative: d/dx of <g, w> for a fixed w.
    if all(t.requires_grad for t in tg):
        w = [rng.standard_normal(t.shape) for t in g]
        s = sum(((gi * tga.tensor(wi)).sum() for gi, wi in zip(g, w)), tga.tensor(0.0))
        ts = sum((gi * torch.tensor(wi)).sum() for gi, wi in zip(tg, w))
        tg2 = torch.autograd.grad(ts, theirs, allow_unused=True)
        if not s.requires_grad:  # our first derivative is constant in x: torch's must be too
            assert all(b is None or not b.any() for b in tg2)
            return
        g2 = grad(s, ours, allow_unused=True)
        for a, b in zip(g2, tg2):
            if b is None or a is None:
                assert (a is None or not a.array.any()) and (b is None or not b.any())
            else:
                np.testing.assert_allclose(a.array, b.numpy(force=True), rtol=1e-11, atol=1e-12)
