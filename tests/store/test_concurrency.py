"""Concurrent writers and killed imports: nothing lost, nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, need_unga
from tests.support import unga_import_args

WRITERS = 4
VOTES_EACH = 60

# One writer: a real process that runs `oastrack vote` VOTES_EACH times, each command its own
# transaction, as fast as it can (in-process, to spare 240 interpreter start-ups).
WRITER = textwrap.dedent(
    """
    import sys
    from typer.testing import CliRunner
    from oastrack.cli.app import app

    target, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    members = ["ARG", "BRA", "CAN", "CHL", "COL", "MEX", "PER", "USA"]
    runner = CliRunner()
    for i in range(count):
        member = members[(writer + i) % len(members)]
        result = runner.invoke(app, [
            "--db", target, "--analyst", f"writer-{writer}", "vote", "MOC29-ORIGINAL", "yes",
            member, "--at", f"2017-06-{1 + writer:02d}T{i // 60:02d}:{i % 60:02d}:00",
            "--note", f"writer {writer} vote {i}",
        ])
        if result.exit_code != 0:
            print(result.stderr, file=sys.stderr)
            sys.exit(result.exit_code)
    """
)


def test_concurrent_writers_lose_nothing(
    seeded_db: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), seeded_db, str(writer), str(VOTES_EACH)],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "OASTRACK_BUSY_TIMEOUT_MS": "60000"},
        )
        for writer in range(WRITERS)
    ]
    failures = []
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        if process.returncode != 0:
            failures.append(stderr)
    assert failures == []
    result = cli("--db", seeded_db, "history", "MOC29-ORIGINAL", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == WRITERS * VOTES_EACH
    notes = {row["note"] for row in rows}
    assert notes == {f"writer {w} vote {i}" for w in range(WRITERS) for i in range(VOTES_EACH)}
    assert {row["analyst"] for row in rows} == {f"writer-{w}" for w in range(WRITERS)}


def test_a_held_lock_gives_one_clear_line_and_writes_nothing(
    tmp_path: Path, sqlite_template: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "OASTRACK_BUSY_TIMEOUT_MS": "300", "COLUMNS": "200"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "oastrack",
                "--db",
                str(path),
                "vote",
                "MOC29-ORIGINAL",
                "yes",
                "ARG",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0] == (
        f"Error: the database {path} is busy: another writer held it for more than 0.3 s; "
        "nothing was written"
    )
    assert "Traceback" not in done.stderr
    result = cli("--db", str(path), "history", "MOC29-ORIGINAL", "--format", "json")
    assert json.loads(result.stdout) == []


UNGA_IMPORT = ["import", "positions", "{votes}", *unga_import_args()]


@pytest.mark.unga
@pytest.mark.slow
def test_killed_import_leaves_all_or_nothing(tmp_path: Path, cli: Callable[..., Run]) -> None:
    votes = need_unga() / "un_votes.csv.gz"
    db = str(tmp_path / "unga.db")
    assert cli("--db", db, "init", "--no-seed").exit_code == 0
    assert (
        cli(
            "--db",
            db,
            "meeting",
            "add",
            "UNGA",
            "--org",
            "UN",
            "--start",
            "1946-01-10",
            "--rule",
            "simple",
        ).exit_code
        == 0
    )
    args = [a.replace("{votes}", str(votes)) for a in UNGA_IMPORT]
    command = [sys.executable, "-m", "oastrack", "--db", db, *args]
    for delay in (0.3, 1.5, 4.0, 8.0):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT count(*) FROM position").fetchone()[0]
            members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
        finally:
            conn.close()
        if finished:
            assert count == 870_109
            break
        # Killed after its commit but before it exited, the import is whole: all, or nothing.
        assert (count, members) in ((0, 0), (870_109, 200)), (
            f"killed after {delay} s: a partial import survived ({count} positions)"
        )
        if count:
            break
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM position").fetchone()[0] == 870_109
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
