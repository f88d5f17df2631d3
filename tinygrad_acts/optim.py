"""Optimizers: ``SGD`` and ``Adam``, with torch's update rules, step for step.

An optimizer holds *parameter groups* — dicts with a ``"params"`` list and the
hyper-parameters for those parameters (``lr``, ``momentum``, …) — and a ``state`` per
parameter (momentum buffers, Adam's moment estimates). ``step()`` reads each parameter's
``.grad`` and writes the new values into its ``.data``, in place as torch does: whoever holds
the array (``w.detach()``, ``w.numpy()``, a view of ``w``) sees them. (torch's version
counters would then refuse a backward through a graph that saved the old values; there are
none here, so such a backward — ``retain_graph=True`` across a step — uses the new ones.)

Typical loop, as in torch::

    opt = optim.Adam(model.parameters(), lr=1e-2)
    for x, y in data:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .core.grad_mode import enable_grad
from .core.tensor import Tensor
from .torch_compat.in_place import zero_gradient

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


class _Required:
    """Marks a hyper-parameter that has no default (torch's ``required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad`` and ``step``.

    Subclasses define ``_update(group, param, grad, state)``, which returns the new array.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}"
            )
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (the rest from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is "
                    f"{type(p).__name__}"
                )
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("optimizer contains a parameter group with duplicate parameters")
        group = {**param_group, "params": params}
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``.grad = None`` (default), or zeros with ``set_to_none=False``."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                else:
                    zero_gradient(p)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; ``closure`` re-computes the loss first."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient: leave it, and its state, untouched (as torch)
                if p.grad.shape != p.shape:  # torch refuses this when .grad is assigned
                    raise RuntimeError(
                        f"the gradient of a parameter of shape {tuple(p.shape)} has shape "
                        f"{tuple(p.grad.shape)}; a gradient must have its parameter's shape"
                    )
                state = self.state.setdefault(p, {})
                new = self._update(group, p.array, p.grad.array, state)
                if p.array.flags.writeable:
                    np.copyto(p.array, new)
                else:  # a read-only array (a constant from NumPy) cannot take it: a new one
                    p.array = new
        return loss

    def _update(
        self, group: dict[str, Any], param: np.ndarray, grad: np.ndarray, state: dict[str, Any]
    ) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join([*lines, ")"])


def _check_non_negative(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"Invalid {name}: {value!r} (expected a number)")
    if not 0.0 <= value:  # also refuses nan
        raise ValueError(f"Invalid {name}: {value}")


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and weight decay.

    Per step, with g the gradient of parameter p (torch's rule, so the numbers match):

        g ← g + weight_decay·p
        b ← g                               (first step)
        b ← momentum·b + (1 - dampening)·g  (later steps)
        g ← g + momentum·b   if nesterov, else   g ← b     (only when momentum ≠ 0)
        p ← p - lr·g
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check_non_negative("learning rate", lr)
        _check_non_negative("momentum value", momentum)
        _check_non_negative("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(
        self, group: dict[str, Any], param: np.ndarray, grad: np.ndarray, state: dict[str, Any]
    ) -> np.ndarray:
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = grad.copy()
            else:
                buf = momentum * buf + (1 - group["dampening"]) * grad
            state["momentum_buffer"] = buf
            grad = grad + momentum * buf if group["nesterov"] else buf
        return param - group["lr"] * grad


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): steps scaled by running moments of the gradient.

    Per step t = 1, 2, … with gradient g (torch's rule, so the numbers match):

        g ← g + weight_decay·p
        m ← β₁·m + (1 - β₁)·g            (first moment, from m = 0)
        v ← β₂·v + (1 - β₂)·g²           (second moment, from v = 0)
        v̂ ← max(v̂, v) if amsgrad, else v
        p ← p - (lr / (1 - β₁ᵗ)) · m / (√v̂ / √(1 - β₂ᵗ) + eps)

    The factors 1/(1 - βᵗ) undo the bias of starting the averages at 0.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check_non_negative("learning rate", lr)
        _check_non_negative("epsilon value", eps)
        if isinstance(betas, str) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            _check_non_negative(f"beta parameter at index {i}", beta)
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        _check_non_negative("weight_decay value", weight_decay)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(
        self, group: dict[str, Any], param: np.ndarray, grad: np.ndarray, state: dict[str, Any]
    ) -> np.ndarray:
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        step = state["step"]
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        # m moves a fraction (1 - β₁) of the way towards g (torch's lerp).
        state["exp_avg"] = m = state["exp_avg"] + (1 - beta1) * (grad - state["exp_avg"])
        state["exp_avg_sq"] = v = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = v = np.maximum(state["max_exp_avg_sq"], v)
        step_size = group["lr"] / (1 - beta1**step)
        denom = np.sqrt(v) / (1 - beta2**step) ** 0.5 + group["eps"]
        return param - step_size * (m / denom)
