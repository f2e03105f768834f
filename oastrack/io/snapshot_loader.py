"""Loading snapshot items: checked at the edge, then written through the store.

Loading adds what is missing and leaves what is there: loading the same document twice adds
nothing the second time. Items arrive section by section, in the order of `SECTIONS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from oastrack.core.positions import check_recordable, parse_kind, parse_position
from oastrack.core.rules import RuleName, rule_spec
from oastrack.core.values import (
    check_count,
    check_not_future,
    check_text,
    clean_code,
    parse_confidence,
    parse_date,
    parse_time,
    parse_weight,
    stored_time,
)
from oastrack.core.vocabulary import RESOLUTION_STATUSES, STATUSES
from oastrack.io.snapshot import FORMAT_KEY, FORMAT_VERSION, SECTIONS
from oastrack.store import (
    blocs,
    corrections,
    meetings,
    members,
    organizations,
    resolutions,
    retractions,
    texts,
)
from oastrack.store.db import Database
from oastrack.store.positions import PositionWriter, fingerprint, now_utc

Item = dict[str, Any]


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)

    def count(self, section: str, added: bool) -> None:
        target = self.added if added else self.present
        target[section] = target.get(section, 0) + 1


class ItemError(ValueError):
    """A snapshot item that cannot be loaded; the caller adds FILE:LINE."""


def _text(item: Item, key: str, required: bool = False) -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ItemError(f"missing {key}")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ItemError(f"{key} must be text")
    return check_text(str(value).strip(), key)


def _code(item: Item, key: str) -> str:
    value = _text(item, key, required=True)
    assert value is not None
    return clean_code(value)


def _date(item: Item, key: str) -> str | None:
    value = _text(item, key)
    return None if value is None else parse_date(value).isoformat()


def _dates(item: Item) -> tuple[str | None, str | None]:
    start, end = _date(item, "start"), _date(item, "end")
    if start and end and end < start:
        raise ItemError(f"end {end} comes before start {start}")
    return start, end


def _time(item: Item, now: datetime, key: str = "recorded_at") -> datetime:
    """When a record was made: not later than now (beyond a minute of clock skew)."""
    value = _text(item, key, required=True)
    assert value is not None
    return check_not_future(parse_time(value), now)


_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def _veto(item: Item) -> bool:
    """A veto: true/false, yes/no, 1/0, or nothing (no veto)."""
    value = item.get("veto")
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or not text:
        return False
    raise ItemError(f"veto {value!r} is not true or false (write true, false, yes, no, 1 or 0)")


def _weight(item: Item) -> int | None:
    """A weight: a whole number of at least 0, or nothing."""
    value = item.get("weight")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ItemError(f"weight {value!r} is not a whole number of at least 0")
    return parse_weight(str(value))


def _rule(item: Item) -> str | None:
    """A rule as stored: its name, or its general form in canonical order."""
    text = _text(item, "rule")
    return None if text is None else rule_spec(text)


def _whole(item: Item, key: str) -> int | None:
    value = item.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ItemError(f"{key} must be a whole number of at least 1")
    return None if value is None else check_count(value, key)


class SnapshotLoader:
    """Loads snapshot items section by section, inside the caller's transaction."""

    def __init__(self, db: Database, analyst: str) -> None:
        self.db = db
        self.analyst = analyst
        self.report = LoadReport()
        self._members: dict[str, int] = {}
        self._resolutions: dict[str, int] = {}
        self._pending_alternatives: list[tuple[int, str, int]] = []
        self._line = 0
        self._positions = PositionWriter(db)
        self._retractions: list[tuple[int, int, int, str, str, str | None]] = []
        self.now = now_utc()

    def load(self, section: str, item: Item, line: int = 0) -> None:
        """Load one item; raises ItemError (or ValueError) with the reason when it is bad."""
        self._line = line
        if section not in SECTIONS:
            raise ItemError(f"unknown section {section!r}")
        if not isinstance(item, dict):
            raise ItemError(f"each item of {section} must be an object")
        getattr(self, f"_load_{section}")(item)

    def finish(self, problem: Callable[[int, str], None] | None = None) -> LoadReport:
        """Write what is pending and resolve references to items loaded later.

        A dangling reference goes to `problem(line, reason)`, or raises ItemError without it.
        """
        self._positions.flush()
        self.report.added["positions"] = self._positions.added
        self.report.present["positions"] = self._positions.written - self._positions.added
        for retraction in self._retractions:  # their records are written now
            self.report.count("retractions", bool(retractions.insert_for(self.db, *retraction)))
        for resolution_id, code, line in self._pending_alternatives:
            target = resolutions.find_id(self.db, code)
            if target is None:
                reason = f"alternative_to names no resolution {code!r}"
                if problem is None:
                    raise ItemError(reason)
                problem(line, reason)
                continue
            resolutions.set_alternative(self.db, resolution_id, target)
        return self.report

    def _load_organizations(self, item: Item) -> None:
        code = _code(item, "code")
        rule = _rule(item) or "absolute"
        _, added = organizations.ensure(
            self.db, code, _text(item, "name") or code, rule, _text(item, "note")
        )
        self.report.count("organizations", added)

    def _load_members(self, item: Item) -> None:
        code = _code(item, "code")
        name = _text(item, "name", required=True)
        assert name is not None
        found = members.find(self.db, code) is not None
        if not found:
            members.insert(self.db, code, name, _text(item, "note"))
        self.report.count("members", not found)

    def _load_memberships(self, item: Item) -> None:
        org, _ = organizations.ensure(self.db, _code(item, "org"))
        member = members.get(self.db, _code(item, "member")).id
        status = _text(item, "status") or "active"
        if status not in STATUSES:
            raise ItemError(f"status {status!r} is not one of: {', '.join(STATUSES)}")
        start, end = _dates(item)
        veto, weight = _veto(item), _weight(item)
        found = members.membership_exists(self.db, org, member, status, start, end)
        if not found:
            note = _text(item, "note")
            members.insert_membership(self.db, org, member, status, start, end, note, veto, weight)
        self.report.count("memberships", not found)

    def _load_blocs(self, item: Item) -> None:
        code = _code(item, "code")
        found = blocs.find_id(self.db, code) is not None
        if not found:
            blocs.insert(self.db, code, _text(item, "name") or code, _text(item, "note"))
        self.report.count("blocs", not found)

    def _load_bloc_members(self, item: Item) -> None:
        code = _code(item, "bloc")
        bloc = blocs.find_id(self.db, code)
        if bloc is None:
            bloc = blocs.insert(self.db, code, code)
        member = members.get(self.db, _code(item, "member")).id
        start, end = _dates(item)
        found = blocs.member_exists(self.db, bloc, member, start, end)
        if not found:
            blocs.insert_member(self.db, bloc, member, start, end, _text(item, "note"))
        self.report.count("bloc_members", not found)

    def _load_meetings(self, item: Item) -> None:
        code = _code(item, "code")
        start = _date(item, "start")
        if start is None:
            raise ItemError("missing start")
        if meetings.find(self.db, code) is not None:
            self.report.count("meetings", False)
            return
        rule = _rule(item)
        if rule == RuleName.FIXED.value:
            raise ItemError("a meeting's default rule cannot be fixed; give resolutions --required")
        end = _date(item, "end")
        if end and end < start:
            raise ItemError(f"end {end} comes before start {start}")
        new = meetings.NewMeeting(
            code=code,
            org=_code(item, "org"),
            start=parse_date(start),
            end=None if end is None else parse_date(end),
            body=_text(item, "body"),
            title=_text(item, "title"),
            venue=_text(item, "venue"),
            rule=rule,
            note=_text(item, "note"),
        )
        meetings.insert(self.db, new)
        self.report.count("meetings", True)

    def _load_resolutions(self, item: Item) -> None:
        code = _code(item, "code")
        present = resolutions.find_id(self.db, code)
        if present is not None:
            self.report.count("resolutions", False)
            self._load_changes(present, item)
            return
        rule = _rule(item)
        required, denominator = _whole(item, "required"), _whole(item, "denominator")
        new = resolutions.NewResolution(
            code=code,
            meeting=_code(item, "meeting"),
            title=_text(item, "title", True) or "",
            rule=rule,
            required=required,
            denominator=denominator,
            status=_text(item, "status") or "draft",
        )
        if new.status not in RESOLUTION_STATUSES:
            raise ItemError(
                f"status {new.status!r} is not one of: {', '.join(RESOLUTION_STATUSES)}"
            )
        meeting = meetings.get(self.db, new.meeting)
        resolution_id = resolutions.insert(
            self.db,
            code,
            meeting,
            new.title,
            resolutions.resolve_rule(meeting, new),
            status=new.status,
            note=_text(item, "note"),
            source=_text(item, "source"),
        )
        sponsors = item.get("sponsors") or []
        if isinstance(sponsors, str):
            sponsors = [s for s in sponsors.split(";") if s.strip()]
        resolutions.set_sponsors(self.db, resolution_id, [clean_code(str(s)) for s in sponsors])
        alternative = _text(item, "alternative_to")
        if alternative:
            self._pending_alternatives.append((resolution_id, clean_code(alternative), self._line))
        self.report.count("resolutions", True)
        self._load_changes(resolution_id, item)

    def _load_changes(self, resolution_id: int, item: Item) -> None:
        """A corrected resolution's changes (`resolution set`), oldest first."""
        changes = item.get("changes") or []
        if not isinstance(changes, list):
            raise ItemError("changes must be a list")
        for change in changes:
            if not isinstance(change, dict):
                raise ItemError("each change must be an object")
            field = _text(change, "field", True)
            if field not in corrections.FIELDS:
                raise ItemError(f"change of {field!r}: fields are {', '.join(corrections.FIELDS)}")
            loaded = {
                "field": field,
                "old": _text(change, "old"),
                "new": _text(change, "new"),
                "changed_at": stored_time(_time(change, self.now, "changed_at")),
                "analyst": _text(change, "analyst") or self.analyst,
            }
            self.report.count("changes", bool(corrections.insert(self.db, resolution_id, loaded)))

    def _load_texts(self, item: Item) -> None:
        resolution = resolutions.get(self.db, _code(item, "resolution"))
        version = item.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ItemError("version must be a whole number of at least 1")
        check_count(version, "version")
        if texts.exists(self.db, resolution.id, version):
            self.report.count("texts", False)
            return
        text = item.get("text")
        if not isinstance(text, str):
            raise ItemError("missing text")
        check_text(text)
        at = stored_time(_time(item, self.now))
        analyst = _text(item, "analyst") or self.analyst
        texts.insert(self.db, resolution.id, version, text, at, analyst, _text(item, "note"))
        self.report.count("texts", True)

    def _load_positions(self, item: Item) -> None:
        res_code, member_code = _code(item, "resolution"), _code(item, "member")
        resolution = self._resolutions.get(res_code)
        if resolution is None:
            resolution = resolutions.get(self.db, res_code).id
            self._resolutions[res_code] = resolution
        member = self._members.get(member_code)
        if member is None:
            member = members.get(self.db, member_code).id
            self._members[member_code] = member
        position = parse_position(_text(item, "position", True) or "").value
        kind = parse_kind(_text(item, "kind") or "projection").value
        check_recordable(position, kind)
        at = stored_time(_time(item, self.now))
        raw_confidence = item.get("confidence")
        confidence = None if raw_confidence is None else parse_confidence(raw_confidence)
        source, note = _text(item, "source"), _text(item, "note")
        analyst = _text(item, "analyst") or self.analyst
        mark = fingerprint(position, kind, at, confidence, source, note)
        self._positions.add(
            (resolution, member, position, kind, at, analyst, confidence, source, note, mark)
        )
        if item.get("retracted_at") is not None:
            by = _text(item, "retracted_by") or self.analyst
            when = stored_time(_time(item, self.now, "retracted_at"))
            retraction = (resolution, member, mark, when, by, _text(item, "retraction_note"))
            self._retractions.append(retraction)


def load_document(db: Database, document: Item, analyst: str) -> LoadReport:
    """Load a whole snapshot held in memory (the seed); big files are streamed instead."""
    if document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise ItemError(f'not an oastrack snapshot (no "{FORMAT_KEY}": {FORMAT_VERSION})')
    loader = SnapshotLoader(db, analyst)
    for section in SECTIONS:
        for item in document.get(section) or []:
            loader.load(section, item)
    return loader.finish()


def load_file(db: Database, path: str, analyst: str) -> LoadReport:
    """Load a snapshot file held in memory whole (the seed, a few hundred items)."""
    with open(path, encoding="utf-8") as handle:
        return load_document(db, json.load(handle), analyst)
