"""Imports that keep the past and other analysts in mind: members --create-missing makes are
named, and refused when they would change a vote already recorded; the write lock is not held
while an import waits for its input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support import count, row_counts

Cli = Callable[..., Run]


def _eligible(cli: Cli, db: str, resolution: str) -> int:
    run = cli("--db", db, "tally", resolution, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return int(json.loads(run.stdout)["eligible"])


def test_a_created_member_may_not_rewrite_a_recorded_vote(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text("resolution,member,position\nMOC29-COMPROMISE,ZZZ,yes\n")
    before = row_counts(seeded_db)
    run = cli("--db", seeded_db, "import", "positions", str(path), "--create-missing")
    assert run.exit_code == 1
    first = run.stderr.splitlines()[0]
    assert first.startswith("Error: creating 1 member (ZZZ) would change the eligible count of "), (
        first
    )
    assert "MOC29-COMPROMISE (34 -> 35 eligible)" in first
    assert first.endswith("; nothing was imported")
    assert run.stderr.splitlines()[1] == (
        "Hint: add the members first with their start date (oastrack member add CODE --org ORG "
        "--start DATE), or pass --allow-past-changes"
    )
    assert row_counts(seeded_db) == before
    assert _eligible(cli, seeded_db, "MOC29-COMPROMISE") == 34

    dry = cli("--db", seeded_db, "import", "positions", str(path), "--create-missing", "--dry-run")
    assert dry.exit_code == 1 and dry.stderr.splitlines()[0] == first

    allowed = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(path),
        "--create-missing",
        "--allow-past-changes",
    )
    assert allowed.exit_code == 0, allowed.stderr
    assert allowed.stderr.splitlines()[0] == "Created 1 member: ZZZ."
    assert _eligible(cli, seeded_db, "MOC29-COMPROMISE") == 35


def test_a_look_alike_code_is_not_created(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("resolution,member,position\nMOC29-COMPROMISE,\u0410RG,yes\n")
    before = row_counts(seeded_db)
    run = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(path),
        "--create-missing",
        "--allow-past-changes",
    )
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"{path}:2: '\\u0410RG' is not a code: use ASCII letters, digits, '.', '_' and '-'"
    )
    assert row_counts(seeded_db) == before


def test_votes_in_the_same_file_are_not_the_past(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    """The UN import: the members arrive with the votes of resolutions that had none."""
    assert cli("--db", seeded_db, "meeting", "add", "UN-1", "--org", "UNX", "--start", "1990-01-01")
    path = tmp_path / "p.csv"
    path.write_text("rcid,member,vote\n1,AAA,yes\n1,BBB,no\n2,AAA,yes\n")
    args = ("--map", "resolution=rcid", "--map", "position=vote", "--kind", "official")
    first = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(path),
        *args,
        "--create-missing",
        "--meeting",
        "UN-1",
        "--dry-run",
    )
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines()[0] == "Would create 2 members: AAA, BBB."
    done = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(path),
        *args,
        "--create-missing",
        "--meeting",
        "UN-1",
    )
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[0] == "Created 2 members: AAA, BBB."
    # A later file with a new member would change the votes now recorded.
    later = tmp_path / "later.csv"
    later.write_text("rcid,member,vote\n3,CCC,yes\n")
    run = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        str(later),
        *args,
        "--create-missing",
        "--meeting",
        "UN-1",
    )
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0].startswith(
        "Error: creating 1 member (CCC) would change the eligible count of 2 resolutions with "
        "official votes already recorded: 1 (2 -> 3 eligible), 2 (2 -> 3 eligible)"
    )


def _oastrack(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "oastrack", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OASTRACK_ANALYST": "tester", "OASTRACK_BUSY_TIMEOUT_MS": "5000"},
        **kwargs,
    )


@pytest.mark.parametrize("kind", ["positions", "members"])
def test_an_import_waiting_for_input_does_not_lock_others_out(
    seeded_db: str, tmp_path: Path, kind: str
) -> None:
    fifo = tmp_path / "input.csv"
    os.mkfifo(fifo)
    before = row_counts(seeded_db)
    importing = _oastrack("--db", seeded_db, "import", kind, str(fifo))
    try:
        time.sleep(1.0)  # the import has started and waits for a writer on the FIFO
        assert importing.poll() is None
        started = time.monotonic()
        vote = _oastrack(
            "--db", seeded_db, "vote", "MOC29-ORIGINAL", "yes", "ARG", "--at", "2017-06-18"
        )
        _, err = vote.communicate(timeout=60)
        assert vote.returncode == 0, err
        # Had the import held the write lock, the vote would have failed after 5 s.
        assert time.monotonic() - started < 30
        with open(fifo, "w") as feed:
            if kind == "positions":
                feed.write("resolution,member,position,recorded_at\n")
                feed.write("MOC29-ORIGINAL,BRA,no,2017-06-18T01:00\n")
            else:
                feed.write("code,name,org\nZZY,Zedland,OAS\n")
        _, err = importing.communicate(timeout=60)
        assert importing.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.communicate()
    # The vote, then the import: both written.
    assert count(seeded_db, "position") == before["position"] + (2 if kind == "positions" else 1)
    assert count(seeded_db, "member") == before["member"] + (kind == "members")


def test_members_changed_while_the_file_was_read(
    cli: Cli, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A membership added by another analyst between reading and merging: a file is read again
    (and the rows checked against the new state), standard input cannot be."""
    from oastrack.io import positions
    from tests.support import query

    finish = positions.PositionImporter.finish
    changes = iter(["ZZ1", None, "ZZ2"])  # the file: changed, then read again; stdin: changed

    def finish_then_someone_writes(self: positions.PositionImporter) -> None:
        finish(self)
        code = next(changes, None)
        if code is not None:
            member = query(
                seeded_db,
                "INSERT INTO member (code, name) VALUES (?, ?) RETURNING id",
                (code, code),
            )
            organization = query(seeded_db, "SELECT id FROM organization WHERE code = 'OAS'")
            query(
                seeded_db,
                "INSERT INTO membership (organization_id, member_id, status, veto)"
                " VALUES (?, ?, 'active', ?)",
                (organization[0][0], member[0][0], False),
            )

    monkeypatch.setattr(positions.PositionImporter, "finish", finish_then_someone_writes)
    rows = "resolution,member,position,recorded_at\nMOC29-ORIGINAL,BRA,no,2017-06-18T01:00\n"
    path = tmp_path / "p.csv"
    path.write_text(rows)
    run = cli("--db", seeded_db, "import", "positions", str(path))
    assert run.exit_code == 0, run.stderr
    assert "1 position added" in run.stderr
    before = row_counts(seeded_db)
    piped = cli(
        "--db",
        seeded_db,
        "import",
        "positions",
        "-",
        "--format",
        "csv",
        input=rows.replace("no", "yes"),
    )
    assert piped.exit_code == 1
    assert piped.stderr.splitlines()[0] == (
        "Error: the members eligible at MOC-29 changed while the input was read; "
        "nothing was imported"
    )
    # Nothing of the import's (the other writer's member stays).
    assert count(seeded_db, "position") == before["position"]
