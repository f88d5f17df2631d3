"""Module hooks behave as torch's: the same calls, in the same order, with the same values.

Each scenario is run once with torch and once with tinygrad_acts; it writes what its hooks saw
into a log, and the two logs must agree (tensors compared as rounded lists).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_acts as tga


def _plain(value):
    """Tensors as nested lists rounded past float32's last bits (None, numbers as they are)."""
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(v) for v in value)
    if hasattr(value, "detach"):
        return np.round(np.array(value.detach().tolist(), dtype=float), 5).tolist()
    return value


def _same(torch, scenario):
    logs = []
    for lib in (torch, tga):
        lib.manual_seed(0)
        log: list = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario(lib, log)
        logs.append(_plain(log))
    assert logs[1] == logs[0]


def capture_activations(lib, log):
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))
    seen = {}
    for name, layer in model.named_children():
        layer.register_forward_hook(lambda m, i, o, name=name: seen.__setitem__(name, o.detach()))
    model(lib.ones(2, 3))
    log += [[k, v] for k, v in seen.items()]


def gradient_norms(lib, log):
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 1))
    for name, layer in model.named_children():
        layer.register_full_backward_hook(
            lambda m, gi, go, name=name: log.append(
                [name, [None if g is None else g.norm() for g in gi], [g.norm() for g in go]]
            )
        )
    x = lib.linspace(-1, 1, 6).reshape(2, 3).requires_grad_()
    model(x).sum().backward()
    log.append(x.grad)


def call_order_and_replacement(lib, log):
    lin = lib.nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda m, args: log.append(["pre", args]))
    lin.register_forward_pre_hook(lambda m, args: args[0] * 2)  # a non-tuple: wrapped
    lin.register_forward_pre_hook(lambda m, args: log.append(["pre first"]), prepend=True)
    lin.register_forward_hook(lambda m, args, out: log.append(["fwd", args, out]))
    lin.register_forward_hook(lambda m, args, out: out + 100)
    handle = lin.register_forward_hook(lambda m, args, out: log.append("removed"))
    handle.remove()
    handle.remove()  # twice is harmless
    with lin.register_forward_hook(lambda m, args, out: log.append("in with")):
        log.append(lin(lib.ones(1, 2)))
    log.append(lin(lib.ones(1, 2)))


def keyword_hooks(lib, log):
    class Scale(lib.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    m.register_forward_pre_hook(
        lambda mod, args, kwargs: (args, {**kwargs, "factor": 3.0}), with_kwargs=True
    )
    m.register_forward_hook(
        lambda mod, args, kwargs, out: log.append([kwargs["factor"], out]), with_kwargs=True
    )
    log.append(m(lib.ones(2), factor=2.0))


def always_call(lib, log):
    class Broken(lib.nn.Module):
        def forward(self, x):
            raise ValueError("broken forward")

    m = Broken()
    m.register_forward_hook(lambda mod, args, out: log.append(["always", out]), always_call=True)
    m.register_forward_hook(lambda mod, args, out: log.append("not always"))
    try:
        m(lib.ones(1))
    except ValueError as e:
        log.append(str(e))


def backward_pre_hook_replaces_grad_output(lib, log):
    lin = lib.nn.Linear(2, 1)
    lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 10,))
    lin.register_full_backward_hook(lambda m, gi, go: log.append(["hook", gi, go]))
    x = lib.ones(3, 2, requires_grad=True)
    lin(x).sum().backward()
    log += [x.grad, lin.weight.grad]


def backward_hook_replaces_grad_input(lib, log):
    relu = lib.nn.ReLU()
    relu.register_full_backward_hook(lambda m, gi, go: (gi[0] + 7,))
    x = lib.tensor([1.0, -1.0, 2.0], requires_grad=True)
    (relu(x) * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
    log.append(x.grad)


def several_inputs_and_outputs(lib, log):
    class Two(lib.nn.Module):
        def forward(self, a, b, k=3):
            return a * b, a + 1, 5

    m = Two()
    m.register_full_backward_pre_hook(lambda mod, go: log.append(["pre", go]))
    m.register_full_backward_hook(lambda mod, gi, go: log.append(["hook", gi, go]))
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    x, _unused, z = m(a, lib.tensor([3.0, 4.0]), k=2)
    x.sum().backward()
    log += [a.grad, z]


def no_input_needs_a_gradient(lib, log):
    lin = lib.nn.Linear(2, 1)
    lin.register_full_backward_hook(lambda m, gi, go: log.append(["hook", gi, go]))
    lin(lib.ones(1, 2)).sum().backward()
    log.append(lin.bias.grad)


def deprecated_hook_on_one_op(lib, log):
    relu = lib.nn.ReLU()
    relu.register_backward_hook(lambda m, gi, go: log.append(["old", gi, go]))
    x = lib.tensor([1.0, -1.0], requires_grad=True)
    relu(x).sum().backward()


def global_hooks(lib, log):
    hooks = lib.nn.modules.module
    model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Sigmoid())
    own = model[1].register_forward_hook(lambda m, i, o: log.append("own"))
    with hooks.register_module_forward_hook(lambda m, i, o: log.append(type(m).__name__)):
        with hooks.register_module_forward_pre_hook(lambda m, i: log.append("pre")):
            model(lib.ones(1, 2))
    own.remove()
    model(lib.ones(1, 2))
    log.append("after")


SCENARIOS = [
    capture_activations,
    gradient_norms,
    call_order_and_replacement,
    keyword_hooks,
    always_call,
    backward_pre_hook_replaces_grad_output,
    backward_hook_replaces_grad_input,
    several_inputs_and_outputs,
    no_input_needs_a_gradient,
    deprecated_hook_on_one_op,
    global_hooks,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_hooks_see_and_do_what_torchs_do(torch, scenario):
    _same(torch, scenario)


def test_errors_are_torchs(torch):
    for lib in (torch, tga):
        lin = lib.nn.Linear(2, 1)
        lin.register_full_backward_hook(lambda m, gi, go: None)
        with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks"):
            lin.register_backward_hook(lambda m, gi, go: None)
        lin.register_forward_pre_hook(lambda m, a, k: 1, with_kwargs=True)
        with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple"):
            lin(lib.ones(1, 2))
        relu = lib.nn.ReLU()
        relu.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but"):
            relu(lib.ones(2, requires_grad=True)).sum().backward()


def test_the_deprecated_hook_refuses_a_module_of_several_inputs_to_one_op():
    """torch would show the last op's gradients (Linear's: bias, input, weight); refused."""
    lin = tga.nn.Linear(2, 1)
    lin.register_backward_hook(lambda m, gi, go: None)
    with pytest.raises(NotImplementedError, match="register_full_backward_hook"):
        lin(tga.ones(1, 2, requires_grad=True))


def test_a_module_without_hooks_takes_the_plain_path():
    lin = tga.nn.Linear(2, 2)
    assert lin._hooks is None
    lin.register_forward_hook(lambda m, i, o: None).remove()
    assert lin(tga.ones(1, 2)).shape == (1, 2)


BAD_RETURNS = {
    "a larger grad_input": lambda m: m.register_full_backward_hook(
        lambda mod, gi, go: (mod.make(3),)
    ),
    "a larger grad_output": lambda m: m.register_full_backward_pre_hook(
        lambda mod, go: (mod.make(2),)
    ),
    "a grad_input of another dtype": lambda m: m.register_full_backward_hook(
        lambda mod, gi, go: (mod.make(1, "float64"),)
    ),
}


@pytest.mark.parametrize("register", BAD_RETURNS.values(), ids=BAD_RETURNS)
def test_a_backward_hook_may_not_change_a_gradient_s_size_or_type(register, torch):
    """A module's backward hook returning a gradient of another shape or dtype is torch's
    error, not a gradient summed or cast into place."""

    def run(lib):
        layer = lib.nn.Tanh()
        layer.make = lambda n, dtype="float32": lib.ones(n, dtype=getattr(lib, dtype))
        register(layer)
        x = lib.ones(1, requires_grad=True)
        with pytest.raises(RuntimeError) as error:
            layer(x).sum().backward()
        return str(error.value)

    assert run(tga) == run(torch)
