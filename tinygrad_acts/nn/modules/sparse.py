"""``Embedding``: a lookup table of learnable vectors, one row per token id.

``Embedding(num_embeddings, embedding_dim)`` holds a weight W of shape
(num_embeddings, embedding_dim); for integer indices i of any shape the output is W[i], of
shape i.shape + (embedding_dim,). It is indexing, so its gradient is a scatter-add:
∂L/∂W[r] = Σ over the positions p with i[p] = r of g[p] — a row used twice gets both
contributions, a row not used gets 0.

``padding_idx`` names a row that marks padding: it starts at zeros and gets no gradient, so
it stays what it is while the other rows train.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autograd.grad_mode import no_grad
from ...core.tensor import Tensor
from ...torch_compat.checks import tensor_argument
from ...torch_compat.dtypes import tensor_type_name
from ...torch_compat.functions import where
from ...torch_compat.in_place import changed_in_place
from ...torch_compat.nodes import name_node
from .. import init
from ..module import Module, Parameter, check_device


def _padding_index(padding_idx: int | None, rows: int) -> int | None:
    """``padding_idx`` as a row number (a negative one counts from the end), checked."""
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % rows


def _renorm_rows(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale, in place, each row named in ``indices`` whose ``norm_type``-norm exceeds
    ``max_norm`` to norm max_norm·‖row‖/(‖row‖ + 1e-7), as torch's ``embedding_renorm_``."""
    rows = np.unique(indices)
    norms = np.linalg.norm(weight.array[rows].astype(np.float64), ord=norm_type, axis=1)
    too_long = norms > max_norm
    scale = max_norm / (norms[too_long] + 1e-7)
    weight.array[rows[too_long]] *= scale[:, None].astype(weight.array.dtype)
    changed_in_place(weight)


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """``weight[input]``: the rows of ``weight`` named by the integer ``input``, as
    ``torch.nn.functional.embedding``. The row ``padding_idx`` gets no gradient; with
    ``max_norm`` the rows looked up are first rescaled in place to at most that norm."""
    input = tensor_argument("embedding", input)
    weight = tensor_argument("embedding", weight, "weight", 2)
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError(
            "embedding(): scale_grad_by_freq=True and sparse=True are not supported here; "
            "leave them False (the gradient of the weight is then dense and unscaled)"
        )
    if input.array.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {tensor_type_name(input.array.dtype)} instead (while "
            "checking arguments for embedding)"
        )
    indices = input.array
    rows = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        raise IndexError("index out of range in self")
    padding_idx = _padding_index(padding_idx, rows)
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    looked_up = weight[input]
    if padding_idx is None or not np.any(indices == padding_idx):
        return name_node(looked_up, "EmbeddingBackward0")
    # Same values at padding positions, but taken from a detached copy: no gradient there.
    padding = Tensor._make((indices == padding_idx)[..., None], None)
    return name_node(where(padding, looked_up.detach(), looked_up), "EmbeddingBackward0")


class Embedding(Module):
    """A table of ``num_embeddings`` learnable vectors of size ``embedding_dim``, drawn from
    N(0, 1) (the ``padding_idx`` row, if any, set to zeros); calling it with integer ids looks
    up their rows."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            dtype = np.dtype(np.float32 if dtype is None else dtype)
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise AssertionError(
                    "Shape of weight does not match num_embeddings and embedding_dim"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the rows from N(0, 1) again; the padding row back to zeros."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (2-d; shared, not copied), frozen
        (no gradient) unless ``freeze=False``."""
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(
            rows,
            cols,
            padding_idx,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            sparse,
            _weight=embeddings,
            _freeze=freeze,
        )
