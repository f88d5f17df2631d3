"""``RMSprop``: steps divided by a running root-mean-square of the gradient."""

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
    lerp_,
    non_negative,
    state_zeros,
    step_counter,
    torch_only_options,
)


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes; centered as Graves, 2013), torch's rule.

    Per step, for a parameter p with gradient g, learning rate γ, smoothing α, momentum μ,
    weight decay λ:

        g ← -g                              if maximize
        g ← g + λ·p                         if λ ≠ 0
        v ← α·v + (1 - α)·g²                (from v = 0)
        ḡ ← ḡ + (1 - α)·(g - ḡ)             if centered (from ḡ = 0)
        a ← √(v - ḡ²) + eps  if centered,   else  a ← √v + eps
        b ← μ·b + g/a,  p ← p - γ·b         if μ > 0 (from b = 0)
        p ← p - γ·g/a                       otherwise

    ``state[p]`` holds ``step`` (a float32 tensor), ``square_avg`` (v), ``momentum_buffer``
    (b, when μ > 0 at the first step) and ``grad_avg`` (ḡ, when centered).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        torch_only_options(lr=lr, capturable=capturable, differentiable=differentiable)
        non_negative(lr, f"Invalid learning rate: {lr}")
        non_negative(eps, f"Invalid epsilon value: {eps}")
        non_negative(momentum, f"Invalid momentum value: {momentum}")
        non_negative(weight_decay, f"Invalid weight_decay value: {weight_decay}")
        non_negative(alpha, f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step for every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._apply_updates(closure)

    def _update(self, group: dict[str, Any], p: Tensor, grad: np.ndarray) -> None:
        alpha, momentum = group["alpha"], group["momentum"]
        state = self.state[p]
        if len(state) == 0:
            state["step"] = step_counter()
            state["square_avg"] = state_zeros(p)
            if momentum > 0:
                state["momentum_buffer"] = state_zeros(p)
            if group["centered"]:
                state["grad_avg"] = state_zeros(p)
        if group["maximize"]:
            grad = -grad
        count_step(state["step"])
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * p.array
        square_avg = state["square_avg"]
        square_avg.array *= alpha
        square_avg.array += (1 - alpha) * grad * grad
        changed_in_place(square_avg)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            lerp_(grad_avg.array, grad, 1 - alpha)
            changed_in_place(grad_avg)
            avg = square_avg.array - grad_avg.array * grad_avg.array
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(square_avg.array)
        avg += group["eps"]
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf.array *= momentum
            buf.array += grad / avg
            changed_in_place(buf)
            p.array -= group["lr"] * buf.array
        else:
            step = grad * -group["lr"]  # (-lr·g)/avg, rounded as torch's addcdiv_
            step /= avg
            p.array += step
