"""One exception hierarchy; the CLI turns these into one-line messages."""

from __future__ import annotations


class TidingsError(Exception):
    """Base class for expected errors: the message says what went wrong and what to do."""


class InputError(TidingsError):
    """A bad input record: names the file (and line) it came from."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.reason = message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # picklable, so errors cross process-pool and Spark boundaries
        return (type(self), (self.where, self.reason))


class KnowledgeError(TidingsError):
    """A malformed dictionary or knowledge file entry."""
