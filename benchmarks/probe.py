"""Peak memory of one workload in one framework, measured in a fresh process.

``python -m benchmarks.probe WORKLOAD FRAMEWORK SIZE`` builds the inputs, resets the kernel's
peak-RSS counter (``/proc/self/clear_refs``), notes the current RSS, runs forward + backward
once, and prints one JSON line: the extra peak (peak RSS - RSS before) and a checksum of the
gradient. A fresh process per framework, so one framework's freed-but-cached memory cannot
hide another's.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .environment import MALLOC_SETTINGS

WORKLOADS = ("deep", "chain")
FRAMEWORKS = ("tinygrad_acts", "torch", "numpy", "scalar")


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Make VmHWM (the peak RSS) start again from the current RSS (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_bytes() -> int:
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def _current_bytes() -> int:
    rss = _status_kb("VmRSS")
    return (rss or 0) * 1024


def _sigmoid_chain_tinygrad_acts(x: np.ndarray, layers: int):
    import tinygrad_acts as tga

    t = tga.tensor(x, requires_grad=True)

    def run() -> np.ndarray:
        y = t
        for _ in range(layers):
            y = y.sigmoid()
        y.sum().backward()
        return t.grad.numpy()

    return run


def _sigmoid_chain_torch(x: np.ndarray, layers: int):
    import torch

    t = torch.from_numpy(x).requires_grad_(True)

    def run() -> np.ndarray:
        y = t
        for _ in range(layers):
            y = y.sigmoid()
        y.sum().backward()
        return t.grad.numpy()

    return run


def _job(workload: str, framework: str, size: int, layers: int):
    """The closure to measure, with its inputs already built."""
    if framework == "torch":
        import torch

        torch.set_num_threads(1)
    if workload == "deep":
        from . import chain, hand_numpy

        ops = hand_numpy.chain_ops(size)
        factory = {
            "tinygrad_acts": chain.tinygrad_acts_chain,
            "torch": chain.torch_chain,
            "numpy": chain.numpy_chain,
            "scalar": chain.scalar_chain,
        }[framework]
        return factory(ops)
    x = np.random.default_rng(0).standard_normal(size)
    if framework == "tinygrad_acts":
        return _sigmoid_chain_tinygrad_acts(x, layers)
    if framework == "torch":
        return _sigmoid_chain_torch(x, layers)
    if framework == "numpy":
        from .hand_numpy import sigmoid_chain

        return lambda: sigmoid_chain(x, layers)
    raise ValueError(f"no {framework} peer for the {workload} workload")


def probe(workload: str, framework: str, size: int, layers: int) -> dict[str, Any]:
    job = _job(workload, framework, size, layers)
    exact = _reset_peak()
    before = _current_bytes() if exact else _peak_bytes()
    grad = job()
    peak = _peak_bytes()
    return {
        "extra_bytes": max(peak - before, 0),
        "grad_sum": float(np.sum(grad)),
        "exact_peak": exact,
    }


def measure(workload: str, framework: str, size: int, layers: int = 10) -> dict[str, Any]:
    """Run the probe in a fresh interpreter (same environment: threads stay pinned)."""
    root = Path(__file__).resolve().parent.parent
    # glibc's own allocator settings: peak memory as a user's process would have it.
    env = {k: v for k, v in os.environ.items() if k not in MALLOC_SETTINGS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.probe", workload, framework, str(size), str(layers)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"memory probe {workload}/{framework} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    name, fw, n, depth = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if name not in WORKLOADS or fw not in FRAMEWORKS:
        sys.exit(f"usage: python -m benchmarks.probe {WORKLOADS} {FRAMEWORKS} SIZE LAYERS")
    print(json.dumps(probe(name, fw, n, depth)))
