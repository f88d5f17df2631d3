"""Bad values everywhere: one table of what every public function does with a mistake.

Each row is a call and what it must do:

- ``raises(Type, "words")``: a clear error of that type whose message contains the words
  (a regular expression) — usually the name of the argument at fault;
- ``gives(value)``: a documented correct result (``SAME`` when it is whatever torch gives);
- ``warns(Type, "words")``: a result with a warning, as torch gives one;
- ``like_torch()``: whatever torch does — an error of the same family, or the same values.

A row with a ``torch`` call is checked against torch as well: torch must raise an exception of
the same family (``raises``), or give the same values (``gives``). The rows are grouped as the
API is: Tensor, factories, autograd, nn modules, losses, optim, fn; then rows generated from the
registry — every F activation given every kind of awkward input (a list, int64, bool, empty,
0-d, nan, ±inf, non-contiguous and read-only views; values and gradients), every activation
module on a list and on ±inf — then the activations' out-of-range parameters, viz and plot.

Rows marked ``defect=`` are known bugs, kept here as strict xfails until they are fixed.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import tinygrad_acts as tga
from tinygrad_acts import autograd, fn, nn, optim
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS

Tensor = tga.Tensor
tensor = tga.tensor  # what the rows make: torch.tensor takes its dtype from the data

# -- what a row expects -------------------------------------------------------------------------


@dataclass(frozen=True)
class Raises:
    type: type[BaseException]
    words: str


@dataclass(frozen=True)
class Gives:
    value: Any  # a value to compare with, SAME (torch's result), or a predicate


@dataclass(frozen=True)
class Warns:
    type: type[Warning]
    words: str


@dataclass(frozen=True)
class LikeTorch:
    """Whatever torch does: raise an exception of the same family, or give the same values."""


SAME = object()  # "gives" whatever torch gives


def raises(type_: type[BaseException], words: str) -> Raises:
    return Raises(type_, words)


def gives(value: Any = SAME) -> Gives:
    return Gives(value)


def warns(type_: type[Warning], words: str) -> Warns:
    return Warns(type_, words)


def like_torch() -> LikeTorch:
    return LikeTorch()


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[], Any]
    expect: Raises | Gives | Warns | LikeTorch
    torch: Callable[[Any], Any] | None = None
    defect: str | None = None


# -- awkward inputs -----------------------------------------------------------------------------


def floats() -> np.ndarray:
    return np.array([-2.5, -0.75, 0.0, 0.3, 1.7, 4.0])


def noncontiguous() -> np.ndarray:
    view = np.linspace(-3, 3, 24).reshape(4, 6)[:, ::2].T  # neither C nor F ordered
    assert not view.flags.c_contiguous and not view.flags.f_contiguous
    return view


def readonly() -> np.ndarray:
    a = np.linspace(-3, 3, 7)
    a.setflags(write=False)
    return a


def t(data: Any = None, **kwargs: Any) -> Tensor:
    return Tensor(floats() if data is None else data, **kwargs)


def ones32(*shape: int) -> Tensor:
    """float32 ones: the dtype of nn.Linear's parameters."""
    return tensor(np.ones(shape, np.float32))


def leaf(data: Any = None) -> Tensor:
    return Tensor(floats() if data is None else data, requires_grad=True)


def tt(torch: Any, data: Any = None, **kwargs: Any) -> Any:
    """A torch tensor of the same data (copied: torch warns on read-only arrays)."""
    return torch.tensor(np.array(floats() if data is None else data), **kwargs)


NONFINITE = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0])
HUGE = np.array([1e308, -1e308])


def TF(torch: Any) -> Any:
    """torch.nn.functional, short, for the rows."""
    return torch.nn.functional


def quietly(call: Callable[[], Any]) -> Any:
    """Run ``call`` with warnings ignored (for rows about the error that follows a warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def grad_of(f: Callable[[Tensor], Tensor], data: np.ndarray) -> np.ndarray:
    x = leaf(data)
    f(x).sum().backward()
    return x.grad.array


def torch_grad_of(torch: Any, f: Callable[[Any], Any], data: np.ndarray) -> np.ndarray:
    x = torch.tensor(np.array(data), requires_grad=True)
    f(x).sum().backward()
    return x.grad.numpy()


def sgd_step_on(data: np.ndarray) -> np.ndarray:
    p = nn.Parameter(data)
    (p * p).sum().backward()
    optim.SGD([p], lr=0.5).step()
    return p.array


def hooked_grad(hook: Callable[[Tensor], Any]) -> Any:
    x = leaf()
    x.register_hook(hook)
    (x * 2).sum().backward()
    return x.grad


def torch_hooked_grad(torch: Any, hook: Callable[[Any], Any]) -> Any:
    x = tt(torch, requires_grad=True)
    x.register_hook(hook)
    (x * 2).sum().backward()
    return x.grad


def sgd_step_with_grad(grad: np.ndarray) -> np.ndarray:
    """One SGD step (lr 0.5) of floats() with ``grad`` set by hand."""
    p = nn.Parameter(floats())
    p.grad = tensor(grad)
    optim.SGD([p], lr=0.5).step()
    return p.array


def train_linear(dtype: Any) -> Tensor:
    layer = nn.Linear(3, 2, dtype=dtype)
    return layer(t(np.ones((4, 3))))


# -- the table ------------------------------------------------------------------------------------
# Case(name, call, expect, torch=None, defect=None). In the torch calls, T is the torch module.

# fmt: off
CASES: list[Case] = [
    # ---- Tensor: construction ------------------------------------------------------------------
    Case("Tensor(str)", lambda: tensor("abc"), raises(TypeError, "numbers.*str"),
         lambda T: T.tensor("abc")),
    Case("Tensor(list with str)", lambda: tensor([1.0, "a"]), raises(TypeError, "str"),
         lambda T: T.tensor([1.0, "a"])),
    Case("Tensor(None)", lambda: tensor(None), raises(TypeError, "NoneType")),
    Case("Tensor(dict)", lambda: tensor({"a": 1}), raises(TypeError, "dict")),
    Case("Tensor(ragged list)", lambda: tensor([[1.0, 2.0], [3.0]]),
         raises(ValueError, "inhomogeneous"), lambda T: T.tensor([[1.0, 2.0], [3.0]])),
    Case("Tensor(str array)", lambda: tensor(np.array(["a"])), raises(TypeError, "dtype <U1")),
    Case("Tensor(complex array)", lambda: tensor(np.array([1 + 2j])),
         raises(TypeError, "complex")),
    Case("Tensor(object array)", lambda: tensor(np.array([None])), raises(TypeError, "object")),
    Case("Tensor(dtype='nonsense')", lambda: tensor([1.0], dtype="nonsense"),
         raises(TypeError, "nonsense")),
    Case("int Tensor requires_grad", lambda: tensor([1, 2], requires_grad=True),
         raises(RuntimeError, "Only Tensors of floating point and complex dtype can require"),
         lambda T: T.tensor([1, 2], requires_grad=True)),
    Case("bool Tensor requires_grad", lambda: tensor([True], requires_grad=True),
         raises(RuntimeError, "Only Tensors of floating point and complex dtype"),
         lambda T: T.tensor([True], requires_grad=True)),
    Case("empty Tensor requires_grad", lambda: tensor(np.zeros(0), requires_grad=True).shape,
         gives((0,))),
    Case("0-d Tensor", lambda: tensor(2.5).shape, gives(())),
    Case("Python float is float32", lambda: tensor([0.1]).dtype, gives(np.float32)),
    Case("Python int is int64", lambda: tensor([1]).dtype, gives(np.int64)),
    Case("tensor() copies a read-only view", lambda: tga.tensor(readonly()).array.flags.writeable,
         gives(True)),
    Case("tensor() of a non-contiguous view", lambda: tga.tensor(noncontiguous()).array,
         gives(noncontiguous())),
    Case("Tensor keeps nan and inf", lambda: tensor(NONFINITE).array, gives(NONFINITE)),
    # ---- Tensor: operators ----------------------------------------------------------------------
    Case("tensor + str", lambda: t() + "a", raises(TypeError, "str"), lambda T: tt(T) + "a"),
    Case("tensor + None", lambda: t() + None, raises(TypeError, "NoneType"),
         lambda T: tt(T) + None),
    Case("shapes that do not broadcast", lambda: t() + t(np.ones(4)),
         raises(RuntimeError, r"size of tensor a \(6\) must match the size of tensor b \(4\)"),
         lambda T: tt(T) + tt(T, np.ones(4))),
    Case("matmul of 0-d", lambda: t(np.array(2.0)) @ t(), raises(RuntimeError, "at least 1D"),
         lambda T: tt(T, 2.0) @ tt(T)),
    Case("matmul inner sizes differ", lambda: t(np.ones((2, 3))) @ t(np.ones((4, 2))),
         raises(RuntimeError, r"cannot be multiplied \(2x3 and 4x2\)"),
         lambda T: tt(T, np.ones((2, 3))) @ tt(T, np.ones((4, 2)))),
    Case("matmul over an empty axis", lambda: (t(np.ones((2, 0))) @ t(np.ones((0, 3)))).array,
         gives(SAME), lambda T: tt(T, np.ones((2, 0))) @ tt(T, np.ones((0, 3)))),
    Case("x / 0", lambda: (t() / 0).array, gives(SAME), lambda T: tt(T) / 0),
    Case("0 * inf is nan, silently", lambda: (t(NONFINITE) * 0.0).array, gives(SAME),
         lambda T: tt(T, NONFINITE) * 0.0),
    Case("inf - inf is nan, silently", lambda: (t(NONFINITE) - t(NONFINITE)).array, gives(SAME),
         lambda T: tt(T, NONFINITE) - tt(T, NONFINITE)),
    Case("inf + -inf is nan, silently", lambda: (t(NONFINITE) + t(-NONFINITE)).array,
         gives(SAME), lambda T: tt(T, NONFINITE) + tt(T, -NONFINITE)),
    Case("overflow is inf, silently", lambda: (t(HUGE) * 10.0).array, gives(SAME),
         lambda T: tt(T, HUGE) * 10.0),
    Case("sum of inf and -inf", lambda: t([np.inf, -np.inf]).sum().array, gives(SAME),
         lambda T: tt(T, [np.inf, -np.inf]).sum()),
    Case("matmul with inf and 0", lambda: (t([[np.inf, 0.0]]) @ t([[0.0], [1.0]])).array,
         gives(SAME), lambda T: tt(T, [[np.inf, 0.0]]) @ tt(T, [[0.0], [1.0]])),
    Case("log, sqrt of negatives", lambda: (t().log() + t().sqrt()).array, gives(SAME),
         lambda T: tt(T).log() + tt(T).sqrt()),
    Case("nan through pow, exp, abs", lambda: ((t(NONFINITE) ** 2).exp().abs()).array,
         gives(SAME), lambda T: (tt(T, NONFINITE) ** 2).exp().abs()),
    Case("int + float is float32", lambda: (tensor([1, 2]) + 0.5).array, gives(SAME),
         lambda T: T.tensor([1, 2]) + 0.5),
    Case("int / int is float32", lambda: (tensor([1, 2]) / tensor([2, 4])).dtype,
         gives(np.float32)),
    Case("bool + bool", lambda: (tensor([True, False]) + tensor([True, True])).array,
         gives(SAME), lambda T: T.tensor([True, False]) + T.tensor([True, True])),
    Case("-bool", lambda: -tensor([True]), raises(RuntimeError, "bool"),
         lambda T: -T.tensor([True])),
    Case("exp of int is float32", lambda: tensor([0, 1]).exp().dtype, gives(np.float32)),
    Case("read-only leaf: backward", lambda: grad_of(lambda x: x * x, readonly()),
         gives(2 * readonly())),
    Case("non-contiguous leaf: backward", lambda: grad_of(lambda x: x.tanh(), noncontiguous()),
         gives(SAME), lambda T: torch_grad_of(T, lambda x: x.tanh(), noncontiguous())),
    # ---- Tensor: reductions and shapes ----------------------------------------------------------
    Case("sum(dim=3) of 1-d", lambda: t().sum(dim=3), raises(IndexError, "Dimension out of range"),
         lambda T: tt(T).sum(dim=3)),
    Case("sum(dim=1.5)", lambda: t().sum(dim=1.5), raises(TypeError, "dim"),
         lambda T: tt(T).sum(dim=1.5)),
    Case("sum(dim=(0, 0))", lambda: t().sum(dim=(0, 0)), raises(RuntimeError, "multiple times"),
         lambda T: tt(T).sum(dim=(0, 0))),
    Case("sum of empty is 0", lambda: t(np.zeros(0)).sum().array, gives(SAME),
         lambda T: tt(T, np.zeros(0)).sum()),
    Case("sum(dim=0) of 0-d", lambda: t(3.0).sum(dim=0).array, gives(SAME),
         lambda T: tt(T, 3.0).sum(dim=0)),
    Case("mean of int", lambda: tensor([1, 2]).mean(), raises(RuntimeError, "mean.*dtype"),
         lambda T: T.tensor([1, 2]).mean()),
    Case("mean of empty is nan", lambda: t(np.zeros(0)).mean().array, gives(SAME),
         lambda T: tt(T, np.zeros(0)).mean()),
    Case("max of empty", lambda: t(np.zeros(0)).max(), raises(RuntimeError, "numel|empty"),
         lambda T: tt(T, np.zeros(0)).max()),
    Case("max(dim=0) of empty", lambda: t(np.zeros((0, 2))).max(dim=0),
         raises(IndexError, "non-zero size"), lambda T: tt(T, np.zeros((0, 2))).max(dim=0)),
    Case("max with nan", lambda: t(NONFINITE).max().array, gives(SAME),
         lambda T: tt(T, NONFINITE).max()),
    Case("max with nan: its gradient", lambda: grad_of(lambda x: x.max(), np.array([np.nan, 0.5])),
         gives(SAME), lambda T: torch_grad_of(T, lambda x: x.max(), np.array([np.nan, 0.5]))),
    Case("max(dim=5)", lambda: t().max(dim=5), raises(IndexError, "Dimension out of range"),
         lambda T: tt(T).max(dim=5)),
    Case("reshape to a wrong size", lambda: t().reshape(5),
         raises(RuntimeError, r"shape '\[5\]' is invalid for input of size 6"),
         lambda T: tt(T).reshape(5)),
    Case("reshape('a')", lambda: t().reshape("a"), raises(TypeError, "shape"),
         lambda T: tt(T).reshape("a")),
    Case("reshape(-1, -1)", lambda: t().reshape(-1, -1),
         raises(RuntimeError, "only one dimension can be inferred"),
         lambda T: tt(T).reshape(-1, -1)),
    Case("transpose(0, 5)", lambda: t(np.ones((2, 3))).transpose(0, 5),
         raises(IndexError, "Dimension out of range"),
         lambda T: tt(T, np.ones((2, 3))).transpose(0, 5)),
    Case("permute(0, 0)", lambda: t(np.ones((2, 3))).permute(0, 0),
         raises(RuntimeError, "duplicate dims are not allowed"),
         lambda T: tt(T, np.ones((2, 3))).permute(0, 0)),
    Case("expand(2, 4) of (6,)", lambda: t().expand(2, 4), raises(RuntimeError, "expand"),
         lambda T: tt(T).expand(2, 4)),
    Case("index 10 of 6", lambda: t()[10], raises(IndexError, "out of bounds"),
         lambda T: tt(T)[10]),
    # torch raises TypeError ("new(): invalid data type 'str'"); NumPy's IndexError says more.
    Case("index with str", lambda: t()["a"], raises(IndexError, "only integers")),
    Case("index with float", lambda: t()[1.5], raises(IndexError, "only integers"),
         lambda T: tt(T)[1.5]),
    Case("index of 0-d", lambda: t(1.0)[0], raises(IndexError, "0-d|dimension"),
         lambda T: tt(T, 1.0)[0]),
    Case("item() of 6 values", lambda: t().item(),
         raises(RuntimeError, "6 elements cannot be converted to Scalar"),
         lambda T: tt(T).item()),
    Case("bool() of 6 values", lambda: bool(t()), raises(RuntimeError, "ambiguous"),
         lambda T: bool(tt(T))),
    Case("int() of 6 values", lambda: int(t()), raises(ValueError, "only one element"),
         lambda T: int(tt(T))),
    Case("len() of 0-d", lambda: len(t(1.0)), raises(TypeError, "0-d"),
         lambda T: len(tt(T, 1.0))),
    Case("clamp() without bounds", lambda: t().clamp(), raises(RuntimeError, "min.*max"),
         lambda T: tt(T).clamp()),
    Case("clamp(min > max) gives max", lambda: t().clamp(2, 1).array, gives(SAME),
         lambda T: tt(T).clamp(2, 1)),
    Case("clamp(min='a')", lambda: t().clamp(min="a"), raises(TypeError, "min"),
         lambda T: tt(T).clamp(min="a")),
    Case("clamp(nan)", lambda: t().clamp(min=float("nan")).array, gives(SAME),
         lambda T: tt(T).clamp(min=float("nan"))),
    Case("numpy() of a leaf that requires grad", lambda: leaf().numpy(),
         raises(RuntimeError, "detach"), lambda T: tt(T, requires_grad=True).numpy()),
    # ---- factories, cat and where ----------------------------------------------------------------
    Case("zeros(-1)", lambda: tga.zeros(-1), raises(RuntimeError, "non-negative"),
         lambda T: T.zeros(-1)),
    Case("zeros('a')", lambda: tga.zeros("a"), raises(TypeError, "str"), lambda T: T.zeros("a")),
    Case("ones(2, dtype=int64, requires_grad=True)",
         lambda: tga.ones(2, dtype=np.int64, requires_grad=True),
         raises(RuntimeError, "floating point"),
         lambda T: T.ones(2, dtype=T.int64, requires_grad=True)),
    Case("linspace(0, 1, -1)", lambda: tga.linspace(0, 1, -1),
         raises(RuntimeError, "non-negative"), lambda T: T.linspace(0, 1, -1)),
    Case("linspace(0, 1, 2.5)", lambda: tga.linspace(0, 1, 2.5), raises(TypeError, "float"),
         lambda T: T.linspace(0, 1, 2.5)),
    Case("linspace to nan", lambda: tga.linspace(0, np.nan, 3).array, gives(SAME),
         lambda T: T.linspace(0, np.nan, 3)),
    Case("cat of shapes that differ", lambda: tga.cat([t(np.ones((2, 3))), t(np.ones((2, 4)))]),
         raises(RuntimeError, "Sizes of tensors must match except in dimension 0"),
         lambda T: T.cat([tt(T, np.ones((2, 3))), tt(T, np.ones((2, 4)))])),
    Case("cat(dim=1) of 1-d", lambda: tga.cat([t(), t()], dim=1),
         raises(IndexError, "Dimension out of range"), lambda T: T.cat([tt(T), tt(T)], dim=1)),
    Case("cat of 0-d tensors", lambda: tga.cat([t(1.0), t(2.0)]),
         raises(RuntimeError, "zero-dimensional"), lambda T: T.cat([tt(T, 1.0), tt(T, 2.0)])),
    Case("cat of floats", lambda: tga.cat([1.0, 2.0]), raises(TypeError, "Tensor"),
         lambda T: T.cat([1.0, 2.0])),
    Case("cat of float32 and int64 is float32", lambda: tga.cat([tensor([1.0]), tensor([1])]).dtype,
         gives(np.float32)),
    Case("where of an int condition", lambda: tga.where(tensor([1, 0]), t([1.0, 2.0]), 0.0),
         raises(RuntimeError, "boolean"),
         lambda T: T.where(T.tensor([1, 0]), tt(T, [1.0, 2.0]), 0.0)),
    Case("cat([])", lambda: tga.cat([]), raises(ValueError, "non-empty list of Tensors"),
         lambda T: T.cat([])),
    Case("where of shapes that do not broadcast",
         lambda: tga.where(tensor([True, False]), t(np.ones(3)), t(np.ones(2))),
         raises(RuntimeError, r"size of tensor a \(2\) must match the size of tensor b \(3\)"),
         lambda T: T.where(T.tensor([True, False]), tt(T, np.ones(3)), tt(T, np.ones(2)))),
    Case("transpose(0, 0) of 0-d", lambda: t(1.0).transpose(0, 0).array, gives(SAME),
         lambda T: tt(T, 1.0).transpose(0, 0)),
    Case("int @ float", lambda: tensor([[1, 2]]) @ t(np.ones((2, 1))),
         raises(RuntimeError, "dtype"), lambda T: T.tensor([[1, 2]]) @ tt(T, np.ones((2, 1)))),
    # ---- autograd --------------------------------------------------------------------------------
    Case("backward of a tensor without grad", lambda: t().sum().backward(),
         raises(RuntimeError, "does not require grad"), lambda T: tt(T).sum().backward()),
    Case("backward of 6 values", lambda: (leaf() * 2).backward(),
         raises(RuntimeError, "only for scalar outputs"),
         lambda T: (tt(T, requires_grad=True) * 2).backward()),
    Case("backward(gradient of wrong shape)", lambda: (leaf() * 2).backward(t(np.ones(4))),
         raises(RuntimeError, "shape"),
         lambda T: (tt(T, requires_grad=True) * 2).backward(tt(T, np.ones(4)))),
    Case("backward(gradient='a')", lambda: (leaf() * 2).backward("a"),
         raises(TypeError, "gradient")),
    Case("backward twice", lambda: [y := (leaf() * leaf()).sum(), y.backward(), y.backward()],
         raises(RuntimeError, "second time"),
         lambda T: [y := (tt(T, requires_grad=True) ** 2).sum(), y.backward(), y.backward()]),
    Case("grad w.r.t. a tensor that needs no grad", lambda: autograd.grad(leaf().sum(), t()),
         raises(RuntimeError, "does not require grad"),
         lambda T: T.autograd.grad(tt(T, requires_grad=True).sum(), tt(T))),
    Case("grad w.r.t. an unused input", lambda: autograd.grad(leaf().sum(), leaf()),
         raises(RuntimeError, "not have been used"),
         lambda T: T.autograd.grad(tt(T, requires_grad=True).sum(), tt(T, requires_grad=True))),
    Case("hook that returns another shape", lambda: hooked_grad(lambda g: t(np.ones(3))),
         raises(RuntimeError, "hook.*size|shape"),
         lambda T: torch_hooked_grad(T, lambda g: T.ones(3))),
    Case("hook that returns a str", lambda: hooked_grad(lambda g: "a"),
         raises(TypeError, "hook"), lambda T: torch_hooked_grad(T, lambda g: "a")),
    Case("grad with respect to no inputs", lambda: autograd.grad(leaf().sum(), []),
         raises(RuntimeError, "inputs.*cannot be empty"),
         lambda T: T.autograd.grad(tt(T, requires_grad=True).sum(), [])),
    Case("grad of 2 outputs with 1 grad_output",
         lambda: autograd.grad([(x := leaf()) * 2, x * 3], [x], grad_outputs=[t()]),
         raises(RuntimeError, "got 2 tensors and 1 gradients"),
         lambda T: T.autograd.grad([(x := tt(T, requires_grad=True)) * 2, x * 3], [x],
                                   grad_outputs=[tt(T)])),
    Case("grad of a str", lambda: autograd.grad("y", leaf()), raises(TypeError, "str")),
    Case("grad with grad_outputs of wrong shape",
         lambda: autograd.grad((x := leaf()) * 2, x, grad_outputs=t(np.ones(3))),
         raises(RuntimeError, "shape"),
         lambda T: T.autograd.grad((x := tt(T, requires_grad=True)) * 2, x,
                                   grad_outputs=tt(T, np.ones(3)))),
    Case("gradcheck of float32 input", lambda: autograd.gradcheck(lambda x: x * 2, leaf([1.0])),
         raises(UserWarning, "not a double precision")),  # torch's warning, an error in pytest
    Case("gradcheck without inputs needing grad", lambda: autograd.gradcheck(lambda x: x, t()),
         raises(ValueError, "requires_grad")),
    Case("gradcheck of fn returning a number", lambda: autograd.gradcheck(lambda x: 1.0, leaf()),
         raises(TypeError, "must return Tensors")),
    Case("gradcheck of a function that detaches", lambda: autograd.gradcheck(
        lambda x: x.detach() * 2, leaf(np.ones(2))), raises(autograd.GradcheckError, "zero|0\\.0")),
    # (torch raises its own GradcheckError class for the same reason: "expected to be zero")
    Case("gradcheck(atol=-1)", lambda: autograd.gradcheck(lambda x: x * 2, leaf(np.ones(2)),
                                                          atol=-1),
         raises(ValueError, "atol")),
    Case("gradgradcheck without inputs needing grad",
         lambda: autograd.gradgradcheck(lambda x: x * 2, t(np.ones(2))),
         raises(ValueError, "requires_grad"),
         lambda T: T.autograd.gradgradcheck(lambda x: x * 2, tt(T, np.ones(2)))),
    Case("gradcheck of a 0-d input",
         lambda: autograd.gradcheck(lambda x: x.exp(), leaf(np.array(0.5))), gives(True)),
    Case("gradcheck of an empty input",
         lambda: autograd.gradcheck(lambda x: x * 2, leaf(np.zeros(0))), gives(True)),
    Case("gradcheck of a non-contiguous input",
         lambda: autograd.gradcheck(lambda x: x.tanh(), leaf(noncontiguous())), gives(True)),
    Case("gradcheck of a read-only input",
         lambda: autograd.gradcheck(lambda x: x.tanh(), leaf(readonly())), gives(True)),
    Case("gradcheck(eps=0)", lambda: autograd.gradcheck(lambda x: x * 2, leaf(), eps=0),
         raises(RuntimeError, "Jacobian mismatch"),  # 0/0: nan; a GradcheckError, both sides
         lambda T: T.autograd.gradcheck(lambda x: x * 2, tt(T, requires_grad=True), eps=0)),
    # ---- layers of the next chapters: embeddings, normalization, convolution, pooling ----------
    Case("one_hot of floats", lambda: F.one_hot(tensor([0.0, 1.0])),
         raises(RuntimeError, "LongTensor"), lambda T: TF(T).one_hot(T.tensor([0.0, 1.0]))),
    Case("pad(t, (1,))", lambda: F.pad(t(), (1,)), raises(RuntimeError, "divisible by 2"),
         lambda T: TF(T).pad(tt(T), (1,))),
    Case("normalize of ints", lambda: F.normalize(tensor([1, 2])),
         raises(RuntimeError, "floating point"), lambda T: TF(T).normalize(T.tensor([1, 2]))),
    Case("embedding index out of range", lambda: F.embedding(tensor([3]), tga.ones(3, 2)),
         raises(IndexError, "index out of range"),
         lambda T: TF(T).embedding(T.tensor([3]), T.ones(3, 2))),
    Case("Embedding(3, 2) on floats", lambda: nn.Embedding(3, 2)(tensor([0.0])),
         raises(RuntimeError, "'indices'"), lambda T: T.nn.Embedding(3, 2)(T.tensor([0.0]))),
    Case("layer_norm of the wrong shape", lambda: F.layer_norm(tga.ones(2, 3), (4,)),
         raises(RuntimeError, r"normalized_shape=\[4\]"),
         lambda T: TF(T).layer_norm(T.ones(2, 3), (4,))),
    Case("LayerNorm(3) on (2, 4)", lambda: nn.LayerNorm(3)(tga.ones(2, 4)),
         raises(RuntimeError, r"expected input with shape \[\*, 3\]"),
         lambda T: T.nn.LayerNorm(3)(T.ones(2, 4))),
    Case("batch_norm of one value per channel",
         lambda: F.batch_norm(tga.ones(1, 3), None, None, training=True),
         raises(ValueError, "more than 1 value per channel"),
         lambda T: TF(T).batch_norm(T.ones(1, 3), None, None, training=True)),
    Case("BatchNorm1d(3) on (4, 5)", lambda: nn.BatchNorm1d(3)(tga.ones(4, 5)),
         raises(RuntimeError, "running_mean should contain 5 elements not 3"),
         lambda T: T.nn.BatchNorm1d(3)(T.ones(4, 5))),
    Case("BatchNorm2d(3) on 3-d", lambda: nn.BatchNorm2d(3)(tga.ones(3, 4, 4)),
         raises(ValueError, "expected 4D input"), lambda T: T.nn.BatchNorm2d(3)(T.ones(3, 4, 4))),
    Case("conv1d with a weight of other channels",
         lambda: F.conv1d(tga.ones(1, 2, 5), tga.ones(1, 3, 2)),
         raises(RuntimeError, "to have 3 channels"),
         lambda T: TF(T).conv1d(T.ones(1, 2, 5), T.ones(1, 3, 2))),
    Case("conv2d on 2-d", lambda: F.conv2d(tga.ones(4, 4), tga.ones(1, 1, 2, 2)),
         raises(RuntimeError, "Expected 3D .unbatched. or 4D"),
         lambda T: TF(T).conv2d(T.ones(4, 4), T.ones(1, 1, 2, 2))),
    Case("Conv1d(2, 1, 3) on 4 channels", lambda: nn.Conv1d(2, 1, 3)(tga.ones(1, 4, 5)),
         raises(RuntimeError, "to have 2 channels"),
         lambda T: T.nn.Conv1d(2, 1, 3)(T.ones(1, 4, 5))),
    Case("Conv2d(1, 1, 5) on 3×3", lambda: nn.Conv2d(1, 1, 5)(tga.ones(1, 1, 3, 3)),
         raises(RuntimeError, "Kernel size can't be greater than actual input size"),
         lambda T: T.nn.Conv2d(1, 1, 5)(T.ones(1, 1, 3, 3))),
    Case("max_pool1d of a window larger than the input",
         lambda: F.max_pool1d(tga.ones(1, 1, 2), 3), raises(RuntimeError, "too small"),
         lambda T: TF(T).max_pool1d(T.ones(1, 1, 2), 3)),
    Case("max_pool2d(stride=0)", lambda: F.max_pool2d(tga.ones(1, 1, 4, 4), 2, stride=0),
         raises(RuntimeError, "stride should not be zero"),
         lambda T: TF(T).max_pool2d(T.ones(1, 1, 4, 4), 2, stride=0)),
    Case("MaxPool1d(0)", lambda: nn.MaxPool1d(0)(tga.ones(1, 1, 4)),
         raises(RuntimeError, "kernel_size must be greater than zero"),
         lambda T: T.nn.MaxPool1d(0)(T.ones(1, 1, 4))),
    Case("MaxPool2d(2) on 1×1", lambda: nn.MaxPool2d(2)(tga.ones(1, 1, 1, 1)),
         raises(RuntimeError, "Output size is too small"),
         lambda T: T.nn.MaxPool2d(2)(T.ones(1, 1, 1, 1))),
    Case("avg_pool1d with too much padding", lambda: F.avg_pool1d(tga.ones(1, 1, 4), 2, padding=2),
         raises(RuntimeError, "pad should be at most half"),
         lambda T: TF(T).avg_pool1d(T.ones(1, 1, 4), 2, padding=2)),
    Case("avg_pool2d of a window of size 0", lambda: F.avg_pool2d(tga.ones(1, 1, 4, 4), 0),
         raises(RuntimeError, "stride should not be zero"),
         lambda T: TF(T).avg_pool2d(T.ones(1, 1, 4, 4), 0)),
    Case("AvgPool1d(2) on a list", lambda: nn.AvgPool1d(2)([1.0, 2.0]),
         raises(TypeError, "must be Tensor, not list"), lambda T: T.nn.AvgPool1d(2)([1.0, 2.0])),
    Case("AvgPool2d(2) on 1×1", lambda: nn.AvgPool2d(2)(tga.ones(1, 1, 1, 1)),
         raises(RuntimeError, "Output size is too small"),
         lambda T: T.nn.AvgPool2d(2)(T.ones(1, 1, 1, 1))),
    Case("adaptive_avg_pool1d to size -1", lambda: F.adaptive_avg_pool1d(tga.ones(1, 4, 6), -1),
         raises(RuntimeError, "greater than or equal to 0"),
         lambda T: TF(T).adaptive_avg_pool1d(T.ones(1, 4, 6), -1)),
    Case("adaptive_avg_pool2d of 1-D", lambda: F.adaptive_avg_pool2d(tga.ones(4), 2),
         raises(RuntimeError, "Expected 3D or 4D tensor"),
         lambda T: TF(T).adaptive_avg_pool2d(T.ones(4), 2)),
    Case("adaptive_max_pool2d to 0 rows",
         lambda: F.adaptive_max_pool2d(tga.ones(1, 1, 4, 4), (0, 2)).array, gives(SAME),
         lambda T: TF(T).adaptive_max_pool2d(T.ones(1, 1, 4, 4), (0, 2))),
    Case("AdaptiveAvgPool1d(3) of an empty row", lambda: nn.AdaptiveAvgPool1d(3)(tga.ones(2, 0)),
         raises(RuntimeError, "non-zero size for non-batch dimensions"),
         lambda T: T.nn.AdaptiveAvgPool1d(3)(T.ones(2, 0))),
    Case("AdaptiveAvgPool2d((None, 2))",
         lambda: nn.AdaptiveAvgPool2d((None, 2))(t(np.arange(15.0).reshape(1, 3, 5))).array,
         gives(SAME),
         lambda T: T.nn.AdaptiveAvgPool2d((None, 2))(tt(T, np.arange(15.0).reshape(1, 3, 5)))),
    Case("AdaptiveMaxPool2d(-2)", lambda: nn.AdaptiveMaxPool2d(-2)(tga.ones(1, 4, 4)),
         raises(RuntimeError, "output_size|negative dimension"),
         lambda T: T.nn.AdaptiveMaxPool2d(-2)(T.ones(1, 4, 4))),
    Case("kl_div(reduction='avg')", lambda: F.kl_div(t(), t(), reduction="avg"),
         raises(ValueError, "avg is not a valid value for reduction"),
         lambda T: TF(T).kl_div(tt(T), tt(T), reduction="avg")),
    Case("kl_div with nan and a zero target",
         lambda: F.kl_div(t([np.nan, 0.0, -1.0]), t([0.0, 1.0, 0.5]), reduction="none").array,
         gives(SAME),
         lambda T: TF(T).kl_div(tt(T, [np.nan, 0.0, -1.0]), tt(T, [0.0, 1.0, 0.5]),
                                reduction="none")),
    Case("KLDivLoss of integers", lambda: nn.KLDivLoss(reduction="sum")(
        tensor([1, 2]), tensor([1, 2])), raises(RuntimeError, "Integral inputs not supported"),
         lambda T: T.nn.KLDivLoss(reduction="sum")(T.tensor([1, 2]), T.tensor([1, 2]))),
    Case("Softmax2d of 2-D", lambda: nn.Softmax2d()(t(np.ones((3, 3)))),
         raises(ValueError, "expected input to be 3D or 4D, got 2D"),
         lambda T: T.nn.Softmax2d()(tt(T, np.ones((3, 3))))),
    Case("Adamax(lr=-1)", lambda: optim.Adamax([leaf()], lr=-1),
         raises(ValueError, "Invalid learning rate: -1"),
         lambda T: T.optim.Adamax([T.ones(2, requires_grad=True)], lr=-1)),
    Case("Adamax(betas=(1.0, 0.9))", lambda: optim.Adamax([leaf()], betas=(1.0, 0.9)),
         raises(ValueError, "beta parameter at index 0"),
         lambda T: T.optim.Adamax([T.ones(2, requires_grad=True)], betas=(1.0, 0.9))),
    # ---- nn modules ------------------------------------------------------------------------------
    Case("Linear(3.5, 2)", lambda: nn.Linear(3.5, 2), raises(TypeError, "in_features"),
         lambda T: T.nn.Linear(3.5, 2)),
    Case("Linear(-1, 2)", lambda: nn.Linear(-1, 2), raises(RuntimeError, "in_features.*-1"),
         lambda T: T.nn.Linear(-1, 2)),
    Case("Linear('3', 2)", lambda: nn.Linear("3", 2), raises(TypeError, "in_features"),
         lambda T: T.nn.Linear("3", 2)),
    Case("Linear(0, 2) warns as torch", lambda: nn.Linear(0, 2),
         warns(UserWarning, "zero-element tensors is a no-op")),
    Case("Linear(3, 2) on (4, 5)", lambda: nn.Linear(3, 2)(t(np.ones((4, 5), np.float32))),
         raises(RuntimeError, r"cannot be multiplied \(4x5 and 3x2\)"),
         lambda T: T.nn.Linear(3, 2)(tt(T, np.ones((4, 5)), dtype=T.float32))),
    Case("Linear(3, 2) on a list", lambda: nn.Linear(3, 2)([1.0, 2.0, 3.0]),
         raises(TypeError, "'input'.*must be Tensor, not list"),
         lambda T: T.nn.Linear(3, 2)([1.0, 2.0, 3.0])),
    Case("Linear(3, 2) on 0-d", lambda: nn.Linear(3, 2)(t(1.0)),
         raises(RuntimeError, "both arguments to linear need to be at least 1D"),
         lambda T: T.nn.Linear(3, 2)(T.tensor(1.0))),
    Case("Linear(3, 2) on an empty batch", lambda: nn.Linear(3, 2)(ones32(0, 3)).shape,
         gives((0, 2))),
    Case("Linear(3, 2) on an int tensor", lambda: nn.Linear(3, 2)(tensor(np.ones((4, 3), int))),
         raises(RuntimeError, "same dtype.*int64"),
         lambda T: T.nn.Linear(3, 2)(T.ones((4, 3), dtype=T.long))),
    Case("Linear(dtype=float64)", lambda: train_linear(np.float64).dtype, gives(np.float64)),
    Case("Sequential(1)", lambda: nn.Sequential(1), raises(TypeError, "not a Module subclass"),
         lambda T: T.nn.Sequential(1)),
    Case("Sequential()[5]", lambda: nn.Sequential(nn.ReLU())[5], raises(IndexError, "5"),
         lambda T: T.nn.Sequential(T.nn.ReLU())[5]),
    Case("Sequential() is the identity", lambda: nn.Sequential()(t()).array, gives(floats())),
    Case("ReLU() on a list", lambda: nn.ReLU()([1.0]), raises(TypeError, "input.*list"),
         lambda T: T.nn.ReLU()([1.0])),
    Case("LeakyReLU('a')", lambda: nn.LeakyReLU("a")(t()), raises(TypeError, "negative_slope"),
         lambda T: T.nn.LeakyReLU("a")(tt(T))),
    Case("Softplus(beta=0)", lambda: nn.Softplus(beta=0)(t()), raises(ValueError, "beta")),
    Case("Softshrink(-1)", lambda: nn.Softshrink(-1)(t()), raises(RuntimeError, "lambda"),
         lambda T: T.nn.Softshrink(-1)(tt(T))),
    # torch refuses at construction with an AssertionError; here F refuses at the call.
    Case("Hardtanh(2, 1)", lambda: nn.Hardtanh(2, 1)(t()), raises(AssertionError, "min_val")),
    Case("Softmax(dim=3)", lambda: nn.Softmax(dim=3)(t()), raises(IndexError, "out of range"),
         lambda T: T.nn.Softmax(dim=3)(tt(T))),
    Case("PReLU(num_parameters=3) on 6 channels",
         lambda: nn.PReLU(num_parameters=3)(ones32(2, 6)),
         raises(RuntimeError, "Mismatch of parameter numbers"),
         lambda T: T.nn.PReLU(num_parameters=3)(tt(T, np.ones((2, 6)), dtype=T.float32))),
    Case("Flatten(2, 1)", lambda: nn.Flatten(2, 1)(t(np.ones((2, 3, 4)))),
         raises(RuntimeError, "start_dim cannot come after end_dim"),
         lambda T: T.nn.Flatten(2, 1)(tt(T, np.ones((2, 3, 4))))),
    Case("Flatten(5) of 2-d", lambda: nn.Flatten(5)(t(np.ones((2, 3)))),
         raises(IndexError, "Dimension out of range"),
         lambda T: T.nn.Flatten(5)(tt(T, np.ones((2, 3))))),
    Case("Identity(1, a=2) of a str", lambda: nn.Identity(1, a=2)("s"), gives("s"),
         lambda T: T.nn.Identity(1, a=2)("s")),
    Case("Module() called without forward", lambda: nn.Module()(t()),
         raises(NotImplementedError, "forward")),
    Case("Parameter of ints", lambda: nn.Parameter(np.array([1, 2])),
         raises(RuntimeError, "floating point"),
         lambda T: T.nn.Parameter(T.tensor([1, 2]))),
    Case("load_state_dict of a str", lambda: nn.Linear(2, 2).load_state_dict("w"),
         raises(TypeError, "dict-like"), lambda T: T.nn.Linear(2, 2).load_state_dict("w")),
    Case("load_state_dict with a wrong shape",
         lambda: nn.Linear(2, 2).load_state_dict(nn.Linear(3, 2).state_dict()),
         raises(RuntimeError, "size mismatch"),
         lambda T: T.nn.Linear(2, 2).load_state_dict(T.nn.Linear(3, 2).state_dict())),
    Case("Module.to('nonsense')", lambda: nn.Linear(2, 2).to("nonsense"),
         raises(RuntimeError, "device type at start of device string: nonsense"),
         lambda T: T.nn.Linear(2, 2).to("nonsense")),
    Case("train('yes')", lambda: nn.ReLU().train("yes"), raises(ValueError, "boolean"),
         lambda T: T.nn.ReLU().train("yes")),
    # ---- nn: containers, dropout, Unflatten, Bilinear, robust losses -------------------
    Case("ModuleList(3)", lambda: nn.ModuleList(3), raises(TypeError, "iterable"),
         lambda T: T.nn.ModuleList(3)),
    Case("ModuleDict with a dotted key", lambda: nn.ModuleDict({"a.b": nn.ReLU()}),
         raises(KeyError, "contain"), lambda T: T.nn.ModuleDict({"a.b": T.nn.ReLU()})),
    Case("Dropout(1.5)", lambda: nn.Dropout(1.5), raises(ValueError, "between 0 and 1"),
         lambda T: T.nn.Dropout(1.5)),
    Case("dropout of integers", lambda: F.dropout(t(np.array([1, 2])), 0.5),
         raises(RuntimeError, "can't be cast"),
         lambda T: T.nn.functional.dropout(T.tensor([1, 2]), 0.5)),
    Case("Unflatten(1, (5, 3)) on (2, 12)", lambda: nn.Unflatten(1, (5, 3))(ones32(2, 12)),
         raises(RuntimeError, "don't multiply up"),
         lambda T: T.nn.Unflatten(1, (5, 3))(T.ones(2, 12))),
    Case("bilinear of inputs that do not fit", lambda: F.bilinear(
         ones32(5, 3), ones32(5, 3), ones32(4, 2, 3)), raises(RuntimeError, "input1 size"),
         lambda T: T.nn.functional.bilinear(T.ones(5, 3), T.ones(5, 3), T.ones(4, 2, 3))),
    Case("Bilinear(2, 3, 4) on batches of 5 and 4", lambda: nn.Bilinear(2, 3, 4)(
         ones32(5, 2), ones32(4, 3)), raises(RuntimeError, "batch dimensions do not match"),
         lambda T: T.nn.Bilinear(2, 3, 4)(T.ones(5, 2), T.ones(4, 3))),
    Case("smooth_l1_loss(beta=-1)", lambda: F.smooth_l1_loss(t(), t(), beta=-1.0),
         raises(RuntimeError, "negative values for beta"),
         lambda T: T.nn.functional.smooth_l1_loss(tt(T), tt(T), beta=-1.0)),
    Case("SmoothL1Loss of integers",
         lambda: nn.SmoothL1Loss()(t(np.array([1])), t(np.array([2]))),
         raises(NotImplementedError, "smooth_l1_cpu"),
         lambda T: T.nn.SmoothL1Loss()(T.tensor([1]), T.tensor([2]))),
    Case("huber_loss(delta=0)", lambda: F.huber_loss(t(), t(), delta=0.0),
         raises(RuntimeError, "non-positive values for delta"),
         lambda T: T.nn.functional.huber_loss(tt(T), tt(T), delta=0.0)),
    Case("HuberLoss of nan and inf", lambda: nn.HuberLoss(reduction="none")(
         t(NONFINITE), t(np.zeros(5))).tolist()[1:], gives([np.inf, np.inf, 0.0, 0.0]),
         lambda T: T.nn.HuberLoss(reduction="none")(tt(T, NONFINITE), tt(T, np.zeros(5)))),
    # ---- linear ------------------------------------------------------------------------------
    Case("linear(list, w)", lambda: F.linear([1.0], t(np.ones((2, 1)))),
         raises(TypeError, r"argument 'input' \(position 1\) must be Tensor, not list")),
    Case("linear of shapes that do not multiply",
         lambda: F.linear(t(np.ones((2, 3))), t(np.ones((4, 2)))),
         raises(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x4\)"),
         lambda T: TF(T).linear(tt(T, np.ones((2, 3))), tt(T, np.ones((4, 2))))),
    Case("linear with a bias that does not broadcast",
         lambda: F.linear(t(np.ones((2, 3))), t(np.ones((4, 3))), t(np.ones(3))),
         raises(RuntimeError, "must match"),
         lambda T: TF(T).linear(tt(T, np.ones((2, 3))), tt(T, np.ones((4, 3))), tt(T, np.ones(3)))),
    Case("linear with nan and inf",
         lambda: F.linear(t(NONFINITE.reshape(1, 5)), t(np.ones((2, 5))), t(np.zeros(2))).array,
         gives(SAME),
         lambda T: TF(T).linear(tt(T, NONFINITE.reshape(1, 5)), tt(T, np.ones((2, 5))),
                                tt(T, np.zeros(2)))),
    # ---- losses (torch raises AttributeError for a list: no torch column there) -----------------
    Case("mse_loss(list, t)", lambda: F.mse_loss([1.0], t()),
         raises(TypeError, r"argument 'input' \(position 1\) must be Tensor, not list")),
    Case("mse_loss(t, 'a')", lambda: F.mse_loss(t(), "a"), raises(TypeError, "'target'")),
    Case("mse_loss(reduction='avg')", lambda: F.mse_loss(t(), t(), reduction="avg"),
         raises(ValueError, "avg is not a valid value for reduction"),
         lambda T: TF(T).mse_loss(tt(T), tt(T), reduction="avg")),
    Case("mse_loss of shapes that broadcast", lambda: F.mse_loss(t(), t(np.ones((2, 6)))),
         warns(UserWarning, "different to the input size")),
    Case("mse_loss of shapes that do not", lambda: quietly(lambda: F.mse_loss(t(), t(np.ones(4)))),
         raises(RuntimeError, "must match"),
         lambda T: quietly(lambda: TF(T).mse_loss(tt(T), tt(T, np.ones(4))))),
    Case("mse_loss of empty is nan", lambda: F.mse_loss(t(np.zeros(0)), t(np.zeros(0))).array,
         gives(SAME), lambda T: TF(T).mse_loss(tt(T, np.zeros(0)), tt(T, np.zeros(0)))),
    Case("mse_loss with nan and inf",
         lambda: F.mse_loss(t(NONFINITE), t(np.zeros(5)), reduction="none").array,
         gives(SAME),
         lambda T: TF(T).mse_loss(tt(T, NONFINITE), tt(T, np.zeros(5)), reduction="none")),
    Case("l1_loss(reduction=None)", lambda: F.l1_loss(t(), t(), reduction=None),
         raises(ValueError, "not a valid value for reduction"),
         lambda T: TF(T).l1_loss(tt(T), tt(T), reduction=None)),
    Case("cross_entropy with class 3 of 3",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, 3])),
         raises(IndexError, "Target 3 is out of bounds"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, 3]))),
    Case("cross_entropy with class -1",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, -1])),
         raises(IndexError, "Target -1 is out of bounds"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, -1]))),
    Case("cross_entropy with float class indices",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0.0, 1.0])),
         raises(RuntimeError, "Long"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0.0, 1.0]))),
    Case("cross_entropy with a batch mismatch",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, 1, 2])),
         raises(ValueError, "batch_size"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, 1, 2]))),
    Case("cross_entropy of 0-d", lambda: F.cross_entropy(t(1.0), tensor(0)),
         raises(ValueError, "dimensions")),
    Case("cross_entropy(weight=list)",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, 1]), weight=[1.0, 2.0, 3.0]),
         raises(TypeError, r"argument 'weight' \(position 3\) must be Tensor, not list"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, 1]),
                                       weight=[1.0, 2.0, 3.0])),
    Case("cross_entropy(label_smoothing='a')",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, 1]), label_smoothing="a"),
         raises(TypeError, "'label_smoothing' .* must be float, not str"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, 1]),
                                       label_smoothing="a")),
    Case("cross_entropy of an empty batch is nan",
         lambda: F.cross_entropy(t(np.ones((0, 3))), tensor(np.zeros(0, int))).array, gives(SAME),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((0, 3))), T.tensor(np.zeros(0, int)))),
    Case("cross_entropy(label_smoothing=1.5)",
         lambda: F.cross_entropy(t(np.ones((2, 3))), tensor([0, 1]), label_smoothing=1.5),
         raises(RuntimeError, "label_smoothing"),
         lambda T: TF(T).cross_entropy(tt(T, np.ones((2, 3))), T.tensor([0, 1]),
                                       label_smoothing=1.5)),
    Case("cross_entropy of huge logits",
         lambda: F.cross_entropy(t([[1e4, -1e4, 0.0]]), tensor([1])).array, gives(SAME),
         lambda T: TF(T).cross_entropy(tt(T, [[1e4, -1e4, 0.0]]), T.tensor([1]))),
    Case("nll_loss with weight of wrong size",
         lambda: F.nll_loss(t(np.ones((2, 3))), tensor([0, 1]), weight=t(np.ones(2))),
         raises(RuntimeError, "weight"),
         lambda T: TF(T).nll_loss(tt(T, np.ones((2, 3))), T.tensor([0, 1]),
                                  weight=tt(T, np.ones(2)))),
    Case("binary_cross_entropy of 1.5", lambda: F.binary_cross_entropy(t([1.5]), t([1.0])),
         raises(RuntimeError, "between 0 and 1"),
         lambda T: TF(T).binary_cross_entropy(tt(T, [1.5]), tt(T, [1.0]))),
    Case("binary_cross_entropy of nan", lambda: F.binary_cross_entropy(t([np.nan]), t([1.0])),
         raises(RuntimeError, "between 0 and 1"),
         lambda T: TF(T).binary_cross_entropy(tt(T, [np.nan]), tt(T, [1.0]))),
    Case("binary_cross_entropy of target 2", lambda: F.binary_cross_entropy(t([0.5]), t([2.0])),
         raises(RuntimeError, "target should be between 0 and 1"),
         lambda T: TF(T).binary_cross_entropy(tt(T, [0.5]), tt(T, [2.0]))),
    Case("binary_cross_entropy(weight=list)",
         lambda: F.binary_cross_entropy(t([0.5]), t([1.0]), weight=[2.0]),
         raises(TypeError, r"argument 'weight' \(position 3\) must be Tensor, not list")),
    Case("binary_cross_entropy of 0 and 1",
         lambda: F.binary_cross_entropy(t([0.0, 1.0]), t([1.0, 0.0]), reduction="none").array,
         gives(SAME),
         lambda T: TF(T).binary_cross_entropy(tt(T, [0.0, 1.0]), tt(T, [1.0, 0.0]),
                                              reduction="none")),
    Case("binary_cross_entropy, target of other shape",
         lambda: F.binary_cross_entropy(t([0.5, 0.5]), t([1.0])),
         raises(ValueError, "target size"),
         lambda T: TF(T).binary_cross_entropy(tt(T, [0.5, 0.5]), tt(T, [1.0]))),
    Case("binary_cross_entropy_with_logits, target of other shape",
         lambda: F.binary_cross_entropy_with_logits(t([0.5, 0.5]), t([1.0])),
         raises(ValueError, "[Tt]arget size"),
         lambda T: TF(T).binary_cross_entropy_with_logits(tt(T, [0.5, 0.5]), tt(T, [1.0]))),
    Case("binary_cross_entropy_with_logits of ±1e4",
         lambda: F.binary_cross_entropy_with_logits(t([1e4, -1e4]), t([0.0, 1.0]),
                                                    reduction="none").array,
         gives(SAME),
         lambda T: TF(T).binary_cross_entropy_with_logits(tt(T, [1e4, -1e4]), tt(T, [0.0, 1.0]),
                                                          reduction="none")),
    Case("MSELoss()(t, list)", lambda: nn.MSELoss()(t(), [1.0]), raises(TypeError, "'target'")),
    Case("L1Loss()(list, t)", lambda: nn.L1Loss()([1.0], t()), raises(TypeError, "'input'")),
    Case("BCELoss()(2.0, t)", lambda: nn.BCELoss()(t([2.0]), t([1.0])),
         raises(RuntimeError, "between 0 and 1"), lambda T: T.nn.BCELoss()(tt(T, [2.0]),
                                                                         tt(T, [1.0]))),
    Case("BCEWithLogitsLoss(pos_weight of wrong shape)",
         lambda: nn.BCEWithLogitsLoss(pos_weight=t(np.ones(3)))(t(np.ones((2, 2))),
                                                                t(np.ones((2, 2)))),
         raises(RuntimeError, "must match"),
         lambda T: T.nn.BCEWithLogitsLoss(pos_weight=tt(T, np.ones(3)))(
             tt(T, np.ones((2, 2))), tt(T, np.ones((2, 2))))),
    Case("NLLLoss(ignore_index=0) of all-ignored is nan",
         lambda: nn.NLLLoss(ignore_index=0)(t(np.zeros((2, 3))), tensor([0, 0])).array,
         gives(SAME),
         lambda T: T.nn.NLLLoss(ignore_index=0)(tt(T, np.zeros((2, 3))), T.tensor([0, 0]))),
    Case("CrossEntropyLoss(reduction='x')",
         lambda: nn.CrossEntropyLoss(reduction="x")(t(np.ones((2, 3))), tensor([0, 1])),
         raises(ValueError, "x is not a valid value for reduction"),
         lambda T: T.nn.CrossEntropyLoss(reduction="x")(tt(T, np.ones((2, 3))),
                                                       T.tensor([0, 1]))),
    # ---- optim ----------------------------------------------------------------------------------
    Case("SGD(lr=-1)", lambda: optim.SGD([leaf()], lr=-1), raises(ValueError, "learning rate"),
         lambda T: T.optim.SGD([tt(T, requires_grad=True)], lr=-1)),
    Case("SGD(lr='a')", lambda: optim.SGD([leaf()], lr="a"), raises(TypeError, "not supported"),
         lambda T: T.optim.SGD([T.ones(2, requires_grad=True)], lr="a")),
    Case("SGD(lr=nan) is accepted, as torch",
         lambda: optim.SGD([leaf()], lr=float("nan")).defaults["lr"] != 0, gives(True)),
    Case("SGD([])", lambda: optim.SGD([], lr=0.1), raises(ValueError, "empty parameter list"),
         lambda T: T.optim.SGD([], lr=0.1)),
    Case("SGD(tensor)", lambda: optim.SGD(leaf(), lr=0.1), raises(TypeError, "iterable"),
         lambda T: T.optim.SGD(tt(T, requires_grad=True), lr=0.1)),
    Case("SGD([1.0])", lambda: optim.SGD([1.0], lr=0.1), raises(TypeError, "only optimize Tensors"),
         lambda T: T.optim.SGD([1.0], lr=0.1)),
    Case("SGD of a non-leaf", lambda: optim.SGD([leaf() * 2], lr=0.1),
         raises(ValueError, "non-leaf"),
         lambda T: T.optim.SGD([tt(T, requires_grad=True) * 2], lr=0.1)),
    Case("SGD(momentum=-0.1)", lambda: optim.SGD([leaf()], lr=0.1, momentum=-0.1),
         raises(ValueError, "momentum"),
         lambda T: T.optim.SGD([tt(T, requires_grad=True)], lr=0.1, momentum=-0.1)),
    Case("SGD(nesterov, no momentum)", lambda: optim.SGD([leaf()], lr=0.1, nesterov=True),
         raises(ValueError, "Nesterov"),
         lambda T: T.optim.SGD([tt(T, requires_grad=True)], lr=0.1, nesterov=True)),
    # torch only warns ("in future, this will cause an error"): here it is the error already.
    Case("SGD with a duplicate parameter", lambda: optim.SGD([p := leaf(), p], lr=0.1),
         warns(UserWarning, "duplicate parameters")),
    Case("SGD step on a read-only parameter", lambda: sgd_step_on(readonly()),
         gives(np.zeros(7))),
    Case("Adam(betas=(1.0, 0.9))", lambda: optim.Adam([leaf()], betas=(1.0, 0.9)),
         raises(ValueError, "beta parameter at index 0"),
         lambda T: T.optim.Adam([tt(T, requires_grad=True)], betas=(1.0, 0.9))),
    Case("AdamW(lr=-1)", lambda: optim.AdamW([leaf()], lr=-1),
         raises(ValueError, "Invalid learning rate: -1"),
         lambda T: T.optim.AdamW([T.ones(2, requires_grad=True)], lr=-1)),
    Case("RMSprop(alpha=-1)", lambda: optim.RMSprop([leaf()], alpha=-1),
         raises(ValueError, "Invalid alpha value: -1"),
         lambda T: T.optim.RMSprop([T.ones(2, requires_grad=True)], alpha=-1)),
    Case("Adagrad(lr_decay=-1)", lambda: optim.Adagrad([leaf()], lr_decay=-1),
         raises(ValueError, "Invalid lr_decay value: -1"),
         lambda T: T.optim.Adagrad([T.ones(2, requires_grad=True)], lr_decay=-1)),
    Case("Adam(betas=(0.9, 'a'))", lambda: optim.Adam([leaf()], betas=(0.9, "a")),
         raises(TypeError, "not supported"),
         lambda T: T.optim.Adam([T.ones(2, requires_grad=True)], betas=(0.9, "a"))),
    Case("a gradient of the wrong shape", lambda: sgd_step_with_grad(np.ones(4)),
         raises(RuntimeError, r"assign a gradient of size '\[4\]' to a tensor of size '\[6\]'"),
         lambda T: setattr(T.ones(6, requires_grad=True), "grad", T.ones(4))),
    Case("an integer gradient", lambda: sgd_step_with_grad(np.ones(6, int)),
         raises(RuntimeError, "assign a gradient with dtype 'long int' to a tensor with grad_"),
         lambda T: setattr(T.ones(6, requires_grad=True), "grad", T.ones(6, dtype=T.int64))),
    Case("a gradient that is a list", lambda: setattr(leaf(), "grad", [1.0] * 6),
         raises(TypeError, "assigned grad expected to be a Tensor or None but got grad of"),
         lambda T: setattr(T.ones(6, requires_grad=True), "grad", [1.0] * 6)),
    Case("step with a nan gradient", lambda: sgd_step_with_grad(np.full(6, np.nan)),
         gives(np.full(6, np.nan))),
    Case("Adam(eps=-1)", lambda: optim.Adam([leaf()], eps=-1), raises(ValueError, "epsilon"),
         lambda T: T.optim.Adam([tt(T, requires_grad=True)], eps=-1)),
    Case("Adam(weight_decay=-1)", lambda: optim.Adam([leaf()], weight_decay=-1),
         raises(ValueError, "weight_decay"),
         lambda T: T.optim.Adam([tt(T, requires_grad=True)], weight_decay=-1)),
    # ---- fn -------------------------------------------------------------------------------------
    Case("fn.tanh('a')", lambda: fn.tanh("a"), raises(TypeError, "str")),
    Case("fn.tanh(None)", lambda: fn.tanh(None), raises(TypeError, "NoneType")),
    Case("fn.leaky_relu(slope=0.2)", lambda: fn.leaky_relu(slope=0.2),
         raises(TypeError, "unexpected keyword argument 'slope'.*negative_slope")),
    Case("fn.softshrink(lambd=-1)", lambda: fn.softshrink(lambd=-1),
         raises(RuntimeError, "lambda must be in range")),
    Case("fn.softplus(beta=0)", lambda: fn.softplus(beta=0), raises(ValueError, "beta")),
    Case("fn.hardtanh(min_val='a')", lambda: fn.hardtanh(min_val="a"),
         raises(TypeError, "min_val")),
    Case("fn.threshold without parameters", lambda: fn.threshold(0.5),
         raises(TypeError, "missing 2 required positional arguments")),
    Case("fn.tanh(['a'])", lambda: fn.tanh(["a"]), raises(TypeError, "not an array of numbers")),
    Case("fn.tanh of a ragged list", lambda: fn.tanh([[0.0, 1.0], [2.0]]),
         raises(TypeError, "not an array of numbers")),
    Case("fn.tanh of a str array", lambda: fn.tanh(np.array(["a"])),
         raises(TypeError, "not an array of numbers")),
    Case("fn.tanh of an empty array", lambda: fn.tanh(np.zeros(0)), gives(np.zeros(0))),
    Case("fn.tanh of a 0-d array", lambda: fn.tanh(np.array(0.5)), gives(np.tanh(0.5))),
    Case("fn.tanh of an int array is float64", lambda: fn.tanh(np.array([0, 1])).dtype,
         gives(np.float64)),
    Case("fn.tanh of a bool array", lambda: fn.tanh(np.array([True, False])),
         gives(np.tanh([1.0, 0.0]))),
    Case("fn.tanh of a read-only view", lambda: fn.tanh(readonly()), gives(np.tanh(readonly()))),
    Case("fn.tanh of a non-contiguous view", lambda: fn.tanh(noncontiguous()),
         gives(np.tanh(noncontiguous()))),
    Case("fn.log of negatives and 0", lambda: fn.log(np.array([-1.0, 0.0])),
         gives(np.array([np.nan, -np.inf]))),
    Case("fn: 1e300*x*x overflows to inf", lambda: (1e300 * fn.x * fn.x)(np.array([1e10, 0.0])),
         gives(np.array([np.inf, 0.0]))),
    Case("fn.x + 'a'", lambda: fn.x + "a", raises(TypeError, "str")),
    Case("fn.random(-1)", lambda: fn.random(-1), raises(ValueError, "depth")),
    Case("fn.random(2.5)", lambda: fn.random(2.5), raises(ValueError, "depth")),
    Case("fn.random(2, width=0)", lambda: fn.random(2, width=0), raises(ValueError, "width")),
    Case("fn.random(1, seed=-1)", lambda: fn.random(1, seed=-1), raises(ValueError, "seed")),
    Case("fn.random(1, seed='a')", lambda: fn.random(1, seed="a"), raises(ValueError, "seed")),
    Case("fn.random(2, activations=[])", lambda: fn.random(2, activations=[]),
         raises(ValueError, "at least one")),
    Case("fn.random(2, activations=['softmax'])", lambda: fn.random(2, activations=["softmax"]),
         raises(ValueError, "softmax is not elementwise")),
    Case("fn.random(2, activations='tanh')", lambda: fn.random(2, activations="tanh"),
         raises(TypeError, r"list of names.*\['tanh'\]")),
    Case("fn.x.named('1bad')", lambda: fn.x.named("1bad"), raises(ValueError, "identifier")),
    Case("fn.x.named('tanh')", lambda: fn.x.named("tanh"), raises(ValueError, "already means")),
    Case("fn.x.named(3)", lambda: fn.x.named(3), raises(ValueError, "identifier.*got 3")),
    Case("fn.tanh.derivative(-1)", lambda: fn.tanh.derivative(-1),
         raises(ValueError, "non-negative integer")),
    Case("fn.tanh.derivative(1.5)", lambda: fn.tanh.derivative(1.5),
         raises(ValueError, "non-negative integer, got 1.5")),
    Case("fn.parse(b'x')", lambda: fn.parse(b"x"), raises(TypeError, "str")),
    Case("fn.parse binds x", lambda: fn.parse("x", x=fn.x), raises(ValueError, "already means")),
    Case("fn.parse binds a list", lambda: fn.parse("A", A=[1, 2]), raises(TypeError, "A must be")),
    Case("fn.parse binds bad text", lambda: fn.parse("A", A="tanh"),
         raises(fn.ParseError, "in A: tanh is a function")),
    Case("fn.parse('1e999*x')", lambda: fn.parse("1e999*x"),
         raises(fn.ParseError, "too large for a float")),
    Case("fn.parse('True(x)') suggests no keyword", lambda: fn.parse("True(x)"),
         raises(fn.ParseError, r"unknown name 'True' \(")),
    Case("fn.parse('tanh(x')", lambda: fn.parse("tanh(x"), raises(fn.ParseError, "never closed")),
    Case("fn.parse('softshrink(x, -1)')", lambda: fn.parse("softshrink(x, -1)"),
         raises(fn.ParseError, "lambda must be in range")),
]
# fmt: on


# -- the activations, each given every kind of awkward input (rows generated from the registry) --


def _weight(torch: Any = None, dtype: Any = np.float64) -> Any:
    """prelu's one slope, as a tinygrad_acts or a torch tensor."""
    if torch is None:
        return tensor(np.full(1, 0.25, dtype=dtype))
    return torch.full((1,), 0.25, dtype=getattr(torch, np.dtype(dtype).name))


def _params(name: str) -> dict[str, Any]:
    params = {k: v for k, v in ACTIVATIONS[name].call_params().items() if k != "weight"}
    if name in ("softmax", "log_softmax", "softmin", "glu"):
        params["dim"] = 0
    return params


def _upstream(shape: tuple[int, ...]) -> np.ndarray:
    """Fixed weights for a vector-Jacobian product (not all ones: softmax's would vanish)."""
    return np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape)


def _ours(name: str, data: Any) -> Callable[[], Any]:
    """F.name on ``data``: the values, and for a floating input without nan also the
    vector-Jacobian product with fixed weights, in one flat array."""

    def call() -> Any:
        x = Tensor(data) if isinstance(data, np.ndarray) else data
        kind = data.dtype.kind if isinstance(data, np.ndarray) else ""
        extra = {"weight": _weight(dtype=data.dtype if kind == "f" else np.float32)}
        extra = extra if name == "prelu" else {}
        if kind != "f" or np.isnan(data).any():  # no gradient at nan: torch's is arbitrary
            return ACTIVATIONS[name].function(x, **_params(name), **extra).array
        x.requires_grad_(True)
        y = ACTIVATIONS[name].function(x, **_params(name), **extra)
        (g,) = autograd.grad(y, x, grad_outputs=Tensor(_upstream(y.shape)))
        return np.concatenate([y.array.ravel(), g.array.ravel()])

    return call


def _theirs(name: str, data: Any) -> Callable[[Any], Any]:
    """torch's answer, as ``_ours`` gives it (or its error: where torch has no kernel for an
    integer or bool input, F raises the same)."""

    def call(torch: Any) -> Any:
        function = getattr(torch.nn.functional, name)
        if not isinstance(data, np.ndarray):
            return function(data, **_params(name))
        x = torch.tensor(np.array(data))
        dtype = x.dtype if data.dtype.kind == "f" else torch.float32
        extra = {"weight": torch.full((1,), 0.25, dtype=dtype)} if name == "prelu" else {}
        if data.dtype.kind != "f":
            return function(x, **_params(name), **extra).numpy()
        if np.isnan(data).any():
            return function(x, **_params(name), **extra).numpy()
        x.requires_grad_(True)
        y = function(x, **_params(name), **extra)
        weights = torch.tensor(_upstream(tuple(y.shape)), dtype=y.dtype)
        (g,) = torch.autograd.grad(y, x, grad_outputs=weights)
        return np.concatenate([y.detach().numpy().ravel(), g.numpy().ravel()])

    return call


INPUTS: dict[str, Any] = {
    "a list": [1.0, 2.0],
    "int64": np.array([-2, 0, 3, 8]),
    "bool": np.array([True, False]),
    "empty": np.zeros(0),
    "0-d": np.array(0.7),
    "nan": np.array([np.nan, 0.5, -1.0]),  # values only: torch's gradients at nan are arbitrary
    "±inf and ±0": np.array([np.inf, -np.inf, 0.0, -0.0, 1.5, -2.5]),
    "non-contiguous": noncontiguous(),
    "read-only": readonly(),
}

# Known defects among the generated rows: (activation, kind of input) -> what is wrong.
GENERATED_DEFECTS: dict[tuple[str, str], str] = {}


def _softsign_at_infinities() -> np.ndarray:
    """softsign(±inf) is nan, as torch's x / (1 + |x|) gives (the limits are ±1); its derivative
    1/(1 + |x|)² is 0 there (torch: nan, from inf/inf)."""
    x = INPUTS["±inf and ±0"]
    finite = np.where(np.isinf(x), 0.0, x)
    value = np.where(np.isinf(x), np.nan, finite / (1 + np.abs(finite)))
    return np.concatenate([value, _upstream(x.shape) / (1 + np.abs(x)) ** 2])


# Generated rows whose right answer is not torch's: (activation, kind) -> expectation.
GENERATED_OVERRIDES = {("softsign", "±inf and ±0"): gives(_softsign_at_infinities())}

# fmt: off
for _name in ACTIVATIONS:
    for _kind, _data in INPUTS.items():
        if _kind == "a list":  # torch's F functions vary here (many raise AttributeError)
            CASES.append(Case(f"F.{_name} of {_kind}", _ours(_name, _data),
                              raises(TypeError, "argument 'input'.*must be Tensor, not list")))
        else:
            CASES.append(Case(f"F.{_name} of {_kind}", _ours(_name, _data),
                              GENERATED_OVERRIDES.get((_name, _kind), like_torch()),
                              _theirs(_name, _data), GENERATED_DEFECTS.get((_name, _kind))))
# fmt: on


# Every activation module: built with its defaults (and the registry's sample values), in eval
# mode (rrelu is random in training), called on a list and on float32 values with ±inf.


def _module_kwargs(name: str) -> dict[str, Any]:
    kwargs = {k: v for k, v in _params(name).items() if k != "training"}
    return kwargs


def _module_call(name: str, data: Any) -> Callable[[], Any]:
    def call() -> Any:
        module = ACTIVATIONS[name].module(**_module_kwargs(name)).eval()
        x = tensor(data.astype(np.float32)) if isinstance(data, np.ndarray) else data
        return module(x).array

    return call


def _torch_module_call(name: str, data: np.ndarray) -> Callable[[Any], Any]:
    def call(torch: Any) -> Any:
        module = getattr(torch.nn, ACTIVATIONS[name].module.__name__)(**_module_kwargs(name))
        return module.eval()(torch.tensor(data.astype(np.float32)))

    return call


_INFINITIES = np.array([np.inf, -np.inf, 0.0, 1.5, -2.5, 7.0])


def _gelu_at_infinities() -> np.ndarray:
    """GELU(+inf) = inf (torch's float32 kernel: nan); GELU(-inf) is nan, as torch's (-inf·0)."""
    finite = [v * (1 + math.erf(v / math.sqrt(2))) / 2 for v in _INFINITIES[2:]]
    return np.array([np.inf, np.nan, *finite])


MODULE_OVERRIDES = {"GELU": gives(_gelu_at_infinities())}
# fmt: off
for _name, _entry in ACTIVATIONS.items():
    _module = _entry.module.__name__
    CASES.append(Case(f"nn.{_module}() on a list", _module_call(_name, [1.0, 2.0]),
                      raises(TypeError, "argument 'input'.*must be Tensor, not list")))
    CASES.append(Case(f"nn.{_module}() on ±inf", _module_call(_name, _INFINITIES),
                      MODULE_OVERRIDES.get(_module, like_torch()),
                      _torch_module_call(_name, _INFINITIES)))
# fmt: on


# Out-of-range and mistyped parameters of the activations.
# fmt: off
CASES += [
    Case("softplus(beta=0)", lambda: F.softplus(t(), beta=0), raises(ValueError, "beta")),
    Case("softplus(beta='a')", lambda: F.softplus(t(), beta="a"),
         raises(TypeError, r"argument 'beta' \(position 2\) must be Number, not str"),
         lambda T: TF(T).softplus(tt(T), beta="a")),
    Case("softplus(beta=-2)", lambda: F.softplus(t(), beta=-2).array, gives(SAME),
         lambda T: TF(T).softplus(tt(T), beta=-2)),
    Case("softplus(threshold=nan)", lambda: F.softplus(t(), threshold=float("nan")).array,
         gives(SAME), lambda T: TF(T).softplus(tt(T), threshold=float("nan"))),
    Case("softshrink(lambd=-1)", lambda: F.softshrink(t(), -1),
         raises(RuntimeError, r"lambda must be in range \[0, 1.79769e\+308\] for input dtype "
                              "Double, but found -1"),
         lambda T: TF(T).softshrink(tt(T), -1)),
    Case("softshrink(lambd=nan)", lambda: F.softshrink(t(), float("nan")),
         raises(RuntimeError, "lambda"), lambda T: TF(T).softshrink(tt(T), float("nan"))),
    Case("hardshrink(lambd=-1)", lambda: F.hardshrink(t(), -1).array, gives(SAME),
         lambda T: TF(T).hardshrink(tt(T), -1)),
    Case("leaky_relu(negative_slope=None)", lambda: F.leaky_relu(t(), None),
         raises(TypeError, "negative_slope"), lambda T: TF(T).leaky_relu(tt(T), None)),
    Case("leaky_relu(negative_slope=nan)", lambda: F.leaky_relu(t(), float("nan")).array,
         gives(SAME), lambda T: TF(T).leaky_relu(tt(T), float("nan"))),
    Case("hardtanh(2, 1)", lambda: F.hardtanh(t(), 2, 1), raises(ValueError, "min_val"),
         lambda T: TF(T).hardtanh(tt(T), 2, 1)),
    Case("hardtanh(1, 1)", lambda: F.hardtanh(t(), 1, 1).array, gives(SAME),
         lambda T: TF(T).hardtanh(tt(T), 1, 1)),
    Case("hardswish(±1e308) is ±1e308 and 0 (torch overflows to inf and nan)",
         lambda: F.hardswish(t(HUGE)).array, gives(np.array([1e308, 0.0]))),
    Case("elu(alpha=-1)", lambda: F.elu(t(), alpha=-1).array, gives(SAME),
         lambda T: TF(T).elu(tt(T), alpha=-1)),
    Case("celu(alpha=0)", lambda: F.celu(t(), alpha=0), raises(RuntimeError, "alpha"),
         lambda T: TF(T).celu(tt(T), alpha=0)),
    # The in-place spellings: on a leaf that requires grad, torch's refusal; values as torch's.
    Case("relu_ of a leaf that requires grad", lambda: F.relu_(leaf()),
         raises(RuntimeError, "leaf Variable"),
         lambda T: TF(T).relu_(tt(T, requires_grad=True))),
    Case("elu_(alpha=-1)", lambda: F.elu_(t(), alpha=-1).array, gives(SAME),
         lambda T: TF(T).elu_(tt(T), alpha=-1)),
    Case("selu_ of ±inf and nan", lambda: F.selu_(t([-np.inf, np.inf, np.nan])).array,
         gives(SAME), lambda T: TF(T).selu_(tt(T, [-np.inf, np.inf, np.nan]))),
    Case("celu_(alpha=0)", lambda: F.celu_(t(), alpha=0), raises(RuntimeError, "alpha"),
         lambda T: TF(T).celu_(tt(T), alpha=0)),
    Case("leaky_relu_(negative_slope=None)", lambda: F.leaky_relu_(t(), None),
         raises(TypeError, "negative_slope")),
    # (torch's hardtanh_ skips F.hardtanh's check and clamps to max_val: refused here)
    Case("hardtanh_(2, 1)", lambda: F.hardtanh_(t(), 2, 1), raises(ValueError, "min_val")),
    Case("rrelu_(0.5, 0.1)", lambda: F.rrelu_(t(), 0.5, 0.1),
         raises(RuntimeError, "Lower bound"), lambda T: TF(T).rrelu_(tt(T), 0.5, 0.1)),
    Case("threshold_ of an integer tensor", lambda: F.threshold_(t([-1, 2]), 0, 5).array,
         gives(SAME), lambda T: TF(T).threshold_(tt(T, [-1, 2]), 0, 5)),
    Case("gelu(approximate='fast')", lambda: F.gelu(t(), approximate="fast"),
         raises(RuntimeError, "approximate"), lambda T: TF(T).gelu(tt(T), approximate="fast")),
    Case("threshold without value", lambda: F.threshold(t(), 0.5), raises(TypeError, "value"),
         lambda T: TF(T).threshold(tt(T), 0.5)),
    Case("threshold(nan, 0)", lambda: F.threshold(t(), float("nan"), 0.0).array, gives(SAME),
         lambda T: TF(T).threshold(tt(T), float("nan"), 0.0)),
    Case("rrelu(lower > upper)", lambda: F.rrelu(t(), 0.5, 0.1),
         raises(RuntimeError, "Lower bound should be less than or equal to the upper bound"),
         lambda T: TF(T).rrelu(tt(T), 0.5, 0.1)),
    Case("prelu(weight=0.25)", lambda: F.prelu(t(), 0.25),
         raises(TypeError, r"argument 'weight' \(position 2\) must be Tensor, not float"),
         lambda T: TF(T).prelu(tt(T), 0.25)),
    Case("prelu with 3 slopes on 6 channels", lambda: F.prelu(t(np.ones((2, 6))), t(np.ones(3))),
         raises(RuntimeError, "Mismatch of parameter numbers"),
         lambda T: TF(T).prelu(tt(T, np.ones((2, 6))), tt(T, np.ones(3)))),
    Case("softmax(dim=3)", lambda: F.softmax(t(), dim=3),
         raises(IndexError, "Dimension out of range"), lambda T: TF(T).softmax(tt(T), dim=3)),
    Case("softmax(dim='a')", lambda: F.softmax(t(), dim="a"), raises(TypeError, "dim")),
    Case("softmax without dim", lambda: F.softmax(t()).array,
         warns(UserWarning, "Implicit dimension choice for softmax")),
    Case("softmax of ±inf", lambda: F.softmax(t([np.inf, 0.0, -np.inf]), dim=0).array,
         gives(SAME), lambda T: TF(T).softmax(tt(T, [np.inf, 0.0, -np.inf]), dim=0)),
    Case("log_softmax of all -inf", lambda: F.log_softmax(t([-np.inf, -np.inf]), dim=0).array,
         gives(SAME), lambda T: TF(T).log_softmax(tt(T, [-np.inf, -np.inf]), dim=0)),
    Case("glu of an odd dim", lambda: F.glu(t(np.ones(5))), raises(RuntimeError, "even"),
         lambda T: TF(T).glu(tt(T, np.ones(5)))),
    Case("glu(dim=2) of 1-d", lambda: F.glu(t(), dim=2), raises(IndexError, "out of range"),
         lambda T: TF(T).glu(tt(T), dim=2)),
]
# fmt: on


# -- viz and plot, when their extras are installed ------------------------------------------------


def _viz_cases() -> list[Case]:
    from tinygrad_acts import viz

    y = (leaf() * 2).tanh().sum()
    # fmt: off
    return [
        Case("viz.draw of a number", lambda: viz.draw(1.0), raises(TypeError, "Tensor")),
        Case("viz.to_dot of a leaf", lambda: viz.to_dot(leaf()).startswith("digraph"),
             gives(True)),
        Case("viz.draw(rankdir='XY')", lambda: viz.draw(y, rankdir="XY"),
             raises(ValueError, "rankdir")),
        Case("viz.draw(max_nodes=1)", lambda: viz.draw(y, max_nodes=1),
             raises(ValueError, "nodes")),
        Case("viz.draw(params='x')", lambda: viz.draw(y, params="x"),
             raises(TypeError, "params")),
        Case("viz.to_dot of nan data", lambda: "nan" in viz.to_dot((leaf(NONFINITE) * 2).sum()),
             gives(True)),
    ]
    # fmt: on


def _plot_cases() -> list[Case]:
    from tinygrad_acts import plot

    # fmt: off
    return [
        Case("plot.curves([])", lambda: plot.curves([]), raises(ValueError, "at least one")),
        Case("plot.curves('tahn')", lambda: plot.curves("tahn"), raises(ValueError, "tahn")),
        Case("plot.curves(3)", lambda: plot.curves(3), raises(TypeError, "int")),
        Case("plot.curves(derivatives=(-1,))", lambda: plot.curves("relu", derivatives=(-1,)),
             raises(ValueError, "derivatives")),
        Case("plot.curves(x=[0.0])", lambda: plot.curves("relu", x=[0.0]),
             raises(ValueError, "two points")),
        Case("plot.curves(x with nan and inf)", lambda: plot.curves("relu", x=NONFINITE),
             raises(ValueError, r"\bx\b.*finite")),
    ]
    # fmt: on


try:
    CASES += _viz_cases()
except ImportError:  # the viz extra is not installed
    pass
try:
    CASES += _plot_cases()
except ImportError:  # the plot extra is not installed
    pass


# -- the test -------------------------------------------------------------------------------------


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.defect)] if case.defect else []
    return pytest.param(case, id=case.name, marks=marks)


def _array(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        return value.detach().numpy()
    return np.asarray(value.array if isinstance(value, Tensor) else value)


def _torch_family(ours: type[BaseException], theirs: BaseException) -> bool:
    """Same family: one type is a subclass of the other (torch's errors are the builtins)."""
    return isinstance(theirs, ours) or issubclass(ours, type(theirs))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_value(case: Case, request: pytest.FixtureRequest) -> None:
    expect = case.expect
    if isinstance(expect, Raises):
        with pytest.raises(expect.type, match=expect.words):
            case.call()
        if case.torch is not None:
            torch = request.getfixturevalue("torch")
            with pytest.raises(Exception) as theirs:
                case.torch(torch)
            assert _torch_family(expect.type, theirs.value), (
                f"torch raises {type(theirs.value).__name__}: {theirs.value}"
            )
        return
    if isinstance(expect, Warns):
        with pytest.warns(expect.type, match=expect.words):
            case.call()
        return
    if isinstance(expect, LikeTorch):
        torch = request.getfixturevalue("torch")
        try:
            theirs = case.torch(torch)
        except Exception as e:
            with pytest.raises(Exception) as ours_raised:
                case.call()
            assert _torch_family(type(ours_raised.value), e), (
                f"we raise {ours_raised.value!r}, torch raises {e!r}"
            )
            return
        expect = gives(SAME)
        ours = case.call()
    else:
        ours = case.call()
    if expect.value is SAME:
        theirs = case.torch(request.getfixturevalue("torch"))
        np.testing.assert_allclose(
            _array(ours), _array(theirs), rtol=1e-6, atol=1e-7, equal_nan=True
        )
        assert _array(ours).shape == _array(theirs).shape
    elif isinstance(expect.value, np.ndarray):
        rtol = 1e-6 if _array(ours).dtype == np.float32 else 1e-12
        np.testing.assert_allclose(_array(ours), expect.value, rtol=rtol, equal_nan=True)
    elif isinstance(expect.value, float) and not isinstance(ours, bool):
        assert ours == pytest.approx(expect.value) or (
            math.isnan(ours) and math.isnan(expect.value)
        )
    else:
        assert ours == expect.value


def test_every_public_function_has_a_row():
    """Each F function, nn module and optimizer appears in the table by name."""
    names = " ".join(c.name for c in CASES)
    public = [n for n in F.__all__ if n[0].islower() and n != "manual_seed"]
    public += [n for n, m in inspect.getmembers(nn, inspect.isclass) if issubclass(m, nn.Module)]
    public += [
        n
        for n, m in inspect.getmembers(optim, inspect.isclass)
        if issubclass(m, optim.Optimizer) and m is not optim.Optimizer
    ]
    missing = [n for n in public if n not in names and n != "Module"]
    assert not missing, f"no bad-value row for {missing}"
