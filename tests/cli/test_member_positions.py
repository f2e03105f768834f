"""`oastrack member positions CODE`: where one member stands on every resolution, by the rule
the tally counts with, newest meeting first; filtered by meeting and date, cut by --limit."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import pytest

from oastrack.store import records
from tests.conftest import Run
from tests.store.test_queries import statements

Cli = Callable[..., Run]
COMPROMISE = "MOC29-COMPROMISE"
HEADER = "resolution,meeting,meeting_date,position,kind,confidence,recorded_at,analyst"


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def run_ok(cli: Cli, db: str, *args: str) -> Run:
    return ok(cli("--db", db, *args))


def listed(cli: Cli, db: str, *args: str) -> list[dict[str, Any]]:
    found = json.loads(run_ok(cli, db, "member", "positions", *args, "--format", "json").stdout)
    assert isinstance(found, list)
    return found


def csv_lines(cli: Cli, db: str, *args: str) -> list[str]:
    return run_ok(cli, db, "member", "positions", *args, "--format", "csv").stdout.splitlines()


@pytest.fixture
def working_days(cli: Cli, seeded_db: str) -> str:
    """The seed, and a 2024 meeting: ARG changes its mind there, and at GA-47 in 2017 it has
    a projection on two drafts, one of which then got an official vote without ARG in it."""
    for command in [
        "meeting add PC-2024 --org OAS --start 2024-07-31",
        "resolution add PC-2024-VEN --meeting PC-2024 --title Elections",
        "resolution add GA47-A --meeting GA-47 --title A",
        "resolution add GA47-B --meeting GA-47 --title B",
        "vote PC-2024-VEN no ARG --at 2024-07-30T09:00",
        "vote PC-2024-VEN lean-yes ARG --confidence 0.7 --at 2024-07-30T15:00",
        "vote GA47-A yes ARG --at 2017-06-18T10:00 --source call",
        "vote GA47-B yes ARG USA --at 2017-06-18T10:00",
        "vote GA47-B no USA --official --at 2017-06-21T16:00",
        # an old vote recorded late: it still lists under its 2017 meeting
        "--analyst ana vote MOC29-CARICOM no ARG --official --at 2025-01-02",
    ]:
        run_ok(cli, seeded_db, *shlex.split(command))
    return seeded_db


def test_the_founding_vote_of_one_member(cli: Cli, seeded_db: str) -> None:
    assert csv_lines(cli, seeded_db, "VEN") == [
        HEADER,
        "MOC29-COMPROMISE,MOC-29,2017-06-19,absent,official,,2017-06-19T00:00:00Z,oastrack seed",
    ]
    table = [
        line.rstrip()
        for line in run_ok(cli, seeded_db, "member", "positions", "VEN").stdout.splitlines()
    ]
    assert table[0] == "Positions of VEN"
    # the table fits 100 columns: the meeting's date is in JSON and CSV only
    assert table[1:4] == [
        "Resolution        Meeting  Position  Kind      Conf.  Time (UTC)            Analyst",
        "─" * 89,
        "MOC29-COMPROMISE  MOC-29   absent    official         2017-06-19T00:00:00Z  oastrack seed",
    ]
    assert len([line for line in table if line.strip()]) == 4


def test_newest_meeting_first_and_the_tallys_record(cli: Cli, working_days: str) -> None:
    assert csv_lines(cli, working_days, "ARG") == [
        HEADER,
        "PC-2024-VEN,PC-2024,2024-07-31,lean-yes,projection,0.7,2024-07-30T15:00:00Z,tester",
        # the same day: GA-47 before MOC-29, then by code
        "GA47-A,GA-47,2017-06-19,yes,projection,,2017-06-18T10:00:00Z,tester",
        # USA's official vote decides GA47-B: ARG's projection no longer counts
        "GA47-B,GA-47,2017-06-19,unknown,,,,",
        "MOC29-CARICOM,MOC-29,2017-06-19,no,official,,2025-01-02T00:00:00Z,ana",
        "MOC29-COMPROMISE,MOC-29,2017-06-19,yes,official,,2017-06-19T00:00:00Z,oastrack seed",
    ]


@pytest.mark.parametrize("member", ["ARG", "USA", "ATG", "VEN"])
def test_each_position_is_the_one_the_tally_counts(
    cli: Cli, working_days: str, member: str
) -> None:
    found = {row["resolution"]: row["position"] for row in listed(cli, working_days, member)}
    assert found
    for resolution, position in found.items():
        tally = json.loads(
            run_ok(cli, working_days, "tally", resolution, "--format", "json").stdout
        )
        stances = {m["code"]: m["position"] for m in tally["members"]}
        assert stances[member] == position, resolution


def test_filters_by_meeting_and_date_and_limits(cli: Cli, working_days: str) -> None:
    def resolutions(*args: str) -> list[str]:
        return [row["resolution"] for row in listed(cli, working_days, "ARG", *args)]

    assert resolutions("--meeting", "GA-47") == ["GA47-A", "GA47-B"]
    assert resolutions("--meeting", "ga-47", "--limit", "1") == ["GA47-A"]
    assert resolutions("--since", "2017-06-20") == ["PC-2024-VEN"]
    assert resolutions("--since", "2017-06-19", "--limit", "3") == [
        "PC-2024-VEN",
        "GA47-A",
        "GA47-B",
    ]
    assert resolutions("--meeting", "PC-2024", "--since", "2025-01-01") == []
    assert resolutions("--limit", "100") == [
        "PC-2024-VEN",
        "GA47-A",
        "GA47-B",
        "MOC29-CARICOM",
        COMPROMISE,
    ]


def test_nothing_to_list(cli: Cli, working_days: str) -> None:
    cuba = cli("--db", working_days, "member", "positions", "CUB")
    assert (cuba.exit_code, cuba.stdout, cuba.stderr) == (0, "", "No positions logged for CUB.\n")
    since = cli("--db", working_days, "member", "positions", "ARG", "--since", "2030-01-01")
    assert since.stderr == "No positions logged for ARG at meetings since 2030-01-01.\n"
    assert listed(cli, working_days, "CUB") == []


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["XXX"], "Error: no member 'XXX'", "Hint: see: oastrack member list"),
        (
            ["ARG", "--meeting", "NOPE"],
            "Error: no meeting 'NOPE'",
            "Hint: see: oastrack meeting list",
        ),
    ],
)
def test_an_unknown_member_or_meeting(
    cli: Cli, seeded_db: str, args: list[str], message: str, hint: str
) -> None:
    run = cli("--db", seeded_db, "member", "positions", *args)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.splitlines() == [message, hint]


def test_a_since_that_is_not_a_date(cli: Cli, seeded_db: str) -> None:
    run = cli("--db", seeded_db, "member", "positions", "ARG", "--since", "June")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.startswith("Error: 'June' is not a date")


def test_one_query_however_many_resolutions(cli: Cli, seeded_db: str) -> None:
    def work(db: Any) -> object:
        return records.member_positions(db, "ARG")

    before = statements(seeded_db, work)
    for index in range(6):
        run_ok(
            cli, seeded_db, "resolution", "add", f"XR{index}", "--meeting", "GA-47", "--title", "t"
        )
        run_ok(cli, seeded_db, "vote", f"XR{index}", "yes", "ARG", "--at", "2017-06-18")
        run_ok(cli, seeded_db, "vote", f"XR{index}", "no", "ARG", "--at", "2017-06-18T12:00")
    assert statements(seeded_db, work) == before <= 2  # the member, then its positions
    assert len(listed(cli, seeded_db, "ARG")) == 7
