"""``torch.linalg``: norms and the other linear-algebra functions under torch's names."""

from __future__ import annotations

__all__: list[str] = []
