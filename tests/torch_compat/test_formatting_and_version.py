"""An f-string of a 0-d tensor is its number, ``-0.`` prints as torch prints it, and
``__version__`` compares as a version: each checked against torch."""

from __future__ import annotations

import pytest

import tinygrad_acts as tga
from tinygrad_acts.torch_compat.version import TorchVersion

NEGATIVE_ZEROS = [
    [-0.0],
    [-0.0, 0.0],
    [-0.0, 1.0],
    [-0.0, 1.5],
    [-0.0, 2.5, -3.25],
    [-0.0, 1e-5],
    [-0.0, 1e9],
    [1e-8, -0.0],
    [-0.0, float("inf")],
    [-0.0, float("nan")],
    [[-0.0, 1.0], [2.5, -0.0]],
]


@pytest.mark.parametrize(
    "value, spec",
    [(36.0, ""), (36.0, ".3f"), (1 / 3, ""), (3, ""), (True, ""), (2.5, "e"), (-0.0, "")],
)
def test_a_0d_tensor_formats_as_its_number(torch, value, spec):
    assert format(tga.tensor(value), spec) == format(torch.tensor(value), spec)


def test_a_0d_tensor_that_requires_grad_formats_as_its_number(torch):
    ours = (tga.tensor(2.0, requires_grad=True) * 3) ** 2
    theirs = (torch.tensor(2.0, requires_grad=True) * 3) ** 2
    assert format(ours, "") == format(theirs, "") == "36.0"


def test_a_tensor_of_several_values_formats_whole_and_refuses_a_spec(torch):
    assert format(tga.tensor([1.0, 2.0]), "") == format(torch.tensor([1.0, 2.0]), "")
    with pytest.raises(TypeError, match=r"unsupported format string passed to Tensor\.__format__"):
        format(tga.tensor([1.0, 2.0]), ".2f")


def test_a_0d_parameter_formats_whole_as_torch(torch):
    ours = format(tga.nn.Parameter(tga.tensor(2.0)), "")
    assert ours == format(torch.nn.Parameter(torch.tensor(2.0)), "")


@pytest.mark.parametrize("values", NEGATIVE_ZEROS, ids=str)
@pytest.mark.parametrize("sci_mode", [None, True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_negative_zero_prints_as_in_torch(torch, values, sci_mode, dtype):
    try:
        torch.set_printoptions(sci_mode=sci_mode)
        tga.set_printoptions(sci_mode=sci_mode)
        ours = repr(tga.tensor(values, dtype=getattr(tga, dtype)))
        assert ours == repr(torch.tensor(values, dtype=getattr(torch, dtype)))
    finally:
        torch.set_printoptions(sci_mode=None)
        tga.set_printoptions(sci_mode=None)


VERSIONS = ["2.13.0+cpu", "2.13.0", "2.13", "1.10", "1.9.1", "2.13.0a0", "2.13.0rc1"]
VERSIONS += ["2.13.0.dev20240101", "2.13.0.post1", "0.1.0", "parrot", "1.10.0a0+git1"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_version_compares_as_torchs(torch, version):
    from torch.torch_version import TorchVersion as Theirs

    for other in [*VERSIONS, (2, 0), (1, 10), (2, 13, 0)]:
        if version == "parrot" and isinstance(other, tuple):
            continue  # torch falls back to comparing str with tuple: NotImplemented
        for method in ("__eq__", "__lt__", "__le__", "__gt__", "__ge__"):
            ours = getattr(TorchVersion(version), method)(other)
            assert ours == getattr(Theirs(version), method)(other), (version, method, other)


def test_the_package_version_is_a_str_that_compares_as_a_version():
    assert isinstance(tga.__version__, str)
    assert tga.__version__ > "0.0.9" and tga.__version__ >= (0, 1)
    assert tga.__version__ == str(tga.__version__)
    assert {tga.__version__: 1}[str(tga.__version__)] == 1
