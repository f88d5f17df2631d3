"""The sizes and repeat counts of a run: ``full`` (the issue's sizes), ``quick`` and ``smoke``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    name: str
    overhead_ops: int  # ops in the per-op chain
    overhead_repeats: int
    overhead_number: int  # calls per timed batch
    throughput_size: int
    throughput_repeats: int
    mlp_steps: int
    mlp_repeats: int
    deep_ops: int
    deep_repeats: int
    deep_extra_ops: int  # a deeper graph, run once for tinygrad_acts: no RecursionError
    memory_size: int
    poly_steps: int  # SGD steps of the polynomial fit
    poly_repeats: int
    memory_layers: int
    torch_in_probes: bool  # measure torch's memory too (each probe imports torch: ~2 s)
    torch_default: bool  # also time torch with its default thread pool (slow when loaded)


_ISSUE_SIZES = dict(
    overhead_ops=100, throughput_size=1_000_000, mlp_steps=200, deep_ops=40_000,
    memory_size=4_000_000, memory_layers=10, poly_steps=2_000,
)  # fmt: skip

MODES = {
    "full": Mode(
        "full", overhead_repeats=41, overhead_number=20, throughput_repeats=15, mlp_repeats=11,
        deep_repeats=7, deep_extra_ops=200_000, torch_in_probes=True, torch_default=True,
        poly_repeats=5,
        **_ISSUE_SIZES,
    ),
    "quick": Mode(
        "quick", overhead_repeats=11, overhead_number=10, throughput_repeats=3, mlp_repeats=3,
        deep_repeats=3, deep_extra_ops=0, torch_in_probes=True, torch_default=False,
        poly_repeats=3,
        **{**_ISSUE_SIZES, "throughput_size": 200_000},
    ),
    "smoke": Mode(
        "smoke", overhead_ops=100, overhead_repeats=2, overhead_number=2, throughput_size=5_000,
        throughput_repeats=1, mlp_steps=10, mlp_repeats=1, deep_ops=1_000, deep_repeats=1,
        deep_extra_ops=0, memory_size=200_000, memory_layers=10, torch_in_probes=False,
        torch_default=False, poly_steps=10, poly_repeats=1,
    ),
}  # fmt: skip
