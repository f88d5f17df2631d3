"""How a tensor prints, as torch prints it: ``tensor([1.0000, 2.5000], requires_grad=True)``;
and ``set_printoptions`` (precision, threshold, edgeitems, linewidth, sci_mode, profile);
``format(t, spec)`` (an f-string's ``{t:.3f}``), as torch formats it.

The rules are torch's (``torch/_tensor_str.py``), on NumPy arrays:

- One format for every element, chosen from the finite nonzero values: integers-valued floats
  as ``1.``, else ``precision`` decimals, or scientific notation when the largest is over 1e8,
  the smallest under 1e-4, or their ratio over 1000 (``sci_mode`` forces it either way). Every
  entry is right-aligned to the widest.
- More than ``threshold`` elements: only ``edgeitems`` at each end of each dimension, with
  ``...`` between.
- Rows are wrapped at ``linewidth``; a dimension's slices are separated by as many blank lines
  as it has dimensions below the rows.
- A negative zero prints as ``-0.`` (``-0.0000``, ``-0.0000e+00``); it does not choose the
  format or the width (it is not a finite nonzero value), so it may stick out by its sign.
- Suffixes: the dtype when it is not one the values imply (the default dtype, int64, bool),
  then ``grad_fn=<…>`` or ``requires_grad=True``. The dtype prints with torch's name
  (``dtype=torch.float64``, as a printed tensor is compared with torch's), and a node by the
  core's name (``MulBackward``, where torch numbers its nodes: ``MulBackward0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .dtypes import get_default_dtype


class PrintOptions:
    """The options now in force: torch's defaults."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Change how tensors print, as ``torch.set_printoptions``: ``profile`` ("default", "short"
    or "full") sets the first four, then each option given overrides. ``sci_mode`` is set on
    every call (None: chosen from the values), as in torch."""
    if profile is not None:
        for name, value in _PROFILES[profile].items():
            setattr(PrintOptions, name, value)
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            setattr(PrintOptions, name, value)
    PrintOptions.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The options now in force, as keyword arguments for ``set_printoptions``."""
    names = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")
    return {name: getattr(PrintOptions, name) for name in names}


@contextmanager
def printoptions(**options: Any) -> Iterator[None]:
    """``with printoptions(precision=2): ...``: the options for the block only."""
    before = get_printoptions()
    set_printoptions(**options)
    try:
        yield
    finally:
        set_printoptions(**before)


class _Formatter:
    """One format for all the elements of a tensor (or of its summary), and their width."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        size = np.abs(finite).astype(np.float64)
        smallest, largest = size.min(), size.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if PrintOptions.sci_mode is None:
            self.sci_mode = bool(largest / smallest > 1000.0 or largest > 1e8 or smallest < 1e-4)
        else:
            self.sci_mode = PrintOptions.sci_mode
        p = PrintOptions.precision
        if self.sci_mode:
            texts = [f"{v:.{p}e}" for v in finite.tolist()]
        elif self.int_mode:  # room for the "." that marks a float
            texts = [f"{v:.0f}." for v in finite.tolist()]
        else:
            texts = [f"{v:.{p}f}" for v in finite.tolist()]
        self.width = max(len(t) for t in texts)

    def format(self, value: Any) -> str:
        p = PrintOptions.precision
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{p}f}"
        return text.rjust(self.width)


def _summary(data: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: ``edgeitems`` at each end of each dimension."""
    edge = PrintOptions.edgeitems
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        return np.concatenate([data[:edge], data[-edge:]]) if len(data) > 2 * edge else data
    if not edge:
        return np.empty([0] * data.ndim, data.dtype)
    rows = [*data[:edge], *data[-edge:]] if len(data) > 2 * edge else list(data)
    return np.stack([_summary(row) for row in rows])


def _vector(data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    edge = PrintOptions.edgeitems
    per_line = max(1, math.floor((PrintOptions.linewidth - indent) / (formatter.width + 2)))
    if summarize and not edge:
        items = ["..."]
    elif summarize and len(data) > 2 * edge:
        items = [formatter.format(v) for v in data[:edge].tolist()]
        items += [" ..."] + [formatter.format(v) for v in data[-edge:].tolist()]
    else:
        items = [formatter.format(v) for v in data.tolist()]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    """The bracketed values: a number, a row, or the slices of the first dimension."""
    if data.ndim == 0:
        return formatter.format(data.item())
    if data.ndim == 1:
        return _vector(data, indent, summarize, formatter)
    edge = PrintOptions.edgeitems
    if summarize and len(data) > 2 * edge:
        parts = [_nested(row, indent + 1, summarize, formatter) for row in data[:edge]]
        last = data[len(data) - edge :]  # not data[-edge:]: all of it when edge is 0
        parts += ["..."] + [_nested(row, indent + 1, summarize, formatter) for row in last]
    else:
        parts = [_nested(row, indent + 1, summarize, formatter) for row in data]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _values(data: np.ndarray, indent: int) -> str:
    summarize = data.size > PrintOptions.threshold
    formatter = _Formatter(_summary(data) if summarize else data)
    return _nested(data, indent, summarize, formatter)


def _with_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """``text`` with ``, suffix`` each, on a new line when the line would pass ``linewidth``."""
    parts = [text]
    line = len(text) - text.rfind("\n") + 1  # torch's count (2 more than the line, at first)
    for suffix in suffixes:
        if line + len(suffix) + 2 > PrintOptions.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line += len(suffix) + 2
    return "".join(parts) + ")"


def tensor_repr(t: Tensor) -> str:
    """``repr(t)``: ``tensor(`` values, suffixes ``)``, as torch prints it."""
    data = t.array
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    default = get_default_dtype()
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype != default:  # nothing shows an empty tensor's dtype: always named
            suffixes.append(f"dtype=torch.{data.dtype}")
        text = "[]"
    else:
        if not PrintOptions.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype not in (default, np.dtype(np.int64), np.dtype(np.bool_)):
            suffixes.append(f"dtype=torch.{data.dtype}")
        text = _values(data, indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn={t.grad_fn!r}")  # the node's repr: <MulBackward0>
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + text, suffixes, indent)


def tensor_format(t: Tensor, spec: str) -> str:
    """``format(t, spec)``, an f-string's ``{t}`` or ``{t:.3f}``, as torch's: a 0-d tensor
    formats its number (``f"loss: {loss}"`` gives ``loss: 36.0``); any other tensor (and a
    subclass, such as a Parameter) prints whole, and only without a spec."""
    if t.array.ndim == 0 and type(t) is Tensor:
        return format(t.array.item(), spec)
    if spec:
        raise TypeError(f"unsupported format string passed to {type(t).__name__}.__format__")
    return str(t)


__all__ = ["set_printoptions"]
