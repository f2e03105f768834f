"""Values validated at the edge: times and dates within 1900-2100, no time in the future, counts
the schema holds, text that both back ends store, plain codes, bounded JSON nesting. Each is one
clear line and nothing written, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support import row_counts

Cli = Callable[..., Run]
NEW_RESOLUTION = ("resolution", "add", "R-BIG", "--meeting", "MOC-29", "--title", "t")


def refused(cli: Cli, db: str, *args: str) -> list[str]:
    """Run a command that must be refused with exit 1 and leave every row as it was."""
    before = row_counts(db)
    run = cli("--db", db, *args)
    assert run.exit_code == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout
    assert row_counts(db) == before
    return run.stderr.splitlines()


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (
            ("vote", "MOC29-COMPROMISE", "yes", "ARG", "--at", "9999-12-31T23:00-05:00"),
            "Error: time '9999-12-31T23:00-05:00' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("vote", "MOC29-COMPROMISE", "yes", "ARG", "--at", "1900-01-01T00:30+01:00"),
            "Error: time '1900-01-01T00:30+01:00' is outside 1900-01-01 to 2100-12-31 in UTC",
        ),
        (
            ("tally", "MOC29-COMPROMISE", "--as-of", "0001-01-01T00:00+01:00"),
            "Error: time '0001-01-01T00:00+01:00' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("align", "ARG", "BRA", "--since", "2101-01-01"),
            "Error: date '2101-01-01' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("member", "list", "--at", "1899-12-31"),
            "Error: date '1899-12-31' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("meeting", "add", "M-OLD", "--org", "OAS", "--start", "1899-12-31"),
            "Error: date '1899-12-31' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("member", "add", "ZZZ", "--name", "Z", "--org", "OAS", "--start", "0001-01-01"),
            "Error: date '0001-01-01' is outside 1900-01-01 to 2100-12-31",
        ),
        (
            (*NEW_RESOLUTION, "--required", "99999999999999999999"),
            "Error: required '99999999999999999999' is too large: at most 2,147,483,647",
        ),
        (
            (*NEW_RESOLUTION, "--denominator", "2147483648"),
            "Error: denominator 2147483648 is too large: at most 2,147,483,647",
        ),
        (
            ("member", "add", "\u0410RG", "--name", "Cyrillic A", "--org", "OAS"),
            "Error: '\\u0410RG' is not a code: use ASCII letters, digits, '.', '_' and '-'",
        ),
        (
            ("member", "add", "=CMD", "--name", "Formula", "--org", "OAS"),
            "Error: '=CMD' is not a code: a code cannot start with =, +, - or @",
        ),
        (
            ("bloc", "add", "A B", "--name", "Spaced"),
            "Error: 'A B' is not a code: use ASCII letters, digits, '.', '_' and '-'",
        ),
        (
            ("meeting", "add", "M" * 33, "--org", "OAS", "--start", "2020-01-01"),
            f"Error: '{'M' * 33}' is not a code: a code has at most 32 characters",
        ),
        (
            ("vote", "MOC29-COMPROMISE", "yes", "ARG", "--note", "bad \udcff byte"),
            "Error: the argument 'bad \\udcff byte' is not valid text (not UTF-8, or holds NUL)",
        ),
    ],
)
def test_out_of_range_values_are_one_error_line(
    cli: Cli, seeded_db: str, args: tuple[str, ...], first: str
) -> None:
    assert refused(cli, seeded_db, *args)[0] == first


def test_a_vote_in_the_future_is_refused(cli: Cli, seeded_db: str) -> None:
    lines = refused(cli, seeded_db, "vote", "MOC29-COMPROMISE", "yes", "ARG", "--at", "2099-01-01")
    assert lines[0].startswith("Error: 2099-01-01T00:00:00Z is in the future (it is now ")


def _import(cli: Cli, db: str, kind: str, path: Path) -> list[str]:
    return refused(cli, db, "import", kind, str(path))


def test_a_21_digit_required_in_a_csv_is_a_row_problem(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    path = tmp_path / "res.csv"
    path.write_text(
        "code,meeting,title,required\nR-1,MOC-29,t,99999999999999999999\nR-2,MOC-29,t,2147483648\n"
    )
    assert _import(cli, seeded_db, "resolutions", path)[:2] == [
        f"{path}:2: required '99999999999999999999' is too large: at most 2,147,483,647",
        f"{path}:3: required 2147483648 is too large: at most 2,147,483,647",
    ]


def test_a_future_recorded_at_in_a_positions_file(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "resolution,member,position,recorded_at\n"
        "MOC29-COMPROMISE,ARG,yes,2090-01-01T00:00Z\n"
        "MOC29-COMPROMISE,ARG,yes,9999-12-31T23:00-05:00\n"
    )
    lines = _import(cli, seeded_db, "positions", path)
    assert lines[0].startswith(f"{path}:2: 2090-01-01T00:00:00Z is in the future (it is now ")
    assert lines[1] == (
        f"{path}:3: time '9999-12-31T23:00-05:00' is outside 1900-01-01 to 2100-12-31"
    )


@pytest.mark.parametrize(
    ("escape", "shown"),
    [("\\ud800", "a lone surrogate (\\ud800)"), ("\\u0000", "a NUL character")],
)
def test_json_text_that_no_database_stores(
    cli: Cli, seeded_db: str, tmp_path: Path, escape: str, shown: str
) -> None:
    row = (
        '{"resolution": "MOC29-COMPROMISE", "member": "ARG", "position": "yes", '
        f'"note": "a{escape}b"}}'
    )
    array = tmp_path / "p.json"
    array.write_text(f"[\n{row}\n]\n")
    lines = tmp_path / "p.jsonl"
    lines.write_text(row + "\n")
    assert _import(cli, seeded_db, "positions", array)[0] == (
        f"{array}:2: note holds {shown}, which cannot be stored"
    )
    assert _import(cli, seeded_db, "positions", lines)[0] == (
        f"{lines}:1: note holds {shown}, which cannot be stored"
    )


def _snapshot(path: Path, **sections: object) -> Path:
    path.write_text(json.dumps({"oastrack_snapshot": 1, **sections}))
    return path


def test_snapshot_values_are_checked(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    _snapshot(
        path,
        members=[{"code": "ZZA", "name": "N\u0000ul"}],
        resolutions=[{"code": "R-X", "meeting": "MOC-29", "title": "t", "required": 2**31}],
        positions=[
            {
                "resolution": "MOC29-COMPROMISE",
                "member": "ARG",
                "position": "yes",
                "recorded_at": "2099-06-19",
            }
        ],
    )
    lines = _import(cli, seeded_db, "snapshot", path)
    assert lines[0] == f"{path}:1: name holds a NUL character, which cannot be stored"
    assert lines[1] == f"{path}:1: required 2147483648 is too large: at most 2,147,483,647"
    assert lines[2].startswith(f"{path}:1: 2099-06-19T00:00:00Z is in the future")


def test_a_snapshot_nested_100000_deep(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"oastrack_snapshot": 1, "members": [' + "[" * 100_000 + "]" * 100_000 + "]}")
    assert _import(cli, seeded_db, "snapshot", path)[0] == (
        f"{path}:1: malformed JSON: nested too deeply"
    )
    array = tmp_path / "deep-array.json"
    array.write_text('[{"resolution": ' + "[" * 100_000 + "]" * 100_000 + "}]")
    assert _import(cli, seeded_db, "positions", array)[0] == (
        f"{array}:1: malformed JSON: nested too deeply"
    )


def test_codes_in_a_file_must_be_plain(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("code,name,org\n\u0410RG,Cyrillic,OAS\n=CMD,Formula,OAS\n")
    assert _import(cli, seeded_db, "members", path)[:2] == [
        f"{path}:2: '\\u0410RG' is not a code: use ASCII letters, digits, '.', '_' and '-'",
        f"{path}:3: '=CMD' is not a code: a code cannot start with =, +, - or @",
    ]


def test_a_code_mapped_from_a_name_is_made_a_code(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("iso,country\n,Yemen Arab Republic\nZZB,Zed\n")
    run = cli(
        "--db",
        seeded_db,
        "import",
        "members",
        str(path),
        "--map",
        "code=iso,country",
        "--map",
        "name=country",
        "--set",
        "org=UNX",
    )
    assert run.exit_code == 0, run.stderr
    shown = cli("--db", seeded_db, "member", "show", "YEMEN-ARAB-REPUBLIC", "--format", "json")
    assert json.loads(shown.stdout)["name"] == "Yemen Arab Republic"
