"""The environment of a benchmark run, set before anything is imported (hence no imports here).

Threads: the BLAS libraries read their thread counts when they are loaded, so the variables
must be set before NumPy (or torch) is imported — safest in a fresh process, which
``python -m benchmarks`` and ``python -m benchmarks.ab`` re-execute once with this environment.

Allocator: a run uses glibc's defaults, as a user's process does. glibc hands large freed
blocks back to the kernel (unmapped, or trimmed off the heap's top), and the next array of that
size then pays a page fault per 4 KB while the kernel zeroes it: up to 3 µs each on this
machine, 6 ms for an 8 MB array, triple the arithmetic of a cheap activation — so fewer fresh
arrays per op is speed. ``--tuned-malloc`` keeps freed memory for reuse instead (blocks up to
glibc's 32 MB limit from the heap, which is never trimmed): each row then measures its passes
alone, a second view. The memory probes always run with the defaults.
"""

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Set on some machines for old OpenBLAS builds; they slow a current NumPy down, so a benchmark
# run drops them (only in its own process, and not in --smoke mode, which tests run).
OPENBLAS_TUNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
MALLOC_SETTINGS = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "4294967296"}
_MARKER = "TINYGRAD_ACTS_BENCH_PINNED"


def pinned_environment(argv: list[str]) -> dict[str, str] | None:
    """The environment to re-execute with, or None when this process already has it."""
    if os.environ.get(_MARKER) == "1":
        return None
    env = dict(os.environ)
    env[_MARKER] = "1"
    # What torch's default pool would use without the pin, reported beside the 1-thread runs.
    env.setdefault("TINYGRAD_ACTS_BENCH_ORIGINAL_OMP", os.environ.get("OMP_NUM_THREADS", ""))
    for name in THREAD_VARIABLES:
        env[name] = "1"
    if "--tuned-malloc" in argv:
        env.update(MALLOC_SETTINGS)
    else:  # glibc's defaults, even when the caller's environment tuned them
        for name in MALLOC_SETTINGS:
            env.pop(name, None)
    if "--smoke" not in argv:
        for name in OPENBLAS_TUNING:
            if name in env:
                env["TINYGRAD_ACTS_BENCH_DROPPED_" + name] = env.pop(name)
    return env


def reexecute_pinned(module: str, argv: list[str]) -> None:
    """Replace this process by ``python -m module argv`` in the pinned environment, unless it
    already runs in it."""
    env = pinned_environment(argv)
    if env is not None:
        import sys

        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, "-m", module, *argv], env)
