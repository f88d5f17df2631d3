"""``Adamax``: Adam with the root mean square replaced by a running maximum of |g|."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.in_place import changed_in_place
from .optimizer import (
    Optimizer,
    ParamsT,
    check_betas,
    count_step,
    lerp_,
    non_negative,
    state_zeros,
    step_counter,
    torch_only_options,
)


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2015, section 7.1), torch's rule.

    Per step t = 1, 2, … for a parameter p with gradient g, learning rate γ, betas β₁ β₂,
    weight decay λ:

        g ← -g                              if maximize
        g ← g + λ·p                         if λ ≠ 0
        m ← β₁·m + (1 - β₁)·g               (torch's lerp)
        u ← max(β₂·u, |g| + eps)            (the infinity norm, decayed)
        p ← p - γ/(1 - β₁ᵗ) · m / u

    ``state[p]`` holds ``step`` (t, a float32 tensor), ``exp_avg`` (m) and ``exp_inf`` (u),
    made at a parameter's first step, as in torch.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        torch_only_options(lr=lr, differentiable=differentiable, capturable=capturable)
        non_negative(lr, f"Invalid learning rate: {lr}")
        non_negative(eps, f"Invalid epsilon value: {eps}")
        check_betas(betas)
        non_negative(weight_decay, f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step for every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._apply_updates(closure)

    def _update(self, group: dict[str, Any], p: Tensor, grad: np.ndarray) -> None:
        lr, weight_decay, (beta1, beta2) = group["lr"], group["weight_decay"], group["betas"]
        if group["maximize"]:
            grad = -grad
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_counter()
            state["exp_avg"] = state_zeros(p)
            state["exp_inf"] = state_zeros(p)
        step = count_step(state["step"])
        if weight_decay != 0:
            grad = grad + weight_decay * p.array
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        lerp_(exp_avg.array, grad, 1 - beta1)
        exp_inf.array *= beta2
        bound = np.abs(grad)
        bound += group["eps"]
        np.maximum(exp_inf.array, bound, out=exp_inf.array)
        changed_in_place(exp_avg)
        changed_in_place(exp_inf)
        step_size = -lr / (1 - beta1**step)
        direction = step_size * exp_avg.array  # torch's addcdiv: (value·m) / u
        direction /= exp_inf.array
        p.array += direction
