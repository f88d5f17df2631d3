"""``SGD``: stochastic gradient descent, with momentum, Nesterov, weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.in_place import changed_in_place
from .optimizer import Optimizer, ParamsT, torch_only_options


class SGD(Optimizer):
    """Stochastic gradient descent (torch's rule, so the numbers match).

    Per step, for a parameter p with gradient g, learning rate γ, momentum μ, dampening τ,
    weight decay λ:

        g ← -g                          if maximize
        g ← g + λ·p                     if λ ≠ 0
        b ← g                           first step        } if μ ≠ 0
        b ← μ·b + (1 - τ)·g             later steps       }
        g ← g + μ·b  if nesterov, else  g ← b             }
        p ← p - γ·g

    ``state[p]["momentum_buffer"]`` holds b (only when μ ≠ 0). Nesterov momentum needs μ > 0
    and τ = 0.
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
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        torch_only_options(lr=lr, differentiable=differentiable, fused=fused)
        # torch checks ``x < 0.0`` here (a nan passes), where Adam checks ``not 0.0 <= x``.
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One step for every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._apply_updates(closure)

    def _update(self, group: dict[str, Any], p: Tensor, grad: np.ndarray) -> None:
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * p.array
        momentum = group["momentum"]
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = Tensor._make(grad.copy(), None)
            else:
                buf.array *= momentum
                buf.array += (1 - group["dampening"]) * grad
                changed_in_place(buf)
            grad = grad + momentum * buf.array if group["nesterov"] else buf.array
        p.array -= group["lr"] * grad
