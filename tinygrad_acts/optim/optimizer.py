"""``Optimizer``: the base of every optimizer — parameter groups, per-parameter state, saving.

An optimizer holds *parameter groups*: dicts with a ``"params"`` list and every
hyper-parameter for those parameters (``lr``, ``momentum``, …; a group given as a dict keeps
its own values, the rest come from the optimizer's defaults). ``state[p]`` is a dict per
parameter (momentum buffers, moment estimates), made on its first step. ``step()`` reads each
parameter's ``.grad`` and writes the new values into the parameter's own array, in place as
torch does: whoever holds the array (``w.detach()``, ``w.numpy()``, a view of ``w``) sees them.

``state_dict()`` has torch's structure: parameters are numbered in the order of the groups,
``{"state": {0: {...}, 1: {...}}, "param_groups": [{"lr": 0.1, ..., "params": [0, 1]}]}``.
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor
from ..torch_compat.checks import type_name
from ..torch_compat.dtypes import torch_dtype_name
from ..torch_compat.in_place import changed_in_place, zero_gradient

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


class _Required:
    """Marks a hyper-parameter that has no default (torch's ``required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


def _torch_typename(value: Any) -> str:
    """How torch names a type in the optimizer's messages: ``torch.DoubleTensor`` for a
    float64 tensor, ``int``, ``numpy.ndarray``."""
    if isinstance(value, Tensor):
        return f"torch.{torch_dtype_name(value.dtype)}Tensor"
    return type_name(value)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad``, saving and loading.

    ``params`` is an iterable of Tensors, of ``(name, Tensor)`` pairs (``named_parameters()``),
    or of dicts (one parameter group each: ``{"params": [...], "lr": 0.5}``). ``defaults``
    holds every hyper-parameter's value for groups that do not give their own.

    An optimizer defines ``step``; those here call ``_apply_updates``, which runs the
    optimizer's ``_update(group, p, grad)`` for each parameter that has a gradient.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {_torch_typename(params)}"
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __getstate__(self) -> dict[str, Any]:
        """What ``copy.deepcopy`` and pickle keep, as torch: not a scheduler's wrapping of
        ``step`` (a copy's ``step`` would otherwise step the original)."""
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (the rest from defaults).

        The dict itself becomes the group (as in torch): its ``"params"`` becomes a list of
        Tensors, and ``"param_names"`` is added when the parameters came with names.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead."
            )
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + _torch_typename(p)
                )
            # retain_grad() keeps a non-leaf's gradient: torch lets such a tensor be optimized
            if not (p.is_leaf or p.grad_fn._retained):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                "more information",
                stacklevel=3,
            )
        held = {id(p) for group in self.param_groups for p in group["params"]}
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                kind = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {kind} to the optimizer"
                )
        if any(id(p) in held for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``.grad = None`` (default), or zeros in place with
        ``set_to_none=False`` (whoever holds the gradient sees the zeros)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                else:
                    zero_gradient(p)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters; each optimizer defines its rule (the base refuses, as torch)."""
        raise NotImplementedError

    def _apply_updates(self, closure: Callable[[], Any] | None) -> Any:
        """The loop every optimizer's ``step`` runs: ``closure()`` (with grad mode on) gives
        the loss returned, then ``_update`` changes each parameter that has a gradient.

        A parameter without a gradient is left alone, its state too (as in torch).
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                values, gradient = p.array, grad.array
                if gradient.shape != values.shape:  # torch refuses this when .grad is assigned
                    raise RuntimeError(
                        f"the gradient of a parameter of shape {values.shape} has shape "
                        f"{gradient.shape}; a gradient must have its parameter's shape"
                    )
                if not values.flags.writeable:  # a read-only NumPy array: it needs its own
                    p.array = values.copy()
                self._update(group, p, gradient)
                changed_in_place(p)
        return loss

    def _update(self, group: dict[str, Any], p: Tensor, grad: np.ndarray) -> None:
        """Write one step into ``p.array`` (and ``self.state[p]``), given its gradient."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in torch's structure: parameters replaced by numbers.

        ``{"state": {0: {"momentum_buffer": tensor}, ...}, "param_groups": [{..., "params":
        [0, 1]}]}``: the numbers count the parameters in the order of the groups. As in torch,
        the state's tensors are the optimizer's own (not copies): deep-copy to keep a snapshot.
        """
        numbers: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                numbers.setdefault(id(p), len(numbers))
            packed["params"] = [numbers[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(numbers[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the state and hyper-parameters saved by ``state_dict()`` (of this package, or
        torch's with its tensors): the i-th saved parameter's state goes to the i-th parameter.

        Tensors (and arrays) in the state take the parameter's dtype, except ``step``; as in
        torch they are not copied, so two optimizers loaded from one dict share them.
        """
        groups, saved_groups = self.param_groups, copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        params = {
            saved: p
            for g, s in zip(groups, saved_groups)
            for saved, p in zip(s["params"], g["params"])
        }
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in params:
                p = params[key]
                state[p] = {name: _loaded(p, name, v) for name, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state, self.param_groups = state, saved_groups

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _loaded(p: Tensor, key: str, value: Any) -> Any:
    """A value of a saved state as the optimizer keeps it: a tensor (or an array, a torch
    tensor) becomes a Tensor of ``p``'s dtype when ``p`` is floating, except ``step``, which
    keeps its own; lists and tuples are looked into; anything else is kept as it is."""
    if isinstance(value, (list, tuple)):
        return type(value)(_loaded(p, key, v) for v in value)
    if isinstance(value, Tensor):
        array = value.array
    elif hasattr(value, "__array__") and hasattr(value, "shape") and not np.isscalar(value):
        array = np.asarray(value)  # a NumPy array or a torch tensor: the same memory
    else:
        return value
    if key != "step" and p.array.dtype.kind == "f" and array.dtype != p.array.dtype:
        array = array.astype(p.array.dtype)
    if isinstance(value, Tensor) and array is value.array:
        return value
    return Tensor._make(array, None)


# Helpers for the optimizers' state: arrays the optimizer writes into in place.


def state_zeros(p: Tensor, fill: float = 0.0) -> Tensor:
    """A state tensor of ``p``'s shape and dtype, filled with ``fill`` (torch's
    ``zeros_like``/``full_like``)."""
    return Tensor._make(np.full_like(p.array, fill), None)


def step_counter() -> Tensor:
    """The step count torch keeps in a state: a 0-d float32 tensor, ``tensor(0.)``."""
    return Tensor._make(np.zeros((), np.float32), None)


def count_step(step: Tensor) -> float:
    """Add 1 to a step counter in place; the new count as a Python float (torch's ``item()``)."""
    step.array += 1
    changed_in_place(step)
    return float(step.array)


def lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start ← start + weight·(end - start)``, in place, as torch's ``lerp_`` computes it:
    from ``end`` when ``weight ≥ 0.5``, ``end - (1 - weight)·(end - start)``, for accuracy."""
    difference = end - start
    if abs(weight) < 0.5:
        difference *= weight
        start += difference
    else:
        difference *= 1 - weight
        np.subtract(end, difference, out=start)


def non_negative(value: Any, message: str) -> None:
    """Refuse ``value`` unless ``0 ≤ value`` (so also nan), with ``message`` (torch's check
    ``not 0.0 <= value``: a value that does not compare with a float raises its TypeError)."""
    if not 0.0 <= value:
        raise ValueError(message)


def check_betas(betas: Any) -> None:
    """Adam's and Adamax's (β₁, β₂): each in [0, 1), in torch's words."""
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def torch_only_options(**options: Any) -> None:
    """Refuse what only torch's other implementations do: an option set to True (``fused``,
    ``capturable``, ``differentiable``), a hyper-parameter given as a Tensor (``lr``,
    ``betas``). ``foreach`` is accepted: it only picks how torch loops, and here is one loop.
    """
    for name, value in options.items():
        if isinstance(value, Tensor) or (
            isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value)
        ):
            raise NotImplementedError(f"{name} as a Tensor is not supported: give a number")
        if value is True:
            raise NotImplementedError(
                f"{name}=True is not supported: tinygrad_acts has one implementation of each "
                "optimizer, torch's default (single-tensor, not differentiable)"
            )
