"""``list`` and ``show``: what the registry knows about each activation."""

from __future__ import annotations

import argparse
import inspect

import numpy as np

from ..registry import ACTIVATIONS, Activation
from .errors import UserError
from .sampling import derivatives, lookup

SHOW_POINTS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)


def format_params(entry: Activation) -> str:
    """``negative_slope=0.01, inplace`` style: each parameter with its default, if any."""
    parts = []
    for name, default in entry.params.items():
        if default is inspect.Parameter.empty:
            sample = entry.sample_params.get(name)
            parts.append(f"{name} (required; e.g. {sample})" if sample is not None else name)
        else:
            parts.append(f"{name}={default!r}")
    return ", ".join(parts) or "-"


def table(rows: list[list[str]], header: list[str]) -> str:
    """Rows of text as aligned columns under a header and a rule."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def run_list(args: argparse.Namespace) -> int:
    rows = [[e.name, format_params(e), e.formula] for e in ACTIVATIONS.values()]
    print(table(rows, ["name", "parameters", "formula (LaTeX)"]))
    print(f"\n{len(rows)} activations. `tinygrad-acts show NAME` tells more about one.")
    return 0


def value_table(f: object, points: list[float], orders: int = 2) -> str:
    """x, f(x), f'(x), ... at ``points``, by the autograd engine in float64."""
    x = np.array(points, dtype=np.float64)
    values = derivatives(f, x, range(orders + 1))  # type: ignore[arg-type]
    header = ["x"] + ["f" + "'" * n if n <= 3 else f"f^({n})" for n in range(orders + 1)]
    rows = [
        [f"{x[i]:g}"] + [f"{values[n][i]:.6g}" for n in range(orders + 1)] for i in range(len(x))
    ]
    return table(rows, header)


def run_show(args: argparse.Namespace) -> int:
    try:
        entry = lookup(args.name)
    except ValueError as e:
        raise UserError(str(e)) from None
    module = entry.module.__name__
    print(f"{entry.name}")
    print(f"  f(x)       {entry.formula}")
    print(f"  f'(x)      {entry.derivative}")
    print(f"  parameters {format_params(entry)}")
    if entry.smooth:
        print("  smooth     yes (no kinks)" + (f"; {entry.kink_rule}" if entry.kink_rule else ""))
    else:
        kinks = ", ".join(f"{k:g}" for k in entry.kinks)
        print(f"  kinks      x = {kinks}; at a kink: {entry.kink_rule}")
    print(f"  torch      {entry.torch_name}, torch.nn.{module}")
    print(f"  ours       tinygrad_acts.nn.functional.{entry.name}, tinygrad_acts.nn.{module}")
    if not entry.elementwise:
        print("\n(not elementwise: each output depends on several inputs, so no table of f(x))")
        return 0
    points = sorted(set(SHOW_POINTS) | set(entry.kinks))
    params = entry.call_params()
    note = f" with {', '.join(f'{k}={v!r}' for k, v in params.items())}" if params else ""
    print(f"\nvalues and derivatives (autograd, float64){note}:")
    print(value_table(entry, points))
    return 0
