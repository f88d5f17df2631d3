"""Memory: training leaves nothing behind, and a graph nobody holds is freed at once.

The library builds no reference cycles (a node holds its inputs, never its output), so
reference counting alone frees every graph: these tests switch the garbage collector off, and
any cycle created per step would then pile up and show.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts import autograd, fn, nn, optim


@contextmanager
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def mlp(seed: int) -> nn.Module:
    nn.functional.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))


def test_training_steps_keep_memory_flat():
    """3,000 SGD steps of a small MLP with the collector off: after 1,000 steps of warm-up
    (NumPy's and the interpreter's caches), neither the memory allocated (arrays and objects,
    traced by ``tracemalloc``, to the byte) nor the number of live objects grows. Leaking one
    one-element array per step would add ~250 kB; one small object, 2,000 objects.

    (Not the resident memory: the allocator serves a leak from memory it already holds, and
    moves once by megabytes when earlier tests left its heap in another state.)"""
    rng = np.random.default_rng(0)
    x = tga.tensor(rng.standard_normal((8, 4)).astype(np.float32))
    y = tga.tensor(rng.standard_normal((8, 1)).astype(np.float32))
    model = mlp(0)
    loss_fn = nn.MSELoss()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    losses = []
    tracemalloc.start()
    try:
        with collector_off():
            for step in range(3_000):
                opt.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()
                if step == 1_000:
                    memory_before = tracemalloc.get_traced_memory()[0]
                    objects_before = len(gc.get_objects())
                if step % 500 == 0:
                    losses.append(loss.item())
            growth = tracemalloc.get_traced_memory()[0] - memory_before
            new_objects = len(gc.get_objects()) - objects_before
    finally:
        tracemalloc.stop()
    assert losses[-1] < 0.5 * losses[0]  # it did train
    assert new_objects < 10, f"{new_objects} objects were left behind over 2,000 steps"
    assert growth < 10_000, f"{growth:,} bytes more were allocated after 2,000 steps"


def test_no_cycles_memory_stays_flat_without_gc():
    """Forward+backward steps with the collector off: nothing is left behind.

    The first 2,000 steps warm up caches (NumPy's, the interpreter's); over the next 1,000,
    any per-step leak of even one small object would stay allocated and show.
    """
    import tracemalloc

    w = tga.tensor(np.random.default_rng(0).standard_normal((32, 32)), requires_grad=True)
    x = tga.tensor(np.ones((8, 32)))
    gc.collect()
    gc.disable()
    try:
        for step in range(3000):
            if step == 2000:  # warmed up: from here on, every allocation that stays is counted
                objects = len(gc.get_objects())
                tracemalloc.start()
            y = ((x @ w).exp() * 0.001).sum()
            y.backward()
            w.grad = None
        grown = tracemalloc.get_traced_memory()[0]
        new_objects = len(gc.get_objects()) - objects
        tracemalloc.stop()
    finally:
        gc.enable()
    assert grown < 20_000, f"{grown} bytes stayed allocated over 1,000 steps"  # < 20 B a step
    assert new_objects < 50, f"{new_objects} objects were left behind over 1,000 steps"


def test_graph_is_freed_when_unreferenced():
    x = tga.tensor(np.ones(5), requires_grad=True)
    y = (x * 2).exp()
    ref = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert ref() is None  # by reference counting alone: no cycles
    finally:
        gc.enable()


def test_a_training_graph_no_longer_referenced_is_freed_at_once():
    model = mlp(1)
    x = tga.tensor(np.ones((3, 4), dtype=np.float32))
    with collector_off():
        hidden = model[1](model[0](x))
        loss = nn.MSELoss()(model[2](hidden), tga.zeros(3, 1))
        graph, hidden_ref = weakref.ref(loss.grad_fn), weakref.ref(hidden.array)
        del hidden
        assert hidden_ref() is not None  # the graph still holds its array (saved for tanh')
        del loss
        assert graph() is None and hidden_ref() is None


def test_backward_frees_what_the_graph_saved():
    """After backward (without retain_graph) the saved activations go, though the loss stays."""
    model = mlp(2)
    with collector_off():
        hidden = model[1](model[0](tga.tensor(np.ones((3, 4), dtype=np.float32))))
        loss = model[2](hidden).sum()
        hidden_ref = weakref.ref(hidden.array)
        del hidden
        assert hidden_ref() is not None  # saved for the next layer's backward
        loss.backward()
        assert hidden_ref() is None
        assert loss.grad_fn is not None  # the node is still there, emptied


def test_second_order_graph_is_freed_too():
    x = tga.tensor(np.linspace(-1, 1, 5), requires_grad=True)
    with collector_off():
        y = fn.random(2, seed=3)(x)
        (g,) = autograd.grad(y.sum(), x, create_graph=True)
        refs = [weakref.ref(y.grad_fn), weakref.ref(g.grad_fn)]
        (gg,) = autograd.grad(g.sum(), x)
        del y, g
        assert all(r() is None for r in refs)
        assert gg.grad_fn is None


def test_adam_state_does_not_grow():
    model = mlp(3)
    opt = optim.Adam(model.parameters(), lr=1e-3)
    x = tga.tensor(np.ones((2, 4), dtype=np.float32))
    sizes = []
    for _ in range(3):
        opt.zero_grad()
        model(x).sum().backward()
        opt.step()
        sizes.append(
            sum(
                v.array.nbytes
                for s in opt.state.values()
                for v in s.values()
                if isinstance(v, tga.Tensor)
            )
        )
    assert sizes[0] == sizes[1] == sizes[2] > 0
