"""All the parameters of a model as one vector, and back."""

from __future__ import annotations

from collections.abc import Iterable

from ...core.tensor import Tensor
from ...torch_compat.functions import cat


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and joined end to end, in order (a differentiable ``cat``)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Give each parameter, in order, the next ``numel()`` values of ``vec`` as its data (a
    view of ``vec``, as in torch)."""
    if not isinstance(vec, Tensor):
        name = type(vec).__name__
        raise TypeError(f"expected torch.Tensor, but got: {name}")
    start = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[start : start + n].view_as(p).data
        start += n
