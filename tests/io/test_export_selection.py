"""`export positions --resolution RES --meeting M`: the records of some resolutions only, each
option repeatable, the records on any of them; an unknown code writes nothing; what is
exported imports back."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]
HEADER = "resolution,member,position,kind,recorded_at,analyst,confidence,source,note"
REGISTER = [
    "meeting add PC-2024 --org OAS --start 2024-07-31",
    "resolution add PC-2024-VEN --meeting PC-2024 --title Elections",
    "resolution add GA47-A --meeting GA-47 --title A",
]
VOTES = [
    "vote PC-2024-VEN lean-yes ARG --confidence 0.7 --at 2024-07-30T15:00 --source call",
    "vote PC-2024-VEN no BRA --at 2024-07-30T16:00",
    'vote GA47-A yes USA --at 2017-06-18T10:00 --note "by phone"',
]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def run_all(cli: Cli, db: str, commands: list[str]) -> None:
    for command in commands:
        ok(cli("--db", db, *shlex.split(command)))


def export_lines(cli: Cli, db: str, *args: str) -> list[str]:
    return ok(cli("--db", db, "export", "positions", *args)).stdout.splitlines()


@pytest.fixture
def logged(cli: Cli, seeded_db: str) -> str:
    run_all(cli, seeded_db, REGISTER + VOTES)
    return seeded_db


@pytest.fixture
def registered(backend: str, tmp_path: Path, request: pytest.FixtureRequest, cli: Cli) -> str:
    """A second seeded database on the same back end, with the same resolutions, no votes."""
    if backend == "sqlite":
        path = tmp_path / "second.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        target = str(path)
    else:
        make = request.getfixturevalue("pg_database")
        target = str(make(request.getfixturevalue("pg_template")))
    run_all(cli, target, REGISTER)
    return target


def test_one_resolution(cli: Cli, logged: str) -> None:
    assert export_lines(cli, logged, "--resolution", "PC-2024-VEN") == [
        HEADER,
        "PC-2024-VEN,ARG,lean-yes,projection,2024-07-30T15:00:00Z,tester,0.7,call,",
        "PC-2024-VEN,BRA,no,projection,2024-07-30T16:00:00Z,tester,,,",
    ]


def test_meetings_and_resolutions_repeated_and_together(cli: Cli, logged: str) -> None:
    ga47 = "GA47-A,USA,yes,projection,2017-06-18T10:00:00Z,tester,,,by phone"
    assert export_lines(cli, logged, "--meeting", "GA-47") == [HEADER, ga47]
    moc29 = export_lines(cli, logged, "--meeting", "moc-29")  # codes as typed, in capitals
    assert len(moc29) == 1 + 34 and {line.split(",")[0] for line in moc29[1:]} == {
        "MOC29-COMPROMISE"
    }
    # the records on any resolution named or at any meeting named, each once
    both = export_lines(
        cli, logged, "--meeting", "GA-47", "--resolution", "PC-2024-VEN", "--meeting", "GA-47"
    )
    assert both == [HEADER, ga47, *export_lines(cli, logged, "--resolution", "PC-2024-VEN")[1:]]
    repeated = export_lines(
        cli, logged, "--resolution", "GA47-A", "--resolution", "MOC29-COMPROMISE", "-f", "jsonl"
    )
    assert len(repeated) == 1 + 34
    nothing = ok(cli("--db", logged, "export", "positions", "--resolution", "MOC29-CARICOM"))
    assert nothing.stdout == HEADER + "\n"


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ["--resolution", "GA47-A", "--resolution", "NOPE"],
            ["Error: no resolution 'NOPE'", "Hint: see: oastrack resolution list"],
        ),
        (
            ["--meeting", "GA-48"],
            ["Error: no meeting 'GA-48'", "Hint: see: oastrack meeting list"],
        ),
    ],
)
def test_an_unknown_code_writes_nothing(
    cli: Cli, logged: str, tmp_path: Path, args: list[str], lines: list[str]
) -> None:
    run = cli("--db", logged, "export", "positions", *args)
    assert (run.exit_code, run.stdout, run.stderr.splitlines()) == (1, "", lines)
    folder = tmp_path / "out"
    folder.mkdir()
    to_file = cli("--db", logged, "export", "positions", *args, "-o", str(folder / "votes.csv"))
    assert (to_file.exit_code, to_file.stderr.splitlines()) == (1, lines)
    assert list(folder.iterdir()) == []  # no file, no temporary file left


def test_the_choice_is_for_positions(cli: Cli, logged: str) -> None:
    run = cli("--db", logged, "export", "members", "--resolution", "GA47-A")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.splitlines() == [
        "Error: --resolution and --meeting choose positions: "
        "oastrack export positions --resolution RES --meeting M"
    ]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_chosen_export_imports_back(
    cli: Cli, logged: str, registered: str, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"chosen.{fmt}"
    args = ["--meeting", "PC-2024", "--resolution", "GA47-A"]
    done = ok(cli("--db", logged, "export", "positions", *args, "-o", str(path)))
    assert done.stderr == f"Exported 3 positions to {path}.\n"
    back = ok(cli("--db", registered, "import", "positions", str(path)))
    assert "3 positions added" in back.stderr
    for resolution in ("PC-2024-VEN", "GA47-A"):
        assert export_lines(cli, registered, "--resolution", resolution) == export_lines(
            cli, logged, "--resolution", resolution
        )
    again = ok(cli("--db", registered, "export", "positions", *args, "-f", fmt)).stdout
    assert again == path.read_text(encoding="utf-8")
    tallies = [
        ok(cli("--db", db, "tally", "PC-2024-VEN", "--format", "json")).stdout
        for db in (logged, registered)
    ]
    assert tallies[0] == tallies[1]
