"""Linear algebra as ops: ``Einsum``, the one op behind every sum of products of indexed
operands (matmul, batched matmul, dot, outer, trace, transposes …); and the inverse, the
determinant and the solution of AX = B of square matrices.

The gradient of an einsum with respect to one operand is another einsum — of the upstream
gradient and the other operands — so the rule is one line of algebra, and it is differentiable
again for free. The rules of ``Inverse``, ``Det`` and ``Solve`` are written with these ops (and
``@``) too, so they are differentiable again as well.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from ..core.function import Function, Node
from ..core.ops import expand, reshape, sum_to
from .basic import transpose

LETTERS = string.ascii_letters


def _fresh_letters(used: str, count: int) -> list[str]:
    """``count`` letters that ``used`` does not hold."""
    return [c for c in LETTERS if c not in used][:count]


class Einsum(Function):
    """Σ over the letters missing from the output of the product of the operands, each indexed
    by its subscripts: ``equation`` is explicit ("ij,jk->ik"), letters only, no ellipsis.

    ∂/∂(operand k) = einsum of the gradient (indexed by the output) and the other operands, to
    operand k's subscripts. Two subtleties: a letter repeated in operand k (a diagonal, "ii")
    gets a fresh letter tied to it by an identity matrix (δ), since an einsum cannot write a
    diagonal; a letter found only in operand k (summed, "ij->i") is absent from the others, so
    that gradient is expanded along it. A size-1 axis broadcast against a longer one is summed
    back. Saves every operand.
    """

    @staticmethod
    def forward(ctx: Node, *operands: np.ndarray, equation: str) -> np.ndarray:
        ctx.save_for_backward(*operands)
        ctx.equation = equation
        return np.einsum(equation, *operands, optimize=len(operands) > 1)

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, ...]:
        operands = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        subscripts = inputs.split(",")
        grads = []
        for k, need in enumerate(ctx.needs_input_grad):
            grads.append(_operand_gradient(grad, output, operands, subscripts, k) if need else None)
        return tuple(grads)


def _operand_gradient(
    grad: Any, output: str, operands: tuple[Any, ...], subscripts: list[str], k: int
) -> Any:
    """The gradient of operand ``k`` of einsum(subscripts -> output): see ``Einsum``."""
    shape = operands[k].shape
    fresh = iter(_fresh_letters("".join(subscripts) + output, len(subscripts[k])))
    own: list[str] = []
    deltas: list[tuple[np.ndarray, str]] = []
    for letter, n in zip(subscripts[k], shape):
        if letter in own:  # a diagonal: a new letter, equal to the first by δ
            new = next(fresh)
            deltas.append((np.eye(n, dtype=grad.dtype), letter + new))
            letter = new
        own.append(letter)
    factors = [(grad, output)] + [
        (operand, subs) for j, (operand, subs) in enumerate(zip(operands, subscripts)) if j != k
    ]
    factors += deltas
    present = "".join(subs for _, subs in factors)
    target = "".join(letter for letter in own if letter in present)
    equation = ",".join(subs for _, subs in factors) + "->" + target
    g = Einsum.apply(*(value for value, _ in factors), equation=equation)
    if len(target) < len(own):  # letters summed in operand k alone: the gradient is constant
        sizes = iter(g.shape)
        kept = tuple(next(sizes) if letter in present else 1 for letter in own)
        full = tuple(m if letter in present else n for letter, m, n in zip(own, kept, shape))
        g = expand(reshape(g, kept), full)
    return sum_to(g, shape)  # size-1 axes that were broadcast


# -- square matrices: inverse, determinant, solve (each batched over the leading axes) ----------


def _mT(x: Any) -> Any:
    """Each matrix of a batch transposed."""
    return transpose(x, -1, -2)


class Inverse(Function):
    """A⁻¹ of each square matrix.

    From A A⁻¹ = I, d(A⁻¹) = -A⁻¹ dA A⁻¹, so ∂/∂A = -A⁻ᵀ · grad · A⁻ᵀ. Saves the output A⁻¹.
    A singular A raises NumPy's ``LinAlgError`` (the torch layer words it as torch does); a
    matrix holding a NaN has an inverse of NaNs, as torch's (LAPACK would spread them partly).
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        out = np.linalg.inv(a)
        unknown = np.isnan(a).any(axis=(-2, -1))
        if unknown.any():
            out[unknown] = np.nan
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        (inverse,) = ctx.saved_tensors
        return -(_mT(inverse) @ grad @ _mT(inverse))


class Det(Function):
    """det A of each square matrix.

    Jacobi's formula: d det A = det A · tr(A⁻¹ dA), so ∂/∂A = grad · det A · A⁻ᵀ. Saves A and
    the output. The rule needs A⁻¹: at a singular A (where torch uses the adjugate) it raises.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> Any:
        a, det = ctx.saved_tensors
        scale = reshape(grad * det, (*det.shape, 1, 1))  # one number per matrix
        return scale * _mT(Inverse.apply(a))


class Solve(Function):
    """X = A⁻¹B, the solution of AX = B for square matrices A and matrices B (batches broadcast).

    From A X = B: ∂/∂B = A⁻ᵀ grad (solving Aᵀ Y = grad), and ∂/∂A = -(∂/∂B) Xᵀ. Saves A and
    the output X. A singular A raises NumPy's ``LinAlgError``.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.linalg.solve(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Any) -> tuple[Any, Any]:
        a, x = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_b = Solve.apply(_mT(a), grad)
        grad_a = -(grad_b @ _mT(x)) if need_a else None
        return grad_a, grad_b if need_b else None
