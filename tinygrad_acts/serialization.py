"""``save`` and ``load``: write any object holding Tensors to a file and read it back, as
``torch.save`` and ``torch.load``.

The usual uses::

    save(model.state_dict(), "model.pt")                 # the weights
    model.load_state_dict(load("model.pt"))
    save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7}, "ckpt.pt")

The file is a short header followed by a pickle of the object, in which every Tensor is
replaced by its kind (Tensor, Parameter or Buffer), dtype, shape, ``requires_grad`` and the
bytes of its values — so a round trip keeps all five. Gradients and graphs are not saved (as
in torch); a tensor saved twice in one object comes back as one tensor, but two tensors that
shared memory (a tensor and its view) come back as two copies.

**These files are not torch's**: real torch cannot read them, and ``load`` here cannot read a
file written by real torch (it says so). To move weights between the two, go through NumPy:
``{k: v.numpy() for k, v in state.items()}`` loads into either library's ``load_state_dict``.

Loading is safe by default (``weights_only=True``, torch's default since 2.6): only Tensors,
numbers, strings, ``None`` and lists, tuples, dicts, sets, ``OrderedDict`` and ``Counter`` of
them are made, so a file cannot run code. A whole pickled model needs ``weights_only=False``,
which runs whatever the file says: use it only for files you trust. ``add_safe_globals``
allows more classes in the safe mode.
"""

from __future__ import annotations

import collections
import os
import pickle
from collections.abc import Iterable
from typing import IO, Any

import numpy as np

from .core.tensor import Tensor
from .nn.parameter import Buffer, Parameter
from .torch_compat.device import device
from .torch_compat.dtypes import dtype, torch_dtype
from .torch_compat.size import Size

__all__ = ["add_safe_globals", "get_safe_globals", "load", "save"]

MAGIC = b"tinygrad_acts.save 1\n"  # first bytes of every file written by save
_TORCH_ZIP = b"PK\x03\x04"  # how torch's own files begin (a zip archive)

File = str | os.PathLike | IO[bytes]


# -- rebuilding what the pickle names (each a global that the safe loader allows) ----------------


def _rebuild_tensor(
    kind: str, dtype_str: str, shape: tuple[int, ...], data: bytes, requires_grad: bool
) -> Tensor:
    """A Tensor (or Parameter, Buffer) of ``shape`` and NumPy ``dtype_str`` from its bytes."""
    array = np.frombuffer(data, dtype=np.dtype(dtype_str)).reshape(shape).copy()
    if kind == "Parameter":
        return Parameter(array, requires_grad=requires_grad)
    if kind == "Buffer":
        return Buffer(Tensor(array, requires_grad=requires_grad))
    return Tensor(array, requires_grad=requires_grad)


def _rebuild_dtype(name: str) -> dtype:
    return torch_dtype(np.dtype(name))


def _rebuild_device(name: str) -> device:
    return device(name)


def _rebuild_size(dims: tuple[int, ...]) -> Size:
    return Size(dims)


_SAFE_GLOBALS: dict[tuple[str, str], Any] = {
    (f.__module__, f.__name__): f
    for f in (_rebuild_tensor, _rebuild_dtype, _rebuild_device, _rebuild_size)
}
_SAFE_GLOBALS.update(
    {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("collections", "Counter"): collections.Counter,
        ("builtins", "set"): set,
        ("builtins", "frozenset"): frozenset,
        ("builtins", "complex"): complex,
        ("builtins", "slice"): slice,
    }
)


def add_safe_globals(safe_globals: Iterable[Any]) -> None:
    """Allow these classes or functions in ``load(weights_only=True)`` (only those you trust:
    loading may call them with the file's arguments)."""
    for g in safe_globals:
        _SAFE_GLOBALS[(g.__module__, g.__qualname__)] = g


def get_safe_globals() -> list[Any]:
    """What ``add_safe_globals`` allowed (the built-in allowances are not listed)."""
    built_in = {_rebuild_tensor, _rebuild_dtype, _rebuild_device, _rebuild_size}
    built_in |= {collections.OrderedDict, collections.Counter, set, frozenset, complex, slice}
    return [g for g in _SAFE_GLOBALS.values() if g not in built_in]


# -- saving ---------------------------------------------------------------------------------


class _Pickler(pickle.Pickler):
    """A pickler that writes Tensors, dtypes, devices and sizes as calls of the rebuilders."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Tensor):
            kind = type(obj).__name__ if type(obj) in (Parameter, Buffer) else "Tensor"
            array = obj.array  # tobytes() lays out any strides in C order
            args = (kind, array.dtype.str, array.shape, array.tobytes(), obj.requires_grad)
            return _rebuild_tensor, args
        if isinstance(obj, dtype):
            return _rebuild_dtype, (np.dtype(obj).str,)
        if isinstance(obj, device):
            return _rebuild_device, (str(obj),)
        if isinstance(obj, Size):
            return _rebuild_size, (tuple(obj),)
        return NotImplemented  # everything else: pickle's usual way


def save(
    obj: object,
    f: File,
    pickle_module: Any = pickle,
    pickle_protocol: int = 2,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Write ``obj`` — a Tensor, a state_dict, a dict or list of them, a whole model — to the
    file ``f`` (a path, or a binary file object open for writing). See the module docstring."""
    if pickle_module is not pickle:
        raise ValueError("save(): only the standard pickle module is supported here")
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as stream:
            _write(obj, stream, pickle_protocol)
    elif hasattr(f, "write"):
        _write(obj, f, pickle_protocol)
    else:
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'write'")


def _write(obj: object, stream: IO[bytes], protocol: int) -> None:
    stream.write(MAGIC)
    _Pickler(stream, max(protocol, 3)).dump(obj)  # 3 and up store bytes as they are


# -- loading --------------------------------------------------------------------------------


class _SafeUnpickler(pickle.Unpickler):
    """An unpickler that makes only the allowed globals (see ``add_safe_globals``)."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = _SAFE_GLOBALS.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(
                "Weights only load failed. This file can still be loaded: if (and only if) you "
                "trust its source, call load with weights_only=False, which can run any code "
                "the file holds.\n"
                f"WeightsUnpickler error: Unsupported global: GLOBAL {module}.{name} was not an "
                "allowed global by default. Please use "
                f"`add_safe_globals([{module}.{name}])` to allowlist this global if you trust "
                "this class/function."
            )
        return allowed


class _Unpickler(pickle.Unpickler):
    """The full unpickler (``weights_only=False``), with the rebuilders found by name."""

    def find_class(self, module: str, name: str) -> Any:
        return _SAFE_GLOBALS.get((module, name)) or super().find_class(module, name)


def _check_map_location(map_location: Any) -> None:
    """Everything here lives on the CPU: a device other than it is refused in torch's words;
    a dict or a function (torch's other forms) is accepted and has nothing to move."""
    if map_location is None or callable(map_location) or isinstance(map_location, dict):
        return
    where = device(map_location) if isinstance(map_location, str) else map_location
    if not isinstance(where, device) and isinstance(getattr(where, "type", None), str):
        where = device(str(where))  # a torch.device
    if not isinstance(where, device):
        raise TypeError(
            "map_location should be a string, a device, a dict or a function, got "
            f"{type(map_location).__name__}"
        )
    if where.type != "cpu":
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
            "is False. If you are running on a CPU-only machine, please use torch.load with "
            "map_location=torch.device('cpu') to map your storages to the CPU."
        )


def load(
    f: File,
    map_location: Any = None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args: Any,
) -> Any:
    """Read back what ``save`` wrote to ``f`` (a path, or a binary file object open for
    reading). ``weights_only`` (default True) makes only tensors and plain containers, so an
    untrusted file cannot run code; pass False for a whole pickled model from a file you
    trust. ``map_location`` may only name the CPU."""
    _check_map_location(map_location)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as stream:
            return _read(stream, weights_only is not False, pickle_load_args)
    if not hasattr(f, "read"):
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'read'")
    return _read(f, weights_only is not False, pickle_load_args)


def _read(stream: IO[bytes], weights_only: bool, pickle_load_args: dict[str, Any]) -> Any:
    header = stream.read(len(MAGIC))
    if header != MAGIC:
        if header.startswith(_TORCH_ZIP):
            raise RuntimeError(
                "this file was written by torch.save, which tinygrad_acts cannot read: in torch, "
                "save the tensors as NumPy arrays ({k: v.numpy() for k, v in "
                "state_dict.items()}, with numpy.savez) and load those instead"
            )
        raise pickle.UnpicklingError(
            "not a file written by tinygrad_acts.save (its first bytes are not the header "
            f"{MAGIC!r})"
        )
    unpickler = _SafeUnpickler if weights_only else _Unpickler
    return unpickler(stream, **pickle_load_args).load()
