"""nn.init against torch: the gains and fans exactly, the constants exactly, the random
initialisations by their distributions (10⁵ samples: exact bounds, moments within five standard
errors of the theory), the in-place contract, and torch's errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from run_on_both import outcome

import tinygrad_acts as tga
from tinygrad_acts import nn

N = 100_000

GAINS = [("linear", None), ("conv1d", None), ("conv_transpose3d", None), ("sigmoid", None),
         ("tanh", None), ("relu", None), ("selu", None), ("leaky_relu", None),
         ("leaky_relu", 0.2), ("leaky_relu", 3), ("leaky_relu", math.sqrt(5))]  # fmt: skip


@pytest.mark.parametrize(("nonlinearity", "param"), GAINS)
def test_calculate_gain_is_torchs(torch, nonlinearity, param):
    ours = nn.init.calculate_gain(nonlinearity, param)
    theirs = torch.nn.init.calculate_gain(nonlinearity, param)
    assert ours == theirs and type(ours) is type(theirs)


SHAPES = [(3, 4), (1, 1), (5, 2, 3), (2, 3, 4, 5), (6, 2, 1, 3, 2), (0, 3), (3, 0, 2)]


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_are_torchs(torch, shape):
    ours = nn.init._calculate_fan_in_and_fan_out(tga.zeros(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(*shape))
    for mode in ("fan_in", "fan_out", "FAN_OUT"):
        assert nn.init._calculate_correct_fan(
            tga.zeros(*shape), mode
        ) == torch.nn.init._calculate_correct_fan(torch.zeros(*shape), mode)


CONSTANTS = {
    "constant_": lambda L, t: L.nn.init.constant_(t, -3.25),
    "constant_ of an int into an int tensor": lambda L, t: L.nn.init.constant_(t.long(), 7),
    "constant_ truncates into an int tensor": lambda L, t: L.nn.init.constant_(t.long(), 1.5),
    "constant_ of a tensor": lambda L, t: L.nn.init.constant_(t, L.tensor(2.5)),
    "zeros_": lambda L, t: L.nn.init.zeros_(t + 1),
    "ones_": lambda L, t: L.nn.init.ones_(t),
    "ones_ of float64": lambda L, t: L.nn.init.ones_(t.double()),
    "eye_": lambda L, t: L.nn.init.eye_(t),
    "eye_ of a wide int matrix": lambda L, t: L.nn.init.eye_(L.zeros(2, 3, dtype=L.int64)),
    "dirac_": lambda L, t: L.nn.init.dirac_(L.zeros(4, 2, 3)),
    "dirac_ in groups": lambda L, t: L.nn.init.dirac_(L.zeros(4, 2, 3, 3), groups=2),
    "dirac_ of 5 dimensions": lambda L, t: L.nn.init.dirac_(L.zeros(2, 2, 1, 2, 3)),
}


@pytest.mark.parametrize("case", CONSTANTS)
def test_constant_initialisations_are_torchs(torch, case):
    assert outcome(lambda L: CONSTANTS[case](L, L.zeros(3, 2)), tga) == outcome(
        lambda L: CONSTANTS[case](L, L.zeros(3, 2)), torch
    )


# -- distributions ---------------------------------------------------------------------------


def _within(sample: np.ndarray, mean: float, std: float) -> None:
    """The sample's mean within five standard errors of ``mean``, its std within 1.5% of
    ``std`` (five standard errors for 10⁵ normal samples are 1.1%)."""
    assert abs(sample.mean() - mean) < 5 * std / math.sqrt(sample.size)
    assert sample.std() == pytest.approx(std, rel=0.015)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_uniform_stays_in_its_interval_and_has_its_moments(dtype):
    tga.manual_seed(0)
    t = tga.tensor(np.zeros(N, dtype))
    values = nn.init.uniform_(t, -0.5, 1.5).array
    assert t.dtype == dtype
    assert values.min() >= -0.5 and values.max() < 1.5  # [a, b), in the tensor's dtype too
    _within(values.astype(np.float64), 0.5, 2 / math.sqrt(12))


def test_normal_has_its_moments():
    tga.manual_seed(1)
    values = nn.init.normal_(tga.zeros(N), mean=3.0, std=0.25).array
    _within(values.astype(np.float64), 3.0, 0.25)


SCALED = {
    "xavier_uniform_": (lambda t: nn.init.xavier_uniform_(t), "uniform", ("xavier", 1.0)),
    "xavier_uniform_ with a gain": (
        lambda t: nn.init.xavier_uniform_(t, gain=2.0),
        "uniform",
        ("xavier", 2.0),
    ),
    "xavier_normal_": (lambda t: nn.init.xavier_normal_(t, gain=0.5), "normal", ("xavier", 0.5)),
    "kaiming_uniform_": (
        lambda t: nn.init.kaiming_uniform_(t),
        "uniform",
        ("kaiming", 0, "fan_in", "leaky_relu"),
    ),
    "kaiming_uniform_ as Linear's": (
        lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
        "uniform",
        ("kaiming", math.sqrt(5), "fan_in", "leaky_relu"),
    ),
    "kaiming_uniform_ of fan_out for relu": (
        lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"),
        "uniform",
        ("kaiming", 0, "fan_out", "relu"),
    ),
    "kaiming_normal_": (
        lambda t: nn.init.kaiming_normal_(t, a=0.2),
        "normal",
        ("kaiming", 0.2, "fan_in", "leaky_relu"),
    ),
    "kaiming_normal_ of fan_out for tanh": (
        lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="tanh"),
        "normal",
        ("kaiming", 0, "fan_out", "tanh"),
    ),
}


def _torch_std(torch, shape, rule):
    """The standard deviation torch's own formulas give for ``rule`` on a tensor of ``shape``."""
    t = torch.empty(shape)
    if rule[0] == "xavier":
        fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(t)
        return rule[1] * math.sqrt(2.0 / (fan_in + fan_out))
    _, a, mode, nonlinearity = rule
    fan = torch.nn.init._calculate_correct_fan(t, mode)
    return torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)


@pytest.mark.parametrize("shape", [(250, 400), (250, 40, 10)])
@pytest.mark.parametrize("case", SCALED)
def test_scaled_initialisations_have_torchs_spread(torch, case, shape):
    fill, kind, rule = SCALED[case]
    tga.manual_seed(2)
    t = tga.zeros(*shape)
    values = fill(t).array.astype(np.float64)
    std = _torch_std(torch, shape, rule)
    if kind == "uniform":  # U(-b, b) with b = √3·std: its bound exactly
        bound = math.sqrt(3.0) * std
        assert np.abs(values).max() <= np.float32(bound)
        assert np.abs(values).max() > 0.999 * bound
    _within(values, 0.0, std)


def _truncated_normal_moments(mean, std, a, b):
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = [math.exp(-(z**2) / 2) / math.sqrt(2 * math.pi) for z in (alpha, beta)]
    mass = 0.5 * (math.erf(beta / math.sqrt(2)) - math.erf(alpha / math.sqrt(2)))
    shift = (pdf[0] - pdf[1]) / mass
    variance = 1 + (alpha * pdf[0] - beta * pdf[1]) / mass - shift**2
    return mean + std * shift, std * math.sqrt(variance)


@pytest.mark.parametrize(
    ("mean", "std", "a", "b"),
    [(0.0, 1.0, -2.0, 2.0), (1.0, 0.5, 0.0, 3.0), (0.0, 1.0, 2.0, 3.0), (0.0, 1.0, -0.1, 0.2)],
)  # the last two hold little mass: drawn by the other method
def test_trunc_normal_stays_in_its_interval_and_has_its_moments(mean, std, a, b):
    tga.manual_seed(3)
    values = nn.init.trunc_normal_(tga.zeros(N, dtype=tga.float64), mean, std, a, b).array
    assert values.min() >= a and values.max() <= b
    expected_mean, expected_std = _truncated_normal_moments(mean, std, a, b)
    _within(values, expected_mean, expected_std)


def test_trunc_normal_warns_as_torch_when_the_mean_is_far(torch):
    for lib in (tga, torch):
        with pytest.warns(UserWarning, match="mean is more than 2 std from"):
            lib.nn.init.trunc_normal_(lib.zeros(10), mean=10.0)


@pytest.mark.parametrize(("shape", "gain"), [((3, 5), 1.0), ((5, 3), 2.0), ((4, 2, 3), 0.5)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape, gain):
    flat = nn.init.orthogonal_(tga.zeros(*shape, dtype=tga.float64), gain).array
    flat = flat.reshape(shape[0], -1)
    product = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(product, gain**2 * np.eye(min(flat.shape)), atol=1e-12)


# -- the in-place contract -------------------------------------------------------------------

FILLS = {
    "uniform_": lambda t: nn.init.uniform_(t),
    "normal_": lambda t: nn.init.normal_(t),
    "trunc_normal_": lambda t: nn.init.trunc_normal_(t),
    "constant_": lambda t: nn.init.constant_(t, 0.5),
    "zeros_": nn.init.zeros_,
    "ones_": nn.init.ones_,
    "eye_": nn.init.eye_,
    "xavier_uniform_": nn.init.xavier_uniform_,
    "xavier_normal_": nn.init.xavier_normal_,
    "kaiming_uniform_": nn.init.kaiming_uniform_,
    "kaiming_normal_": nn.init.kaiming_normal_,
    "orthogonal_": nn.init.orthogonal_,
}


@pytest.mark.parametrize("name", FILLS)
def test_each_fills_in_place_and_returns_the_tensor(name):
    """A leaf parameter stays a leaf that requires grad; its array is written into (views and
    the optimizer see it) and its version goes up."""
    p = nn.Parameter(tga.tensor(np.full((3, 4), 9.0, np.float32)))
    array, version = p.array, p._version
    assert FILLS[name](p) is p
    assert p.array is array and not np.any(array == 9.0)
    assert p.is_leaf and p.requires_grad and p.grad_fn is None
    assert p._version > version


def test_a_graph_that_saved_the_old_values_refuses_to_use_them(torch):
    for lib in (tga, torch):
        layer = lib.nn.Linear(2, 1)
        y = (layer(lib.ones(3, 2, requires_grad=True)) ** 2).sum()
        lib.nn.init.zeros_(layer.weight)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_a_numpy_generator_may_be_given_and_repeats():
    first = nn.init.normal_(tga.zeros(5), generator=np.random.default_rng(4)).array.copy()
    again = nn.init.normal_(tga.zeros(5), generator=np.random.default_rng(4)).array
    np.testing.assert_array_equal(first, again)
    tga.manual_seed(4)
    seeded = nn.init.kaiming_uniform_(tga.zeros(3, 3)).array.copy()
    tga.manual_seed(4)
    np.testing.assert_array_equal(nn.init.kaiming_uniform_(tga.zeros(3, 3)).array, seeded)
    with pytest.raises(TypeError, match=r"generator must be a numpy\.random\.Generator"):
        nn.init.uniform_(tga.zeros(2), generator=4)


def test_zero_element_tensors_are_left_alone_with_torchs_warning(torch):
    for lib in (tga, torch):
        for fill in (lib.nn.init.kaiming_uniform_, lib.nn.init.kaiming_normal_):
            with pytest.warns(UserWarning, match="^Initializing zero-element tensors is a no-op$"):
                assert fill(lib.zeros(0, 3)).shape == (0, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.init.orthogonal_(tga.zeros(0, 3))


# -- errors ----------------------------------------------------------------------------------

MISTAKES = {
    "gain of an unknown nonlinearity": lambda L: L.nn.init.calculate_gain("gelu"),
    "a slope that is not a number": lambda L: L.nn.init.calculate_gain("leaky_relu", "a"),
    "a slope that is a bool": lambda L: L.nn.init.calculate_gain("leaky_relu", True),
    "fans of a vector": lambda L: L.nn.init.xavier_uniform_(L.zeros(3)),
    "fans of a scalar": lambda L: L.nn.init.kaiming_normal_(L.tensor(1.0)),
    "an unknown mode": lambda L: L.nn.init.kaiming_uniform_(L.zeros(3, 3), mode="fan_avg"),
    "an unknown nonlinearity": lambda L: L.nn.init.kaiming_normal_(
        L.zeros(3, 3), nonlinearity="gelu"
    ),
    "uniform_ of integers": lambda L: L.nn.init.uniform_(L.zeros(3, dtype=L.int64)),
    "uniform_ of booleans": lambda L: L.nn.init.uniform_(L.zeros(3, dtype=L.bool)),
    "normal_ of integers": lambda L: L.nn.init.normal_(L.zeros(3, dtype=L.int64)),
    "kaiming_uniform_ of integers": lambda L: L.nn.init.kaiming_uniform_(
        L.zeros(3, 3, dtype=L.int64)
    ),
    "uniform_ from above to below": lambda L: L.nn.init.uniform_(L.zeros(3), 1.0, 0.5),
    "uniform_ to tiny": lambda L: L.nn.init.uniform_(L.zeros(3), 0.1, 1e-7),
    "uniform_ to infinity": lambda L: L.nn.init.uniform_(L.zeros(3), 0, float("inf")),
    "uniform_ from nan": lambda L: L.nn.init.uniform_(L.zeros(3), float("nan"), 1),
    "uniform_ past float32": lambda L: L.nn.init.uniform_(L.zeros(3), 0, 1e39),
    "uniform_ past float64": lambda L: L.nn.init.uniform_(
        L.zeros(3, dtype=L.float64), -1e308, 1e308
    ),
    "uniform_ past float16": lambda L: L.nn.init.uniform_(L.zeros(3, dtype=L.float16), 0, 7e4),
    "uniform_ wider than float16": lambda L: L.nn.init.uniform_(
        L.zeros(3, dtype=L.float16), -6e4, 6e4
    ),
    "normal_ with a negative std": lambda L: L.nn.init.normal_(L.zeros(3), 0, -0.5),
    "normal_ with a nan std": lambda L: L.nn.init.normal_(L.zeros(3), 0, float("nan")),
    "eye_ of a vector": lambda L: L.nn.init.eye_(L.zeros(3)),
    "eye_ of a cube": lambda L: L.nn.init.eye_(L.zeros(2, 2, 2)),
    "dirac_ of a matrix": lambda L: L.nn.init.dirac_(L.zeros(3, 2)),
    "dirac_ in groups that do not divide": lambda L: L.nn.init.dirac_(L.zeros(3, 2, 3), 2),
    "orthogonal_ of a vector": lambda L: L.nn.init.orthogonal_(L.zeros(3)),
    "trunc_normal_ from above to below": lambda L: L.nn.init.trunc_normal_(L.zeros(3), 0, 1, 2, 1),
    "constant_ too large for int32": lambda L: L.nn.init.constant_(L.zeros(3, dtype=L.int32), 3e9),
    "constant_ of nan into integers": lambda L: L.nn.init.constant_(
        L.zeros(3, dtype=L.int64), float("nan")
    ),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_mistakes_in_torch_words(torch, case):
    ours, theirs = (outcome(MISTAKES[case], lib) for lib in (tga, torch))
    assert ours == theirs
    assert ours.split(":")[0].endswith("Error")


def test_something_that_is_not_a_tensor_is_refused_clearly():
    """torch fails with an AttributeError ('list' has no attribute 'uniform_'); here it says
    what was expected."""
    with pytest.raises(TypeError, match=r"nn.init.uniform_\(\): the tensor to fill must be a"):
        nn.init.uniform_([1.0, 2.0])
    with pytest.raises(TypeError, match="val must be a number, not str"):
        nn.init.constant_(tga.zeros(2), "a")
