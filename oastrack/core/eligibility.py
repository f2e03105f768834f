"""Who may vote on a day, and which record of a member counts: the rules in Python.

`oastrack.store.sql` says the same rules in SQL for the queries that need them there; the tests
check the two against each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

R = TypeVar("R")


def covers(start: date | None, end: date | None, on: date) -> bool:
    """A dated row covers a day: started on or before it (or always), ends on or after it."""
    return (start is None or start <= on) and (end is None or end >= on)


def eligible(statuses: Iterable[tuple[str, str, date | None, date | None]], on: date) -> set[str]:
    """The members eligible on a day, from (member, status, start, end) rows of one organization.

    A member is eligible when an `active` status covers the day and no other status does: a
    dated suspension overrides an open-ended active membership.
    """
    covering = [(m, status) for m, status, start, end in statuses if covers(start, end, on)]
    barred = {member for member, status in covering if status != "active"}
    return {member for member, status in covering if status == "active"} - barred


def latest(records: Iterable[tuple[Any, Any, int, R]]) -> dict[Any, R]:
    """Each member's current record, from (member, time, order of entry, record) rows.

    The later time wins; at the same time, the record entered later (the higher id) wins.
    Times are compared as the database gives them (one kind per database).
    """
    chosen: dict[Any, tuple[Any, int, R]] = {}
    for member, at, entered, record in records:
        found = chosen.get(member)
        if found is None or (at, entered) > (found[0], found[1]):
            chosen[member] = (at, entered, record)
    return {member: record for member, (_, _, record) in chosen.items()}
