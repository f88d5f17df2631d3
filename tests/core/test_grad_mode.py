"""Grad mode: under ``no_grad`` ops record nothing (a context manager and a decorator;
``enable_grad`` turns recording back on inside it). The mode belongs to a thread, so two
threads train independently.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts.autograd import no_grad
from tinygrad_acts.nn import functional as F


def test_no_grad_context_and_decorator():
    x = tga.tensor(1.0, requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None

    @no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert (x * 2).requires_grad
    with no_grad():
        with tga.enable_grad():
            assert (x * 2).requires_grad


def test_no_grad_and_enable_grad_decorate_without_parentheses():
    @tga.no_grad
    def doubled(x):
        return x * 2

    x = tga.tensor([1.0], requires_grad=True)
    assert not doubled(x).requires_grad and doubled.__name__ == "doubled"
    with tga.no_grad():

        @tga.enable_grad
        def tripled(x):
            return x * 3

        assert tripled(x).requires_grad


def test_no_grad_is_per_thread():
    x = tga.tensor(1.0, requires_grad=True)
    inside = threading.Event()
    done = threading.Event()
    seen = {}

    def other():
        inside.wait()
        seen["other"] = (x * 2).requires_grad  # main thread is inside no_grad now
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with no_grad():
        inside.set()
        done.wait(5)
        seen["main"] = (x * 2).requires_grad
    t.join()
    assert seen == {"other": True, "main": False}


def test_two_threads_train_independently():
    """Each thread's result equals the same training run alone."""

    def train(seed, out, key, no_grad_noise=False):
        rng = np.random.default_rng(seed)
        w = tga.tensor(rng.standard_normal((4, 1)), requires_grad=True)
        x = tga.tensor(rng.standard_normal((16, 4)))
        target = tga.tensor(rng.standard_normal((16, 1)))
        for _ in range(200):
            if no_grad_noise:
                with tga.no_grad():  # toggling grad mode here must not affect the other thread
                    _ = w * 2
            loss = ((F.tanh(x @ w) - target) ** 2).mean()
            loss.backward()
            w = tga.tensor(w.array - 0.1 * w.grad.array, requires_grad=True)
        out[key] = w.array.copy()

    alone = {}
    train(1, alone, "a")
    train(2, alone, "b")
    both = {}
    threads = [
        threading.Thread(target=train, args=(1, both, "a", True)),
        threading.Thread(target=train, args=(2, both, "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert np.array_equal(alone["a"], both["a"]) and np.array_equal(alone["b"], both["b"])


def test_a_scope_name_must_be_a_string_where_it_is_given():
    with pytest.raises(TypeError, match="scope\\(\\) takes a str as its name, got int"):
        tga.autograd.scope(123)
