"""The activation functions of ``torch.nn.functional``, with torch's names and signatures.

Each function checks its arguments — raising, where torch has one, torch's error — and calls
its op in ``ops/activations/``, where the math lives. ``inplace=True`` writes the result into
the input and returns it, as torch does.

Most of them are written here by hand, for torch's own argument checks. An activation whose
checks are the common ones (sigmoid, tanh, silu, ...) has none here: ``declared_function``
makes it from its declaration, and the registry (``registry.py``) puts it in ``nn.functional``.

``nn.functional`` (``F``) offers them together with the losses and ``linear``; the losses
(``nn/losses.py``) build on ``log_softmax`` and ``logsigmoid`` from here.
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..ops import activations as ops
from ..torch_compat.checks import _check_dim, tensor_argument
from ..torch_compat.dtypes import BOOL_NEGATION, BOOL_SUBTRACTION, check_fits, torch_dtype_name
from ..torch_compat.in_place import assign_in_place
from ..torch_compat.nodes import name_node
from ..torch_compat.random import generator, manual_seed

# A declaration is a ``registry.Activation``, passed in by the registry (which imports this
# module, so this module does not import it back).
Declaration = Any

# SELU's constants (Klambauer et al., 2017), to the digits torch uses.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# -- argument checks ---------------------------------------------------------------------------


# The hand-written activations torch has no integer or boolean kernel for, with the kernel its
# NotImplementedError names (a declared activation says so in its declaration). relu, relu6,
# hardtanh and threshold keep integers integers.
_FLOAT_KERNELS = {
    "softplus": "softplus_cpu",
    "elu": "elu_cpu",
    "selu": "elu_cpu",
    "celu": "elu_cpu",
    "gelu": "GeluKernelImpl",
    "leaky_relu": "leaky_relu_cpu",
    "rrelu": "leaky_relu_cpu",
    "prelu": "prelu_cpu",
    "logsigmoid": "log_sigmoid_cpu",
    "hardsigmoid": "hardsigmoid_cpu",
    "hardswish": "hardswish_cpu",
    "softshrink": "softshrink_check",
    "hardshrink": "hardshrink_cpu",
    "glu": "glu_cpu",
}
# What torch raises for a boolean input to the activations that take integers.
_BOOL_REFUSALS = {
    "relu": (RuntimeError, "Boolean inputs not supported for relu"),
    "relu6": (RuntimeError, "Bool inputs not supported for hardtanh"),
    "hardtanh": (RuntimeError, "Bool inputs not supported for hardtanh"),
    "threshold": (NotImplementedError, "\"threshold_cpu\" not implemented for 'Bool'"),
    "softsign": (NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
    "softmin": (RuntimeError, BOOL_NEGATION),  # softmax(-x)
    "tanhshrink": (RuntimeError, BOOL_SUBTRACTION),  # x - tanh(x)
}


def _input(name: str, input: Any, kernel: str | None = None) -> Tensor:
    """The input of activation ``name``, checked: integers and booleans compute in float32
    where torch does so too, and raise torch's error where it has no kernel for them
    (``kernel``: the name in that error, if not the activation's usual one)."""
    input = tensor_argument(name, input)
    dtype = input.array.dtype
    if dtype.kind != "f":
        if dtype.kind == "b" and name in _BOOL_REFUSALS:
            error, message = _BOOL_REFUSALS[name]
            raise error(message)
        kernel = kernel or _FLOAT_KERNELS.get(name)
        if kernel is not None:
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'"
            )
        return input.float()  # computed in torch's default dtype
    return input


def _softmax_kernel(base: str, x: Tensor, dim: int) -> str:
    """torch's kernel for softmax along ``dim``: its own for the last dimension."""
    return f"{base}_lastdim_kernel_impl" if dim in (-1, x.ndim - 1) else f"{base}_kernel_impl"


def _smooth(op: Any, name: str, input: Any, **params: Any) -> Tensor:
    """``op`` on the checked input. float16 is computed in float32 and rounded back once, as
    torch does for half on the CPU: its range is too small for the exponentials inside (e^12
    overflows float16), and each float16 step would round again. The result's node keeps the
    op's name (``HardsigmoidBackward0``, not the cast's)."""
    if isinstance(input, Tensor) and input.array.dtype.char in "fd":  # float32, float64: as is
        return op.apply(input, **params) if params else op.apply(input)
    x = _input(name, input)
    if x.array.dtype.char == "e":  # float16
        wide = op.apply(x.float(), **params)
        out = wide.to(np.float16)
        return name_node(out, wide.grad_fn.name()) if wide.grad_fn is not None else out
    return op.apply(x, **params) if params else op.apply(x)


def _number(name: str, arg: str, position: int, value: Any) -> float:
    if isinstance(value, Tensor) and value.array.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name}(): argument '{arg}' (position {position}) must be Number, "
            f"not {type(value).__name__}"
        )
    return float(value)


def _softmax_dim(name: str, input: Tensor, dim: int | None, stacklevel: int) -> int:
    if dim is None:
        dim = 0 if input.ndim in (0, 1, 3) else 1
        warnings.warn(
            f"Implicit dimension choice for {name} has been deprecated. Change the call to "
            "include dim=X as an argument.",
            UserWarning,
            stacklevel=stacklevel,
        )
    kernel = "softmax" if name == "softmin" else name  # torch's softmin calls softmax
    return _check_dim(dim, input.ndim, f"{kernel}(): argument 'dim' (position 1)")


def _with_dtype(name: str, input: Tensor, dtype: Any) -> Tensor:
    """softmax's ``dtype=``: the input cast first; torch has no kernel for other than floats."""
    if dtype is None:
        return input
    x = input.to(dtype)
    if x.array.dtype.kind != "f":
        kind = torch_dtype_name(x.array.dtype)
        raise NotImplementedError(f"\"{name}_lastdim_kernel_impl\" not implemented for '{kind}'")
    return x


# -- made from a declaration ------------------------------------------------------------------


def declared_function(declaration: Declaration) -> Callable[..., Tensor]:
    """The F function of an activation declared without a hand-written one (``registry.py``).

    Its signature is ``name(input, *params, inplace=False)``: the declared parameters with
    their defaults, then ``inplace`` if the declaration says it has one. A call checks what every
    activation checks, in torch's words: ``input`` is a Tensor; a float parameter is a number
    (``_number``); an integer or boolean input is computed in float32 if the declaration says
    torch does so (``integers_in_float32``), else refused naming the kernel ``<name>_cpu``;
    float16 is computed in float32 (``_smooth``). Then ``op.apply(input, **params)``.
    """
    name, op = declaration.name, declaration.op
    defaults = dict(declaration.params)
    kernel = None if declaration.integers_in_float32 else f"{name}_cpu"
    numbers = [
        (position, key)
        for position, (key, default) in enumerate(defaults.items(), start=2)
        if isinstance(default, float)
    ]
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("input", positional)]
    parameters += [inspect.Parameter(k, positional, default=d) for k, d in defaults.items()]
    if declaration.inplace:
        parameters.append(inspect.Parameter("inplace", positional, default=False))
    signature = inspect.Signature(parameters)
    keywords = frozenset(signature.parameters) - {"input"}
    required = any(d is inspect.Parameter.empty for d in defaults.values())

    def function(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        params, inplace = defaults, False
        if args or kwargs or required:  # (a call with the defaults skips all this)
            given = kwargs
            if args or required or not kwargs.keys() <= keywords:
                try:
                    given = signature.bind(input, *args, **kwargs).arguments
                except TypeError as error:  # inspect's words, with the function's name
                    raise TypeError(f"{name}() {error}") from None
            if defaults:
                params = {key: given.get(key, default) for key, default in defaults.items()}
                for position, key in numbers:
                    params[key] = _number(name, key, position, params[key])
            inplace = given.get("inplace", False)
        if isinstance(input, Tensor) and input.array.dtype.char in "fd":  # float32, float64
            out = op.apply(input, **params)
        else:
            out = _smooth(op, name, _input(name, input, kernel), **params)
        if inplace:
            return _maybe_in_place(input, out, inplace)
        return out

    function.__name__ = function.__qualname__ = name
    function.__module__ = "tinygrad_acts.nn.functional"
    function.__doc__ = _declared_doc(declaration)
    function.__signature__ = signature  # type: ignore[attr-defined]
    return function


def _declared_doc(declaration: Declaration) -> str:
    """The op's first line (f in words), then where the function comes from."""
    summary = (declaration.op.__doc__ or "").strip().split("\n")[0]
    return (
        f"{summary}\n\nMade from its declaration in ``tinygrad_acts.registry`` "
        f"(the op: ``{declaration.op.__name__}``); f(x) = {declaration.formula} (LaTeX)."
    )


# -- the sigmoid family (sigmoid, tanh, silu, mish: made from their declarations) ------------


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x) = -log(1 + e^{-x}).   f'(x) = σ(-x).   (Here by hand: the losses build on it.)"""
    return _smooth(ops.LogSigmoid, "logsigmoid", input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """(1/β)·log(1 + e^{βx}); x itself where βx > threshold.   f'(x) = σ(βx)."""
    beta = _number("softplus", "beta", 2, beta)
    threshold = _number("softplus", "threshold", 3, threshold)
    if beta == 0:
        raise ValueError("softplus(): beta must be non-zero, got 0 (1/beta is undefined)")
    return _smooth(ops.Softplus, "softplus", input, beta=beta, threshold=threshold)


# -- piecewise linear --------------------------------------------------------------------------


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0).   f'(x) = 1 for x > 0, else 0 (0 at x = 0)."""
    if not isinstance(input, Tensor) or input.array.dtype.kind != "f":
        if _is_integer(input):
            return _maybe_in_place(input, _clamp_integers(input, 0, None), inplace)
        input = _input("relu", input)
    return _maybe_in_place(input, ops.ReLU.apply(input), inplace)


def _maybe_in_place(input: Any, out: Tensor, inplace: bool, node: str | None = None) -> Tensor:
    """``inplace=True`` as torch: the result goes into ``input``, which is returned (a leaf
    that requires grad refuses, in torch's words; see ``Tensor.add_`` for the rules).

    ``node``: torch's name of the in-place form's node, where torch computes its backward from
    the output (``LeakyReluBackward1``): the node notes it (``self_is_result``, torch's word),
    and its backward refuses a negative slope as torch's does."""
    if not inplace:
        return out
    if node is not None and out.grad_fn is not None:
        out.grad_fn.self_is_result = True
        name_node(out, node)
    return assign_in_place(input, out)


def _is_integer(input: Any) -> bool:
    return isinstance(input, Tensor) and input.array.dtype.kind in "iu"


def _clamp_integers(input: Tensor, low: int | None, high: int | None) -> Tensor:
    """relu, relu6 and hardtanh of integers are integers, as in torch (booleans and the other
    activations: see ``_input``). Integers carry no gradient."""
    return Tensor(np.clip(input.array, low, high).astype(input.array.dtype))


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6).   f'(x) = 1 for 0 < x < 6, else 0 (0 at both bounds)."""
    if _is_integer(input):
        return _maybe_in_place(input, _clamp_integers(input, 0, 6), inplace)
    return _maybe_in_place(
        input, ops.Hardtanh.apply(_input("relu6", input), min_val=0.0, max_val=6.0), inplace
    )


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else negative_slope·x.   f'(0) = negative_slope."""
    slope = _number("leaky_relu", "negative_slope", 2, negative_slope)
    out = ops.LeakyReLU.apply(_input("leaky_relu", input), negative_slope=slope)
    return _maybe_in_place(input, out, inplace, "LeakyReluBackward1")


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """min(max(x, min_val), max_val).   f' = 1 strictly inside, 0 at and beyond the bounds."""
    min_val = _number("hardtanh", "min_val", 2, min_val)
    max_val = _number("hardtanh", "max_val", 3, max_val)
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if _is_integer(input):
        if input.array.dtype.kind == "u" and min_val < 0:
            raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
        # the limits cast to the integer type (truncated), as torch does; infinite: no limit
        low, high = (int(v) if math.isfinite(v) else None for v in (min_val, max_val))
        return _maybe_in_place(input, _clamp_integers(input, low, high), inplace)
    return _maybe_in_place(
        input,
        ops.Hardtanh.apply(_input("hardtanh", input), min_val=min_val, max_val=max_val),
        inplace,
    )


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """0 for x ≤ -3, 1 for x ≥ 3, x/6 + 1/2 between."""
    return _maybe_in_place(input, _smooth(ops.Hardsigmoid, "hardsigmoid", input), inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·hardsigmoid(x).   f'(-3) = 0, f'(3) = 1."""
    return _maybe_in_place(input, _smooth(ops.Hardswish, "hardswish", input), inplace)


def _lambd(name: str, lambd: Any, dtype: Any = None) -> float:
    """softshrink's λ: a number from 0 to the input dtype's largest (torch's rule and words).
    Without a dtype (a module being built, before any input), only its sign is checked."""
    lambd = _number(name, "lambd", 2, lambd)
    if dtype is None:
        if not lambd >= 0:  # also refuses nan
            raise RuntimeError(f"{name}(): lambda must be greater or equal to 0, but found {lambd}")
        return lambd
    largest = float(np.finfo(dtype).max)
    if not 0 <= lambd <= largest:  # also refuses nan
        raise RuntimeError(
            f"lambda must be in range [0, {largest:g}] for input dtype "
            f"{torch_dtype_name(dtype)}, but found {lambd:g}"
        )
    return lambd


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - λ for x > λ, x + λ for x < -λ, else 0."""
    x = _input("softshrink", input)
    lambd = _lambd("softshrink", lambd, x.array.dtype)
    return ops.Softshrink.apply(x, lambd=lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x for |x| > λ, else 0. (A negative λ gives x itself, as in torch.)"""
    lambd = _number("hardshrink", "lambd", 2, lambd)
    return ops.Hardshrink.apply(_input("hardshrink", input), lambd=lambd)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x for x > threshold, else value."""
    t = _number("threshold", "threshold", 2, threshold)
    v = _number("threshold", "value", 3, value)
    if _is_integer(input):  # integers stay integers, value cast to them, as in torch
        x = input.array
        check_fits(threshold, x.dtype)
        check_fits(value, x.dtype)
        return _maybe_in_place(
            input, Tensor(np.where(x <= t, np.asarray(v).astype(x.dtype), x)), inplace
        )
    out = ops.Threshold.apply(_input("threshold", input), threshold=t, value=v)
    return _maybe_in_place(input, out, inplace, "ThresholdBackward1")


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, else w·x, with one learnable slope per channel (dim 1) or one for all."""
    x = tensor_argument("prelu", input)
    if not isinstance(weight, Tensor):
        raise TypeError(
            f"prelu(): argument 'weight' (position 2) must be Tensor, not {type(weight).__name__}"
        )
    if weight.array.dtype != x.array.dtype:
        raise RuntimeError(
            "prelu: Type promoting not supported. Got "
            f"{torch_dtype_name(x.array.dtype)} and {torch_dtype_name(weight.array.dtype)}"
        )
    n = weight.numel()
    if n != 1:
        if x.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = x.shape[1] if x.ndim >= 2 else 1  # a 1-D input is one channel (torch)
        if n != channels or weight.ndim != 1:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers "
                f"= {n} and channel size = {channels}."
            )
        if x.ndim >= 2:
            weight = weight.reshape((n,) + (1,) * (x.ndim - 2))
    elif weight.ndim > 0:
        weight = weight.reshape(())
    return ops.PReLU.apply(_input("prelu", x), weight)


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """x for x ≥ 0, else r·x: r ~ U(lower, upper) in training, (lower + upper)/2 in eval."""
    lower = _number("rrelu", "lower", 2, lower)
    upper = _number("rrelu", "upper", 3, upper)
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    x = _input("rrelu", input, "rrelu_with_noise_out_cpu" if training else None)
    if not training:
        out = ops.LeakyReLU.apply(x, negative_slope=(lower + upper) / 2)
        return _maybe_in_place(input, out, inplace, "RreluWithNoiseBackward1")
    slopes = generator().uniform(lower, upper, size=x.shape).astype(x.dtype)
    return _maybe_in_place(
        input, ops.RReLU.apply(x, slopes=slopes), inplace, "RreluWithNoiseBackward1"
    )


# -- exponential linear ------------------------------------------------------------------------


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α(e^x - 1).   f'(0) = α."""
    alpha = _number("elu", "alpha", 2, alpha)
    out = _smooth(ops.ELU, "elu", input, alpha=alpha)
    return _maybe_in_place(input, out, inplace, "EluBackward1")


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale·(x for x > 0, else α(e^x - 1)), α ≈ 1.6733, scale ≈ 1.0507."""
    out = _smooth(ops.ELU, "selu", input, alpha=SELU_ALPHA, scale=SELU_SCALE)
    return _maybe_in_place(input, out, inplace, "EluBackward1")


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α(e^{x/α} - 1)."""
    alpha = _number("celu", "alpha", 2, alpha)
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    out = _smooth(ops.ELU, "celu", input, alpha=alpha, divisor=alpha)
    return _maybe_in_place(input, out, inplace, "CeluBackward1")


def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    """x·Φ(x); with approximate='tanh', ½x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    if not isinstance(approximate, str):
        raise TypeError(
            f"gelu(): argument 'approximate' must be str, not {type(approximate).__name__}"
        )
    if approximate == "none":
        return _smooth(ops.GELU, "gelu", input)
    if approximate == "tanh":
        return _smooth(ops.GELUTanh, "gelu", input)
    raise RuntimeError("approximate argument must be either none or tanh.")


# -- along a dimension -------------------------------------------------------------------------


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """e^{x_i} / Σ_j e^{x_j} along ``dim``."""
    x = _with_dtype("softmax", tensor_argument("softmax", input), dtype)
    dim = _softmax_dim("softmax", x, dim, _stacklevel)
    x = _input("softmax", x, _softmax_kernel("softmax", x, dim))
    if x.ndim == 0:  # a single value: softmax over one element
        return _smooth(ops.Softmax, "softmax", x.reshape(1), dim=0).reshape(())
    return _smooth(ops.Softmax, "softmax", x, dim=dim)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """x_i - log Σ_j e^{x_j} along ``dim``."""
    x = _with_dtype("log_softmax", tensor_argument("log_softmax", input), dtype)
    dim = _softmax_dim("log_softmax", x, dim, _stacklevel)
    x = _input("log_softmax", x, _softmax_kernel("log_softmax", x, dim))
    if x.ndim == 0:
        return _smooth(ops.LogSoftmax, "log_softmax", x.reshape(1), dim=0).reshape(())
    return _smooth(ops.LogSoftmax, "log_softmax", x, dim=dim)


def softmin(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """softmax(-x) along ``dim`` (one op: ``Softmin``)."""
    x = _with_dtype("softmax", tensor_argument("softmin", input), dtype)
    dim = _softmax_dim("softmin", x, dim, _stacklevel)
    x = _input("softmin", x, _softmax_kernel("softmax", x, dim))
    if x.ndim == 0:
        return _smooth(ops.Softmin, "softmin", x.reshape(1), dim=0).reshape(())
    return _smooth(ops.Softmin, "softmin", x, dim=dim)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a·σ(b), where a and b are the halves of the input along ``dim``."""
    x = _input("glu", input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = _check_dim(dim, x.ndim, "glu(): argument 'dim' (position 2)")
    if x.shape[dim] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim} is size {x.shape[dim]}"
        )
    return _smooth(ops.GLU, "glu", x, dim=dim)  # float16 through float32: e^12 overflows


# -- the in-place spellings (torch's F.relu_ …: the function with inplace=True) --------------

_threshold = threshold  # (threshold_'s parameter named threshold hides the function)


def relu_(input: Tensor) -> Tensor:
    """relu, written into ``input``."""
    return relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu, written into ``input``."""
    return elu(input, alpha, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """selu, written into ``input``."""
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """celu, written into ``input``."""
    return celu(input, alpha, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu, written into ``input``."""
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh, written into ``input``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def rrelu_(
    input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False
) -> Tensor:
    """rrelu, written into ``input``."""
    return rrelu(input, lower, upper, training, inplace=True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """threshold, written into ``input``."""
    return _threshold(input, threshold, value, inplace=True)


__all__ = [
    "SELU_ALPHA",
    "SELU_SCALE",
    "celu",
    "celu_",
    "elu",
    "elu_",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "log_softmax",
    "logsigmoid",
    "manual_seed",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "threshold",
    "threshold_",
]
