"""Errors of profile extraction: one family, each naming every problem (the engine's hierarchy)."""

from __future__ import annotations

from matcher import InvalidInputError


class DocumentError(InvalidInputError):
    """A file or text that cannot be read. ``code`` is stable for clients; the message is for people."""

    def __init__(self, code: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message, problems)
        self.code = code
