"""nn.Module, Linear, Sequential, Identity, Flatten: against torch's behaviour and words."""

from __future__ import annotations

import numpy as np
import pytest
from torch_errors import assert_same_error

import tinygrad_acts as tga
from tinygrad_acts import nn
from tinygrad_acts.autograd import topological_order
from tinygrad_acts.nn import functional as F


def _net(lib_nn):
    """The same nested model class, written against either library's ``nn``."""

    class Net(lib_nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = lib_nn.Sequential(lib_nn.Linear(3, 4), lib_nn.Tanh(), lib_nn.Linear(4, 4))
            self.act = lib_nn.PReLU()
            self.head = lib_nn.Linear(4, 2, bias=False)
            self.scale = 2.0

        def extra_repr(self):
            return "scale=2.0"

        def forward(self, x):
            return self.head(self.act(self.layers(x))) * self.scale

    return Net()


# -- Linear ----------------------------------------------------------------------------------


def test_linear_initialisation_is_torchs_uniform_distribution():
    # kaiming_uniform(a=√5) and the bias rule both give U(-1/√in, 1/√in).
    F.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    for p in (layer.weight.array, layer.bias.array):
        assert p.dtype == np.float32
        assert np.abs(p).max() <= bound
        assert np.abs(p).max() > 0.98 * bound
        assert np.var(p) == pytest.approx(bound**2 / 3, rel=0.1)  # U(-b, b) has variance b²/3
    assert abs(layer.weight.array.mean()) < 0.01 * bound * 3


def test_linear_forward_and_gradients_match_torch(torch, rng):
    x = rng.normal(size=(2, 5, 3))
    ours = nn.Linear(3, 4).double()
    theirs = torch.nn.Linear(3, 4).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    xo, xt = tga.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.array, yt.detach().numpy(), rtol=1e-13)
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
    # The same words and numbers as torch.nn.Linear(5, 2) on an input of ``shape``.
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


def test_linear_refuses_a_bias_of_another_dtype_as_torch_does(torch):
    x, w = np.ones((2, 3), np.float32), np.ones((4, 3), np.float32)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.ones(4).double())
    with pytest.raises(RuntimeError) as ours:
        F.linear(tga.tensor(x), tga.tensor(w), tga.tensor(np.ones(4)))
    assert str(ours.value) == str(theirs.value)


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


def test_identity_and_flatten_match_torch(torch, rng):
    x = rng.normal(size=(2, 3, 4, 5))
    for args in [(), (0,), (1, 2), (2, -1), (0, -2)]:
        ours = nn.Flatten(*args)(tga.tensor(x))
        assert ours.shape == tuple(torch.nn.Flatten(*args)(torch.tensor(x)).shape), args
        assert repr(nn.Flatten(*args)) == repr(torch.nn.Flatten(*args))
    assert nn.Identity(54, unused="x")(tga.tensor(x)).array is not None
    assert repr(nn.Identity()) == "Identity()"


# -- repr, names, state_dict -----------------------------------------------------------------


def test_repr_and_names_match_torch(torch):
    ours, theirs = _net(nn), _net(torch.nn)
    assert repr(ours) == repr(theirs)
    assert repr(nn.Linear(2, 3, bias=False)) == repr(torch.nn.Linear(2, 3, bias=False))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [type(m).__name__ for m in ours.children()] == ["Sequential", "PReLU", "Linear"]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_state_dict_round_trip_with_torch_both_ways(torch, rng):
    ours, theirs = _net(nn), _net(torch.nn)
    # torch → ours: the same outputs afterwards.
    ours.load_state_dict(theirs.state_dict())
    x = rng.normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(tga.tensor(x)).array, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )
    # ours → torch: a fresh torch model takes our arrays and reproduces them exactly.
    fresh = _net(torch.nn)
    result = fresh.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    assert repr(result) == "<All keys matched successfully>"
    for key, value in ours.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[key].numpy(), value)


def test_state_dict_is_a_snapshot_and_loading_installs_new_arrays():
    layer = nn.Linear(2, 2)
    snapshot = layer.state_dict()
    old = layer.weight.array
    layer.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})
    assert layer.weight.array is not old and layer.weight.dtype == np.float32  # cast, as copy_
    np.testing.assert_array_equal(snapshot["weight"], old)  # neither changed in place
    np.testing.assert_array_equal(layer.weight.array, np.ones((2, 2)))


def test_load_state_dict_key_errors_have_torchs_wording(torch):
    ours = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    state = dict(theirs.state_dict())
    del state["0.bias"]
    state["foo"] = torch.zeros(1)
    state["bar.x"] = torch.zeros(1)
    with pytest.raises(RuntimeError) as ours_error:
        ours.load_state_dict(state)
    with pytest.raises(RuntimeError) as theirs_error:
        theirs.load_state_dict(state)
    assert str(ours_error.value) == str(theirs_error.value)
    result = ours.load_state_dict(state, strict=False)
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["foo", "bar.x"]


def test_load_state_dict_shape_mismatch_changes_nothing():
    layer = nn.Linear(3, 4)
    before = layer.state_dict()
    bad = {"weight": np.zeros((2, 2)), "bias": np.zeros(4)}
    with pytest.raises(
        RuntimeError,
        match=r"size mismatch for weight: copying a param with "
        r"shape \(2, 2\) from checkpoint, the shape in "
        r"current model is \(4, 3\)\.",
    ):
        layer.load_state_dict(bad, strict=False)
    np.testing.assert_array_equal(layer.bias.array, before["bias"])  # bias not half-loaded
    with pytest.raises(RuntimeError, match=r"expected torch\.Tensor or Tensor-like object"):
        layer.load_state_dict({"weight": [[0.0] * 3] * 4, "bias": np.zeros(4)})


# -- registration ----------------------------------------------------------------------------


def test_assignment_before_init_is_torchs_error():
    class NoInit(nn.Module):
        def __init__(self, value):
            self.plain = 1  # plain attributes are fine, as in torch
            self.value = value

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__"):
        NoInit(nn.Tanh())
    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__"):
        NoInit(nn.Parameter(tga.zeros(1)))


def test_assigning_a_plain_tensor_to_a_parameter_name_is_an_error():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"cannot assign 'Tensor' as parameter 'weight'"):
        layer.weight = tga.zeros(2, 2)
    layer.bias = None  # allowed: the slot stays, empty
    assert list(layer.state_dict()) == ["weight"]


def test_a_shared_module_is_listed_once():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]


def test_zero_grad_set_to_none_and_to_zeros():
    layer = nn.Linear(3, 1)
    layer(tga.ones(2, 3)).sum().backward()
    assert layer.weight.grad is not None
    layer.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(layer.weight.grad.array, np.zeros((1, 3)))
    layer(tga.ones(2, 3)).sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.array, np.full((1, 3), 2.0))  # Σ over batch
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


def test_train_and_eval_switch_rrelu_between_random_and_fixed_slopes():
    model = nn.Sequential(nn.Identity(), nn.RReLU(0.1, 0.3))
    x = tga.tensor(-np.ones(2000))
    model.eval()
    assert not model[1].training
    np.testing.assert_allclose(model(x).array, -0.2)  # the mean slope (0.1 + 0.3)/2
    model.train()
    assert all(m.training for m in model.modules())
    slopes = -model(x).array
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and np.std(slopes) > 0.03
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("yes")


def test_module_double_converts_parameters():
    layer = nn.Linear(2, 2).double()
    assert layer.weight.dtype == np.float64 and layer.bias.dtype == np.float64
    assert layer(tga.tensor(np.ones((1, 2)))).dtype == np.float64


# -- Sequential ------------------------------------------------------------------------------


def test_sequential_behaves_like_a_list(torch):
    a, b, c = nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    assert repr(seq[1:]) == repr(theirs[1:])  # the names kept: (1), (2)
    assert seq[1:][0] is b  # indices count positions, names are kept
    with pytest.raises(IndexError, match=r"^index 3 is out of range$"):
        seq[3]
    with pytest.raises(IndexError, match=r"^index -4 is out of range$"):
        seq[-4]
    del seq[0]
    assert [n for n, _ in seq.named_children()] == ["0", "1"]  # renumbered, as torch
    seq.append(nn.Sigmoid())
    assert list(seq.state_dict()) == ["1.weight", "1.bias"]
    assert seq(tga.ones(4, 3)).shape == (4, 1)


# -- scopes for the graph picture ------------------------------------------------------------


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
    assert scopes["TanhBackward"] == ("_Model", "layers", "layers.1")
    assert scopes["SigmoidBackward"] == ("_Model", "Sigmoid")
    assert {n.scope for n in topological_order([y.grad_fn]) if n.name() == "LinearBackward"} == {
        ("_Model", "head"),
        ("_Model", "layers", "layers.0"),
    }
    # Called alone, a module is the outermost one and is named by its class.
    z = nn.Linear(2, 1)(tga.ones(1, 2))
    assert z.grad_fn.scope == ("Linear",)


def test_replacing_a_child_or_a_parameter_keeps_its_place(torch):
    """s[0] = ELU() must still run first (it moved to the end, and the model computed another
    function); a reassigned parameter keeps its place in parameters() and state_dict()."""
    for lib in (nn, torch.nn):
        seq = lib.Sequential(lib.Tanh(), lib.Sigmoid(), lib.ReLU())
        seq[0] = lib.ELU()
        assert [type(m).__name__ for m in seq] == ["ELU", "Sigmoid", "ReLU"]
        layer = lib.Linear(2, 3)
        layer.weight = lib.Parameter(layer.weight.detach() * 2)
        assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    x = tga.tensor(np.array([[-1.0, 2.0]]))
    seq = nn.Sequential(nn.Tanh(), nn.Sigmoid())
    seq[0] = nn.ELU()
    np.testing.assert_allclose(seq(x).array, 1 / (1 + np.exp(-np.array([[np.expm1(-1.0), 2.0]]))))
