"""``torch.utils.data``: datasets of tensors and the loader that batches them."""

from __future__ import annotations

__all__: list[str] = []
