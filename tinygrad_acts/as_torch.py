"""Run a torch script on tinygrad_acts, unchanged: ``python -m tinygrad_acts.as_torch script.py``.

``install()`` makes ``import torch`` — and ``from torch import nn``, ``torch.nn.functional``,
``torch.optim``, ``torch.utils.data`` … — import this package instead, for the rest of the
process. The script's own code is not read or changed; its ``import torch`` finds this package.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import runpy
import sys
from types import ModuleType

import tinygrad_acts


def package_name(torch_name: str) -> str:
    """``torch.nn.functional`` → ``tinygrad_acts.nn.functional``."""
    return "tinygrad_acts" + torch_name.removeprefix("torch")


class TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``torch`` and every ``torch.<path>`` as ``tinygrad_acts.<path>``: the same module
    object under both names, so ``from torch.optim.lr_scheduler import StepLR`` and
    ``torch.optim.lr_scheduler.StepLR`` are one class. A path the package does not have is
    not found (``ModuleNotFoundError`` names it)."""

    def find_spec(
        self, name: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != "torch" and not name.startswith("torch."):
            return None
        if importlib.util.find_spec(package_name(name)) is None:
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(package_name(spec.name))
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (``create_module`` imported it); the module keeps its own spec,
        which the import system replaced with the alias's."""
        module.__spec__ = self.own_spec


def install() -> None:
    """From now on, ``import torch`` and ``import torch.<path>`` import tinygrad_acts."""
    if not any(isinstance(finder, TorchAlias) for finder in sys.meta_path):
        sys.meta_path.insert(0, TorchAlias())
    sys.modules["torch"] = tinygrad_acts


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
