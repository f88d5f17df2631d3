"""Workload 1 — per-op overhead: a chain of 100 elementwise ops on a one-element tensor.

What it measures is the fixed cost of one op (wrapping, recording, the engine's visit, the
backward rule's own ops): forward + backward time divided by the number of ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import hand_numpy
from .chain import X0, chain_peers, check_against
from .modes import Mode
from .timing import interleaved_medians


def run(mode: Mode, torch_default_threads: int | None) -> dict[str, Any]:
    ops = hand_numpy.chain_ops(mode.overhead_ops)
    peers = chain_peers(ops, torch_default_threads)
    reference = float(hand_numpy.chain(np.array([X0]), ops)[1][0])
    correct = check_against(reference, {p.name: p.run() for p in peers}, rtol=1e-12)
    seconds = interleaved_medians(peers, mode.overhead_repeats, mode.overhead_number)
    us_per_op = {name: s / len(ops) * 1e6 for name, s in seconds.items()}
    return {
        "ops": len(ops),
        "pattern": list(hand_numpy.CHAIN_PATTERN),
        "us_per_op": us_per_op,
        "gradient": reference,
        "correct": correct,
    }
