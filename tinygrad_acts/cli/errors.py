"""The one kind of error the command line reports as a sentence instead of a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user typed or asked for: printed as one line, exit status 2.

    ``detail`` holds extra lines printed after the message (the caret under a parse error).
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail
