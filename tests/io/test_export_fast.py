"""The bulk exports write, from the cursor, exactly the bytes the item-by-item path writes.

`export positions --format csv` and `export snapshot` skip building an item per record (the
870,109 UN votes); here both are held to the general path — items through the csv module with
formula defusing, items through `json.dumps` — on records made to be awkward: formula starts,
quotes, commas, line breaks, tabs, non-ASCII, control characters, a confidence whose shortest
repr needs 17 digits, and a retraction with its note.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from oastrack.io.snapshot import dump_sections, write_snapshot_document
from oastrack.store.db import Database, parse_target
from tests.support import Run, general_csv

Cli = Callable[..., Run]

AWKWARD = [
    ("ARG", "yes", "0.7", '=HYPERLINK("x")', "plain"),
    ("BRA", "lean-no", "0.30000000000000004", 'a, b and "c"', "line one\nline two"),
    ("CHL", "undecided", None, "+1 call", "-minus\tand tab"),
    ("COL", "abstain", "1", "@mention", "'quoted already"),
    ("CRI", "no", "0", "Cancún — délégation", "bell \x07 and esc \x1b[31m"),
    ("GTM", "absent", None, "\rcarriage", None),
    ("HND", "yes", "5%", None, "trailing space "),
]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def awkward_db(cli: Cli, db: str) -> str:
    for member, position, confidence, source, note in AWKWARD:
        args = ["vote", "MOC29-CARICOM", position, member, "--at", "2017-06-19T10:15"]
        args += ["--confidence", confidence] if confidence is not None else []
        args += ["--source", source] if source is not None else []
        args += ["--note", note] if note is not None else []
        ok(cli("--db", db, "--analyst", '=ana, "the analyst"', *args))
    # a record at a time with microseconds, and one taken back with a note
    ok(cli("--db", db, "vote", "MOC29-CARICOM", "no", "PER", "--at", "2017-06-19T10:15:30.250"))
    ok(cli("--db", db, "vote", "MOC29-CARICOM", "yes", "PER", "--at", "2017-06-19T10:20"))
    ok(cli("--db", db, "retract", "MOC29-CARICOM", "PER", "--note", 'wrong, "sorry"\nagain'))
    return db


def general_snapshot(db: str) -> str:
    database = Database.open(parse_target(db))
    buffer = io.StringIO()
    try:
        database.read(lambda: write_snapshot_document(buffer, dump_sections(database)))
        return buffer.getvalue()
    finally:
        database.close()


def test_the_positions_csv_is_the_csv_modules(cli: Cli, seeded_db: str) -> None:
    db = awkward_db(cli, seeded_db)
    fast = ok(cli("--db", db, "export", "positions", "--format", "csv")).stdout
    assert fast == general_csv(db)
    assert "'=HYPERLINK" in fast and "0.30000000000000004" in fast
    assert '"\'=ana, ""the analyst"""' in fast  # defused, then quoted


def test_the_snapshot_is_json_dumps_item_by_item(cli: Cli, seeded_db: str) -> None:
    db = awkward_db(cli, seeded_db)
    fast = ok(cli("--db", db, "export", "snapshot")).stdout
    assert fast == general_snapshot(db)
    positions = json.loads(fast)["positions"]
    retracted = [p for p in positions if p.get("retracted_at")]
    assert [(p["member"], p["retraction_note"]) for p in retracted] == [
        ("PER", 'wrong, "sorry"\nagain')
    ]
    assert any(p["recorded_at"] == "2017-06-19T10:15:30.250000Z" for p in positions)
