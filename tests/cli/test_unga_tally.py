"""UN General Assembly roll calls tally to the data's own counts under the `simple` rule.

About 25 roll calls spread over 1946-2019 (every 250th), built into a fresh database through the
store layer, then counted by `oastrack tally`.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from oastrack.core.positions import Kind, Position
from oastrack.core.rules import RuleName
from oastrack.store import meetings as meeting_store
from oastrack.store import members as member_store
from oastrack.store import positions as position_store
from oastrack.store import resolutions as resolution_store
from oastrack.store.db import Database, parse_target
from tests.conftest import Run, need_unga

Cli = Callable[..., Run]

EVERY = 250
POSITIONS = {"yes": Position.YES, "no": Position.NO, "abstain": Position.ABSTAIN}


def chosen_roll_calls(unga: Path) -> dict[int, date]:
    """Every 250th distinct roll call, oldest first, with its date."""
    with gzip.open(unga / "un_roll_calls.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        dates = {
            int(row["rcid"]): date.fromisoformat(row["date"]) for row in csv.DictReader(handle)
        }
    rcids = sorted(dates)
    return {rcid: dates[rcid] for rcid in rcids[::EVERY]}


def read_votes(
    unga: Path, rcids: set[int]
) -> tuple[dict[int, list[tuple[str, str]]], dict[str, str]]:
    """(member code, vote) per roll call, and the name of every member code seen."""
    wanted = {str(rcid) for rcid in rcids}
    with gzip.open(unga / "un_votes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        header = next(csv.reader([next(handle)]))
        # rcid is the first column and never quoted: look at it before parsing the line
        lines = [line for line in handle if line[: line.find(",")] in wanted]
    ballots: dict[int, list[tuple[str, str]]] = {rcid: [] for rcid in rcids}
    names: dict[str, str] = {}
    for values in csv.reader(lines):
        row = dict(zip(header, values, strict=True))
        code = row["country_code"].strip() or row["country"].strip().upper()
        names.setdefault(code, row["country"])
        ballots[int(row["rcid"])].append((code, row["vote"]))
    return ballots, names


@pytest.fixture(scope="module")
def unga_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[int, Counter[str]]]:
    """A SQLite database with the chosen roll calls, and the counts the data gives for each."""
    from typer.testing import CliRunner

    from oastrack.cli.app import app

    unga = need_unga()
    roll_calls = chosen_roll_calls(unga)
    assert 20 <= len(roll_calls) <= 30
    ballots, names = read_votes(unga, set(roll_calls))
    expected = {rcid: Counter(vote for _, vote in ballots[rcid]) for rcid in roll_calls}
    assert all(sum(c.values()) > 0 for c in expected.values())
    assert set().union(*expected.values()) <= set(POSITIONS)

    path = tmp_path_factory.mktemp("unga") / "unga.db"
    result = CliRunner().invoke(app, ["--db", str(path), "init", "--no-seed"])
    assert result.exit_code == 0, result.stderr

    db = Database.open(parse_target(str(path)))

    def build() -> None:
        for code, name in sorted(names.items()):
            member_store.add_member(db, code, name, member_store.NewMembership(org="UN"), None)
        meeting_store.add_meeting(
            db,
            meeting_store.NewMeeting(
                code="UNGA", org="UN", start=date(1946, 1, 1), body="General Assembly"
            ),
        )
        for rcid, held in roll_calls.items():
            resolution_store.add_resolution(
                db,
                resolution_store.NewResolution(
                    code=f"RC-{rcid}",
                    meeting="UNGA",
                    title=f"Roll call {rcid}",
                    rule=RuleName.SIMPLE.value,
                ),
            )
            for raw, position in POSITIONS.items():
                codes = [code for code, vote in ballots[rcid] if vote == raw]
                if not codes:
                    continue
                logged = position_store.log_positions(
                    db,
                    f"RC-{rcid}",
                    position,
                    codes,
                    kind=Kind.OFFICIAL,
                    recorded_at=datetime.combine(held, datetime.min.time()),
                    analyst="unvotes",
                    confidence=None,
                    source="Voeten, unvotes",
                    note=None,
                )
                assert (len(logged.added), logged.skipped, logged.already) == (len(codes), [], [])

    try:
        db.write(build)
    finally:
        db.close()
    return str(path), expected


@pytest.mark.unga
def test_roll_calls_tally_to_the_data_counts(
    cli: Cli, unga_db: tuple[str, dict[int, Counter[str]]]
) -> None:
    path, expected = unga_db
    wrong = {}
    for rcid, data in expected.items():
        run = cli("--db", path, "tally", f"RC-{rcid}", "--format", "json")
        assert run.exit_code == 0, run.stderr
        tally = json.loads(run.stdout)
        got = {key: tally["counts"][key] for key in POSITIONS}
        want = {key: data.get(key, 0) for key in POSITIONS}
        verdict = "passes" if want["yes"] > want["no"] else "fails"
        if (
            got != want
            or tally["verdict"] != verdict
            or tally["rule"] != "simple"
            or tally["official"] is not True
            or tally["required"] != want["no"] + 1
        ):
            wrong[rcid] = (got, want, tally["verdict"], verdict, tally["required"])
    assert wrong == {}


@pytest.mark.unga
def test_both_verdicts_occur_in_the_sample(unga_db: tuple[str, dict[int, Counter[str]]]) -> None:
    # a sample where every text passed would not test the verdict much
    _, expected = unga_db
    outcomes = {c.get("yes", 0) > c.get("no", 0) for c in expected.values()}
    assert outcomes == {True, False}
