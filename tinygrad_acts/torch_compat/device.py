"""``torch.device``, ``cuda.is_available()``, the default device and dtype: this package
computes on the CPU only, and says so clearly when asked for another device."""

from __future__ import annotations

__all__: list[str] = []
