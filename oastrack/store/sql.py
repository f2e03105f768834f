"""The rules that SQL must say in several queries, written once.

Each has its Python counterpart in `oastrack.core.eligibility` (tests check that both agree):

- a dated row *covers* a day when it started on or before it and ends on or after it (no start:
  always; no end: still);
- a member is *eligible* on a day when an `active` status covers it and no other status does
  (a suspension overrides an open-ended active membership);
- a member's *latest* record on a resolution is the one with the latest time, then the highest
  id (entered last);
- a record is *live* when no retraction names it: a retracted record counts nowhere.
"""

from __future__ import annotations

from typing import Any

from oastrack.core.alignment import VOTED
from oastrack.core.values import as_date

# yes, no, abstain as an SQL list: the positions that count as having voted.
VOTED_SQL = "(" + ", ".join(f"'{position}'" for position in VOTED) + ")"


def covers(alias: str, day: str = "?") -> str:
    """SQL: the dated row `alias` (start_date, end_date) covers the day `day`."""
    return (
        f"({alias}.start_date IS NULL OR {alias}.start_date <= {day})"
        f" AND ({alias}.end_date IS NULL OR {alias}.end_date >= {day})"
    )


def eligible(alias: str, day: str = "?") -> str:
    """SQL: the membership `alias` makes its member eligible on the day.

    With `day` a placeholder, it takes the day three times, as parameters.
    """
    return (
        f"{alias}.status = 'active' AND {covers(alias, day)}"
        f" AND NOT EXISTS (SELECT 1 FROM membership x"
        f" WHERE x.organization_id = {alias}.organization_id"
        f" AND x.member_id = {alias}.member_id AND x.status <> 'active' AND {covers('x', day)})"
    )


def live(alias: str) -> str:
    """SQL: no retraction names the record `alias`."""
    return f"NOT EXISTS (SELECT 1 FROM retraction t WHERE t.position_id = {alias}.id)"


def latest_official(alias: str) -> str:
    """SQL: the live record `alias` is its member's latest live official record on its
    resolution (the caller says `alias.kind = 'official'`)."""
    return (
        f"{live(alias)} AND NOT EXISTS (SELECT 1 FROM position q"
        f" WHERE q.resolution_id = {alias}.resolution_id"
        f" AND q.member_id = {alias}.member_id AND q.kind = 'official' AND q.id <> {alias}.id"
        f" AND (q.recorded_at > {alias}.recorded_at"
        f" OR (q.recorded_at = {alias}.recorded_at AND q.id > {alias}.id)) AND {live('q')})"
    )


def limit_to(rows: int | None) -> str:
    """SQL: at most `rows` rows (nothing when None). The number is written as an integer, so
    no text reaches the statement."""
    return "" if rows is None else f" LIMIT {int(rows):d}"


def iso(value: Any) -> str | None:
    """A date from either database as ISO text, for output."""
    found = as_date(value)
    return None if found is None else found.isoformat()


def day(value: Any) -> str | None:
    """A date (or None, or ISO text already) as the text both databases compare dates with."""
    if value is None or isinstance(value, str):
        return value
    return str(value.isoformat())
