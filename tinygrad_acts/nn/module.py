"""``Module``: the building block of networks, as torch.nn's.

A ``Module`` keeps three ordered tables, filled by plain attribute assignment:

- ``_parameters``: the ``Parameter``s (``self.weight = Parameter(...)``) — what an optimizer
  updates;
- ``_buffers``: other tensors that belong to the model's state (``register_buffer``, or
  assigning a ``Buffer``), e.g. a loss's class weights — saved and loaded, never trained;
- ``_modules``: the sub-modules (``self.fc1 = Linear(3, 8)``).

The traversals (``named_modules``, and from it ``parameters``, ``buffers``, ``to``…) walk these
tables with an explicit stack. ``train`` and ``apply`` call each child's own method, as torch
does, so a subclass that overrides them is honoured. The dotted names (``"layers.0.weight"``)
are torch's, so a ``state_dict`` (``state_dict.py``) moves between the two libraries unchanged.

Scopes — how the graph picture knows which module recorded an op
-----------------------------------------------------------------
Calling a module runs ``forward`` inside ``autograd.scope(name)``, so every op recorded there
carries the name in ``Node.scope`` (a tuple, outermost first). The name is the module's
*attribute path* from the outermost module being called, found at call time:

- the outermost module (called from outside any module) is named by its class: ``"MLP"``;
- a module called while another is running is named by its full dotted path from the
  outermost one, as ``named_modules`` spells it: ``"layers"``, then ``"layers.0"``;
- a module that is not a descendant of the running one (made on the fly inside ``forward``)
  falls back to its class name.

So an op inside ``model.layers[0]`` has ``scope == ("MLP", "layers", "layers.0")``: one entry
per enclosing module call, each a complete label for its box. The path is found per call
rather than stored at registration, so a module shared by two models is named correctly in
each, and nothing goes stale when a child is replaced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from ..autograd.grad_mode import scope
from ..core.tensor import Tensor
from ..torch_compat import device as _device
from ..torch_compat.in_place import zero_gradient
from . import state_dict as _state
from .hooks import (
    ModuleHooks,
    _global_used,
    call_with_hooks,
    register_module_backward_hook,
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
)
from .parameter import Buffer, Parameter, typename

__all__ = [
    "Buffer",
    "Module",
    "Parameter",
    "register_module_backward_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
]


# The modules being called in this thread, innermost last, each with its attribute path from
# the outermost one ("" for the outermost itself). Module.__call__ reads it to name its scope.
class _CallStack(threading.local):
    def __init__(self) -> None:
        self.frames: list[tuple[Module, str]] = []


_calls = _CallStack()


class Module(ModuleHooks):
    """Base class of layers: attributes that are Parameters, Buffers or Modules are registered.

    Subclasses call ``super().__init__()`` first, then assign their parameters and
    sub-modules, and define ``forward``; calling the module calls ``forward`` (inside a naming
    scope, see the module docstring), between its hooks if it has any (``hooks.py``).
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", OrderedDict())

    # -- registration by attribute assignment ----------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        """Torch's rules: a Parameter, Module or Buffer is registered (and forgotten in the
        other tables); a name already registered takes only its kind, or None."""
        d = self.__dict__
        params, modules, buffers = d.get("_parameters"), d.get("_modules"), d.get("_buffers")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, d, buffers, modules, d["_non_persistent_buffers_set"])
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, d, params, buffers, d["_non_persistent_buffers_set"])
            modules[name] = value  # an existing name keeps its place (Sequential's order)
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            modules[name] = value
        elif isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            if isinstance(value, Buffer):
                persistent = value.persistent
            else:
                persistent = name not in d["_non_persistent_buffers_set"]
            self.register_buffer(name, value, persistent)
        else:
            object.__setattr__(self, name, value)

    @staticmethod
    def _forget(name: str, *tables: Any) -> None:
        """Remove ``name`` from each table (a dict or a set) that has it."""
        for table in tables:
            if table is not None and name in table:
                if isinstance(table, set):
                    table.discard(name)
                else:
                    del table[name]

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: look in the tables.
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            found = d.get(table)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        """Attributes, parameters, buffers and children (not ``"0"``: not an identifier)."""
        keys = [*dir(type(self)), *self.__dict__, *self._parameters, *self._modules]
        keys += list(self._buffers)
        return sorted(k for k in set(keys) if not k[0].isdigit())

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a ``None`` placeholder) under ``name``."""
        self._check_name("parameter", name, "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{typename(param)}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must "
                f"be created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a non-trainable Tensor to the module's state (in ``state_dict`` if persistent)."""
        self._check_name("buffer", name, "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module (or a ``None`` placeholder) under ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{typename(module)} is not a Module subclass")
        self._check_name("module", name, "_modules")
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, kind: str, name: Any, table: str) -> None:
        """torch's checks of a name to register, in torch's order for each kind."""
        if table not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {typename(name)}")
        taken = hasattr(self, name) and name not in self.__dict__[table]
        if kind == "module" and taken:  # add_module looks for a clash before the dot
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            got = f", got: {name}" if kind == "module" else ""
            raise KeyError(f'{kind} name can\'t contain "."{got}')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if taken:
            raise KeyError(f"attribute '{name}' already exists")

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path ``target`` (``"layers.0"``); ``""`` is this one."""
        module = self
        for item in target.split(".") if target else []:
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    # -- calling ---------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        frames = _calls.frames
        path, label = self._call_path(frames)
        frames.append((self, path))
        try:
            with scope(label):  # the hooks run in it too: their ops are in the module's box
                if self._hooks is not None or _global_used[0]:
                    return call_with_hooks(self, self.forward, args, kwargs)
                return self.forward(*args, **kwargs)
        finally:
            frames.pop()

    def _call_path(self, frames: list[tuple[Module, str]]) -> tuple[str, str]:
        """This call's attribute path from the outermost running module (``frames``: the
        modules being called), and its scope label."""
        if not frames:
            return "", type(self).__name__  # the outermost module
        outer, outer_path = frames[-1]
        # Usually a module is called by its parent: look among the children first.
        for name, module in outer._modules.items():
            if module is self:
                path = f"{outer_path}.{name}" if outer_path else name
                return path, path
        for name, module in outer.named_modules(prefix=outer_path):
            if module is self and name:
                return name, name
        return "", type(self).__name__  # not a descendant: made on the fly

    # -- traversal -------------------------------------------------------------------------
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Every module in the tree, this one first, in torch's (depth-first) order."""
        seen = memo if memo is not None else set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{n}" if name else n, m)
                for n, m in module._modules.items()
                if m is not None
            ]
            stack.extend(reversed(children))  # reversed: the first child is popped first

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[int] = set()
        for n, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield n, m

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def _named_members(
        self, table: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """The entries of ``table`` in every module, with dotted names, each object once."""
        seen: set[int] = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = iter([(prefix, self)])
        for module_name, module in modules:
            for n, value in module.__dict__[table].items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield (f"{module_name}.{n}" if module_name else n), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """``("layers.0.weight", Parameter)`` pairs, in torch's order, each parameter once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, each child's subtree in turn, then on this one."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- training state --------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``.grad = None``, or zeros when ``set_to_none=False``."""
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            else:
                zero_gradient(p)

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on this module and all below.

        Modules whose forward differs between the two read ``self.training`` (Dropout zeroes
        inputs and RReLU samples its slopes only in training).
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # -- dtype and device ------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)`` or by keyword:
        floating parameters and buffers take ``dtype`` (integer ones keep theirs); the device
        must be the CPU (torch's error for CUDA). ``non_blocking`` and ``copy`` are accepted."""
        device, dtype, _ = _device.to_arguments(args, kwargs)  # the same forms as Tensor.to
        if device is not None:
            check_device(device)
        if dtype is not None:
            if dtype.kind not in "fc":
                raise TypeError(
                    "nn.Module.to only accepts floating point or complex dtypes, but got "
                    f"desired dtype=torch.{dtype.name}"
                )
            self._cast(dtype, kinds="fc")
        return self

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        """There is no GPU here: torch's error, as on a CPU-only build of torch."""
        raise AssertionError("Torch not compiled with CUDA enabled")

    def double(self) -> Module:
        return self._cast(np.dtype(np.float64))

    def float(self) -> Module:
        return self._cast(np.dtype(np.float32))

    def half(self) -> Module:
        return self._cast(np.dtype(np.float16))

    def _cast(self, dtype: np.dtype, kinds: str = "f") -> Module:
        """Give every parameter and buffer of a kind in ``kinds`` (and its grad) ``dtype``:
        new arrays in the same Tensor objects, so an optimizer holding them still does."""
        for module in self.modules():
            for t in (*module._parameters.values(), *module._buffers.values()):
                if t is not None and t.array.dtype.kind in kinds and t.array.dtype != dtype:
                    t.array = t.array.astype(dtype)
                    if t.grad is not None:
                        t.grad = Tensor._make(t.grad.array.astype(dtype), None)
        return self

    # -- saving and loading (state_dict.py) ------------------------------------------------
    def state_dict(
        self, *, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by its dotted name, in torch's order.

        The values are the tensors detached: they share the values of the parameters, so
        later training changes them too, as in torch (copy with ``{k: v.clone() ...}`` to keep
        a snapshot). ``keep_vars=True`` gives the Parameters themselves.
        """
        return _state.state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> _state._IncompatibleKeys:
        """Copy the values of ``state_dict`` into the parameters and buffers with those names.

        Values may be Tensors, NumPy arrays of numbers or torch tensors; each is cast to the
        dtype of the tensor it goes into, as torch's ``copy_`` (``assign=True`` puts the given
        tensors in place instead). Anything else — a list, a number, an array of strings or
        of ``None`` — is refused with torch's error. With ``strict=True`` missing or unexpected
        keys are an error; a shape mismatch always is. Nothing is changed unless every entry
        can be loaded. Returns the missing and unexpected keys.
        """
        return _state.load_state_dict(self, state_dict, strict, assign)

    # -- printing --------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The arguments shown inside the parentheses of ``repr`` (override in subclasses)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        """Torch's layout: one line when there are no children, else one child per line."""
        child_lines = [
            f"({name}): " + repr(module).replace("\n", "\n  ")
            for name, module in self._modules.items()
        ]
        return _layout(self._get_name(), self.extra_repr(), child_lines)


def _layout(name: str, extra: str, child_lines: list[str]) -> str:
    """``Name(extra)``, or ``Name(`` with the extra lines and child lines indented below."""
    extra_lines = extra.split("\n") if extra else []
    lines = extra_lines + child_lines
    main = name + "("
    if len(extra_lines) == 1 and not child_lines:
        main += extra_lines[0]
    elif lines:
        main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"


def check_device(where: Any) -> None:
    """Refuse any device but the CPU, in torch's words ("Torch not compiled with CUDA
    enabled"). A device object of another library (``torch.device``) is read by its name."""
    foreign = not isinstance(where, (str, int, _device.device))
    if foreign and isinstance(getattr(where, "type", None), str):
        where = str(where)
    _device.cpu_device(where)
