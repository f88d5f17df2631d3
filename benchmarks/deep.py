"""Workload 4 — a deep graph: 40,000 composed ops on one element, forward + backward.

Time is measured in this process, interleaved; peak memory in a fresh process per framework
(``benchmarks.probe``). A deeper graph is also run once for tinygrad_acts: the engine must
never recurse.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from . import hand_numpy
from .chain import X0, chain_peers, check_against, tinygrad_acts_chain
from .modes import Mode
from .probe import measure
from .timing import interleaved_medians


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    ops = hand_numpy.chain_ops(mode.deep_ops)
    peers = chain_peers(ops, torch_default_threads)
    reference = float(hand_numpy.chain(np.array([X0]), ops)[1][0])
    results: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for p in peers:
        try:
            results[p.name] = p.run()
        except RecursionError as e:  # reported, not timed
            errors[p.name] = f"RecursionError: {e}"
    peers = [p for p in peers if p.name not in errors]
    correct = check_against(reference, results, rtol=1e-9)
    seconds = interleaved_medians(peers, mode.deep_repeats)

    frameworks = ["tinygrad_acts", "numpy", "scalar"]
    if mode.torch_in_probes and "torch_1thread" in seconds:
        frameworks.insert(1, "torch")
    memory = {f: measure("deep", f, mode.deep_ops) for f in frameworks}

    deeper: dict[str, Any] = {}
    if mode.deep_extra_ops:
        start = time.perf_counter()
        try:
            g = tinygrad_acts_chain(hand_numpy.chain_ops(mode.deep_extra_ops))()
            deeper = {"ops": mode.deep_extra_ops, "ok": bool(np.isfinite(g)), "error": None}
        except RecursionError as e:
            deeper = {"ops": mode.deep_extra_ops, "ok": False, "error": f"RecursionError: {e}"}
        deeper["seconds"] = time.perf_counter() - start
    return {
        "ops": len(ops),
        "seconds": seconds,
        "peak_mb": {f: m["extra_bytes"] / 2**20 for f, m in memory.items()},
        "probe_correct": {
            f: bool(np.isclose(m["grad_sum"], reference, rtol=1e-9)) for f, m in memory.items()
        },
        "errors": errors,
        "deeper": deeper,
        "no_recursion_error": "tinygrad_acts" not in errors and deeper.get("ok", True),
        "gradient": reference,
        "correct": correct,
    }
