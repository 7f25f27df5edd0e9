"""The one exception family a user can cause: bad files, unknown clauses, bad configuration.

Every error carries the file it is about and, where known, the place inside that file, so that the
CLI can print it as one line: ``error: FILE: WHERE: message``. Anything else that escapes is a bug.
"""

from __future__ import annotations


class SpectraceError(Exception):
    """An error in the user's input, reported as one line and exit status 2."""

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.where, self.message) if part)


class ReadError(SpectraceError):
    """A source (Word file, spec-as-code source) cannot be read."""


class ConfigError(SpectraceError):
    """The project file is missing, malformed or names something that does not exist."""


class StoreError(SpectraceError):
    """The requirement database is missing, stale or a query against it failed."""


class AddressError(SpectraceError):
    """A clause or statement address does not parse or names nothing."""
