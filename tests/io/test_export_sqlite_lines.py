"""On SQLite, `export positions --format csv` has SQLite write each line (`store.csv_lines`);
here it is held, byte for byte, to the general path (items through the csv module with formula
defusing) on records made to be hostile — codes, analysts and free text with commas, quotes,
line breaks, tabs, formula starts and non-ASCII, empty against missing, confidences whose
SQLite text is not Python's, times of another shape — and on a slice of the UN votes. Where
SQLite cannot write a row or a whole export as the csv module does, the Python writer does,
and the bytes are the same again.
"""

from __future__ import annotations

import gzip
import io
import random
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from oastrack.core.values import QUOTED_START, defuse_cell
from oastrack.io.exporter import export
from oastrack.store import csv_lines
from oastrack.store.db import Database, parse_target
from tests.conftest import need_unga
from tests.support import general_csv, invoke, unga_import_args

HOSTILE = [
    "plain",
    "a, b",
    'say "hi"',
    '"',
    "line one\nline two",
    "cr\rinside",
    "\rcarriage first",
    "=1+1",
    "+1 call",
    "-minus",
    "@mention",
    "\tTAB first",
    "tab\tinside",
    "'quoted already",
    "''twice",
    "'",
    "Cancún — délégation",
    "bell \x07 and esc \x1b[31m",
    "line\u2028separator",
    "nel\x85here",
    " leading and trailing ",
    "semi;colon",
    '=HYPERLINK("x"), "y"\n\'z\'',
]
CONFIDENCES = [
    None,
    0.0,
    -0.0,
    1.0,
    0.1,
    0.7,
    0.05,
    0.0001,
    1e-05,
    1e-300,
    5e-324,
    0.30000000000000004,
    0.12345678901234568,
    2 / 3,
    1 / 3,
    0.9999999999999999,
]
TIMES = ["2017-06-19 10:15:00.000000", "2017-06-19 10:15:30.250000", "2017-06-19 10:15:30.000001"]


def database(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    shutil.copyfile(template, path)
    return path


def add_records(
    path: Path,
    codes: Sequence[str],
    analysts: Sequence[str],
    texts: Sequence[str | None],
    confidences: Sequence[float | None],
    times: Sequence[str] = TIMES,
) -> None:
    """Records written straight into the tables (past the checks of the commands, as another
    version or a hand might have written them): every member and resolution code given, each
    with records of each analyst, time and confidence, the texts in turn."""
    conn = sqlite3.connect(path)
    meeting = conn.execute("SELECT id FROM meeting ORDER BY id").fetchone()[0]
    res_ids, member_ids = [], []
    for code in codes:
        res_ids.append(
            conn.execute(
                "INSERT INTO resolution (code, meeting_id, title, rule, status)"
                " VALUES (?, ?, 'T', 'simple', 'draft')",
                (code, meeting),
            ).lastrowid
        )
        member_ids.append(
            conn.execute("INSERT INTO member (code, name) VALUES (?, 'N')", (code,)).lastrowid
        )
    turn = 0
    for res in res_ids:
        for member in member_ids:
            for analyst in analysts:
                for at in times:
                    for confidence in confidences:
                        source, note = texts[turn % len(texts)], texts[(turn * 7 + 3) % len(texts)]
                        conn.execute(
                            "INSERT INTO position (resolution_id, member_id, position, kind,"
                            " recorded_at, analyst, confidence, source, note, fingerprint,"
                            " logged_at) VALUES (?, ?, 'yes', 'projection', ?, ?, ?, ?, ?, ?, ?)",
                            (res, member, at, analyst, confidence, source, note, turn, at),
                        )
                        turn += 1
    conn.commit()
    conn.close()


def retract_some(path: Path) -> None:
    """Every fifth record taken back: the export leaves them out."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO retraction (position_id, retracted_at, analyst, note)"
        " SELECT id, recorded_at, 'ana', 'wrong' FROM position WHERE id % 5 = 0"
    )
    conn.commit()
    conn.close()


def exported(path: Path, *, resolutions: Sequence[str] = ()) -> tuple[str, bool]:
    """What `export positions --format csv` writes, and whether SQLite wrote the lines."""
    database = Database.open(parse_target(str(path)))
    out = io.StringIO()
    try:
        in_sql = database.read(lambda: csv_lines.line_query(database)) is not None
        database.read(lambda: export(database, "positions", "csv", out, resolutions=resolutions))
        return out.getvalue(), in_sql
    finally:
        database.close()


def test_sql_cells_are_the_csv_modules() -> None:
    """`cell` (defusing, then quoting) against defuse_cell and the csv module, on thousands
    of strings made of the characters that matter."""
    special = csv_lines.quoting()
    assert special is not None and {",", '"', "\n"} <= special
    alphabet = [*QUOTED_START, *special, "\r", "a", " ", "é", "\u2028", "\x85", ";"]
    chance = random.Random(1946)
    values = [*HOSTILE, ""] + [
        "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 6))) for _ in range(3000)
    ]
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {csv_lines.cell('v', special)} FROM (SELECT ? AS v)"
    for value in values:
        assert conn.execute(sql, (value,)).fetchone()[0] == csv_lines.csv_cell(
            defuse_cell(value)
        ), repr(value)
    assert conn.execute(sql, (None,)).fetchone()[0] is None


def test_hostile_codes_and_text_are_written_alike(sqlite_template: Path, tmp_path: Path) -> None:
    path = database(sqlite_template, tmp_path)
    add_records(
        path,
        ["X,1", '=Q"', "'T", "ZQPLAIN", "Ü\nNL"],
        ['=ana, "the analyst"', "ana", ""],
        [None, "", *HOSTILE],  # empty text, as only a hand would store it, and none
        CONFIDENCES,
    )
    retract_some(path)
    fast, in_sql = exported(path)
    assert in_sql
    assert fast == general_csv(str(path))
    assert '"X,1"' in fast and "'=Q" in fast and "0.30000000000000004" in fast and "1e-05" in fast


def test_plain_codes_and_analysts_are_written_as_they_are(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = database(sqlite_template, tmp_path)
    add_records(path, ["ZQ1", "ZQ2"], ["ana", "bo"], [None, None, "a, b", "=x"], CONFIDENCES)
    db = Database.open(parse_target(str(path)))
    found = db.read(lambda: csv_lines.line_query(db))
    db.close()
    assert found is not None and "r.code, m.code" in found[0]
    assert "CASE p.analyst WHEN ? THEN p.analyst WHEN ? THEN p.analyst" in found[0]
    fast, in_sql = exported(path)
    assert in_sql and fast == general_csv(str(path))
    selected, _ = exported(path, resolutions=["ZQ2"])
    assert selected.count("\n") < fast.count("\n")


def test_analysts_and_confidences_beyond_the_sample_are_written_alike(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first and last records say which analysts and confidences to expect; those of the
    records between are written alike all the same (by `cell`, by Python from the row)."""
    monkeypatch.setattr(csv_lines, "SAMPLE", 3)
    path = database(sqlite_template, tmp_path)
    add_records(path, ["ZQ1"], ["ana"], [None], [None])
    add_records(path, ["ZQ2"], ['=ana, "the analyst"', "bo"], HOSTILE, CONFIDENCES)
    add_records(path, ["ZQ3"], ["ana"], [None], [None])
    db = Database.open(parse_target(str(path)))
    batches = db.read(lambda: list(csv_lines.lines(db) or ()))
    db.close()
    ids = sum(isinstance(line, int) for batch in batches for (line,) in batch)
    assert ids == 2 * len(TIMES) * (len(CONFIDENCES) - 1)  # each with a confidence
    fast, in_sql = exported(path)
    assert in_sql and fast == general_csv(str(path))
    assert "0.30000000000000004" in fast and "'=ana" in fast


def test_a_time_of_another_shape_is_written_by_python(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = database(sqlite_template, tmp_path)
    odd = ["2017-06-19 10:15:00", "2017-06-19T10:15:00.500000", "2017-06-19 10:15:00.5"]
    add_records(path, ["ZQ1"], ["ana"], HOSTILE, [None, 0.3], [*TIMES, *odd])
    db = Database.open(parse_target(str(path)))
    batches = db.read(lambda: list(csv_lines.lines(db) or ()))
    db.close()
    assert sum(isinstance(line, int) for batch in batches for (line,) in batch) == 2 * 2
    fast, in_sql = exported(path)
    assert in_sql and fast == general_csv(str(path))
    assert "2017-06-19T10:15:00.500000Z" in fast and ",2017-06-19T10:15:00Z," in fast


def test_many_confidences_unlike_python_are_written_by_python(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = database(sqlite_template, tmp_path)
    chance = random.Random(2017)  # random numbers want 16 or 17 digits, SQLite writes 15
    unlike = [chance.random() for _ in range(2 * csv_lines.MAX_MAPPED)]
    conn = sqlite3.connect(":memory:")
    texts = [conn.execute("SELECT CAST(? AS TEXT)", (u,)).fetchone()[0] for u in unlike]
    assert (
        sum(text != repr(u) for u, text in zip(unlike, texts, strict=True)) > csv_lines.MAX_MAPPED
    )
    add_records(path, ["ZQ1"], ["ana"], HOSTILE, [None, *unlike], TIMES[:1])
    fast, in_sql = exported(path)
    assert not in_sql and fast == general_csv(str(path))


def test_a_confidence_that_is_not_a_number_is_written_by_python(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = database(sqlite_template, tmp_path)
    add_records(path, ["ZQ1"], ["ana"], HOSTILE, [None, 0.5], TIMES[:1])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # the schema's check refuses it
    conn.execute(
        "UPDATE position SET confidence = 'high' WHERE id = (SELECT max(id) FROM position)"
    )
    conn.commit()
    conn.close()
    fast, in_sql = exported(path)
    assert not in_sql and fast == general_csv(str(path))


def _head(path: Path, rows: int) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle):
            if number > rows:
                return
            yield line


@pytest.mark.unga
def test_a_slice_of_the_un_votes_is_written_alike(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("".join(_head(need_unga() / "un_votes.csv.gz", 30_000)), encoding="utf-8")
    db = str(tmp_path / "unga.db")
    for args in (
        ["init", "--no-seed"],
        ["meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10", "--rule", "simple"],
        ["import", "positions", str(votes), *unga_import_args()],
    ):
        run = invoke("--db", db, *args)
        assert run.exit_code == 0, run.stderr
    fast, in_sql = exported(Path(db))
    assert in_sql
    assert fast.count("\n") == 30_001
    assert fast == general_csv(db)
