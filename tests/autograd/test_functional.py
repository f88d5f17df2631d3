"""``torch.autograd.functional``: Jacobians, Hessians and their products with a vector, run the
same way on tinygrad_acts and on torch — values, dtypes, the nesting of the result (a Tensor or
tuples of them), whether results require grad, and the errors of strict mode and bad arguments.
"""

from __future__ import annotations

import importlib
import warnings

import pytest

import tinygrad_acts as tga
from tinygrad_acts.as_torch import package_name


def described(value):
    """A result as plain values: a Tensor as (values, dtype, requires_grad), tuples as lists
    (so a Tensor and a one-element tuple differ)."""
    if isinstance(value, tuple):
        return ["tuple", *[described(v) for v in value]]
    if isinstance(value, tga.Tensor) or type(value).__module__.startswith("torch"):
        rounded = value.detach().double().numpy().round(10).tolist()
        return rounded, str(value.dtype).removeprefix("torch."), value.requires_grad
    return value


def outcome(run, lib):
    """``run(lib)`` described, or its error as "Type: message". (torch's forward mode warns
    that ``torch.jit.script``, which it uses inside, is deprecated: not the test's concern.)"""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return described(run(lib))
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def x3(lib, requires_grad=False):
    return lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=requires_grad)


def m22(lib):
    return lib.tensor([[1.0, 2.0], [3.0, -0.5]], dtype=lib.float64)


def F(lib):
    return lib.autograd.functional


def cube(x):
    return (x**3).sum()


def mixed(x, y):
    return (x * y.sum() + x.exp()).sum() * y[0]


CASES = {
    # jacobian: the nesting follows the inputs and outputs
    "jacobian one in one out": lambda T: F(T).jacobian(lambda x: x.sin() * x, x3(T)),
    "jacobian of a scalar output": lambda T: F(T).jacobian(cube, x3(T)),
    "jacobian of a scalar input": lambda T: F(T).jacobian(
        lambda x: x * T.arange(3.0), T.tensor(2.0)
    ),
    "jacobian of a matrix": lambda T: F(T).jacobian(lambda m: m @ m, m22(T)),
    "jacobian tuple in": lambda T: F(T).jacobian(lambda x, y: x * y, (x3(T), x3(T) + 1)),
    "jacobian tuple out": lambda T: F(T).jacobian(lambda x: (x.exp(), x.sum()), x3(T)),
    "jacobian tuple in and out": lambda T: F(T).jacobian(
        lambda x, m: (x * 2, (m * x[:2]).sum(), m.t()), (x3(T), m22(T))
    ),
    "jacobian one-element tuple in": lambda T: F(T).jacobian(lambda x: x * 2, (x3(T),)),
    "jacobian unused input is zeros": lambda T: F(T).jacobian(lambda x, y: x * 2, (x3(T), m22(T))),
    "jacobian constant output is zeros": lambda T: F(T).jacobian(lambda x: T.ones(2), x3(T)),
    "jacobian vectorize": lambda T: F(T).jacobian(
        lambda x, y: (x * y, y), (x3(T), x3(T)), vectorize=True
    ),
    "jacobian forward-mode vectorized": lambda T: F(T).jacobian(
        lambda x: x.sin(), x3(T), vectorize=True, strategy="forward-mode"
    ),
    "jacobian create_graph requires grad": lambda T: F(T).jacobian(
        lambda x: x**2, x3(T), create_graph=True
    ),
    "jacobian create_graph of a constant input": lambda T: F(T).jacobian(
        lambda x: x**2, x3(T, requires_grad=False), create_graph=True
    ),
    "jacobian captures the callers tensor": lambda T: (lambda x: F(T).jacobian(lambda y: y * x, x))(
        x3(T, requires_grad=True)
    ),
    "jacobian float32": lambda T: F(T).jacobian(lambda x: x * 3, T.tensor([1.0, 2.0])),
    "jacobian under no_grad": lambda T: _under_no_grad(T, lambda: F(T).jacobian(cube, x3(T))),
    # hessian
    "hessian one input": lambda T: F(T).hessian(cube, x3(T)),
    "hessian of a matrix input": lambda T: F(T).hessian(lambda m: (m @ m).sum() * m[0, 1], m22(T)),
    "hessian tuple input": lambda T: F(T).hessian(mixed, (x3(T), x3(T) * 2)),
    "hessian one-element tuple": lambda T: F(T).hessian(cube, (x3(T),)),
    "hessian create_graph": lambda T: F(T).hessian(cube, x3(T), create_graph=True),
    "hessian vectorize": lambda T: F(T).hessian(mixed, (x3(T), x3(T)), vectorize=True),
    # torch's result here requires grad (through forward mode's private dual tensors, no
    # graph back to the caller); ours, computed in reverse mode, does not: values compared
    "hessian forward-mode outer": lambda T: (
        F(T).hessian(cube, x3(T), vectorize=True, outer_jacobian_strategy="forward-mode").detach()
    ),
    "hessian of a linear function is zeros": lambda T: F(T).hessian(lambda x: x.sum() * 2, x3(T)),
    # vjp, jvp, vhp, hvp: (output, product)
    "vjp": lambda T: F(T).vjp(lambda x: x.exp() * x, x3(T), T.ones(3, dtype=T.float64)),
    "vjp v defaults to 1 for a scalar": lambda T: F(T).vjp(cube, x3(T)),
    "vjp tuples": lambda T: F(T).vjp(
        lambda x, y: (x * y, y.sum()),
        (x3(T), x3(T) + 1),
        (x3(T), T.tensor(2.0, dtype=T.float64)),
    ),
    "vjp unused input is zeros": lambda T: F(T).vjp(lambda x, y: x.sum(), (x3(T), m22(T))),
    "vjp create_graph": lambda T: F(T).vjp(lambda x: x**2, x3(T), x3(T), create_graph=True),
    "jvp": lambda T: F(T).jvp(lambda x: x.exp() * x, x3(T), T.ones(3, dtype=T.float64)),
    "jvp of a scalar output": lambda T: F(T).jvp(cube, x3(T), x3(T)),
    "jvp v defaults to 1 for a scalar input": lambda T: F(T).jvp(
        lambda x: x * T.arange(3.0, dtype=T.float64), T.tensor(2.0, dtype=T.float64)
    ),
    "jvp tuples": lambda T: F(T).jvp(
        lambda x, y: (x * y, (x + y).sum()), (x3(T), x3(T) + 1), (x3(T), x3(T) * 3)
    ),
    "jvp output not depending on input": lambda T: F(T).jvp(
        lambda x, y: (x * 2, T.ones(2, dtype=T.float64)), (x3(T), x3(T)), (x3(T), x3(T))
    ),
    "jvp create_graph": lambda T: F(T).jvp(lambda x: x**2, x3(T), x3(T), create_graph=True),
    "vhp": lambda T: F(T).vhp(cube, x3(T), T.tensor([1.0, 2.0, 3.0], dtype=T.float64)),
    "vhp tuple": lambda T: F(T).vhp(mixed, (x3(T), x3(T) * 2), (x3(T), x3(T) + 1)),
    "hvp": lambda T: F(T).hvp(cube, x3(T), T.tensor([1.0, 2.0, 3.0], dtype=T.float64)),
    "hvp tuple": lambda T: F(T).hvp(mixed, (x3(T), x3(T) * 2), (x3(T), x3(T) + 1)),
    "hvp create_graph": lambda T: F(T).hvp(cube, x3(T), x3(T), create_graph=True),
    "vhp of a scalar input without v": lambda T: F(T).vhp(lambda x: x**4, T.tensor(2.0)),
}

ERRORS = {
    # strict mode, in torch's words
    "jacobian strict unused input": lambda T: F(T).jacobian(
        lambda x, y: x * 2, (x3(T), x3(T)), strict=True
    ),
    "jacobian strict constant output": lambda T: F(T).jacobian(
        lambda x: T.ones(3), x3(T), strict=True
    ),
    "jacobian strict create_graph of a linear function": lambda T: F(T).jacobian(
        lambda x: x * 2, x3(T), strict=True, create_graph=True
    ),
    "jacobian strict and vectorize": lambda T: F(T).jacobian(
        lambda x: x * 2, x3(T), strict=True, vectorize=True
    ),
    "jacobian forward-mode not vectorized": lambda T: F(T).jacobian(
        lambda x: x * 2, x3(T), strategy="forward-mode"
    ),
    "jacobian forward-mode create_graph": lambda T: F(T).jacobian(
        lambda x: x * 2, x3(T), strategy="forward-mode", create_graph=True, vectorize=True
    ),
    "jacobian forward-mode strict": lambda T: F(T).jacobian(
        lambda x: x * 2, x3(T), strategy="forward-mode", strict=True, vectorize=True
    ),
    "jacobian unknown strategy": lambda T: F(T).jacobian(lambda x: x, x3(T), strategy="sideways"),
    "jacobian of an empty output": lambda T: F(T).jacobian(lambda x: x[:0], x3(T)),
    "hessian strict linear function": lambda T: F(T).hessian(
        lambda x: x.sum() * 2, x3(T), strict=True
    ),
    "hessian of a vector output": lambda T: F(T).hessian(lambda x: x * 2, x3(T)),
    "hessian of a tuple output": lambda T: F(T).hessian(lambda x: (x.sum(),), x3(T)),
    "hessian unknown strategy": lambda T: F(T).hessian(
        cube, x3(T), outer_jacobian_strategy="sideways"
    ),
    "vjp strict unused input": lambda T: F(T).vjp(
        lambda x, y: x.sum(), (x3(T), x3(T)), strict=True
    ),
    "vjp strict output without grad": lambda T: F(T).vjp(lambda x: T.ones(()), x3(T), strict=True),
    "vjp strict create_graph of a linear function": lambda T: F(T).vjp(
        lambda x: x.sum(), x3(T), strict=True, create_graph=True
    ),
    "jvp strict unused input": lambda T: F(T).jvp(
        lambda x, y: x * 2, (x3(T), x3(T)), (x3(T), x3(T)), strict=True
    ),
    "vhp strict linear function": lambda T: F(T).vhp(lambda x: x.sum(), x3(T), x3(T), strict=True),
    "hvp strict linear function": lambda T: F(T).hvp(lambda x: x.sum(), x3(T), x3(T), strict=True),
    # v and the arguments
    "vjp without v for a vector output": lambda T: F(T).vjp(lambda x: x * 2, x3(T)),
    "jvp without v for a vector input": lambda T: F(T).jvp(lambda x: x * 2, x3(T)),
    "hvp without v for a vector input": lambda T: F(T).hvp(cube, x3(T)),
    "vjp v of the wrong size": lambda T: F(T).vjp(lambda x: x * 2, x3(T), T.ones(2)),
    "vjp v of the wrong size in a tuple": lambda T: F(T).vjp(
        lambda x: (x * 2, x), x3(T), (T.ones(3), T.ones(2))
    ),
    "vjp v tuple of the wrong length": lambda T: F(T).vjp(
        lambda x: (x * 2, x), x3(T), (T.ones(3),)
    ),
    "jvp v of two for one input": lambda T: F(T).jvp(lambda x: x * 2, x3(T), (x3(T), x3(T))),
    "vhp of a vector output": lambda T: F(T).vhp(lambda x: x * 2, x3(T), x3(T)),
    "hvp of a tuple output": lambda T: F(T).hvp(lambda x: (x.sum(),), x3(T), x3(T)),
    "inputs a list": lambda T: F(T).jacobian(lambda x: x, [x3(T)]),
    "inputs a number in a tuple": lambda T: F(T).vjp(lambda x, y: x, (x3(T), 2.0), x3(T)),
    "func returning a number": lambda T: F(T).jacobian(lambda x: 3.0, x3(T)),
    "v a list": lambda T: F(T).jvp(lambda x: x, x3(T), [1.0, 2.0, 3.0]),
}


def _under_no_grad(T, call):
    with T.no_grad():
        return call(), T.is_grad_enabled()


@pytest.mark.parametrize("name", CASES)
def test_functional_gives_torchs_values_and_nesting(name, torch):
    assert outcome(CASES[name], tga) == outcome(CASES[name], torch)


@pytest.mark.parametrize("name", ERRORS)
def test_functional_raises_torchs_error(name, torch):
    ours, theirs = outcome(ERRORS[name], tga), outcome(ERRORS[name], torch)
    assert isinstance(theirs, str), theirs  # torch raises for each of these
    assert ours == theirs


def test_create_graph_results_differentiate_back_to_the_callers_inputs(torch):
    """With ``create_graph=True`` the Jacobian is a function of the caller's x: its own
    gradient, d/dx Σ_ij J_ij for J = diag(3x²), is 6x."""

    def run(T):
        x = x3(T, requires_grad=True)
        jac = T.autograd.functional.jacobian(lambda y: y**3, x, create_graph=True)
        (g,) = T.autograd.grad(jac.sum(), x)
        _, hv = T.autograd.functional.hvp(cube, x, T.ones(3, dtype=T.float64), create_graph=True)
        (g2,) = T.autograd.grad(hv.sum(), x)
        return g, g2

    assert outcome(run, tga) == outcome(run, torch)
    assert outcome(run, tga)[1][0] == [3.0, -6.0, 12.0]  # 6x


def test_hessian_by_hand():
    """f(x, y) = x²y: H = [[2y, 2x], [2x, 0]] at (x, y) = (3, 5)."""
    x, y = tga.tensor(3.0, dtype=tga.float64), tga.tensor(5.0, dtype=tga.float64)
    (hxx, hxy), (hyx, hyy) = tga.autograd.functional.hessian(lambda a, b: a * a * b, (x, y))
    assert [hxx.item(), hxy.item(), hyx.item(), hyy.item()] == [10.0, 6.0, 6.0, 0.0]


def test_functional_imports_as_a_module_under_torchs_name():
    module = importlib.import_module(package_name("torch.autograd.functional"))
    assert module is tga.autograd.functional
    assert sorted(module.__all__) == ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def test_jacobian_leaves_the_callers_tensors_alone(torch):
    def run(T):
        x = x3(T)
        F(T).jacobian(lambda y: y * 2, x)
        F(T).hessian(cube, x, vectorize=True, outer_jacobian_strategy="forward-mode")
        return x.requires_grad, x.grad is None, x.grad_fn is None

    assert outcome(run, tga) == outcome(run, torch)
