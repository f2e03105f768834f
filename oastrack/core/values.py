"""Reading single values as people and files write them: codes, dates, times, confidences.

Each parser raises ValueError with a message fit to show after `FILE:LINE: ` or `Error: `.
Times are kept in UTC without a zone; a time written without a zone is taken as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

# The stored form of a time: fixed width, so that text order is time order on SQLite.
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def clean_code(raw: str) -> str:
    """A code as stored: surrounding blanks dropped, upper case (`moc29-compromise` works too)."""
    code = raw.strip().upper()
    if not code:
        raise ValueError("a code cannot be empty")
    return code


def clean_text(raw: str | None) -> str | None:
    """Free text as stored: surrounding blanks dropped, and empty text is no text.

    Every way in (commands, imports, snapshots) stores text this way, so exports round-trip.
    """
    if raw is None:
        return None
    return raw.strip() or None


# A CSV cell starting with one of these runs as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Cells that get a protective quote: formulas, and text that already starts with the quote
# (so that reading back removes exactly what writing added).
_QUOTED_START = (*FORMULA_START, "'")


def defuse_cell(value: str) -> str:
    """A text cell for a CSV file: `=1+1` becomes `'=1+1`, `'x` becomes `''x`."""
    return "'" + value if value.startswith(_QUOTED_START) else value


def undefuse_cell(value: str) -> str:
    """The inverse of defuse_cell, for a cell read from a CSV file."""
    if value[:1] == "'" and value[1:2] and value[1] in _QUOTED_START:
        return value[1:]
    return value


def parse_date(raw: str) -> date:
    """An ISO date, YYYY-MM-DD."""
    text = raw.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date; write YYYY-MM-DD") from None


def parse_time(raw: str) -> datetime:
    """A date or an ISO date-time (`2017-06-19`, `2017-06-19T14:30`, `…Z`, `…+02:00`), as UTC."""
    text = raw.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time())
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def stored_time(moment: datetime) -> str:
    """The text a time is stored and compared as."""
    return moment.strftime(STORED_TIME)


def as_time(value: object) -> datetime:
    """A time read back from either database (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def as_date(value: object) -> date | None:
    """A date read back from either database."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def show_time(moment: datetime) -> str:
    """A time for people and files: ISO 8601 in UTC (`2017-06-19T00:00:00Z`)."""
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_confidence(raw: str | float) -> float:
    """A confidence between 0 and 1 (a percentage such as `80%` is read as 0.8)."""
    text = str(raw).strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ValueError(f"confidence {raw!r} is not a number between 0 and 1") from None
    if not 0 <= value <= 1:  # also rejects NaN
        raise ValueError(f"confidence {raw!r} is outside 0-1")
    return value


def parse_count(raw: str, what: str) -> int:
    """A whole number of at least 1 (a required vote count, a denominator)."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"{what} {raw!r} is not a whole number") from None
    if value < 1:
        raise ValueError(f"{what} must be at least 1, not {value}")
    return value


# What a BIGINT holds on both back ends.
MAX_WEIGHT = 2**63 - 1


def parse_weight(raw: str) -> int:
    """A weight: a whole number of at least 0 (population, voting power); `1,234` reads 1234."""
    text = raw.strip().replace(",", "").replace("_", "")
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_WEIGHT:
        raise ValueError(f"weight {raw!r} is not a whole number of at least 0")
    return int(text)
