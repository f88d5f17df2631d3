"""``Dropout``: in training, each input is zeroed with probability p and the rest are scaled by
1/(1 - p), so the expected output is the input; in evaluation it is the identity.

y = x·m/(1 - p) with m ~ Bernoulli(1 - p) drawn for each element from the package's generator
as torch draws it (m = 1 when a float64 uniform is below 1 - p): the same masks as torch's.
The mask is a constant of the product, so ∂y/∂x = m/(1 - p): the gradient flows only through
the kept elements.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.tensor import Tensor
from ...torch_compat.checks import tensor_argument
from ...torch_compat.dtypes import cast_refusal
from ...torch_compat.random import default_generator, in_order, memory_order, sample_bernoulli
from ..module import Module


def _probability_refused(p: Any) -> ValueError:
    return ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """x·m/(1 - p), m ~ Bernoulli(1 - p) per element, in training; ``input`` itself otherwise
    (and for p = 0). For p = 1 every element is multiplied by 0 (a nan stays nan, as in
    torch). ``inplace=True`` writes the result into ``input``."""
    input = tensor_argument("dropout", input)
    if p < 0.0 or p > 1.0:
        raise _probability_refused(p)
    if not training or p == 0:
        return input
    dtype = input.array.dtype
    if p == 1:
        noise = np.zeros((), dtype)
    elif dtype.kind != "f":  # the scale 1/(1 - p) is a float
        raise cast_refusal(np.float32, dtype)
    else:
        order = memory_order(input.array, like=True)  # torch: empty_like(input).bernoulli_
        keep = in_order(
            lambda shape: sample_bernoulli(default_generator, shape, 1 - p),
            input.array.shape,
            order,
        )
        noise = keep.astype(dtype) / dtype.type(1 - p)  # the scale rounded in x's dtype
    mask = Tensor._make(noise, None)
    return input.mul_(mask) if inplace else input * mask


class Dropout(Module):
    """Zero each element with probability ``p`` in training (scaling the rest by 1/(1 - p));
    the identity in evaluation (``model.eval()``)."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:  # ints here, floats in dropout: torch's TypeError names them
            raise _probability_refused(p)
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
