"""``check``: every activation against torch — values, f' and f'' in float32 and float64.

The grid is the registry's plotting range, without the points within 1e-3 of a kink (there
f' or f'' jumps, and two correct libraries may sit on different sides of it in float32); the
kink points themselves are then checked for f and f', where the registry states the rule.
A result passes where ``|ours - torch| <= atol + rtol * |torch|`` everywhere.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

import numpy as np

from ..registry import ACTIVATIONS, Activation
from .errors import UserError
from .info import table, terminal_width
from .output import progress
from .sampling import derivatives, elementwise, lookup, torch_derivatives

POINTS = 200
KINK_GAP = 1e-3
DTYPES = (np.float32, np.float64)
# float32 carries ~7 digits and f'' loses a few more; float64 is held to ~1e-7 relative because
# torch computes some constants (hardsigmoid's 1/6) in float32 even for float64 inputs.
TOLERANCE = {np.float32: (1e-5, 1e-4), np.float64: (1e-10, 1e-7)}


def grid(entry: Activation) -> np.ndarray:
    """The registry's plotting range, minus the points near a kink."""
    x = np.linspace(*entry.plot_range, POINTS)
    for k in entry.kinks:
        x = x[np.abs(x - k) >= KINK_GAP]
    return x


def errors(ours: np.ndarray, theirs: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Max absolute error, max relative error (where |torch| > 1e-3), and the gaps.

    Points where both are NaN (or the same infinity) agree; where only one is, they do not.
    """
    ours, theirs = ours.astype(np.float64), theirs.astype(np.float64)
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    gap = np.where(same, 0.0, np.abs(ours - theirs))
    gap = np.where(np.isnan(gap), np.inf, gap)
    big = np.abs(theirs) > 1e-3  # relative error of a near-zero value is noise
    rel = gap[big] / np.abs(theirs[big])
    return float(gap.max(initial=0.0)), float(rel.max(initial=0.0)), gap


def error(value: float) -> str:
    """An error for the table, to one digit (its size is what matters): ``2e-16``, ``0``."""
    if value == 0:
        return "0"
    mantissa, _, exponent = f"{value:.0e}".partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa  # inf and nan have none


def check_one(entry: Activation, dtype: type) -> tuple[list[tuple[float, float]], bool]:
    """Errors of f, f', f'' for one activation in one dtype, and whether all are in tolerance."""
    atol, rtol = TOLERANCE[dtype]
    x = grid(entry).astype(dtype)
    ours = derivatives(entry, x, (0, 1, 2))
    theirs = torch_derivatives(entry, x, (0, 1, 2))
    if entry.kinks:  # the kink points: the rule for f' is part of the contract
        k = np.array(entry.kinks, dtype=dtype)
        ours_k, theirs_k = derivatives(entry, k, (0, 1)), torch_derivatives(entry, k, (0, 1))
        for n in (0, 1):
            ours[n] = np.concatenate([ours[n], ours_k[n]])
            theirs[n] = np.concatenate([theirs[n], theirs_k[n]])
    results, ok = [], True
    for n in (0, 1, 2):
        abs_err, rel_err, gap = errors(ours[n], theirs[n])
        ok &= bool(np.all(gap <= atol + rtol * np.abs(theirs[n].astype(np.float64))))
        results.append((abs_err, rel_err))
    return results, ok


def run_check(args: argparse.Namespace) -> int:
    try:  # the names asked for, else every elementwise activation
        entries = [elementwise(lookup(name)) for name in args.names]
    except ValueError as e:
        raise UserError(str(e)) from None
    entries = entries or [e for e in ACTIVATIONS.values() if e.elementwise]
    try:
        import torch
    except ImportError:
        raise UserError(
            "`check` compares against torch, which is not installed: pip install torch "
            "(nothing was checked)"
        ) from None
    torch.set_num_threads(1)
    plural = "s" if len(entries) != 1 else ""
    progress(f"checking {len(entries)} activation{plural} against torch {torch.__version__} ...")
    rows, failed = [], []
    tty = sys.stderr.isatty()
    for i, entry in enumerate(entries, 1):
        if tty:
            print(f"\r[{i:2d}/{len(entries)}] {entry.name:<12}", end="", file=sys.stderr)
        for dtype in DTYPES:
            results, ok = check_one(entry, dtype)
            cells = [f"{error(a)} / {error(r)}" for a, r in results]
            rows.append([entry.name, np.dtype(dtype).name, *cells, "ok" if ok else "MISMATCH"])
            if not ok:
                failed.append(f"{entry.name} ({np.dtype(dtype).name})")
    if tty:
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    header = ["activation", "dtype", "f abs/rel", "f' abs/rel", "f'' abs/rel", "result"]
    print(table(rows, header))
    skipped = [e.name for e in ACTIVATIONS.values() if not e.elementwise]
    tolerances = "; ".join(
        f"{np.dtype(d).name} atol={a:g} rtol={r:g}" for d, (a, r) in TOLERANCE.items()
    )
    notes = [
        f"{POINTS} points per activation on its plotting range, kinks ±{KINK_GAP:g} left out "
        "(the kink points checked for f and f').",
        f"pass: |ours - torch| <= atol + rtol·|torch| ({tolerances}); "
        "rel is |ours - torch|/|torch| where |torch| > 1e-3.",
        f"not elementwise, checked by the test suite instead: {', '.join(skipped)}",
    ]
    print()
    for note in notes:
        print(textwrap.fill(note, terminal_width()))
    if failed:
        print(f"MISMATCH: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(rows)} checks agree with torch")
    return 0
