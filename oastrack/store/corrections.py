"""The `resolution_change` table: corrections of a resolution's register entry, one row each.

`resolution set` changes the title, rule, required, denominator, sponsors or status of a
resolution in place (they describe the draft, not what members said of it) and appends one row
per field that changed: what it was, what it became, who changed it and when. Positions are
never touched: a tally after a correction counts the same records under the corrected rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oastrack.core.rules import Rule, parse_rule_spec
from oastrack.core.values import as_time, clean_text, show_time, stored_time
from oastrack.errors import InvalidInput
from oastrack.store import resolutions
from oastrack.store.db import Database

FIELDS = ("title", "rule", "required", "denominator", "sponsors", "status")


@dataclass(frozen=True)
class Correction:
    """What to change: None leaves a field as it is; `clear_…` removes required/denominator."""

    title: str | None = None
    rule: str | None = None
    required: int | None = None
    denominator: int | None = None
    clear_required: bool = False
    clear_denominator: bool = False
    sponsors: tuple[str, ...] | None = None
    status: str | None = None


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None
    new: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def correct(
    db: Database, code: str, correction: Correction, *, analyst: str, at: datetime
) -> tuple[list[Change], Rule]:
    """Apply the correction; returns the fields that changed (none: nothing was written) and
    the resolution's rule after it."""
    info = resolutions.get(db, code)
    before = resolutions.show_row(db, info.code)
    after = dict(before)
    if correction.title is not None:
        title = clean_text(correction.title)
        if not title:
            raise InvalidInput("a resolution's title cannot be empty")
        after["title"] = title
    if correction.rule is not None:
        after["rule"] = correction.rule
    if correction.required is not None or correction.clear_required:
        after["required"] = correction.required
    if correction.denominator is not None or correction.clear_denominator:
        after["denominator"] = correction.denominator
    if correction.status is not None:
        after["status"] = correction.status
    if correction.sponsors is not None:
        after["sponsors"] = list(dict.fromkeys(correction.sponsors))
    try:
        rule = parse_rule_spec(
            after["rule"], required=after["required"], denominator=after["denominator"]
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    after["rule"], after["required"], after["denominator"] = (
        rule.spec,
        rule.required,
        rule.denominator,
    )
    changes = [
        Change(name, _shown(name, before[name]), _shown(name, after[name]))
        for name in FIELDS
        if before[name] != after[name]
    ]
    if not changes:
        return [], rule
    resolutions.update(db, info.id, after)
    if any(change.field == "sponsors" for change in changes):
        resolutions.replace_sponsors(db, info.id, after["sponsors"])
    when = stored_time(at)
    for change in changes:
        db.execute(
            "INSERT INTO resolution_change (resolution_id, field, old_value, new_value,"
            " changed_at, analyst) VALUES (?, ?, ?, ?, ?, ?)",
            (info.id, change.field, change.old, change.new, when, analyst),
        )
    return changes, rule


def _shown(name: str, value: Any) -> str | None:
    if name == "sponsors":
        return ";".join(value) or None
    return _text(value)


def of_resolution(db: Database, resolution_id: int) -> list[dict[str, Any]]:
    """The corrections of one resolution, oldest first, as `resolution show` lists them."""
    rows = db.all(
        "SELECT field, old_value, new_value, changed_at, analyst FROM resolution_change"
        " WHERE resolution_id = ? ORDER BY changed_at, id",
        (resolution_id,),
    )
    return [
        {
            "field": r[0],
            "old": r[1],
            "new": r[2],
            "changed_at": show_time(as_time(r[3])),
            "analyst": r[4],
        }
        for r in rows
    ]


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    """resolution code -> its corrections, oldest first (the snapshot's `changes`)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for r in db.all(
        "SELECT r.code, c.field, c.old_value, c.new_value, c.changed_at, c.analyst"
        " FROM resolution_change c JOIN resolution r ON r.id = c.resolution_id"
        " ORDER BY r.code, c.changed_at, c.id"
    ):
        found.setdefault(r[0], []).append(
            {
                "field": r[1],
                "old": r[2],
                "new": r[3],
                "changed_at": show_time(as_time(r[4])),
                "analyst": r[5],
            }
        )
    return found


def insert(db: Database, resolution_id: int, change: dict[str, Any]) -> int:
    """Load one correction from a snapshot; 1 if added, 0 if it was there."""
    values = (
        resolution_id,
        change["field"],
        change["old"],
        change["new"],
        change["changed_at"],
        change["analyst"],
    )
    present = db.scalar(
        "SELECT count(*) FROM resolution_change WHERE resolution_id = ? AND field = ?"
        " AND old_value IS NOT DISTINCT FROM ? AND new_value IS NOT DISTINCT FROM ?"
        " AND changed_at = ? AND analyst = ?",
        values,
    )
    if present:
        return 0
    db.execute(
        "INSERT INTO resolution_change (resolution_id, field, old_value, new_value, changed_at,"
        " analyst) VALUES (?, ?, ?, ?, ?, ?)",
        values,
    )
    return 1


def show_resolution(db: Database, code: str) -> dict[str, Any]:
    """`resolution show`: the resolution, and its corrections, oldest first."""
    found = resolutions.show_resolution(db, code)
    found["changes"] = of_resolution(db, resolutions.get(db, code).id)
    return found
