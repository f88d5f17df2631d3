"""Workload 5 — memory: a 10-layer sigmoid chain on 4,000,000 float64 elements, fwd + bwd.

Extra peak memory (peak RSS during forward + backward minus RSS before it, the input already
allocated) in units of one array of that size. The floor is what the backward needs: the ten
saved activations (or inputs) plus the gradient being passed down; a framework that keeps
intermediate gradients or saves more than it needs shows up here.
"""

from __future__ import annotations

from typing import Any

from .modes import Mode
from .probe import measure


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    frameworks = ["tinygrad_acts", "numpy"]
    if mode.torch_in_probes:
        frameworks.insert(1, "torch")
    array_bytes = mode.memory_size * 8
    results = {f: measure("chain", f, mode.memory_size, mode.memory_layers) for f in frameworks}
    reference = results["numpy"]["grad_sum"]
    return {
        "size": mode.memory_size,
        "layers": mode.memory_layers,
        "array_mb": array_bytes / 2**20,
        "extra_arrays": {f: r["extra_bytes"] / array_bytes for f, r in results.items()},
        "exact_peak": all(r["exact_peak"] for r in results.values()),
        "correct": {
            f: abs(r["grad_sum"] - reference) <= 1e-9 * abs(reference) for f, r in results.items()
        },
    }
