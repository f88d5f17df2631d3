"""The benchmark runner: ``python -m benchmarks [--quick | --smoke] [--only W,…] [--json OUT]
[--markdown OUT] [--check] [--plot [PNG]] [--tuned-malloc]``.

Run it through ``python -m benchmarks`` (or ``python benchmarks/run.py``), which pins BLAS and
OpenMP to one thread before NumPy is imported. Exit status: 1 if a correctness check failed
(a tinygrad_acts result differs from hand NumPy), 2 if ``--check`` found a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: re-run as the package, pinned
    _root = Path(__file__).resolve().parent.parent
    os.chdir(_root)
    os.execv(sys.executable, [sys.executable, "-m", "benchmarks", *sys.argv[1:]])

from . import deep, memory, mlp, overhead, polyfit, report, targets, throughput
from .modes import MODES
from .timing import machine_description

WORKLOADS = {
    "overhead": overhead.run,
    "throughput": throughput.run,
    "mlp": mlp.run,
    "deep": deep.run,
    "memory": memory.run,
    "poly": polyfit.run,
}
# Peers whose wrong answer fails the run: ours and the references. torch's own inaccuracies
# (e.g. hardsigmoid' = 1/6 rounded to float32 in float64) are reported, not fatal.
CHECKED_PEERS = ("tinygrad_acts", "numpy", "numpy_accurate", "scalar")
DEFAULT_PLOT = Path("docs/img/performance.png")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    size = p.add_mutually_exclusive_group()
    size.add_argument(
        "--quick", action="store_true", help="fewer repeats, smaller throughput (<1 min)"
    )
    size.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    p.add_argument(
        "--only",
        metavar="W,…",
        help=f"run only these workloads (names or numbers 1-6): {', '.join(WORKLOADS)}",
    )
    p.add_argument("--json", metavar="OUT", type=Path, help="write all results to this file")
    p.add_argument(
        "--markdown",
        metavar="OUT",
        type=Path,
        help="write the tables as Markdown (into an existing file: between its result markers)",
    )
    p.add_argument("--check", action="store_true", help="exit 2 if a target of the issue is missed")
    p.add_argument(
        "--tuned-malloc",
        action="store_true",
        help="keep freed memory for reuse: no page faults (default: glibc's defaults, as a "
        "user's process; benchmarks/environment.py)",
    )
    p.add_argument(
        "--plot",
        nargs="?",
        const=DEFAULT_PLOT,
        type=Path,
        metavar="PNG",
        help=f"save a plot of the ratios (default {DEFAULT_PLOT})",
    )
    return p.parse_args(argv)


def selected(only: str | None) -> list[str]:
    if not only:
        return list(WORKLOADS)
    names = list(WORKLOADS)
    chosen = []
    for item in only.split(","):
        item = item.strip()
        name = names[int(item) - 1] if item.isdigit() and 1 <= int(item) <= len(names) else item
        if name not in WORKLOADS:
            raise SystemExit(f"--only: unknown workload {item!r}; known: {', '.join(names)}")
        chosen.append(name)
    return chosen


def _torch_default_threads() -> int:
    """What torch's pool would use without the pin: $OMP_NUM_THREADS as first given, else
    the number of CPUs (torch's default is the physical cores; here they are the same)."""
    original = os.environ.get("TINYGRAD_ACTS_BENCH_ORIGINAL_OMP", "")
    return int(original) if original.isdigit() else (os.cpu_count() or 1)


def _limit_threadpools() -> contextlib.AbstractContextManager[Any]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _import_and_freeze() -> None:
    """Import the frameworks now, then move every object alive into the collector's permanent
    generation: a full collection between timed batches then costs microseconds, not the
    0.2 s that walking torch's objects takes."""
    import tinygrad_acts  # noqa: F401

    with contextlib.suppress(ImportError):
        import torch  # noqa: F401
    gc.collect()
    gc.freeze()


def correctness(workloads: dict[str, Any]) -> tuple[bool, list[str]]:
    """(every checked peer agreed, the list of disagreements of any peer)."""
    failures = []
    for name, w in workloads.items():
        entries = []
        if name == "throughput":
            for r in w["rows"]:
                entries += [
                    (f"{r['activation']} {r['dtype']}", p, ok) for p, ok in r["correct"].items()
                ]
        else:
            entries += [("", p, ok) for p, ok in w["correct"].items()]
            entries += [("probe", p, ok) for p, ok in w.get("probe_correct", {}).items()]
        failures += [
            (p, f"{name} {what}: {p}".replace("  ", " ")) for what, p, ok in entries if not ok
        ]
    ok = not any(p in CHECKED_PEERS for p, _ in failures)
    return ok, [text for _, text in failures]


MARKERS = ("<!-- results:start -->", "<!-- results:end -->")


def write_markdown(path: Path, text: str) -> None:
    """Write the tables; into an existing file, only between the two ``MARKERS`` (so the
    analysis around them in docs/performance.md survives a re-run)."""
    start, end = MARKERS
    if path.exists():
        old = path.read_text()
        if start in old and end in old:
            head, rest = old.split(start, 1)
            text = head + start + "\n" + text + end + rest.split(end, 1)[1]
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    names = selected(args.only)
    torch_default = _torch_default_threads() if mode.torch_default else None

    started = time.perf_counter()
    _import_and_freeze()
    with _limit_threadpools():
        meta = machine_description(torch_default)
        meta["mode"] = mode.name
        meta["load_average"] = [round(x, 2) for x in os.getloadavg()]
        print(report.header(meta), flush=True)
        results: dict[str, Any] = {}
        for name in names:
            results[name] = WORKLOADS[name](mode, torch_default)
            print("\n" + report.FORMATTERS[name](results[name]), flush=True)

    ok, mismatches = correctness(results)
    checks = targets.evaluate(results)
    meta["seconds"] = round(time.perf_counter() - started, 1)
    meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print("\n" + report.checks(checks))
    if mismatches:
        print("\ngradient/loss mismatches: " + "; ".join(mismatches))
    print(f"\ncorrectness: {'ok' if ok else 'FAILED'}; {meta['seconds']} s")

    out = {"meta": meta, "workloads": results, "checks": checks, "correct": ok,
           "mismatches": mismatches}  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1, default=float) + "\n")
    if args.markdown:
        write_markdown(args.markdown, report.markdown(out))
    if args.plot:
        from .plot import plot

        plot(out, args.plot)
        print(f"plot: {args.plot}")
    if not ok:
        return 1
    if args.check and not all(c["pass"] for c in checks):
        return 2
    return 0
