"""The package's one random generator: nn.Linear's initial weights, rrelu's slopes in training,
``randn`` and ``rand``. ``manual_seed`` (torch's name) makes them all repeat."""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator: the same seed, the same weights and samples afterwards."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The generator as it is now (read it at each use: ``manual_seed`` replaces it)."""
    return _generator
