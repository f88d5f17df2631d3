"""``Size``: a tensor's shape as torch gives it, a tuple of ints that prints as ``torch.Size``.

It prints ``torch.Size([2, 3])``, torch's words, not ``tinygrad_acts.Size``: code written for
torch prints shapes, and users compare what it prints (torch's own messages, copied here, name
shapes that way too). Being a tuple, it equals the tuple of its ints: ``x.shape == (2, 3)``.
"""

from __future__ import annotations

import math
from typing import Any, SupportsIndex

import numpy as np


class Size(tuple):
    """A shape: ``Size([2, 3])``, a tuple of ints (slices and sums of it are Sizes again)."""

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> Size:
        sizes = tuple(sizes)
        for i, n in enumerate(sizes):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(
                    f"torch.Size() takes an iterable of 'int' (item {i} is '{type(n).__name__}')"
                )
        return super().__new__(cls, (int(n) for n in sizes))

    @classmethod
    def of(cls, shape: tuple[int, ...]) -> Size:
        """A NumPy shape (already ints) as a Size, without checking it again."""
        return tuple.__new__(cls, shape)

    def numel(self) -> int:
        """How many elements a tensor of this shape holds: the product of the sizes."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def __getitem__(self, key: SupportsIndex | slice) -> Any:  # type: ignore[override]
        item = tuple.__getitem__(self, key)
        return Size.of(item) if isinstance(key, slice) else item

    def __add__(self, other: tuple[Any, ...]) -> Size:  # type: ignore[override]
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: tuple[Any, ...]) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, times: SupportsIndex) -> Size:  # type: ignore[override]
        return Size.of(tuple(self) * times)

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[Any, ...]:
        return (Size, (tuple(self),))
