"""torch's elementwise math beyond the operators: ``sin``, ``cos``, ``expm1``, ``round``,
``maximum``, ``lerp``, ``erf``, ``logit`` …, as Tensor methods, their in-place forms
(``sin_``) and ``torch.sin(x)`` functions; each calls one op (``ops/math.py``).

Dtypes as torch's: a function of floats (sin, exp, erf …) computes integer and bool tensors in
the default dtype (float32); rounding keeps integers as they are; abs, sign, square and
maximum keep the input's dtype (square of bools is int64, as ``x ** 2``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ops as core_ops
from ..core.tensor import Tensor
from ..ops import basic as _basic
from ..ops import math as _math
from ..ops import rounding as _rounding
from .arithmetic import _integer_division_checks, dtype_refusal, invalid_arguments
from .checks import _check_broadcast, tensor_argument, type_name
from .dtypes import (
    _floating,
    _is_number,
    _operands,
    c10_dtype_name,
    get_default_dtype,
    result_type,
)
from .in_place import assign_in_place
from .nodes import name_node


class TensorMath:
    """The elementwise math methods of ``Tensor``."""

    # -- functions of floats -------------------------------------------------------------------

    def sin(self) -> Tensor:
        return _math.Sin.apply(_floating(self))

    def cos(self) -> Tensor:
        return _math.Cos.apply(_floating(self))

    def tan(self) -> Tensor:
        return _math.Tan.apply(_floating(self))

    def asin(self) -> Tensor:
        return _math.Asin.apply(_floating(self))

    def acos(self) -> Tensor:
        return _math.Acos.apply(_floating(self))

    def atan(self) -> Tensor:
        return _math.Atan.apply(_floating(self))

    def atan2(self, other: Tensor) -> Tensor:
        """The angle of the point (other, self): atan2(y=self, x=other), in (-π, π]."""
        return _atan2(self, tensor_argument("atan2", other, "other", 1))

    def sinh(self) -> Tensor:
        return _math.Sinh.apply(_floating(self))

    def cosh(self) -> Tensor:
        return _math.Cosh.apply(_floating(self))

    def exp(self) -> Tensor:
        return core_ops.exp(_floating(self))

    def exp2(self) -> Tensor:
        return _math.Exp2.apply(_floating(self))

    def expm1(self) -> Tensor:
        return _math.Expm1.apply(_floating(self))

    def log(self) -> Tensor:
        return core_ops.log(_floating(self))

    def log2(self) -> Tensor:
        return _math.Log2.apply(_floating(self))

    def log10(self) -> Tensor:
        return _math.Log10.apply(_floating(self))

    def log1p(self) -> Tensor:
        return _math.Log1p.apply(_floating(self))

    def sqrt(self) -> Tensor:
        return _basic.Sqrt.apply(_floating(self))

    def rsqrt(self) -> Tensor:
        return _math.Rsqrt.apply(_floating(self))

    def reciprocal(self) -> Tensor:
        return _math.Reciprocal.apply(_floating(self))

    def erf(self) -> Tensor:
        return _math.Erf.apply(_floating(self))

    def erfc(self) -> Tensor:
        return _math.Erfc.apply(_floating(self))

    def erfinv(self) -> Tensor:
        return _math.Erfinv.apply(_floating(self))

    def logit(self, eps: float | None = None) -> Tensor:
        """log(x / (1 - x)); with ``eps``, x is first limited to [eps, 1 - eps]."""
        return _math.Logit.apply(_floating(self), eps=_eps("logit", 1, eps))

    def sinc(self) -> Tensor:
        """sin(πx)/(πx), 1 at 0 (the normalised sinc)."""
        return _math.Sinc.apply(_floating(self))

    def xlogy(self, other: Any) -> Tensor:
        """self·log(other), 0 where self is 0 (unless other is NaN): a tensor or a number."""
        if not (isinstance(other, Tensor) or _is_number(other)):
            signatures = ["(Tensor other)", "(Number other)"]
            raise invalid_arguments("xlogy", (other,), signatures, method=True)
        return _xlogy(self, other)

    arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2

    # -- functions that keep the dtype -------------------------------------------------------

    def abs(self) -> Tensor:
        if self.array.dtype == np.bool_:
            raise dtype_refusal("abs_cpu", self.array.dtype)
        return _basic.Abs.apply(self)

    absolute = __abs__ = abs

    def sign(self) -> Tensor:
        """-1, 0 or 1 (0 at NaN); the derivative is 0. A bool is its own sign."""
        if self.array.dtype == np.bool_:
            return Tensor._make(self.array.copy(), None)
        return _basic.Sign.apply(self)

    def square(self) -> Tensor:
        """x², as ``x ** 2`` (integers stay integers, bools become int64)."""
        return self**2

    def maximum(self, other: Tensor) -> Tensor:
        """The larger of the two, elementwise (NaN if either is); at a tie each gets half the
        gradient (torch's)."""
        return _pair(_math.Maximum, self, tensor_argument("maximum", other, "other", 1))

    def minimum(self, other: Tensor) -> Tensor:
        """The smaller of the two, elementwise (as ``maximum``)."""
        return _pair(_math.Minimum, self, tensor_argument("minimum", other, "other", 1))

    def fmod(self, other: Any) -> Tensor:
        """C's fmod: self - other·trunc(self/other), of self's sign (``remainder`` has
        other's). Integers stay integers; ∂/∂self = 1, ∂/∂other = -trunc(self/other)."""
        if not (isinstance(other, Tensor) or _is_number(other)):
            signatures = ["(Tensor other)", "(Number other)"]
            raise invalid_arguments("fmod", (other,), signatures, method=True)
        a, b = _operands(self, other)
        _integer_division_checks("fmod_cpu", a, b)
        out = _rounding.Fmod.apply(a, b)
        return name_node(out, "FmodBackward1") if isinstance(b, Tensor) else out

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        """self + weight·(end - self): weight a tensor or a number (see ``ops.math.Lerp``)."""
        if not isinstance(end, Tensor) or not (isinstance(weight, Tensor) or _is_number(weight)):
            signatures = ["(Tensor end, Tensor weight)", "(Tensor end, Number weight)"]
            raise invalid_arguments("lerp", (end, weight), signatures, method=True)
        return _lerp(self, end, weight)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Limit every value to ``[min, max]``; the gradient is 1 inside, bounds included.

        The bounds are numbers, or tensors (then broadcast with ``self``, and they get
        gradients too: ``ops.basic.ClampBetween``). Beside a number, a tensor bound must be a
        0-d tensor without grad (read as a number), as in torch.
        """
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for name, bound in (("min", min), ("max", max)):
            if bound is not None and not (_is_number(bound) or isinstance(bound, Tensor)):
                raise TypeError(
                    f"clamp(): argument '{name}' must be a number, not {type(bound).__name__}"
                )
        if not _is_number(min) and not _is_number(max):  # tensors (or None): torch's clamp.Tensor
            bounds = [b for b in (min, max) if b is not None]
            for b in bounds:
                _check_broadcast(self.array.shape, b.array.shape)
            target = result_type(self, *bounds)
            lo, hi = (None if b is None else _in(b, target) for b in (min, max))
            return _basic.ClampBetween.apply(_in(self, target), lo, hi)
        for bound in (min, max):  # torch reads only a 0-d tensor without grad as a number
            if isinstance(bound, Tensor) and (bound.array.ndim or bound.requires_grad):
                kinds = ", ".join(type(b).__name__ for b in (min, max))
                raise TypeError(
                    f"clamp() received an invalid combination of arguments - got ({kinds}), but "
                    "expected one of: (Tensor min = None, Tensor max = None) or (Number min = "
                    "None, Number max = None)"
                )
        min = min.item() if isinstance(min, Tensor) else min
        max = max.item() if isinstance(max, Tensor) else max
        target = result_type(self, *(b for b in (min, max) if b is not None))
        return _basic.Clamp.apply(_in(self, target), min=min, max=max)

    clip = clamp

    # -- rounding: integers are already round; the gradient is 0 ---------------------------------

    def floor(self) -> Tensor:
        return _rounded(self, _rounding.Floor, "floor_vml_cpu")

    def ceil(self) -> Tensor:
        return _rounded(self, _rounding.Ceil, "ceil_vml_cpu")

    def trunc(self) -> Tensor:
        return _rounded(self, _rounding.Trunc, "trunc_vml_cpu")

    fix = trunc

    def round(self, *, decimals: int | None = None) -> Tensor:
        """Round half to even, to ``decimals`` decimal places (negative: tens, hundreds …).
        torch rounds integers only when ``decimals`` is not given."""
        if decimals is None:
            return _rounded(self, _rounding.Round, "round_vml_cpu")
        if self.array.dtype.kind != "f":
            raise dtype_refusal("round_vml_cpu" if decimals == 0 else "round_cpu", self.dtype)
        return _rounding.Round.apply(self, decimals=decimals)

    def frac(self) -> Tensor:
        """x - trunc(x), of x's sign; floats only (torch's)."""
        if self.array.dtype.kind != "f":
            raise dtype_refusal("frac_cpu", self.array.dtype)
        return _rounding.Frac.apply(self)

    # -- in place: the result written into self (``in_place.assign_in_place``) -----------------

    def sin_(self) -> Tensor:
        return assign_in_place(self, self.sin())

    def cos_(self) -> Tensor:
        return assign_in_place(self, self.cos())

    def tan_(self) -> Tensor:
        return assign_in_place(self, self.tan())

    def asin_(self) -> Tensor:
        return assign_in_place(self, self.asin())

    def acos_(self) -> Tensor:
        return assign_in_place(self, self.acos())

    def atan_(self) -> Tensor:
        return assign_in_place(self, self.atan())

    def atan2_(self, other: Tensor) -> Tensor:
        return assign_in_place(self, self.atan2(other))

    def sinh_(self) -> Tensor:
        return assign_in_place(self, self.sinh())

    def cosh_(self) -> Tensor:
        return assign_in_place(self, self.cosh())

    def exp2_(self) -> Tensor:
        return assign_in_place(self, self.exp2())

    def expm1_(self) -> Tensor:
        return assign_in_place(self, self.expm1())

    def log2_(self) -> Tensor:
        return assign_in_place(self, self.log2())

    def log10_(self) -> Tensor:
        return assign_in_place(self, self.log10())

    def log1p_(self) -> Tensor:
        return assign_in_place(self, self.log1p())

    def rsqrt_(self) -> Tensor:
        return assign_in_place(self, self.rsqrt())

    def reciprocal_(self) -> Tensor:
        return assign_in_place(self, self.reciprocal())

    def erf_(self) -> Tensor:
        return assign_in_place(self, self.erf())

    def erfc_(self) -> Tensor:
        return assign_in_place(self, self.erfc())

    def erfinv_(self) -> Tensor:
        return assign_in_place(self, self.erfinv())

    def logit_(self, eps: float | None = None) -> Tensor:
        return assign_in_place(self, self.logit(eps))

    def absolute_(self) -> Tensor:
        return assign_in_place(self, self.abs())

    def negative_(self) -> Tensor:
        return assign_in_place(self, -self)

    def sign_(self) -> Tensor:
        return assign_in_place(self, self.sign())

    def square_(self) -> Tensor:
        return assign_in_place(self, self.square())

    def lerp_(self, end: Tensor, weight: Any) -> Tensor:
        return assign_in_place(self, self.lerp(end, weight))

    def clip_(self, min: Any = None, max: Any = None) -> Tensor:
        return assign_in_place(self, self.clamp(min, max))

    def floor_(self) -> Tensor:
        return assign_in_place(self, self.floor())

    def ceil_(self) -> Tensor:
        return assign_in_place(self, self.ceil())

    def trunc_(self) -> Tensor:
        return assign_in_place(self, self.trunc())

    def round_(self, *, decimals: int | None = None) -> Tensor:
        return assign_in_place(self, self.round(decimals=decimals))

    def frac_(self) -> Tensor:
        return assign_in_place(self, self.frac())

    def sinc_(self) -> Tensor:
        return assign_in_place(self, self.sinc())

    def xlogy_(self, other: Any) -> Tensor:
        return assign_in_place(self, self.xlogy(other))

    def fmod_(self, other: Any) -> Tensor:
        return assign_in_place(self, self.fmod(other))

    arcsin_, arccos_, arctan_, arctan2_, fix_ = asin_, acos_, atan_, atan2_, trunc_


def _in(t: Tensor, dtype: np.dtype) -> Tensor:
    """``t`` in ``dtype`` (a differentiable cast, when it is not already)."""
    return t if t.array.dtype == dtype else t.to(dtype)


def _eps(function: str, position: int, eps: Any) -> float | None:
    if eps is None:
        return None
    if not _is_number(eps):
        raise TypeError(
            f"{function}(): argument 'eps' (position {position}) must be float, not "
            f"{type_name(eps)}"
        )
    return float(eps)


def _atan2(y: Tensor, x: Tensor) -> Tensor:
    _check_broadcast(y.array.shape, x.array.shape)
    target = result_type(y, x)  # then integers and bools in the default dtype
    return _math.Atan2.apply(_floating(_in(y, target)), _floating(_in(x, target)))


def _xlogy(x: Any, y: Any) -> Tensor:
    """x·log y in torch's result dtype, integers and bools in the default one; a number
    becomes a constant of that dtype (NumPy would widen float32 by log's float64 result)."""
    if isinstance(x, Tensor) and isinstance(y, Tensor):
        _check_broadcast(x.array.shape, y.array.shape)
    target = result_type(x, y)
    target = target if target.kind == "f" else get_default_dtype()
    x, y = (
        _in(v, target) if isinstance(v, Tensor) else Tensor._make(np.asarray(v, target), None)
        for v in (x, y)
    )
    return _math.Xlogy.apply(x, y)


def _pair(op: type, a: Tensor, b: Tensor) -> Tensor:
    """A function of two tensors that keeps torch's result dtype (maximum, minimum)."""
    _check_broadcast(a.array.shape, b.array.shape)
    target = result_type(a, b)
    return op.apply(_in(a, target), _in(b, target))


def _lerp(t: Tensor, end: Tensor, weight: Any) -> Tensor:
    """torch's lerp checks: ``end`` of t's dtype, a tensor ``weight`` too (unless it is 0-d:
    then it is cast, as torch's CPU does); floats only; the shapes broadcast together."""
    dtype = t.array.dtype
    if end.array.dtype != dtype:
        raise _lerp_dtype("end", dtype, end.array.dtype)
    if isinstance(weight, Tensor):
        if weight.array.ndim == 0:
            weight = _in(weight, dtype)
        elif weight.array.dtype != dtype:
            raise _lerp_dtype("weight", dtype, weight.array.dtype)
    if dtype.kind != "f":
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise dtype_refusal(kernel, dtype)
    shapes = [t.array.shape, end.array.shape, np.shape(getattr(weight, "array", weight))]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            _check_broadcast(a, b)
    return _math.Lerp.apply(t, end, weight)


def _lerp_dtype(name: str, expected: np.dtype, got: np.dtype) -> RuntimeError:
    return RuntimeError(
        f"expected dtype {c10_dtype_name(expected)} for `{name}` but got dtype "
        f"{c10_dtype_name(got)}"
    )


def _rounded(t: Tensor, op: type, kernel: str) -> Tensor:
    """Floats rounded by ``op``; integers are their own rounding (a copy, as torch); torch has
    no rounding of bools (``kernel`` names its missing loop)."""
    kind = t.array.dtype.kind
    if kind == "b":
        raise dtype_refusal(kernel, t.array.dtype)
    if kind != "f":
        return Tensor._make(t.array.copy(), None)
    return op.apply(t)
