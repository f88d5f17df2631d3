"""Coverage-guided fuzzing of ``fn.parse`` with atheris — run by hand, not in CI.

    pip install atheris
    python tools/fuzz_parser.py -max_total_time=180          # three minutes
    python tools/fuzz_parser.py crash-<hash>                  # replay a finding

The property is the one of ``tests/fn/test_fuzz_parser.py``: any text gives a function or a
``ParseError``, and what parses prints as text that parses back to the same function. Any other
exception is a finding: atheris stops, prints the traceback and saves the input as
``crash-<hash>``. Inputs are the fuzzer's bytes decoded as UTF-8 (undecodable bytes become
U+FFFD), so the parser sees every kind of character.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from tinygrad_acts import fn

A = fn.tanh(2 * fn.x - 1).named("A")
NAMES = {"A": A, "k": 2.5}


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        f = fn.parse(text, **NAMES)
    except fn.ParseError as e:
        if len(str(e)) > 600:
            raise AssertionError(f"a {len(str(e))}-character error for {text[:80]!r}") from e
        return
    printed = str(f)
    again = fn.parse(printed, **NAMES)
    if str(again) != printed:
        raise AssertionError(f"{text!r} prints as {printed!r}, which parses as {str(again)!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
