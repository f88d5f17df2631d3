"""Finite-difference checks of backward rules: ``gradcheck`` and ``gradgradcheck``.

The analytic Jacobian comes from the engine (one vector-Jacobian product per output element);
the numerical one from central differences, ``(f(x + eps) - f(x - eps)) / 2 eps``, in float64.
"""

from __future__ import annotations

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
            raise TypeError(f"gradcheck: fn must return Tensors, got {type(o).__name__}")
    return outs


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``fn`` at ``inputs`` against central differences.

    Every input that requires grad must be float64. Returns True, or raises ``GradcheckError``
    naming the input, the worst entry of the Jacobian, and the analytic and numerical values.
    """
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be a positive step, got {eps!r}")
    if not (atol >= 0 and rtol >= 0):
        raise ValueError(f"gradcheck: atol and rtol must be non-negative, got {atol!r}, {rtol!r}")
    inputs = _as_tuple(inputs)
    # Work on private copies: the inputs are perturbed in place (theirs may be read-only).
    inputs = tuple(
        Tensor(t.array.copy(), requires_grad=t.requires_grad) if isinstance(t, Tensor) else t
        for t in inputs
    )
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError("gradcheck expects at least one input Tensor with requires_grad=True")
    for i in diff:
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need "
                "float64 (make it with dtype=float64)"
            )

    outs = _outputs(fn, inputs)
    for k, out in enumerate(outs):
        # Analytic: row j of the Jacobian is the vector-Jacobian product with e_j (all zeros
        # when the output does not depend on the inputs in the graph: then the numerical
        # Jacobian must be zero too, or fn cut the graph somewhere, e.g. with detach()).
        analytic = [np.zeros((out.array.size, inputs[i].array.size)) for i in diff]
        for j in range(out.array.size if out.requires_grad else 0):
            e_j = np.zeros(out.array.size)
            e_j[j] = 1.0
            grads = autograd_grad(
                out,
                [inputs[i] for i in diff],
                grad_outputs=Tensor(e_j.reshape(out.shape).astype(out.dtype)),
                retain_graph=True,
                allow_unused=True,
            )
            for a, g in zip(analytic, grads):
                if g is not None:
                    a[j] = g.array.ravel()

        # Numerical: column m of the Jacobian from perturbing input entry m.
        for a, i in zip(analytic, diff):
            x = inputs[i].array
            numeric = np.zeros_like(a)
            for m in range(x.size):
                orig = x.flat[m]
                # Not under no_grad: fn may itself differentiate (gradgradcheck's does).
                x.flat[m] = orig + eps
                plus = np.array(_outputs(fn, inputs)[k].array, dtype=np.float64).ravel()
                x.flat[m] = orig - eps
                minus = np.array(_outputs(fn, inputs)[k].array, dtype=np.float64).ravel()
                x.flat[m] = orig
                numeric[:, m] = (plus - minus) / (2 * eps)
            bad = ~np.isclose(a, numeric, rtol=rtol, atol=atol, equal_nan=True)
            if bad.any():
                err = np.where(bad, np.abs(a - numeric), -1.0)
                j, m = np.unravel_index(np.argmax(np.nan_to_num(err, nan=np.inf)), err.shape)
                cut = (  # torch's words, when the graph does not reach the output at all
                    ""
                    if out.requires_grad
                    else "Numerical gradient for function expected to be zero: output "
                    f"{k} is outside the graph (detached, or computed from .data). "
                )
                message = cut + (
                    f"Jacobian mismatch for output {k} with respect to input {i}: worst at "
                    f"output index {_index(j, out.shape)}, input index {_index(m, x.shape)}: "
                    f"analytic {float(a[j, m])!r}, numerical {float(numeric[j, m])!r} "
                    f"({int(bad.sum())} of {bad.size} entries differ; atol={atol}, rtol={rtol})"
                )
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Check second derivatives: ``gradcheck`` of the vector-Jacobian product of ``fn``.

    ``grad_outputs`` (random if not given, from ``seed``) are also treated as inputs, so both
    the derivative through the inputs and through the upstream gradient are checked.
    """
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError("gradgradcheck expects at least one input Tensor with requires_grad=True")
    outs = _outputs(fn, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(Tensor(rng.standard_normal(o.shape), requires_grad=True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)

    def first_derivative(*args: Tensor) -> tuple[Tensor, ...]:
        xs, gs = args[: len(inputs)], args[len(inputs) :]
        out = _outputs(fn, xs)
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
