"""Shared test helpers: torch for the cross-checks, and float64 random data."""

from __future__ import annotations

import os

import numpy as np
import pytest

# Names and labels that must survive every escaping (DOT plain strings, HTML-like labels, Mermaid).
HOSTILE = [
    'quo"te',
    "back\\slash",
    "trailing\\",
    "<b>bold</b>",
    "{a|b}",
    "a:b",
    "x & y",
    "new\nline",
    "ünïcødé ∂ 漢字",
    "n" * 10_000,
    "ctrl\x00\x1b",
]

REQUIRE_TORCH = os.environ.get("TINYGRAD_ACTS_REQUIRE_TORCH") == "1"


def _load_torch():
    try:
        import torch
    except ImportError:
        if REQUIRE_TORCH:
            raise RuntimeError(
                "TINYGRAD_ACTS_REQUIRE_TORCH=1 but torch is not installed: the torch "
                "cross-checks must run here (pip install torch==2.13.0)"
            ) from None
        return None
    torch.set_num_threads(1)
    return torch


_TORCH = _load_torch()


@pytest.fixture
def torch():
    """The torch module; skips the test when torch is absent (a failure in CI)."""
    if _TORCH is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0 to run the cross-checks)")
    return _TORCH


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
