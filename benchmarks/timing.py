"""Interleaved timing of peers, and a description of the machine the numbers came from.

Peers are timed round by round — in each round every peer runs once, in a rotated order — so a
slow minute of a shared machine hits all of them alike; the median over rounds is reported.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .environment import MALLOC_SETTINGS, OPENBLAS_TUNING, THREAD_VARIABLES


@dataclass
class Peer:
    """One implementation of a workload: ``run()`` does the whole timed computation.

    ``torch_threads`` is the size of torch's intra-op pool to set before timing it (None: a peer
    that does not use torch).
    """

    name: str
    run: Callable[[], Any]
    torch_threads: int | None = None


def _set_torch_threads(n: int | None) -> None:
    if n is None:
        return
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def interleaved_medians(peers: list[Peer], repeats: int, number: int = 1) -> dict[str, float]:
    """Median seconds per ``run()`` of each peer: ``repeats`` rounds of ``number`` calls each.

    Every peer runs once untimed first (imports, caches, lazy initialisation). The garbage
    collector runs between timed batches, never inside one. Peers with a multi-threaded torch
    pool are timed apart, after the others: OpenMP workers keep spinning for a while after each
    parallel op, and on a small machine they would steal the cores of whichever peer ran next.
    """
    shared = [p for p in peers if (p.torch_threads or 1) == 1]
    apart = [p for p in peers if (p.torch_threads or 1) > 1]
    medians = _rounds(shared, repeats, number)
    for peer in apart:
        medians.update(_rounds([peer], min(repeats, 3), number))  # slow and noisy: fewer
    _set_torch_threads(1 if apart else None)
    return {p.name: medians[p.name] for p in peers}


def _rounds(peers: list[Peer], repeats: int, number: int) -> dict[str, float]:
    samples = interleaved_samples(peers, repeats, number)
    return {name: statistics.median(times) for name, times in samples.items()}


def interleaved_samples(peers: list[Peer], repeats: int, number: int = 1) -> dict[str, list[float]]:
    """Seconds per ``run()`` of each peer in each of ``repeats`` rounds (every peer once per
    round, in a rotated order, after one untimed run; the collector runs between batches)."""
    for peer in peers:
        _set_torch_threads(peer.torch_threads)
        peer.run()
    samples: dict[str, list[float]] = {p.name: [] for p in peers}
    for r in range(repeats):
        shift = r % len(peers)
        for peer in peers[shift:] + peers[:shift]:
            _set_torch_threads(peer.torch_threads)
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                peer.run()
            samples[peer.name].append((time.perf_counter() - start) / number)
    return samples


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _threadpools() -> list[dict[str, Any]] | None:
    """What threadpoolctl sees (BLAS library, kernel, threads), when it is installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    keep = ("user_api", "internal_api", "num_threads", "version", "architecture")
    return [{k: info.get(k) for k in keep} for info in threadpool_info()]


def _git_state() -> str | None:
    """The commit of the tinygrad_acts being measured, and whether its tree had changes."""
    import subprocess

    import tinygrad_acts

    root = os.path.dirname(os.path.dirname(os.path.abspath(tinygrad_acts.__file__)))
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tinygrad_acts"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return None
    return f"{commit}{' + uncommitted changes' if dirty else ''}" if commit else None


def machine_description(torch_default_threads: int | None) -> dict[str, Any]:
    """The machine, library versions and thread settings, for the top of every report."""
    import numpy as np

    import tinygrad_acts

    versions = {
        "python": sys.version.split()[0],
        "tinygrad_acts": tinygrad_acts.__version__,
        "numpy": np.__version__,
    }
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:
        versions["torch"] = None
    try:  # gelu's floor uses it when installed (benchmarks/hand_numpy.py)
        import scipy

        versions["scipy"] = scipy.__version__
    except ImportError:
        versions["scipy"] = None
    dropped = {
        name: os.environ[f"TINYGRAD_ACTS_BENCH_DROPPED_{name}"]
        for name in OPENBLAS_TUNING
        if f"TINYGRAD_ACTS_BENCH_DROPPED_{name}" in os.environ
    }
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "source": _git_state(),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": _cpu_model(),
            "platform": platform.platform(),
        },
        "versions": versions,
        "threads": {
            **{name: os.environ.get(name) for name in THREAD_VARIABLES},
            "torch_reference_threads": 1,
            "torch_default_threads": torch_default_threads,
            "openblas_tuning_dropped": dropped,
            "openblas_tuning_in_effect": {
                name: os.environ[name] for name in OPENBLAS_TUNING if name in os.environ
            },
            "threadpoolctl": _threadpools(),
        },
        "allocator": {name: os.environ.get(name) for name in MALLOC_SETTINGS},
    }
