"""nn.Module, Parameter and Buffer: registration, traversal, modes, dtype and device, printing
and the scopes of the graph picture — against torch's behaviour and words."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.autograd import topological_order


def _net(lib):
    """The same nested model, written against either library: children, a shared module, a
    parameter of its own, buffers (one not persistent) and an extra_repr."""

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 4))
            self.act = lib.nn.PReLU()
            self.head = lib.nn.Linear(4, 2, bias=False)
            self.again = self.layers[0]  # the same Linear under a second name
            self.scale = lib.nn.Parameter(lib.ones(2))
            self.register_buffer("mean", lib.zeros(2))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)
            self.count = 2.0

        def extra_repr(self):
            return "count=2.0"

        def forward(self, x):
            return self.head(self.act(self.layers(x))) * self.scale - self.mean

    return Net()


# -- printing and names ----------------------------------------------------------------------


def test_repr_is_torchs(torch):
    assert repr(_net(tga)) == repr(_net(torch))
    assert repr(nn.Linear(2, 3, bias=False)) == repr(torch.nn.Linear(2, 3, bias=False))
    assert repr(nn.Module()) == repr(torch.nn.Module()) == "Module()"


def test_a_multi_line_extra_repr_is_indented_as_torch(torch):
    def make(lib):
        class Two(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = lib.nn.ReLU()

            def extra_repr(self):
                return "first\nsecond"

        return repr(lib.nn.Sequential(Two()))

    assert make(tga) == make(torch)


TRAVERSALS = {
    "named_modules": lambda m: [n for n, _ in m.named_modules()],
    "named_modules with duplicates": lambda m: [
        n for n, _ in m.named_modules(remove_duplicate=False)
    ],
    "named_modules with a prefix": lambda m: [n for n, _ in m.named_modules(prefix="net")],
    "modules": lambda m: [type(x).__name__ for x in m.modules()],
    "named_children": lambda m: [n for n, _ in m.named_children()],
    "children": lambda m: [type(x).__name__ for x in m.children()],
    "named_parameters": lambda m: [n for n, _ in m.named_parameters()],
    "named_parameters with duplicates": lambda m: [
        n for n, _ in m.named_parameters(remove_duplicate=False)
    ],
    "named_parameters not recursing": lambda m: [n for n, _ in m.named_parameters(recurse=False)],
    "named_parameters with a prefix": lambda m: [n for n, _ in m.named_parameters(prefix="p")],
    "parameters": lambda m: [tuple(p.shape) for p in m.parameters()],
    "named_buffers": lambda m: [n for n, _ in m.named_buffers()],
    "buffers": lambda m: [tuple(b.shape) for b in m.buffers()],
}


@pytest.mark.parametrize("case", TRAVERSALS)
def test_traversal_order_and_names_are_torchs(torch, case):
    assert outcome(lambda lib: TRAVERSALS[case](_net(lib)), tga) == outcome(
        lambda lib: TRAVERSALS[case](_net(lib)), torch
    )


def test_a_shared_module_is_listed_once():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]


def test_get_submodule_and_dir_as_torch(torch):
    def calls(lib):
        net = _net(lib)
        found = [type(net.get_submodule(t)).__name__ for t in ("", "layers", "layers.1")]
        names = [k for k in dir(net) if k in ("layers", "scale", "mean", "count", "forward")]
        return (
            found,
            names,
            outcome(lambda _: net.get_submodule("layers.5"), lib),
            outcome(lambda _: net.get_submodule("scale"), lib),
        )

    assert calls(tga) == calls(torch)
    assert "0" not in dir(nn.Sequential(nn.ReLU()))  # not an identifier: left out, as torch


# -- registration ----------------------------------------------------------------------------


def _linear_with_buffer(lib):
    layer = lib.nn.Linear(2, 2)
    layer.register_buffer("running", lib.zeros(2))
    layer.add_module("child", lib.nn.ReLU())
    layer.plain = 1
    return layer


REGISTRATION_MISTAKES = {
    "a plain tensor as a parameter": (TypeError, lambda m, L: setattr(m, "weight", L.ones(2, 2))),
    "a float64 tensor as a parameter": (
        TypeError,
        lambda m, L: setattr(m, "weight", L.ones(2, 2, dtype=L.float64)),
    ),
    "a number as a parameter": (TypeError, lambda m, L: setattr(m, "bias", 3)),
    "an array as a parameter": (TypeError, lambda m, L: setattr(m, "bias", np.ones(2))),
    "a number as a buffer": (TypeError, lambda m, L: setattr(m, "running", 3)),
    "an array as a buffer": (TypeError, lambda m, L: setattr(m, "running", np.ones(2))),
    "a number as a child": (TypeError, lambda m, L: setattr(m, "child", 3)),
    "register_buffer over a parameter": (
        KeyError,
        lambda m, L: m.register_buffer("weight", L.ones(1)),
    ),
    "register_buffer over a method": (KeyError, lambda m, L: m.register_buffer("forward", None)),
    "register_buffer over a plain attribute": (
        KeyError,
        lambda m, L: m.register_buffer("plain", None),
    ),
    "register_buffer of a list": (TypeError, lambda m, L: m.register_buffer("b2", [1])),
    "register_buffer with a dotted name": (KeyError, lambda m, L: m.register_buffer("a.b", None)),
    "register_buffer with an empty name": (KeyError, lambda m, L: m.register_buffer("", None)),
    "register_buffer with a number as name": (TypeError, lambda m, L: m.register_buffer(3, None)),
    "register_parameter over a buffer": (
        KeyError,
        lambda m, L: m.register_parameter("running", None),
    ),
    "register_parameter of a tensor": (
        TypeError,
        lambda m, L: m.register_parameter("extra", L.ones(1)),
    ),
    "register_parameter with a dotted name": (
        KeyError,
        lambda m, L: m.register_parameter("a.b", None),
    ),
    "register_parameter with an empty name": (
        KeyError,
        lambda m, L: m.register_parameter("", None),
    ),
    "add_module over a parameter": (KeyError, lambda m, L: m.add_module("weight", L.nn.ReLU())),
    "add_module of a number": (TypeError, lambda m, L: m.add_module("x", 3)),
    "add_module with a number as name": (TypeError, lambda m, L: m.add_module(3, L.nn.ReLU())),
    "add_module with a dotted name": (KeyError, lambda m, L: m.add_module("a.b", L.nn.ReLU())),
    "add_module with an empty name": (KeyError, lambda m, L: m.add_module("", L.nn.ReLU())),
    "a missing attribute": (AttributeError, lambda m, L: m.nope),
}


@pytest.mark.parametrize("case", REGISTRATION_MISTAKES)
def test_registration_mistakes_in_torch_words(torch, case):
    error, call = REGISTRATION_MISTAKES[case]
    assert_same_error(lambda L: call(_linear_with_buffer(L), L), torch, error)


def test_assignment_before_init_is_torchs_error(torch):
    def make(lib, value):
        class NoInit(lib.nn.Module):
            def __init__(self):
                self.plain = 1  # plain attributes are fine, as in torch
                self.value = value(lib)

        return NoInit()

    for value in (lambda L: L.nn.Tanh(), lambda L: L.nn.Parameter(L.zeros(1))):
        assert_same_error(lambda L, v=value: make(L, v), torch, AttributeError)


def test_assigning_none_keeps_the_slot_and_deleting_forgets_it(torch):
    def story(lib):
        layer = _linear_with_buffer(lib)
        layer.bias = None  # allowed: the slot stays, empty
        layer.running = None
        layer.child = None
        keys = list(layer.state_dict())
        del layer.weight, layer.running, layer.child
        layer.register_buffer("later", lib.ones(1), persistent=False)
        del layer.later
        layer.register_buffer("later", lib.ones(1))  # persistent again: the old flag is gone
        gone = [hasattr(layer, n) for n in ("weight", "running", "child")]
        return keys, gone, list(layer.state_dict()), repr(layer)

    assert outcome(story, tga) == outcome(story, torch)


def test_assigning_a_module_or_parameter_over_another_kind_moves_it(torch):
    def story(lib):
        m = lib.nn.Module()
        m.x = lib.nn.ReLU()
        m.x = lib.nn.Parameter(lib.ones(1))  # a child becomes a parameter
        m.register_buffer("y", lib.ones(1))
        m.y = lib.nn.Tanh()  # a buffer becomes a child
        m.z = 5
        m.z = lib.nn.Parameter(lib.ones(2))  # a plain attribute becomes a parameter
        return [n for n, _ in m.named_parameters()], [n for n, _ in m.named_children()]

    assert outcome(story, tga) == outcome(story, torch)


def test_replacing_a_child_or_a_parameter_keeps_its_place(torch):
    """s[0] = ELU() must still run first; a reassigned parameter keeps its place in
    parameters() and state_dict()."""
    for lib in (tga, torch):
        seq = lib.nn.Sequential(lib.nn.Tanh(), lib.nn.Sigmoid(), lib.nn.ReLU())
        seq[0] = lib.nn.ELU()
        assert [type(m).__name__ for m in seq] == ["ELU", "Sigmoid", "ReLU"]
        layer = lib.nn.Linear(2, 3)
        layer.weight = lib.nn.Parameter(layer.weight.detach() * 2)
        assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    x = tga.tensor(np.array([[-1.0, 2.0]]))
    seq = nn.Sequential(nn.Tanh(), nn.Sigmoid())
    seq[0] = nn.ELU()
    np.testing.assert_allclose(seq(x).array, 1 / (1 + np.exp(-np.array([[np.expm1(-1.0), 2.0]]))))


def test_buffers_assigned_as_buffer_objects_are_registered(torch):
    def story(lib):
        m = lib.nn.Module()
        m.a = lib.nn.Buffer(lib.ones(2))
        m.b = lib.nn.Buffer(lib.zeros(1), persistent=False)
        m.c = lib.ones(3)  # a plain tensor is a plain attribute
        m.a = lib.zeros(2)  # a tensor assigned to a buffer's name replaces the buffer
        return [n for n, _ in m.named_buffers()], list(m.state_dict()), m.a

    assert outcome(story, tga) == outcome(story, torch)


def test_a_parameter_shares_the_values_of_its_tensor(torch):
    for lib in (tga, torch):
        t = lib.zeros(3)
        p = lib.nn.Parameter(t)
        assert p.requires_grad and p.is_leaf and not t.requires_grad
        with lib.no_grad():
            p.add_(1.0)
        assert t.tolist() == [1.0, 1.0, 1.0]
    assert repr(nn.Parameter(tga.zeros(2))) == repr(torch.nn.Parameter(torch.zeros(2)))
    assert nn.Parameter().shape == (0,) and nn.Parameter().dtype == np.float32


# -- modes -----------------------------------------------------------------------------------


def test_train_and_eval_reach_every_module(torch):
    def story(lib):
        net = _net(lib)
        flags = [[m.training for m in net.modules()]]
        net.eval()
        flags.append([m.training for m in net.modules()])
        net.layers.train()
        flags.append([m.training for m in net.modules()])
        return flags, outcome(lambda _: net.train("yes"), lib)

    assert outcome(story, tga) == outcome(story, torch)


def test_a_child_that_overrides_train_is_honoured(torch):
    """torch's train() calls each child's own train(): a frozen child can refuse."""

    def story(lib):
        class Frozen(lib.nn.Module):
            def train(self, mode=True):
                return super().train(False)

        model = lib.nn.Sequential(lib.nn.ReLU(), Frozen())
        model.train()
        return [m.training for m in model.modules()]

    assert outcome(story, tga) == outcome(story, torch) == [True, True, False]


def test_train_and_eval_switch_rrelu_between_random_and_fixed_slopes():
    model = nn.Sequential(nn.Identity(), nn.RReLU(0.1, 0.3))
    x = tga.tensor(-np.ones(2000))
    model.eval()
    np.testing.assert_allclose(model(x).array, -0.2)  # the mean slope (0.1 + 0.3)/2
    model.train()
    slopes = -model(x).array
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and np.std(slopes) > 0.03


def test_apply_visits_each_subtree_then_the_module(torch):
    def story(lib):
        shared = lib.nn.ReLU()
        root = lib.nn.Sequential(lib.nn.Sequential(shared, lib.nn.Tanh()), shared, lib.nn.ELU())
        seen = []
        assert root.apply(lambda m: seen.append(type(m).__name__)) is root
        return seen

    assert outcome(story, tga) == outcome(story, torch)


def test_zero_grad_set_to_none_and_to_zeros():
    layer = nn.Linear(3, 1)
    layer(tga.ones(2, 3)).sum().backward()
    layer.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(layer.weight.grad.array, np.zeros((1, 3)))
    layer(tga.ones(2, 3)).sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.array, np.full((1, 3), 2.0))  # Σ over batch
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


def test_requires_grad_switches_every_parameter(torch):
    def story(lib):
        net = _net(lib)
        assert net.requires_grad_(False) is net
        off = [p.requires_grad for p in net.parameters()]
        net.requires_grad_()
        return off, [p.requires_grad for p in net.parameters()]

    assert outcome(story, tga) == outcome(story, torch)


# -- dtype and device ------------------------------------------------------------------------


def _dtypes(model):
    return [str(t.dtype).removeprefix("torch.") for t in (*model.parameters(), *model.buffers())]


CONVERSIONS = {
    "double()": lambda m, L: m.double(),
    "half()": lambda m, L: m.half(),
    "float() after double()": lambda m, L: m.double().float(),
    "to(dtype)": lambda m, L: m.to(L.float64),
    "to(dtype=)": lambda m, L: m.to(dtype=L.float16),
    "to(device, dtype)": lambda m, L: m.to("cpu", L.float64),
    "to(device=, dtype=)": lambda m, L: m.to(device="cpu", dtype=L.float64),
    "to(tensor)": lambda m, L: m.to(L.zeros(1, dtype=L.float16)),
    "to(device)": lambda m, L: m.to("cpu"),
    "to(device object)": lambda m, L: m.to(L.device("cpu")),
    "to(cpu:0)": lambda m, L: m.to("cpu:0", non_blocking=True),
    "cpu()": lambda m, L: m.cpu(),
    "to(None)": lambda m, L: m.to(None),
}


@pytest.mark.parametrize("case", CONVERSIONS)
def test_dtype_conversions_reach_floating_tensors_only(torch, case):
    def story(lib):
        model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.PReLU())
        model.register_buffer("steps", lib.zeros(1, dtype=lib.int64))  # stays an integer
        model.register_buffer("mean", lib.zeros(2))
        weight = model[0].weight
        assert CONVERSIONS[case](model, lib) is model
        assert model[0].weight is weight  # the same objects: an optimizer still holds them
        return _dtypes(model)

    assert outcome(story, tga) == outcome(story, torch)


def test_a_conversion_converts_the_gradients_too(torch):
    for lib in (tga, torch):
        layer = lib.nn.Linear(2, 2)
        layer(lib.ones(1, 2)).sum().backward()
        layer.double()
        assert layer.weight.grad.dtype == layer.weight.dtype == lib.float64
        y = layer(lib.ones(1, 2, dtype=lib.float64))
        assert y.dtype == lib.float64


DEVICE_MISTAKES = {
    "cuda": (AssertionError, lambda m, L: m.to("cuda")),
    "cuda:0": (AssertionError, lambda m, L: m.to("cuda:0")),
    "a cuda device object": (AssertionError, lambda m, L: m.to(L.device("cuda"))),
    "cuda()": (AssertionError, lambda m, L: m.cuda()),
    "no such device": (RuntimeError, lambda m, L: m.to("nonsense")),
    "an integer dtype": (TypeError, lambda m, L: m.to(L.int64)),
    "a boolean dtype": (TypeError, lambda m, L: m.to("cpu", L.bool)),
}


@pytest.mark.parametrize("case", DEVICE_MISTAKES)
def test_device_and_dtype_mistakes_in_torch_words(torch, case):
    error, call = DEVICE_MISTAKES[case]
    messages = []
    for lib in (tga, torch):
        with pytest.raises(error) as raised:
            call(lib.nn.Linear(2, 2), lib)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_a_torch_device_object_on_the_cpu_is_accepted(torch):
    layer = nn.Linear(2, 2, device=torch.device("cpu"))
    assert layer.to(torch.device("cpu")) is layer
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        layer.to(torch.device("cuda"))
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        nn.Linear(2, 2, device="cuda")


def test_a_deep_copy_is_independent(torch):
    for lib in (tga, torch):
        model = lib.nn.Sequential(lib.nn.Linear(2, 2))
        twin = copy.deepcopy(model)
        assert twin[0].weight is not model[0].weight
        assert type(twin[0].weight).__name__ == "Parameter" and twin[0].weight.requires_grad
        with lib.no_grad():
            twin[0].weight.add_(1.0)
        assert not bool((twin[0].weight == model[0].weight).any())


# -- calling, and scopes for the graph picture -----------------------------------------------


def test_a_module_without_forward_says_so_as_torch(torch):
    assert_same_error(lambda L: L.nn.Module()(L.ones(1)), torch, NotImplementedError)


class _Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
        self.head = nn.Linear(3, 1)

    def forward(self, x):
        return nn.Sigmoid()(self.head(self.layers(x)))  # a module made on the fly


def test_each_op_is_labelled_with_the_attribute_path_of_its_module():
    y = _Model()(tga.ones(4, 2))
    scopes = {node.name(): node.scope for node in topological_order([y.grad_fn])}
    assert scopes["TanhBackward0"] == ("_Model", "layers", "layers.1")
    assert scopes["SigmoidBackward0"] == ("_Model", "Sigmoid")
    assert {n.scope for n in topological_order([y.grad_fn]) if n.name() == "AddmmBackward0"} == {
        ("_Model", "head"),
        ("_Model", "layers", "layers.0"),
    }
    # Called alone, a module is the outermost one and is named by its class.
    z = nn.Linear(2, 1)(tga.ones(1, 2))
    assert z.grad_fn.scope == ("Linear",)
