"""``python -m benchmarks``: pin every thread pool to one thread, then run the benchmarks.

The BLAS libraries read their thread counts when they are loaded, so the variables must be set
before NumPy (or torch) is imported — safest in a fresh process. When the environment is not
yet pinned, this re-executes the interpreter once with the pinned environment.
"""

import os
import sys

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Set on some machines for old OpenBLAS builds; they slow a current NumPy down, so a benchmark
# run drops them (only in its own process, and not in --smoke mode, which tests run).
_OPENBLAS_TUNING = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_MARKER = "TINYGRAD_ACTS_BENCH_PINNED"


def _pinned_environment(argv: list[str]) -> dict[str, str] | None:
    """The environment to re-execute with, or None when this process is already pinned."""
    if os.environ.get(_MARKER) == "1":
        return None
    env = dict(os.environ)
    env[_MARKER] = "1"
    # What torch's default pool would use without the pin, reported beside the 1-thread runs.
    env.setdefault("TINYGRAD_ACTS_BENCH_ORIGINAL_OMP", os.environ.get("OMP_NUM_THREADS", ""))
    for name in _THREAD_VARIABLES:
        env[name] = "1"
    if "--smoke" not in argv:
        for name in _OPENBLAS_TUNING:
            if name in env:
                env["TINYGRAD_ACTS_BENCH_DROPPED_" + name] = env.pop(name)
    return env


if __name__ == "__main__":
    _env = _pinned_environment(sys.argv[1:])
    if _env is not None:
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, "-m", "benchmarks", *sys.argv[1:]], _env)

    from .run import main

    sys.exit(main(sys.argv[1:]))
