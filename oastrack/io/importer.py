"""Bulk import: a file of members, blocs, meetings, resolutions, positions or a snapshot.

One import is one transaction: every row or none. Each bad row is reported as
`FILE:LINE: reason` (the first 20, then a count) and nothing is written. Rows stream from the
file and are staged in chunks, so memory stays flat whatever the size. The input is read before
the write transaction begins: the write lock is held only to merge, never while input is awaited.

Two position rows are the same when they agree on resolution, member, position, kind, time,
confidence, source and note (not on who imported them): importing a file twice adds nothing the
second time.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from itertools import chain
from typing import Any

from oastrack.core.values import parse_count
from oastrack.errors import DatabaseError, InvalidInput, OastrackError
from oastrack.io.positions import PositionImporter, Stale
from oastrack.io.readers import ReadError, Record, Records, Source, detect_format, read_records
from oastrack.io.rows import (
    COLUMNS,
    KINDS,
    ImportResult,
    ImportSpec,
    Problems,
    Progress,
    RowImporter,
    Stop,
)
from oastrack.io.snapshot import SECTIONS
from oastrack.io.snapshot_loader import ItemError, SnapshotLoader
from oastrack.io.staging import Replay, Spool
from oastrack.store.db import Database

# An import adding this many rows refreshes the planner's statistics whatever its kind;
# positions and snapshots (the bulk kinds) refresh them whenever they add anything.
BULK_ROWS = 1000


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        self.result = result


def run_import(db: Database, spec: ImportSpec, progress: Progress | None = None) -> ImportResult:
    """Import a file in one transaction; raises ImportFailed listing the bad rows.

    The file is read, and its rows checked and staged, before the write transaction begins:
    the write lock is held only to merge them, never while the input keeps us waiting.
    """
    if spec.kind not in KINDS:
        raise InvalidInput(f"unknown kind {spec.kind!r}; use one of: {', '.join(KINDS)}")
    started = time.perf_counter()
    for _ in range(3):
        try:
            return _refreshed(db, spec, _run(db, spec, progress, started), started)
        except Stale as stale:
            if not _rereadable(spec.path):
                raise DatabaseError(
                    f"{stale} changed while the input was read; nothing was imported",
                    hint="run the import again",
                ) from None
    raise DatabaseError(
        "other writers kept changing the members and resolutions while the file was read; "
        "nothing was imported",
        hint="run the import again",
    )


def _refreshed(
    db: Database, spec: ImportSpec, result: ImportResult, started: float
) -> ImportResult:
    """After a bulk import, the planner's statistics, so that the first query after the import
    plans like the next (a dry run wrote nothing: nothing to refresh)."""
    if result.dry_run:
        return result
    if result.added >= BULK_ROWS or (result.added and spec.kind in ("positions", "snapshot")):
        db.refresh_statistics()
        result.seconds = time.perf_counter() - started
    return result


def _rereadable(path: str) -> bool:
    try:
        return path != "-" and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _open(path: str) -> Source:
    try:
        return Source(path)
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not a file") from None
    except PermissionError:
        raise InvalidInput(f"cannot read {path}: permission denied") from None


def _format(spec: ImportSpec) -> str:
    try:
        return detect_format(spec.path, spec.fmt)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _run(db: Database, spec: ImportSpec, progress: Progress | None, started: float) -> ImportResult:
    fmt = None if spec.kind == "snapshot" else _format(spec)
    with _open(spec.path) as source:
        if spec.kind == "positions":
            assert fmt is not None
            return _run_positions(db, spec, source, fmt, progress, started)
        return _run_spooled(db, spec, source, fmt, progress, started)


def _finished(result: ImportResult, spec: ImportSpec, started: float) -> ImportResult:
    result.seconds = time.perf_counter() - started
    if spec.dry_run:
        raise _DryRun(result)
    return result


def _run_positions(
    db: Database,
    spec: ImportSpec,
    source: Source,
    fmt: str,
    progress: Progress | None,
    started: float,
) -> ImportResult:
    """Positions: every row checked and staged first; the transaction only merges them."""
    result = ImportResult(spec.kind, source.name, dry_run=spec.dry_run)
    problems = Problems(source.name)
    importer = PositionImporter(db, spec, result, problems, csv_input=fmt == "csv")
    try:
        _feed(read_records(source, fmt), importer, problems, source, progress, result)
        importer.finish()
        problems.raise_if_any()

        def merge() -> ImportResult:
            importer.merge(spec.allow_past_changes)
            return _finished(result, spec, started)

        try:
            return db.write(merge)
        except _DryRun as dry:
            return dry.result
    finally:
        importer.discard()


def _run_spooled(
    db: Database,
    spec: ImportSpec,
    source: Source,
    fmt: str | None,
    progress: Progress | None,
    started: float,
) -> ImportResult:
    """The other kinds: the input is read into a spool first, then loaded in the transaction
    (their files are small; the rows' checks need the database as the transaction sees it)."""
    spool = Spool()
    try:
        if fmt is None:
            from oastrack.io.snapshot_reader import read_snapshot

            items: Any = read_snapshot(source)
        else:
            items = read_records(source, fmt)
        spool.fill(items, None if progress is None else lambda n: progress(source.bytes_read, n))

        def work() -> ImportResult:
            result = ImportResult(spec.kind, source.name, dry_run=spec.dry_run)
            problems = Problems(source.name)
            if fmt is None:
                _import_snapshot(db, spec, iter(spool), result, problems, source, None)
            else:
                importer = _importer(db, spec, result, problems, csv_input=fmt == "csv")
                _feed(Replay(spool), importer, problems, source, None, result)
                importer.finish()
            problems.raise_if_any()
            return _finished(result, spec, started)

        try:
            return db.write(work)
        except _DryRun as dry:
            return dry.result
    finally:
        spool.close()


def _feed(
    records: Records | Replay,
    importer: RowImporter,
    problems: Problems,
    source: Source,
    progress: Progress | None,
    result: ImportResult,
) -> None:
    rows = 0
    stream = iter(records)
    try:
        first = next(stream, None)
        if records.columns is not None:
            importer.check_header(records.columns)
        elif first is not None:  # JSON: the first object's keys stand for the file's
            importer.note_columns(list(first.values))
        if first is not None:
            rows = _rows(chain((first,), stream), importer, problems, source, progress)
    except ReadError as error:
        problems.add(error.line, error.reason)
    result.rows = rows
    if progress is not None:
        progress(source.bytes_read, rows)


def _rows(
    stream: Iterator[Record],
    importer: RowImporter,
    problems: Problems,
    source: Source,
    progress: Progress | None,
) -> int:
    """Each row to the importer; returns how many were read. The hot loop of an import: a
    row's ValueError or OastrackError is its problem and the loop resumes with the next row,
    so the `try` is set up once per problem, not once per row."""
    load = importer.load
    rows = 0
    record: Record | None = None
    while True:
        try:
            for record in stream:
                rows += 1
                if record.problem is not None:
                    problems.add(record.line, record.problem)
                else:
                    load(record)
                if progress is not None and not rows % 5000:
                    progress(source.bytes_read, rows)
            return rows
        except ReadError as error:  # the file cannot be read further
            problems.add(error.line, error.reason)
            return rows
        except Stop as stop:  # no later row can do better: report this one and stop
            assert record is not None
            problems.add(record.line, stop.message)
            problems.raise_if_any()
        except (ValueError, OastrackError) as error:
            assert record is not None
            message = error.message if isinstance(error, OastrackError) else str(error)
            problems.add(record.line, message)
            if progress is not None and not rows % 5000:
                progress(source.bytes_read, rows)


class _ItemImporter(RowImporter):
    """Members, blocs, meetings and resolutions: each row becomes snapshot items."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loader = SnapshotLoader(self.db, self.spec.analyst)
        # The member, bloc or meeting of each row counts once: a bloc named by 50 rows is 1
        # bloc, not 1 added and 49 "already present".
        self.seen: set[tuple[str, str]] = set()

    def _load(self, section: str, item: dict[str, Any], line: int) -> None:
        try:
            self.loader.load(section, item, line)
        except ItemError as error:
            raise ValueError(str(error)) from None

    def _load_once(self, section: str, item: dict[str, Any], line: int) -> None:
        """Load (and check) a row's item; one that an earlier row named is not counted again."""
        key = (section, str(item.get("code") or "").strip().upper())
        self._load(section, item, line)
        if key in self.seen:
            self.loader.report.present[section] -= 1  # found because an earlier row named it
        else:
            self.seen.add(key)

    def load(self, record: Record) -> None:
        g = self.get
        kind = self.spec.kind
        if kind == "members":
            code = self.need(record, "code")
            self._load_once(
                "members", {"code": code, "name": self.need(record, "name")}, record.line
            )
            self._load(
                "memberships",
                {
                    "org": self.need(record, "org"),
                    "member": code,
                    "status": g(record, "status"),
                    "start": g(record, "start"),
                    "end": g(record, "end"),
                    "veto": g(record, "veto"),
                    "weight": g(record, "weight"),
                    "note": g(record, "note"),
                },
                record.line,
            )
        elif kind == "blocs":
            bloc = self.need(record, "bloc")
            self._load_once("blocs", {"code": bloc, "name": g(record, "name") or bloc}, record.line)
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
            self._load_once("meetings", item, record.line)
        else:
            item = {key: g(record, key) for key in SECTIONS["resolutions"]}
            for key in ("code", "meeting", "title"):
                self.need(record, key)
            numbers: dict[str, Any] = dict(item)
            for key in ("required", "denominator"):
                raw = item[key]
                if raw is not None:
                    numbers[key] = parse_count(raw, key)
            self._load("resolutions", numbers, record.line)

    def finish(self) -> None:
        if self.problems.total:
            return
        report = self.loader.finish(self.problems.add)
        _counted(self.result, report.added, report.present)


def _importer(
    db: Database, spec: ImportSpec, result: ImportResult, problems: Problems, csv_input: bool
) -> RowImporter:
    if spec.kind == "positions":
        return PositionImporter(db, spec, result, problems, csv_input)
    return _ItemImporter(db, spec, result, problems, csv_input)


def _import_snapshot(
    db: Database,
    spec: ImportSpec,
    items: Iterator[tuple[str, int, Any]],
    result: ImportResult,
    problems: Problems,
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
    _counted(result, report.added, report.present)


def _counted(result: ImportResult, added: dict[str, int], present: dict[str, int]) -> None:
    """The counts by section, in the snapshot's order, and their totals."""
    result.added_by = {name: added[name] for name in SECTIONS if added.get(name)}
    result.present_by = {name: present[name] for name in SECTIONS if present.get(name)}
    result.added = sum(result.added_by.values())
    result.present = sum(result.present_by.values())


__all__ = ["COLUMNS", "KINDS", "ImportResult", "ImportSpec", "run_import"]
