"""torch's surface on the core's ``Tensor``: what makes it behave as ``torch.Tensor`` beyond the
lesson — dtype promotion, argument checks and torch's error wording, in-place ops and views,
conversions and printing.

Each module holds one part as a class of methods; importing this package installs them on
``core.Tensor`` (the binary operators replace the core's plain ones, which have NumPy's dtype
rules). The core never imports this layer.
"""

from __future__ import annotations

from ..core.tensor import Tensor
from .arithmetic import TensorArithmetic
from .comparisons import TensorComparisons
from .conversions import TensorConversions
from .creation import TensorCreation, tensor
from .functions import TensorUnique
from .hooks import TensorHooks
from .in_place import TensorInPlace
from .linalg import TensorLinalg
from .logical import TensorLogical
from .math import TensorMath
from .matrices import TensorMatrices
from .nodes import TorchNode  # noqa: F401  (importing it installs Node.next_functions)
from .ordering import TensorOrdering
from .reductions import TensorReductions
from .sampling import TensorRandom
from .selection import TensorSelection
from .shapes import TensorShapes

# What Python puts in every class body; and __hash__, which defining __eq__ sets to None there:
# a Tensor stays hashable by identity, as torch's.
_NOT_METHODS = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__hash__"}

_PARTS = (
    TensorCreation,
    TensorConversions,
    TensorHooks,
    TensorArithmetic,
    TensorMath,
    TensorComparisons,
    TensorLogical,
    TensorReductions,
    TensorLinalg,
    TensorInPlace,
    TensorShapes,
    TensorSelection,
    TensorOrdering,
    TensorMatrices,
    TensorUnique,
    TensorRandom,
)
for _part in _PARTS:
    for _name, _member in vars(_part).items():
        if _name not in _NOT_METHODS and not _name.startswith(("__static", "__first")):
            setattr(Tensor, _name, _member)

__all__ = ["Tensor", "tensor"]
