"""Gradient clipping: keep one bad batch from throwing the parameters far away.

``clip_grad_norm_`` treats all the gradients as one long vector g and, when its p-norm ‖g‖ₚ is
larger than ``max_norm``, scales every gradient by the same factor so that it is not:

    g ← g · min(1, max_norm / (‖g‖ₚ + 10⁻⁶))

(the 10⁻⁶ keeps the division finite when every gradient is zero). The direction of g is kept.
‖g‖ₚ = (Σ|gᵢ|ᵖ)^(1/p), the largest |gᵢ| for p = inf, and is returned as a Tensor.

``clip_grad_value_`` clamps each gradient entry to [-clip_value, clip_value] instead, which
changes the direction. Both change ``.grad`` in place, outside any graph, as torch's do; call
them between ``loss.backward()`` and ``optimizer.step()``.
"""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Iterable

import numpy as np

from ...core.tensor import Tensor
from ...torch_compat.in_place import changed_in_place

Parameters = Tensor | Iterable[Tensor]


def _as_list(parameters: Parameters) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _vector_norm(values: np.ndarray, p: float) -> np.ndarray:
    """‖values‖ₚ of the flattened array, in its dtype (torch's ``linalg.vector_norm``)."""
    magnitudes = np.abs(values.ravel())
    if p == math.inf:
        return magnitudes.max(initial=0)
    if p == -math.inf:
        return magnitudes.min()
    if p == 0:
        return np.asarray(np.count_nonzero(magnitudes), values.dtype)
    if p == 1:
        return magnitudes.sum()
    if p == 2:
        return np.sqrt(np.dot(magnitudes, magnitudes))
    return (magnitudes**p).sum() ** (1 / p)


def get_total_norm(
    tensors: Parameters,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """‖(t₁, t₂, …)‖ₚ: the ``norm_type``-norm of the tensors as one vector — the norm of their
    norms. 0 (float32) for no tensors."""
    tensors = _as_list(tensors)
    p = float(norm_type)
    if not tensors:
        return Tensor(np.asarray(0.0, np.float32))
    norms = [_vector_norm(t.array, p) for t in tensors]
    total = _vector_norm(np.stack(norms), p)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {p} for gradients from `parameters` is non-finite, so it "
            "cannot be clipped. To disable this error and scale the gradients by the non-finite "
            "norm anyway, set `error_if_nonfinite=False`"
        )
    return Tensor(np.asarray(total))


def clip_grads_with_norm_(
    parameters: Parameters, max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Multiply every ``.grad`` by min(1, max_norm/(total_norm + 10⁻⁶)), in place."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    total = total_norm.array
    factor = np.minimum(total.dtype.type(max_norm) / (total + total.dtype.type(1e-6)), 1)
    for g in grads:
        g.array *= factor.astype(g.array.dtype)
        changed_in_place(g)


def clip_grad_norm_(
    parameters: Parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale the gradients so that their total ``norm_type``-norm is at most ``max_norm`` (see
    the module); returns the total norm they had before, as a Tensor."""
    if isinstance(parameters, types.GeneratorType):
        parameters = list(parameters)
        if not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=2,
            )
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total_norm)
    return total_norm


def clip_grad_value_(
    parameters: Parameters, clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient entry to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad.array, -clip_value, clip_value, out=p.grad.array)
            changed_in_place(p.grad)
