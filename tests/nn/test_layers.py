"""The layers that are not activations — Linear, Bilinear, Identity, Flatten, Unflatten and
Dropout — against torch: values, gradients, initial distributions, printed form, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from run_on_both import outcome
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.nn import functional as F

# -- Linear ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
def test_linear_initialisation_is_torchs_distribution(bias):
    """kaiming_uniform_(a=√5) for the weight and U(-1/√in, 1/√in) for the bias: both uniform
    on [-1/√in, 1/√in), of variance bound²/3."""
    tga.manual_seed(0)
    layer = nn.Linear(400, 300, bias=bias)
    bound = np.float32(1 / np.sqrt(400))
    params = [layer.weight.array] + ([layer.bias.array] if bias else [])
    assert (layer.bias is None) == (not bias)
    for p in params:
        assert p.dtype == np.float32
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.98 * bound
        assert np.var(p) == pytest.approx(bound**2 / 3, rel=0.1)
    w = layer.weight.array
    assert abs(w.mean()) < 5 * np.sqrt(bound**2 / 3 / w.size)  # five standard errors


def test_linear_reset_parameters_draws_again_and_repeats_with_the_seed():
    tga.manual_seed(3)
    layer = nn.Linear(3, 2)
    first = layer.weight.detach().clone()
    layer.reset_parameters()
    assert not np.array_equal(layer.weight.array, first.array)
    tga.manual_seed(3)
    np.testing.assert_array_equal(nn.Linear(3, 2).weight.array, first.array)


def test_linear_with_no_inputs_warns_and_has_a_zero_bias_as_torch(torch):
    for lib in (tga, torch):
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            layer = lib.nn.Linear(0, 3)
        assert layer.bias.abs().sum().item() == 0.0  # bound 0: U(0, 0)


def test_linear_forward_and_gradients_match_torch(torch, rng):
    tga.manual_seed(0)
    x = rng.normal(size=(2, 5, 3))
    ours = nn.Linear(3, 4).double()
    theirs = torch.nn.Linear(3, 4).double()
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    xo, xt = tga.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.array, yt.detach().numpy(), rtol=1e-13, atol=1e-15)
    (yo * yo).sum().backward()
    (yt * yt).sum().backward()
    np.testing.assert_allclose(xo.grad.array, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.array, theirs.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.bias.grad.array, theirs.bias.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    ("shape", "message"),
    [((4, 3), r"\(4x3 and 5x2\)"), ((3,), r"\(1x3 and 5x2\)"), ((2, 4, 3), r"\(8x3 and 5x2\)")],
)
def test_linear_shape_mismatch_is_torchs_error(torch, shape, message):
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied " + message):
        nn.Linear(5, 2)(tga.zeros(*shape))
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied " + message):
        torch.nn.Linear(5, 2)(torch.zeros(*shape))


@pytest.mark.parametrize(("x_shape", "w_shape"), [((5, 0), (4, 0)), ((5, 3), (0, 3))])
def test_linear_with_a_zero_size_matches_torch(torch, x_shape, w_shape):
    x, w, b = np.ones(x_shape), np.ones(w_shape), np.ones(w_shape[:1])
    ours = [tga.tensor(a, requires_grad=True) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    F.linear(*ours).sum().backward()
    torch.nn.functional.linear(*theirs).sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())


def test_linear_refuses_a_bias_that_would_grow_the_output(torch):
    x, w, b = np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 1, 4))
    with pytest.raises(RuntimeError):
        torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b))
    with pytest.raises(RuntimeError, match="must broadcast to the output's shape"):
        F.linear(tga.tensor(x), tga.tensor(w), tga.tensor(b))


@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.float32, np.float64),
                                    (np.float64, np.float32), (np.float32, None)])  # fmt: skip
def test_linear_dtype_mistakes_in_torch_words(torch, dtypes):
    weight, bias = dtypes
    assert_same_error(
        lambda L: L.nn.functional.linear(
            L.tensor(np.ones((2, 3))),  # float64 input
            L.tensor(np.ones((4, 3), weight)),
            None if bias is None else L.tensor(np.ones(4, bias)),
        ),
        torch,
    )


def test_linear_repr_and_keys_are_torchs(torch):
    for bias in (True, False):
        assert repr(nn.Linear(2, 3, bias=bias)) == repr(torch.nn.Linear(2, 3, bias=bias))
        assert list(nn.Linear(2, 3, bias=bias).state_dict()) == list(
            torch.nn.Linear(2, 3, bias=bias).state_dict()
        )
    assert nn.Linear(2, 3, dtype=np.float64).weight.dtype == np.float64


# -- Bilinear --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape1", "shape2"), [((5, 2), (5, 3)), ((2,), (3,)), ((4, 5, 2), (4, 5, 3)), ((0, 2), (0, 3))]
)
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_values_and_gradients_match_torch(torch, rng, shape1, shape2, bias):
    arrays = [rng.normal(size=s) for s in (shape1, shape2, (4, 2, 3), (4,))]
    ours = [tga.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    yo = F.bilinear(*ours[:3], ours[3] if bias else None)
    yt = torch.nn.functional.bilinear(*theirs[:3], theirs[3] if bias else None)
    np.testing.assert_allclose(yo.array, yt.detach().numpy(), rtol=1e-12, atol=1e-14)
    seed = rng.normal(size=yt.shape)
    yo.backward(tga.tensor(seed))
    yt.backward(torch.tensor(seed))
    for o, t in zip(ours[: 4 if bias else 3], theirs):
        np.testing.assert_allclose(o.grad.array, t.grad.numpy(), rtol=1e-12, atol=1e-14)


BILINEAR_MISTAKES = {
    "batch sizes differ": ((5, 2), (4, 3), (4, 2, 3), (4,)),
    "dimensions differ": ((5, 2), (5, 5, 3), (4, 2, 3), (4,)),
    "input1 does not fit": ((5, 3), (5, 3), (4, 2, 3), (4,)),
    "input2 does not fit": ((5, 2), (5, 2), (4, 2, 3), (4,)),
    "bias does not fit": ((5, 2), (5, 3), (4, 2, 3), (3,)),
}


@pytest.mark.parametrize("case", BILINEAR_MISTAKES)
def test_bilinear_mistakes_in_torch_words(torch, case):
    shapes = BILINEAR_MISTAKES[case]
    assert_same_error(lambda L: L.nn.functional.bilinear(*(L.zeros(*s) for s in shapes)), torch)


def test_bilinear_module_as_torch(torch):
    tga.manual_seed(0)
    layer = nn.Bilinear(400, 3, 200)
    assert repr(layer) == repr(torch.nn.Bilinear(400, 3, 200))
    assert list(layer.state_dict()) == list(torch.nn.Bilinear(400, 3, 200).state_dict())
    bound = np.float32(1 / np.sqrt(400))
    for p in (layer.weight.array, layer.bias.array):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.95 * bound
    assert np.var(layer.weight.array) == pytest.approx(bound**2 / 3, rel=0.05)
    assert repr(nn.Bilinear(1, 2, 3, bias=False)) == repr(torch.nn.Bilinear(1, 2, 3, bias=False))
    y = layer(tga.ones(7, 400), tga.ones(7, 3))
    assert y.shape == (7, 200) and y.dtype == np.float32


# -- Identity, Flatten, Unflatten ------------------------------------------------------------


def test_identity_returns_its_input_and_ignores_its_arguments(torch):
    x = tga.ones(2, 3)
    assert nn.Identity(54, unused="x")(x) is x
    assert repr(nn.Identity()) == repr(torch.nn.Identity()) == "Identity()"


@pytest.mark.parametrize("args", [(), (0,), (1, 2), (2, -1), (0, -2), (-3, 2)])
def test_flatten_matches_torch(torch, rng, args):
    x = rng.normal(size=(2, 3, 4, 5))
    assert outcome(lambda L: L.nn.Flatten(*args)(L.tensor(x)), tga) == outcome(
        lambda L: L.nn.Flatten(*args)(L.tensor(x)), torch
    )
    assert repr(nn.Flatten(*args)) == repr(torch.nn.Flatten(*args))


UNFLATTEN = {
    "(3, 4) at 1": (1, (3, 4), (2, 12)),
    "a list": (1, [3, 4], (2, 12)),
    "an inferred size": (1, (3, -1), (2, 12)),
    "the last axis": (-1, (2, 2, 3), (2, 12)),
    "the first axis of a vector": (0, (1, 2), (2,)),
    "into one": (1, (12,), (2, 12)),
    "an empty axis": (1, (2, -1), (2, 0)),
    # mistakes
    "sizes that do not multiply up": (1, (5, 3), (2, 12)),
    "an inferred size that does not divide": (-1, (5, -1), (2, 12)),
    "a zero size against a non-empty axis": (1, (-1, 0), (2, 12)),
    "no sizes": (1, (), (2, 3)),
    "an axis out of range": (2, (3, 4), (2, 12)),
}


@pytest.mark.parametrize("case", UNFLATTEN)
def test_unflatten_matches_torch(torch, rng, case):
    dim, sizes, shape = UNFLATTEN[case]
    x = rng.normal(size=shape)

    def run(lib):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.Unflatten(dim, sizes)(t)
        weights = np.arange(float(np.prod(tuple(y.shape)))).reshape(tuple(y.shape))
        (y * lib.tensor(weights)).sum().backward()
        return y, t.grad

    assert outcome(run, tga) == outcome(run, torch)


UNFLATTEN_CPP_ERRORS = {  # torch appends its C++ stack to these: the first lines are compared
    "two inferred sizes": (1, (-1, -1), (2, 12)),
    "zero and inferred of nothing": (1, (0, -1), (2, 0)),
    "a scalar": (0, (1,), ()),
}


@pytest.mark.parametrize("case", UNFLATTEN_CPP_ERRORS)
def test_unflatten_errors_from_torchs_cpp_say_the_same(torch, case):
    dim, sizes, shape = UNFLATTEN_CPP_ERRORS[case]
    ours, theirs = (
        outcome(lambda L: L.nn.Unflatten(dim, sizes)(L.tensor(np.zeros(shape))), lib)
        for lib in (tga, torch)
    )
    assert ours.startswith("RuntimeError: unflatten got an unexpected error:\n")
    assert theirs.startswith(ours + "\n")


@pytest.mark.parametrize("sizes", [3, (3.0, 4), "34"])
def test_unflatten_refuses_sizes_that_are_not_ints_as_torch(torch, sizes):
    assert_same_error(lambda L: L.nn.Unflatten(1, sizes), torch, TypeError)


def test_unflatten_repr_is_torchs(torch):
    for sizes in [(3, 4), [3, 4]]:
        assert repr(nn.Unflatten(1, sizes)) == repr(torch.nn.Unflatten(1, sizes))
    assert repr(nn.Unflatten(1, tga.zeros(3, 4).shape)) == repr(
        torch.nn.Unflatten(1, torch.zeros(3, 4).shape)
    )


# -- Dropout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_zeroes_with_probability_p_and_scales_the_rest(p, dtype):
    tga.manual_seed(0)
    n = 100_000
    x = tga.tensor(np.linspace(1.0, 2.0, n).astype(dtype), requires_grad=True)
    y = F.dropout(x, p)
    kept = y.array != 0
    assert y.dtype == dtype
    # the fraction kept is Binomial(n, 1 - p)/n: within five standard errors of 1 - p
    assert abs(kept.mean() - (1 - p)) < 5 * np.sqrt(p * (1 - p) / n)
    scale = dtype(1) / dtype(1 - p)  # the scale rounded in the input's dtype, as torch
    np.testing.assert_array_equal(y.array[kept], x.array[kept] * scale)
    y.backward(tga.tensor(np.full(n, 3.0, dtype)))
    np.testing.assert_array_equal(x.grad.array, np.where(kept, 3.0 * scale, 0.0).astype(dtype))


def test_dropout_masks_are_independent_and_repeat_with_the_seed():
    x = tga.ones(1000)
    tga.manual_seed(7)
    first, second = F.dropout(x, 0.5), F.dropout(x, 0.5)
    assert not np.array_equal(first.array, second.array)
    tga.manual_seed(7)
    np.testing.assert_array_equal(F.dropout(x, 0.5).array, first.array)


DROPOUT_CASES = {
    "p = 0 is the input itself": lambda L, x: F_of(L).dropout(x, 0.0) is x,
    "eval is the input itself": lambda L, x: F_of(L).dropout(x, 0.5, training=False) is x,
    "p = 1 multiplies by zero (nan stays nan)": lambda L, x: [
        str(v) for v in F_of(L).dropout(L.tensor([1.0, float("nan"), -2.0]), 1.0).tolist()
    ],
    "p = 1 of integers": lambda L, x: F_of(L).dropout(L.tensor([1, 2]), 1.0),
    "p = 0 of integers": lambda L, x: F_of(L).dropout(L.tensor([1, 2]), 0.0),
    "p = 0.5 of integers": lambda L, x: F_of(L).dropout(L.tensor([1, 2]), 0.5),
    "p = 0.5 of booleans": lambda L, x: F_of(L).dropout(L.tensor([True]), 0.5),
    "p above 1": lambda L, x: F_of(L).dropout(x, 1.5),
    "p below 0": lambda L, x: L.nn.Dropout(-0.1),
    "p a string": lambda L, x: L.nn.Dropout("a"),
    "in place on a leaf that requires grad": lambda L, x: F_of(L).dropout(
        L.ones(3, requires_grad=True), 0.5, inplace=True
    ),
    "in place at p = 1": lambda L, x: F_of(L).dropout(L.ones(3), 1.0, inplace=True),
    "not a tensor": lambda L, x: F_of(L).dropout([1.0, 2.0], 0.5),
    "the module in eval": lambda L, x: L.nn.Dropout(0.5).eval()(x) is x,
    "the module's repr": lambda L, x: [repr(L.nn.Dropout()), repr(L.nn.Dropout(0.3, True))],
}


def F_of(lib):  # torch's F
    return lib.nn.functional


@pytest.mark.parametrize("case", DROPOUT_CASES)
def test_dropout_cases_as_torch(torch, case):
    ours, theirs = (
        outcome(lambda L: DROPOUT_CASES[case](L, L.ones(4)), lib) for lib in (tga, torch)
    )
    if case == "not a tensor":  # torch's message names the argument's position as ours
        assert ours.startswith("TypeError: dropout(): argument 'input' (position 1)")
    else:
        assert ours == theirs


def test_dropout_in_place_writes_into_its_input():
    tga.manual_seed(1)
    x = tga.ones(1000)
    y = F.dropout(x, 0.25, inplace=True)
    assert y is x
    assert set(np.unique(x.array)) == {0.0, np.float32(1) / np.float32(0.75)}


def test_dropout_module_follows_train_and_eval():
    tga.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    x = tga.ones(200, 4)
    model.eval()
    np.testing.assert_array_equal(model(x).array, model[0](x).array)
    model.train()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (model(x).array == 0).mean() == pytest.approx(0.5, abs=0.1)
