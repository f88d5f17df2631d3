"""Every basic op: gradcheck and gradgradcheck in float64, and values, gradients and second
derivatives against torch. Broadcasting cases included."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

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
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-13, atol=1e-13)
    assert y.dtype == np.float64

    v = rng.standard_normal(y.shape)
    g = grad(y, ours, grad_outputs=tga.tensor(v), create_graph=True)
    tg = torch.autograd.grad(ty, theirs, grad_outputs=torch.tensor(v), create_graph=True)
    for a, b in zip(g, tg):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, atol=1e-12)

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
                assert (a is None or not a.data.any()) and (b is None or not b.any())
            else:
                np.testing.assert_allclose(a.data, b.numpy(force=True), rtol=1e-11, atol=1e-12)


def test_float32_gradients_stay_float32():
    a = tga.tensor([[1.0, 2.0]], requires_grad=True)
    b = tga.tensor(np.array([3.0, 4.0]), requires_grad=True)  # float64
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


def test_max_ties_share_the_gradient_as_torch():
    x = tga.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]
    x = tga.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]] and indices.tolist() == [1]


def test_clamp_gradient_is_one_at_the_bounds():
    x = tga.tensor([0.5, 1.0, 1.5, 2.0, 2.5], requires_grad=True)
    x.clamp(1.0, 2.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_abs_gradient_at_zero_is_zero():
    x = tga.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    x.abs().sum().backward()
    assert x.grad.tolist() == [-1.0, 0.0, 1.0]


def test_pow_exponent_gradient_at_zero_base():
    b = tga.tensor([2.0], requires_grad=True)
    (tga.tensor([0.0]) ** b).sum().backward()
    assert b.grad.tolist() == [0.0]  # lim a^b log a = 0, not nan


def test_where():
    x = tga.tensor([-1.0, 2.0], requires_grad=True)
    y = tga.where(x > 0, x * 3, x * x)
    y.sum().backward()
    assert y.tolist() == [1.0, 6.0] and x.grad.tolist() == [-2.0, 3.0]


def test_masked_keeps_values_or_gives_exact_zeros_in_every_width():
    """values where keep, else 0 even for inf and nan (not 0·inf); a float width without an
    unsigned integer of its size (longdouble) takes np.where."""
    from tinygrad_acts.ops.basic import masked

    for dtype in (np.float16, np.float32, np.float64, np.longdouble):
        for n in (3, 300):  # the small and the large path
            values = np.resize(np.array([1.5, np.inf, np.nan, -np.inf, -2.0], dtype=dtype), n)
            keep = np.resize(np.array([True, False, False, True, True, False]), n)
            out = masked(values, keep)
            assert out.dtype == dtype and out.base is None
            np.testing.assert_array_equal(out, np.where(keep, values, 0))
        for v in (1.5, np.inf, np.nan, -2.0):  # one element, looked at: a copy or a zero
            for k in (True, False):
                value = np.broadcast_to(np.array(v, dtype=dtype), (1, 1))  # read-only view
                out = masked(value, np.array([[k]]))
                assert out.shape == (1, 1) and out.dtype == dtype and out.base is None
                assert out.flags.writeable
                np.testing.assert_array_equal(out, [[v if k else 0.0]])
                assert not k or np.signbit(out[0, 0]) == np.signbit(v)
                assert k or not np.signbit(out[0, 0])  # +0, as np.where gives
    # A 0-d graph's gradient can arrive as a NumPy scalar: still a new array comes back.
    for k in (True, False):
        out = masked(np.float64(2.0), np.array(k))
        assert type(out) is np.ndarray and out.shape == () and out == (2.0 if k else 0.0)


CLAMP_TENSOR_CASES = [
    ([-2.0, 0.5, 3.0], [0.0, 1.0, 0.0], 2.0),  # a 0-d upper bound
    ([1.0], [2.0], [0.0]),  # lo > hi: every value is hi
    ([[-2.0, 0.5, 3.0]], [[0.0], [1.0]], None),  # bounds broadcast the result
    ([-2.0, 0.5, 3.0, np.nan], None, [0.0, 1.0, 0.0, 1.0]),
    ([-2.0, 0.5, 3.0], [0.0, np.nan, 0.0], [1.0, 1.0, np.inf]),
    ([0.5, 1.0, 2.0], [1.0, 1.0, 1.0], [1.0, 2.0, 2.0]),  # on the bounds
]


@pytest.mark.parametrize(("a", "lo", "hi"), CLAMP_TENSOR_CASES)
def test_clamp_with_tensor_bounds_as_torch(torch, a, lo, hi):
    """Tensor bounds broadcast with the input and get gradients (torch's clamp.Tensor); the
    second derivative is zero."""
    arrays = [None if v is None else np.array(v) for v in (a, lo, hi)]
    ours = [None if v is None else tga.tensor(v, requires_grad=True) for v in arrays]
    theirs = [None if v is None else torch.tensor(v, requires_grad=True) for v in arrays]
    y, ty = ours[0].clamp(ours[1], ours[2]), theirs[0].clamp(theirs[1], theirs[2])
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    inputs = [t for t in ours if t is not None]
    grads = tga.autograd.grad((y * 3.0).sum(), inputs, create_graph=True)
    their_grads = torch.autograd.grad((ty * 3.0).sum(), [t for t in theirs if t is not None])
    for g, tg in zip(grads, their_grads):
        np.testing.assert_array_equal(g.data, tg.numpy())
    for g2 in tga.autograd.grad(sum(g.sum() for g in grads), inputs, allow_unused=True):
        assert g2 is None or not g2.data.any()


def test_clamp_bounds_dtypes_and_a_number_beside_a_tensor(torch):
    ints = tga.tensor([1, 5]).clamp(tga.tensor([2, 2]), tga.tensor([3, 3]))
    assert ints.dtype == np.int64 and ints.tolist() == [2, 3]
    wide = tga.tensor([1.0, 5.0]).clamp(tga.tensor([2.0, 2.0], dtype=tga.float64))
    assert wide.dtype == np.float64
    x = tga.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    x.clamp(tga.tensor(0.0), 1.0).sum().backward()  # beside a number, read as a number
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    for bound in (tga.tensor(0.0, requires_grad=True), tga.tensor([0.0])):  # torch: TypeError
        with pytest.raises(TypeError, match="clamp\\(\\) received an invalid combination"):
            x.clamp(bound, 1.0)
        with pytest.raises(TypeError):
            torch.ones(3).clamp(torch.tensor(0.0, requires_grad=True), 1.0)


def test_sign_of_nan_is_zero_and_so_is_abs_gradient_there(torch):
    values = [np.nan, -1.0, 0.0, 2.0]
    x = tga.tensor(values, dtype=np.float64, requires_grad=True)
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    np.testing.assert_array_equal(x.sign().data, tx.sign().detach().numpy())
    x.abs().sum().backward()
    tx.abs().sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    assert tga.tensor(np.nan).sign().item() == 0.0


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.bool_])
def test_sums_of_integers_are_int64_as_torch(torch, dtype):
    data = np.array([[1, 0], [1, 1]], dtype=dtype)
    for dim in (None, 0):
        ours = tga.tensor(data).sum(dim)
        theirs = torch.tensor(data).sum() if dim is None else torch.tensor(data).sum(dim)
        assert ours.dtype == np.int64 and str(theirs.dtype) == "torch.int64"
        np.testing.assert_array_equal(ours.data, theirs.numpy())


MATMUL_MISTAKES = [
    ((3,), np.float32, (2,), np.float32),
    ((2, 3), np.float32, (2,), np.float32),
    ((3,), np.float32, (2, 4), np.float32),
    ((2, 2, 3), np.float32, (4, 5), np.float32),
    ((3,), np.float32, (), np.float32),
    ((2,), np.float16, (2,), np.float32),
    ((2, 2), np.float64, (2, 2), np.float32),
    ((2, 2), np.float64, (2,), np.float32),
]


@pytest.mark.parametrize(("sa", "da", "sb", "db"), MATMUL_MISTAKES, ids=str)
def test_matmul_mistakes_in_torch_words(torch, sa, da, sb, db):
    assert_same_error(lambda L: L.tensor(np.ones(sa, da)) @ L.tensor(np.ones(sb, db)), torch)


@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.float32, np.float64),
                                    (np.float64, np.float32), (np.float32, None)])  # fmt: skip
def test_linear_dtype_mistakes_in_torch_words(torch, dtypes):
    weight, bias = dtypes
    assert_same_error(
        lambda L: L.nn.functional.linear(
            L.tensor(np.ones((2, 3))),  # float64 input
            L.tensor(np.ones((4, 3), weight)),
            None if bias is None else L.tensor(np.ones(4, bias)),
        ),
        torch,
    )


def test_integer_powers_with_negative_tensor_exponents_as_torch(torch):
    """torch: 1 for base 1, ±1 for base -1, 0 otherwise; a Python-number exponent < 0 is an
    error."""
    bases = np.array([-2, -1, 0, 1, 2, 3])
    for exponent in (-1, -2, -3, [-1, 2, -2, 0, 3, -3]):
        e = np.broadcast_to(np.array(exponent), bases.shape).copy()
        ours = tga.tensor(bases) ** tga.tensor(e)
        theirs = torch.tensor(bases) ** torch.tensor(e)
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert (2 ** tga.tensor([-1, 2])).tolist() == (2 ** torch.tensor([-1, 2])).tolist()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        tga.tensor([2, 3]) ** -1


@pytest.mark.parametrize("exponent", [0.5, -0.5, 2.0, -1.0, -2.0, 3.0, 1.5])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_powers_at_signed_zeros_and_infinities_as_torch(exponent, dtype, torch):
    """torch takes √a for 0.5 and 1/√a (rsqrt) for -0.5: (-0) ** -0.5 is -inf, (-inf) ** -0.5
    nan, and so the derivative of x ** 0.5 at -0 is -inf (the C library's pow: inf, 0, inf)."""
    x = np.array([-0.0, -np.inf, 0.0, np.inf, 4.0, -4.0, 0.25], dtype=dtype)
    ours = tga.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    y, ty = ours**exponent, theirs**exponent
    y.sum().backward()
    ty.sum().backward()
    for a, b in ((y.data, ty.detach().numpy()), (ours.grad.data, theirs.grad.numpy())):
        rtol = {np.float16: 1e-3, np.float32: 2e-7, np.float64: 1e-15}[dtype]
        np.testing.assert_allclose(a, b, rtol=rtol)  # (float16: torch's rsqrt is float32's)
        same = (a == b) & (a == 0)
        assert np.array_equal(np.signbit(a[same]), np.signbit(b[same]))
