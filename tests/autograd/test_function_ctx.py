"""What a custom Function's ``forward`` and ``backward`` see and return, and the mistakes torch
names: each behaviour run the same way on tinygrad_acts and on torch.
"""

from __future__ import annotations

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga


def function(lib, forward, backward=None):
    """A custom Function of ``lib`` with these static methods."""
    body = {"forward": staticmethod(forward)}
    if backward is not None:
        body["backward"] = staticmethod(backward)
    return type("MyOp", (lib.autograd.Function,), body)


def leaf(lib, values=(1.0, 2.0, 3.0)):
    return lib.tensor(list(values), requires_grad=True)


# -- forward: the caller's Tensors, grad mode off ------------------------------------------------


def test_forward_gets_the_callers_tensors_with_grad_mode_off(torch):
    def run(lib):
        seen = {}

        def forward(ctx, x, k):
            seen.update(
                same=x is given, grad_mode=lib.is_grad_enabled(), needs=ctx.needs_input_grad
            )
            ctx.k = k
            return x * k

        def backward(ctx, g):
            seen["k"] = ctx.k
            return g * ctx.k, None

        given = leaf(lib)
        y = function(lib, forward, backward).apply(given, 3.0)
        y.sum().backward()
        return seen, y.requires_grad, given.grad

    assert outcome(run, tga) == outcome(run, torch)


def test_needs_input_grad_is_known_in_forward_even_without_grad_mode(torch):
    def run(lib):
        seen = []

        def forward(ctx, a, b, c):
            seen.append(ctx.needs_input_grad)
            return a * 2

        op = function(lib, forward, lambda ctx, g: (g, None, None))
        op.apply(leaf(lib), lib.ones(3), 5)
        with lib.no_grad():
            y = op.apply(leaf(lib), lib.ones(3), 5)
        return seen, y.requires_grad, y.grad_fn is None

    assert outcome(run, tga) == outcome(run, torch)


def test_keyword_arguments_reach_forward(torch):
    def forward(ctx, x, k=2.0):
        return x * k

    def run(lib):
        op = function(lib, forward, lambda ctx, g: (g, None))
        return op.apply(leaf(lib), k=4.0), op.apply(leaf(lib))

    assert outcome(run, tga) == outcome(run, torch)


def test_the_output_is_the_tensor_forward_returned_and_an_input_is_not(torch):
    def run(lib):
        made = []

        def forward(ctx, x, same):
            made.append(x * 2)
            return (made[-1], x) if same else made[-1]

        op = function(lib, forward, lambda ctx, *g: (g[0], None))
        x = leaf(lib)
        y = op.apply(x, False)
        a, b = op.apply(x, True)
        with lib.no_grad():
            _, c = op.apply(x, True)
        return [
            y is made[0],
            a is made[1],
            b is x,
            b.requires_grad,
            b.grad_fn is not None,
            c is x,
            c.requires_grad,
            b.tolist(),
        ]

    assert outcome(run, tga) == outcome(run, torch)


# -- several outputs -------------------------------------------------------------------------------


def three_outputs(lib, seen):
    """A float output, a 0-d float64 output, an int output (never differentiable) and a number."""

    def forward(ctx, x):
        return x * 2, (x.double() * 3).sum(), x.argmax(), 7

    def backward(ctx, g_double, g_sum, g_index, g_number):
        seen.append([g_double, g_sum, g_index, g_number])
        return g_double * 2 + g_sum * 3

    return function(lib, forward, backward)


@pytest.mark.parametrize("used", [(0,), (1,), (0, 1)])
def test_backward_gets_one_gradient_per_output_zeros_where_none_came(used, torch):
    def run(lib):
        seen = []
        x = leaf(lib)
        outs = three_outputs(lib, seen).apply(x)
        sum((outs[i] * (i + 1)).sum() for i in used).backward()
        flags = [getattr(o, "requires_grad", None) for o in outs]
        return seen, x.grad, flags, outs[2], outs[3]

    assert outcome(run, tga) == outcome(run, torch)


def test_several_outputs_differentiate_twice_as_torch(torch):
    def run(lib):
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x, x * x * x

        def backward(ctx, g_square, g_cube):
            (x,) = ctx.saved_tensors
            return g_square * 2 * x + g_cube * 3 * x * x

        x = lib.tensor([0.5, -2.0], dtype=lib.float64, requires_grad=True)
        square, cube = function(lib, forward, backward).apply(x)
        (g,) = lib.autograd.grad((square + 2 * cube).sum(), x, create_graph=True)
        (g2,) = lib.autograd.grad(g.sum(), x)
        return g, g2

    assert outcome(run, tga) == outcome(run, torch)


def test_a_non_differentiable_output_requires_no_grad(torch):
    def run(lib):
        seen = []

        def forward(ctx, x):
            a, b = x * 2, x * 3
            ctx.mark_non_differentiable(b)
            return a, b

        def backward(ctx, g_a, g_b):
            seen.append(g_b)
            return g_a * 2

        a, b = function(lib, forward, backward).apply(leaf(lib))
        a.sum().backward()
        return b.requires_grad, b.grad_fn is None, seen

    assert outcome(run, tga) == outcome(run, torch)
    assert_same_error(
        lambda lib: (
            function(lib, lambda ctx, x: (x * 2, _marked(ctx, x * 3)), None)
            .apply(leaf(lib))[1]
            .sum()
            .backward()
        ),
        torch,
    )


def _marked(ctx, t):
    ctx.mark_non_differentiable(t)
    return t


def test_without_materialized_grads_a_non_differentiable_output_gets_none(torch):
    def run(lib):
        seen = []

        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x.argmax()

        def backward(ctx, g, g_index):
            seen.append(g_index)
            return g

        function(lib, forward, backward).apply(leaf(lib))[0].sum().backward()
        return seen

    assert outcome(run, tga) == outcome(run, torch)


# -- in place: mark_dirty --------------------------------------------------------------------------


def _double_in_place(ctx, x):
    x.mul_(2)
    ctx.mark_dirty(x)
    return x


def test_an_input_changed_in_place_becomes_the_output(torch):
    def run(lib):
        x = leaf(lib)
        h = x * 1
        y = function(lib, _double_in_place, lambda ctx, g: g * 2).apply(h)
        y.sum().backward()
        return y is h, h.grad_fn.name(), h, x.grad

    assert outcome(run, tga) == outcome(run, torch)


def test_mark_dirty_mistakes_are_torchs(torch):
    op = lambda lib: function(lib, _double_in_place, lambda ctx, g: g * 2)  # noqa: E731
    assert_same_error(lambda lib: op(lib).apply(leaf(lib)), torch)
    not_returned = lambda lib: function(lib, lambda ctx, x: _dirty_but_new(ctx, x))  # noqa: E731
    assert_same_error(lambda lib: not_returned(lib).apply(lib.ones(2)), torch)

    def unrecorded(lib):  # without grad mode a leaf may change in place: a detached alias
        x, h, z = leaf(lib), leaf(lib) * 1, lib.ones(3)
        with lib.no_grad():
            outs = [op(lib).apply(t) for t in (x, h, z)]
        return [o is t for o, t in zip(outs, (x, h, z))], [o.requires_grad for o in outs], x

    def non_differentiable_input(lib):  # returned, marked: a detached alias
        x = leaf(lib)
        y = function(lib, lambda ctx, x: _marked(ctx, x), lambda ctx, g: g).apply(x)
        return y is x, y.requires_grad, y

    assert outcome(non_differentiable_input, tga) == outcome(non_differentiable_input, torch)

    assert outcome(unrecorded, tga) == outcome(unrecorded, torch)


def _dirty_but_new(ctx, x):
    ctx.mark_dirty(x)
    return x * 2


# -- saved tensors -------------------------------------------------------------------------------


def _saves_input(ctx, x):
    ctx.save_for_backward(x)
    return x * x


def _uses_saved(ctx, g):
    (x,) = ctx.saved_tensors
    return g * 2 * x


def test_a_saved_leaf_comes_back_as_itself(torch):
    def run(lib):
        seen = []

        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            seen.append(x is given)
            return g * 2 * x

        given = leaf(lib)
        function(lib, _saves_input, backward).apply(given).sum().backward()
        return seen

    assert outcome(run, tga) == outcome(run, torch)


def test_saved_tensors_are_freed_by_backward_as_torch(torch):
    def run(lib, retain):
        y = function(lib, _saves_input, _uses_saved).apply(leaf(lib))
        y.sum().backward(retain_graph=retain)
        return y.grad_fn.saved_tensors

    assert outcome(lambda lib: run(lib, True), tga) == outcome(lambda lib: run(lib, True), torch)
    assert_same_error(lambda lib: run(lib, False), torch)


def test_a_second_backward_through_a_custom_function_is_refused_as_torch(torch):
    def run(lib):
        y = function(lib, _saves_input, _uses_saved).apply(leaf(lib)).sum()
        y.backward()
        y.backward()

    assert_same_error(run, torch)


def test_a_saved_tensor_changed_in_place_is_refused_as_torch(torch):
    def input_changed(lib):
        w = lib.tensor([3.0, 4.0, 5.0])

        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return x * w

        def backward(ctx, g):
            x, w = ctx.saved_tensors
            return g * w, g * x

        y = function(lib, forward, backward).apply(leaf(lib), w)
        with lib.no_grad():
            w.add_(1)
        y.sum().backward()

    def output_changed(lib):
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        y = function(lib, forward, lambda ctx, g: g * ctx.saved_tensors[0]).apply(leaf(lib))
        y.add_(1)
        y.sum().backward()

    assert_same_error(input_changed, torch)
    assert_same_error(output_changed, torch)


def test_only_tensors_may_be_saved_or_marked(torch):
    def save(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 1

    def mark(ctx, x):
        ctx.mark_non_differentiable(3)
        return x * 1

    assert_same_error(lambda lib: function(lib, save).apply(leaf(lib)), torch, TypeError)
    assert_same_error(lambda lib: function(lib, mark).apply(leaf(lib)), torch)


# -- what backward returns: checked in torch's words ---------------------------------------------


def _two_inputs(ctx, x, y):
    return x * y


def returning(lib, text, y=None):
    """A backward returning ``text`` evaluated with ``g`` the gradient (``lib``, ``np``, ``y``)."""
    return lambda ctx, g: eval(text, {"lib": lib, "np": np, "g": g, "y": y})


@pytest.mark.parametrize(
    "returned",
    [
        "g",  # one gradient for two inputs
        "(g, g, g)",  # one too many, not None
        "[g, g]",  # a list is one value
        "None",
        "(g, 3.0)",  # not a Tensor
        "(g, np.ones(3))",
        "(lib.ones(()), None)",  # a shape the input does not broadcast to
        "(lib.ones(4), None)",
        "(g, lib.ones(5))",  # for a Tensor input that requires grad
    ],
)
def test_a_wrong_gradient_is_named_as_torch(returned, torch):
    def run(lib):
        op = function(lib, _two_inputs, returning(lib, returned))
        op.apply(leaf(lib), leaf(lib, (4.0, 5.0, 6.0))).sum().backward()

    assert_same_error(run, torch)


def test_a_gradient_for_an_argument_that_is_no_tensor_is_refused_as_torch(torch):
    def run(lib):
        op = function(lib, _two_inputs, lambda ctx, g: (g, g))
        op.apply(leaf(lib), 2).sum().backward()

    assert_same_error(run, torch)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize(
    "returned",
    [
        "(g * y, lib.ones(5))",  # y needs no gradient: whatever comes back for it is ignored
        "(lib.ones(2, 3), None)",  # broadcast: summed back to x's shape
        "(lib.ones(3, dtype=lib.int64), None)",  # another dtype: cast to x's
        "(lib.ones(3, dtype=lib.float64), None, None)",  # trailing Nones are dropped
    ],
)
def test_a_gradient_torch_accepts_is_conformed_as_torch(returned, create_graph, torch):
    def run(lib):
        x, y = leaf(lib), lib.tensor([4.0, 5.0, 6.0])
        op = function(lib, _two_inputs, returning(lib, returned, y))
        return lib.autograd.grad(op.apply(x, y).sum(), x, create_graph=create_graph)

    assert outcome(run, tga) == outcome(run, torch)


def test_a_function_without_forward_or_backward_is_refused_as_torch(torch):
    class NoForward(tga.autograd.Function):
        pass

    class TorchNoForward(torch.autograd.Function):
        pass

    ops = {tga: NoForward, torch: TorchNoForward}
    assert_same_error(lambda lib: ops[lib].apply(leaf(lib)), torch, NotImplementedError)
    assert_same_error(
        lambda lib: function(lib, _two_inputs).apply(leaf(lib), leaf(lib)).sum().backward(),
        torch,
        NotImplementedError,
    )


def test_a_gradient_flows_into_a_non_leaf_input_and_on(torch):
    def run(lib):
        x = leaf(lib)
        h = x * x
        y = function(lib, _saves_input, _uses_saved).apply(h)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (g2,) = lib.autograd.grad(g.sum(), x)
        return g, g2

    assert outcome(run, tga) == outcome(run, torch)


def test_hooks_see_the_gradient_of_each_output(torch):
    def run(lib):
        seen = []
        x = leaf(lib)
        a, b = function(lib, lambda ctx, x: (x * 2, x * 3), lambda ctx, ga, gb: ga + gb).apply(x)
        a.register_hook(lambda g: seen.append(("a", g)))
        b.register_hook(lambda g: seen.append(("b", g)))
        (a * 2 + b * 5).sum().backward()
        return sorted(seen, key=lambda s: s[0]), x.grad

    assert outcome(run, tga) == outcome(run, torch)


def test_numpy_data_is_not_silently_taken():
    """Arrays passed to apply stay arrays: forward gets exactly what the caller passed."""
    seen = []

    def forward(ctx, x, a):
        seen.append(type(a))
        return x * 1

    function(tga, forward, lambda ctx, g: (g, None)).apply(leaf(tga), np.ones(3))
    assert seen == [np.ndarray]


def test_the_setup_context_style_as_torch(torch):
    """forward(*args) without ctx, and setup_context(ctx, inputs, output) fills ctx; keywords
    and defaults are bound to positions first."""

    def run(lib):
        seen = []

        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(x, k, offset=1.0):
                seen.append(lib.is_grad_enabled())
                return x * k + offset

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, k, offset = inputs
                seen.append((len(inputs), offset, output.requires_grad))
                ctx.k = k
                ctx.save_for_backward(x)

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * ctx.k * x / x, None, None

        x = leaf(lib)
        y = Scale.apply(x, k=3.0)
        y.sum().backward()
        return seen, y, x.grad, y.grad_fn.name()

    assert outcome(run, tga) == outcome(run, torch)


@pytest.mark.parametrize(
    ("shape", "grad_shape"), [((), (3,)), ((3,), ()), ((3,), (4,)), ((1, 3), (2, 3))]
)
def test_issue_20_a_gradient_of_another_shape_as_torch(shape, grad_shape, torch):
    """Issue #20 (8): a backward returning a gradient of another shape failed deep inside the
    engine. torch sums a gradient its input broadcasts to, and names any other at once."""

    def run(lib):
        x = lib.zeros(shape, requires_grad=True)
        op = function(lib, lambda ctx, x: x * 2, lambda ctx, g: lib.ones(grad_shape))
        op.apply(x).sum().backward()
        return x.grad

    assert outcome(run, tga) == outcome(run, torch)


def square_once(lib):
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    return Square.apply


@pytest.mark.parametrize("inner", [False, True])
@pytest.mark.parametrize("seed_requires_grad", [False, True])
def test_once_differentiable_as_torch(seed_requires_grad, inner, torch):
    """The backward runs without recording; differentiated again, its gradient is cut off
    from the inputs (grad says so)."""

    def run(lib):
        x = leaf(lib)
        y = square_once(lib)(x * 1 if inner else x)
        seed = lib.ones(3, requires_grad=seed_requires_grad)
        (g,) = lib.autograd.grad(y, x, grad_outputs=seed, create_graph=True)
        return g, g.requires_grad, lib.autograd.grad(g.sum(), x)

    assert outcome(run, tga) == outcome(run, torch)


def test_once_differentiable_refuses_a_second_backward_as_torch(torch):
    def backward_twice(lib):
        x = leaf(lib)
        seed = lib.ones(3, requires_grad=True)
        (g,) = lib.autograd.grad(square_once(lib)(x), x, grad_outputs=seed, create_graph=True)
        g.sum().backward()

    assert_same_error(backward_twice, torch)
