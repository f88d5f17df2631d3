"""User text on the picture: made visible, short, and escaped for each output format.

Names come from users (the keys of ``params``, ``autograd.scope`` names) and may hold
anything: nothing at all, a newline, ``"``, ``<b>``, ``]``, characters XML forbids, 17,000
characters. Every emitter writes them in two steps:

1. ``shown(name)``: what the picture writes for a name: ``""`` for an empty (or blank) one,
   at most ``MAX_TITLE`` characters (the last one ``…``), and through ``sanitize`` every
   character that a terminal or XML cannot show as itself written as a visible escape
   (``\\x00``, ``\\ufffe``, ``\\ud800``);
2. the escaping of the place it goes: ``dot_string`` (a DOT ``"..."`` string, at most
   ``DOT_BUDGET`` bytes), ``dot_html`` (an HTML-like DOT label), ``mermaid`` (a quoted Mermaid
   label) or ``one_line`` (a line of the text tree).
"""

from __future__ import annotations

import re

MAX_TITLE = 60  # characters of a name on the picture
MAX_LINE = 1000  # characters of one line of a graph's label
DOT_BUDGET = 12_000  # bytes of one escaped DOT string or label: dot refuses more than 16,384

# What XML 1.0 forbids (C0 controls but tab and newline, surrogates, U+FFFE, U+FFFF), the
# C1 controls and DEL, the line and paragraph separators (str.splitlines breaks on them), and
# every Unicode non-character (U+FDD0–U+FDEF, U+nFFFE and U+nFFFF of each plane).
_PLANES = "".join(chr(p << 16 | 0xFFFE) + "-" + chr(p << 16 | 0xFFFF) for p in range(1, 17))
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _PLANES + "]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return " "
    if code < 0xA0:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def sanitize(text: str) -> str:
    """``text`` with every character a terminal or XML cannot show written as an escape.

    A tab becomes a space; a newline stays (each format decides how to show it).
    """
    return _UNSAFE.sub(_visible, str(text))


def clip(text: str, limit: int = MAX_TITLE) -> str:
    """At most ``limit`` characters, the last one ``…`` when some were cut."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(name: str, limit: int = MAX_TITLE) -> str:
    """A name as the picture writes it: never blank, at most ``limit`` characters, sanitized."""
    text = str(name)
    if not text.strip():  # an empty name would be an empty label: dot refuses ``<B></B>``
        text = f'"{text}"'
    return sanitize(clip(text, limit))


def one_line(text: str) -> str:
    """``text`` on one line of the text tree: sanitized, a newline written as ``\\n``."""
    return sanitize(text).replace("\n", "\\n")


_DOT_STRING = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n"})


def dot_string(text: str, budget: int = DOT_BUDGET) -> str:
    """A DOT double-quoted string holding ``text`` literally, cut to ``budget`` bytes.

    ``\\`` and ``"`` are backslash-escaped (a name ending in a backslash cannot swallow the
    quote) and a newline becomes ``\\n``.
    """
    body = sanitize(text).translate(_DOT_STRING)
    if len(body.encode("utf-8")) > budget:
        body = _cut(sanitize(text), budget)
    return f'"{body}"'


def _cut(text: str, budget: int) -> str:
    """The escaped prefix of ``text`` that fits in ``budget`` bytes, ending in ``…``."""
    out, size = [], len("…".encode())
    for ch in text:
        piece = ch.translate(_DOT_STRING)
        size += len(piece.encode("utf-8"))
        if size > budget:
            break
        out.append(piece)
    return "".join(out) + "…"


# ``]`` too: dot's HTML lexer refuses a label that is just ``]`` or ``]]``.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "]": "&#93;"})


def dot_html(text: str) -> str:
    """``text`` as the content of an HTML-like label: markup characters as entities, a
    newline as ``<BR/>``, so ``<b>`` in a name is text."""
    return sanitize(text).translate(_HTML).replace("\n", "<BR/>")


_MERMAID = str.maketrans({ch: f"#{ord(ch)};" for ch in '#"<>&`'})


def mermaid(text: str) -> str:
    """``text`` inside a quoted Mermaid label: entity codes (``#34;``) for the characters
    Mermaid parses, a newline as ``<br/>``."""
    return sanitize(text).translate(_MERMAID).replace("\n", "<br/>")
