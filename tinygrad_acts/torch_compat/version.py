"""``__version__`` as torch has it: a ``str`` that compares as a version with strings and tuples
(``torch.__version__ >= "2.0"``, ``> (1, 10)``), so that "0.10" is above "0.9".

The versions compared are PEP 440's common forms: release numbers, then an optional pre-release
(``a1``, ``b2``, ``rc1``), ``.postN``, ``.devN`` and a local label (``+cpu``). Something that is
no such version (``"parrot"``) compares as text, as torch's ``TorchVersion`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_VERSION = re.compile(
    r"v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|b|rc|alpha|beta|c)[-_.]?(?P<pre_n>\d*))?"
    r"(?:[-_.]?post[-_.]?(?P<post>\d*))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev>\d*))?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
    re.IGNORECASE,
)
_PRE = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2}
_INF = float("inf")


def version_key(text: str) -> tuple[Any, ...]:
    """PEP 440's order as a tuple: the release without trailing zeros; a dev release before its
    pre-releases, they before the release, it before its post-releases; then the local label.
    Raises ValueError for text that is no version."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a version: {text!r}")
    release = [int(n) for n in match["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    dev = _INF if match["dev"] is None else int(match["dev"] or 0)
    if match["pre"] is not None:
        pre = (_PRE[match["pre"].lower()], int(match["pre_n"] or 0))
    elif match["dev"] is not None and match["post"] is None:
        pre = (-1, 0)  # 1.0.dev0 comes before 1.0a0
    else:
        pre = (_INF, 0)
    post = -1 if match["post"] is None else int(match["post"] or 0)
    local = tuple(
        (1, int(p), "") if p.isdigit() else (0, 0, p.lower())
        for p in re.split(r"[-_.]", match["local"] or "")
        if p
    )
    return (tuple(release), pre, post, dev, local)


class TorchVersion(str):
    """A version string that compares as a version with a string or a tuple of numbers
    (``(2, 0)`` is "2.0"), and as text when either side is no version."""

    __slots__ = ()
    __hash__ = str.__hash__

    def _compare(self, other: Any, method: str) -> bool:
        text = other
        if isinstance(other, Iterable) and not isinstance(other, str):
            text = ".".join(str(part) for part in other)
        try:
            return getattr(version_key(self), method)(version_key(str(text)))
        except (ValueError, TypeError):
            return getattr(str(self), method)(other)

    def __eq__(self, other: object) -> bool:
        return self._compare(other, "__eq__")

    def __lt__(self, other: object) -> bool:
        return self._compare(other, "__lt__")

    def __le__(self, other: object) -> bool:
        return self._compare(other, "__le__")

    def __gt__(self, other: object) -> bool:
        return self._compare(other, "__gt__")

    def __ge__(self, other: object) -> bool:
        return self._compare(other, "__ge__")


__all__ = ["TorchVersion"]
