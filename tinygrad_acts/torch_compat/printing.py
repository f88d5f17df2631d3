"""``repr`` of a Tensor in torch's style: ``tensor([1., 2.], requires_grad=True)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..core.tensor import Tensor

_DEFAULT_DTYPES = (np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.bool_))


def _float_formatter(data: np.ndarray):
    """Torch's choice: integers as ``1.``, else 4 decimals, or scientific for wide ranges."""
    finite = np.abs(data[np.isfinite(data)]).astype(np.float64)
    if finite.size == 0 or (np.all(finite == np.round(finite)) and finite.max() < 1e8):
        return lambda v: _special(v) or f"{v:.0f}."
    nonzero = finite[finite != 0]
    if nonzero.size and (
        nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8 or nonzero.min() < 1e-4
    ):
        return lambda v: _special(v) or f"{v:.4e}"
    return lambda v: _special(v) or f"{v:.4f}"


def _special(v: float) -> str:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return ""


def tensor_repr(t: Tensor) -> str:
    data = t.array
    formatter = None
    if data.dtype.kind == "f" and data.size:
        fmt = _float_formatter(data)
        width = max(len(fmt(v)) for v in data.flat)  # torch right-aligns every entry
        formatter = {"float_kind": lambda v: fmt(v).rjust(width)}
    prefix = "tensor("
    if data.size == 0:
        body = "[]" if data.ndim == 1 else f"[], size={tuple(data.shape)}"
    else:
        body = np.array2string(
            data,
            separator=", ",
            prefix=prefix,
            formatter=formatter,
            threshold=1000,
            edgeitems=3,
            max_line_width=80,
        )
    extras = []
    if data.dtype not in _DEFAULT_DTYPES:
        extras.append(f"dtype={data.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    return prefix + body + "".join(", " + e for e in extras) + ")"
