"""Fuzzing the import: random bytes and random rows never give a traceback or a partial write.

The in-process runner (`tests.support.invoke`) raises again any exception a command lets escape,
so an error that would reach the user as a traceback fails these tests; what they check of the
output is that every line on stderr is one a user is meant to read.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run

MEMBERS = ["ARG", "BRA", "CAN", "CUB", "USA", "XXX", "", "arg"]
RESOLUTIONS = ["MOC29-ORIGINAL", "MOC29-COMPROMISE", "NOPE", ""]
POSITIONS = ["yes", "no", "abstain", "lean-yes", "maybe", "", "YES", "Lean_No"]
TIMES = ["2017-06-19", "2017-06-19T10:00:00Z", "2017-13-01", "", "yesterday"]
CONFIDENCES = ["", "0.5", "1", "1.5", "-0.1", "nan", "80%", "abc"]
KINDS = ["", "projection", "official", "rumour"]

texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
row = st.fixed_dictionaries(
    {
        "resolution": st.sampled_from(RESOLUTIONS) | texts,
        "member": st.sampled_from(MEMBERS) | texts,
        "position": st.sampled_from(POSITIONS) | texts,
        "kind": st.sampled_from(KINDS),
        "recorded_at": st.sampled_from(TIMES),
        "confidence": st.sampled_from(CONFIDENCES),
        "note": texts,
    }
)


# What stderr may hold after a refused import: FILE:LINE: reason, the count of the rest, the
# error and its hint (a progress line is not drawn in a pipe).
def _readable(stderr: str, path: Path) -> bool:
    allowed = re.compile(
        rf"({re.escape(str(path))}:\d+: .+|… and \d+ more problems|Error: .+|Hint: .+)"
    )
    return all(allowed.fullmatch(line) for line in stderr.splitlines() if line.strip())


FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _positions(db: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM position ORDER BY id").fetchall()
    finally:
        conn.close()


@FUZZ
@given(rows=st.lists(row, min_size=1, max_size=8))
def test_random_rows_all_or_nothing(
    rows: list[dict[str, str]], tmp_path: Path, sqlite_template: Path, cli: Callable[..., Run]
) -> None:
    db = tmp_path / "fuzz.db"
    db.write_bytes(sqlite_template.read_bytes())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = _positions(str(db))
    result = cli("--db", str(db), "import", "positions", str(path))
    after = _positions(str(db))
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 1:
        assert after == before
        assert _readable(result.stderr, path), result.stderr
        assert "Error: " in result.stderr
    else:
        assert after[: len(before)] == before
        assert len(after) - len(before) <= len(rows)


@FUZZ
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["csv", "json", "jsonl"]))
def test_random_bytes_never_a_traceback(
    data: bytes, fmt: str, tmp_path: Path, sqlite_template: Path, cli: Callable[..., Run]
) -> None:
    db = tmp_path / "fuzz.db"
    db.write_bytes(sqlite_template.read_bytes())
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(data)
    before = _positions(str(db))
    for kind in ("positions", "members", "snapshot"):
        result = cli("--db", str(db), "import", kind, str(path), "--format", fmt)
        assert result.exit_code in (0, 1), result.stderr
        if result.exit_code == 1:
            assert _readable(result.stderr, path), result.stderr
    assert _positions(str(db)) == before
