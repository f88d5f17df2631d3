"""A DataLoader with ``num_workers``: each batch draws the random numbers torch's worker would
(its own generators, seeded with the iterator's base seed plus its id), and the main process's
draws afterwards are torch's — against torch's real worker processes."""

from __future__ import annotations

import random

import numpy as np
import pytest

import tinygrad_acts as tga


def _noisy(lib):
    class Noisy(lib.utils.data.Dataset):
        """A sample with random augmentation, from torch's generator and from ``random``."""

        def __len__(self):
            return 7

        def __getitem__(self, i):
            info = lib.utils.data.get_worker_info()
            return lib.rand(2) + i, random.random() + (info.id if info else -1)

    return Noisy()


def _epochs(lib, **kwargs):
    lib.manual_seed(0)
    random.seed(1)
    loader = lib.utils.data.DataLoader(_noisy(lib), batch_size=2, **kwargs)
    seen = [[(x.tolist(), r.tolist()) for x, r in loader] for _ in range(2)]
    return seen, lib.randn(2).tolist(), random.random()


WORKERS = {
    "two workers": {"num_workers": 2},
    "three, shuffled": {"num_workers": 3, "shuffle": True},
    "two, persistent": {"num_workers": 2, "persistent_workers": True},
    "worker_init_fn": {"num_workers": 2, "worker_init_fn": lambda w: random.seed(w + 10)},
}


@pytest.mark.filterwarnings("ignore:This DataLoader will create")  # torch: more than 2 cores
@pytest.mark.parametrize("kwargs", WORKERS.values(), ids=WORKERS)
def test_workers_draw_as_torchs(torch, kwargs):
    ours, theirs = _epochs(tga, **kwargs), _epochs(torch, **kwargs)
    for a, b in zip(ours[0], theirs[0]):
        for (xa, ra), (xb, rb) in zip(a, b):
            np.testing.assert_allclose(xa, xb, rtol=1e-6)
            np.testing.assert_allclose(ra, rb, rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)
    assert ours[2] == theirs[2]


BAD = {
    "prefetch_factor without workers": ({"prefetch_factor": 2}, "prefetch_factor option"),
    "persistent without workers": ({"persistent_workers": True}, "needs num_workers > 0"),
    "a negative timeout": ({"timeout": -1}, "timeout option should be non-negative"),
}


@pytest.mark.parametrize(("kwargs", "words"), BAD.values(), ids=BAD)
def test_worker_options_are_checked_as_torch(torch, kwargs, words):
    for lib in (tga, torch):
        with pytest.raises(ValueError, match=words):
            lib.utils.data.DataLoader(_noisy(lib), **kwargs)


def test_no_worker_info_in_the_main_process():
    assert tga.utils.data.get_worker_info() is None
