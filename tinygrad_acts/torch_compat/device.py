"""``torch.device``, ``cuda.is_available()``, the default device and dtype: this package
computes on the CPU only, and says so in torch's words when asked for another device.

A ``device`` object can name any of torch's device types (``device("cuda")`` is fine, as in
torch without a GPU); using one other than the CPU fails: ``zeros(2, device="cuda")`` raises
torch's "Torch not compiled with CUDA enabled".
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .dtypes import get_default_dtype, is_dtype, set_default_dtype

# The device types torch knows, in the order its message lists them.
_TYPES = (
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta hpu "
    "mtia privateuseone"
).split()

# Devices torch was built without here: using one raises its AssertionError.
_NOT_COMPILED = {"cuda": "CUDA", "xpu": "XPU"}


class device:
    """A device: ``device("cpu")``, ``device("cuda:0")``, ``device("cpu", 0)``.

    ``repr`` is ``device(type='cpu')`` and ``str`` is ``cpu``, as torch's; two devices are
    equal when type and index are (``device("cpu") != device("cpu:0")``, as in torch).
    """

    __slots__ = ("index", "type")

    def __init__(self, type: Any, index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        elif not isinstance(type, str):
            raise TypeError(f"device() received an invalid type: {type.__class__.__name__}")
        elif type == "":
            raise RuntimeError("Device string must not be empty")
        else:
            type, index = _parse(type, index)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type: str = type
        self.index: int | None = index

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def _parse(text: str, index: int | None) -> tuple[str, int | None]:
    """``"cuda:1"`` as ("cuda", 1); torch's errors for a string it does not take."""
    parts = _DEVICE_STRING.fullmatch(text)
    if parts is None or (parts[2] is not None and index is not None):
        raise RuntimeError(f"Invalid device string: '{text}'")
    if parts[1] not in _TYPES:
        raise RuntimeError(
            f"Expected one of {', '.join(_TYPES)} device type at start of device string: {text}"
        )
    return parts[1], index if parts[2] is None else int(parts[2])


# A device string as torch reads it: a type, and maybe ":" and an index without leading zeros.
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")


def cpu_device(where: Any) -> device:
    """The device a tensor made with ``device=where`` is on: the CPU, or torch's error for any
    other (``None`` is the default device)."""
    d = _default_device if where is None else where if isinstance(where, device) else device(where)
    if d.type == "cpu":
        return d
    if d.type in _NOT_COMPILED:
        raise AssertionError(f"Torch not compiled with {_NOT_COMPILED[d.type]} enabled")
    raise RuntimeError(
        f"tinygrad_acts computes on the CPU only: device '{d}' is not available (use 'cpu')"
    )


def to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any, bool]:
    """The (device, dtype, copy) of torch's three forms of ``to``: ``to(dtype, non_blocking,
    copy)``, ``to(device, dtype, non_blocking, copy)``, ``to(other, non_blocking, copy)`` (the
    other tensor's device and dtype), each also by keyword; None for what is not given."""
    for key in kwargs:
        if key not in ("device", "dtype", "non_blocking", "copy", "memory_format"):
            raise TypeError(f"to() got an unexpected keyword argument '{key}'")
    where, dtype = kwargs.get("device"), kwargs.get("dtype")
    rest = list(args)
    if rest:
        first = rest.pop(0)
        if isinstance(first, Tensor):
            where, dtype = CPU, first.array.dtype
        elif is_dtype(first):
            dtype = first
        else:
            where = first
            if rest and is_dtype(rest[0]):
                dtype = rest.pop(0)
    if len(rest) > 2 or not all(isinstance(flag, bool) for flag in rest):
        names = ", ".join(type(a).__name__ for a in args)
        raise TypeError(f"to() received an invalid combination of arguments - got ({names})")
    copy = rest[1] if len(rest) == 2 else kwargs.get("copy", False)
    return where, None if dtype is None else np.dtype(dtype), copy


CPU = device("cpu")
_default_device = CPU


def set_default_device(where: Any) -> None:
    """The device factories use without ``device=`` (``None`` for the CPU again), as torch's
    ``set_default_device``: any device can be named, but making a tensor on one other than
    the CPU then fails."""
    global _default_device
    _default_device = CPU if where is None else device(where)


def get_default_device() -> device:
    """The device factories use without ``device=``: ``device(type='cpu')``."""
    return cpu_device(None)


class _Cuda:
    """``torch.cuda`` on a machine without a GPU: there is none, and seeding it does nothing."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Nothing to seed (torch's does nothing either without a GPU)."""

    manual_seed_all = manual_seed


class _Mps:
    """``torch.backends.mps``: Apple's GPU, not used by this package."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def is_built() -> bool:
        return False


class _Backends:
    """``torch.backends``: only ``mps.is_available()`` and ``mps.is_built()``."""

    mps = _Mps()


cuda = _Cuda()
backends = _Backends()

__all__ = [
    "backends",
    "cuda",
    "device",
    "get_default_device",
    "get_default_dtype",
    "set_default_device",
    "set_default_dtype",
]
