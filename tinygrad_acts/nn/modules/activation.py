"""The activation modules of ``torch.nn``: each holds its parameters and calls its function.

The math is in ``ops/activations/``; the argument checks in ``nn/activations.py``.

Most are written here by hand, for torch's own checks and ``repr``s. An activation whose module
is plain — its parameters as attributes, ``forward`` calling the F function, the ``repr``
listing them — has none written here: ``declared_module`` makes it from its declaration in
``registry.py``, which puts it here and in ``nn`` (``nn.Sigmoid``, ``nn.SiLU``, ...).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ...core.tensor import Tensor
from .. import activations as F
from ..module import Module, Parameter

# A declaration is a ``registry.Activation``, passed in by the registry (which imports this
# module, so this module does not import it back).
Declaration = Any


def _inplace(inplace: bool) -> str:
    return "inplace=True" if inplace else ""


# -- made from a declaration ------------------------------------------------------------------


class DeclaredActivation(Module):
    """The base of the modules ``declared_module`` makes: the constructor's parameters (the
    declared ones, then ``inplace`` if the function has it) are kept as attributes; ``forward``
    calls the F function with them; ``repr`` lists them, with ``inplace=True`` only when set, as
    torch's ``ELU(alpha=1.0, inplace=True)`` and ``SiLU()``."""

    __signature__: ClassVar[inspect.Signature]  # the constructor's, read by inspect.signature
    arguments: ClassVar[tuple[str, ...]]  # its parameters' names
    function: ClassVar[Callable[..., Tensor]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        try:
            bound = self.__signature__.bind(*args, **kwargs)
        except TypeError as error:  # inspect's words, with the class's name
            raise TypeError(f"{type(self).__name__}() {error}") from None
        bound.apply_defaults()
        for key, value in bound.arguments.items():
            setattr(self, key, value)

    def forward(self, input: Tensor) -> Tensor:
        return self.function(input, **{k: getattr(self, k) for k in self.arguments})

    def extra_repr(self) -> str:
        shown = [f"{k}={getattr(self, k)}" for k in self.arguments if k != "inplace"]
        if getattr(self, "inplace", False):
            shown.append("inplace=True")
        return ", ".join(shown)


def declared_module(declaration: Declaration, function: Callable[..., Tensor]) -> type[Module]:
    """The ``nn`` module of ``declaration``: a ``DeclaredActivation`` named in torch's CamelCase
    (``declaration.class_name``) that calls ``function``."""
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter(key, positional, default=default)
        for key, default in declaration.params.items()
    ]
    if declaration.inplace:
        parameters.append(inspect.Parameter("inplace", positional, default=False))
    name = declaration.class_name
    namespace = {
        "__doc__": f"``{declaration.name}`` as a module. {function.__doc__}",
        "__module__": __name__,
        "__qualname__": name,
        "__signature__": inspect.Signature(parameters),
        "arguments": tuple(p.name for p in parameters),
        "function": staticmethod(function),
    }
    return type(name, (DeclaredActivation,), namespace)


class ReLU(Module):
    """max(x, 0)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)


class SELU(ReLU):
    """scale·elu(x, α) with the self-normalising constants."""

    def forward(self, input: Tensor) -> Tensor:
        return F.selu(input, inplace=self.inplace)


class Hardsigmoid(ReLU):
    """0 for x ≤ -3, 1 for x ≥ 3, x/6 + 1/2 between."""

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return ""  # torch does not show inplace here


class Hardswish(ReLU):
    """x·hardsigmoid(x)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return ""  # torch does not show inplace here


class LeakyReLU(Module):
    """x for x > 0, else negative_slope·x."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        F._number("LeakyReLU", "negative_slope", 1, negative_slope)
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return ", ".join(
            filter(None, [f"negative_slope={self.negative_slope}", _inplace(self.inplace)])
        )


class Hardtanh(Module):
    """min(max(x, min_val), max_val)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if not max_val > min_val:  # torch's own check (an assert), in its words
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return ", ".join(
            filter(
                None, [f"min_val={self.min_val}", f"max_val={self.max_val}", _inplace(self.inplace)]
            )
        )


class ReLU6(Hardtanh):
    """min(max(x, 0), 6): hardtanh between 0 and 6 (as in torch, a Hardtanh)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.relu6(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)


class Softplus(Module):
    """(1/β)·log(1 + e^{βx}), linear where βx > threshold."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        if beta == 0:
            raise ValueError("Softplus: beta must be non-zero, got 0 (1/beta is undefined)")
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class ELU(Module):
    """x for x > 0, else α(e^x - 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [f"alpha={self.alpha}", _inplace(self.inplace)]))


class CELU(ELU):
    """x for x > 0, else α(e^{x/α} - 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        if alpha == 0:
            raise ValueError("CELU: alpha must be non-zero, got 0")
        super().__init__(alpha, inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)


class GELU(Module):
    """x·Φ(x), or its tanh approximation."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(
                f"approximate argument must be either none or tanh. (got {approximate!r})"
            )
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softshrink(Module):
    """x - λ for x > λ, x + λ for x < -λ, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        # Its sign is checked here; its size, for the input's dtype, at the call. Kept as
        # given (torch's repr shows Softshrink(1), not 1.0).
        F._lambd("Softshrink", lambd)
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Hardshrink(Softshrink):
    """x for |x| > λ, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        Module.__init__(self)
        self.lambd = lambd  # any λ: a negative one gives x itself, as in torch

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)


class Threshold(Module):
    """x for x > threshold, else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return ", ".join(
            filter(
                None, [f"threshold={self.threshold}", f"value={self.value}", _inplace(self.inplace)]
            )
        )


class PReLU(Module):
    """x for x > 0, else w·x, with ``num_parameters`` learnable slopes starting at ``init``."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None) -> None:
        super().__init__()
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be a positive int, got {num_parameters}")
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype or np.float32))

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """x for x ≥ 0, else r·x: r sampled from U(lower, upper) in training, their mean in eval."""

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False
    ) -> None:
        super().__init__()
        if lower > upper:
            raise ValueError(
                f"Lower bound should be less than or equal to the upper bound (got lower={lower}, "
                f"upper={upper})"
            )
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return ", ".join(
            filter(None, [f"lower={self.lower}", f"upper={self.upper}", _inplace(self.inplace)])
        )


class GLU(Module):
    """a·σ(b) for the two halves a, b of the input along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(Module):
    """e^{x_i} / Σ_j e^{x_j} along ``dim``."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x_i - log Σ_j e^{x_j} along ``dim``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)


class Softmin(Softmax):
    """softmax(-x) along ``dim``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim, _stacklevel=5)


class Softmax2d(Module):
    """Softmax over the channels at each place of an image: ``softmax`` along dim -3 of a
    (N, C, H, W) or (C, H, W) input."""

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (3, 4):
            raise ValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead"
            )
        return F.softmax(input, -3, _stacklevel=5)
