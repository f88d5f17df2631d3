"""Sequential, ModuleList and ModuleDict: each operation gives what torch's gives — the same
children, names, printed form and errors."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts import nn


def _state(container):
    """What can be seen of a container: its printed form and its children's names."""
    return repr(container), [name for name, _ in container.named_children()]


def _three(lib):
    return [lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1)]


SEQUENTIAL = {
    "from modules": lambda L: L.nn.Sequential(*_three(L)),
    "from an OrderedDict": lambda L: L.nn.Sequential(
        OrderedDict([("fc", L.nn.Linear(2, 3)), ("act", L.nn.Tanh())])
    ),
    "a slice keeps the names": lambda L: L.nn.Sequential(*_three(L))[1:],
    "a step slice": lambda L: L.nn.Sequential(*_three(L))[::2],
    "a slice of a named one": lambda L: L.nn.Sequential(
        OrderedDict([("fc", L.nn.Linear(2, 3)), ("act", L.nn.Tanh())])
    )[1:],
    "append": lambda L: L.nn.Sequential(*_three(L)).append(L.nn.Sigmoid()),
    "extend": lambda L: L.nn.Sequential(L.nn.ReLU()).extend(_three(L)),
    "insert in the middle": lambda L: L.nn.Sequential(*_three(L)).insert(1, L.nn.ELU()),
    "insert from the end": lambda L: L.nn.Sequential(*_three(L)).insert(-1, L.nn.ELU()),
    "insert at the end": lambda L: L.nn.Sequential(*_three(L)).insert(3, L.nn.ELU()),
    "set an item": lambda L: _set(L.nn.Sequential(*_three(L)), -1, L.nn.ELU()),
    "delete an item renumbers": lambda L: _delete(L.nn.Sequential(*_three(L)), 0),
    "delete a slice renumbers": lambda L: _delete(L.nn.Sequential(*_three(L)), slice(0, 2)),
    "delete from a named one renumbers": lambda L: _delete(
        L.nn.Sequential(OrderedDict([("fc", L.nn.Linear(2, 3)), ("act", L.nn.Tanh())])), 0
    ),
    "pop": lambda L: _popped(L.nn.Sequential(*_three(L)), 1),
    "plus": lambda L: L.nn.Sequential(L.nn.ReLU()) + L.nn.Sequential(*_three(L)),
    "plus equals": lambda L: _iadd(L.nn.Sequential(L.nn.ReLU()), L.nn.Sequential(L.nn.Tanh())),
    "times": lambda L: L.nn.Sequential(L.nn.ReLU(), L.nn.Tanh()) * 2,
    "times from the left": lambda L: 3 * L.nn.Sequential(L.nn.ReLU()),
    "empty": lambda L: L.nn.Sequential(),
}


def _set(container, idx, module):
    container[idx] = module
    return container


def _delete(container, idx):
    del container[idx]
    return container


def _popped(container, idx):
    return type(container.pop(idx)).__name__, _state(container)


def _iadd(container, other):
    container += other
    return container


@pytest.mark.parametrize("case", SEQUENTIAL)
def test_sequential_operations_as_torch(torch, case):
    def run(lib):
        result = SEQUENTIAL[case](lib)
        return _state(result) if isinstance(result, lib.nn.Module) else result

    assert outcome(run, tga) == outcome(run, torch)


SEQUENTIAL_MISTAKES = {
    "index past the end": lambda L: L.nn.Sequential(*_three(L))[3],
    "index before the start": lambda L: L.nn.Sequential(*_three(L))[-4],
    "index by a string": lambda L: L.nn.Sequential(*_three(L))["0"],
    "set past the end": lambda L: _set(L.nn.Sequential(L.nn.ReLU()), 1, L.nn.Tanh()),
    "a number as a module": lambda L: L.nn.Sequential(L.nn.ReLU(), 3),
    "a plain dict": lambda L: L.nn.Sequential({"a": L.nn.ReLU()}),
    "insert out of range": lambda L: L.nn.Sequential(L.nn.ReLU()).insert(3, L.nn.Tanh()),
    "plus a list": lambda L: L.nn.Sequential(L.nn.ReLU()) + [L.nn.Tanh()],
    "times zero": lambda L: L.nn.Sequential(L.nn.ReLU()) * 0,
    "times a float": lambda L: L.nn.Sequential(L.nn.ReLU()) * 1.5,
}


@pytest.mark.parametrize("case", SEQUENTIAL_MISTAKES)
def test_sequential_mistakes_in_torch_words(torch, case):
    ours, theirs = (outcome(SEQUENTIAL_MISTAKES[case], lib) for lib in (tga, torch))
    assert ours.split(":")[0] == theirs.split(":")[0] != ours  # both raise the same type
    if case not in ("times zero", "times a float", "plus a list", "insert out of range"):
        assert ours == theirs  # and say the same (the others name the class: torch.nn.…)


def test_sequential_calls_its_modules_in_order_and_indexes_like_a_list(torch):
    a, b, c = nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c and seq[1:][0] is b
    x = tga.tensor(np.array([[0.5, -1.0]], np.float32))
    np.testing.assert_array_equal(seq(x).array, c(b(a(x))).array)
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in seq.state_dict().items()})
    expected = theirs(torch.tensor(x.numpy())).detach().numpy()
    np.testing.assert_allclose(seq(x).array, expected, rtol=1e-6)


MODULE_LIST = {
    "from a list": lambda L: L.nn.ModuleList(_three(L)),
    "from a generator": lambda L: L.nn.ModuleList(L.nn.Linear(2, 2) for _ in range(3)),
    "repeats grouped in the repr": lambda L: L.nn.ModuleList(
        [L.nn.Linear(2, 2) for _ in range(3)] + [L.nn.ReLU(), L.nn.ReLU(), L.nn.Tanh()]
    ),
    "nested": lambda L: L.nn.ModuleList([L.nn.Sequential(L.nn.ReLU()), L.nn.ModuleList()]),
    "empty": lambda L: L.nn.ModuleList(),
    "append": lambda L: L.nn.ModuleList(_three(L)).append(L.nn.ReLU()),
    "extend": lambda L: L.nn.ModuleList([L.nn.ReLU()]).extend(_three(L)),
    "insert": lambda L: _insert(L.nn.ModuleList(_three(L)), 1, L.nn.ELU()),
    "insert at the end": lambda L: _insert(L.nn.ModuleList(_three(L)), 3, L.nn.ELU()),
    "a slice": lambda L: L.nn.ModuleList(_three(L))[1:],
    "set an item": lambda L: _set(L.nn.ModuleList(_three(L)), -2, L.nn.ELU()),
    "delete an item renumbers": lambda L: _delete(L.nn.ModuleList(_three(L)), 0),
    "delete a slice renumbers": lambda L: _delete(L.nn.ModuleList(_three(L)), slice(1, 3)),
    "pop": lambda L: _popped(L.nn.ModuleList(_three(L)), 0),
    "plus": lambda L: L.nn.ModuleList([L.nn.ReLU()]) + L.nn.ModuleList(_three(L)),
    "plus a list": lambda L: L.nn.ModuleList([L.nn.ReLU()]) + [L.nn.Tanh()],
    "plus equals": lambda L: _iadd(L.nn.ModuleList([L.nn.ReLU()]), [L.nn.Tanh()]),
    "len and iteration": lambda L: (
        len(L.nn.ModuleList(_three(L))),
        [type(m).__name__ for m in L.nn.ModuleList(_three(L))],
    ),
    # mistakes
    "index past the end": lambda L: L.nn.ModuleList(_three(L))[3],
    "index by a string": lambda L: L.nn.ModuleList(_three(L))["a"],
    "set past the end": lambda L: _set(L.nn.ModuleList(_three(L)), 5, L.nn.ELU()),
    "append a number": lambda L: L.nn.ModuleList().append(3),
    "extend with a number": lambda L: L.nn.ModuleList().extend(3),
    "a number": lambda L: L.nn.ModuleList(3),
    "called": lambda L: L.nn.ModuleList([L.nn.ReLU()])(L.ones(1)),
}


def _insert(container, idx, module):
    container.insert(idx, module)
    return container


@pytest.mark.parametrize("case", MODULE_LIST)
def test_module_list_operations_as_torch(torch, case):
    def run(lib):
        result = MODULE_LIST[case](lib)
        return _state(result) if isinstance(result, lib.nn.Module) else result

    assert outcome(run, tga) == outcome(run, torch)


def test_module_list_insert_takes_a_negative_index_as_a_list_does():
    """torch's insert fails on -1 (KeyError '-1'); here it is list.insert."""
    items = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    items.insert(-1, nn.ELU())
    assert [type(m).__name__ for m in items] == ["ReLU", "ELU", "Tanh"]
    assert [n for n, _ in items.named_children()] == ["0", "1", "2"]
    items.insert(10, nn.GELU())  # past the end: appended, numbered without a gap
    assert [n for n, _ in items.named_children()] == ["0", "1", "2", "3"]


def test_module_list_registers_its_modules(torch):
    def run(lib):
        class Stack(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = lib.nn.ModuleList(lib.nn.Linear(2, 2) for _ in range(2))

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x

        return list(Stack().state_dict()), repr(Stack())

    assert outcome(run, tga) == outcome(run, torch)


MODULE_DICT = {
    "from a dict": lambda L: L.nn.ModuleDict({"b": L.nn.ReLU(), "a": L.nn.Tanh()}),
    "from pairs": lambda L: L.nn.ModuleDict([("q", L.nn.ReLU()), ("p", L.nn.ELU())]),
    "from an OrderedDict": lambda L: L.nn.ModuleDict(OrderedDict(z=L.nn.ReLU(), y=L.nn.Tanh())),
    "empty": lambda L: L.nn.ModuleDict(),
    "keys, values, items": lambda L: _views(L.nn.ModuleDict({"b": L.nn.ReLU(), "a": L.nn.Tanh()})),
    "set and delete": lambda L: _set_delete(L.nn.ModuleDict({"b": L.nn.ReLU()}), L),
    "update from a dict and pairs": lambda L: _update(L.nn.ModuleDict({"c": L.nn.ELU()}), L),
    "update from another ModuleDict": lambda L: _updated(
        L.nn.ModuleDict({"c": L.nn.ELU()}), L.nn.ModuleDict({"d": L.nn.ReLU()})
    ),
    "pop": lambda L: _popped(L.nn.ModuleDict({"a": L.nn.ReLU(), "b": L.nn.Tanh()}), "a"),
    "clear": lambda L: _cleared(L.nn.ModuleDict({"a": L.nn.ReLU()})),
    # mistakes
    "a missing key": lambda L: L.nn.ModuleDict({"a": L.nn.ReLU()})["z"],
    "a number as a module": lambda L: L.nn.ModuleDict({"a": 3}),
    "a dotted key": lambda L: L.nn.ModuleDict({"a.b": L.nn.ReLU()}),
    "a number as a key": lambda L: L.nn.ModuleDict({3: L.nn.ReLU()}),
    "update with a number": lambda L: L.nn.ModuleDict().update(3),
    "update with a short pair": lambda L: L.nn.ModuleDict().update([("a",)]),
    "update with a number in the pairs": lambda L: L.nn.ModuleDict().update([3]),
    "called": lambda L: L.nn.ModuleDict()(L.ones(1)),
}


def _views(modules):
    return (
        list(modules.keys()),
        list(modules),
        [type(m).__name__ for m in modules.values()],
        [(k, type(m).__name__) for k, m in modules.items()],
        len(modules),
        "a" in modules,
        "z" in modules,
    )


def _set_delete(modules, lib):
    modules["c"] = lib.nn.ELU()
    modules["b"] = lib.nn.Sigmoid()  # replaced in place: keeps its position
    del modules["c"]
    return modules


def _update(modules, lib):
    modules.update({"x": lib.nn.ReLU()})
    modules.update([("y", lib.nn.Tanh())])
    return modules


def _updated(modules, other):
    modules.update(other)
    return modules


def _cleared(modules):
    modules.clear()
    return modules


@pytest.mark.parametrize("case", MODULE_DICT)
def test_module_dict_operations_as_torch(torch, case):
    def run(lib):
        result = MODULE_DICT[case](lib)
        return _state(result) if isinstance(result, lib.nn.Module) else result

    assert outcome(run, tga) == outcome(run, torch)
