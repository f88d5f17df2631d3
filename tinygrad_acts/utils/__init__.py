"""``torch.utils``: what training loops use around the model (``utils.data``)."""

from __future__ import annotations

from . import data

__all__ = ["data"]
