"""The targets of issues #8 and #19, as checks on a run's results (``--check`` exits non-zero on
a miss)."""

from __future__ import annotations

import math
from typing import Any

# One entry per target: what is compared, and the largest value that passes.
PER_OP_RATIO = 0.9  # tinygrad_acts / torch-1-thread, µs per op
THROUGHPUT_RATIO = 1.15  # tinygrad_acts / the row's hand-NumPy floor, every activation and dtype
GELU_RATIO = 1.5  # … gelu's, against hand NumPy with SciPy's erfc
THROUGHPUT_GEOMEAN = 1.0  # … their geometric mean, per dtype
MLP_RATIO = 1.0  # tinygrad_acts / torch-1-thread, seconds, at both sizes
POLY_RATIO = 1.5  # the polynomial fit: tinygrad_acts / torch-1-thread, seconds
MLP_LOSS = 1e-10  # |final loss - hand NumPy's|
DEEP_TIME_RATIO = 1.0  # tinygrad_acts / torch-1-thread
DEEP_MEMORY_RATIO = 1.0  # tinygrad_acts / torch, extra peak
MEMORY_ARRAYS = 12.0  # extra peak, in arrays


def _check(target: str, measured: float | None, limit: float) -> dict[str, Any]:
    ok = measured is not None and not math.isnan(measured) and measured <= limit
    return {"target": target, "measured": measured, "limit": limit, "pass": bool(ok)}


def evaluate(workloads: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target that the workloads in this run can answer."""
    checks = []
    w = workloads.get("overhead")
    if w and "torch_1thread" in w["us_per_op"]:
        us = w["us_per_op"]
        checks.append(
            _check(
                "overhead: µs/op vs torch-1",
                us["tinygrad_acts"] / us["torch_1thread"],
                PER_OP_RATIO,
            )
        )
    w = workloads.get("throughput")
    if w:
        for row in w["rows"]:
            limit = GELU_RATIO if row["activation"] == "gelu" else THROUGHPUT_RATIO
            checks.append(
                _check(
                    f"throughput: {row['activation']} {row['dtype']} vs {row['floor']} floor",
                    row["ratio_floor"],
                    limit,
                )
            )
        for dtype, g in w["geomean_ratio_floor"].items():
            checks.append(_check(f"throughput: geomean {dtype} vs floor", g, THROUGHPUT_GEOMEAN))
    w = workloads.get("mlp")
    if w:
        for label, run in (("1-64-64-1", w), ("1-8-8-1", w.get("small"))):
            s = run["seconds"] if run else {}
            if "torch_1thread" in s:
                checks.append(
                    _check(
                        f"mlp {label}: seconds vs torch-1",
                        s["tinygrad_acts"] / s["torch_1thread"],
                        MLP_RATIO,
                    )
                )
        checks.append(_check("mlp: |final loss difference|", w["max_loss_difference"], MLP_LOSS))
    w = workloads.get("poly")
    if w:
        s = w["seconds"]
        if "torch_1thread" in s:
            checks.append(
                _check(
                    "poly fit: seconds vs torch-1",
                    s["tinygrad_acts"] / s["torch_1thread"],
                    POLY_RATIO,
                )
            )
        checks.append(
            _check("poly fit: |final loss difference|", w["max_loss_difference"], MLP_LOSS)
        )
    w = workloads.get("deep")
    if w:
        checks.append(_check("deep: no RecursionError", 0.0 if w["no_recursion_error"] else 1, 0))
        s, mb = w["seconds"], w["peak_mb"]
        if "torch_1thread" in s:
            checks.append(
                _check(
                    "deep: seconds vs torch-1",
                    s["tinygrad_acts"] / s["torch_1thread"],
                    DEEP_TIME_RATIO,
                )
            )
        if "torch" in mb:
            ratio = mb["tinygrad_acts"] / mb["torch"] if mb["torch"] else math.inf
            checks.append(_check("deep: peak memory vs torch", ratio, DEEP_MEMORY_RATIO))
    w = workloads.get("memory")
    if w:
        checks.append(
            _check("memory: extra peak (arrays)", w["extra_arrays"]["tinygrad_acts"], MEMORY_ARRAYS)
        )
    return checks
