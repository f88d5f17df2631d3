"""Saving and loading a model's state: ``Module.state_dict`` and ``Module.load_state_dict``.

The state is every parameter and persistent buffer under its dotted name (``"0.weight"``),
module by module in torch's order: a module's own parameters, then its buffers, then each
child's state. A module that appears twice in the tree is saved (and loaded) under both names,
as in torch. The keys are torch's for the same model, so a state moves between the libraries
unchanged.

Loading copies each value into the tensor it names, cast to that tensor's dtype, as torch's
``copy_``. Unlike torch, nothing is changed unless every entry can be loaded: a size mismatch
or a missing key reported with torch's words leaves the model as it was.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.in_place import changed_in_place
from ..torch_compat.size import Size
from .parameter import Parameter

# ``module`` below is an nn.Module (typed Any: module.py imports this file, not the reverse).
Module = Any


class _IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match (torch's name and repr)."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys!r}, "
            f"unexpected_keys={self.unexpected_keys!r})"
        )

    __str__ = __repr__


def _walk(module: Module, prefix: str = "") -> Iterator[tuple[str, Module]]:
    """Every module under ``module`` with its key prefix (``"layers.0."``), in torch's order,
    a shared module under each of its names."""
    stack = [(prefix, module)]
    while stack:
        prefix, module = stack.pop()
        yield prefix, module
        children = [(f"{prefix}{n}.", m) for n, m in module._modules.items() if m is not None]
        stack.extend(reversed(children))  # reversed: the first child is popped first


def _local_state(module: Module) -> dict[str, Tensor]:
    """A module's own parameters and persistent buffers (not its children's), by name."""
    buffers = {
        n: b for n, b in module._buffers.items() if n not in module._non_persistent_buffers_set
    }
    return {n: t for n, t in (*module._parameters.items(), *buffers.items()) if t is not None}


def state_dict(
    module: Module, destination: Any = None, prefix: str = "", keep_vars: bool = False
) -> Any:
    """The module's state: each tensor detached (sharing its values), or itself (keep_vars)."""
    out = OrderedDict() if destination is None else destination
    for module_prefix, m in _walk(module, prefix):
        for name, t in _local_state(m).items():
            out[module_prefix + name] = t if keep_vars else t.detach()
    return out


def _values(value: Any) -> np.ndarray | None:
    """The numbers of a state_dict value: a Tensor's, a NumPy array's or a torch tensor's;
    None for anything else (a list, a number, an array of strings or of objects)."""
    if isinstance(value, Tensor):
        array = value.array
    elif isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
    elif hasattr(value, "__array__") and hasattr(value, "detach"):  # a torch tensor
        value = value.detach()
        if str(value.dtype) == "torch.bfloat16":  # which NumPy has no type for
            value = value.float()
        array = np.asarray(value)
    else:
        return None
    return array if array.dtype.kind in "biufc" else None


class _Load(NamedTuple):
    """One entry to load: ``module.name`` (``target``) takes ``values``, from ``state[key]``."""

    module: Module
    name: str
    key: str
    target: Tensor
    values: np.ndarray


def _plan(
    module: Module, state: Mapping[str, Any]
) -> tuple[list[_Load], list[str], list[str], list[str]]:
    """What loading ``state`` would do: the entries to load, the missing and unexpected keys,
    and the other errors, found module by module in torch's order."""
    loads, missing, unexpected, errors = [], [], [], []
    for prefix, m in _walk(module):
        local = _local_state(m)
        for name, target in local.items():
            key = prefix + name
            if key not in state:
                missing.append(key)
                continue
            values = _values(state[key])
            if values is None:
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(state[key])}"
                )
                continue
            if target.array.ndim == 0 and values.shape == (1,):  # torch 0.3's scalars
                values = values.reshape(())
            if values.shape != target.array.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {Size(values.shape)} "
                    f"from checkpoint, the shape in current model is {Size(target.array.shape)}."
                )
                continue
            loads.append(_Load(m, name, key, target, values))
        for key in state:
            if key.startswith(prefix):
                first, *rest = key[len(prefix) :].split(".", 1)
                if (first not in m._modules) if rest else (first not in local):
                    unexpected.append(key)
    return loads, missing, unexpected, errors


def load_state_dict(
    module: Module, state: Mapping[str, Any], strict: bool = True, assign: bool = False
) -> _IncompatibleKeys:
    """Copy ``state`` into the module's tensors (see the module docstring)."""
    if not isinstance(state, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state)}.")
    loads, missing, unexpected, errors = _plan(module, state)
    if strict:
        if unexpected:
            keys = ", ".join(f'"{k}"' for k in unexpected)
            errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
        if missing:
            keys = ", ".join(f'"{k}"' for k in missing)
            errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
    if errors:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {type(module).__name__}:\n\t" + "\n\t".join(errors)
        )
    for load in loads:
        if assign:
            _assign(load, state[load.key])
        else:
            _copy(load.target, load.values)
    return _IncompatibleKeys(missing, unexpected)


def _copy(target: Tensor, values: np.ndarray) -> None:
    """``target.copy_(values)`` without a graph: cast to its dtype, its version bumped."""
    if values.dtype.kind == "c" and target.array.dtype.kind != "c":
        warnings.warn("Casting complex values to real discards the imaginary part", stacklevel=4)
        values = values.real
    with np.errstate(invalid="ignore", over="ignore"):  # nan into an integer buffer, as torch
        if target.array.flags.writeable:
            np.copyto(target.array, values, casting="unsafe")
        else:  # a read-only array (a NumPy constant) cannot take them: a new one
            target.array = values.astype(target.array.dtype)
    changed_in_place(target)


def _assign(load: _Load, value: Any) -> None:
    """``assign=True``: the module takes the state's tensor itself (a Tensor of the values
    for an array), as a Parameter where it had one, keeping that one's ``requires_grad``."""
    if not isinstance(value, Tensor) or value.array.shape != load.values.shape:
        value = Tensor(np.array(load.values))  # a copy: never aliases a torch tensor's memory
    if isinstance(load.target, Parameter):
        if isinstance(value, Parameter):
            value.requires_grad_(load.target.requires_grad)
        else:
            value = Parameter(value, requires_grad=load.target.requires_grad)
    setattr(load.module, load.name, value)
