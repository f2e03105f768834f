"""Bulk import: a file of members, blocs, meetings, resolutions, positions or a snapshot.

One import is one transaction: every row or none. Each bad row is reported as
`FILE:LINE: reason` (the first 20, then a count) and nothing is written. Rows stream from the
file and are written in chunks, so memory stays flat whatever the size.

Two position rows are the same when they agree on resolution, member, position, kind, time,
confidence, source and note (not on who imported them): importing a file twice adds nothing the
second time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from oastrack.core.positions import (
    FIRM,
    Kind,
    Position,
    check_recordable,
    parse_kind,
    parse_position,
)
from oastrack.core.reports import MeetingInfo
from oastrack.core.rules import RuleName
from oastrack.core.values import (
    clean_code,
    parse_confidence,
    parse_time,
    stored_time,
    undefuse_cell,
)
from oastrack.errors import DatabaseError, ImportFailed, InvalidInput, OastrackError
from oastrack.io.readers import ReadError, Record, Records, Source, detect_format, read_records
from oastrack.store import lookup, registry
from oastrack.store.bulk import PositionWriter
from oastrack.store.db import Database
from oastrack.store.snapshot import SECTIONS, ItemError, SnapshotLoader
from oastrack.store.votes import fingerprint

KINDS = ("members", "blocs", "meetings", "resolutions", "positions", "snapshot")

# Canonical columns of each kind; the required ones first.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "members": (("code", "name", "org"), ("status", "start", "end", "note")),
    "blocs": (("bloc", "member"), ("name", "start", "end", "note")),
    "meetings": (("code", "org", "start"), ("body", "title", "end", "venue", "rule", "note")),
    "resolutions": (
        ("code", "meeting", "title"),
        (
            "rule",
            "required",
            "denominator",
            "status",
            "sponsors",
            "alternative_to",
            "note",
            "source",
        ),
    ),
    "positions": (
        ("resolution", "member", "position"),
        ("kind", "recorded_at", "analyst", "confidence", "source", "note", "name", "title"),
    ),
}

MAX_SHOWN = 20


@dataclass
class ImportSpec:
    """What to import and how to read it."""

    kind: str
    path: str
    fmt: str | None = None
    mapping: dict[str, list[str]] = field(default_factory=dict)  # field -> columns, first wins
    values: dict[str, Position] = field(default_factory=dict)  # raw text (lower) -> position
    constants: dict[str, str] = field(default_factory=dict)  # field -> value where a row has none
    create_missing: bool = False
    dry_run: bool = False
    analyst: str = "unknown"
    default_kind: Kind = Kind.PROJECTION
    meeting: str | None = None  # where --create-missing puts new resolutions
    rule: RuleName | None = None  # the rule of resolutions it creates


@dataclass
class ImportResult:
    kind: str
    name: str
    rows: int = 0
    added: int = 0
    present: int = 0
    created: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    seconds: float = 0.0


Progress = Callable[[int, int], None]  # (bytes read, rows read)


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.shown: list[str] = []
        self.total = 0

    def add(self, line: int, reason: str) -> None:
        self.total += 1
        if len(self.shown) < MAX_SHOWN:
            self.shown.append(f"{self.name}:{line}: {reason}")

    def raise_if_any(self) -> None:
        if self.total:
            shown = list(self.shown)
            if self.total > len(shown):
                shown.append(f"… and {self.total - len(shown)} more problems")
            raise ImportFailed(
                shown,
                self.total,
                hint="fix the rows above; --dry-run checks a file without writing",
            )


class _Stop(OastrackError):
    """A problem with the whole import, found on a row: reported with its line, then stop."""


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        self.result = result


def run_import(db: Database, spec: ImportSpec, progress: Progress | None = None) -> ImportResult:
    """Import a file in one transaction; raises ImportFailed listing the bad rows."""
    if spec.kind not in KINDS:
        raise InvalidInput(f"unknown kind {spec.kind!r}; use one of: {', '.join(KINDS)}")
    started = time.perf_counter()
    attempts = 0

    def work() -> ImportResult:
        nonlocal attempts
        attempts += 1
        if attempts > 1 and spec.path == "-":
            raise DatabaseError(
                "another writer conflicted while reading standard input; nothing was imported",
                hint="run the import again",
            )
        try:
            source = Source(spec.path)
        except FileNotFoundError:
            raise InvalidInput(f"no such file: {spec.path}") from None
        except IsADirectoryError:
            raise InvalidInput(f"{spec.path} is a directory, not a file") from None
        except PermissionError:
            raise InvalidInput(f"cannot read {spec.path}: permission denied") from None
        with source:
            result = ImportResult(spec.kind, source.name, dry_run=spec.dry_run)
            problems = _Problems(source.name)
            if spec.kind == "snapshot":
                from oastrack.io.snapshot_reader import read_snapshot

                _import_snapshot(
                    db, spec, read_snapshot(source), result, problems, source, progress
                )
            else:
                try:
                    fmt = detect_format(spec.path, spec.fmt)
                except ValueError as error:
                    raise InvalidInput(str(error)) from None
                records = read_records(source, fmt)
                importer = _importer(db, spec, result, problems, csv_input=fmt == "csv")
                _feed(records, importer, problems, source, progress, result)
                importer.finish()
            problems.raise_if_any()
            result.seconds = time.perf_counter() - started
            if spec.dry_run:
                raise _DryRun(result)
            return result

    try:
        return db.write(work)
    except _DryRun as dry:
        dry.result.seconds = time.perf_counter() - started
        return dry.result


def _feed(
    records: Records,
    importer: _RowImporter,
    problems: _Problems,
    source: Source,
    progress: Progress | None,
    result: ImportResult,
) -> None:
    rows = 0
    try:
        for record in records:
            if rows == 0 and records.columns is not None:
                importer.check_header(records.columns)
            rows += 1
            if record.problem is not None:
                problems.add(record.line, record.problem)
            else:
                importer.row(record)
            if progress is not None and rows % 5000 == 0:
                progress(source.bytes_read, rows)
        if rows == 0 and records.columns is not None:  # a header and no rows
            importer.check_header(records.columns)
    except ReadError as error:
        problems.add(error.line, error.reason)
    result.rows = rows
    if progress is not None:
        progress(source.bytes_read, rows)


class _RowImporter:
    """Turns records of one kind into writes; collects per-row problems."""

    def __init__(
        self,
        db: Database,
        spec: ImportSpec,
        result: ImportResult,
        problems: _Problems,
        csv_input: bool,
    ) -> None:
        self.db = db
        self.spec = spec
        self.result = result
        self.problems = problems
        self.csv_input = csv_input
        required, optional = COLUMNS[spec.kind]
        self.required = required
        self.columns = {f: spec.mapping.get(f, [f]) for f in (*required, *optional)}

    def check_header(self, header: list[str]) -> None:
        """A CSV file must have every required column (or one mapped to it) in its header."""
        present = set(header)
        for name in self.required:
            if name in self.spec.constants:
                continue
            if not any(column in present for column in self.columns[name]):
                shown = ", ".join(header) or "none"
                self.problems.add(
                    1,
                    f"missing required column {name!r} (columns: {shown}); "
                    f"map one with --map {name}=COLUMN",
                )
                self.problems.raise_if_any()

    def get(self, record: Record, name: str) -> str | None:
        values = record.values
        for column in self.columns[name]:
            value = values.get(column)
            if value:
                return undefuse_cell(value) if self.csv_input else value
        return self.spec.constants.get(name)

    def need(self, record: Record, name: str) -> str:
        value = self.get(record, name)
        if value is None:
            raise ValueError(f"missing {name}")
        return value

    def row(self, record: Record) -> None:
        try:
            self.load(record)
        except _Stop as stop:  # no later row can do better: report this one and stop
            self.problems.add(record.line, stop.message)
            self.problems.raise_if_any()
        except (ValueError, OastrackError) as error:
            message = error.message if isinstance(error, OastrackError) else str(error)
            self.problems.add(record.line, message)

    def load(self, record: Record) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class _ItemImporter(_RowImporter):
    """Members, blocs, meetings and resolutions: each row becomes snapshot items."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loader = SnapshotLoader(self.db, self.spec.analyst)

    def _load(self, section: str, item: dict[str, Any], line: int) -> None:
        try:
            self.loader.load(section, item, line)
        except ItemError as error:
            raise ValueError(str(error)) from None

    def load(self, record: Record) -> None:
        g = self.get
        kind = self.spec.kind
        if kind == "members":
            code = self.need(record, "code")
            self._load("members", {"code": code, "name": self.need(record, "name")}, record.line)
            self._load(
                "memberships",
                {
                    "org": self.need(record, "org"),
                    "member": code,
                    "status": g(record, "status"),
                    "start": g(record, "start"),
                    "end": g(record, "end"),
                    "note": g(record, "note"),
                },
                record.line,
            )
        elif kind == "blocs":
            bloc = self.need(record, "bloc")
            self._load("blocs", {"code": bloc, "name": g(record, "name") or bloc}, record.line)
            self._load(
                "bloc_members",
                {
                    "bloc": bloc,
                    "member": self.need(record, "member"),
                    "start": g(record, "start"),
                    "end": g(record, "end"),
                    "note": g(record, "note"),
                },
                record.line,
            )
        elif kind == "meetings":
            item = {key: g(record, key) for key in SECTIONS["meetings"]}
            for key in ("code", "org", "start"):
                self.need(record, key)
            self._load("meetings", item, record.line)
        else:
            item = {key: g(record, key) for key in SECTIONS["resolutions"]}
            for key in ("code", "meeting", "title"):
                self.need(record, key)
            numbers: dict[str, Any] = dict(item)
            for key in ("required", "denominator"):
                raw = item[key]
                if raw is not None:
                    try:
                        numbers[key] = int(raw)
                    except ValueError:
                        raise ValueError(f"{key} {raw!r} is not a whole number") from None
            self._load("resolutions", numbers, record.line)

    def finish(self) -> None:
        if self.problems.total:
            return
        report = self.loader.finish(self.problems.add)
        self.result.added = sum(report.added.values())
        self.result.present = sum(report.present.values())


@dataclass
class _Resolution:
    id: int
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


def _first(values: dict[str, str | None], columns: list[str]) -> str | None:
    """The first non-empty value among the columns (a --map may list fallbacks)."""
    for column in columns:
        found = values.get(column)
        if found:
            return found
    return None


class _PositionImporter(_RowImporter):
    """The hot path: plain dict look-ups and one driver-level write per chunk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        db = self.db
        self.members: dict[str, int] = {
            str(code): int(mid) for mid, code in db.all("SELECT id, code FROM member")
        }
        self.resolutions: dict[str, _Resolution | None] = {}
        self.eligible_by_meeting: dict[int, tuple[int, set[int]]] = {}
        self.positions: dict[str, str] = {}
        self.by_raw_resolution: dict[str, _Resolution] = {}
        self.codes: dict[str, str] = {}
        self.marks: dict[tuple[Any, ...], int] = {}
        self.kinds: dict[str, str] = {}
        self.times: dict[str, tuple[str, datetime]] = {}
        self.writer = PositionWriter(db)
        self.target_meeting: MeetingInfo | None = None
        # The fields of a row, in the order load() unpacks them (the snapshot's own order).
        self.cols = [self.columns[name] for name in SECTIONS["positions"]]
        self.first_columns = [columns[0] for columns in self.cols]
        self.fallbacks = [i for i, columns in enumerate(self.cols) if len(columns) > 1]
        self.constant_slots = [
            (i, self.spec.constants[name])
            for i, name in enumerate(SECTIONS["positions"])
            if name in self.spec.constants
        ]
        self.default_kind: str = self.spec.default_kind.value

    # -- look-ups, cached ---------------------------------------------------------------------

    def resolution(self, code: str, record: Record) -> _Resolution:
        if code in self.resolutions:
            found = self.resolutions[code]
            if found is None:
                raise ValueError(f"unknown resolution {code!r}")
            return found
        row = self.db.one(
            "SELECT r.id, mt.id, mt.organization_id, o.code, mt.start_date FROM resolution r"
            " JOIN meeting mt ON mt.id = r.meeting_id"
            " JOIN organization o ON o.id = mt.organization_id WHERE r.code = ?",
            (code,),
        )
        if row is None:
            if not self.spec.create_missing:
                self.resolutions[code] = None
                raise ValueError(
                    f"unknown resolution {code!r} (add it first, or use --create-missing)"
                )
            return self._create_resolution(code, record)
        meeting = lookup.meeting(
            self.db, str(self.db.scalar("SELECT code FROM meeting WHERE id = ?", (row[1],)))
        )
        found = _Resolution(
            int(row[0]),
            meeting.organization_id,
            meeting.organization,
            meeting.start,
            self._eligible(meeting),
        )
        self.resolutions[code] = found
        return found

    def _eligible(self, meeting: MeetingInfo) -> set[int]:
        cached = self.eligible_by_meeting.get(meeting.id)
        if cached is None:
            members = lookup.eligible_members(self.db, meeting.organization_id, meeting.start)
            cached = (meeting.organization_id, {mid for mid, _, _ in members})
            self.eligible_by_meeting[meeting.id] = cached
        return cached[1]

    def _create_resolution(self, code: str, record: Record) -> _Resolution:
        if self.target_meeting is None:
            if not self.spec.meeting:
                raise _Stop(
                    f"unknown resolution {code!r}: --create-missing needs --meeting CODE to "
                    "put new resolutions in"
                )
            self.target_meeting = lookup.meeting(self.db, self.spec.meeting)
        meeting = self.target_meeting
        new = registry.NewResolution(
            code=code,
            meeting=meeting.code,
            title=self.get(record, "title") or code,
            rule=self.spec.rule,
        )
        rule = registry.resolve_rule(meeting, new)
        resolution_id = self.db.insert(
            "INSERT INTO resolution (code, meeting_id, title, rule, status) VALUES"
            " (?, ?, ?, ?, 'draft') RETURNING id",
            (code, meeting.id, new.title, rule.name.value),
        )
        self.result.created["resolutions"] = self.result.created.get("resolutions", 0) + 1
        found = _Resolution(
            resolution_id,
            meeting.organization_id,
            meeting.organization,
            meeting.start,
            self._eligible(meeting),
        )
        self.resolutions[code] = found
        return found

    def member(self, code: str, record: Record, res: _Resolution) -> int:
        found = self.members.get(code)
        if found is not None:
            return found
        if not self.spec.create_missing:
            raise ValueError(f"unknown member {code!r} (add it first, or use --create-missing)")
        name = self.get(record, "name") or code
        member_id = self.db.insert(
            "INSERT INTO member (code, name) VALUES (?, ?) RETURNING id", (code, name)
        )
        self.db.execute(
            "INSERT INTO membership (organization_id, member_id, status) VALUES (?, ?, 'active')",
            (res.org_id, member_id),
        )
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
            moment = parse_time(raw)
            found = (stored_time(moment), moment)
            if len(self.times) < 100_000:
                self.times[raw] = found
        return found[0]

    # -- one row ------------------------------------------------------------------------------

    def load(self, record: Record) -> None:
        values = record.values
        fields = [values.get(column) or None for column in self.first_columns]
        for index in self.fallbacks:
            if fields[index] is None:
                fields[index] = _first(values, self.cols[index][1:])
        for index, constant in self.constant_slots:
            if fields[index] is None:
                fields[index] = constant
        res_raw, member_raw, position_raw, kind_raw, at_raw, analyst, conf_raw, source, note = (
            fields
        )
        if res_raw is None:
            raise ValueError("missing resolution")
        if member_raw is None:
            raise ValueError("missing member")
        if position_raw is None:
            raise ValueError("missing position")
        res = self.by_raw_resolution.get(res_raw)
        if res is None:
            res = self.resolution(clean_code(res_raw), record)
            self.by_raw_resolution[res_raw] = res
        member_code = self.codes.get(member_raw)
        if member_code is None:
            member_code = clean_code(member_raw)
            if len(self.codes) < 100_000:
                self.codes[member_raw] = member_code
        member = self.members.get(member_code)
        if member is None:
            member = self.member(member_code, record, res)
        if member not in res.eligible:
            raise ValueError(f"{member_code} is not an active member of {res.org} on {res.on}")
        position = self.positions.get(position_raw) or self.position(position_raw)
        kind = self.default_kind if kind_raw is None else self.kind(kind_raw)
        if kind == "official" and position not in FIRM:
            check_recordable(position, kind)
        at = res.default_at if at_raw is None else self.at(at_raw)
        confidence = None if conf_raw is None else parse_confidence(conf_raw)
        if self.csv_input:
            source = self._undefuse(source)
            note = self._undefuse(note)
        identity = (position, kind, at, confidence, source, note)
        mark = self.marks.get(identity)
        if mark is None:
            mark = fingerprint(*identity)
            if len(self.marks) > 100_000:
                self.marks.clear()
            self.marks[identity] = mark
        self.writer.add(
            (
                res.id,
                member,
                position,
                kind,
                at,
                analyst or self.spec.analyst,
                confidence,
                source,
                note,
                mark,
            )
        )

    @staticmethod
    def _undefuse(value: str | None) -> str | None:
        return undefuse_cell(value) if value else value

    def finish(self) -> None:
        if self.problems.total:
            return
        self.writer.flush()
        self.result.added = self.writer.added
        self.result.present = self.writer.written - self.writer.added


def _importer(
    db: Database, spec: ImportSpec, result: ImportResult, problems: _Problems, csv_input: bool
) -> _RowImporter:
    if spec.kind == "positions":
        return _PositionImporter(db, spec, result, problems, csv_input)
    return _ItemImporter(db, spec, result, problems, csv_input)


def _import_snapshot(
    db: Database,
    spec: ImportSpec,
    items: Iterator[tuple[str, int, Any]],
    result: ImportResult,
    problems: _Problems,
    source: Source,
    progress: Progress | None,
) -> None:
    loader = SnapshotLoader(db, spec.analyst)
    rows = 0
    try:
        for section, line, item in items:
            rows += 1
            try:
                loader.load(section, item, line)
            except (ValueError, OastrackError) as error:
                problems.add(
                    line, error.message if isinstance(error, OastrackError) else str(error)
                )
            if progress is not None and rows % 5000 == 0:
                progress(source.bytes_read, rows)
    except ReadError as error:
        problems.add(error.line, error.reason)
    result.rows = rows
    if problems.total:
        return
    report = loader.finish(problems.add)
    result.added = sum(report.added.values())
    result.present = sum(report.present.values())
