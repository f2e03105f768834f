"""The errors a user can cause. The CLI boundary prints them as `Error: …` and exits 1."""

from __future__ import annotations


class OastrackError(Exception):
    """A problem the user can fix: a message, and optionally a hint saying how."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(OastrackError):
    """A code that names nothing in the database."""


class InvalidInput(OastrackError):
    """A value that breaks a rule: a bad date, position, confidence, an ineligible member."""


class Conflict(OastrackError):
    """A write that clashes with what is stored: a code taken, a link that would dangle."""


class DatabaseError(OastrackError):
    """The database cannot be used: unreachable, locked too long, or at the wrong schema."""


class ImportFailed(OastrackError):
    """A bulk import with bad rows: each problem is one `FILE:LINE: reason` line."""

    def __init__(self, problems: list[str], total: int, hint: str | None = None) -> None:
        super().__init__(
            f"{total:,} problem{'s' if total != 1 else ''}; nothing was imported", hint
        )
        self.problems = problems
        self.total = total
