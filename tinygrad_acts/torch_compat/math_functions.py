"""torch's elementwise math as functions: ``torch.sin(x)`` is ``x.sin()``, after checking, in
torch's words, that ``x`` is a Tensor."""

from __future__ import annotations

from typing import Any

from ..core.tensor import Tensor
from ..ops import math as _math
from .arithmetic import invalid_arguments
from .checks import tensor_argument
from .dtypes import _is_number
from .math import _atan2, _eps, _lerp, _pair, _xlogy

# -- torch.sin(x) …: the method, after checking that x is a Tensor --------------------------------


def sin(input: Tensor) -> Tensor:
    """sin x, elementwise."""
    return tensor_argument("sin", input).sin()


def cos(input: Tensor) -> Tensor:
    """cos x, elementwise."""
    return tensor_argument("cos", input).cos()


def tan(input: Tensor) -> Tensor:
    """tan x, elementwise."""
    return tensor_argument("tan", input).tan()


def asin(input: Tensor) -> Tensor:
    """arcsin x, elementwise (NaN outside [-1, 1])."""
    return tensor_argument("asin", input).asin()


def arcsin(input: Tensor) -> Tensor:
    """``asin``."""
    return tensor_argument("arcsin", input).asin()


def acos(input: Tensor) -> Tensor:
    """arccos x, elementwise (NaN outside [-1, 1])."""
    return tensor_argument("acos", input).acos()


def arccos(input: Tensor) -> Tensor:
    """``acos``."""
    return tensor_argument("arccos", input).acos()


def atan(input: Tensor) -> Tensor:
    """arctan x, elementwise."""
    return tensor_argument("atan", input).atan()


def arctan(input: Tensor) -> Tensor:
    """``atan``."""
    return tensor_argument("arctan", input).atan()


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of the point (other, input), elementwise: atan2(y=input, x=other)."""
    tensor_argument("atan2", input)
    return _atan2(input, tensor_argument("atan2", other, "other", 2))


def arctan2(input: Tensor, other: Tensor) -> Tensor:
    """``atan2``."""
    tensor_argument("arctan2", input)
    return _atan2(input, tensor_argument("arctan2", other, "other", 2))


def sinh(input: Tensor) -> Tensor:
    """sinh x, elementwise."""
    return tensor_argument("sinh", input).sinh()


def cosh(input: Tensor) -> Tensor:
    """cosh x, elementwise."""
    return tensor_argument("cosh", input).cosh()


def exp(input: Tensor) -> Tensor:
    """eˣ, elementwise."""
    return tensor_argument("exp", input).exp()


def exp2(input: Tensor) -> Tensor:
    """2ˣ, elementwise."""
    return tensor_argument("exp2", input).exp2()


def expm1(input: Tensor) -> Tensor:
    """eˣ - 1, elementwise, exact also near 0."""
    return tensor_argument("expm1", input).expm1()


def log(input: Tensor) -> Tensor:
    """The natural logarithm, elementwise."""
    return tensor_argument("log", input).log()


def log2(input: Tensor) -> Tensor:
    """log₂ x, elementwise."""
    return tensor_argument("log2", input).log2()


def log10(input: Tensor) -> Tensor:
    """log₁₀ x, elementwise."""
    return tensor_argument("log10", input).log10()


def log1p(input: Tensor) -> Tensor:
    """log(1 + x), elementwise, exact also near 0."""
    return tensor_argument("log1p", input).log1p()


def sqrt(input: Tensor) -> Tensor:
    """√x, elementwise."""
    return tensor_argument("sqrt", input).sqrt()


def rsqrt(input: Tensor) -> Tensor:
    """1/√x, elementwise."""
    return tensor_argument("rsqrt", input).rsqrt()


def reciprocal(input: Tensor) -> Tensor:
    """1/x, elementwise (integers give floats)."""
    return tensor_argument("reciprocal", input).reciprocal()


def square(input: Tensor) -> Tensor:
    """x², elementwise (integers stay integers)."""
    return tensor_argument("square", input).square()


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input + alpha * other`` (either may be a number, as in torch)."""
    if isinstance(input, Tensor):
        return input.add(other, alpha=alpha)
    return tensor_argument("add", other) * alpha + input


def sub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input - alpha * other``."""
    return tensor_argument("sub", input).sub(other, alpha=alpha)


def mul(input: Any, other: Any) -> Tensor:
    """``input * other``."""
    return input * other if isinstance(input, Tensor) else other * input


def div(input: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """``input / other``, rounded as ``rounding_mode`` says ("trunc", "floor" or None)."""
    return tensor_argument("div", input).div(other, rounding_mode=rounding_mode)


subtract, multiply, divide, true_divide = sub, mul, div, div


def is_tensor(obj: Any) -> bool:
    """Is ``obj`` a Tensor?"""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """Is ``input``'s dtype a floating one?"""
    return tensor_argument("is_floating_point", input).array.dtype.kind == "f"


def pow(input: Any, exponent: Any) -> Tensor:
    """inputᵉˣᵖᵒⁿᵉⁿᵗ, elementwise: a tensor to a tensor or a number, or a number to a tensor."""
    tensors = isinstance(input, Tensor), isinstance(exponent, Tensor)
    numbers = _is_number(input), _is_number(exponent)
    if (tensors[0] and (tensors[1] or numbers[1])) or (numbers[0] and tensors[1]):
        return input**exponent
    raise invalid_arguments(
        "pow",
        (input, exponent),
        [
            "(Tensor input, Tensor exponent, *, Tensor out = None)",
            "(Number self, Tensor exponent, *, Tensor out = None)",
            "(Tensor input, Number exponent, *, Tensor out = None)",
        ],
    )


def abs(input: Tensor) -> Tensor:
    """|x|, elementwise (its gradient at 0 is 0, as torch's)."""
    return tensor_argument("abs", input).abs()


def absolute(input: Tensor) -> Tensor:
    """``abs``."""
    return tensor_argument("absolute", input).abs()


def sign(input: Tensor) -> Tensor:
    """-1, 0 or 1, elementwise."""
    return tensor_argument("sign", input).sign()


def neg(input: Tensor) -> Tensor:
    """-x, elementwise."""
    return -tensor_argument("neg", input)


def negative(input: Tensor) -> Tensor:
    """``neg``."""
    return -tensor_argument("negative", input)


def floor(input: Tensor) -> Tensor:
    """⌊x⌋, elementwise."""
    return tensor_argument("floor", input).floor()


def ceil(input: Tensor) -> Tensor:
    """⌈x⌉, elementwise."""
    return tensor_argument("ceil", input).ceil()


def trunc(input: Tensor) -> Tensor:
    """x rounded towards 0, elementwise."""
    return tensor_argument("trunc", input).trunc()


def fix(input: Tensor) -> Tensor:
    """``trunc``."""
    return tensor_argument("fix", input).trunc()


def round(input: Tensor, *args: Any, decimals: int | None = None) -> Tensor:
    """x rounded half to even, to ``decimals`` places (keyword only, as torch's)."""
    if args:
        signatures = [
            "(Tensor input, *, Tensor out = None)",
            "(Tensor input, *, int decimals, Tensor out = None)",
        ]
        raise invalid_arguments("round", (input, *args), signatures)
    return tensor_argument("round", input).round(decimals=decimals)


def frac(input: Tensor) -> Tensor:
    """x - trunc(x), elementwise."""
    return tensor_argument("frac", input).frac()


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Every value limited to [min, max] (see ``Tensor.clamp``)."""
    return tensor_argument("clamp", input).clamp(min, max)


def clip(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """``clamp``."""
    return tensor_argument("clip", input).clamp(min, max)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The larger of the two, elementwise."""
    tensor_argument("maximum", input)
    return _pair(_math.Maximum, input, tensor_argument("maximum", other, "other", 2))


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The smaller of the two, elementwise."""
    tensor_argument("minimum", input)
    return _pair(_math.Minimum, input, tensor_argument("minimum", other, "other", 2))


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight·(end - input), elementwise."""
    ok = isinstance(input, Tensor) and isinstance(end, Tensor)
    if not ok or not (isinstance(weight, Tensor) or _is_number(weight)):
        signatures = [
            "(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
            "(Tensor input, Tensor end, Number weight, *, Tensor out = None)",
        ]
        raise invalid_arguments("lerp", (input, end, weight), signatures)
    return _lerp(input, end, weight)


def erf(input: Tensor) -> Tensor:
    """The error function, elementwise."""
    return tensor_argument("erf", input).erf()


def erfc(input: Tensor) -> Tensor:
    """1 - erf x, elementwise, exact also in the tail."""
    return tensor_argument("erfc", input).erfc()


def erfinv(input: Tensor) -> Tensor:
    """The inverse of erf, elementwise."""
    return tensor_argument("erfinv", input).erfinv()


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """log(x / (1 - x)), elementwise; with ``eps``, x is first limited to [eps, 1 - eps]."""
    return tensor_argument("logit", input).logit(_eps("logit", 2, eps))


def remainder(input: Any, other: Any) -> Tensor:
    """input mod other, of other's sign (Python's %): a tensor and a number either way round."""
    tensors = isinstance(input, Tensor), isinstance(other, Tensor)
    numbers = _is_number(input), _is_number(other)
    if (tensors[0] and (tensors[1] or numbers[1])) or (numbers[0] and tensors[1]):
        return input % other
    signatures = [
        "(Tensor input, Tensor other, *, Tensor out = None)",
        "(Number self, Tensor other)",
        "(Tensor input, Number other, *, Tensor out = None)",
    ]
    raise invalid_arguments("remainder", (input, other), signatures)


def fmod(input: Tensor, other: Any) -> Tensor:
    """C's fmod, elementwise: input - other·trunc(input/other), of input's sign."""
    if isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other)):
        return input.fmod(other)
    signatures = [
        "(Tensor input, Tensor other, *, Tensor out = None)",
        "(Tensor input, Number other, *, Tensor out = None)",
    ]
    raise invalid_arguments("fmod", (input, other), signatures)


def sinc(input: Tensor) -> Tensor:
    """sin(πx)/(πx), elementwise, 1 at 0."""
    return tensor_argument("sinc", input).sinc()


def xlogy(input: Any, other: Any) -> Tensor:
    """input·log(other), elementwise, 0 where input is 0: a tensor and a number either way
    round."""
    tensors = isinstance(input, Tensor), isinstance(other, Tensor)
    numbers = _is_number(input), _is_number(other)
    if (tensors[0] and (tensors[1] or numbers[1])) or (numbers[0] and tensors[1]):
        return _xlogy(input, other)
    signatures = [
        "(Tensor input, Tensor other, *, Tensor out = None)",
        "(Number self, Tensor other, *, Tensor out = None)",
        "(Tensor input, Number other, *, Tensor out = None)",
    ]
    raise invalid_arguments("xlogy", (input, other), signatures)


def floor_divide(input: Tensor, other: Any) -> Tensor:
    """⌊input / other⌋, elementwise (not differentiable, as in torch)."""
    if isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other)):
        return input // other
    signatures = [
        "(Tensor input, Tensor other, *, Tensor out = None)",
        "(Tensor input, Number other)",
    ]
    raise invalid_arguments("floor_divide", (input, other), signatures)


__all__ = [
    "abs",
    "absolute",
    "acos",
    "add",
    "arccos",
    "arcsin",
    "arctan",
    "arctan2",
    "asin",
    "atan",
    "atan2",
    "ceil",
    "clamp",
    "clip",
    "cos",
    "cosh",
    "div",
    "divide",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "expm1",
    "fix",
    "floor",
    "floor_divide",
    "fmod",
    "frac",
    "is_floating_point",
    "is_tensor",
    "lerp",
    "log",
    "log1p",
    "log2",
    "log10",
    "logit",
    "maximum",
    "minimum",
    "mul",
    "multiply",
    "neg",
    "negative",
    "pow",
    "reciprocal",
    "remainder",
    "round",
    "rsqrt",
    "sign",
    "sin",
    "sinc",
    "sinh",
    "sqrt",
    "square",
    "sub",
    "subtract",
    "tan",
    "true_divide",
    "trunc",
    "xlogy",
]
