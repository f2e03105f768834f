"""Importing positions: the hot path, with plain dict look-ups and one driver-level write per
chunk (`store.positions.PositionWriter`).

It runs in two steps so that an import never holds the write lock while it waits for input:
`load` reads and checks every row and stages it before the write transaction begins (members
and resolutions to create get placeholder ids); `merge`, inside the transaction, checks that
what the rows were checked against is unchanged, creates what is missing and moves the staged
rows in.

Two position rows are the same when they agree on resolution, member, position, kind, time,
confidence, source and note (not on who imported them): importing a file twice adds nothing the
second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from oastrack.core.positions import FIRM, check_recordable, parse_kind, parse_position
from oastrack.core.reports import MeetingInfo
from oastrack.core.values import (
    as_date,
    check_not_future,
    clean_code,
    code_from_name,
    parse_confidence,
    parse_time,
    stored_time,
    undefuse_cell,
)
from oastrack.errors import InvalidInput
from oastrack.io.readers import Record
from oastrack.io.rows import RowImporter, Stop
from oastrack.io.snapshot import SECTIONS
from oastrack.store import meetings, members, resolutions
from oastrack.store.positions import PositionWriter, fingerprint, now_utc

# The fields of a row that make its identity (all but the resolution and the member).
IDENTITY_SLOTS = range(2, len(SECTIONS["positions"]))


class Stale(Exception):
    """The members, resolutions or memberships the rows were checked against changed between
    reading the file and taking the write lock: the import must be read again."""


@dataclass
class _Resolution:
    id: int  # negative: a placeholder for a resolution the import creates
    meeting_id: int
    org_id: int
    org: str
    on: date
    eligible: set[int]

    @property
    def default_at(self) -> str:
        """A row without a time is dated at its meeting's start (so a re-import matches)."""
        return self._default_at

    def __post_init__(self) -> None:
        self._default_at = stored_time(datetime.combine(self.on, datetime.min.time()))
        # The writer's identity numbers by the cells of a row (shared with the resolutions of
        # the same default time).
        self.identities: dict[tuple[str | None, ...], int] = {}


def _first(values: dict[str, str | None], columns: list[str]) -> str | None:
    """The first non-empty value among the columns (a --map may list fallbacks)."""
    for column in columns:
        found = values.get(column)
        if found:
            return found
    return None


class PositionImporter(RowImporter):
    """The hot path: plain dict look-ups and one driver-level write per chunk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        db = self.db
        self.members: dict[str, int] = members.ids(db)
        self.resolutions: dict[str, _Resolution | None] = {}
        self.eligible_by_meeting: dict[int, tuple[int, set[int]]] = {}
        self.positions: dict[str, str] = {}
        self.by_raw_resolution: dict[str, _Resolution] = {}
        self.member_by_raw: dict[str, int] = {}
        self.kinds: dict[str, str] = {}
        self.times: dict[str, tuple[str, datetime]] = {}
        # Every resolution's (id, meeting id) by code, and the meetings met, read once.
        self.targets = resolutions.all_targets(db)
        self.meetings: dict[int, MeetingInfo] = {}
        # Rows that share a default time share their identities, by the cells they come from.
        self.identities_by_day: dict[str, dict[tuple[str | None, ...], int]] = {}
        self.writer = PositionWriter(db, outside=True)
        self.pending = self.writer.pending
        self.key_of: Callable[[dict[str, str | None]], tuple[str | None, ...]] = self._any_key
        self.chunk = self.writer.CHUNK
        self.now = now_utc()
        # What the import will create, under placeholder ids (negative), in file order.
        self.new_members: list[tuple[int, str, str, int]] = []  # (placeholder, code, name, org)
        self.new_resolutions: list[tuple[int, str, MeetingInfo, str, Any]] = []
        self.target_meeting: MeetingInfo | None = None
        # The fields of a row, in the order load() unpacks them (the snapshot's own order).
        self.cols = [self.columns[name] for name in SECTIONS["positions"]]
        self.constants = {
            i: self.spec.constants[name]
            for i, name in enumerate(SECTIONS["positions"])
            if name in self.spec.constants
        }
        # The resolution and the member: one column each, unless a --map lists fallbacks or
        # a constant stands in for an empty cell.
        self.res_column, self.member_column = self.cols[0][0], self.cols[1][0]
        self.res_complex = len(self.cols[0]) > 1 or 0 in self.constants
        self.member_complex = len(self.cols[1]) > 1 or 1 in self.constants
        self.default_kind: str = self.spec.default_kind.value

    # -- look-ups, cached ---------------------------------------------------------------------

    def resolution(self, code: str, record: Record) -> _Resolution:
        if code in self.resolutions:
            found = self.resolutions[code]
            if found is None:
                raise ValueError(f"unknown resolution {code!r}")
            return found
        row = self.targets.get(code)
        if row is None:
            if not self.spec.create_missing:
                self.resolutions[code] = None
                raise ValueError(
                    f"unknown resolution {code!r} (add it first, or use --create-missing)"
                )
            return self._create_resolution(code, record)
        meeting = self.meetings.get(row[1])
        if meeting is None:
            meeting = self.meetings[row[1]] = meetings.get_by_id(self.db, row[1])
        return self._found(code, row[0], meeting)

    def _found(self, code: str, resolution_id: int, meeting: MeetingInfo) -> _Resolution:
        found = _Resolution(
            resolution_id,
            meeting.id,
            meeting.organization_id,
            meeting.organization,
            meeting.start,
            self._eligible(meeting),
        )
        found.identities = self.identities_by_day.setdefault(found.default_at, {})
        self.resolutions[code] = found
        return found

    def _eligible(self, meeting: MeetingInfo) -> set[int]:
        cached = self.eligible_by_meeting.get(meeting.id)
        if cached is None:
            cached = (meeting.organization_id, self._eligible_now(meeting.id))
            self.eligible_by_meeting[meeting.id] = cached
        return cached[1]

    def _eligible_now(self, meeting_id: int) -> set[int]:
        """The meeting's eligible members as stored, with the ones this import creates."""
        meeting = meetings.get_by_id(self.db, meeting_id)
        listed = members.eligible_members(self.db, meeting.organization_id, meeting.start)
        found = {mid for mid, _, _ in listed}
        found.update(p for p, _, _, org in self.new_members if org == meeting.organization_id)
        return found

    def _create_resolution(self, code: str, record: Record) -> _Resolution:
        if self.target_meeting is None:
            if not self.spec.meeting:
                raise Stop(
                    f"unknown resolution {code!r}: --create-missing needs --meeting CODE to "
                    "put new resolutions in"
                )
            self.target_meeting = meetings.get(self.db, self.spec.meeting)
        meeting = self.target_meeting
        new = resolutions.NewResolution(
            code=code,
            meeting=meeting.code,
            title=self.get(record, "title") or code,
            rule=self.spec.rule,
        )
        rule = resolutions.resolve_rule(meeting, new)
        placeholder = -1 - len(self.new_resolutions)
        self.new_resolutions.append((placeholder, code, meeting, new.title, rule))
        self.result.created["resolutions"] = self.result.created.get("resolutions", 0) + 1
        return self._found(code, placeholder, meeting)

    def member(self, code: str, record: Record, res: _Resolution) -> int:
        found = self.members.get(code)
        if found is not None:
            return found
        if not self.spec.create_missing:
            raise ValueError(f"unknown member {code!r} (add it first, or use --create-missing)")
        name = self.get(record, "name") or code
        member_id = -1 - len(self.new_members)
        self.new_members.append((member_id, code, name, res.org_id))
        for meeting_org, eligible in self.eligible_by_meeting.values():
            if meeting_org == res.org_id:  # no dates: active at every meeting of its organization
                eligible.add(member_id)
        self.members[code] = member_id
        self.result.created["members"] = self.result.created.get("members", 0) + 1
        return member_id

    def position(self, raw: str) -> str:
        found = self.positions.get(raw)
        if found is None:
            mapped = self.spec.values.get(raw.strip().lower())
            found = (mapped or parse_position(raw)).value
            self.positions[raw] = found
        return found

    def kind(self, raw: str) -> str:
        found = self.kinds.get(raw)
        if found is None:
            found = parse_kind(raw).value
            self.kinds[raw] = found
        return found

    def at(self, raw: str) -> str:
        found = self.times.get(raw)
        if found is None:
            moment = check_not_future(parse_time(raw), self.now)
            found = (stored_time(moment), moment)
            if len(self.times) < 100_000:
                self.times[raw] = found
        return found[0]

    # -- one row ------------------------------------------------------------------------------

    def check_header(self, header: list[str]) -> None:
        super().check_header(header)
        # Every row of a CSV file holds every column of its header: one C call takes the
        # cells that make a row's identity.
        present = set(header)
        columns = [c for i in IDENTITY_SLOTS for c in self.cols[i] if c in present]
        if len(columns) > 1:
            self.key_of = itemgetter(*columns)
        elif columns:
            only = columns[0]
            self.key_of = lambda values: (values[only],)
        else:
            self.key_of = lambda values: ()

    def _any_key(self, values: dict[str, str | None]) -> tuple[str | None, ...]:
        """The cells a row's identity is made of (JSON: any key may be missing)."""
        return tuple([values.get(c) or None for i in IDENTITY_SLOTS for c in self.cols[i]])

    def _cell(self, values: dict[str, str | None], index: int) -> str | None:
        """A field of the row: its first non-empty column, else the constant given for it."""
        found = _first(values, self.cols[index])
        if found is None:
            found = self.constants.get(index)
        return found

    def load(self, record: Record) -> None:
        values = record.values
        res_raw = values.get(self.res_column) or None
        if res_raw is None and self.res_complex:
            res_raw = self._cell(values, 0)
        member_raw = values.get(self.member_column) or None
        if member_raw is None and self.member_complex:
            member_raw = self._cell(values, 1)
        if res_raw is None:
            raise ValueError("missing resolution")
        if member_raw is None:
            raise ValueError("missing member")
        res = self.by_raw_resolution.get(res_raw)
        if res is None:
            if self._cell(values, 2) is None:
                raise ValueError("missing position")
            res = self.resolution(clean_code(res_raw), record)
            self.by_raw_resolution[res_raw] = res
        member = self.member_by_raw.get(member_raw)
        if member is None:
            member = self._member_of(record, member_raw, res)
        if member not in res.eligible:
            if self._cell(values, 2) is None:
                raise ValueError("missing position")
            code = self._member_code(record, member_raw)
            raise ValueError(f"{code} is not an active member of {res.org} on {res.on}")
        key = self.key_of(values)
        identity = res.identities.get(key)
        if identity is None:
            identity = self._identity(values, res)
            if len(res.identities) >= 100_000:
                res.identities.clear()
            res.identities[key] = identity
        pending = self.pending
        pending.append((res.id, member, identity))
        if len(pending) >= self.chunk:
            self.writer.stage()

    def _member_of(self, record: Record, raw: str, res: _Resolution) -> int:
        if self._cell(record.values, 2) is None:
            raise ValueError("missing position")
        member_code = self._member_code(record, raw)
        member = self.members.get(member_code)
        if member is None:
            member = self.member(member_code, record, res)
        if len(self.member_by_raw) < 100_000:
            self.member_by_raw[raw] = member
        return member

    def _identity(self, values: dict[str, str | None], res: _Resolution) -> int:
        """The row's fields but its resolution and member, checked, as the writer's number."""
        fields = [self._cell(values, index) for index in IDENTITY_SLOTS]
        position_raw, kind_raw, at_raw, analyst, conf_raw, source, note = fields
        if position_raw is None:
            raise ValueError("missing position")
        position = self.position(position_raw)
        kind = self.default_kind if kind_raw is None else self.kind(kind_raw)
        if kind == "official" and position not in FIRM:
            check_recordable(position, kind)
        at = res.default_at if at_raw is None else self.at(at_raw)
        confidence = None if conf_raw is None else parse_confidence(conf_raw)
        if self.csv_input:
            source = self._undefuse(source)
            note = self._undefuse(note)
        mark = fingerprint(position, kind, at, confidence, source, note)
        return self.writer.identity(
            (position, kind, at, analyst or self.spec.analyst, confidence, source, note, mark)
        )

    def _member_code(self, record: Record, raw: str) -> str:
        """The member's code; turned into one when `--map` takes it from a name column."""
        if self.name_columns:
            for column in self.cols[1]:
                if record.values.get(column):
                    if column in self.name_columns:
                        return code_from_name(raw)
                    break
        return clean_code(raw)

    @staticmethod
    def _undefuse(value: str | None) -> str | None:
        return undefuse_cell(value) if value else value

    def finish(self) -> None:
        """The end of the file: stage the last rows, still before the write lock."""
        if not self.problems.total:
            self.writer.stage_rest()
        self.result.created_members = [code for _, code, _, _ in self.new_members]

    # -- inside the write transaction ---------------------------------------------------------

    def merge(self, allow_past_changes: bool) -> None:
        """Check what the rows were checked against, create what is missing, write the rows."""
        self._check_unchanged()
        if not allow_past_changes:
            self._check_past()
        created = resolutions.insert_many(
            self.db,
            [
                (code, meeting, title, rule)
                for _, code, meeting, title, rule in self.new_resolutions
            ],
        )
        resolution_ids = {
            placeholder: created[code] for placeholder, code, *_ in self.new_resolutions
        }
        made = members.insert_many(
            self.db, [(code, name, org) for _, code, name, org in self.new_members]
        )
        member_ids = {placeholder: made[code] for placeholder, code, _, _ in self.new_members}
        self.writer.flush(member_ids, resolution_ids)
        self.result.added = self.writer.added
        self.result.present = self.writer.written - self.writer.added
        self.result.added_by = {"positions": self.result.added} if self.result.added else {}
        self.result.present_by = {"positions": self.result.present} if self.result.present else {}

    def discard(self) -> None:
        self.writer.discard()

    def _check_unchanged(self) -> None:
        stored = members.ids(self.db)
        for code, member_id in self.members.items():
            if stored.get(code) != (member_id if member_id > 0 else None):
                raise Stale(f"member {code}")
        targets = resolutions.all_targets(self.db)
        for code, res in self.resolutions.items():
            if res is None:
                continue
            if targets.get(code) != ((res.id, res.meeting_id) if res.id > 0 else None):
                raise Stale(f"resolution {code}")
        for meeting_id, (_, eligible) in self.eligible_by_meeting.items():
            if self._eligible_now(meeting_id) != eligible:
                meeting = meetings.get_by_id(self.db, meeting_id).code
                raise Stale(f"the members eligible at {meeting}")

    def _check_past(self) -> None:
        """A member created without dates is eligible at every meeting of its organization:
        refuse it when that changes the count of a vote already recorded."""
        by_org: dict[int, list[str]] = {}
        for _, code, _, org in self.new_members:
            by_org.setdefault(org, []).append(code)
        affected: list[str] = []
        for org, codes in by_org.items():
            for code, start in resolutions.with_official_votes(self.db, org):
                if len(affected) < 10:
                    on = as_date(start)
                    assert on is not None
                    before = len(members.eligible_members(self.db, org, on))
                    affected.append(f"{code} ({before} -> {before + len(codes)} eligible)")
                else:
                    affected.append(code)
        if affected:
            created = [code for _, code, _, _ in self.new_members]
            shown = ", ".join(affected[:10]) + (
                f" and {len(affected) - 10} more" if len(affected) > 10 else ""
            )
            raise InvalidInput(
                f"creating {_counted(len(created), 'member')} ({', '.join(created)}) would "
                f"change the eligible count of {_counted(len(affected), 'resolution')} with "
                f"official votes already recorded: {shown}; nothing was imported",
                hint="add the members first with their start date (oastrack member add CODE "
                "--org ORG --start DATE), or pass --allow-past-changes",
            )


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
