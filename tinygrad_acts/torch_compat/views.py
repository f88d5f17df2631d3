"""Views, as torch has them and the in-place ops need them: what a view knows of its base.

A view here is a Tensor made from another (``x.T``, ``x.reshape(...)``, ``x[0]``) whose array
shares the base's memory. An in-place op in a recorded graph gives a tensor a new array
(``TensorInPlace._take_over``), so memory alone cannot carry a change between a view and its
base: each view keeps a ``ViewLink`` to its base (how it was taken: ``Maps`` for a view of all
of it, an index for a part), and each base the list of its views. A change of a view is written
back into its base (``_written_back``: torch's CopySlices); a change of a base reaches its views
again (``_refresh_views``); a view of a leaf that requires grad is refused in torch's words.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..core.grad_mode import state as _grad_mode
from ..core.tensor import Tensor
from ..ops import basic as _basic
from .messages import (
    _STALE_VIEW,
    _VIEW_IN_PLACE,
    _VIEW_MADE_WITHOUT_GRAD,
    _VIEW_OF_LEAF_IN_PLACE,
)
from .nodes import name_node


class Maps(NamedTuple):
    """A view as two maps of Tensors: base → view and back (None for an expand, whose elements
    repeat, and for a part of the base, written back at its index instead)."""

    ahead: Callable[[Tensor], Tensor]
    back: Callable[[Tensor], Tensor] | None


def reshaped(base_shape: tuple[int, ...], shape: tuple[int, ...]) -> Maps:
    return Maps(lambda b: b.reshape(shape), lambda v: v.reshape(base_shape))


def expanded(shape: tuple[int, ...]) -> Maps:
    return Maps(lambda b: b.expand(*shape), None)


# An alias of all of its base (``detach()``, ``.data``): taken again as one; a change of it in a
# recorded graph cannot go back into the base (refused).
ALIASED = Maps(lambda b: b.detach(), None)
DATA = Maps(lambda b: b.data, None)


def permuted(dims: tuple[int, ...]) -> Maps:
    back = tuple(int(i) for i in np.argsort(dims))
    return Maps(lambda b: b.permute(dims), lambda v: v.permute(back))


class ViewLink(NamedTuple):
    """What a view knows of its base, all weakly (a view must not keep its base alive)."""

    base: Callable[[], Tensor | None]  # the base Tensor, while someone holds it
    maps: Maps | None  # a view of all of the base: how its elements are rearranged
    index: Any  # a view of a part of the base: where it sits (``base[index]``)
    above: ViewLink | None  # the base's own link, if the base is a view too
    lineage: tuple[tuple[Any, Any], ...]  # (base, its array then), for it and its own bases
    without_grad: bool = False  # made under no_grad: torch refuses to change it in grad mode


# The links of views recorded by no node (their base needs no gradient), by id(view): each
# entry leaves with its view.
_PLAIN_VIEWS: dict[int, tuple[ViewLink, Any]] = {}

# The views of each base, by id(base): (the base, weakly; its views, weakly).
_VIEWS_OF: dict[int, tuple[Any, list[Any]]] = {}


def _view(
    out: Tensor, base: Tensor, maps: Maps | None = None, *, index: Any = None, alias: bool = False
) -> Tensor:
    """Note that ``out`` is a view of ``base``: of all of it (``maps``), or of the part
    ``base[index]`` (neither: a view that cannot be written back, such as an expand); an
    ``alias`` (``detach()``, ``.data``) is one whatever the grad mode it was made in."""
    node = out.grad_fn
    if not np.may_share_memory(out.array, base.array):
        return out
    link = ViewLink(
        weakref.ref(base),
        maps,
        index,
        _link_of(base),
        _lineage(base),
        without_grad=not (alias or _grad_mode.grad_enabled),
    )
    for base_ref, _ in link.lineage:  # a view of a view is a view of the bases above too
        above = base_ref()
        if above is not None:
            _remember_view(out, above)
    if node is not None:
        node.view_of_input, node.view_base = True, link
    else:
        _note_plain(out, link)
    return out


def _note_plain(out: Tensor, link: ViewLink) -> None:
    key = id(out)
    _PLAIN_VIEWS[key] = (link, weakref.ref(out, lambda _: _PLAIN_VIEWS.pop(key, None)))


def _remember_view(out: Tensor, base: Tensor) -> None:
    """Note ``out`` among the views of ``base`` (weakly; the list leaves with its base)."""
    key = id(base)
    entry = _VIEWS_OF.get(key)
    if entry is None or entry[0]() is not base:
        entry = _VIEWS_OF[key] = (weakref.ref(base, lambda _: _VIEWS_OF.pop(key, None)), [], [64])
    _, views, limit = entry
    if len(views) >= limit[0]:  # a base indexed in a loop: drop the views that are gone
        views[:] = [ref for ref in views if ref() is not None]
        limit[0] = max(64, 2 * len(views))  # (so that keeping many views costs O(1) each)
    views.append(weakref.ref(out))


def _refresh_views(base: Tensor, changed: np.ndarray | None = None) -> None:
    """Each view of ``base`` someone holds is taken again from the base's new value — its values
    and its graph — as torch's views see their base change (there ``AsStridedBackward0``); and
    then the views of those views. ``changed``: the part of the base's old array that changed
    (None: all of it); a view apart from it keeps its values and its graph, which lead to the
    same gradient."""
    stack: list[tuple[Tensor, np.ndarray | None]] = [(base, changed)]
    while stack:
        b, part = stack.pop()
        entry = _VIEWS_OF.get(id(b))
        if entry is None or entry[0]() is not b:
            continue
        for ref in list(entry[1]):
            v = ref()
            if v is None or v.array is b.array:
                continue
            if part is not None and _apart(v.array, part):
                continue
            new = _taken_again(v, b)
            if new is not None:
                _become(v, new)
                stack.append((v, None))


def _region(array: np.ndarray, index: Any) -> np.ndarray | None:
    """``array[index]`` as a view of ``array`` (None: all of it, or an index that copies)."""
    if index is None:
        return None
    key = index if isinstance(index, tuple) else (index,)
    part = array[key if Ellipsis in key else (*key, Ellipsis)]
    return part if np.may_share_memory(part, array) else None


def _apart(array: np.ndarray, part: np.ndarray) -> bool:
    """Does ``array`` lie in ``part``'s array (its base), but apart from ``part``? (A view that
    took a new array of its own is not apart: it is taken again.)"""
    whole = part.base if part.base is not None else part
    return np.may_share_memory(array, whole) and not np.may_share_memory(array, part)


def _become(v: Tensor, new: Tensor) -> None:
    """``v`` takes the place of ``new``, the same view taken again: its array, graph, counter
    (and ``retain_grad()`` follows it, as in torch)."""
    old = v.grad_fn
    if old is not None and old._retained and new.grad_fn is not None:
        new.grad_fn._retained, old._retained = old._retained, None
    v.array, v.grad_fn, v._requires_grad, v._counter = (
        new.array,
        new.grad_fn,
        new._requires_grad,
        new._counter,
    )
    plain = _PLAIN_VIEWS.pop(id(new), None)
    if plain is not None:
        _note_plain(v, plain[0])


def _taken_again(v: Tensor, base: Tensor) -> Tensor | None:
    """``v``'s value taken again from ``base`` through the views in between (None if one of
    them is held: ``v`` is taken again from that one; or if ``v`` is not of ``base`` now)."""
    below, link = [], _link_of(v)  # from v's own link up to the one whose base is ``base``
    while link is not None and link.base() is not base:
        if link.base() is not None:
            return None
        below.append(link)
        link = link.above
    return None if link is None else _through(base, [link, *reversed(below)])


def _through(base: Tensor, links: list[ViewLink]) -> Tensor | None:
    """Take the views of ``links`` (the base's first) from ``base`` again."""
    value = base
    for link in links:
        if link.maps is not None:
            value = link.maps.ahead(value)
        elif link.index is not None:
            value = _view(_basic.Index.apply(value, index=link.index), value, index=link.index)
        else:
            return None  # a view that cannot be written back (a part of an expand)
    return value


def _link_of(t: Tensor) -> ViewLink | None:
    """What ``t`` knows of the base it is a view of, if any."""
    node = t.grad_fn
    if node is not None:
        return getattr(node, "view_base", None)
    plain = _PLAIN_VIEWS.get(id(t))
    return plain[0] if plain is not None and plain[1]() is t else None


def _lineage(base: Tensor) -> tuple[tuple[Any, Any], ...]:
    """(base, the array it holds) for ``base`` and each base it is itself a view of, weakly."""
    above = _link_of(base)
    own = ((weakref.ref(base), weakref.ref(base.array)),)
    return own + above.lineage if above else own


def _check_fresh(t: Tensor) -> None:
    """Before ``t`` changes in place: if its base took a new array since ``t`` was last taken
    (``t`` lay apart from what changed, and kept its old array), ``t`` is taken again from it
    now, so that the change reaches the base. Refused where that cannot be done."""
    link = _link_of(t)
    if link is None:
        return
    for base_ref, data_ref in link.lineage:
        base = base_ref()
        if base is not None and data_ref() is not base.array:
            new = _taken_again(t, base)
            if new is None:
                raise RuntimeError(_STALE_VIEW)
            _become(t, new)
            return


def _check_view_in_place(t: Tensor) -> None:
    """May ``t`` change in place, in a recorded graph, given the bases it is a view of?

    torch writes into a view's base and rewrites the base's history (``CopySlices``). Here
    the op is recorded out of place, so each base someone holds takes over its new value
    (``_written_back``): for a view of all of it, the view's value mapped back; for a part,
    the base with the view's value written at its place. A base no one holds any more needs
    nothing; a view of a leaf that requires grad is refused (torch's words), and so is a view
    that cannot be written back (a part of an expand).
    """
    own = _link_of(t)
    if own is not None and own.without_grad:
        raise RuntimeError(_VIEW_MADE_WITHOUT_GRAD)
    while True:
        base, links = _held_base(_link_of(t))
        if base is None:
            return
        if base._requires_grad and base.grad_fn is None:
            raise RuntimeError(_VIEW_OF_LEAF_IN_PLACE)
        if any(
            link.index is None and (link.maps is None or link.maps.back is None) for link in links
        ):
            raise RuntimeError(_VIEW_IN_PLACE)
        t = base


def _held_base(link: ViewLink | None) -> tuple[Tensor | None, list[ViewLink]]:
    """From a view's link up its chain of views to the first base someone still holds: that
    base and the links on the way, nearest first; (None, …) if none is held
    (``x.reshape(4).T``: the reshape's output is gone, x is not)."""
    links: list[ViewLink] = []
    while link is not None:
        links.append(link)
        base = link.base()
        if base is not None:
            return base, links
        link = link.above
    return None, links


def _written_back(value: Tensor, base: Tensor, links: list[ViewLink]) -> Tensor:
    """The base's new value once its view (``links`` up to ``base``, nearest first) has taken
    ``value``: the values of the views in between no one holds are taken again from the base,
    then ``value`` is written back through each of them."""
    bases = [base]
    for link in reversed(links[1:]):  # from the base down to the view's own base
        above = bases[-1]
        bases.append(
            link.maps.ahead(above) if link.maps else _basic.Index.apply(above, index=link.index)
        )
    for link, above in zip(links, reversed(bases)):
        if link.index is not None:
            value = _basic.IndexPut.apply(above, value, index=link.index)
        else:
            value = name_node(link.maps.back(value), "torch::autograd::CopySlices")
            # The base's new value is its own, not a view of the view's (views taken before
            # keep their value, as add_ says).
            value.grad_fn.view_of_input, value.grad_fn.view_base = False, None
    return value
