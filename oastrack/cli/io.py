"""`oastrack import KIND FILE` and `oastrack export KIND`: bulk files in and out."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO, cast

import typer

from oastrack.cli import messages
from oastrack.cli.common import (
    ForceOption,
    analyst,
    code,
    done,
    note,
    open_database,
    output_file,
    parsed,
)
from oastrack.cli.completion import complete_resolution
from oastrack.core.positions import Kind, Position, parse_kind, parse_position
from oastrack.core.rules import rule_spec
from oastrack.errors import InvalidInput
from oastrack.render import TerminalSafe, console

KIND_HELP = "members, blocs, meetings, resolutions, positions or snapshot."


def _pairs(raw: list[str] | None, option: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for item in raw or []:
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise InvalidInput(f"{option} {item!r}: write {example}")
        pairs.append((left.strip(), right.strip()))
    return pairs


def import_(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help=KIND_HELP)],
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="CSV, JSON or JSON Lines, maybe .gz; - is stdin.")
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, json or jsonl. Default: from the extension."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=COLUMN",
            help="Read FIELD from COLUMN (repeat). "
            "COLUMN may list fallbacks, first non-empty wins: member=country_code,country.",
        ),
    ] = None,
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value",
            metavar="POSITION=RAW",
            help="Read RAW as POSITION (repeat), e.g. --value yes=Y --value abstain=A.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Give FIELD this value where a row "
            "has none (repeat), e.g. --set org=UN --set rule=simple.",
        ),
    ] = None,
    create_missing: Annotated[
        bool,
        typer.Option(
            "--create-missing",
            help="Create members and resolutions the file names but the database lacks.",
        ),
    ] = False,
    allow_past_changes: Annotated[
        bool,
        typer.Option(
            "--allow-past-changes",
            help="With --create-missing: create members even when that changes the eligible "
            "count of resolutions whose official votes are already recorded.",
        ),
    ] = False,
    meeting: Annotated[
        str | None,
        typer.Option(
            help="With --create-missing: the meeting new resolutions "
            "belong to (it must exist; see meeting add)."
        ),
    ] = None,
    rule: Annotated[
        str | None,
        typer.Option(
            help="With --create-missing: the rule of new resolutions. Default: the meeting's."
        ),
    ] = None,
    kind_: Annotated[
        str,
        typer.Option(
            "--kind", help="Positions: the kind of rows that have none (projection or official)."
        ),
    ] = "projection",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and report; write nothing.")
    ] = False,
) -> None:
    """Import a file in one transaction: every row or none.

    A bad row is reported as FILE:LINE: reason and nothing is written. Importing the same file
    twice adds nothing the second time.

    \b
    Columns (* required):
      members      code*, name*, org*, status, start, end, veto, weight
      blocs        bloc*, name, member*, start, end
      meetings     code*, org*, start*, body, title, end, venue, rule
      resolutions  code*, meeting*, title*, rule, required, denominator, status,
                   sponsors (;-separated), alternative_to
      positions    resolution*, member*, position*, kind, recorded_at, analyst,
                   confidence, source, note

    A positions row without recorded_at is dated at its meeting's start. The UN General
    Assembly roll calls, as published, need a meeting, then the file:

    Example: oastrack meeting add UNGA --org UN --start 1946-01-10 --rule simple

    Example: oastrack import positions un_votes.csv.gz --map resolution=rcid --map
    member=country_code,country --map name=country --kind official --create-missing
    --meeting UNGA
    """
    mapping: dict[str, list[str]] = {}
    for field_name, columns in _pairs(map_, "--map", "FIELD=COLUMN"):
        mapping.setdefault(field_name, []).extend(
            c.strip() for c in columns.split(",") if c.strip()
        )
    constants = dict(_pairs(set_, "--set", "FIELD=VALUE"))
    values: dict[str, Position] = {}
    for position, raw in _pairs(value, "--value", "POSITION=RAW"):
        values[raw.lower()] = parsed(parse_position, position)
    from oastrack.io import importer

    spec = importer.ImportSpec(
        kind=kind.strip().lower(),
        path=file,
        fmt=format,
        mapping=mapping,
        values=values,
        constants=constants,
        create_missing=create_missing,
        allow_past_changes=allow_past_changes,
        dry_run=dry_run,
        analyst=analyst(ctx),
        default_kind=Kind(parsed(parse_kind, kind_)),
        meeting=code(meeting) if meeting else None,
        rule=parsed(rule_spec, rule) if rule else None,
    )
    if spec.kind not in importer.KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of: {KIND_HELP}")
    for option, named in (("--map", mapping), ("--set", constants)):
        unknown = sorted(set(named) - _fields(spec.kind))
        if unknown:
            raise InvalidInput(
                f"{option} {unknown[0]}: {spec.kind} have no field {unknown[0]!r}; "
                f"fields: {', '.join(sorted(_fields(spec.kind)))}"
            )
    db = open_database(ctx)
    with _progress(file) as progress:
        result = importer.run_import(db, spec, progress)
    if result.ignored:
        listed = ", ".join(result.ignored)
        note(
            f"Ignored columns (no field of {spec.kind}; map one with --map FIELD=COLUMN): {listed}."
        )
    if result.created_members:
        verb = "Would create" if result.dry_run else "Created"
        listed = ", ".join(result.created_members)
        count = len(result.created_members)
        note(f"{verb} {count:,} member{'s' if count != 1 else ''}: {listed}.")
    (note if result.dry_run else done)(messages.imported(result))


def _fields(kind: str) -> set[str]:
    if kind == "snapshot":
        return set()
    from oastrack.io import importer

    required, optional = importer.COLUMNS[kind]
    return {*required, *optional}


@contextmanager
def _progress(file: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (bytes and rows per second); silence in pipes."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    total = None if file == "-" else os.path.getsize(file) if os.path.isfile(file) else None
    columns = [SpinnerColumn(), TextColumn("[bold]importing[/]"), TextColumn("{task.fields[rows]}")]
    if total:
        columns = [
            TextColumn("[bold]importing[/]"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        ]
    else:
        columns.append(TimeElapsedColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=total, rows="")
        started = bar.get_time()

        def update(bytes_read: int, rows: int) -> None:
            elapsed = max(bar.get_time() - started, 1e-6)
            bar.update(
                task,
                completed=bytes_read if total else None,
                rows=f"{rows:,} rows, {rows / elapsed:,.0f}/s",
            )

        yield update


def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help=KIND_HELP)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (default: stdout).")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, json or jsonl; popolo for a snapshot in the "
            "Popolo vocabulary. Default: from -o's extension, else csv (json for a "
            "snapshot).",
        ),
    ] = None,
    resolution: Annotated[
        list[str] | None,
        typer.Option(
            "--resolution",
            metavar="RES",
            help="Positions: only those on this resolution. Repeatable.",
            autocompletion=complete_resolution,
        ),
    ] = None,
    meeting: Annotated[
        list[str] | None,
        typer.Option(
            "--meeting",
            metavar="M",
            help="Positions: only those on this meeting's resolutions. Repeatable.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export one kind, or the whole database as a snapshot (one JSON document: what init loads).

    export snapshot, then import snapshot into an empty database, then export snapshot again
    gives the same bytes. export positions takes --resolution and --meeting, each repeatable:
    the records on any resolution named or at any meeting named, e.g.
    oastrack export positions --meeting GA-47 --resolution MOC29-COMPROMISE -o votes.csv
    """
    chosen_kind = kind.strip().lower()
    from oastrack.io import exporter

    if chosen_kind not in exporter.KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of: {KIND_HELP}")
    fmt = format or _format_of(output) or ("json" if chosen_kind == "snapshot" else "csv")
    fmt = fmt.strip().lower()
    if fmt not in (*exporter.FORMATS, "popolo"):
        raise InvalidInput(f"unknown format {fmt!r}; use csv, json, jsonl or popolo")
    chosen = {
        "resolutions": [code(r) for r in resolution or []],
        "meetings": [code(m) for m in meeting or []],
    }
    if output is None:
        db = open_database(ctx)
        # To a terminal, what it would obey in the data is shown as escapes (JSON escapes for
        # JSON); to a pipe, the data as it is.
        stream = sys.stdout
        if stream.isatty():
            stream = cast("TextIO", TerminalSafe(sys.stdout, json=fmt != "csv"))
        db.read(lambda: exporter.export(db, chosen_kind, fmt, stream, **chosen))
        return
    from oastrack.io.outfile import open_text

    planned = output_file(ctx, str(output), force=force)
    db = open_database(ctx)
    with open_text(planned) as out:
        counts = db.read(lambda: exporter.export(db, chosen_kind, fmt, out, **chosen))
    done(messages.exported(chosen_kind, counts, output))


def _format_of(output: Path | None) -> str | None:
    if output is None:
        return None
    if output.suffix.lower() == ".gz":
        raise InvalidInput(
            f"cannot write {output}: exports are not compressed here; "
            f"pipe them instead: oastrack export KIND --format csv | gzip > {output}"
        )
    suffix = output.suffix.lower().lstrip(".")
    return {"csv": "csv", "json": "json", "jsonl": "jsonl", "ndjson": "jsonl"}.get(suffix)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
