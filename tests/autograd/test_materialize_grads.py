"""``ctx.set_materialize_grads(False)``: an output that got no gradient in a backward pass
reaches ``backward`` as None, not as zeros — for each of several outputs, in each pass."""

from __future__ import annotations

from run_on_both import outcome


def two_outputs(T, seen, materialize):
    class Two(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(materialize)
            return x.clone(), x * 2, x.sum()

        @staticmethod
        def backward(ctx, g1, g2, g3):
            seen.append(tuple(None if g is None else g.tolist() for g in (g1, g2, g3)))
            total = T.zeros(2)
            if g1 is not None:
                total = total + g1
            if g2 is not None:
                total = total + 2 * g2
            if g3 is not None:
                total = total + g3
            return total

    return Two


def test_outputs_without_a_gradient_reach_backward_as_none(torch):
    def run(T):
        seen = []
        x = T.tensor([1.0, 2.0], requires_grad=True)
        a, b, c = two_outputs(T, seen, False).apply(x)
        a.sum().backward(retain_graph=True)
        (b * 0).sum().backward(retain_graph=True)  # a zero gradient is still a gradient
        (a + c).sum().backward(retain_graph=True)
        g = T.autograd.grad(b.sum() + c, x)
        return seen, x.grad, g

    assert outcome(run, tga_lib()) == outcome(run, torch)
    assert outcome(run, tga_lib())[0][0] == [[1.0, 1.0], None, None]


def test_materialized_outputs_get_zeros(torch):
    def run(T):
        seen = []
        x = T.tensor([1.0, 2.0], requires_grad=True)
        _, b, _ = two_outputs(T, seen, True).apply(x)
        b.sum().backward()
        return seen, x.grad

    assert outcome(run, tga_lib()) == outcome(run, torch)


def test_an_output_used_in_a_double_backward(torch):
    """create_graph: the first pass reaches only the first output."""

    def run(T):
        seen = []
        x = T.tensor([1.0, 2.0], requires_grad=True)
        a, _, _ = two_outputs(T, seen, False).apply(x)
        (g,) = T.autograd.grad((a * a).sum(), x, create_graph=True)
        (gg,) = T.autograd.grad(g.sum(), x)
        return seen, g, gg

    assert outcome(run, tga_lib()) == outcome(run, torch)


def tga_lib():
    import tinygrad_acts

    return tinygrad_acts


def test_a_custom_functions_node_is_of_its_own_class(torch):
    """``type(y.grad_fn).__name__`` is ``MyReLUBackward``, as in torch (a class per Function)."""

    def run(T):
        class MyReLU(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, g):
                return g

        y = MyReLU.apply(T.ones(2, requires_grad=True))
        return type(y.grad_fn).__name__, y.grad_fn.name()

    assert run(tga_lib()) == run(torch) == ("MyReLUBackward", "MyReLUBackward")
