"""``torch.linalg``: norms and the other linear-algebra functions under torch's names."""

from __future__ import annotations

from typing import Any

from .core.tensor import Tensor
from .torch_compat.checks import tensor_argument
from .torch_compat.linalg import LinAlgError, det, inv, matmul, solve
from .torch_compat.reductions import matrix_norm as _matrix_norm
from .torch_compat.reductions import vector_norm as _vector_norm


def vector_norm(
    x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """‖x‖_ord over ``dim`` (all elements if None): ord 2 (√Σx²), 1, inf, -inf, 0, any p."""
    return _vector_norm(tensor_argument("linalg_vector_norm", x), ord, dim, keepdim, dtype)


def matrix_norm(
    A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """A norm of the matrices over the axes ``dim``: 'fro', 1, -1, inf, -inf."""
    return _matrix_norm(tensor_argument("linalg_matrix_norm", A), ord, dim, keepdim, dtype)


def norm(
    A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """torch.linalg.norm: without ``ord``, the 2-norm of all elements (or over ``dim``); with
    it, a vector norm over one axis, a matrix norm over two (the input's only two, if ``dim``
    is None)."""
    A = tensor_argument("linalg_norm", A)
    dims = (dim,) if isinstance(dim, int) else dim
    if ord is None:
        return _vector_norm(A, 2, dim, keepdim, dtype)
    if dims is None:
        if A.ndim not in (1, 2):
            raise RuntimeError(
                "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
        dims = tuple(range(A.ndim))
    if len(dims) == 2:
        return _matrix_norm(A, ord, dims, keepdim, dtype)
    return _vector_norm(A, ord, dims, keepdim, dtype)


__all__ = [
    "LinAlgError",
    "det",
    "inv",
    "matmul",
    "matrix_norm",
    "norm",
    "solve",
    "vector_norm",
]
