"""`resolution amend --text-file` reads at most 10 MB: one byte more is refused, at once, and
nothing is stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.support import row_counts

Cli = Callable[..., Run]


TOO_LONG = "a text is at most 10 MB (10,000,000 bytes)"


def test_a_text_of_10_mb_is_stored_and_one_byte_more_is_refused(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    limit = 10_000_000
    line = "The Council calls on the parties to resume talks.\n"
    body = (line * (limit // len(line) + 1))[:limit]
    exact = tmp_path / "exact.txt"
    exact.write_text(body, encoding="utf-8")
    run = cli("--db", seeded_db, "resolution", "amend", "MOC29-ORIGINAL", "--text-file", str(exact))
    assert run.exit_code == 0, run.stderr
    counts = row_counts(seeded_db)
    over = tmp_path / "over.txt"
    over.write_text(body + "x", encoding="utf-8")
    run = cli("--db", seeded_db, "resolution", "amend", "MOC29-ORIGINAL", "--text-file", str(over))
    assert (run.exit_code, run.stderr.splitlines()[0]) == (
        1,
        f"Error: cannot read {over}: {TOO_LONG}",
    )
    run = cli(
        "--db",
        seeded_db,
        "resolution",
        "amend",
        "MOC29-ORIGINAL",
        "--text-file",
        "-",
        input=(body + "x").encode(),
    )
    assert (run.exit_code, run.stderr.splitlines()[0]) == (1, f"Error: cannot read -: {TOO_LONG}")
    assert row_counts(seeded_db) == counts


def test_an_endless_file_stops_at_once(cli: Cli, seeded_db: str) -> None:
    counts = row_counts(seeded_db)
    started = time.monotonic()
    run = cli(
        "--db", seeded_db, "resolution", "amend", "MOC29-ORIGINAL", "--text-file", "/dev/urandom"
    )
    assert time.monotonic() - started < 10  # it read 10 MB and stopped, not gigabytes
    assert (run.exit_code, run.stderr.splitlines()[0]) == (
        1,
        f"Error: cannot read /dev/urandom: {TOO_LONG}",
    )
    assert "Traceback" not in run.stderr
    assert row_counts(seeded_db) == counts
