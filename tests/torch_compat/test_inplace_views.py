"""In place on views, as torch: in place on a view of a whole tensor changes its base; on a
part of a tensor inside a graph, on a view of a leaf, on an expand that repeats elements, or on
a view taken before its base changed, it is refused; an element is a view; and
``x[index] = value`` writes in place and is recorded.
"""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga

# -- in place on views -----------------------------------------------------------------------------


_A0 = [[-1.0, 2.0], [3.0, -4.0]]


@pytest.mark.parametrize(
    "view",
    [lambda a: a[0], lambda a: a.T, lambda a: a.reshape(4), lambda a: a[:, 1:]],
    ids=["index", "T", "reshape", "slice"],
)
@pytest.mark.parametrize("inplace", ["relu", "add_"])
def test_in_place_on_a_view_of_a_leaf_refused_as_torch(view, inplace, torch):
    def call(lib):
        v = view(lib.tensor(_A0, requires_grad=True))
        return lib.nn.functional.relu(v, inplace=True) if inplace == "relu" else v.add_(1.0)

    assert_same_error(call, torch)


def _part_in_place(lib, view, change):
    a = lib.tensor(_A0, requires_grad=True)
    w = lib.tensor([0.5, -3.0], requires_grad=True)
    h = a * 2.0
    change(view(h), w)
    (h * lib.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
    grad_w = None if w.grad is None else w.grad.tolist()
    return h.tolist(), a.grad.tolist(), grad_w, h.grad_fn.name()


_PARTS = [
    lambda h: h[0],
    lambda h: h[:, 1],
    lambda h: h[:, ::2],
    lambda h: h[1:, 1:],
    lambda h: h[0:1][0],  # a part of a part no one holds
    lambda h: h.T[1],  # a part of a view of all of h
    lambda h: h.reshape(4)[1:3],
]
_CHANGES = [
    lambda v, w: v.mul_(w[0]),
    lambda v, w: v.add_(w[1] ** 2),
    lambda v, w: v.zero_(),
    lambda v, w: v.copy_(w[:1].expand(v.shape) * 4.0),
]


@pytest.mark.parametrize("view", _PARTS)
@pytest.mark.parametrize("change", _CHANGES)
def test_in_place_on_a_part_of_a_tensor_inside_a_graph_as_torch(view, change, torch):
    """torch writes into the part of the base and rewrites the base's history (CopySlices):
    the base takes the new values and each input its gradient through them, here as there."""
    assert _part_in_place(tga, view, change) == _part_in_place(torch, view, change)


def _accumulate_into_zeros(lib):
    """The loop of a learner's first hand-written layer: out starts as plain zeros."""
    w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = lib.zeros(3)
    for i in range(3):
        out[i] += w[i] * i
    m = lib.zeros(2, 3)
    m[0][1] += w[2] * 5
    row = m[1]
    row += w
    m[:, 2].mul_(w[0])
    loss = (out * out).sum() + (m * m).sum()
    loss.backward()
    return out.tolist(), m.tolist(), w.grad.tolist(), repr(out), m._version


def test_in_place_on_a_part_of_plain_zeros_with_a_tensor_that_requires_grad_as_torch(torch):
    """Zeros that need no gradient, written into with tensors that do: they join the graph,
    and print and count versions as torch's."""
    assert _accumulate_into_zeros(tga) == _accumulate_into_zeros(torch)


def test_in_place_on_a_part_of_an_expand_refused_here():
    """An expand repeats its base's elements: torch writes a row of it back into the base;
    here a part of an expand has no way back, and the write is refused, never lost."""
    h = tga.tensor([1.0, 2.0], requires_grad=True) * 1.0
    with pytest.raises(RuntimeError, match="recorded on a view of another tensor"):
        h.expand(3, 2)[0].mul_(2.0)
    assert h.tolist() == [1.0, 2.0]


def _whole_view_in_place(lib, view):
    a = lib.tensor(_A0, requires_grad=True)
    h = a * 2.0
    v = view(h)
    v.mul_(3.0)  # (neither saves what the next changes: torch's version check stays quiet)
    v.add_(-2.0)
    w = view(h * 1.0)
    lib.nn.functional.relu(w, inplace=True)
    (h * h).sum().backward()
    return h.tolist(), v.tolist(), a.grad.tolist()


@pytest.mark.parametrize(
    "view",
    [
        lambda h: h.T,
        lambda h: h.reshape(4),
        lambda h: h.transpose(0, 1),
        lambda h: h.permute(1, 0),
        lambda h: h.unsqueeze(0),
        lambda h: h.reshape(4).reshape(2, 2).T,  # through views no one holds
        lambda h: h.flatten(),
    ],
)
def test_in_place_on_a_view_of_a_whole_tensor_changes_the_base_as_torch(view, torch):
    """A view of all of its base (reshape, transpose, permute): the base takes the new value
    and its gradient, as torch's rewritten history gives."""
    assert _whole_view_in_place(tga, view) == _whole_view_in_place(torch, view)


def test_flatten_then_an_in_place_relu_trains_as_torch(torch):
    """nn.Flatten() then nn.ReLU(inplace=True): a view of a tensor no one holds any more."""
    rng = np.random.default_rng(0)
    w, b, x = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal((2, 3))
    grads = []
    for lib in (tga, torch):
        linear = lib.nn.Linear(3, 4).double()
        for p, value in ((linear.weight, w), (linear.bias, b)):
            p.data[...] = value if lib is tga else torch.tensor(value)
        model = lib.nn.Sequential(linear, lib.nn.Flatten(), lib.nn.ReLU(inplace=True))
        model(lib.tensor(x)).sum().backward()
        grads.append(np.asarray(linear.weight.grad.tolist()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_in_place_on_a_copy_made_by_index_arrays_is_recorded(torch):
    """Index arrays copy (in torch too): in place on the copy is an ordinary recorded op."""
    results = []
    for lib in (tga, torch):
        a = lib.tensor(_A0, requires_grad=True)
        h = a * 1.0
        c = lib.nn.functional.relu(h[[1, 0]], inplace=True)
        (c * c).sum().backward()
        results.append((h.tolist(), c.tolist(), a.grad.tolist()))
    assert results[0] == results[1]
    assert results[0][2] == [[0.0, 4.0], [6.0, 0.0]]  # 2·relu(h) where h > 0


def test_in_place_on_a_view_without_grad_writes_into_the_base(torch):
    for lib in (tga, torch):
        a = lib.tensor(_A0, requires_grad=True)
        with lib.no_grad():
            lib.nn.functional.relu(a[0], inplace=True)
            a.T[1].add_(10.0)
        assert a.tolist() == [[0.0, 12.0], [3.0, 6.0]]


def test_an_element_is_a_view_as_torch(torch):
    """x[0] of a vector is a 0-d view in torch, so x[0].mul_(5) changes x (NumPy's x[0] is a
    copy: the change was lost)."""
    for lib in (tga, torch):
        w = lib.tensor([1.0, 2.0])
        w[0].mul_(5.0)
        m = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
        m[1, 0].add_(10.0)
        assert w.tolist() == [5.0, 2.0] and m.tolist() == [[1.0, 2.0], [13.0, 4.0]]
    x = tga.tensor([1.0, 2.0], requires_grad=True)
    (x[1] * 3.0).backward()
    assert x.grad.tolist() == [0.0, 3.0]


# -- in place on an expand -------------------------------------------------------------------------


@pytest.mark.parametrize("inplace", ["relu", "add_"])
def test_in_place_on_an_expanded_tensor_refused_as_torch(inplace, torch):
    def call(lib):
        e = lib.tensor([-1.0]).expand(3)
        return lib.nn.functional.relu(e, inplace=True) if inplace == "relu" else e.add_(1.0)

    assert_same_error(call, torch)


def test_in_place_on_an_expand_that_repeats_nothing_as_torch(torch):
    """expand to the same shape or with new axes of 1 repeats no element: it may change in
    place, and its base sees it; an expand to no elements is a no-op."""
    for lib in (tga, torch):
        t = lib.tensor([[1.0, 2.0]])
        t.expand(1, 2).add_(1.0)
        t.expand(1, 1, 2).mul_(2.0)
        empty = lib.zeros(3, 1).expand(3, 0)
        empty.add_(1.0)
        assert t.tolist() == [[4.0, 6.0]] and list(empty.shape) == [3, 0]


def test_in_place_on_an_expand_of_a_held_tensor_that_repeats_nothing_as_torch(torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        a = x * 1.0
        a.expand(1, 3).mul_(2.0)
        a.expand(1, 1, 3).add_(1.0)
        a.sum().backward()
        results.append((a.tolist(), x.grad.tolist()))
    assert results[0] == results[1] == ([[3.0, 5.0, 7.0]], [[2.0, 2.0, 2.0]])


# -- views of a base that changed, and views changed one after another -----------------------------


_X = [[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]


_W = [[0.5, 1.5, -2.0], [3.0, 0.25, -1.0]]


def _through_base(lib):
    a = lib.tensor(_X, requires_grad=True)
    h = a * 1.0
    v = h.view(6)
    h.mul_(2.0)
    v.add_(1.0)
    return v


def _through_sibling(lib):
    a = lib.tensor(_X, requires_grad=True)
    h = a * 1.0
    v1, v2 = h.reshape(6), h.T
    v1.mul_(2.0)
    v2.add_(1.0)
    return h


def _without_grad(lib):
    a = lib.tensor(_X, requires_grad=True)
    h = a * 1.0
    v = h.T
    h.mul_(2.0)
    with lib.no_grad():
        v.zero_()
    return h


def _parts_of_one_base(lib):
    a = lib.tensor(_X, requires_grad=True)
    h = a * 1.0
    first, second, column = h[0], h[1:], h[:, 1]
    h.mul_(lib.tensor(_W))
    first.add_(1.0)
    return h + second.sum() + column.sum()


def _relu_then_a_kept_slice(lib):
    a = lib.tensor(_X, requires_grad=True)
    h = a * lib.tensor(_W)
    kept = h[:, :2]
    lib.nn.functional.relu(h, inplace=True)
    return kept * 3.0 + h.sum()


@pytest.mark.parametrize(
    "case",
    [_through_base, _through_sibling, _without_grad, _parts_of_one_base, _relu_then_a_kept_slice],
)
def test_a_view_taken_before_its_base_changed_sees_the_change_as_torch(case, torch):
    """torch's views share their base's memory: they see a change of the base made after them,
    and their gradient flows through it. Here the base takes a new value out of place, and each
    view someone holds is taken again from it — the same values and gradients."""

    def run(lib):
        out = case(lib)
        (out * out).sum().backward()
        return out.tolist(), [leaf.grad.tolist() for leaf in _leaves(out)]

    assert run(tga) == run(torch)


def _leaves(t):
    """The leaves that require grad behind t, in the order of a walk of its graph."""
    found, stack, seen, kept = [], [t.grad_fn], set(), []
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        kept.append(node)  # alive, so that no other node takes its id
        if hasattr(node, "variable"):
            found.append(node.variable)
        stack.extend(n for n, _ in node.next_functions)
    return found


@pytest.mark.parametrize(
    "ops",
    [
        lambda a: (a.T.mul_(2.0), None),
        lambda a: (a.reshape(6).reshape(3, 2).mul_(2.0), None),
        lambda a: (lambda b: (b.reshape(3, 2).mul_(2.0), b.add_(1.0)))(a.reshape(6)),
    ],
)
def test_views_in_place_one_after_another_as_torch(ops, torch):
    results = []
    for lib in (tga, torch):
        x = lib.tensor(_X, requires_grad=True)
        a = x * 1.0
        ops(a)
        (a * lib.tensor(_W)).sum().backward()
        results.append((a.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


# -- item assignment: x[index] = value -------------------------------------------------------------


def _set_numbers(lib):
    a = lib.tensor([1.0, 2.0, 3.0])
    a[0] = 5.0
    a[1:] = lib.tensor([7.0, 8.0])
    a[[0, 2]] = lib.tensor([9.0, 6.0])
    i = lib.tensor([1, 2, 3])
    i[0] = 2.7  # truncated into the integers
    return a.tolist(), i.tolist()


def _set_in_a_graph(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = lib.tensor([10.0, 20.0], requires_grad=True)
    h = x * 2
    h[0] = w * 3
    h[:, 1] = 0.5
    h[1, 0] = h[0, 0] * 2
    (h * lib.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return h.tolist(), x.grad.tolist(), w.grad.tolist()


def _set_into_constants(lib):
    z = lib.zeros(2, 3)
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    z[0] = x
    (z * z).sum().backward()
    return z.tolist(), x.grad.tolist(), z.requires_grad


def _set_without_grad(lib):
    x = lib.tensor([1.0, 2.0, 3.0])
    with lib.no_grad():
        x[2] += 1
        x[0:2] *= 2
    return x.tolist()


@pytest.mark.parametrize(
    "case", [_set_numbers, _set_in_a_graph, _set_into_constants, _set_without_grad]
)
def test_item_assignment_as_torch(case, torch):
    """x[index] = value: written in place; in a graph recorded (IndexPut), the overwritten
    places get no gradient and value gets theirs; x[i] += 1 without grad works."""
    assert case(tga) == case(torch)


def test_item_assignment_mistakes_as_torch(torch):
    leaf = lambda lib: lib.tensor([1.0, 2.0], requires_grad=True)  # noqa: E731
    assert_same_error(lambda lib: leaf(lib).__setitem__(0, 5.0), torch)
    assert_same_error(lambda lib: lib.tensor([1.0, 2.0]).__setitem__(5, 1.0), torch, IndexError)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        tga.tensor([1.0, 2.0])[0] = tga.tensor([1.0, 2.0])


def test_item_assignment_second_derivative():
    x = tga.tensor([0.5, -1.0, 2.0], dtype=tga.float64, requires_grad=True)

    def f(t):
        h = t * t
        h[1] = t[0] * t[2] * 3.0
        return h

    assert tga.autograd.gradcheck(f, [x]) and tga.autograd.gradgradcheck(f, [x])


def _expand_then_base_changes(lib):
    h = lib.ones(3, requires_grad=True) * 1.0
    e = h.expand(2, 3)
    h.mul_(3.0)
    return e


def _index_with_a_zero_dim_tensor(lib):
    h = lib.arange(4.0, requires_grad=True) * 1.0
    h[lib.tensor(1)].mul_(5.0)
    return h


def _multiply_then_add_in_place(lib):
    h = lib.arange(3.0, requires_grad=True) * 1.0
    h.mul_(lib.tensor([2.0, 3.0, 4.0], requires_grad=True))
    h.add_(1.0)
    return h


def _square_a_part_then_scale_the_whole(lib):
    h = lib.arange(3.0, requires_grad=True) * 1.0
    v, u = h[:2], h[2:]
    v.pow_(2.0)
    u.mul_(2.0)
    h.mul_(2.0)
    return h


@pytest.mark.parametrize(
    "case",
    [
        _expand_then_base_changes,
        _index_with_a_zero_dim_tensor,
        _multiply_then_add_in_place,
        _square_a_part_then_scale_the_whole,
    ],
)
def test_more_in_place_patterns_as_torch(case, torch):
    def run(lib):
        out = case(lib)
        (out * out).sum().backward()
        return out.tolist(), [leaf.grad.tolist() for leaf in _leaves(out)]

    assert run(tga) == run(torch)


def test_retain_grad_on_a_view_follows_it_when_its_base_changes_as_torch(torch):
    def run(lib):
        x = lib.arange(4.0, requires_grad=True)
        h = x * 1.0
        v = h[1:3]
        v.retain_grad()
        h.mul_(3.0)
        (v * v).sum().backward()
        return v.grad.tolist(), x.grad.tolist()

    assert run(tga) == run(torch)


def test_a_view_made_under_no_grad_changed_in_grad_mode_is_refused_as_torch(torch):
    def call(lib):
        h = lib.arange(4.0, requires_grad=True) * 1.0
        with lib.no_grad():
            v = h[1:3]
        v.mul_(2.0)

    assert_same_error(call, torch)


def test_a_row_view_changed_in_place_leaves_its_siblings_alone_and_fresh():
    """Rows apart from the one changed keep their graph (the same gradient), and are taken
    again from the base only when they change in place themselves: a loop over n held rows
    costs n small steps, not n² (the rows never taken again keep their node)."""
    w = tga.ones(50, requires_grad=True)
    out = w * 0.0
    rows = [out[i] for i in range(50)]
    for i in range(50):
        rows[i].add_(w[i] * 2.0)
    out.sum().backward()
    assert out.tolist() == [2.0] * 50 and w.grad.tolist() == [2.0] * 50
    assert rows[10].tolist() == 2.0 and rows[10]._version == out._version


def test_a_view_made_under_no_grad_sees_its_base_change_as_torch(torch):
    def run(lib):
        h = lib.arange(4.0, requires_grad=True) * 1.0
        with lib.no_grad():
            v = h[1:3]
        h.mul_(2.0)
        with lib.no_grad():
            return v.tolist()

    assert run(tga) == run(torch) == [2.0, 4.0]


def test_a_diagonal_is_a_view_written_and_seen_as_torch(torch):
    """``A.diagonal().add_(λ)`` regularizes A in place, as in torch; a diagonal taken before A
    changed sees the change."""

    def run(lib):
        a = lib.arange(9.0, requires_grad=True)
        h = a.reshape(3, 3) * 1.0
        h.diagonal().add_(10.0)
        above = h.diagonal(1)
        h.mul_(2.0)
        b = lib.zeros(2, 3, 3)
        b.diagonal(0, 1, 2).fill_(1.0)
        (h * h).sum().backward()
        return h.tolist(), above.tolist(), b.tolist(), a.grad.tolist()

    assert run(tga) == run(torch)


def test_detach_and_data_see_a_recorded_change_and_write_through_as_torch(torch):
    """``detach()`` and ``.data`` share the tensor's memory in torch: they see a change made
    after them, also one recorded in the graph, and a write through them reaches the tensor."""

    def run(lib):
        h = lib.arange(4.0, requires_grad=True) * 1.0
        d, data = h.detach(), h.data
        h.add_(1.0)
        seen = (d.tolist(), data.tolist())
        d.add_(100.0)
        return seen, h.tolist(), d._version == h._version

    assert run(tga) == run(torch)
