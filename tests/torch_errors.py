"""One check used across the tests: a mistake raises what torch raises, word for word."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import tinygrad_acts as tga


def assert_same_error(call: Callable[[Any], Any], torch: Any, error: type = RuntimeError) -> None:
    """``call(lib)`` raises ``error`` for lib = tinygrad_acts and for lib = torch, with the
    same message."""
    messages = []
    for lib in (tga, torch):
        with pytest.raises(error) as raised:
            call(lib)
        messages.append(str(raised.value))
    assert messages[0] == messages[1], messages
