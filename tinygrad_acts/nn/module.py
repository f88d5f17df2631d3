"""``Module`` and ``Parameter``: the building blocks of networks, as in torch.nn.

A ``Module`` keeps three ordered tables, filled by plain attribute assignment:

- ``_parameters``: the ``Parameter``s (``self.weight = Parameter(...)``) — what an optimizer
  updates;
- ``_buffers``: other arrays that belong to the model's state (``register_buffer``), e.g. a
  loss's class weights — saved and loaded, never trained;
- ``_modules``: the sub-modules (``self.fc1 = Linear(3, 8)``).

Everything else walks these tables without recursion: ``named_modules`` keeps an explicit
stack, and every other traversal (``parameters``, ``state_dict``, ``train``, ``zero_grad``) is
a loop over ``named_modules``. The dotted names (``"layers.0.weight"``) are torch's, so a
``state_dict`` moves between the two libraries unchanged.

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
from typing import Any, NamedTuple

import numpy as np

from ..autograd.grad_mode import scope
from ..core.tensor import Tensor
from ..torch_compat.in_place import zero_gradient


class Parameter(Tensor):
    """A Tensor that a ``Module`` registers as learnable; it requires grad by default."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.zeros(0, dtype=np.float32)
        super().__init__(data.array if isinstance(data, Tensor) else data, requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match (torch's ``_IncompatibleKeys``)."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )


# The modules being called in this thread, innermost last, each with its attribute path from
# the outermost one ("" for the outermost itself). Module.__call__ reads it to name its scope.
class _CallStack(threading.local):
    def __init__(self) -> None:
        self.frames: list[tuple[Module, str]] = []


_calls = _CallStack()


class Module:
    """Base class of layers: attributes that are Parameters or Modules are registered.

    Subclasses call ``super().__init__()`` first, then assign their parameters and
    sub-modules, and define ``forward``; calling the module calls ``forward`` (inside a naming
    scope, see the module docstring).
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    # -- registration by attribute assignment ----------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        params, modules = d.get("_parameters"), d.get("_modules")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            params[name] = value
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            modules[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            params[name] = None
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            modules[name] = None
        elif "_buffers" in d and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                    "(torch.Tensor or None expected)"
                )
            d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: str | None = None) -> None:
        """Remove ``name`` from every table but ``keep``, so one name means one thing. The
        table it is assigned in again keeps its place: replacing a child (``seq[0] = ...``) or a
        parameter must not move it to the end, where it would run last."""
        self.__dict__.pop(name, None)
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                self.__dict__[table].pop(name, None)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: look in the tables.
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if name in d.get(table, {}):
                return d[table][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(table, {}):
                del self.__dict__[table][name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a ``None`` placeholder) under ``name``."""
        self._check_name("parameter", name)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        self._forget(name, keep="_parameters")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a non-trainable Tensor to the module's state (in ``state_dict`` if persistent)."""
        self._check_name("buffer", name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._forget(name, keep="_buffers")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module (or a ``None`` placeholder) under ``name``."""
        self._check_name("module", name)
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name, keep="_modules")
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, kind: str, name: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    # -- calling ---------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        path, label = self._call_path()
        _calls.frames.append((self, path))
        try:
            with scope(label):
                return self.forward(*args, **kwargs)
        finally:
            _calls.frames.pop()

    def _call_path(self) -> tuple[str, str]:
        """This call's attribute path from the outermost running module, and its scope label."""
        if not _calls.frames:
            return "", type(self).__name__  # the outermost module
        outer, outer_path = _calls.frames[-1]
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
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
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

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every sub-module and then on this one (children first, as torch)."""
        for module in reversed(list(self.modules())):
            fn(module)
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

        Modules whose forward differs between the two read ``self.training`` (RReLU samples
        its slopes only in training).
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # -- dtype -----------------------------------------------------------------------------
    def to(self, dtype: Any) -> Module:
        """Convert every floating parameter and buffer to ``dtype`` (new arrays, same objects)."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(
                f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}"
            )
        for _, module in self.named_modules():
            for table in (module._parameters, module._buffers):
                for t in table.values():
                    if t is not None and t.array.dtype.kind == "f":
                        t.array = t.array.astype(dtype)
                        if t.grad is not None:
                            t.grad = Tensor._make(t.grad.array.astype(dtype), None)
        return self

    def double(self) -> Module:
        return self.to(np.float64)

    def float(self) -> Module:
        return self.to(np.float32)

    # -- saving and loading ----------------------------------------------------------------
    def state_dict(self, prefix: str = "", keep_vars: bool = False) -> OrderedDict[str, Any]:
        """Every parameter and persistent buffer by its dotted name, as NumPy arrays.

        The keys are torch's for the same model. The arrays are copies — a snapshot that later
        training does not change (torch's tensors share memory; ``keep_vars=True`` gives the
        Parameter objects themselves).
        """
        out: OrderedDict[str, Any] = OrderedDict()
        for name, module in self.named_modules(prefix=prefix):
            dot = f"{name}." if name else ""
            for n, p in module._parameters.items():
                if p is not None:
                    out[dot + n] = p if keep_vars else p.array.copy()
            for n, b in module._buffers.items():
                if b is not None and n not in module._non_persistent_buffers:
                    out[dot + n] = b if keep_vars else b.array.copy()
        return out

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True
    ) -> IncompatibleKeys:
        """Copy the arrays of ``state_dict`` into the parameters and buffers with those names.

        Values may be NumPy arrays, Tensors, or torch tensors (anything NumPy can read). Each
        is converted to the dtype of the entry it replaces, as torch's ``copy_`` does, and
        installed as a new array (an array the graph or another model holds is never
        changed). With ``strict=True`` missing or unexpected keys are an error; a shape
        mismatch always is. Nothing is changed unless every entry can be loaded.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors, updates = [], []
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = _as_array(state_dict[key])
            if value is None:
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(state_dict[key])}"
                )
            elif value.shape != target.array.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {target.array.shape}."
                )
            else:
                updates.append((target, value.astype(target.array.dtype, copy=True)))
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        for target, value in updates:
            target.array = value
        return IncompatibleKeys(missing, unexpected)

    # -- printing --------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The arguments shown inside the parentheses of ``repr`` (override in subclasses)."""
        return ""

    def __repr__(self) -> str:
        """Torch's layout: one line when there are no children, else one child per line."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): " + repr(module).replace("\n", "\n  ")
            for name, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        main = type(self).__name__ + "("
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        elif lines:
            main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"


def _as_array(value: Any) -> np.ndarray | None:
    """The NumPy array of a state_dict value, or None when it is not array-like."""
    if isinstance(value, Tensor):
        return value.array
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    if hasattr(value, "__array__") and hasattr(value, "shape"):  # e.g. a torch tensor
        detach = getattr(value, "detach", None)
        return np.asarray(detach() if callable(detach) else value)
    return None
