"""``Adam`` and ``AdamW``: steps scaled by running moments of the gradient."""

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


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), torch's rule, so the numbers match.

    Per step t = 1, 2, … for a parameter p with gradient g, learning rate γ, betas β₁ β₂,
    weight decay λ:

        g ← -g                                 if maximize
        p ← p·(1 - γλ)                         if λ ≠ 0 and decoupled_weight_decay (AdamW)
        g ← g + λ·p                            if λ ≠ 0 otherwise
        m ← m + (1 - β₁)·(g - m)               (= β₁·m + (1 - β₁)·g, from m = 0)
        v ← β₂·v + (1 - β₂)·g²                 (from v = 0)
        v ← v_max ← max(v_max, v)              if amsgrad
        p ← p - γ/(1 - β₁ᵗ) · m / (√v / √(1 - β₂ᵗ) + eps)

    The factors 1/(1 - βᵗ) undo the bias of starting the averages at 0. ``state[p]`` holds
    ``step`` (t, a float32 tensor as torch's), ``exp_avg`` (m), ``exp_avg_sq`` (v) and, with
    amsgrad, ``max_exp_avg_sq``.
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
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        torch_only_options(
            lr=lr,
            betas=betas,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
        )
        non_negative(lr, f"Invalid learning rate: {lr}")
        non_negative(eps, f"Invalid epsilon value: {eps}")
        check_betas(betas)
        non_negative(weight_decay, f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
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
            state["exp_avg_sq"] = state_zeros(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = state_zeros(p)
        step = count_step(state["step"])
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.array *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * p.array
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        lerp_(exp_avg.array, grad, 1 - beta1)
        exp_avg_sq.array *= beta2
        exp_avg_sq.array += (1 - beta2) * grad * grad
        changed_in_place(exp_avg)
        changed_in_place(exp_avg_sq)
        second = exp_avg_sq.array
        if group["amsgrad"]:
            largest = state["max_exp_avg_sq"]
            np.maximum(largest.array, second, out=largest.array)
            changed_in_place(largest)
            second = largest.array
        step_size = lr / (1 - beta1**step)
        denom = np.sqrt(second)
        denom /= (1 - beta2**step) ** 0.5
        denom += group["eps"]
        np.divide(exp_avg.array, denom, out=denom)  # the step direction, m / denom
        denom *= step_size
        p.array -= denom


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): torch's ``AdamW``,
    ``Adam(..., decoupled_weight_decay=True)`` with weight_decay 1e-2 by default.

    The decay shrinks the parameter directly, ``p ← p·(1 - γλ)``, before the Adam step,
    instead of entering the gradient (and so the moments m and v); the rest is ``Adam``'s:

        g ← -g                                 if maximize
        p ← p·(1 - γλ)
        m ← m + (1 - β₁)·(g - m)
        v ← β₂·v + (1 - β₂)·g²
        v ← v_max ← max(v_max, v)              if amsgrad
        p ← p - γ/(1 - β₁ᵗ) · m / (√v / √(1 - β₂ᵗ) + eps)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
