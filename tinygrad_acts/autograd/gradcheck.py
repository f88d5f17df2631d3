"""Finite-difference checks of backward rules: ``gradcheck`` and ``gradgradcheck``.

The analytic Jacobian comes from the engine (one vector-Jacobian product per output element);
the numerical one from central differences, ``(f(x + eps) - f(x - eps)) / 2 eps``, in float64.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.autograd_api import grad as autograd_grad


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytic derivative disagrees with the numerical one."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _outputs(fn: Callable[..., Any], inputs: Sequence[Any]) -> tuple[Tensor, ...]:
    outs = _as_tuple(fn(*inputs))
    for o in outs:
        if not isinstance(o, Tensor):
            raise TypeError(f"gradcheck: func must return Tensors, got {type(o).__name__}")
    return outs


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against central differences.

    As torch's: an input that requires grad and is not float64 gets a warning (the check will
    likely fail in float32), and a failure raises ``GradcheckError`` (a ``RuntimeError``) with
    both Jacobians, one row per input element, here followed by the worst entry. The options
    torch checks with forward-mode or batched gradients are not available; the others
    (``fast_mode``, ``nondet_tol``, ...) are accepted, and the full check runs.
    """
    _unsupported(
        check_forward_ad=check_forward_ad,
        check_batched_grad=check_batched_grad,
        check_batched_forward_grad=check_batched_forward_grad,
    )
    if not (atol >= 0 and rtol >= 0):
        raise ValueError(f"gradcheck: atol and rtol must be non-negative, got {atol!r}, {rtol!r}")
    inputs = _as_tuple(inputs)
    for i, t in enumerate(inputs):
        if isinstance(t, Tensor) and t.requires_grad and t.dtype != np.float64:
            warnings.warn(_NOT_DOUBLE.format(i), UserWarning, stacklevel=2)
    # Work on private copies: the inputs are perturbed in place (theirs may be read-only).
    inputs = tuple(
        Tensor(t.array.copy(), requires_grad=t.requires_grad) if isinstance(t, Tensor) else t
        for t in inputs
    )
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError(_NO_INPUT)
    if not check_backward_ad:
        return True

    outs = _outputs(func, inputs)
    differentiable = [k for k, out in enumerate(outs) if out.requires_grad]
    for n, k in enumerate(differentiable or range(len(outs))):
        out = outs[k]
        # Analytic: row j of the Jacobian is the vector-Jacobian product with e_j (zeros when
        # no output is differentiable: then the numerical Jacobian must be zero too).
        dtype = out.dtype if out.dtype.kind == "f" else np.dtype(np.float64)
        analytic = [np.zeros((out.array.size, inputs[i].array.size), dtype) for i in diff]
        for j in range(out.array.size if differentiable else 0):
            e_j = np.zeros(out.array.size, dtype)
            e_j[j] = 1.0
            grads = autograd_grad(
                out,
                [inputs[i] for i in diff],
                grad_outputs=Tensor(e_j.reshape(out.shape)),
                retain_graph=True,
                allow_unused=True,
            )
            for a, g in zip(analytic, grads):
                if g is not None:
                    a[j] = g.array.ravel()

        # Numerical: column m of the Jacobian from perturbing input entry m, in their dtypes.
        for m_input, (a, i) in enumerate(zip(analytic, diff)):
            x = inputs[i].array
            numeric = np.zeros_like(a)
            for m in range(x.size):
                orig = x.flat[m]
                # Not under no_grad: func may itself differentiate (gradgradcheck's does).
                x.flat[m] = orig + eps
                # copies: an output may be the input's own array (an identity)
                plus = np.array(_outputs(func, inputs)[k].array, dtype).ravel()
                x.flat[m] = orig - eps
                minus = np.array(_outputs(func, inputs)[k].array, dtype).ravel()
                x.flat[m] = orig
                with np.errstate(all="ignore"):  # eps=0 gives nan, as torch's does
                    numeric[:, m] = (plus - minus) / (2 * eps)
            if not differentiable:
                if np.any(numeric != 0):
                    return _fail(_NOT_ZERO, raise_exception)
                continue
            bad = ~np.isclose(a, numeric, rtol=rtol, atol=atol, equal_nan=True)
            if bad.any():
                return _fail(
                    _mismatch(n, m_input, a, numeric, bad, out, x, atol, rtol), raise_exception
                )
    return True


_NOT_DOUBLE = (
    "Input #{} requires gradient and is not a double precision floating point or complex. This "
    "check will likely fail if all the inputs are not of double precision floating point or "
    "complex. "
)
_NO_INPUT = (
    "gradcheck expects at least one input tensor to require gradient, but none of them have "
    "requires_grad=True."
)
_NOT_ZERO = "Numerical gradient for function expected to be zero"


def _unsupported(**options: bool) -> None:
    """torch's checks that need forward-mode AD or vmap, which this package does not have."""
    for name, wanted in options.items():
        if wanted:
            raise NotImplementedError(
                f"gradcheck: {name}=True needs forward-mode AD or batched gradients, which "
                f"tinygrad_acts does not have; leave {name}=False"
            )


def _fail(message: str, raise_exception: bool) -> bool:
    if raise_exception:
        raise GradcheckError(message)
    return False


def _mismatch(
    k: int,
    i: int,
    analytic: np.ndarray,
    numeric: np.ndarray,
    bad: np.ndarray,
    out: Tensor,
    x: np.ndarray,
    atol: float,
    rtol: float,
) -> str:
    """torch's message, with the Jacobians as torch prints them (a row per input element),
    then the worst entry."""
    err = np.where(bad, np.abs(analytic - numeric), -1.0)
    j, m = np.unravel_index(np.argmax(np.nan_to_num(err, nan=np.inf)), err.shape)
    return (
        f"Jacobian mismatch for output {k} with respect to input {i},\n"
        f"numerical:{Tensor(numeric.T.copy())}\nanalytical:{Tensor(analytic.T.copy())}\n"
        f"Worst at output index {_index(j, out.shape)}, input index {_index(m, x.shape)}: "
        f"analytic {float(analytic[j, m])!r}, numerical {float(numeric[j, m])!r} "
        f"({int(bad.sum())} of {bad.size} entries differ; atol={atol}, rtol={rtol})"
    )


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
    seed: int = 0,
) -> bool:
    """Check second derivatives: ``gradcheck`` of the vector-Jacobian product of ``func``.

    ``grad_outputs`` (random in [-1, 1) if not given, from ``seed``, in the outputs' dtypes)
    are also treated as inputs, so both the derivative through the inputs and through the
    upstream gradient are checked. Errors and warnings as ``gradcheck``'s.
    """
    _unsupported(check_batched_grad=check_batched_grad, check_fwd_over_rev=check_fwd_over_rev)
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError(_NO_INPUT)
    if not check_rev_over_rev:
        return True
    outs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(
            Tensor(rng.uniform(-1, 1, o.shape).astype(o.dtype), requires_grad=True) for o in outs
        )
    grad_outputs = _as_tuple(grad_outputs)

    def first_derivative(*args: Tensor) -> tuple[Tensor, ...]:
        xs, gs = args[: len(inputs)], args[len(inputs) :]
        out = _outputs(func, xs)
        grads = autograd_grad(
            out, [xs[i] for i in diff], grad_outputs=gs, create_graph=True, allow_unused=True
        )
        # Every gradient, also one outside the graph (a backward that computed it from .data
        # cannot be differentiated: its numerical derivative then shows it is not constant).
        return tuple(
            Tensor(np.zeros_like(xs[i].array)) if g is None else g for i, g in zip(diff, grads)
        )

    return gradcheck(
        first_derivative,
        tuple(inputs) + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
