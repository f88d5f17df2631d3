"""``python -m benchmarks.ab REV``: is the working tree faster or slower than commit ``REV``?

On a shared machine the speed of everything drifts by ±30 % within minutes, so two separate
benchmark runs cannot tell a 3 % change. This imports both versions of the package into one
process (``REV``'s copy from ``git archive``, under another name) and times them interleaved,
batch by batch, on the per-op chain and, with ``--activations``, on 1M-element activations:

    python -m benchmarks.ab HEAD                      # uncommitted changes against HEAD
    python -m benchmarks.ab 65f09c6 --ops 40000       # the deep chain against an older commit
    python -m benchmarks.ab HEAD~3 --activations relu,tanh

It prints B/A (B the working tree) from the medians and from the minima of the batches: the
minimum is the steadier estimate when the noise only ever adds time.
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from . import mlp
from .chain import tinygrad_acts_chain
from .environment import reexecute_pinned
from .hand_numpy import chain_ops
from .throughput import _tinygrad_acts_peer
from .timing import Peer, interleaved_samples

ROOT = Path(__file__).resolve().parent.parent


def import_revision(rev: str, where: Path) -> object:
    """``tinygrad_acts`` as of commit ``rev``, imported as the package ``tga_rev`` (every
    import inside it is relative, so the copy runs under its new name)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "tinygrad_acts"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+, 3.11.4+
            tar.extractall(where, filter="data")
        else:  # pragma: no cover  (our own repository's archive)
            tar.extractall(where)
    (where / "tinygrad_acts").rename(where / "tga_rev")
    sys.path.insert(0, str(where))
    return importlib.import_module("tga_rev")


def report(label: str, times: dict[str, list[float]], unit: float, unit_name: str) -> str:
    a, b = times["A"], times["B"]
    med_a, med_b = statistics.median(a) * unit, statistics.median(b) * unit
    min_a, min_b = min(a) * unit, min(b) * unit
    return (
        f"{label}: median A {med_a:.3g} B {med_b:.3g} {unit_name}, B/A {med_b / med_a:.3f} | "
        f"min A {min_a:.3g} B {min_b:.3g}, B/A {min_b / min_a:.3f}"
    )


def _mlp_peer(package: Any, steps: int) -> Any:
    """The MLP of workload 3 (``benchmarks.mlp``) on one version of the package."""
    weights = mlp.initial_weights()
    x, y = mlp.data()
    xs, ys = package.tensor(x), package.tensor(y)

    def load(params: Any) -> None:
        for p, w in zip(params, weights):
            if hasattr(p, "array"):  # since .data became a Tensor, as torch's
                p.array = w.copy()
            else:
                p.data = w.copy()

    return lambda: mlp._train(package, xs, ys, load, steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__)
    parser.add_argument("rev", help="the commit to compare the working tree with (A)")
    parser.add_argument("--ops", type=int, default=100, help="length of the chain (100)")
    parser.add_argument("--rounds", type=int, default=40, help="batches per version (40)")
    parser.add_argument("--activations", default="", help="names, comma-separated (none)")
    parser.add_argument("--mlp", type=int, default=0, help="also the MLP, this many steps (0)")
    parser.add_argument(
        "--tuned-malloc", action="store_true", help="keep freed memory (default: glibc's)"
    )
    args = parser.parse_args(argv)

    import tinygrad_acts as new

    with tempfile.TemporaryDirectory() as tmp:
        old = import_revision(args.rev, Path(tmp))
        versions = {"A": old, "B": new}
        ops = chain_ops(args.ops)
        peers = [Peer(k, tinygrad_acts_chain(ops, m)) for k, m in versions.items()]
        a, b = (peer.run() for peer in peers)
        # An op may round differently in the two versions (an ulp), and a long chain compounds
        # it: the benchmark's own tolerances (workloads 1 and 4).
        if not np.isclose(a, b, rtol=1e-12 if args.ops <= 100 else 1e-9, atol=0):
            print(f"the two versions disagree: dy/dx = {a!r} vs {b!r}")
            return 1
        per_batch = max(1, 1000 // args.ops)
        times = interleaved_samples(peers, args.rounds, per_batch)
        print(report(f"chain of {args.ops}", times, 1e6 / args.ops, "µs/op"))

        if args.mlp:
            peers = [Peer(k, _mlp_peer(m, args.mlp)) for k, m in versions.items()]
            times = interleaved_samples(peers, max(4, args.rounds // 4))
            print(report(f"MLP {args.mlp} steps", times, 1e3, "ms"))

        data = np.random.default_rng(0).standard_normal(1_000_000) * 3.0
        for name in filter(None, args.activations.split(",")):
            for dtype in ("float64", "float32"):
                x = data.astype(dtype)
                peers = [Peer(k, _tinygrad_acts_peer(name, x, m)) for k, m in versions.items()]
                times = interleaved_samples(peers, max(4, args.rounds // 4))
                print(report(f"{name} {dtype} 1M", times, 1e3, "ms"))
    return 0


if __name__ == "__main__":
    reexecute_pinned("benchmarks.ab", sys.argv[1:])  # as the runner: one thread
    sys.exit(main())
