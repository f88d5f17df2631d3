"""``python -m benchmarks``: pin every thread pool to one thread, then run the benchmarks
(``benchmarks/environment.py`` says what is set, and why)."""

import sys

from .environment import reexecute_pinned

if __name__ == "__main__":
    reexecute_pinned("benchmarks", sys.argv[1:])

    from .run import main

    sys.exit(main(sys.argv[1:]))
