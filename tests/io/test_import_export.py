"""Good imports and round trips, on SQLite and PostgreSQL.

Most tests share one seeded database per back end (module_db) and use codes, times and notes of
their own, so that they do not see each other's rows; tests that compare whole databases make
fresh ones (a PostgreSQL database is slow to make, so there are few of those).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import support
from tests.conftest import Run
from tests.support import unga_import_args

Cli = Callable[..., Run]

# Counts name what they count: "3 rows read from F: 2 members and 3 memberships added, 1 member
# already present"; a dry run says what it would add and create.
_COUNTS = r"(?:nothing|none|[\d,]+ [a-z ]+?(?:(?:, | and )[\d,]+ [a-z ]+?)*)"
SUMMARY = re.compile(
    rf"(?:(?P<verb>Imported) (?P<rows>[\d,]+) (?:rows?|items?) read from (?P<name>.+):"
    rf" (?P<added>{_COUNTS}) added"
    rf"|(?P<dry>Dry run, nothing written:) (?P<dry_rows>[\d,]+) (?:rows?|items?) read from"
    rf" (?P<dry_name>.+) would add (?P<dry_added>{_COUNTS})),"
    rf" (?P<present>{_COUNTS}) already present"
    r"(?:; (?:would create|created) (?P<created>.+))? \(\d+\.\d s\)\."
)


def total(counts: str) -> int:
    """The sum of a list of counts (`2 members and 3 memberships` is 5; `none` is 0)."""
    return sum(int(n.replace(",", "")) for n in re.findall(r"([\d,]+) [a-z]", counts))


@dataclass
class Summary:
    dry_run: bool
    rows: int
    name: str
    added: int
    present: int
    created: str | None


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def summary(run: Run) -> Summary:
    """The one line an import prints on stderr, read back."""
    ok(run)
    assert run.stdout == ""
    # The members --create-missing makes are named on a line of their own.
    lines = [
        line
        for line in run.stderr.splitlines()
        if line.strip() and not line.startswith(("Created ", "Would create "))
    ]
    assert len(lines) == 1, run.stderr
    found = SUMMARY.fullmatch(lines[0])
    assert found is not None, lines[0]
    dry = found["dry"] is not None
    return Summary(
        dry,
        int(found["dry_rows" if dry else "rows"].replace(",", "")),
        found["dry_name" if dry else "name"],
        total(found["dry_added" if dry else "added"]),
        total(found["present"]),
        found["created"],
    )


def imported(cli: Cli, db: str, kind: str, path: str | Path, *extra: str) -> Summary:
    return summary(cli("--db", db, "import", kind, str(path), *extra))


def exported(cli: Cli, db: str, kind: str, fmt: str = "jsonl") -> str:
    run = ok(cli("--db", db, "export", kind, "--format", fmt))
    return run.stdout


def items(cli: Cli, db: str, kind: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in exported(cli, db, kind).splitlines()]


def tally(cli: Cli, db: str, resolution: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(
        ok(cli("--db", db, "tally", resolution, "--format", "json")).stdout
    )
    return shown


# -- writing files in each format -------------------------------------------------------------


def csv_text(rows: list[dict[str, Any]], newline: str = "\n") -> str:
    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key in keys])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def json_text(rows: list[dict[str, Any]]) -> str:
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def jsonl_text(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


FORMATS = {
    "csv": lambda rows: csv_text(rows).encode(),
    "json": lambda rows: json_text(rows).encode(),
    "jsonl": lambda rows: jsonl_text(rows).encode(),
    "csv.gz": lambda rows: gzip.compress(csv_text(rows).encode(), mtime=0),
    "jsonl.gz": lambda rows: gzip.compress(jsonl_text(rows).encode(), mtime=0),
}


def write(folder: Path, stem: str, fmt: str, rows: list[dict[str, Any]]) -> Path:
    path = folder / f"{stem}.{fmt}"
    path.write_bytes(FORMATS[fmt](rows))
    return path


# -- good imports of every kind in every format ----------------------------------------------


def good_rows(t: str) -> dict[str, list[dict[str, Any]]]:
    """A little of everything; codes end in `t` so that each format has its own."""
    return {
        "members": [
            {
                "code": f"XA{t}",
                "name": "Atlantis",
                "org": "OAS",
                "status": "active",
                "start": "2020-01-01",
                "end": None,
            },
            {
                "code": f"XB{t}",
                "name": "Borduria",
                "org": f"NEW{t}",
                "status": None,
                "start": None,
                "end": None,
            },
            {
                "code": f"XB{t}",
                "name": "Borduria",
                "org": "OAS",
                "status": "suspended",
                "start": "2018-01-01",
                "end": "2019-12-31",
            },
        ],
        "blocs": [
            {"bloc": f"NB{t}", "name": "New bloc", "member": "ARG", "start": "2018-01-01"},
            {"bloc": f"NB{t}", "name": "New bloc", "member": f"XA{t}", "start": None},
        ],
        "meetings": [
            {
                "code": f"MX-{t}",
                "org": "OAS",
                "body": "Permanent Council",
                "title": "A special session",
                "start": "2020-03-01",
                "end": "2020-03-02",
                "venue": "Washington, D.C.",
                "rule": "absolute",
            },
            {
                "code": f"UX-{t}",
                "org": f"NEW{t}",
                "body": None,
                "title": None,
                "start": "2021-01-01",
                "end": None,
                "venue": None,
                "rule": None,
            },
        ],
        "resolutions": [
            {
                "code": f"RX-{t}1",
                "meeting": f"MX-{t}",
                "title": "First",
                "rule": "absolute",
                "status": "draft",
                "sponsors": ["ARG", f"XA{t}"],
            },
            # alternative_to names a resolution further down the file
            {
                "code": f"RX-{t}2",
                "meeting": f"MX-{t}",
                "title": 'Second, "quoted"',
                "rule": "fixed",
                "required": 20,
                "status": "adopted",
                "alternative_to": f"RX-{t}3",
            },
            {
                "code": f"RX-{t}3",
                "meeting": f"MX-{t}",
                "title": "Third",
                "rule": "two-thirds",
                "denominator": 35,
                "sponsors": [f"NB{t}"],
            },
        ],
        "positions": [
            {
                "resolution": f"RX-{t}1",
                "member": f"XA{t}",
                "position": "yes",
                "kind": "official",
                "recorded_at": "2020-03-01T10:00:00Z",
                "analyst": "alice",
                "confidence": 0.75,
                "source": "press",
                "note": "note, with comma",
            },
            # no kind, time, analyst: projection, the meeting's start, the importing analyst
            {
                "resolution": f"RX-{t}1",
                "member": "ARG",
                "position": "lean-no",
                "note": "multi\nline",
            },
            {
                "resolution": f"rx-{t.lower()}1",
                "member": "bra",
                "position": "Abstain",
                "kind": "projection",
                "recorded_at": "2020-02-28T09:30:00+02:00",
                "analyst": "bob",
                "confidence": "80%",
                "source": "call",
                "note": "café ☕ «quoted»",
            },
        ],
    }


def expected_items(t: str) -> dict[str, list[dict[str, Any]]]:
    """What `export KIND --format jsonl` shows of good_rows(t) afterwards."""
    member = {"veto": False, "weight": None, "note": None}
    return {
        "members": [
            {
                "code": f"XA{t}",
                "name": "Atlantis",
                "org": "OAS",
                "status": "active",
                "start": "2020-01-01",
                "end": None,
                **member,
            },
            {
                "code": f"XB{t}",
                "name": "Borduria",
                "org": f"NEW{t}",
                "status": "active",
                "start": None,
                "end": None,
                **member,
            },
            {
                "code": f"XB{t}",
                "name": "Borduria",
                "org": "OAS",
                "status": "suspended",
                "start": "2018-01-01",
                "end": "2019-12-31",
                **member,
            },
        ],
        "blocs": [
            {
                "bloc": f"NB{t}",
                "name": "New bloc",
                "member": "ARG",
                "start": "2018-01-01",
                "end": None,
                "note": None,
            },
            {
                "bloc": f"NB{t}",
                "name": "New bloc",
                "member": f"XA{t}",
                "start": None,
                "end": None,
                "note": None,
            },
        ],
        "meetings": [
            {
                "code": f"MX-{t}",
                "org": "OAS",
                "body": "Permanent Council",
                "title": "A special session",
                "start": "2020-03-01",
                "end": "2020-03-02",
                "venue": "Washington, D.C.",
                "rule": "absolute",
                "note": None,
            },
            {
                "code": f"UX-{t}",
                "org": f"NEW{t}",
                "body": None,
                "title": None,
                "start": "2021-01-01",
                "end": None,
                "venue": None,
                "rule": None,
                "note": None,
            },
        ],
        "resolutions": [
            {
                "code": f"RX-{t}1",
                "meeting": f"MX-{t}",
                "title": "First",
                "rule": "absolute",
                "required": None,
                "denominator": None,
                "status": "draft",
                "sponsors": f"ARG;XA{t}",
                "alternative_to": None,
                "note": None,
                "source": None,
            },
            {
                "code": f"RX-{t}2",
                "meeting": f"MX-{t}",
                "title": 'Second, "quoted"',
                "rule": "fixed",
                "required": 20,
                "denominator": None,
                "status": "adopted",
                "sponsors": None,
                "alternative_to": f"RX-{t}3",
                "note": None,
                "source": None,
            },
            {
                "code": f"RX-{t}3",
                "meeting": f"MX-{t}",
                "title": "Third",
                "rule": "two-thirds",
                "required": None,
                "denominator": 35,
                "status": "draft",
                "sponsors": f"NB{t}",
                "alternative_to": None,
                "note": None,
                "source": None,
            },
        ],
        "positions": [
            {
                "resolution": f"RX-{t}1",
                "member": "ARG",
                "position": "lean-no",
                "kind": "projection",
                "recorded_at": "2020-03-01T00:00:00Z",
                "analyst": "tester",
                "confidence": None,
                "source": None,
                "note": "multi\nline",
            },
            {
                "resolution": f"RX-{t}1",
                "member": "BRA",
                "position": "abstain",
                "kind": "projection",
                "recorded_at": "2020-02-28T07:30:00Z",
                "analyst": "bob",
                "confidence": 0.8,
                "source": "call",
                "note": "café ☕ «quoted»",
            },
            {
                "resolution": f"RX-{t}1",
                "member": f"XA{t}",
                "position": "yes",
                "kind": "official",
                "recorded_at": "2020-03-01T10:00:00Z",
                "analyst": "alice",
                "confidence": 0.75,
                "source": "press",
                "note": "note, with comma",
            },
        ],
    }


# kind -> (rows, added, present) the first time, and present the second time
FIRST_AND_SECOND = {
    "members": (3, 5, 0, 5),  # 2 members + 3 memberships; XBB, met twice, is one member
    "blocs": (2, 3, 0, 3),  # 1 bloc + 2 bloc members; the bloc, met twice, is one bloc
    "meetings": (2, 2, 0, 2),
    "resolutions": (3, 3, 0, 3),
    "positions": (3, 3, 0, 3),
}
KIND_ORDER = ("members", "blocs", "meetings", "resolutions", "positions")
TAGS = {"csv": "C", "json": "J", "jsonl": "L", "csv.gz": "G", "jsonl.gz": "Z"}


def mine(rows: Iterable[dict[str, Any]], kind: str, t: str) -> list[dict[str, Any]]:
    key = {
        "members": "code",
        "blocs": "bloc",
        "meetings": "code",
        "resolutions": "code",
        "positions": "resolution",
    }[kind]
    ours = {item[key] for item in expected_items(t)[kind]}
    found = [dict(row) for row in rows if row[key] in ours]
    if kind == "resolutions":
        for row in found:  # no sponsors: shown as "" today; null would be as good
            row["sponsors"] = row["sponsors"] or None
    return found


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_good_files_of_every_kind_import_then_add_nothing(
    cli: Cli, module_db: str, tmp_path: Path, fmt: str
) -> None:
    t = TAGS[fmt]
    rows = good_rows(t)
    for kind in KIND_ORDER:
        path = write(tmp_path, kind, fmt, rows[kind])
        count, added, present, again = FIRST_AND_SECOND[kind]
        first = imported(cli, module_db, kind, path)
        assert (first.rows, first.added, first.present, first.created) == (
            count,
            added,
            present,
            None,
        ), kind
        assert (first.name, first.dry_run) == (str(path), False)
        second = imported(cli, module_db, kind, path)
        assert (second.rows, second.added, second.present) == (count, 0, again), kind
    for kind in KIND_ORDER:
        assert mine(items(cli, module_db, kind), kind, t) == expected_items(t)[kind], kind
    shown = tally(cli, module_db, f"RX-{t}1")  # an official vote is there: only it counts
    assert (shown["official"], shown["counts"]["yes"], shown["counts"]["lean-no"]) == (True, 1, 0)


def test_format_option_reads_a_file_without_a_known_extension(
    cli: Cli, module_db: str, tmp_path: Path
) -> None:
    rows = [
        {
            "resolution": "MOC29-ORIGINAL",
            "member": "ARG",
            "position": "no",
            "recorded_at": "2017-06-01T01:00:00Z",
            "source": "format-option",
        }
    ]
    path = tmp_path / "positions.txt"
    path.write_text(jsonl_text(rows))
    run = cli("--db", module_db, "import", "positions", str(path))
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"Error: cannot tell the format of {path}; add --format csv|json|jsonl"
    )
    got = imported(cli, module_db, "positions", path, "--format", "jsonl")
    assert (got.rows, got.added) == (1, 1)


# -- standard input ---------------------------------------------------------------------------


def stdin_rows(source: str) -> list[dict[str, Any]]:
    return [
        {
            "resolution": "MOC29-ORIGINAL",
            "member": member,
            "position": position,
            "recorded_at": f"2017-06-02T0{i}:00:00Z",
            "source": source,
            "note": "from a pipe",
        }
        for i, (member, position) in enumerate([("ARG", "yes"), ("BRA", "no"), ("CAN", "yes")])
    ]


@pytest.mark.parametrize(
    ("fmt", "make"),
    [
        ("csv", lambda rows: csv_text(rows)),
        ("jsonl", lambda rows: jsonl_text(rows)),
        ("json", lambda rows: json_text(rows)),
        ("csv", lambda rows: gzip.compress(csv_text(rows).encode(), mtime=0)),
    ],
    ids=["csv", "jsonl", "json", "csv-gzip"],
)
def test_import_from_standard_input(
    cli: Cli, module_db: str, fmt: str, make: Callable[[list[dict[str, Any]]], str | bytes]
) -> None:
    source = f"stdin-{uuid.uuid4().hex[:8]}"
    data = make(stdin_rows(source))
    run = cli("--db", module_db, "import", "positions", "-", "--format", fmt, input=data)
    got = summary(run)
    assert (got.name, got.rows, got.added, got.present) == ("<stdin>", 3, 3, 0)
    again = summary(cli("--db", module_db, "import", "positions", "-", "--format", fmt, input=data))
    assert (again.added, again.present) == (0, 3)
    ours = [p for p in items(cli, module_db, "positions") if p["source"] == source]
    assert [(p["member"], p["position"], p["note"]) for p in ours] == [
        ("ARG", "yes", "from a pipe"),
        ("BRA", "no", "from a pipe"),
        ("CAN", "yes", "from a pipe"),
    ]


def test_standard_input_needs_a_format(cli: Cli, module_db: str) -> None:
    before = support.row_counts(module_db)
    run = cli("--db", module_db, "import", "positions", "-", input="resolution,member,position\n")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "Error: cannot tell the format of standard input; add --format csv|json|jsonl"
    )
    assert support.row_counts(module_db) == before


# -- dry run, twice ---------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(cli: Cli, module_db: str, tmp_path: Path) -> None:
    positions = write(
        tmp_path,
        "positions",
        "csv",
        [
            {
                "resolution": "MOC29-ORIGINAL",
                "member": "PER",
                "position": "yes",
                "recorded_at": "2017-06-03T10:00:00Z",
                "source": "dry-run-test",
            },
            {
                "resolution": "MOC29-ORIGINAL",
                "member": "MEX",
                "position": "lean-yes",
                "recorded_at": "2017-06-03T11:00:00Z",
                "source": "dry-run-test",
            },
        ],
    )
    meetings = write(
        tmp_path,
        "meetings",
        "jsonl",
        [
            {"code": "DRY-1", "org": "DRYORG", "start": "2022-01-01"},
        ],
    )
    before = support.row_counts(module_db)
    for args, rows, added, present in [
        (("meetings", meetings), 1, 1, 0),
        (("positions", positions), 2, 2, 0),
    ]:
        dry = imported(cli, module_db, *args, "--dry-run")
        assert (dry.dry_run, dry.rows, dry.added, dry.present) == (True, rows, added, present)
        assert support.row_counts(module_db) == before
    real = imported(cli, module_db, "positions", positions)
    assert (real.dry_run, real.added, real.present) == (False, 2, 0)
    after = support.row_counts(module_db)
    assert after["position"] == before["position"] + 2
    dry = imported(cli, module_db, "positions", positions, "--dry-run")
    assert (dry.dry_run, dry.added, dry.present) == (True, 0, 2)
    again = imported(cli, module_db, "positions", positions)
    assert (again.dry_run, again.added, again.present) == (False, 0, 2)
    assert support.row_counts(module_db) == after
    assert support.query(module_db, "SELECT count(*) FROM organization WHERE code = 'DRYORG'") == [
        (0,)
    ]


# -- byte-order mark, CRLF --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_bom_and_crlf_are_accepted(cli: Cli, module_db: str, tmp_path: Path, fmt: str) -> None:
    source = f"bom-{fmt}"
    rows = [
        {
            "resolution": "MOC29-ORIGINAL",
            "member": "CHL",
            "position": "yes",
            "recorded_at": "2017-06-04T10:00:00Z",
            "source": source,
            "note": "plain",
        },
        {
            "resolution": "MOC29-ORIGINAL",
            "member": "COL",
            "position": "no",
            "recorded_at": "2017-06-04T11:00:00Z",
            "source": source,
            "note": "with, comma",
        },
    ]
    if fmt == "csv":
        text = csv_text(rows, newline="\r\n")
    elif fmt == "jsonl":
        text = jsonl_text(rows).replace("\n", "\r\n")
    else:
        text = json_text(rows).replace("\n", "\r\n")
    assert "\r\n" in text
    path = tmp_path / f"windows.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    got = imported(cli, module_db, "positions", path)
    assert (got.rows, got.added) == (2, 2)
    ours = [p for p in items(cli, module_db, "positions") if p["source"] == source]
    assert [(p["member"], p["note"]) for p in ours] == [("CHL", "plain"), ("COL", "with, comma")]


# -- --map and --value ------------------------------------------------------------------------


def test_map_and_value_read_a_foreign_file(cli: Cli, module_db: str, tmp_path: Path) -> None:
    path = tmp_path / "foreign.csv"
    path.write_text(
        "draft,iso3,alt,vote,date,comment\n"
        "MOC29-ORIGINAL,ARG,,Y,2017-06-05,map-test one\n"
        "MOC29-ORIGINAL,,BRA,n,2017-06-05,map-test two\n"  # the fallback column
        "MOC29-ORIGINAL,CAN,XXX,A,2017-06-05,map-test three\n"  # the first column wins
        "MOC29-ORIGINAL,CHL,,absent,2017-06-05,map-test four\n"  # a plain value still reads
    )
    args = [
        "--map",
        "resolution=draft",
        "--map",
        "member=iso3,alt",
        "--map",
        "position=vote",
        "--map",
        "recorded_at=date",
        "--map",
        "note=comment",
        "--value",
        "yes=Y",
        "--value",
        "no=N",
        "--value",
        "abstain=A",
        "--kind",
        "official",
    ]
    got = imported(cli, module_db, "positions", path, *args)
    assert (got.rows, got.added, got.present) == (4, 4, 0)
    ours = [
        p for p in items(cli, module_db, "positions") if (p["note"] or "").startswith("map-test")
    ]
    assert [
        (p["member"], p["position"], p["kind"], p["recorded_at"], p["analyst"], p["note"])
        for p in ours
    ] == [
        ("ARG", "yes", "official", "2017-06-05T00:00:00Z", "tester", "map-test one"),
        ("BRA", "no", "official", "2017-06-05T00:00:00Z", "tester", "map-test two"),
        ("CAN", "abstain", "official", "2017-06-05T00:00:00Z", "tester", "map-test three"),
        ("CHL", "absent", "official", "2017-06-05T00:00:00Z", "tester", "map-test four"),
    ]
    again = imported(cli, module_db, "positions", path, *args)
    assert (again.added, again.present) == (0, 4)


def test_map_of_an_unknown_field_is_refused(cli: Cli, module_db: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("resolution,member,position\n")
    run = cli("--db", module_db, "import", "positions", str(path), "--map", "colour=x")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0].startswith(
        "Error: --map colour: positions have no field 'colour'; fields: "
    )


# -- --create-missing -------------------------------------------------------------------------


def test_create_missing_makes_members_and_resolutions(
    cli: Cli, module_db: str, tmp_path: Path
) -> None:
    meeting = tmp_path / "meetings.csv"
    meeting.write_text("code,org,title,start\nUNT-1,UNT,A test session,2000-01-01\n")
    imported(cli, module_db, "meetings", meeting)
    votes = tmp_path / "votes.csv"
    votes.write_text(
        "rcid,country_code,country,vote\n"
        "CM-1,ZA,South Africa,yes\n"
        "CM-1,,Zanzibar,no\n"  # no code: the name stands for it
        "CM-2,FR,France,abstain\n"
        "CM-2,ZA,South Africa,yes\n"
    )
    args = [
        *unga_import_args("UNT-1"),
        "--rule",
        "simple",
    ]
    before = support.row_counts(module_db)
    run = cli("--db", module_db, "import", "positions", str(votes), *args, "--dry-run")
    assert run.stderr.splitlines()[0] == "Would create 3 members: ZA, ZANZIBAR, FR."
    dry = summary(run)
    assert (dry.added, dry.created) == (4, "2 resolutions and 3 members")
    assert support.row_counts(module_db) == before
    got = imported(cli, module_db, "positions", votes, *args)
    assert (got.rows, got.added, got.present, got.created) == (
        4,
        4,
        0,
        "2 resolutions and 3 members",
    )
    shown = json.loads(
        ok(cli("--db", module_db, "resolution", "show", "CM-1", "--format", "json")).stdout
    )
    assert (shown["meeting"], shown["rule"], shown["eligible"]) == ("UNT-1", "simple", 3)
    member = json.loads(
        ok(cli("--db", module_db, "member", "show", "ZANZIBAR", "--format", "json")).stdout
    )
    assert member["name"] == "Zanzibar"
    counts = tally(cli, module_db, "CM-2")
    assert (counts["counts"]["yes"], counts["counts"]["abstain"], counts["counts"]["unknown"]) == (
        1,
        1,
        1,
    )
    assert counts["verdict"] == "passes"
    again = imported(cli, module_db, "positions", votes, *args)
    assert (again.added, again.present, again.created) == (0, 4, None)


# -- CSV formula defusing ---------------------------------------------------------------------

FORMULAS = ["=SUM(A1:A9)", "-5 votes", "@channel", "+1 yes", '=HYPERLINK("http://x")']


def test_csv_export_defuses_formulas_and_import_restores_them(
    cli: Cli, module_db: str, seeded_like: Callable[[str], str], tmp_path: Path
) -> None:
    members = ["ARG", "BRA", "CAN", "CHL", "COL"]
    for i, (member, text) in enumerate(zip(members, FORMULAS, strict=True)):
        ok(
            cli(
                "--db",
                module_db,
                "vote",
                "MOC29-ORIGINAL",
                "undecided",
                member,
                f"--note={text}",
                f"--source={text}",
                f"--at=2017-06-06T0{i}:00:00Z",
            )
        )
    text = exported(cli, module_db, "positions", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    ours = [row for row in rows if row["source"].lstrip("'") in FORMULAS]
    assert len(ours) == len(FORMULAS)
    for row in ours:
        assert row["note"].startswith("'") and row["note"][1:] in FORMULAS
        assert row["source"] == row["note"]
    # Re-import just those rows: the defused cells must read back as the original text, so
    # every row is already present (the note and source are part of what makes a row the same).
    path = tmp_path / "defused.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(ours)
    before = exported(cli, module_db, "positions")
    got = imported(cli, module_db, "positions", path)
    assert (got.rows, got.added, got.present) == (5, 0, 5)
    assert exported(cli, module_db, "positions") == before
    # And into a fresh database: the notes and sources there are the original text.
    fresh = seeded_like(module_db)
    got = imported(cli, fresh, "positions", path)
    assert (got.rows, got.added, got.present) == (5, 5, 0)
    restored = [
        (p["member"], p["note"], p["source"])
        for p in items(cli, fresh, "positions")
        if p["resolution"] == "MOC29-ORIGINAL"
    ]
    assert restored == [(m, text, text) for m, text in zip(members, FORMULAS, strict=True)]


# -- round trips ------------------------------------------------------------------------------


def enrich(cli: Cli, db: str, tmp_path: Path) -> None:
    """More than the seed: projections with confidences, awkward notes, a new member and bloc."""
    for i, (member, position, extra) in enumerate(
        [
            ("HTI", "lean-yes", ["--confidence", "0.35", "--note", 'café, "quoted"\nline two']),
            ("DOM", "undecided", ["--source", "delegation call", "--note", "«guillemets» ☕"]),
            ("ECU", "lean-no", ["--confidence", "80%", "--note=-not a formula? =1+1"]),
            ("BRB", "yes", ["--official", "--confidence", "1"]),
        ]
    ):
        ok(
            cli(
                "--db",
                db,
                "vote",
                "MOC29-COMPROMISE",
                position,
                member,
                f"--at=2017-06-1{i}T12:34:56.789Z",
                *extra,
            )
        )
    members = tmp_path / "more-members.csv"
    members.write_text(
        "code,name,org,status,start\nXRT,Round Trip Republic,OAS,active,2018-01-01\n"
    )
    imported(cli, db, "members", members)
    blocs = tmp_path / "more-blocs.jsonl"
    blocs.write_text('{"bloc": "RTB", "name": "Round trip bloc", "member": "XRT"}\n')
    imported(cli, db, "blocs", blocs)
    # A mistake undone, and a corrected resolution: the history of both travels too.
    ok(cli("--db", db, "vote", "MOC29-CARICOM", "no", "HTI", "--at=2017-06-19T09:00:00Z"))
    ok(cli("--db", db, "vote", "MOC29-CARICOM", "yes", "HTI", "--official", "--at=2017-06-19T10"))
    ok(cli("--db", db, "retract", "MOC29-CARICOM", "HTI", "--note", "wrong «draft»"))
    ok(cli("--db", db, "resolution", "set", "MOC29-CARICOM", "--title", "Corrected", "-s", "ATG"))


def test_snapshot_round_trip_gives_the_same_bytes(
    cli: Cli, seeded_db: str, make_db: Callable[[bool], str], tmp_path: Path
) -> None:
    enrich(cli, seeded_db, tmp_path)
    first = exported(cli, seeded_db, "snapshot", "json")
    path = tmp_path / "snapshot.json"
    ok(cli("--db", seeded_db, "export", "snapshot", "-o", str(path)))
    assert path.read_text() == first
    empty = make_db(False)
    ok(cli("--db", empty, "init", "--no-seed"))
    got = imported(cli, empty, "snapshot", path)
    assert got.added > 0 and got.present == 0
    assert exported(cli, empty, "snapshot", "json") == first
    again = imported(cli, empty, "snapshot", path)
    assert (again.added, again.present) == (0, got.added)
    assert exported(cli, empty, "snapshot", "json") == first


@pytest.mark.postgres
def test_snapshot_moves_between_back_ends_unchanged(
    cli: Cli, sqlite_template: Path, tmp_path: Path, pg_database: Callable[..., str]
) -> None:
    source = tmp_path / "source.db"
    shutil.copyfile(sqlite_template, source)
    enrich(cli, str(source), tmp_path)
    first = tmp_path / "from-sqlite.json"
    ok(cli("--db", str(source), "export", "snapshot", "-o", str(first)))
    postgres = pg_database(None)
    ok(cli("--db", postgres, "init", "--no-seed"))
    imported(cli, postgres, "snapshot", first)
    second = tmp_path / "from-postgresql.json"
    ok(cli("--db", postgres, "export", "snapshot", "-o", str(second)))
    assert second.read_bytes() == first.read_bytes()
    back = tmp_path / "back.db"
    ok(cli("--db", str(back), "init", "--no-seed"))
    imported(cli, str(back), "snapshot", second)
    assert exported(cli, str(back), "snapshot", "json").encode() == first.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_kind_by_kind_exports_rebuild_the_tally(
    cli: Cli, seeded_db: str, make_db: Callable[[bool], str], tmp_path: Path, fmt: str
) -> None:
    """members, blocs, meetings, resolutions, positions exported and imported into an empty
    schema give the same tally (and the same positions, byte for byte)."""
    enrich(cli, seeded_db, tmp_path)
    target = make_db(False)
    ok(cli("--db", target, "init", "--no-seed"))
    for kind in KIND_ORDER:
        path = tmp_path / f"{kind}.{fmt}"
        ok(cli("--db", seeded_db, "export", kind, "-o", str(path)))
        imported(cli, target, kind, path)
    for resolution in ("MOC29-COMPROMISE", "MOC29-CARICOM", "MOC29-ORIGINAL"):
        assert tally(cli, target, resolution) == tally(cli, seeded_db, resolution), resolution
    assert exported(cli, target, "positions") == exported(cli, seeded_db, "positions")
    assert exported(cli, target, "positions", "csv") == exported(cli, seeded_db, "positions", "csv")


# -- round trips of awkward text (SQLite: the text handling does not depend on the back end) --


@pytest.fixture
def seeded_sqlite(sqlite_template: Path, tmp_path: Path) -> Callable[[], str]:
    def make() -> str:
        path = tmp_path / f"rt-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(sqlite_template, path)
        return str(path)

    return make


AWKWARD = [
    "'=not a formula",  # starts with a quote, then a formula character
    "''=two quotes",
    "'tis a plain quote",
    " leading space",
    "trailing space ",
    "trailing newline\n",
    "\nleading newline",
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "snapshot"])
def test_awkward_notes_survive_a_round_trip(
    cli: Cli, seeded_sqlite: Callable[[], str], tmp_path: Path, fmt: str
) -> None:
    """Whatever `vote` stores of a note, exporting and importing it must not change it."""
    source = seeded_sqlite()
    for i, text in enumerate(AWKWARD):
        ok(
            cli(
                "--db",
                source,
                "vote",
                "MOC29-ORIGINAL",
                "yes",
                "ARG",
                f"--note={text}",
                "--source=awkward",
                f"--at=2017-06-07T0{i}:00:00Z",
            )
        )
    kind = "snapshot" if fmt == "snapshot" else "positions"
    path = tmp_path / f"out.{'json' if fmt == 'snapshot' else fmt}"
    ok(cli("--db", source, "export", kind, "-o", str(path)))
    target = seeded_sqlite()
    got = imported(cli, target, kind, path)
    assert got.added > 0

    def notes(db: str) -> list[str | None]:
        return [p["note"] for p in items(cli, db, "positions") if p["source"] == "awkward"]

    assert notes(target) == notes(source)
    assert exported(cli, target, "positions") == exported(cli, source, "positions")
    # And back into the database it came from: all present, nothing added.
    again = imported(cli, source, kind, path)
    assert again.added == 0


# -- hypothesis: random positions, exported and imported, export the same --------------------

ELIGIBLE = [
    "ARG",
    "ATG",
    "BHS",
    "BLZ",
    "BOL",
    "BRA",
    "BRB",
    "CAN",
    "CHL",
    "COL",
    "CRI",
    "DMA",
    "DOM",
    "ECU",
    "GRD",
    "GTM",
    "GUY",
    "HND",
    "HTI",
    "JAM",
    "KNA",
    "LCA",
    "MEX",
    "NIC",
    "PAN",
    "PER",
    "PRY",
    "SLV",
    "SUR",
    "TTO",
    "URY",
    "USA",
    "VCT",
    "VEN",
]
POSITION_NAMES = ["yes", "lean-yes", "undecided", "lean-no", "no", "abstain", "absent"]

note_text = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["", "=", "-", "+", "@", "'", "'=", "\t", " ", '"', ","]),
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\"',;"
            ),
            max_size=20,
        ),
    )
    .map(lambda pair: pair[0] + pair[1])
    .filter(lambda text: text != ""),
)
position_entry = st.tuples(
    st.sampled_from(ELIGIBLE),
    st.sampled_from(POSITION_NAMES),
    st.booleans(),  # official
    st.one_of(st.none(), st.integers(0, 100).map(lambda n: n / 100)),
    note_text,
    st.sampled_from(["MOC29-COMPROMISE", "MOC29-CARICOM", "MOC29-ORIGINAL"]),
)


@settings(
    max_examples=10,
    deadline=None,
    # No shrinking: an example costs a second of CLI calls; a failure is printed as found (the
    # awkward-notes test above gives the small cases).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(position_entry, min_size=1, max_size=6))
def test_random_positions_survive_csv_and_jsonl_round_trips(
    cli: Cli, sqlite_template: Path, tmp_path: Path, entries: list[tuple[Any, ...]]
) -> None:
    folder = tmp_path / uuid.uuid4().hex[:8]
    folder.mkdir()

    def fresh(name: str) -> str:
        path = folder / name
        shutil.copyfile(sqlite_template, path)
        return str(path)

    source = fresh("source.db")
    for i, (member, position, official, confidence, note, resolution) in enumerate(entries):
        args = [
            "--db",
            source,
            "vote",
            resolution,
            position,
            member,
            f"--at=2017-06-18T10:{i:02d}:00Z",
            "--source=hypothesis",
        ]
        if official and position in ("yes", "no", "abstain", "absent"):
            args.append("--official")  # leans and undecided are projections only
        if confidence is not None:
            args.append(f"--confidence={confidence}")
        if note is not None:
            args.append(f"--note={note}")
        ok(cli(*args))
    expected = exported(cli, source, "positions")
    for fmt in ("csv", "jsonl"):
        path = folder / f"positions.{fmt}"
        ok(cli("--db", source, "export", "positions", "-o", str(path)))
        target = fresh(f"target-{fmt}.db")
        got = imported(cli, target, "positions", path)
        assert (got.rows, got.added, got.present) == (34 + len(entries), len(entries), 34), fmt
        assert exported(cli, target, "positions") == expected, fmt
        assert exported(cli, target, "positions", fmt) == path.read_text(), fmt
