"""Ending a term without rewriting the past: `member end` and `bloc leave`.

A term ends on its last day: the open-ended membership (or bloc membership) gets that end date,
so every meeting up to that day counts the member exactly as before, and later ones do not. A
member that has records at a later meeting of the organization cannot end before it: those
tallies would change, so the user is told which.
"""

from __future__ import annotations

from datetime import date

from oastrack.errors import InvalidInput
from oastrack.store import blocs, members, organizations, records
from oastrack.store.db import Database


def end_member(db: Database, code: str, org: str, on: date) -> int:
    """End the member's open memberships of the organization on `on`; how many ended."""
    member = members.get(db, code)
    org_id = organizations.get_id(db, org)
    open_ = members.open_memberships(db, org_id, member.id)
    if not open_:
        raise InvalidInput(f"{code} has no open-ended membership of {org} to end")
    late = [start for _, start, _ in open_ if start is not None and start > on]
    if late:
        raise InvalidInput(f"{code}'s membership of {org} starts on {min(late)}, after {on}")
    later = records.recorded_after(db, member.id, org_id, on)
    if later:
        shown = ", ".join(later[:5]) + (f" and {len(later) - 5} more" if len(later) > 5 else "")
        raise InvalidInput(
            f"{code} has records at meetings of {org} after {on}: {shown}",
            hint="end the term on or after the last of those meetings, or retract the records",
        )
    for membership_id, _, _ in open_:
        members.end_membership(db, membership_id, on)
    return len(open_)


def leave_bloc(db: Database, bloc: str, code: str, on: date) -> int:
    """End the member's open terms in the bloc on `on`; how many ended."""
    bloc_id = blocs.get(db, bloc)[0]
    member = members.get(db, code)
    open_ = blocs.open_terms(db, bloc_id, member.id)
    if not open_:
        raise InvalidInput(f"{code} has no open-ended membership of bloc {bloc} to end")
    late = [start for _, start in open_ if start is not None and start > on]
    if late:
        raise InvalidInput(f"{code} joined {bloc} on {min(late)}, after {on}")
    for term_id, _ in open_:
        blocs.end_term(db, term_id, on)
    return len(open_)
