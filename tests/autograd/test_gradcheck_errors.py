"""``gradcheck`` and ``gradgradcheck`` fail as torch's do: ``GradcheckError`` (a RuntimeError)
with torch's message for a wrong derivative, a warning (not an error) for an input that is not
float64, torch's ValueError when no input requires grad."""

from __future__ import annotations

import importlib
import warnings

import pytest

import tinygrad_acts as tga


def gradcheck_error(T):
    return importlib.import_module(f"{T.__name__}.autograd.gradcheck").GradcheckError


def wrong_double(T):
    class Wrong(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3  # should be 2

    return Wrong


def run(call, T):
    """(returned or error type and message's first lines, warnings), with warnings caught."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call(T)
        except Exception as e:
            result = (type(e).__name__, isinstance(e, RuntimeError), str(e).split("\n")[:5])
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


def f64(T, values=(1.0, 2.0)):
    return T.tensor(list(values), dtype=T.float64, requires_grad=True)


CASES = {
    "a wrong backward": lambda T: T.autograd.gradcheck(wrong_double(T).apply, (f64(T),)),
    "a wrong backward, not raising": lambda T: T.autograd.gradcheck(
        wrong_double(T).apply, (f64(T),), raise_exception=False
    ),
    "a right one": lambda T: T.autograd.gradcheck(lambda x, y: x * y.exp(), (f64(T), f64(T))),
    "the second input wrong": lambda T: T.autograd.gradcheck(
        lambda x, y: x + wrong_double(T).apply(y), (f64(T), f64(T))
    ),
    "an output detached": lambda T: T.autograd.gradcheck(lambda x: (x * 2).detach(), (f64(T),)),
    "no input requires grad": lambda T: T.autograd.gradcheck(
        lambda x: x * 2, (T.tensor([1.0], dtype=T.float64),)
    ),
    "float32 input that passes": lambda T: T.autograd.gradcheck(
        lambda x: x * 0.5, (T.tensor([1.0, 2.0], requires_grad=True),), atol=0.1
    ),
    "float32 input that fails, not raising": lambda T: T.autograd.gradcheck(
        lambda x: x * 2, (T.tensor([1.0, 2.0], requires_grad=True),), raise_exception=False
    ),
    "float32 input that fails": lambda T: T.autograd.gradcheck(
        lambda x: x * 2, (T.tensor([1.0, 2.0], requires_grad=True),)
    ),
    "eps positional": lambda T: T.autograd.gradcheck(lambda x: x * 2, (f64(T),), 1e-6),
    "gradgradcheck no input requires grad": lambda T: T.autograd.gradgradcheck(
        lambda x: x * 2, (T.tensor([1.0], dtype=T.float64),)
    ),
    "gradgradcheck float32 input that passes": lambda T: T.autograd.gradgradcheck(
        lambda x: x * x, (T.tensor([1.0, 2.0], requires_grad=True),), atol=0.5
    ),
    "gradgradcheck of x²": lambda T: T.autograd.gradgradcheck(lambda x: x**2, (f64(T),)),
}


@pytest.mark.parametrize("name", CASES)
def test_gradcheck_fails_and_warns_as_torchs(name, torch):
    assert run(CASES[name], tga) == run(CASES[name], torch)


def test_gradcheck_error_is_torchs_class_of_error(torch):
    for T in (tga, torch):
        error = gradcheck_error(T)
        assert issubclass(error, RuntimeError)
        with pytest.raises(error, match="Jacobian mismatch for output 0 with respect to input 0"):
            T.autograd.gradcheck(wrong_double(T).apply, (f64(T),))


def test_gradcheck_names_the_worst_entry_after_torchs_message():
    """Beyond torch's two matrices: which entry is worst, by how much (3 vs 2, by hand)."""
    with pytest.raises(tga.autograd.GradcheckError) as raised:
        tga.autograd.gradcheck(wrong_double(tga).apply, (f64(tga, (1.0, 2.0, 3.0)),))
    last = str(raised.value).splitlines()[-1]
    assert last.startswith("Worst at output index (0,), input index (0,): analytic 3.0")
    assert "3 of 9 entries differ" in last
