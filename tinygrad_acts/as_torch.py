"""Run a torch script on tinygrad_acts, unchanged: ``python -m tinygrad_acts.as_torch script.py``.

``install()`` makes ``import torch`` — and ``from torch import nn``, ``torch.nn.functional``,
``torch.optim``, ``torch.utils.data`` … — import this package instead, for the rest of the
process. The script's own code is not read or changed; its ``import torch`` finds this package.
"""

from __future__ import annotations

import runpy
import sys

import tinygrad_acts

# torch's module names, and the part of this package each one is
MODULES = {
    "torch": tinygrad_acts,
    "torch.autograd": tinygrad_acts.autograd,
    "torch.linalg": tinygrad_acts.linalg,
    "torch.nn": tinygrad_acts.nn,
    "torch.nn.functional": tinygrad_acts.nn.functional,
    "torch.optim": tinygrad_acts.optim,
    "torch.utils": tinygrad_acts.utils,
    "torch.utils.data": tinygrad_acts.utils.data,
}


def install() -> None:
    """From now on, ``import torch`` (and its submodules above) imports tinygrad_acts."""
    sys.modules.update(MODULES)


def main(argv: list[str] | None = None) -> int:
    """``python -m tinygrad_acts.as_torch script.py [args...]``: run the script as ``__main__``,
    with ``sys.argv`` as it would see it under ``python script.py args...``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0])
        return 0 if argv else 2
    install()
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
