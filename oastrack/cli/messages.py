"""What a command that adds something says it did, in one line."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is imported when a command runs, not at start-up
    from oastrack.io.rows import ImportResult
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
        said += f": {count:,} member{'s' if count != 1 else ''} added"
        if found.added:
            said += f" ({' '.join(found.added)}){span(found.start, found.end)}"
    return said + "."


def added_meeting(found: NewMeeting) -> str:
    return f"added meeting {found.code} of {found.org}, {found.start}."


def added_resolution(found: AddedResolution) -> str:
    means = found.rule.describe(found.eligible, total_weight=found.total_weight)
    return f"added resolution {found.code} at {found.meeting.code} ({means})."


# What a count counts, by snapshot section (and the Popolo export's sections): singular, plural.
NOUNS = {
    "organizations": ("organization", "organizations"),
    "members": ("member", "members"),
    "memberships": ("membership", "memberships"),
    "blocs": ("bloc", "blocs"),
    "bloc_members": ("bloc member", "bloc members"),
    "meetings": ("meeting", "meetings"),
    "resolutions": ("resolution", "resolutions"),
    "texts": ("resolution text", "resolution texts"),
    "positions": ("position", "positions"),
    "motions": ("motion", "motions"),
    "vote_events": ("vote event", "vote events"),
    "items": ("item", "items"),
    "rows": ("row", "rows"),
}


def counted(count: int, what: str) -> str:
    """`1 bloc member`, `1,234 positions`: a count with the name of what it counts."""
    singular, plural = NOUNS.get(what, (what, what))
    return f"{count:,} {singular if count == 1 else plural}"


def listed(counts: dict[str, int], empty: str) -> str:
    """`5 blocs and 50 bloc members`; `empty` when there is nothing to count."""
    parts = [counted(n, what) for what, n in counts.items() if n]
    if not parts:
        return empty
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def imported(result: ImportResult) -> str:
    """The one line an import ends with: what it read, added, found present and created."""
    unit = "items" if result.kind == "snapshot" else "rows"
    read = f"{counted(result.rows, unit)} read from {result.name}"
    present = listed(result.present_by, "none") + " already present"
    created = listed(result.created, "")
    timing = f" ({result.seconds:.1f} s)."
    if result.dry_run:
        said = f"Dry run, nothing written: {read} would add {listed(result.added_by, 'nothing')}"
        return said + f", {present}" + (f"; would create {created}" if created else "") + timing
    said = f"Imported {read}: {listed(result.added_by, 'nothing')} added, {present}"
    return said + (f"; created {created}" if created else "") + timing


def exported(kind: str, counts: dict[str, int], output: object) -> str:
    """`Exported 35 members (37 memberships) to FILE.`: the things, then the rows they fill."""
    things = list(counts.items())
    if kind == "snapshot":
        total = sum(counts.values())
        return f"Exported {counted(total, 'items')} to {output}: {listed(counts, 'nothing')}."
    head = counted(things[0][1], things[0][0]) if things else counted(0, kind)
    rest = listed(dict(things[1:]), "")
    return f"Exported {head}{f' ({rest})' if rest else ''} to {output}."
