"""The one table of activations.

Every other place that lists activations reads this table: the ``nn.functional`` functions and
``nn`` modules made from it, the Tensor methods, the tests (parametrized over it), the ``fn``
parser's names, the plots, the docs pages and the command line.

Each activation is declared once, as an ``Activation``: its op, its parameters, its math and how
to look at it. From the declaration come its F function (``declared_function`` in
``nn/activations.py``) and its module (``declared_module`` in ``nn/modules/activation.py``),
unless it names ones written by hand — as most of torch's do, for torch's own argument checks.
Adding an activation is one op (``ops/activations/``) and one declaration: in ``_declarations``
below for the package, or ``register(Activation(...))`` at run time (docs: "Adding an
activation").
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Any

import numpy as np

from . import nn
from .core.function import Function
from .core.tensor import Tensor
from .nn import activations as F
from .nn.activations import declared_function
from .nn.modules.activation import declared_module
from .ops import activations as ops

# Arguments of the F functions that are not parameters of the math.
_NOT_PARAMETERS = {"input", "inplace", "_stacklevel", "dtype"}


@dataclass(frozen=True)
class Activation:
    """One activation: its op, its parameters, its math, and how to look at it.

    ``formula`` and ``derivative`` are f(x) and f'(x) in LaTeX, for the docs and the plots;
    ``formula_text`` and ``derivative_text`` the same in plain Unicode, for the terminal (where
    they are empty, ``tinygrad-acts`` shows the LaTeX). All four name each parameter as the
    signature does (``negative_slope``, ``min_val``); a parameter named for a Greek letter
    (``alpha``, ``beta``, ``lambd``) may be written as the letter.
    ``kinks`` are the points (for the default parameters) where f is not infinitely
    differentiable (f' or a higher derivative jumps), and ``kink_rule`` says which value the
    derivative takes there, or, for a smooth one, where it departs from the formula.
    ``smooth`` means no kinks.
    ``sample_params`` are the values the tests and plots use for parameters without defaults.
    ``tensor_method``: torch has it as a Tensor method too, which requires ``method_args``.
    ``elementwise``: each output depends on its own input only (not softmax, glu).

    What the F function and the module are made from, when the declaration names none:

    - ``op``: the ``Function`` the F function applies, as ``op.apply(input, **params)``;
    - ``params``: its parameters after the input, torch's names, with their defaults
      (``inspect.Parameter.empty`` for a required one). For a hand-written function they are
      read from its signature, so they cannot drift from it;
    - ``inplace``: the function takes ``inplace=False`` and the module an ``inplace`` attribute;
    - ``integers_in_float32``: torch computes integer and boolean inputs in float32 (as its
      sigmoid); without it they are refused in torch's words, naming the kernel ``<name>_cpu``;
    - ``class_name``: the module's name, torch's CamelCase (default: ``squareplus`` gives
      ``Squareplus``, ``log_cosh`` gives ``LogCosh``).

    ``register`` returns the entry with ``function``, ``module``, ``params``, ``inplace`` and
    ``class_name`` filled in, made or read from the hand-written ones.
    """

    name: str
    formula: str
    derivative: str
    _: KW_ONLY
    formula_text: str = ""
    derivative_text: str = ""
    op: type[Function] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    inplace: bool = False
    integers_in_float32: bool = False
    class_name: str = ""
    function: Callable[..., Tensor] | None = None
    module: type[nn.Module] | None = None
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
        if self.function is None:
            raise TypeError(f"{self.name} is only declared: registry.register(...) it first")
        return self.function(x, **p)


def _declarations() -> list[Activation]:
    """torch's activations. Those that name their ``function`` and ``module`` have them written
    by hand in ``nn/`` (torch's argument checks, integer inputs kept integers, in-place
    spellings, ``repr``s); the others are made from the declaration."""
    A = Activation
    return [
        A(
            "sigmoid",
            r"\sigma(x) = \frac{1}{1 + e^{-x}}",
            r"\sigma(x)\,\sigma(-x)",
            formula_text="σ(x) = 1/(1 + e⁻ˣ)",
            derivative_text="σ(x)·σ(-x)",
            op=ops.Sigmoid,
            integers_in_float32=True,
            tensor_method=True,
            plot_range=(-6, 6),
        ),
        A(
            "tanh",
            r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            r"1 - \tanh^2(x)",
            formula_text="tanh(x) = (eˣ - e⁻ˣ)/(eˣ + e⁻ˣ)",
            derivative_text="1 - tanh²(x)",
            op=ops.Tanh,
            integers_in_float32=True,
            tensor_method=True,
            plot_range=(-3, 3),
        ),
        A(
            "relu",
            r"\max(x, 0)",
            r"[x > 0]",
            formula_text="max(x, 0)",
            derivative_text="1 if x > 0 else 0",
            function=F.relu,
            module=nn.ReLU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = 0",
            tensor_method=True,
            plot_range=(-3, 3),
        ),
        A(
            "relu6",
            r"\min(\max(x, 0), 6)",
            r"[0 < x < 6]",
            formula_text="min(max(x, 0), 6)",
            derivative_text="1 if 0 < x < 6 else 0",
            function=F.relu6,
            module=nn.ReLU6,
            smooth=False,
            kinks=(0.0, 6.0),
            kink_rule="f'(0) = f'(6) = 0",
            plot_range=(-2, 8),
        ),
        A(
            "leaky_relu",
            r"x \text{ if } x > 0 \text{ else } \text{negative_slope} \cdot x",
            r"1 \text{ if } x > 0 \text{ else } \text{negative_slope}",
            formula_text="x if x > 0 else negative_slope·x",
            derivative_text="1 if x > 0 else negative_slope",
            function=F.leaky_relu,
            module=nn.LeakyReLU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = negative_slope",
            plot_range=(-3, 3),
        ),
        A(
            "hardtanh",
            r"\min(\max(x, \text{min_val}), \text{max_val})",
            r"[\text{min_val} < x < \text{max_val}]",
            formula_text="min(max(x, min_val), max_val)",
            derivative_text="1 if min_val < x < max_val else 0",
            function=F.hardtanh,
            module=nn.Hardtanh,
            smooth=False,
            kinks=(-1.0, 1.0),
            kink_rule="f'(min_val) = f'(max_val) = 0",
            plot_range=(-3, 3),
        ),
        A(
            "softplus",
            r"\frac{1}{\beta}\log(1 + e^{\beta x}) \text{ if } \beta x \leq \text{threshold}"
            r" \text{ else } x",
            r"\sigma(\beta x) \text{ if } \beta x \leq \text{threshold} \text{ else } 1",
            formula_text="log(1 + exp(βx))/β if βx ≤ threshold else x",
            derivative_text="σ(βx) if βx ≤ threshold else 1",
            function=F.softplus,
            module=nn.Softplus,
            kink_rule="as torch, f is x itself where βx > threshold (strictly), so f' is 1 and "
            "f'' is 0 there: f, f' and f'' jump at x = threshold/β, by about 2e-9 for the "
            "defaults",
            plot_range=(-4, 4),
        ),
        A(
            "elu",
            r"x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1)",
            r"1 \text{ if } x > 0 \text{ else } \alpha e^{x}",
            formula_text="x if x > 0 else α(eˣ - 1)",
            derivative_text="1 if x > 0 else α·eˣ",
            function=F.elu,
            module=nn.ELU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = alpha",
            plot_range=(-4, 3),
        ),
        A(
            "selu",
            r"\text{scale}\,(x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1)),\ "
            r"\text{scale} \approx 1.0507,\ \alpha \approx 1.6733",
            r"\text{scale} \text{ if } x > 0 \text{ else } \text{scale}\,\alpha e^{x}",
            formula_text="scale·(x if x > 0 else α(eˣ - 1)), scale ≈ 1.0507, α ≈ 1.6733",
            derivative_text="scale if x > 0 else scale·α·eˣ",
            function=F.selu,
            module=nn.SELU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = scale·alpha",
            plot_range=(-4, 3),
        ),
        A(
            "celu",
            r"x \text{ if } x > 0 \text{ else } \alpha(e^{x/\alpha} - 1)",
            r"1 \text{ if } x > 0 \text{ else } e^{x/\alpha}",
            formula_text="x if x > 0 else α(exp(x/α) - 1)",
            derivative_text="1 if x > 0 else exp(x/α)",
            function=F.celu,
            module=nn.CELU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = 1 (f'' jumps there)",
            plot_range=(-4, 3),
        ),
        A(
            "gelu",
            r"x\,\Phi(x)",
            r"\Phi(x) + x\,\varphi(x)",
            formula_text="x·Φ(x), Φ the standard normal CDF",
            derivative_text="Φ(x) + x·φ(x), φ the standard normal density",
            function=F.gelu,
            module=nn.GELU,
            plot_range=(-4, 4),
        ),
        A(
            "silu",
            r"x\,\sigma(x)",
            r"\sigma(x) + x\,\sigma(x)\,\sigma(-x)",
            formula_text="x·σ(x)",
            derivative_text="σ(x) + x·σ(x)·σ(-x)",
            op=ops.SiLU,
            inplace=True,
            class_name="SiLU",
            plot_range=(-5, 5),
        ),
        A(
            "mish",
            r"x \tanh(\operatorname{softplus}(x))",
            r"\tanh(s) + x\,(1 - \tanh^2 s)\,\sigma(x),\ s = \operatorname{softplus}(x)",
            formula_text="x·tanh(softplus(x))",
            derivative_text="tanh(s) + x·(1 - tanh²(s))·σ(x), s = softplus(x)",
            op=ops.Mish,
            inplace=True,
            plot_range=(-5, 5),
        ),
        A(
            "hardsigmoid",
            r"\min(\max(x/6 + 1/2, 0), 1)",
            r"\frac{1}{6}\,[-3 < x < 3]",
            formula_text="min(max(x/6 + 1/2, 0), 1)",
            derivative_text="1/6 if -3 < x < 3 else 0",
            function=F.hardsigmoid,
            module=nn.Hardsigmoid,
            smooth=False,
            kinks=(-3.0, 3.0),
            kink_rule="f'(±3) = 0",
            plot_range=(-5, 5),
        ),
        A(
            "hardswish",
            r"x \cdot \operatorname{hardsigmoid}(x)",
            r"0,\ \frac{2x + 3}{6},\ 1 \text{ for } x < -3,\ |x| < 3,\ x > 3",
            formula_text="x·hardsigmoid(x)",
            derivative_text="0 if x < -3, (2x + 3)/6 if |x| < 3, 1 if x > 3",
            function=F.hardswish,
            module=nn.Hardswish,
            smooth=False,
            kinks=(-3.0, 3.0),
            kink_rule="f'(-3) = 0, f'(3) = 1",
            plot_range=(-5, 5),
        ),
        A(
            "logsigmoid",
            r"\log \sigma(x) = -\log(1 + e^{-x})",
            r"\sigma(-x)",
            formula_text="log σ(x) = -log(1 + e⁻ˣ)",
            derivative_text="σ(-x)",
            function=F.logsigmoid,  # by hand: nn/losses.py imports it
            class_name="LogSigmoid",
            plot_range=(-6, 6),
        ),
        A(
            "softsign",
            r"\frac{x}{1 + |x|}",
            r"\frac{1}{(1 + |x|)^2}",
            formula_text="x/(1 + |x|)",
            derivative_text="1/(1 + |x|)²",
            op=ops.Softsign,
            integers_in_float32=True,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'' jumps at 0 (from 2 to -2); f''(0) = 0",
            plot_range=(-5, 5),
        ),
        A(
            "tanhshrink",
            r"x - \tanh(x)",
            r"\tanh^2(x)",
            formula_text="x - tanh(x)",
            derivative_text="tanh²(x)",
            op=ops.Tanhshrink,
            integers_in_float32=True,
            plot_range=(-3, 3),
        ),
        A(
            "softshrink",
            r"x - \lambda,\ 0,\ x + \lambda \text{ for } x > \lambda,\ |x| \leq \lambda,\ "
            r"x < -\lambda",
            r"[|x| > \lambda]",
            formula_text="x - λ if x > λ, x + λ if x < -λ, else 0",
            derivative_text="1 if |x| > λ else 0",
            function=F.softshrink,
            module=nn.Softshrink,
            smooth=False,
            kinks=(-0.5, 0.5),
            kink_rule="f'(±lambd) = 0",
            plot_range=(-2, 2),
        ),
        A(
            "hardshrink",
            r"x \text{ if } |x| > \lambda \text{ else } 0",
            r"[|x| > \lambda]",
            formula_text="x if |x| > λ else 0",
            derivative_text="1 if |x| > λ else 0",
            function=F.hardshrink,
            module=nn.Hardshrink,
            smooth=False,
            kinks=(-0.5, 0.5),
            kink_rule="f'(±lambd) = 0",
            tensor_method=True,
            plot_range=(-2, 2),
        ),
        A(
            "threshold",
            r"x \text{ if } x > \text{threshold} \text{ else } \text{value}",
            r"[x > \text{threshold}]",
            formula_text="x if x > threshold else value",
            derivative_text="1 if x > threshold else 0",
            function=F.threshold,
            module=nn.Threshold,
            smooth=False,
            kinks=(0.5,),
            kink_rule="f'(threshold) = 0",
            sample_params={"threshold": 0.5, "value": -1.0},
            plot_range=(-2, 2),
        ),
        A(
            "prelu",
            r"x \text{ if } x > 0 \text{ else } \text{weight} \cdot x",
            r"1 \text{ if } x > 0 \text{ else } \text{weight}",
            formula_text="x if x > 0 else weight·x",
            derivative_text="1 if x > 0 else weight",
            function=F.prelu,
            module=nn.PReLU,
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
            r"x \text{ if } x \geq 0 \text{ else } r x,\ "
            r"r = \frac{\text{lower} + \text{upper}}{2} \text{ (eval), }"
            r"r \sim U(\text{lower}, \text{upper}) \text{ (training)}",
            r"1 \text{ if } x > 0 \text{ else } r",
            formula_text="x if x ≥ 0 else r·x, r = (lower + upper)/2 (eval), "
            "r ~ U(lower, upper) (training)",
            derivative_text="1 if x > 0 else r",
            function=F.rrelu,
            module=nn.RReLU,
            smooth=False,
            kinks=(0.0,),
            kink_rule="f'(0) = r",
            plot_range=(-3, 3),
        ),
        A(
            "glu",
            r"a \otimes \sigma(b),\ (a, b) = \text{halves of } x \text{ along dim}",
            r"\partial_a = \sigma(b),\ \partial_b = a\,\sigma(b)\,\sigma(-b)",
            formula_text="a·σ(b), a and b the halves of x along dim",
            derivative_text="∂/∂a = σ(b), ∂/∂b = a·σ(b)·σ(-b)",
            function=F.glu,
            module=nn.GLU,
            elementwise=False,
        ),
        A(
            "softmax",
            r"\frac{e^{x_i}}{\sum_j e^{x_j}}",
            r"y_i(\delta_{ij} - y_j)",
            formula_text="y_i = exp(x_i) / Σ_j exp(x_j), j along dim",
            derivative_text="∂y_i/∂x_j = y_i(δ_ij - y_j)",
            function=F.softmax,
            module=nn.Softmax,
            tensor_method=True,
            method_args=("dim",),
            elementwise=False,
            sample_params={"dim": -1},
        ),
        A(
            "log_softmax",
            r"x_i - \log\sum_j e^{x_j}",
            r"\delta_{ij} - \operatorname{softmax}(x)_j",
            formula_text="x_i - log Σ_j exp(x_j), j along dim",
            derivative_text="∂y_i/∂x_j = δ_ij - softmax(x)_j",
            function=F.log_softmax,
            module=nn.LogSoftmax,
            tensor_method=True,
            method_args=("dim",),
            elementwise=False,
            sample_params={"dim": -1},
        ),
        A(
            "softmin",
            r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}",
            r"-y_i(\delta_{ij} - y_j)",
            formula_text="y_i = exp(-x_i) / Σ_j exp(-x_j), j along dim",
            derivative_text="∂y_i/∂x_j = -y_i(δ_ij - y_j)",
            function=F.softmin,
            module=nn.Softmin,
            elementwise=False,
            sample_params={"dim": -1},
        ),
    ]


ACTIVATIONS: dict[str, Activation] = {}


def get(name: str) -> Activation:
    """The entry for ``name``, or a KeyError that lists the known names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r}; known: {known}") from None


def register(declaration: Activation) -> Activation:
    """Add an activation to the table, and with it its F function (``F.<name>``), its module
    (``nn.<class_name>``) and its Tensor method if ``tensor_method``. Its ``fn`` function and
    parser name, its plot and its line in ``tinygrad-acts list`` read the table.

    What the declaration does not name is made from it (see ``Activation``). Returns the entry
    as stored. Raises ValueError for a name already taken, or a declaration that cannot work;
    nothing is changed then.
    """
    name = declaration.name
    if not name.isidentifier() or keyword.iskeyword(name) or name == "x":
        raise ValueError(f"an activation's name must be a Python identifier (not x), got {name!r}")
    if name in ACTIVATIONS:
        raise ValueError(f"{name!r} is registered already (registry.unregister({name!r}) first)")
    entry = _with_function(declaration)
    if declaration.module is None:
        entry = replace(entry, module=_made_module(entry))
    entry = replace(entry, class_name=entry.module.__name__)
    for namespace, key, value in _places(entry):
        if vars(namespace).get(key, value) is not value:
            raise ValueError(f"{namespace.__name__}.{key} exists already: choose another name")
    if entry.tensor_method and hasattr(Tensor, name):
        raise ValueError(f"Tensor has a {name!r} attribute already: tensor_method=False")
    for namespace, key, value in _places(entry):
        setattr(namespace, key, value)
        exported = vars(namespace).get("__all__")
        if exported is not None and key not in exported:
            exported.append(key)
    if entry.tensor_method:
        method = dim_required(entry.function) if "dim" in entry.method_args else entry.function
        setattr(Tensor, name, method)
    ACTIVATIONS[name] = entry
    return entry


def unregister(name: str) -> Activation:
    """Take ``name`` out of the table, and its F function, module and Tensor method out of
    ``nn.functional``, ``nn`` and Tensor. Returns the entry, which ``register`` takes back."""
    entry = get(name)
    for namespace, key, value in _places(entry):
        if vars(namespace).get(key) is value:
            delattr(namespace, key)
            exported = vars(namespace).get("__all__")
            if exported is not None and key in exported:
                exported.remove(key)
    if entry.tensor_method and name in vars(Tensor):
        delattr(Tensor, name)
    del ACTIVATIONS[name]
    return entry


def _places(entry: Activation) -> list[tuple[Any, str, Any]]:
    """Where ``entry``'s function and module are found by name, and exported (``__all__``):
    (namespace, name, object). A module made here is also in ``nn.modules.activation``, its
    ``__module__`` (where pickle looks for it)."""
    places = [(nn.functional, entry.name, entry.function), (nn, entry.class_name, entry.module)]
    if entry.module.__module__ == nn.modules.activation.__name__:
        places.append((nn.modules.activation, entry.class_name, entry.module))
    return places


def _with_function(declaration: Activation) -> Activation:
    """``declaration`` with its F function (the hand-written one, or one made from the op) and
    the ``params`` and ``inplace`` of that function's signature."""
    name, function = declaration.name, declaration.function
    if function is None:
        if declaration.op is None:
            raise ValueError(f"{name}: name the op (or a hand-written function)")
        clash = {"input", "inplace"} & set(declaration.params)
        if clash:
            raise ValueError(f"{name}: {clash.pop()!r} cannot be a parameter (F adds it itself)")
        function = declared_function(declaration)
    signature = inspect.signature(function).parameters
    params = {k: p.default for k, p in signature.items() if k not in _NOT_PARAMETERS}
    if declaration.params and declaration.params != params:
        raise ValueError(f"{name}: params {declaration.params} differ from the function's {params}")
    return replace(declaration, function=function, params=params, inplace="inplace" in signature)


def _made_module(entry: Activation) -> type[nn.Module]:
    """The module made from ``entry`` (which has its function), named ``entry.class_name`` or,
    by default, the name in CamelCase."""
    class_name = entry.class_name or "".join(w.capitalize() for w in entry.name.split("_"))
    clash = [k for k in entry.params if hasattr(nn.Module, k)]
    if clash:
        raise ValueError(f"{entry.name}: parameter {clash[0]!r} would hide nn.Module.{clash[0]}")
    return declared_module(replace(entry, class_name=class_name), entry.function)


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


for _declaration in _declarations():
    register(_declaration)
