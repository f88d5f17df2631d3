"""Linear algebra as torch has it: ``matmul`` (``@``), ``mm``, ``mv``, ``dot``, ``outer``
(``ger``), ``t``, ``mT``, ``einsum``, ``addmm``, ``addmv``, the ``eye`` factory, and of square
matrices ``inverse``, ``det`` and ``solve`` — as functions (``torch.mm``) and Tensor methods,
with torch's checks in its words.

Every product here is one op: ``MatMul`` for the matrix products (whose checks are
``functions._check_matmul``), ``Einsum`` for einsum, ``Mul`` for the outer product; and
``Inverse``, ``Det``, ``Solve`` for the square matrices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops.basic import MatMul
from ..ops.linalg import LETTERS, Det, Einsum, Inverse, Solve
from .checks import _check_broadcast, tensor_argument, type_name
from .dtypes import result_type, torch_dtype_name
from .functions import _check_matmul
from .nodes import name_node


class TensorLinalg:
    """The linear-algebra methods of ``Tensor``."""

    def mm(self, mat2: Tensor) -> Tensor:
        """The matrix product of two 2-D tensors (no broadcasting, unlike ``@``)."""
        mat2 = tensor_argument("mm", mat2, "mat2")
        if self.array.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if mat2.array.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        _check_matmul(self.array, mat2.array)
        return MatMul.apply(self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        """A 2-D tensor times a 1-D one."""
        vec = tensor_argument("mv", vec, "vec")
        if self.array.ndim != 2 or vec.array.ndim != 1:
            raise RuntimeError(
                f"vector + matrix @ vector expected, got 1, {self.array.ndim}, {vec.array.ndim}"
            )
        _check_matmul(self.array, vec.array)
        return MatMul.apply(self, vec)

    def dot(self, tensor: Tensor) -> Tensor:
        """Σ aᵢbᵢ of two 1-D tensors of one length and dtype."""
        tensor = tensor_argument("dot", tensor, "tensor")
        if self.array.ndim != 1 or tensor.array.ndim != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {self.array.ndim}D and {tensor.array.ndim}D tensors"
            )
        _check_matmul(self.array, tensor.array)
        return MatMul.apply(self, tensor)

    def outer(self, vec2: Tensor) -> Tensor:
        """aᵢbⱼ: the outer product of two 1-D tensors (dtypes promoted, as ``*``)."""
        vec2 = tensor_argument("outer", vec2, "vec2")
        for name, v in (("self", self), ("vec2", vec2)):
            if v.array.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.array.ndim}-D")
        return self.reshape(-1, 1) * vec2

    ger = outer

    def t(self) -> Tensor:
        """A matrix transposed; a vector or a number as it is. More axes: torch's error."""
        if self.array.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.array.ndim}D"
            )
        return name_node(self.transpose(0, 1), "TBackward0") if self.array.ndim == 2 else self

    @property
    def mT(self) -> Tensor:
        """The last two axes swapped: each matrix of a batch transposed."""
        if self.array.ndim < 2:
            raise RuntimeError(
                "tensor.mT is only supported on matrices or batches of matrices. Got "
                f"{self.array.ndim}-D tensor."
            )
        return self.transpose(-2, -1)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """β·self + α·(mat1 @ mat2), self broadcast to the product's shape."""
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """β·self + α·(mat @ vec), self broadcast to the product's shape."""
        return addmv(self, mat, vec, beta=beta, alpha=alpha)

    def inverse(self) -> Tensor:
        """A⁻¹ of each square matrix (``torch.linalg.inv``)."""
        return inv(self)

    def det(self) -> Tensor:
        """The determinant of each square matrix (``torch.linalg.det``)."""
        return det(self)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """input @ other."""
    tensor_argument("matmul", other, "other", 2)
    return tensor_argument("matmul", input) @ other


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """The product of two matrices."""
    return tensor_argument("mm", input).mm(mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """A matrix times a vector."""
    return tensor_argument("mv", input).mv(vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """The dot product of two vectors."""
    return tensor_argument("dot", input).dot(tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two vectors."""
    return tensor_argument("outer", input).outer(vec2)


ger = outer


def t(input: Tensor) -> Tensor:
    """A matrix transposed (at most 2 axes)."""
    return tensor_argument("t", input).t()


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """The n×m identity: ones on the diagonal (float32 unless ``dtype`` says otherwise)."""
    for name, size, position in (("n", n, 1), ("m", m, 2)):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"eye(): argument '{name}' (position {position}) must be int, not "
                f"{type(size).__name__}"
            )
        if size < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {size}")
    if device is not None and str(device) != "cpu":
        raise RuntimeError(f"tinygrad_acts computes on the CPU only, not on {device}")
    values = np.eye(n, n if m is None else m, dtype=np.float32 if dtype is None else dtype)
    return Tensor(values, requires_grad=requires_grad)


# -- β·input + α·(a product) -----------------------------------------------------------------------


def _scaled_sum(input: Tensor, product: Tensor, beta: Any, alpha: Any, name: str) -> Tensor:
    """β·input + α·product, input broadcast to the product's shape (torch's expand error if it
    cannot be); β = 0 ignores input's values (nan included), as torch's does."""
    input = input.expand(product.array.shape)
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        return name_node(scaled, name)
    return name_node((input if beta == 1 else input * beta) + scaled, name)


def _same_dtypes(input: Tensor, *mats: Tensor) -> None:
    """torch's addmm/addmv refuse to mix dtypes (naming self and the last matrix argument)."""
    for t in (input, *mats):
        if t.array.dtype != mats[-1].array.dtype or t.array.dtype != input.array.dtype:
            raise RuntimeError(
                f"self and {'mat2' if len(mats) == 2 else 'vec'} must have the same dtype, but "
                f"got {torch_dtype_name(input.array.dtype)} and "
                f"{torch_dtype_name(mats[-1].array.dtype)}"
            )


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """β·input + α·(mat1 @ mat2): the matrix product of two 2-D tensors, plus input broadcast to
    its shape (a bias). Differentiable in all three."""
    input = tensor_argument("addmm", input)
    mat1 = tensor_argument("addmm", mat1, "mat1", 2)
    mat2 = tensor_argument("addmm", mat2, "mat2", 3)
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.array.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.array.ndim}-D tensor")
    for name, first in (("self", input), ("mat1", mat1)):
        if first.array.dtype != mat2.array.dtype:
            raise RuntimeError(
                f"{name} and mat2 must have the same dtype, but got "
                f"{torch_dtype_name(first.array.dtype)} and {torch_dtype_name(mat2.array.dtype)}"
            )
    _check_matmul(mat1.array, mat2.array)
    return _scaled_sum(input, MatMul.apply(mat1, mat2), beta, alpha, "AddmmBackward0")


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """β·input + α·(mat @ vec): a matrix times a vector, plus input broadcast to its shape."""
    input = tensor_argument("addmv", input)
    mat = tensor_argument("addmv", mat, "mat", 2)
    vec = tensor_argument("addmv", vec, "vec", 3)
    if mat.array.ndim != 2 or vec.array.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.array.ndim}, {mat.array.ndim}, "
            f"{vec.array.ndim}"
        )
    if not input.array.dtype == mat.array.dtype == vec.array.dtype:
        names = ", ".join(torch_dtype_name(t.array.dtype) for t in (input, mat))
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {names}, and "
            f"{torch_dtype_name(vec.array.dtype)}"
        )
    _check_matmul(mat.array, vec.array)
    return _scaled_sum(input, MatMul.apply(mat, vec), beta, alpha, "AddmvBackward0")


# -- square matrices: inverse, determinant, solve ------------------------------------------------


class LinAlgError(RuntimeError):
    """A matrix that a linear-algebra function cannot work with: singular (as
    ``torch.linalg.LinAlgError``, a ``RuntimeError``)."""


def _check_square(name: str, A: Tensor) -> None:
    """torch's checks of the matrix argument of inv, det and solve, in its words."""
    if A.array.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.array.dtype.kind != "f":
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got "
            f"{torch_dtype_name(A.array.dtype)}"
        )
    rows, columns = A.array.shape[-2:]
    if rows != columns:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {rows} by {columns} "
            "matrices"
        )


def first_zero_pivot(matrix: np.ndarray) -> int | None:
    """The 1-based column at which Gaussian elimination with partial pivoting (LAPACK's
    getrf, as torch uses) first meets a zero pivot; None if it meets none."""
    a = matrix.astype(np.float64)
    for k in range(a.shape[0]):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            return k + 1
        a[[k, p]] = a[[p, k]]
        a[k + 1 :, k] /= a[k, k]
        a[k + 1 :, k + 1 :] -= np.outer(a[k + 1 :, k], a[k, k + 1 :])
    return None


def _singular(A: np.ndarray, words: str) -> LinAlgError:
    """The error for a singular A (of a batch: naming the first singular matrix, as torch):
    ``words`` is the message, with ``{pivot}`` for the zero pivot's column."""
    matrices = A.reshape(-1, *A.shape[-2:])
    for i, matrix in enumerate(matrices):
        pivot = first_zero_pivot(matrix)
        if pivot is not None:
            where = f"(Batch element {i}): " if A.ndim > 2 else ""
            return LinAlgError(words.format(where=where, pivot=pivot))
    return LinAlgError(words.format(where="", pivot=A.shape[-1]))


_INV_SINGULAR = (
    "linalg.inv: {where}The diagonal element {pivot} is zero, the inversion could not be "
    "completed because the input matrix is singular."
)
_SOLVE_SINGULAR = (
    "torch.linalg.solve: {where}The solver failed because the input matrix is singular."
)


def inv(A: Tensor) -> Tensor:
    """A⁻¹ of each square matrix of A (batched over the leading axes), differentiable.
    A singular matrix is torch's ``LinAlgError``, naming the zero pivot."""
    A = tensor_argument("linalg_inv", A, "A")
    _check_square("linalg.inv", A)
    try:
        return name_node(Inverse.apply(A), "LinalgInvExBackward0")
    except np.linalg.LinAlgError:
        raise _singular(A.array, _INV_SINGULAR) from None


def inverse(input: Tensor) -> Tensor:
    """A⁻¹ (``torch.inverse``, the same as ``torch.linalg.inv``)."""
    return inv(tensor_argument("inverse", input))


def det(A: Tensor) -> Tensor:
    """det A of each square matrix of A (batched), differentiable (Jacobi's formula); 0 for a
    singular matrix."""
    A = tensor_argument("linalg_det", A, "A")
    _check_square("linalg.det", A)
    return name_node(Det.apply(A), "LinalgDetBackward0")


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with AX = B (``left=False``: XA = B), differentiable in A and B. B is a vector (or a
    batch of them) when it has one axis, or one fewer than A with A's leading shape; else a
    matrix. Batches broadcast. A singular A is torch's ``LinAlgError``."""
    A = tensor_argument("linalg_solve", A, "A")
    B = tensor_argument("linalg_solve", B, "B", 2)
    _check_square("linalg.solve", A)
    if A.array.dtype != B.array.dtype:
        raise RuntimeError(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{torch_dtype_name(A.array.dtype)} and B of type {torch_dtype_name(B.array.dtype)} "
            "instead"
        )
    vector = B.array.ndim == 1 or (
        left and B.array.ndim == A.array.ndim - 1 and B.array.shape == A.array.shape[:-1]
    )
    matrix_B = B.unsqueeze(-1) if vector else B
    n, (rows, columns) = A.array.shape[-1], matrix_B.array.shape[-2:]
    if (rows if left else columns) != n:
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation "
            f"{'AX' if left else 'XA'} = B ({n}x{n} and {rows}x{columns})"
        )
    _check_broadcast(matrix_B.array.shape[:-2], A.array.shape[:-2])
    if not left:  # XA = B is AᵀXᵀ = Bᵀ
        return solve(A.mT, B.mT).mT
    try:
        X = Solve.apply(A, matrix_B)
    except np.linalg.LinAlgError:
        raise _singular(A.array, _SOLVE_SINGULAR) from None
    X = name_node(X, "LinalgSolveExBackward0")
    return name_node(X.squeeze(-1), "LinalgSolveExBackward0") if vector else X


# -- einsum ------------------------------------------------------------------------------------


def einsum(*args: Any) -> Tensor:
    """Σ of products of the operands' entries, indexed as ``equation`` says: "ij,jk->ik" is
    a matrix product, "bij,bjk->bik" a batch of them, "i,i->" a dot product, "ii->i" a
    diagonal, "ij" (no arrow) the letters that appear once, in alphabetical order. "..." stands
    for the leading axes; an axis of length 1 broadcasts. One op (``ops.linalg.Einsum``),
    differentiable to any order."""
    if len(args) < 2:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    equation, operands = args[0], args[1:]
    if not isinstance(equation, str):
        raise TypeError(
            f"einsum(): argument 'equation' (position 1) must be str, not {type_name(equation)}"
        )
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for i, operand in enumerate(operands):
        if not isinstance(operand, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 1, but got {type_name(operand)}"
            )
    explicit = _explicit_equation(equation, [o.array.shape for o in operands])
    return Einsum.apply(*_one_dtype(operands), equation=explicit)


def _one_dtype(operands: tuple[Tensor, ...]) -> list[Tensor]:
    """torch's einsum refuses floating operands of different dtypes; integers are promoted."""
    first = operands[0].array.dtype
    for o in operands[1:]:
        if o.array.dtype != first and "f" in (first.kind, o.array.dtype.kind):
            raise RuntimeError(
                f"expected scalar type {torch_dtype_name(first)} but found "
                f"{torch_dtype_name(o.array.dtype)}"
            )
    target = result_type(*operands)
    return [o if o.array.dtype == target else o.to(target) for o in operands]


def _split_equation(equation: str) -> tuple[list[str], str | None]:
    """The operands' subscripts and the output's (None without an arrow), spaces removed; torch's
    error at the first character that is not a letter, ',', an ellipsis or the arrow."""
    arrow = equation.find("->")
    for i, c in enumerate(equation):
        in_output = arrow != -1 and i >= arrow + 2
        if c in LETTERS or c in ". " or (c == "," and not in_output):
            continue
        if arrow != -1 and i in (arrow, arrow + 1):
            continue
        raise RuntimeError(
            f"einsum(): invalid subscript given at index {i} in the equation string, "
            "subscripts must be in [a-zA-Z]"
        )
    compact = equation.replace(" ", "")
    inputs, _, output = compact.partition("->")
    return inputs.split(","), (output if "->" in compact else None)


def _letters(subscripts: str, operand: int, ndim: int, ellipsis: str) -> str:
    """One operand's (or the output's, ``operand`` -1) subscripts with "..." written out as the
    last ``ndim`` - (letters) of ``ellipsis``; torch's errors for stray dots and wrong counts."""
    named = subscripts.replace("...", "")
    if "." in named:
        reason = "that is not part of any ellipsis"
        if subscripts.count("...") > 1 or "...." in subscripts:
            reason = "for which an ellipsis was already found"
        raise RuntimeError(f"einsum(): found '.' for operand {operand} {reason}")
    if "..." not in subscripts:
        if operand >= 0 and len(named) != ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(named)}) does not "
                f"match the number of dimensions ({ndim}) for operand {operand} and no ellipsis "
                "was given"
            )
        return named
    if operand >= 0 and len(named) > ndim:
        raise RuntimeError(
            f"einsum(): the number of subscripts in the equation ({len(named)}) is more than the "
            f"number of dimensions ({ndim}) for operand {operand}"
        )
    covered = ndim - len(named) if operand >= 0 else len(ellipsis)
    return subscripts.replace("...", ellipsis[len(ellipsis) - covered :])


def _explicit_equation(equation: str, shapes: list[tuple[int, ...]]) -> str:
    """``equation`` in the form the op takes: letters only, and an explicit output."""
    inputs, output = _split_equation(equation)
    if len(inputs) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(inputs) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    named = "".join(inputs).replace(".", "") + (output or "").replace(".", "")
    covered = [
        len(shape) - len(subs.replace("...", "")) if "..." in subs else 0
        for subs, shape in zip(inputs, shapes)
    ]
    ellipsis = "".join(c for c in LETTERS if c not in named)[: max(covered, default=0)]
    letters = [
        _letters(subs, i, len(shape), ellipsis)
        for i, (subs, shape) in enumerate(zip(inputs, shapes))
    ]
    _check_sizes(letters, shapes, ellipsis)
    if output is None:  # implicit: the ellipsis, then the letters seen once, in ASCII order
        once = sorted(c for c in set("".join(letters)) if "".join(letters).count(c) == 1)
        result = ellipsis + "".join(c for c in once if c not in ellipsis)
    else:
        result = _letters(output, -1, 0, ellipsis)
        for c in result:
            if result.count(c) > 1:
                raise RuntimeError(
                    f"einsum(): output subscript {c} appears more than once in the output"
                )
            if c not in "".join(letters):
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any "
                    "input operand"
                )
    return ",".join(letters) + "->" + result


def _check_sizes(letters: list[str], shapes: list[tuple[int, ...]], ellipsis: str) -> None:
    """Every letter has one size (or 1, which broadcasts); a letter repeated in one operand
    has one size there. torch's words for each."""
    seen: dict[str, int] = {}
    for i, (subs, shape) in enumerate(zip(letters, shapes)):
        own: dict[str, int] = {}
        for c, n in zip(subs, shape):
            if c in own and own[c] != n:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {i} but the sizes don't "
                    f"match, {n} != {own[c]}"
                )
            own[c] = n
            if c in seen and n != seen[c] and 1 not in (n, seen[c]):
                if c in ellipsis:
                    covered = sum(1 for letter in subs if letter in ellipsis)
                    d = ellipsis.index(c) - (len(ellipsis) - covered)  # within its "..."
                    raise RuntimeError(
                        f"einsum(): dimension {d} covered by ellipsis in operand {i}has size {n} "
                        "which does not broadcast with previously seen ellipsis with size "
                        f"{seen[c]} for the respective dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not "
                    f"broadcast with previously seen size {seen[c]}"
                )
            seen[c] = n if c not in seen or seen[c] == 1 else seen[c]


__all__ = [
    "addmm",
    "addmv",
    "det",
    "dot",
    "einsum",
    "eye",
    "ger",
    "inverse",
    "matmul",
    "mm",
    "mv",
    "outer",
    "t",
]
