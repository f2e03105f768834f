"""A progress bar on a terminal; one summary line, and nothing else, in a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path


def _votes_file(path: Path, rows: int) -> Path:
    members = ["ARG", "BRA", "CAN", "CHL", "COL", "MEX", "PER", "USA"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("resolution,member,position,recorded_at,note\n")
        for i in range(rows):
            handle.write(f"MOC29-ORIGINAL,{members[i % 8]},yes,2017-06-01,row {i}\n")
    return path


def _run(args: list[str], *, terminal: bool, stdin: Path | None = None) -> tuple[int, str]:
    env = {**os.environ, "COLUMNS": "100", "OASTRACK_ANALYST": "tester"}
    env.pop("OASTRACK_DB", None)
    if not terminal:
        done = subprocess.run(
            [sys.executable, "-m", "oastrack", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        return done.returncode, done.stderr
    leader, follower = pty.openpty()
    source = stdin.open("rb") if stdin else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "oastrack", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        stdin=source,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=120)
    os.close(leader)
    if not isinstance(source, int):
        source.close()
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_shows_progress_and_a_pipe_one_line(
    tmp_path: Path, sqlite_template: Path
) -> None:
    votes = _votes_file(tmp_path / "votes.csv", 60_000)
    db = tmp_path / "p.db"
    db.write_bytes(sqlite_template.read_bytes())
    code, shown = _run(["--db", str(db), "import", "positions", str(votes)], terminal=True)
    assert code == 0, shown
    assert "importing" in shown
    assert "rows," in shown and "/s" in shown
    assert "Imported 60,000 rows read from" in shown

    again = tmp_path / "q.db"
    again.write_bytes(sqlite_template.read_bytes())
    code, piped = _run(["--db", str(again), "import", "positions", str(votes)], terminal=False)
    assert code == 0, piped
    lines = piped.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Imported 60,000 rows read from {votes}: 60,000 positions added")


def test_standard_input_gets_a_spinner_with_a_row_count(
    tmp_path: Path, sqlite_template: Path
) -> None:
    votes = _votes_file(tmp_path / "votes.csv", 30_000)
    db = tmp_path / "s.db"
    db.write_bytes(sqlite_template.read_bytes())
    code, shown = _run(
        ["--db", str(db), "import", "positions", "-", "--format", "csv"],
        terminal=True,
        stdin=votes,
    )
    assert code == 0, shown
    assert "rows," in shown
    assert "Imported 30,000 rows read from <stdin>: 30,000 positions added" in shown
