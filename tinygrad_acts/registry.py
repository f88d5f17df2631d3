"""The one table of activations.

Every other place that lists activations reads this table: the Tensor methods, the tests
(parametrized over it), the ``fn`` parser's names, the plots, the docs pages and the command
line. Adding an activation is one op in ``ops/activations.py``, one function in
``nn/functional.py``, one module class, and one entry here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import nn
from .core.tensor import Tensor
from .nn import functional as F

# Arguments of the F functions that are not parameters of the math.
_NOT_PARAMETERS = {"input", "inplace", "_stacklevel", "dtype"}


@dataclass(frozen=True)
class Activation:
    """One activation: its functions, its math, and how to look at it.

    ``formula`` and ``derivative`` are LaTeX; ``kinks`` are the points (for the default
    parameters) where f is not infinitely differentiable (f' or a higher derivative jumps),
    and ``kink_rule`` says which value the derivative takes there. ``smooth`` means no kinks.
    ``sample_params`` are the values the tests and plots use for parameters without defaults.
    ``tensor_method``: torch has it as a Tensor method too, which requires ``method_args``.
    """

    name: str
    function: Callable[..., Tensor]
    module: type[nn.Module]
    formula: str
    derivative: str
    smooth: bool = True
    kinks: tuple[float, ...] = ()
    kink_rule: str = ""
    plot_range: tuple[float, float] = (-4.0, 4.0)
    tensor_method: bool = False
    method_args: tuple[str, ...] = ()
    elementwise: bool = True
    sample_params: dict[str, Any] = field(default_factory=dict)

    @property
    def torch_name(self) -> str:
        return f"torch.nn.functional.{self.name}"

    @property
    def params(self) -> dict[str, Any]:
        """The parameters and their defaults (``inspect.Parameter.empty`` for required ones),
        read from the function's own signature, so they cannot drift from it."""
        sig = inspect.signature(self.function)
        return {
            name: p.default for name, p in sig.parameters.items() if name not in _NOT_PARAMETERS
        }

    def call_params(self) -> dict[str, Any]:
        """Parameters for a call: the defaults, with ``sample_params`` for required ones."""
        out = {k: v for k, v in self.params.items() if v is not inspect.Parameter.empty}
        out.update(self.sample_params)
        return out

    def __call__(self, x: Tensor, **params: Any) -> Tensor:
        """Apply to ``x`` with the default (or sample) parameters, overridden by ``params``."""
        p = {**self.call_params(), **params}
        if "weight" in p and not isinstance(p["weight"], Tensor):  # prelu's slope as a number
            p["weight"] = Tensor(np.full(1, p["weight"], dtype=x.dtype))
        return self.function(x, **p)


def _entries() -> list[Activation]:
    A = Activation
    return [
        A(
            "sigmoid",
            F.sigmoid,
            nn.Sigmoid,
            r"\sigma(x) = \frac{1}{1 + e^{-x}}",
            r"\sigma(x)\,\sigma(-x)",
            tensor_method=True,
            plot_range=(-6, 6),
        ),
        A(
            "tanh",
            F.tanh,
            nn.Tanh,
            r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            r"1 - \tanh^2(x)",
            tensor_method=True,
            plot_range=(-3, 3),
        ),
        A(
            "relu",
            F.relu,
            nn.ReLU,
            r"\max(x, 0)",
            r"[x > 0]",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = 0",
            tensor_method=True,
            plot_range=(-3, 3),
        ),
        A(
            "relu6",
            F.relu6,
            nn.ReLU6,
            r"\min(\max(x, 0), 6)",
            r"[0 < x < 6]",
            smooth=False,
            kinks=(0.0, 6.0),
            kink_rule="f'(0) = f'(6) = 0",
            plot_range=(-2, 8),
        ),
        A(
            "leaky_relu",
            F.leaky_relu,
            nn.LeakyReLU,
            r"x \text{ if } x > 0 \text{ else } a x",
            r"1 \text{ if } x > 0 \text{ else } a",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = negative_slope",
            plot_range=(-3, 3),
        ),
        A(
            "hardtanh",
            F.hardtanh,
            nn.Hardtanh,
            r"\min(\max(x, m), M)",
            r"[m < x < M]",
            smooth=False,
            kinks=(-1.0, 1.0),
            kink_rule="f' = 0 at both bounds",
            plot_range=(-3, 3),
        ),
        A(
            "softplus",
            F.softplus,
            nn.Softplus,
            r"\frac{1}{\beta}\log(1 + e^{\beta x})",
            r"\sigma(\beta x)",
            kink_rule="f' = 1 where βx > threshold (strictly)",
            plot_range=(-4, 4),
        ),
        A(
            "elu",
            F.elu,
            nn.ELU,
            r"x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1)",
            r"1 \text{ if } x > 0 \text{ else } \alpha e^{x}",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = alpha",
            plot_range=(-4, 3),
        ),
        A(
            "selu",
            F.selu,
            nn.SELU,
            r"\lambda\,(x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1))",
            r"\lambda \text{ if } x > 0 \text{ else } \lambda\alpha e^{x}",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = scale·alpha",
            plot_range=(-4, 3),
        ),
        A(
            "celu",
            F.celu,
            nn.CELU,
            r"x \text{ if } x > 0 \text{ else } \alpha(e^{x/\alpha} - 1)",
            r"1 \text{ if } x > 0 \text{ else } e^{x/\alpha}",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = 1 (f'' jumps there)",
            plot_range=(-4, 3),
        ),
        A("gelu", F.gelu, nn.GELU, r"x\,\Phi(x)", r"\Phi(x) + x\,\varphi(x)", plot_range=(-4, 4)),
        A(
            "silu",
            F.silu,
            nn.SiLU,
            r"x\,\sigma(x)",
            r"\sigma(x) + x\,\sigma(x)\,\sigma(-x)",
            plot_range=(-5, 5),
        ),
        A(
            "mish",
            F.mish,
            nn.Mish,
            r"x \tanh(\operatorname{softplus}(x))",
            r"\tanh(s) + x\,(1 - \tanh^2 s)\,\sigma(x),\ s = \operatorname{softplus}(x)",
            plot_range=(-5, 5),
        ),
        A(
            "hardsigmoid",
            F.hardsigmoid,
            nn.Hardsigmoid,
            r"\min(\max(x/6 + 1/2, 0), 1)",
            r"\frac{1}{6}\,[-3 < x < 3]",
            smooth=False,
            kinks=(-3.0, 3.0),
            kink_rule="f'(±3) = 0",
            plot_range=(-5, 5),
        ),
        A(
            "hardswish",
            F.hardswish,
            nn.Hardswish,
            r"x \cdot \operatorname{hardsigmoid}(x)",
            r"0,\ \frac{2x + 3}{6},\ 1 \text{ for } x < -3,\ |x| < 3,\ x > 3",
            smooth=False,
            kinks=(-3.0, 3.0),
            kink_rule="f'(-3) = 0, f'(3) = 1",
            plot_range=(-5, 5),
        ),
        A(
            "logsigmoid",
            F.logsigmoid,
            nn.LogSigmoid,
            r"\log \sigma(x) = -\log(1 + e^{-x})",
            r"\sigma(-x)",
            plot_range=(-6, 6),
        ),
        A(
            "softsign",
            F.softsign,
            nn.Softsign,
            r"\frac{x}{1 + |x|}",
            r"\frac{1}{(1 + |x|)^2}",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'' jumps at 0 (from 2 to -2); f''(0) = 0",
            plot_range=(-5, 5),
        ),
        A(
            "tanhshrink",
            F.tanhshrink,
            nn.Tanhshrink,
            r"x - \tanh(x)",
            r"\tanh^2(x)",
            plot_range=(-3, 3),
        ),
        A(
            "softshrink",
            F.softshrink,
            nn.Softshrink,
            r"x - \lambda,\ 0,\ x + \lambda \text{ for } x > \lambda,\ |x| \leq \lambda,\ "
            r"x < -\lambda",
            r"[|x| > \lambda]",
            smooth=False,
            kinks=(-0.5, 0.5),
            kink_rule="f'(±lambd) = 0",
            plot_range=(-2, 2),
        ),
        A(
            "hardshrink",
            F.hardshrink,
            nn.Hardshrink,
            r"x \text{ if } |x| > \lambda \text{ else } 0",
            r"[|x| > \lambda]",
            smooth=False,
            kinks=(-0.5, 0.5),
            kink_rule="f'(±lambd) = 0",
            tensor_method=True,
            plot_range=(-2, 2),
        ),
        A(
            "threshold",
            F.threshold,
            nn.Threshold,
            r"x \text{ if } x > t \text{ else } v",
            r"[x > t]",
            smooth=False,
            kinks=(0.5,),
            kink_rule="f'(threshold) = 0",
            sample_params={"threshold": 0.5, "value": -1.0},
            plot_range=(-2, 2),
        ),
        A(
            "prelu",
            F.prelu,
            nn.PReLU,
            r"x \text{ if } x > 0 \text{ else } w x",
            r"1 \text{ if } x > 0 \text{ else } w",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = weight",
            tensor_method=True,
            method_args=("weight",),
            sample_params={"weight": 0.25},
            plot_range=(-3, 3),
        ),
        A(
            "rrelu",
            F.rrelu,
            nn.RReLU,
            r"x \text{ if } x \geq 0 \text{ else } r x,\ r = \frac{l + u}{2} \text{ (eval)}",
            r"1 \text{ if } x > 0 \text{ else } r",
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = r",
            plot_range=(-3, 3),
        ),
        A(
            "glu",
            F.glu,
            nn.GLU,
            r"a \otimes \sigma(b),\ (a, b) = \text{halves of } x",
            r"\partial_a = \sigma(b),\ \partial_b = a\,\sigma(b)\,\sigma(-b)",
            elementwise=False,
        ),
        A(
            "softmax",
            F.softmax,
            nn.Softmax,
            r"\frac{e^{x_i}}{\sum_j e^{x_j}}",
            r"y_i(\delta_{ij} - y_j)",
            tensor_method=True,
            method_args=("dim",),
            elementwise=False,
            sample_params={"dim": -1},
        ),
        A(
            "log_softmax",
            F.log_softmax,
            nn.LogSoftmax,
            r"x_i - \log\sum_j e^{x_j}",
            r"\delta_{ij} - \operatorname{softmax}(x)_j",
            tensor_method=True,
            method_args=("dim",),
            elementwise=False,
            sample_params={"dim": -1},
        ),
        A(
            "softmin",
            F.softmin,
            nn.Softmin,
            r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}",
            r"-y_i(\delta_{ij} - y_j)",
            elementwise=False,
            sample_params={"dim": -1},
        ),
    ]


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _entries()}


def get(name: str) -> Activation:
    """The entry for ``name``, or a KeyError that lists the known names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r}; known: {known}") from None


def _attach_tensor_methods() -> None:
    """``x.relu()``, ``x.softmax(dim)``, ...: where torch has the activation as a method."""
    for a in ACTIVATIONS.values():
        if a.tensor_method:
            method = dim_required(a.function) if "dim" in a.method_args else a.function
            setattr(Tensor, a.name, method)


def dim_required(function: Callable[..., Tensor], position: int = 1) -> Callable[..., Tensor]:
    """``function`` (softmax, log_softmax) with ``dim`` required, as torch's ``Tensor.softmax``
    and ``torch.softmax`` have it (``F.softmax`` warns and guesses one); ``position`` is dim's
    place in torch's messages (1 for the method, 2 for the function)."""
    name = function.__name__

    def call(*args: Any, **kwargs: Any) -> Tensor:
        if "input" in kwargs:
            args = (kwargs.pop("input"), *args)
        if not args or len(args) > 3 or set(kwargs) - {"dim", "dtype"}:
            raise TypeError(f"{name}() takes (input, dim, dtype=None)")
        x, rest = args[0], args[1:]
        dim = rest[0] if rest else kwargs.pop("dim", None if "dim" in kwargs else _NO_DIM)
        if dim is _NO_DIM:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        if dim is None:
            where = f" (position {position})" if rest else ""
            raise TypeError(f"{name}(): argument 'dim'{where} must be int, not NoneType")
        if len(rest) > 1:  # (the function's third place is another's)
            kwargs["dtype"] = rest[1]
        return function(x, dim, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = function.__doc__
    return call


_NO_DIM = object()


_attach_tensor_methods()
