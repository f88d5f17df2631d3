"""``Tensor``: a NumPy array that remembers how it was made, so gradients can flow back.

Every method here is thin: it checks its arguments and calls one op (a ``Function`` in
``ops/``), which computes the result and records the node that the backward pass will visit.
The in-place ops (``+=``, ``add_`` ...) write into the array themselves when nothing is recorded.
"""

from __future__ import annotations

import math
import numbers
import operator
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from .autograd.function import Node

DTypeLike = Any

_FLOAT_ONLY = "Only Tensors of floating point dtype can require gradients"


def _to_array(data: Any, dtype: DTypeLike = None) -> np.ndarray:
    """Convert user data to an array with torch's dtype rules.

    Python floats (and lists holding any) become float32, Python ints int64, bools bool; a NumPy
    array keeps its dtype (float64 stays float64) unless ``dtype`` is given.
    """
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, np.ndarray):
        array = data
    elif isinstance(data, np.generic):
        array = np.asarray(data)
    else:
        has_float = _check_numeric(data, dtype is not None and np.dtype(dtype).kind == "f")
        data = _values_of_tensors(data)
        if dtype is not None:  # straight to the asked dtype: 0.7 must not pass through float32
            array = np.asarray(data, dtype=np.dtype(dtype))
        else:
            array = np.asarray(data, dtype=np.float64 if has_float else None)
            if array.dtype == np.float64 and has_float != _DOUBLE:
                array = array.astype(np.float32)  # torch's default dtype for Python floats
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"a Tensor holds numbers; got data of type {type(data).__name__}"
            + (f" with dtype {array.dtype}" if isinstance(data, np.ndarray) else "")
        )
    if not array.dtype.isnative:  # a big-endian file's array: torch refuses it; we convert
        array = array.astype(array.dtype.newbyteorder("="))
    if dtype is not None:
        array = array.astype(np.dtype(dtype), copy=False)
    return array


_INT64 = np.iinfo(np.int64)


_DOUBLE = "double"  # what _check_numeric says of data holding a NumPy float64 (or wider)


def _check_numeric(data: Any, floating: bool = False) -> bool | str:
    """Reject anything that is not a number or a (nested) list/tuple of numbers, naming its type.

    Returns whether the data holds a float — ``_DOUBLE`` when one is a NumPy float of 64 bits
    or more: then the tensor is float64, as torch infers from a double (a Python float gives
    the default float32). A Python int beyond int64 is refused unless the tensor will be
    floating (a float among the data, or ``floating``), as torch refuses it: NumPy would make it
    uint64 or an object.
    """
    stack = [data]
    has_float: bool | str = False
    too_big = False
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Tensor):
            if item.data.size != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            if item.data.dtype.kind == "f":  # a float64 tensor counts as a double, as in torch
                has_float = _DOUBLE if item.data.dtype.itemsize >= 8 else has_float or True
        elif isinstance(item, int) and not isinstance(item, bool):
            too_big = too_big or not _INT64.min <= item <= _INT64.max
        elif isinstance(item, np.floating) and item.dtype.itemsize >= 8:
            has_float = _DOUBLE
        elif isinstance(item, (float, np.floating)):
            has_float = has_float or True
        elif not isinstance(item, (numbers.Number, np.ndarray, np.generic)):
            raise TypeError(f"a Tensor holds numbers; got data of type {type(item).__name__}")
    if too_big and not (has_float or floating):
        raise ValueError("Overflow when unpacking long long")
    return has_float


def _values_of_tensors(data: Any) -> Any:
    """``data`` with each nested (0-d) Tensor replaced by its array: ``tensor([loss, loss2])``
    takes their values, as torch's does, also from tensors that require grad (NumPy would
    ask their ``__array__``, which refuses those)."""
    if isinstance(data, Tensor):
        return data.data.reshape(())  # one element (checked), as a number
    if isinstance(data, (list, tuple)) and any(isinstance(v, (Tensor, list, tuple)) for v in data):
        return [_values_of_tensors(v) for v in data]
    return data


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` takes the hook off again.

    As torch's ``torch.utils.hooks.RemovableHandle``; calling the handle, ``handle()``, removes
    the hook too. Removing twice is harmless.
    """

    __slots__ = ("_hook", "_hooks")

    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        # This registration only, by identity: the same function may be registered twice.
        for i, hook in enumerate(self._hooks):
            if hook is self._hook:
                del self._hooks[i]
                break
        self._hooks = []  # removed: a second remove() finds nothing

    __call__ = remove

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


class Tensor:
    """An n-dimensional array with an optional gradient, mirroring ``torch.Tensor``.

    Args:
        data: a number, a nested list of numbers, or a NumPy array.
        requires_grad: record operations on this tensor so ``backward()`` can fill ``.grad``.
        dtype: convert to this dtype (``float32``, ``float64``, ...).
    """

    __slots__ = ("__weakref__", "_grad", "_hooks", "_requires_grad", "data", "grad_fn")

    def __init__(self, data: Any, requires_grad: bool = False, dtype: DTypeLike = None) -> None:
        self.data: np.ndarray = _to_array(data, dtype)
        self._grad: Tensor | None = None
        self.grad_fn: Node | None = None
        self._hooks: list[Callable[[Tensor], Tensor | None]] | None = None
        self._requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray, grad_fn: Node | None) -> Tensor:
        """The fast path for ops: wrap an array that is already right, skipping all checks."""
        t = object.__new__(cls)
        t.data = data
        t._grad = None
        t.grad_fn = grad_fn
        t._requires_grad = grad_fn is not None
        t._hooks = None
        return t

    # -- autograd attributes ---------------------------------------------------------------
    @property
    def grad(self) -> Tensor | None:
        """The gradient the backward passes added up for this tensor (leaves), or None."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        # torch's checks: a gradient is a Tensor of this tensor's shape and dtype
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value is self or value.data is self.data:  # its own values would then change
                raise RuntimeError("can't assign Variable as its own grad")
            if value.data.shape != self.data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.data.shape)}' to a "
                    f"tensor of size '{list(self.data.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
            if value.data.dtype != self.data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{c10_dtype_name(value.dtype)}'"
                    f" to a tensor with grad_dtype '{torch_dtype_name(self.data.dtype)}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype). You can set the tensor's grad_dtype attribute with a specific "
                    "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match."
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (only on leaves, and only for floating dtypes)."""
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(f"{_FLOAT_ONLY}, got dtype {self.data.dtype}")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by a recorded op."""
        return self.grad_fn is None

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Compute the gradient of this tensor with respect to the leaves, into their ``.grad``.

        ``gradient`` is required unless this tensor has one element. ``retain_graph`` keeps
        what the graph saved for another backward; ``create_graph`` records the backward pass,
        so the gradients can be differentiated again.
        """
        from .autograd.engine import backward

        backward(self, None if gradient is None else [gradient], retain_graph, create_graph, inputs)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one.

        The hook sees the whole gradient of this tensor in a backward pass, summed over all
        its uses, once per pass. Returns a handle: ``handle.remove()`` removes the hook.
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            self.grad_fn.register_prehook(hook)
            hooks = self.grad_fn._pre_hooks
        else:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
            hooks.append(hook)
        return RemovableHandle(hooks, hook)  # type: ignore[arg-type]

    def retain_grad(self) -> None:
        """Keep the gradient of this non-leaf tensor in its ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None:
            return  # a leaf keeps its gradient anyway
        import weakref

        ref = weakref.ref(self)

        def keep(grad: Tensor) -> None:
            t = ref()
            if t is not None:  # a copy: the pass may hand the same array on to a leaf
                t.grad = grad.clone() if t.grad is None else t.grad + grad

        node = self.grad_fn
        if node._retained is None:
            node._retained = []
        node._retained.append(keep)

    def detach(self) -> Tensor:
        """The same data, cut from the graph (no ``grad_fn``, no ``requires_grad``)."""
        return Tensor._make(self.data, None)

    # -- array attributes and conversions --------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def dim(self) -> int:
        return self.data.ndim

    def size(self, dim: int | None = None) -> Any:
        """The shape, or its length along ``dim`` (as torch's ``Tensor.size``)."""
        if dim is None:
            return self.data.shape
        return self.data.shape[_check_dim(dim, self.data.ndim)]

    def numel(self) -> int:
        return int(self.data.size)

    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared, not copied)."""
        if self.requires_grad:
            raise RuntimeError(_NUMPY_OF_GRAD)
        return self.data

    def item(self) -> Any:
        """The single value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to Scalar"
            )
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The values as a NumPy array: ``np.asarray(t)`` shares them, ``np.array(t)`` copies
        (NumPy asks with ``copy=True``), so a snapshot does not follow later in-place changes.
        A tensor that requires grad refuses, as in torch: the array would leave the graph
        without a word (``.detach()`` says so)."""
        if self._requires_grad:
            raise RuntimeError(_NUMPY_OF_GRAD)
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """What a NumPy ufunc does when a Tensor is among its operands (NumPy's protocol).

        ``array + tensor`` is NumPy's operator, which calls the ufunc ``np.add(array, tensor)``
        and so this: for the operators a Tensor has, the Tensor's reflected operator computes
        it, a Tensor in the graph as ``tensor + array`` is. Any other ufunc runs on the
        Tensors' arrays and gives NumPy's result (refused, as in torch, for a Tensor that
        requires grad: it would leave the graph): ``np.exp(tensor)`` is an array, and
        ``array -= tensor`` (``np.subtract(array, tensor, out=(array,))``) changes the array
        in place — so ``w.data -= lr * w.grad`` updates ``w`` as in torch. A Tensor as ``out``
        is refused (a TypeError from NumPy): a Tensor changes in place through its own methods.
        """
        if method == "__call__" and not kwargs and len(inputs) == 2 and inputs[1] is self:
            reflected = _REFLECTED.get(ufunc)
            if reflected is not None and not isinstance(inputs[0], Tensor):
                return getattr(self, reflected)(inputs[0])
        if any(isinstance(o, Tensor) for o in kwargs.get("out", ())):
            return NotImplemented
        if any(isinstance(x, Tensor) and x._requires_grad for x in inputs):
            raise RuntimeError(_NUMPY_OF_GRAD)
        return getattr(ufunc, method)(*(_raw(x) for x in inputs), **kwargs)

    def __float__(self) -> float:
        if self.data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.data.item())

    def __int__(self) -> int:
        if self.data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.data.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            amount = "no values" if self.data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self.data.item())

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self) -> Any:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    def __format__(self, spec: str) -> str:
        if self.data.ndim == 0 and spec:
            return format(self.data.item(), spec)
        return repr(self) if not spec else format(str(self), spec)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        from ._repr import tensor_repr

        return tensor_repr(self)

    # -- dtype -----------------------------------------------------------------------------
    def to(self, dtype: DTypeLike) -> Tensor:
        """A copy in ``dtype``; differentiable into a floating dtype (the gradient is cast
        back). Integers and booleans carry no gradient: their copy is outside the graph."""
        dtype = np.dtype(dtype)
        if dtype == self.data.dtype:
            return self
        if dtype.kind != "f":
            return Tensor._make(self.data.astype(dtype), None)
        return _basic.Cast.apply(self, dtype=dtype)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def clone(self) -> Tensor:
        return _basic.Clone.apply(self)

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return _basic.Add.apply(a, b)

    def __radd__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return _basic.Add.apply(a, b)

    def __sub__(self, other: Any) -> Tensor:
        _no_boolean_subtraction(self, other)
        a, b = _operands(self, other)
        return _basic.Sub.apply(a, b)

    def __rsub__(self, other: Any) -> Tensor:
        _no_boolean_subtraction(self, other)
        b, a = _operands(self, other)
        return _basic.Sub.apply(a, b)

    def __mul__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return _basic.Mul.apply(a, b)

    def __rmul__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return _basic.Mul.apply(a, b)

    def __truediv__(self, other: Any) -> Tensor:
        a, b = _operands(self, other)
        return _basic.Div.apply(*_float_division(a, b))

    def __rtruediv__(self, other: Any) -> Tensor:
        b, a = _operands(self, other)
        return _basic.Div.apply(*_float_division(a, b))

    def __pow__(self, other: Any) -> Tensor:
        if _is_boolean(self) and type(other) is bool:  # x¹ = x, x⁰ = 1: booleans
            return Tensor._make(self.data.copy() if other else np.ones_like(self.data), None)
        _no_boolean_power(self, other)
        a, b = _operands(self, other)
        return _basic.Pow.apply(a, b)

    def __rpow__(self, other: Any) -> Tensor:
        _no_boolean_power(self, other)
        b, a = _operands(self, other)
        return _basic.Pow.apply(a, b)

    def __matmul__(self, other: Any) -> Tensor:
        if not isinstance(other, Tensor):
            other = Tensor(other)
        return _basic.MatMul.apply(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return Tensor(other).__matmul__(self)

    def __neg__(self) -> Tensor:
        if self.data.dtype == np.bool_:
            raise RuntimeError(BOOL_NEGATION)
        return _basic.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    add, sub, mul, div, pow, matmul, neg = (
        __add__,
        __sub__,
        __mul__,
        __truediv__,
        __pow__,
        __matmul__,
        __neg__,
    )

    # -- in place --------------------------------------------------------------------------
    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self += alpha * other``, in place, as torch's ``add_``.

        Every in-place op here (``+= -= *= /=``, ``add_ sub_ mul_ div_ zero_``) follows
        torch's rules:

        - The result goes into ``self.data``, the same array (aliases such as ``detach()``
          see it), and ``self`` is returned: ``p -= lr * p.grad`` under ``no_grad()``
          updates the parameter the model holds.
        - ``self`` keeps its shape and dtype: ``other`` must broadcast to ``self``'s shape, and
          the result type must cast to ``self``'s dtype (a float result into an integer
          tensor does not).
        - With grad mode on, a leaf that requires grad cannot change in place (the graph may
          need its value); update parameters under ``no_grad()``.
        - In a recorded graph (grad mode on, ``self`` or ``other`` requiring grad) torch
          records the in-place op and guards the values saved for backward with version
          counters. There are none here, and writing into the array could change a value a
          node saved, so the op is recorded out of place and ``self`` takes over the result,
          its new array and ``grad_fn``: the same value, gradient and object as in torch,
          but views taken before the op keep the old value.
        - If ``self`` is a view of another tensor, torch also writes into the base and
          rewrites its history. Here a view of the whole base (``x.T``, ``x.reshape(...)``,
          ``x.flatten()``, ``x.permute(...)``) has the base take over the new value, mapped
          back; a view of a part of a base someone still holds (``x[0]``, ``x[:, 1:]``,
          ``x.expand(...)``) is refused rather than silently left behind; a view of a leaf
          that requires grad is refused in torch's words. A view taken before its base
          changed in place does not see that change here (torch's does): changing such a
          view in place is refused too, rather than writing its old values back.
        - An expanded tensor (one element in several places) is refused, as in torch.
        - The other in-place methods follow the same rules: ``exp_ log_ sqrt_ abs_ neg_
          clamp_ pow_``, the activations' ``relu_ sigmoid_ tanh_`` and ``inplace=True``.
        - Without version counters nothing notices a value saved for backward changed in
          place (under ``no_grad()``, or on a tensor that does not require grad), where
          torch raises when that backward runs: the backward uses the new value.
        """
        return _in_place(self, "__add__", np.add, other, alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self -= alpha * other``, in place (the rules are ``add_``'s)."""
        return _in_place(self, "__sub__", np.subtract, other, alpha)

    def mul_(self, other: Any) -> Tensor:
        """``self *= other``, in place (the rules are ``add_``'s)."""
        return _in_place(self, "__mul__", np.multiply, other)

    def div_(self, other: Any) -> Tensor:
        """``self /= other``, in place (the rules are ``add_``'s; an integer tensor cannot
        hold the quotient)."""
        return _in_place(self, "__truediv__", np.true_divide, other)

    def pow_(self, exponent: Any) -> Tensor:
        """``self **= exponent``, in place (the rules are ``add_``'s)."""
        return _in_place(self, "__pow__", np.power, exponent)

    def zero_(self) -> Tensor:
        """Fill with zeros, in place (the rules are ``add_``'s; torch also fills an expanded
        tensor, whose repeated element is held once: refused here, its array being read-only).
        """
        _check_in_place_target(self)
        if _in_place_recorded(self, None):  # zeros with a zero gradient; self * 0 is nan at inf
            return self._take_over(_basic.where(np.zeros(self.data.shape, np.bool_), self, 0.0))
        self.data[...] = 0
        return self

    __iadd__, __isub__, __imul__, __itruediv__, __ipow__ = add_, sub_, mul_, div_, pow_

    # The elementwise functions torch also has in place (the rules are ``add_``'s; the
    # activations' methods come from the registry).
    def exp_(self) -> Tensor:
        return assign_in_place(self, self.exp())

    def log_(self) -> Tensor:
        return assign_in_place(self, self.log())

    def sqrt_(self) -> Tensor:
        return assign_in_place(self, self.sqrt())

    def abs_(self) -> Tensor:
        return assign_in_place(self, self.abs())

    def neg_(self) -> Tensor:
        return assign_in_place(self, -self)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        return assign_in_place(self, self.clamp(min, max))

    def relu_(self) -> Tensor:
        return assign_in_place(self, self.relu())  # type: ignore[attr-defined]

    def sigmoid_(self) -> Tensor:
        return assign_in_place(self, self.sigmoid())  # type: ignore[attr-defined]

    def tanh_(self) -> Tensor:
        return assign_in_place(self, self.tanh())  # type: ignore[attr-defined]

    def _take_over(self, result: Tensor) -> Tensor:
        """Become ``result``: its array and its place in the graph (an in-place op, recorded).

        Hooks stay with the old value, but ``retain_grad()`` follows the tensor, as in torch:
        its ``.grad`` will be the gradient of the new value.
        """
        old = self.grad_fn
        if old is not None and old._retained and result.grad_fn is not None:
            result.grad_fn._retained, old._retained = old._retained, None
        self.data, self.grad_fn, self._requires_grad = (
            result.data,
            result.grad_fn,
            result._requires_grad,
        )
        base, backs = _held_base(old)
        if base is not None:  # a view of all of a base someone holds: it takes the new value
            value = result
            for back in backs:
                value = back(value)
            # The base's new value is its own, not a view of self's (changes to it in place
            # later do not reach self: views taken before keep their value, as add_ says).
            value.grad_fn.view_of_input, value.grad_fn.view_base = False, None
            base._take_over(value)
        if old is not None and old.view_of_input and result.grad_fn is not None and old.view_base:
            # self is still a view of its base, as in torch: a next in-place op carries on,
            # and the bases' new arrays are the ones it is fresh against
            lineage = tuple(
                (b_ref, weakref.ref(b_ref().data))
                for b_ref, _ in old.view_base.lineage
                if b_ref() is not None
            )
            result.grad_fn.view_of_input = True
            result.grad_fn.view_base = old.view_base._replace(lineage=lineage)
        return self

    # -- comparisons: boolean tensors, outside the graph -----------------------------------
    def __lt__(self, other: Any) -> Tensor:
        return _compare(operator.lt, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _compare(operator.le, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _compare(operator.gt, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _compare(operator.ge, self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(operator.eq, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(operator.ne, self, other)

    # -- elementwise -----------------------------------------------------------------------
    def exp(self) -> Tensor:
        return _basic.Exp.apply(_floating(self))

    def log(self) -> Tensor:
        return _basic.Log.apply(_floating(self))

    def sqrt(self) -> Tensor:
        return _basic.Sqrt.apply(_floating(self))

    def abs(self) -> Tensor:
        return _basic.Abs.apply(self)

    def sign(self) -> Tensor:
        return _basic.Sign.apply(self)

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
                _check_broadcast(self.data.shape, b.data.shape)
            target = result_type(self, *bounds)
            lo, hi = (
                None if b is None else b if b.dtype == target else b.to(target) for b in (min, max)
            )
            source = self if target == self.data.dtype else self.to(target)
            return _basic.ClampBetween.apply(source, lo, hi)
        for bound in (min, max):  # torch reads only a 0-d tensor without grad as a number
            if isinstance(bound, Tensor) and (bound.data.ndim or bound.requires_grad):
                kinds = ", ".join(type(b).__name__ for b in (min, max))
                raise TypeError(
                    f"clamp() received an invalid combination of arguments - got ({kinds}), but "
                    "expected one of: (Tensor min = None, Tensor max = None) or (Number min = "
                    "None, Number max = None)"
                )
        min = min.item() if isinstance(min, Tensor) else min
        max = max.item() if isinstance(max, Tensor) else max
        target = result_type(self, *(b for b in (min, max) if b is not None))
        source = self if target == self.data.dtype else self.to(target)
        return _basic.Clamp.apply(source, min=min, max=max)

    clip = clamp

    # -- reductions ------------------------------------------------------------------------
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        return _basic.Sum.apply(self, dim=_check_dims(dim, self.data.ndim), keepdim=keepdim)

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {torch_dtype_name(self.data.dtype)}"
            )
        return _basic.Mean.apply(self, dim=_check_dims(dim, self.data.ndim), keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest value; with ``dim``, a ``(values, indices)`` pair along that axis.

        Gradient, as torch: without ``dim`` it is shared equally among tied maxima; with
        ``dim`` it goes to the returned index (the first maximum).
        """
        return _basic.max_or_min(self, dim, keepdim, largest=True)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest value; as ``max``."""
        return _basic.max_or_min(self, dim, keepdim, largest=False)

    # -- shape -----------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        for n in shape:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
                raise TypeError(
                    f"reshape(): argument 'shape' must be a tuple of ints, but found element of "
                    f"type {type(n).__name__}"
                )
        for i, n in enumerate(shape):
            if n < -1:  # NumPy takes any negative size for -1; torch only -1
                raise RuntimeError(
                    f"invalid shape dimension {n} at index {i} of shape {list(shape)}"
                )
        if list(shape).count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        try:
            new_shape = np.empty(self.data.shape, dtype=np.bool_).reshape(shape).shape
        except (ValueError, TypeError) as e:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {self.data.size}"
            ) from e
        return _view(
            _basic.Reshape.apply(self, shape=new_shape), self, _reshaped_back(self.data.shape)
        )

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` (both included) merged into one, as torch."""
        n = self.data.ndim
        start, end = _check_dim(start_dim, n), _check_dim(end_dim, n)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.data.shape
        merged = math.prod(shape[start : end + 1])  # not -1: ambiguous when a size is 0
        return self.reshape(*shape[:start], merged, *shape[end + 1 :]) if n else self.reshape(1)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        n = self.data.ndim
        dim0 = _check_dim(dim0, n, "transpose(): argument 'dim0' (position 1)")
        dim1 = _check_dim(dim1, n, "transpose(): argument 'dim1' (position 2)")
        if n == 0:
            return self  # a 0-d tensor has nothing to swap (torch allows dims 0 and -1)
        out = _basic.Transpose.apply(self, dim0=dim0, dim1=dim1)
        return _view(out, self, lambda r: r.transpose(dim0, dim1))

    @property
    def T(self) -> Tensor:
        """The axes reversed (a matrix transposed)."""
        return self.permute(*reversed(range(self.data.ndim))) if self.data.ndim else self

    def permute(self, *dims: Any) -> Tensor:
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        n = self.data.ndim
        if len(dims) != n:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match "
                f"the length of the desired ordering of dimensions i.e. input.dim() = {n} is not "
                f"equal to len(dims) = {len(dims)}"
            )
        dims = tuple(_check_dim(d, n) for d in dims)
        if len(set(dims)) != n:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        back = tuple(int(i) for i in np.argsort(dims))
        return _view(_basic.Permute.apply(self, dims=dims), self, lambda r: r.permute(back))

    def unsqueeze(self, dim: int) -> Tensor:
        dim = _check_dim(dim, self.data.ndim + 1)
        shape = self.data.shape[:dim] + (1,) + self.data.shape[dim:]
        return _view(_basic.Reshape.apply(self, shape=shape), self, _reshaped_back(self.data.shape))

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove axes of length 1 (all of them, or those among ``dim`` — an int or a tuple)."""
        if dim is None:
            shape = tuple(n for n in self.data.shape if n != 1)
        else:
            dims = _check_dims(dim, self.data.ndim) or ()
            shape = tuple(n for i, n in enumerate(self.data.shape) if not (i in dims and n == 1))
        return _view(_basic.Reshape.apply(self, shape=shape), self, _reshaped_back(self.data.shape))

    def expand(self, *shape: Any) -> Tensor:
        """Broadcast to ``shape`` without copying (the gradient is summed back)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        own = self.data.shape
        lead = len(shape) - len(own)
        if lead < 0:
            raise RuntimeError(
                f"expand(torch.{torch_dtype_name(self.data.dtype)}Tensor{{{list(own)}}}, "
                f"size={list(shape)}): the number of sizes provided ({len(shape)}) must be "
                f"greater or equal to the number of dimensions in the tensor ({len(own)})"
            )
        for i, n in enumerate(shape):  # torch's checks, in its words
            if i < lead and n == -1:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            if i >= lead and n not in (-1, own[i - lead]) and (own[i - lead] != 1 or n < 0):
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) must match the existing size "
                    f"({own[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                    f"{list(shape)}.  Tensor sizes: {list(own)}"
                )
        shape = tuple(own[i - lead] if n == -1 else n for i, n in enumerate(shape))
        out = _basic.Expand.apply(self, shape=shape)
        # an expand that repeats nothing (new axes of 1) is a view of all of self
        whole = math.prod(shape) == self.data.size
        return _view(out, self, _reshaped_back(self.data.shape) if whole else None)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum down to ``size``: the gradient of NumPy broadcasting from ``size`` to this shape.

        An input broadcast along an axis was used once per position on that axis, so its
        gradient is the sum over that axis (the engine's ``conform`` does the same to gradients).
        """
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        if self.data.shape == shape:
            return self
        axes = broadcast_axes(shape, self.data.shape)
        return self.sum(dim=axes, keepdim=True).reshape(shape)

    def __getitem__(self, index: Any) -> Tensor:
        index = _raw_index(index)
        split = _integers_first(index)
        if split is not None:  # torch's order: x[0, :, [0, 2]] is x[0][:, [0, 2]]
            return self[split[0]][split[1]]
        try:
            self.data[index]
        except IndexError as e:
            raise IndexError(_index_message(str(e), self.data.ndim)) from None
        return _view(_basic.Index.apply(self, index=index), self, None)

    def __setitem__(self, index: Any, value: Any) -> None:
        """``x[index] = value``, in place, as torch: the rules are ``add_``'s (a leaf that
        requires grad refuses; in a recorded graph x takes over x with ``value`` written at
        ``index``, and value gets the gradient of the places it went to)."""
        index = _raw_index(index)
        try:
            target = self.data[index]
        except IndexError as e:
            raise IndexError(_index_message(str(e), self.data.ndim)) from None
        if isinstance(value, Tensor) and value.data is target:
            return  # x[i] += 1: the view x[i] was already changed in place, and is x's
        _check_in_place_target(self)
        if _grad_mode.grad_enabled and self._requires_grad and self.grad_fn is None:
            raise RuntimeError(_VIEW_OF_LEAF_IN_PLACE)  # x[i] is a view of the leaf x
        recorded = _in_place_recorded(self, value)
        if isinstance(value, Tensor):
            if _CATEGORY[value.data.dtype.kind] > _CATEGORY[self.data.dtype.kind]:
                raise cast_refusal(value.data.dtype, self.data.dtype)
            shape = np.shape(target)
            try:
                fits = np.broadcast_shapes(shape, value.data.shape) == shape
            except ValueError:
                fits = False
            if not fits:
                raise RuntimeError(
                    f"shape mismatch: value tensor of shape {list(value.data.shape)} cannot be "
                    f"broadcast to indexing result of shape {list(shape)}"
                )
        if recorded:
            if not isinstance(value, Tensor):
                value = Tensor._make(np.asarray(value, dtype=self.data.dtype), None)
            elif value.data.dtype != self.data.dtype:
                value = value.to(self.data.dtype)
            self._take_over(_basic.IndexPut.apply(self, value, index=index))
            return
        self.data[index] = value.data if isinstance(value, Tensor) else value


# -- helpers for the methods above ---------------------------------------------------------


def broadcast_axes(shape: tuple[int, ...], broadcast: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of ``broadcast`` along which NumPy repeated an operand of ``shape``.

    Summing over them (keeping dims) and reshaping to ``shape`` undoes the broadcast: the
    leading axes ``shape`` lacks, and each axis where ``shape`` has 1 and ``broadcast`` more.
    """
    lead = len(broadcast) - len(shape)
    if lead < 0 or any(n != broadcast[lead + i] and n != 1 for i, n in enumerate(shape)):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(broadcast)}")
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and broadcast[lead + i] != 1
    )


def sum_to_shape(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``Tensor.sum_to_size`` on a plain array (for first-order backward passes)."""
    if array.shape == shape:
        return array
    return np.sum(array, axis=broadcast_axes(shape, array.shape), keepdims=True).reshape(shape)


def _raw(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def _compare(op: Callable[[Any, Any], Any], t: Tensor, other: Any) -> Tensor:
    """A comparison: a boolean tensor outside the graph; shapes must broadcast (torch's error)."""
    value = _raw(other)
    if isinstance(value, np.ndarray) and value.shape != t.data.shape:
        _check_broadcast(t.data.shape, value.shape)
    return Tensor._make(np.asarray(op(t.data, value)), None)


def _is_boolean(value: Any) -> bool:
    """A bool, or a tensor, array or NumPy scalar of bools."""
    if type(value) is bool:
        return True
    return isinstance(value, (Tensor, np.ndarray, np.generic)) and _raw(value).dtype.kind == "b"


# torch's refusals of ``-`` on booleans (it means logical not or xor there, not arithmetic),
# also raised by the activations made of them (softmin, tanhshrink).
BOOL_NEGATION = (
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
    "a mask, use the `~` or `logical_not()` operator instead."
)
BOOL_SUBTRACTION = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
    "invert a mask, use the `~` or `logical_not()` operator instead."
)


def _no_boolean_subtraction(tensor: Tensor, other: Any) -> None:
    """torch refuses ``-`` on booleans."""
    if _is_boolean(tensor) and _is_boolean(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if _is_boolean(tensor) or _is_boolean(other):
        raise RuntimeError(BOOL_SUBTRACTION)


def _no_boolean_power(tensor: Tensor, other: Any) -> None:
    """torch has no power of two booleans (NumPy would give int8)."""
    if _is_boolean(tensor) and _is_boolean(other):
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")


def _raw_index(index: Any) -> Any:
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index


def _index_message(numpy_message: str, ndim: int) -> str:
    """NumPy's IndexError in torch's words (dimension, not axis; tensor, not array)."""
    if ndim == 0:
        return (
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if numpy_message.startswith("too many indices"):
        return f"too many indices for tensor of dimension {ndim}"
    return numpy_message.replace(" for axis ", " for dimension ")


def _integers_first(index: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """A key mixing integers with index arrays, split in two: the integers (basic indexing),
    then the rest. torch applies integers as basic indexing; NumPy counts them among the
    advanced indices, whose dimensions then go first when a slice separates them (x[0, :, [0,
    2]] would come out transposed). None for other keys."""
    if not isinstance(index, tuple):
        return None
    integers = [_is_integer_index(i) for i in index]
    arrays = [isinstance(i, (list, np.ndarray)) and not integers[k] for k, i in enumerate(index)]
    if not any(integers) or not any(arrays):
        return None
    first: list[Any] = []
    rest: list[Any] = []
    for item, integer in zip(index, integers):
        if integer:
            first.append(item)
        elif item is None:
            rest.append(None)
        elif item is Ellipsis:
            first.append(Ellipsis)
            rest.append(Ellipsis)
        else:  # a slice, or an array (a boolean mask spans as many dimensions as it has)
            span = np.ndim(item) if np.asarray(item).dtype == np.bool_ else 1
            first.extend([slice(None)] * span)
            rest.append(item)
    return tuple(first), tuple(rest)


def _is_integer_index(item: Any) -> bool:
    """An integer (a 0-d integer array too, as a 0-d tensor index becomes), not a bool."""
    if isinstance(item, (bool, np.bool_)):
        return False
    if isinstance(item, (int, np.integer)):
        return True
    return isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu"


# -- dtype promotion, torch's rules ----------------------------------------------------------

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integer < floating


def _promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """torch.promote_types: within a category the wider type; across, the higher category's
    (int64 with float32 is float32, where NumPy would say float64)."""
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """torch's rule for operands of lower priority (0-d tensors below tensors with dimensions,
    Python numbers below both): they only matter when they are of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return _promote_types(higher, lower)
    return higher


def _scalar_dtype(value: Any) -> np.dtype:
    """The dtype a Python number stands for: torch's defaults (float32, int64, bool)."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(value, (int, np.integer)):
        return np.dtype(np.int64)
    return np.dtype(np.float32)


def result_type(*operands: Any) -> np.dtype:
    """The dtype of an elementwise op on ``operands``, by torch's rules (``torch.result_type``).

    Tensors with dimensions decide; a 0-d tensor or a Python number changes the result only
    when it is of a higher category (bool < int < float): ``float32 * 2.0`` is float32,
    ``int64 + 2.5`` is float32 (the default float), ``float32 * tensor(2., float64)`` float32.
    """
    dims = zeros = numbers_ = None
    for v in operands:
        if isinstance(v, Tensor):
            if v.data.ndim:
                dims = v.data.dtype if dims is None else _promote_types(dims, v.data.dtype)
            else:
                zeros = v.data.dtype if zeros is None else _promote_types(zeros, v.data.dtype)
        else:
            d = _scalar_dtype(v)
            numbers_ = d if numbers_ is None else _promote_types(numbers_, d)
    return _combine(dims, _combine(zeros, numbers_))  # type: ignore[return-value]


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)) and (
        not isinstance(value, np.ndarray)
    )


def _operands(tensor: Tensor, other: Any) -> tuple[Tensor, Any]:
    """The two operands of a binary op, cast to torch's result dtype.

    A Python number stays a number: NumPy's "weak scalar" rule then keeps the tensor's dtype,
    as torch does. Tensors of another dtype are cast (differentiably) to the result dtype.
    """
    if type(other) in (float, int) and tensor.data.dtype.kind == "f":
        return tensor, other  # the common case: a floating tensor keeps its dtype
    if _is_number(other):
        other = other.item() if isinstance(other, np.generic) else other
        target = result_type(tensor, other)
        return (tensor if target == tensor.data.dtype else tensor.to(target)), other
    if not isinstance(other, Tensor):
        other = Tensor(other)
    _check_broadcast(tensor.data.shape, other.data.shape)
    if tensor.data.dtype == other.data.dtype:
        return tensor, other
    target = result_type(tensor, other)
    return tensor.to(target), other.to(target)


_NUMPY_OF_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)
_LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
_VIEW_IN_PLACE = (
    "an in-place operation recorded on a view of another tensor is not supported here (the "
    "view's base would keep its old value): use the out-of-place form, or .clone() the view "
    "first"
)
_STALE_VIEW = (
    "this view was taken before its base changed in place, and here it does not see that "
    "change (torch's would): changing it in place would undo it; take the view again"
)
_OVERLAP_IN_PLACE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)

# torch's names for dtypes, for messages in its words ("result type Float can't be cast ...").
_TORCH_NAMES = {
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "uint8": "Byte",
    "bool": "Bool",
}


def torch_dtype_name(dtype: Any) -> str:
    """torch's name of a dtype in its messages: ``Float`` for float32, ``Long`` for int64, ..."""
    name = np.dtype(dtype).name
    return _TORCH_NAMES.get(name, name)


# The C++ type names torch prints in some other messages ("double != float").
_C10_NAMES = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int"}


def c10_dtype_name(dtype: Any) -> str:
    """torch's C++ name of a dtype: ``double`` for float64, ``float`` for float32, ..."""
    name = np.dtype(dtype).name
    return _C10_NAMES.get(name, torch_dtype_name(dtype).lower())


def cast_refusal(result: Any, output: Any) -> RuntimeError:
    """torch's error for a result of dtype ``result`` that cannot go into one of ``output``."""
    return RuntimeError(
        f"result type {torch_dtype_name(result)} can't be cast to the desired output type "
        f"{torch_dtype_name(output)}"
    )


def _in_place_recorded(t: Tensor, other: Any) -> bool:
    """Must ``t <op>= other`` be recorded (grad mode on, and ``t`` or ``other`` requires grad)?

    Raises torch's error for a leaf that requires grad: it may not change in place then.
    """
    if not _grad_mode.grad_enabled:
        return False
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError(_LEAF_IN_PLACE)
    if t._requires_grad:
        _check_view_in_place(t.grad_fn)
        return True
    if not (isinstance(other, Tensor) and other._requires_grad):
        return False
    if not t.data.flags.owndata:  # a view made without grad (base[1:].add_(w)): the same
        raise RuntimeError(_VIEW_IN_PLACE)
    return True


class ViewLink(NamedTuple):
    """What a view's node knows of its base (``Node.view_base``), all weakly: a view must not
    keep its base alive."""

    base: Callable[[], Tensor | None]  # the base Tensor, while someone holds it
    back: Callable[[Tensor], Tensor] | None  # the view's shape back onto all of the base
    upstream: Any  # the base's node: the walk goes on there once the base is gone
    lineage: tuple[tuple[Any, Any], ...]  # (base, its array then), for it and its own bases


def _view(out: Tensor, base: Tensor, back: Callable[[Tensor], Tensor] | None) -> Tensor:
    """Note on ``out``'s node that it is a view of ``base``, and how to map it back onto the
    base (``back``; None for a part of it)."""
    node = out.grad_fn
    if node is not None and node.view_of_input:
        node.view_base = ViewLink(weakref.ref(base), back, node.next[0], _lineage(base))
    return out


def _lineage(base: Tensor) -> tuple[tuple[Any, Any], ...]:
    """(base, the array it holds) for ``base`` and each base it is itself a view of, weakly."""
    above = base.grad_fn.view_base if base.grad_fn is not None else None
    own = ((weakref.ref(base), weakref.ref(base.data)),)
    return own + above.lineage if above else own


def _check_fresh(t: Tensor) -> None:
    """A view taken before its base changed in place no longer shares the base's array here
    (torch's would see the change): changing it in place would write its old values back
    into the base, so it is refused."""
    node = t.grad_fn
    link = node.view_base if node is not None else None
    if link is None:
        return
    for base_ref, data_ref in link.lineage:
        base = base_ref()
        if base is not None and data_ref() is not base.data:
            raise RuntimeError(_STALE_VIEW)


def _reshaped_back(base_shape: tuple[int, ...]) -> Callable[[Tensor], Tensor]:
    return lambda r: r.reshape(base_shape)


def _check_view_in_place(node: Any) -> None:
    """May the output of ``node`` change in place, in a recorded graph?

    torch writes into a view's base and rewrites the base's history. Here the op is recorded
    out of place (see ``Tensor.add_``), so the base must follow by hand: a view of the whole
    base (reshape, transpose, permute) has it take over the new value mapped back
    (``_take_over``); a base no one holds any more needs nothing; a part of a base someone
    holds (an index, an expand) is refused, as is a view of a leaf that requires grad
    (torch's words).
    """
    base, backs = _held_base(node)
    if base is None:
        return
    if base._requires_grad and base.grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_IN_PLACE)
    if None in backs:
        raise RuntimeError(_VIEW_IN_PLACE)
    if base._requires_grad:
        _check_view_in_place(base.grad_fn)


def _held_base(node: Any) -> tuple[Tensor | None, list[Any]]:
    """From a view's node up its chain of views to the first base someone still holds: that
    base and the maps back onto it, view by view (None for a part); (None, …) if none is held
    (``x.reshape(4).T``: the reshape's output is gone, x is not)."""
    backs: list[Any] = []
    while node is not None and node.view_of_input:
        if node.view_base is None:  # a view made inside an op, of nothing anyone holds
            return None, backs
        link = node.view_base
        backs.append(link.back)
        base = link.base()
        if base is not None:
            return base, backs
        node = link.upstream
    return None, backs


def _check_in_place_target(t: Tensor) -> None:
    """May ``t``'s values change in place at all (with or without grad)? Not an expanded
    tensor (one element in several places: torch's refusal), nor a stale view."""
    data = t.data
    if data.size and any(s == 0 and n > 1 for s, n in zip(data.strides, data.shape)):
        raise RuntimeError(_OVERLAP_IN_PLACE)
    _check_fresh(t)


def zero_gradient(t: Tensor) -> None:
    """``zero_grad(set_to_none=False)`` for one tensor, as torch: its ``.grad`` becomes zeros in
    place (whoever holds it sees them), detached first if it was recorded."""
    grad = t.grad
    if grad is None:
        return
    if grad.grad_fn is None and grad.data.flags.writeable:
        grad.data[...] = 0
    else:
        t.grad = Tensor._make(np.zeros_like(grad.data), None)


def assign_in_place(t: Tensor, result: Tensor) -> Tensor:
    """Write ``result``, computed from ``t`` (an activation's ``inplace=True``), into ``t``,
    and return ``t``: the rules of ``Tensor.add_`` (a leaf that requires grad refuses; in a
    recorded graph ``t`` takes over the result and its place in the graph)."""
    _check_in_place_target(t)
    if result.data.dtype != t.data.dtype:
        raise cast_refusal(result.data.dtype, t.data.dtype)
    if _in_place_recorded(t, result):
        return t._take_over(result)
    np.copyto(t.data, result.data)  # the same array: aliases of t see the new values
    return t


def _in_place(t: Tensor, op: str, ufunc: np.ufunc, other: Any, alpha: Any = 1) -> Tensor:
    """``t = t <op> alpha * other``, in place: the rules are in ``Tensor.add_``'s docstring.

    ``op`` names the Tensor operator, ``ufunc`` is the same on arrays, written into ``t.data``.
    """
    _check_in_place_target(t)
    recorded = _in_place_recorded(t, other)
    if isinstance(other, np.generic):
        other = other.item()  # a NumPy scalar counts as a Python number, as in _operands
    elif not _is_number(other) and not isinstance(other, Tensor):
        other = Tensor(other)
    shape = other.data.shape if isinstance(other, Tensor) else ()
    if shape != t.data.shape:
        _check_broadcast(t.data.shape, shape)
        broadcast = np.broadcast_shapes(t.data.shape, shape)
        if broadcast != t.data.shape:
            raise RuntimeError(
                f"output with shape {list(t.data.shape)} doesn't match the broadcast shape "
                f"{list(broadcast)}"
            )
    target = result_type(t, other)
    if ufunc is np.true_divide and target.kind != "f":
        target = np.dtype(np.float32)  # the quotient of integers is a float, as in torch
    if _CATEGORY[target.kind] > _CATEGORY[t.data.dtype.kind]:  # float into int, int into bool
        raise cast_refusal(target, t.data.dtype)
    if not (type(alpha) is int and alpha == 1):
        if isinstance(alpha, (bool, np.bool_)) and target != np.bool_:
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
        if target.kind != "f" and not isinstance(alpha, (int, np.integer, np.bool_)):
            raise RuntimeError(
                "For integral input tensors, argument alpha must not be a floating point number."
            )
        other = other * alpha
    if recorded:
        result = getattr(t, op)(other)
        return t._take_over(result if result.data.dtype == t.data.dtype else result.to(t.dtype))
    value = other.data if isinstance(other, Tensor) else other
    if isinstance(value, np.ndarray) and value.dtype != target:
        value = value.astype(target)  # torch computes in the result type: 0-d float64 + float16
    if ufunc is np.power and target.kind in "iu":  # integers: torch's rules for b < 0
        np.copyto(t.data, _basic.power(t.data, value), casting="unsafe")
        return t
    ufunc(t.data, value, out=t.data, casting="unsafe")  # the cast was checked above
    return t


def _float_division(a: Any, b: Any) -> tuple[Any, Any]:
    """True division of integers gives floats (float32, torch's default), as in torch."""

    def is_integral(v: Any) -> bool:
        if isinstance(v, Tensor):
            return v.data.dtype.kind != "f"
        return not isinstance(v, float)

    if is_integral(a) and is_integral(b):
        return tuple(v.to(np.float32) if isinstance(v, Tensor) else v for v in (a, b))
    return a, b


def _floating(t: Tensor) -> Tensor:
    """Integer and bool tensors enter exp/log/sqrt as float32, torch's default dtype."""
    return t if t.data.dtype.kind == "f" else t.to(np.float32)


def _check_broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """Raise torch's error, naming both shapes, when ``a`` and ``b`` do not broadcast."""
    if a == b:
        return
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}: shapes {a} and {b} do not "
                "broadcast"
            )


def _check_dim(dim: int, ndim: int, argument: str = "") -> int:
    """Normalise a possibly negative ``dim``; torch's IndexError when out of range.

    ``argument`` names it for torch's TypeError ("softmax(): argument 'dim' (position 1)").
    """
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        if argument:
            raise TypeError(f"{argument} must be int, not {type(dim).__name__}")
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not lo <= dim <= hi:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return int(dim) % max(ndim, 1)


def _check_dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalise ``dim`` (None, an int or a sequence); an empty sequence means every axis."""
    if dim is None:
        return None
    if not isinstance(dim, (int, np.integer, tuple, list)):
        raise TypeError(
            f"dim must be an int or a tuple of ints, not {type(dim).__name__} ({dim!r})"
        )
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return None
    out = tuple(_check_dim(d, ndim) for d in dims)
    if len(set(out)) != len(out):
        repeated = next(d for i, d in enumerate(out) if d in out[:i])
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(d for d in out if d < ndim) if ndim else ()


def tensor(data: Any, dtype: DTypeLike = None, requires_grad: bool = False) -> Tensor:
    """Make a tensor from a number, a nested list or an array (as ``torch.tensor``).

    The data is copied, so later changes to the array do not reach the tensor.
    """
    array = _to_array(data, dtype)
    if array is data or (isinstance(data, Tensor) and array is data.data):
        array = array.copy()
    return Tensor(array, requires_grad=requires_grad)


# ``array <op> tensor`` (NumPy's ufunc, array first): the Tensor's reflected operator.
_REFLECTED = {
    np.add: "__radd__",
    np.subtract: "__rsub__",
    np.multiply: "__rmul__",
    np.true_divide: "__rtruediv__",
    np.power: "__rpow__",
    np.matmul: "__rmatmul__",
    np.less: "__gt__",  # array < tensor is tensor > array
    np.less_equal: "__ge__",
    np.greater: "__lt__",
    np.greater_equal: "__le__",
    np.equal: "__eq__",
    np.not_equal: "__ne__",
}

from .autograd.grad_mode import _state as _grad_mode  # noqa: E402  (needs Tensor defined first)
from .ops import basic as _basic  # noqa: E402  (the ops need Tensor defined first)
