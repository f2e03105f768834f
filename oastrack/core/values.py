"""Reading single values as people and files write them: codes, dates, times, confidences.

Each parser raises ValueError with a message fit to show after `FILE:LINE: ` or `Error: `.
Times are kept in UTC without a zone; a time written without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

# The stored form of a time: fixed width, so that text order is time order on SQLite.
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"

# Every date and time oastrack takes lies within these (both back ends store them alike).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
RANGE_TEXT = f"{EARLIEST} to {LATEST}"
# How far ahead of this machine's clock another machine's may be.
CLOCK_SKEW = timedelta(minutes=1)

# What an INTEGER column holds on both back ends (required, denominator, version).
MAX_INTEGER = 2**31 - 1

# A code: ASCII letters, digits, `.`, `_`, `-`; up to 32; not starting as a formula would.
MAX_CODE = 32
_CODE = re.compile(r"[A-Z0-9._-]{1,32}")
# Runs of what a code cannot hold, when a name is turned into a code.
_NOT_CODE = re.compile(r"[^A-Z0-9._]+")
# Characters neither back end stores alike: NUL (PostgreSQL refuses it) and lone surrogates
# (no encoding holds them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    """Whether text holds a NUL or a lone surrogate, which no back end stores."""
    return _UNSTORABLE.search(text) is not None


# A `:name:` that a terminal renderer (Rich) shows as an emoji picture, and the two codes it
# knows whose names are digits (held to Rich's list by a test): a time (12:30:00) is none.
EMOJI_CODE = re.compile(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)")
DIGIT_EMOJI = frozenset({"100", "1234"})


def only_clock_colons(text: str) -> bool:
    """Whether every `:name:` in the text has a name of digits that is no emoji code, as the
    colons of a time: such text is never shown as a picture."""
    return all(
        name.isdigit() and name not in DIGIT_EMOJI
        for name in (found.group(2) for found in EMOJI_CODE.finditer(text))
    )


def check_text(text: str, what: str = "text") -> str:
    """Text that both back ends can store, or ValueError."""
    found = _UNSTORABLE.search(text)
    if found is not None:
        char = found.group()
        shown = "a NUL character" if char == "\x00" else f"a lone surrogate (\\u{ord(char):04x})"
        raise ValueError(f"{what} holds {shown}, which cannot be stored")
    return text


def clean_code(raw: str) -> str:
    """A code as stored: surrounding blanks dropped, upper case (`moc29-compromise` works too).

    ASCII letters, digits, `.`, `_` and `-`, at most 32, not starting with `-` (nor, like a
    spreadsheet formula, with `=`, `+` or `@`): a look-alike letter from another script is
    refused, not stored beside the real code.
    """
    code = raw.strip().upper()
    if not code:
        raise ValueError("a code cannot be empty")
    if _CODE.fullmatch(code) is None or code[0] == "-":
        raise ValueError(f"{_shown(raw)} is not a code: {_code_rule(code)}")
    return code


def _shown(raw: str) -> str:
    shown = raw.strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return ascii(shown) if not shown.isascii() or not shown.isprintable() else repr(shown)


def _code_rule(code: str) -> str:
    if len(code) > MAX_CODE:
        return f"a code has at most {MAX_CODE} characters"
    if code[0] in FORMULA_START:
        return "a code cannot start with =, +, - or @"
    return "use ASCII letters, digits, '.', '_' and '-'"


def code_from_name(raw: str) -> str:
    """A name turned into a code: `Yemen Arab Republic` -> `YEMEN-ARAB-REPUBLIC`.

    Letters other than ASCII are refused rather than transliterated: a look-alike letter would
    otherwise become the code of another member.
    """
    text = raw.strip().upper()
    if not text.isascii():
        raise ValueError(f"{_shown(raw)} cannot be made a code: it has letters other than ASCII")
    code = _NOT_CODE.sub("-", text).strip("-._")
    if not code:
        raise ValueError(f"{_shown(raw)} cannot be made a code: no letters or digits")
    if len(code) > MAX_CODE:
        code = code[:MAX_CODE].rstrip("-._")
    return code


def clean_text(raw: str | None) -> str | None:
    """Free text as stored: surrounding blanks dropped, and empty text is no text.

    Every way in (commands, imports, snapshots) stores text this way, so exports round-trip.
    Text holding NUL or a lone surrogate is refused (ValueError): neither back end stores it.
    """
    if raw is None:
        return None
    return check_text(raw.strip()) or None


# A CSV cell starting with one of these runs as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Cells that get a protective quote: formulas, and text that already starts with the quote
# (so that reading back removes exactly what writing added).
QUOTED_START = (*FORMULA_START, "'")


def defuse_cell(value: str) -> str:
    """A text cell for a CSV file: `=1+1` becomes `'=1+1`, `'x` becomes `''x`."""
    return "'" + value if value.startswith(QUOTED_START) else value


def undefuse_cell(value: str) -> str:
    """The inverse of defuse_cell, for a cell read from a CSV file."""
    if value[:1] == "'" and value[1:2] and value[1] in QUOTED_START:
        return value[1:]
    return value


def parse_date(raw: str) -> date:
    """An ISO date, YYYY-MM-DD, from 1900-01-01 to 2100-12-31."""
    text = raw.strip()
    try:
        if len(text) != 10:
            raise ValueError
        found = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{_shown(raw)} is not a date; write YYYY-MM-DD") from None
    if not EARLIEST <= found <= LATEST:
        raise ValueError(f"date {_shown(raw)} is outside {RANGE_TEXT}")
    return found


def parse_time(raw: str) -> datetime:
    """A date or an ISO date-time (`2017-06-19`, `2017-06-19T14:30`, `…Z`, `…+02:00`), as UTC,
    from 1900-01-01 to 2100-12-31 (in UTC and as written)."""
    text = raw.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{_shown(raw)} is not a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
        ) from None
    # Checked before the conversion too: 9999-12-31T23:00-05:00 overflows on the way to UTC.
    if not EARLIEST <= moment.date() <= LATEST:
        raise ValueError(f"time {_shown(raw)} is outside {RANGE_TEXT}")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
        if not EARLIEST <= moment.date() <= LATEST:
            raise ValueError(f"time {_shown(raw)} is outside {RANGE_TEXT} in UTC")
    return moment


def check_not_future(moment: datetime, now: datetime) -> datetime:
    """A time of something that happened: not later than now (beyond a minute of clock skew)."""
    if moment > now + CLOCK_SKEW:
        raise ValueError(f"{show_time(moment)} is in the future (it is now {show_time(now)})")
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
    """A whole number from 1 to 2,147,483,647 (a required vote count, a denominator)."""
    text = raw.strip()
    if not (text.isascii() and text.lstrip("+-").isdigit()):
        raise ValueError(f"{what} {_shown(raw)} is not a whole number")
    if len(text.lstrip("+-0")) > 10:  # spares int() a number of thousands of digits
        raise ValueError(f"{what} {_shown(raw)} is too large: at most {MAX_INTEGER:,}")
    return check_count(int(text), what)


def check_count(value: int, what: str) -> int:
    """A count the schema's INTEGER columns hold on both back ends: 1 to 2,147,483,647."""
    if value < 1:
        raise ValueError(f"{what} must be at least 1, not {value}")
    if value > MAX_INTEGER:
        raise ValueError(f"{what} {value!r} is too large: at most {MAX_INTEGER:,}")
    return value


# What a BIGINT holds on both back ends.
MAX_WEIGHT = 2**63 - 1


def parse_weight(raw: str) -> int:
    """A weight: a whole number of at least 0 (population, voting power); `1,234` reads 1234."""
    text = raw.strip().replace(",", "").replace("_", "")
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_WEIGHT:
        raise ValueError(f"weight {raw!r} is not a whole number of at least 0")
    return int(text)
