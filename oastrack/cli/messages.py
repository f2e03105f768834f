"""What a command that adds something says it did, in one line."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is imported when a command runs, not at start-up
    from oastrack.store.blocs import AddedBloc
    from oastrack.store.meetings import NewMeeting
    from oastrack.store.members import AddedMember
    from oastrack.store.resolutions import AddedResolution


def span(start: date | None, end: date | None) -> str:
    if start and end:
        return f" from {start} to {end}"
    if start:
        return f" from {start}"
    if end:
        return f" until {end}"
    return ""


def added_member(found: AddedMember) -> str:
    said = f"added member {found.code} ({found.name})" if found.created else f"member {found.code}"
    membership = found.membership
    if membership is not None:
        said += f", {membership.status} in {membership.org}{span(membership.start, membership.end)}"
        if membership.veto:
            said += ", with a veto"
        if membership.weight is not None:
            said += f", weight {membership.weight:,}"
    return said + "."


def added_bloc(found: AddedBloc) -> str:
    said = f"added bloc {found.code} ({found.name})" if found.created else f"bloc {found.code}"
    if found.named:
        count = len(found.added)
        said += f": {count} member{'s' if count != 1 else ''} added"
        if found.added:
            said += f" ({' '.join(found.added)}){span(found.start, found.end)}"
    return said + "."


def added_meeting(found: NewMeeting) -> str:
    return f"added meeting {found.code} of {found.org}, {found.start}."


def added_resolution(found: AddedResolution) -> str:
    means = found.rule.describe(found.eligible, total_weight=found.total_weight)
    return f"added resolution {found.code} at {found.meeting.code} ({means})."
