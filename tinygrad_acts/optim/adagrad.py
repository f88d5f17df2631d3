"""``Adagrad``: steps divided by the root of the sum of all squared gradients so far."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.in_place import changed_in_place
from .optimizer import (
    Optimizer,
    ParamsT,
    count_step,
    non_negative,
    state_zeros,
    step_counter,
    torch_only_options,
)


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer, 2011), torch's rule.

    Per step t = 1, 2, … for a parameter p with gradient g, learning rate γ, decay η of the
    learning rate, weight decay λ:

        g ← -g                              if maximize
        g ← g + λ·p                         if λ ≠ 0
        γ̃ ← γ / (1 + (t - 1)·η)
        s ← s + g²                          (from s = initial_accumulator_value)
        p ← p - γ̃·g / (√s + eps)

    ``state[p]`` holds ``step`` (t, a float32 tensor) and ``sum`` (s); as in torch it is made
    for every parameter when the optimizer is, and from the optimizer's
    ``initial_accumulator_value`` even for a group that gives its own.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        torch_only_options(lr=lr, differentiable=differentiable, fused=fused)
        non_negative(lr, f"Invalid learning rate: {lr}")
        non_negative(lr_decay, f"Invalid lr_decay value: {lr_decay}")
        non_negative(weight_decay, f"Invalid weight_decay value: {weight_decay}")
        non_negative(
            initial_accumulator_value,
            f"Invalid initial_accumulator_value value: {initial_accumulator_value}",
        )
        non_negative(eps, f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> None:
        state = self.state[p]
        state["step"] = step_counter()
        state["sum"] = state_zeros(p, self.defaults["initial_accumulator_value"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step for every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._apply_updates(closure)

    def _update(self, group: dict[str, Any], p: Tensor, grad: np.ndarray) -> None:
        state = self.state[p]
        if len(state) == 0:  # a parameter added with add_param_group
            self._init_state(p)
        step = count_step(state["step"])
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * p.array
        lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = state["sum"]
        total.array += grad * grad
        changed_in_place(total)
        std = np.sqrt(total.array)
        std += group["eps"]
        np.divide(grad, std, out=std)
        std *= lr
        p.array -= std
