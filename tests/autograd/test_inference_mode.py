"""``inference_mode``: torch's faster ``no_grad``; here grad mode off, with its own flag."""

from __future__ import annotations

import threading

from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts.autograd import inference_mode
from tinygrad_acts.autograd.grad_mode import is_inference_mode_enabled


def modes(lib):
    """(grad mode, inference mode) now."""
    enabled = lib.is_inference_mode_enabled if lib is not tga else is_inference_mode_enabled
    return lib.is_grad_enabled(), enabled()


def test_inference_mode_nested_with_grad_modes_as_torch(torch):
    def run(lib):
        seen = [modes(lib)]
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.autograd.inference_mode():
            seen.append(modes(lib))
            y = x * 2
            with lib.autograd.inference_mode(False):  # off again, and grad mode on
                seen.append(modes(lib))
            seen.append(modes(lib))
        seen.append(modes(lib))
        with lib.no_grad():
            with lib.autograd.inference_mode(False):
                seen.append(modes(lib))
            seen.append(modes(lib))
        return seen, y.requires_grad, y.grad_fn is None

    assert outcome(run, tga) == outcome(run, torch)


def test_inference_mode_as_a_decorator_with_or_without_parentheses(torch):
    def run(lib):
        @lib.autograd.inference_mode
        def bare():
            return modes(lib)

        @lib.autograd.inference_mode()
        def called():
            return modes(lib)

        @lib.autograd.inference_mode(False)
        def off():
            return modes(lib)

        return bare(), called(), off(), modes(lib), bare.__name__

    assert outcome(run, tga) == outcome(run, torch)


def test_inference_mode_restores_the_modes_after_an_error():
    try:
        with inference_mode():
            raise ValueError("inside")
    except ValueError:
        pass
    assert modes(tga) == (True, False)


def test_inference_mode_is_per_thread():
    seen = []
    with inference_mode():
        thread = threading.Thread(target=lambda: seen.append(modes(tga)))
        thread.start()
        thread.join()
        seen.append(modes(tga))
    assert seen == [(True, False), (False, True)]
