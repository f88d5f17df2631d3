"""MkDocs hook: list the generated activation pages in the navigation, in the registry's order.

The pages themselves are written by ``docs/gen_pages.py``; the list of activations lives only in
``tinygrad_acts.registry``.
"""

from __future__ import annotations

from typing import Any

from tinygrad_acts.registry import ACTIVATIONS


def on_config(config: Any) -> Any:
    for section in config["nav"]:
        if isinstance(section, dict) and "Activations" in section:
            section["Activations"] = ["activations/index.md"] + [
                {name: f"activations/{name}.md"} for name in ACTIVATIONS
            ]
    return config
