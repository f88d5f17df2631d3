"""In-place ops and views, as torch has them: ``add_``, ``x[i] = v``, ``+=``, ``inplace=True``.

torch writes into the array and guards the values saved for backward with version counters.
Here an in-place op in a recorded graph is recorded out of place and the tensor takes over the
result (``_take_over``); the rules are in ``TensorInPlace.add_``'s docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.function import Node
from ..core.grad_mode import state as _grad_mode
from ..core.tensor import Tensor, Version
from ..kernels.powers import power
from ..ops import basic as _basic
from .checks import _check_broadcast, _index_message, _raw_index
from .dtypes import _CATEGORY, _is_number, cast_refusal, result_type, torch_dtype_name
from .functions import where
from .messages import (
    _LEAF_IN_PLACE,
    _OVERLAP_IN_PLACE,
    _VIEW_IN_PLACE,
    _VIEW_MADE_WITHOUT_GRAD,
    _VIEW_OF_LEAF_IN_PLACE,
)
from .random import chosen, in_order, memory_order, sample_normal, sample_uniform
from .views import (
    _PLAIN_VIEWS,
    _check_fresh,
    _check_view_in_place,
    _held_base,
    _link_of,
    _refresh_views,
    _region,
    _written_back,
)


class TensorInPlace:
    """The in-place methods of ``Tensor``."""

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self += alpha * other``, in place, as torch's ``add_``.

        Every in-place op here (``+= -= *= /=``, ``add_ sub_ mul_ div_ zero_``) follows
        torch's rules:

        - The result goes into ``self.array``, the same array (aliases such as ``detach()``
          see it), and ``self`` is returned: ``p -= lr * p.grad`` under ``no_grad()``
          updates the parameter the model holds.
        - ``self`` keeps its shape and dtype: ``other`` must broadcast to ``self``'s shape, and
          the result type must cast to ``self``'s dtype (a float result into an integer
          tensor does not).
        - With grad mode on, a leaf that requires grad cannot change in place (the graph may
          need its value); update parameters under ``no_grad()``.
        - Every in-place op adds 1 to the tensor's version (``_version``; a view shares its
          base's), and a backward that needs a value saved at an older version raises torch's
          error ("modified by an inplace operation") rather than use the new values.
        - In a recorded graph (grad mode on, ``self`` or ``other`` requiring grad) the op is
          recorded out of place and ``self`` takes over the result, its new array and
          ``grad_fn``: the same value, gradient, version and object as in torch, but views
          taken before the op keep the old value.
        - If ``self`` is a view of another tensor, torch also writes into the base and
          rewrites its history (``CopySlices``). So here: the base someone holds takes over
          its new value — for a view of all of it (``x.T``, ``x.reshape(...)``), the view's
          value mapped back; for a part (``x[0]``, ``x[:, 1:]``), the base with the view's
          value written there (``out[i] += w[i]`` into plain zeros makes ``out`` part of the
          graph, as in torch). And a view someone holds, taken before its base changed, is
          taken again from the base's new value (values and graph), as torch's view sees its
          base's memory. A part of an expand is refused; a view of a leaf that requires grad
          is refused in torch's words.
        - An expanded tensor (one element in several places) is refused, as in torch.
        - The other in-place methods follow the same rules: ``exp_ log_ sqrt_ abs_ neg_
          clamp_ pow_``, the activations' ``relu_ sigmoid_ tanh_`` and ``inplace=True``.
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
        changed_in_place(self)
        if _in_place_recorded(self, None):  # zeros with a zero gradient; self * 0 is nan at inf
            return self._take_over(where(np.zeros(self.array.shape, np.bool_), self, 0.0))
        self.array[...] = 0
        return self

    @property
    def _version(self) -> int:
        """How many times this tensor (or a view of it) was changed in place, as torch's."""
        return self._counter.count

    __iadd__, __isub__, __imul__, __itruediv__, __ipow__ = add_, sub_, mul_, div_, pow_

    def copy_(self, src: Tensor, non_blocking: bool = False) -> Tensor:
        """Write ``src``'s values into ``self``: broadcast to its shape and cast to its dtype
        (any dtype, unlike ``add_``), as torch's ``copy_``. In a recorded graph the gradient
        goes to ``src``; the old values get none."""
        if not isinstance(src, Tensor):
            raise TypeError(
                f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}"
            )
        _check_in_place_target(self)
        shape, source = self.array.shape, src.array.shape
        for i in range(1, min(len(shape), len(source)) + 1):
            if source[-i] not in (1, shape[-i]):
                raise RuntimeError(
                    f"The size of tensor a ({shape[-i]}) must match the size of tensor b "
                    f"({source[-i]}) at non-singleton dimension {len(shape) - i}"
                )
        if len(source) > len(shape):
            raise RuntimeError(
                f"output with shape {list(shape)} doesn't match the broadcast shape "
                f"{list(np.broadcast_shapes(shape, source))}"
            )
        changed_in_place(self)
        if self.array.dtype.kind == "f" and _in_place_recorded(self, src):
            value = src if src.array.dtype == self.array.dtype else src.to(self.array.dtype)
            # where(never, self, value): the old values stay in the graph with a zero gradient
            return self._take_over(where(np.zeros(shape, np.bool_), self, value))
        np.copyto(self.array, np.broadcast_to(src.array, shape), casting="unsafe")
        return self

    def fill_(self, value: Any) -> Tensor:
        """Every element set to ``value`` (a number or a one-element 0-d tensor), in place."""
        if isinstance(value, Tensor) and value.array.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.array.ndim} dimensions."
            )
        _check_in_place_target(self)
        changed_in_place(self)
        if _in_place_recorded(self, value):  # the value, with its gradient if it has one
            keep = np.zeros(self.array.shape, np.bool_)
            return self._take_over(where(keep, self, value).to(self.array.dtype))
        self.array[...] = value.array if isinstance(value, Tensor) else value
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Samples of U[a, b), in place (torch's numbers; ``nn.init`` draws with it)."""
        return self._sample_in_place(
            "uniform_",
            lambda gen, shape, dtype, contiguous: sample_uniform(gen, shape, dtype, a, b),
            generator,
        )

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Samples of N(mean, std²), in place (torch's numbers)."""
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        return self._sample_in_place(
            "normal_",
            lambda gen, shape, dtype, contiguous: sample_normal(
                gen, shape, dtype, mean, std, contiguous
            ),
            generator,
        )

    def _sample_in_place(
        self, name: str, draw: Callable[[Any, Any, Any, bool], np.ndarray], gen: Any = None
    ) -> Tensor:
        """Fill with ``draw``'s floats (``fill_in_place``), from generator ``gen``."""
        if self.array.dtype.kind != "f":
            kernel = "check_uniform_bounds" if name == "uniform_" else "normal_kernel_cpu"
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{torch_dtype_name(self.array.dtype)}'"
            )
        gen = chosen(gen)
        return fill_in_place(
            self, lambda shape, dtype, contiguous: draw(gen, shape, dtype, contiguous)
        )

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

    def _take_over(self, result: Tensor, changed: Any = None) -> Tensor:
        """Become ``result``: its array and its place in the graph (an in-place op, recorded).

        Hooks stay with the old value, but ``retain_grad()`` follows the tensor, as in torch:
        its ``.grad`` will be the gradient of the new value. If ``self`` is a view, its base
        someone holds takes over its own new value too (``_written_back``); and the views of
        ``self`` still alive are taken again from its new value (``_refresh_views``; ``changed``
        is where ``self`` changed, an index, if not everywhere).

        The old array keeps the version counter of those who still hold it (values saved for a
        backward); ``self`` counts on from it with a counter of its own.
        """
        old, link = self.grad_fn, _link_of(self)
        old_array, counter = self.array, Version()
        counter.count, self._counter = self._counter.count, counter
        if old is not None and old._retained and result.grad_fn is not None:
            result.grad_fn._retained, old._retained = old._retained, None
        self.array, self.grad_fn, self._requires_grad = (
            result.array,
            result.grad_fn,
            result._requires_grad,
        )
        _PLAIN_VIEWS.pop(id(self), None)
        if link is not None and result.grad_fn is not None:  # self is still a view of its base
            result.grad_fn.view_of_input, result.grad_fn.view_base = True, link
        base, links = _held_base(link)
        if base is not None:  # (which takes self again from the base's new value)
            part = links[0].index if len(links) == 1 else None
            base._take_over(_written_back(result, base, links), part)
        if self.grad_fn is result.grad_fn:  # not taken again: no base someone holds
            _refresh_views(self, _region(old_array, changed))
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        """``x[index] = value``, in place, as torch: the rules are ``add_``'s (a leaf that
        requires grad refuses; in a recorded graph x takes over x with ``value`` written at
        ``index``, and value gets the gradient of the places it went to)."""
        index = _raw_index(index)
        try:
            target = self.array[index]
        except IndexError as e:
            raise IndexError(_index_message(str(e), self.array.ndim)) from None
        if isinstance(value, Tensor) and value.array is target:
            return  # x[i] += 1: the view x[i] was already changed in place, and is x's
        _check_in_place_target(self)
        if _grad_mode.grad_enabled and self._requires_grad and self.grad_fn is None:
            raise RuntimeError(_VIEW_OF_LEAF_IN_PLACE)  # x[i] is a view of the leaf x
        recorded = _in_place_recorded(self, value)
        if isinstance(value, Tensor):
            if _CATEGORY[value.array.dtype.kind] > _CATEGORY[self.array.dtype.kind]:
                raise cast_refusal(value.array.dtype, self.array.dtype)
            shape = np.shape(target)
            try:
                fits = np.broadcast_shapes(shape, value.array.shape) == shape
            except ValueError:
                fits = False
            if not fits:
                raise RuntimeError(
                    f"shape mismatch: value tensor of shape {list(value.array.shape)} cannot be "
                    f"broadcast to indexing result of shape {list(shape)}"
                )
        changed_in_place(self)
        if recorded:
            if not isinstance(value, Tensor):
                value = Tensor._make(np.asarray(value, dtype=self.array.dtype), None)
            elif value.array.dtype != self.array.dtype:
                value = value.to(self.array.dtype)
            self._take_over(_basic.IndexPut.apply(self, value, index=index))
            return
        self.array[index] = value.array if isinstance(value, Tensor) else value


def _in_place_recorded(t: Tensor, other: Any) -> bool:
    """Must ``t <op>= other`` be recorded (grad mode on, and ``t`` or ``other`` requires grad)?

    Raises torch's error for a leaf that requires grad: it may not change in place then.
    """
    if not _grad_mode.grad_enabled:
        return False
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError(_LEAF_IN_PLACE)
    recorded = t._requires_grad or (isinstance(other, Tensor) and other._requires_grad)
    link = _link_of(t)
    if link is not None and link.without_grad:
        base = link.base()
        if recorded or (base is not None and base._requires_grad):
            raise RuntimeError(_VIEW_MADE_WITHOUT_GRAD)
    if not recorded:
        return False
    if not t._requires_grad and not t.array.flags.owndata and _link_of(t) is None:
        raise RuntimeError(_VIEW_IN_PLACE)  # a view of an array, not of a Tensor
    _check_view_in_place(t)
    return True


def _check_in_place_target(t: Tensor) -> None:
    """May ``t``'s values change in place at all (with or without grad)? Not an expanded
    tensor (one element in several places: torch's refusal), nor a stale view."""
    data = t.array
    if data.size and any(s == 0 and n > 1 for s, n in zip(data.strides, data.shape)):
        raise RuntimeError(_OVERLAP_IN_PLACE)
    _check_fresh(t)


def zero_gradient(t: Tensor) -> None:
    """``zero_grad(set_to_none=False)`` for one tensor, as torch: its ``.grad`` becomes zeros in
    place (whoever holds it sees them), detached first if it was recorded."""
    grad = t.grad
    if grad is None:
        return
    if grad.grad_fn is None and grad.array.flags.writeable:
        grad.array[...] = 0
    else:
        t.grad = Tensor._make(np.zeros_like(grad.array), None)


def assign_in_place(t: Tensor, result: Tensor) -> Tensor:
    """Write ``result``, computed from ``t`` (``t.sin_()``, an activation's ``inplace=True``),
    into ``t``, and return ``t``: the rules of ``Tensor.add_``. The result must have ``t``'s
    shape (other operands broadcast to ``t``, not ``t`` to them) and a dtype ``t`` can hold
    (float64 into float32 is cast; a float into an integer tensor is refused)."""
    _check_in_place_target(t)
    if result.array.shape != t.array.shape:
        raise RuntimeError(
            f"output with shape {list(t.array.shape)} doesn't match the broadcast shape "
            f"{list(result.array.shape)}"
        )
    source, target = result.array.dtype, t.array.dtype
    if source != target:
        if _CATEGORY[source.kind] > _CATEGORY[target.kind]:
            raise cast_refusal(source, target)
        result = result.to(target)
    changed_in_place(t)
    if _in_place_recorded(t, result):
        _restamp(result, t)
        return t._take_over(result)
    np.copyto(t.array, result.array)  # the same array: aliases of t see the new values
    return t


def _in_place(t: Tensor, op: str, ufunc: np.ufunc, other: Any, alpha: Any = 1) -> Tensor:
    """``t = t <op> alpha * other``, in place: the rules are in ``Tensor.add_``'s docstring.

    ``op`` names the Tensor operator, ``ufunc`` is the same on arrays, written into ``t.array``.
    """
    _check_in_place_target(t)
    recorded = _in_place_recorded(t, other)
    if isinstance(other, np.generic):
        other = other.item()  # a NumPy scalar counts as a Python number, as in _operands
    elif not _is_number(other) and not isinstance(other, Tensor):
        other = Tensor(other)
    shape = other.array.shape if isinstance(other, Tensor) else ()
    if shape != t.array.shape:
        _check_broadcast(t.array.shape, shape)
        broadcast = np.broadcast_shapes(t.array.shape, shape)
        if broadcast != t.array.shape:
            raise RuntimeError(
                f"output with shape {list(t.array.shape)} doesn't match the broadcast shape "
                f"{list(broadcast)}"
            )
    target = result_type(t, other)
    if ufunc is np.true_divide and target.kind != "f":
        target = np.dtype(np.float32)  # the quotient of integers is a float, as in torch
    if _CATEGORY[target.kind] > _CATEGORY[t.array.dtype.kind]:  # float into int, int into bool
        raise cast_refusal(target, t.array.dtype)
    if not (type(alpha) is int and alpha == 1):
        if isinstance(alpha, (bool, np.bool_)) and target != np.bool_:
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
        if target.kind != "f" and not isinstance(alpha, (int, np.integer, np.bool_)):
            raise RuntimeError(
                "For integral input tensors, argument alpha must not be a floating point number."
            )
        other = other * alpha
    changed_in_place(t)
    if recorded:
        result = getattr(t, op)(other)
        return t._take_over(result if result.array.dtype == t.array.dtype else result.to(t.dtype))
    value = other.array if isinstance(other, Tensor) else other
    if isinstance(value, np.ndarray) and value.dtype != target:
        value = value.astype(target)  # torch computes in the result type: 0-d float64 + float16
    if ufunc is np.power and target.kind in "iu":  # integers: torch's rules for b < 0
        np.copyto(t.array, power(t.array, value), casting="unsafe")
        return t
    ufunc(t.array, value, out=t.array, casting="unsafe")  # the cast was checked above
    return t


def fill_in_place(t: Tensor, draw: Callable[[Any, Any, bool], np.ndarray]) -> Tensor:
    """Write a fresh draw into ``t`` with the rules of an in-place op: a leaf that requires grad
    refuses it; a recorded tensor takes it over with no gradient back. The values go in the
    order the elements lie in memory, as torch's serial kernels (``random.memory_order``);
    ``draw(shape, dtype, contiguous)`` is told whether ``t`` is contiguous."""
    _check_in_place_target(t)
    recorded = _grad_mode.grad_enabled and t._requires_grad
    if recorded:
        _in_place_recorded(t, None)  # a leaf that requires grad: torch's error
    changed_in_place(t)
    order = memory_order(t.array)
    contiguous = order == sorted(order) and t.array.flags.c_contiguous
    values = in_order(lambda shape: draw(shape, t.array.dtype, contiguous), t.array.shape, order)
    if recorded:
        return t._take_over(Tensor._make(values.astype(t.array.dtype), None))
    t.array[...] = values
    return t


def _restamp(result: Tensor, t: Tensor) -> None:
    """The ops that computed ``result`` from ``t`` (before ``t`` takes it over) saved ``t``'s
    values before the change: the values the new graph needs, kept unchanged (``t`` gets a new
    array). They are stamped with ``t``'s new version, as torch's in-place op records them."""
    stack, seen = [result.grad_fn], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, Node) or node is t.grad_fn or node in seen:
            continue
        seen.add(node)
        node._sources = tuple(
            (i, c, c.count if c is t._counter else n) for i, c, n in node._sources
        )
        stack.extend(node.next)


def changed_in_place(t: Tensor) -> None:
    """Note that ``t``'s values change in place (every in-place op here, an optimizer's step,
    ``nn.init``): its version goes up by one, so a graph that saved the old values refuses to
    use them."""
    t._counter.count += 1
