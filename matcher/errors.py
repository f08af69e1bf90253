"""One exception hierarchy for the engine.

Callers (CLI, API) catch :class:`MatcherError` and turn it into one error shape; every
subclass carries a list of problems so that a caller can report all of them at once.
"""

from __future__ import annotations


class MatcherError(Exception):
    """Base class for every error the engine raises on purpose."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[str] = list(problems) if problems else [message]

    def __str__(self) -> str:
        if self.problems == [self.message]:
            return self.message
        return self.message + ": " + "; ".join(self.problems)


class InvalidInputError(MatcherError, ValueError):
    """Text or arguments a caller passed in cannot be used (empty, too long, unknown kind)."""


class TaxonomyError(MatcherError):
    """Reference data is missing, unreadable or inconsistent."""
