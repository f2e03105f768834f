"""--set fills what a file does not say; a whole-import problem stops at its first row."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Cli = Callable[..., Run]

ROLL_CALLS = (
    "rcid,session,date,short\n101,1,1946-01-10,FIRST\n102,1,1946-02-01,\n201,2,1947-09-16,SECOND\n"
)
VOTES = "rcid,country_code,vote\n101,AA,yes\n101,BB,no\n102,AA,abstain\n201,BB,yes\n"


def test_sessions_roll_calls_and_votes_from_files_as_published(
    cli: Cli, empty_db: str, tmp_path: Path
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text(ROLL_CALLS)
    votes = tmp_path / "votes.csv"
    votes.write_text(VOTES)
    db = empty_db
    assert cli("--db", db, "init", "--no-seed").exit_code == 0
    meetings = cli(
        "--db",
        db,
        "import",
        "meetings",
        str(calls),
        "--map",
        "code=session",
        "--map",
        "start=date",
        "--set",
        "org=UN",
        "--set",
        "rule=simple",
    )
    assert meetings.exit_code == 0, meetings.stderr
    assert "3 rows read" in meetings.stderr
    assert "2 meetings added, none already present" in meetings.stderr  # 2 sessions, 3 rows
    listed = json.loads(cli("--db", db, "meeting", "list", "--format", "json").stdout)
    assert [(m["code"], m["start"], m["rule"]) for m in listed] == [
        ("1", "1946-01-10", "simple"),
        ("2", "1947-09-16", "simple"),
    ]
    resolutions = cli(
        "--db",
        db,
        "import",
        "resolutions",
        str(calls),
        "--map",
        "code=rcid",
        "--map",
        "meeting=session",
        "--map",
        "title=short,rcid",
    )
    assert resolutions.exit_code == 0, resolutions.stderr
    shown = json.loads(cli("--db", db, "resolution", "show", "102", "--format", "json").stdout)
    assert (shown["title"], shown["rule"], shown["meeting"]) == ("102", "simple", "1")
    imported = cli(
        "--db",
        db,
        "import",
        "positions",
        str(votes),
        "--map",
        "resolution=rcid",
        "--map",
        "member=country_code",
        "--map",
        "position=vote",
        "--kind",
        "official",
        "--create-missing",
    )
    assert imported.exit_code == 0, imported.stderr
    tally = json.loads(cli("--db", db, "tally", "101", "--format", "json").stdout)
    assert (tally["counts"]["yes"], tally["counts"]["no"], tally["verdict"]) == (1, 1, "fails")


def test_set_names_only_fields_of_the_kind(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(VOTES)
    result = cli("--db", seeded_db, "import", "positions", str(votes), "--set", "colour=red")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "Error: --set colour: positions have no field 'colour'; fields: "
    )


def test_create_missing_without_a_meeting_stops_at_the_first_row(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(VOTES)
    result = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(votes),
        "--map",
        "resolution=rcid",
        "--map",
        "member=country_code",
        "--map",
        "position=vote",
        "--create-missing",
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{votes}:2: unknown resolution '101': --create-missing needs --meeting CODE to put new "
        "resolutions in",
        "Error: 1 problem; nothing was imported",
    ]
