"""What a terminal would obey in user text -- control characters (escape sequences, window
titles, OSC links) and bidirectional overrides -- never reaches it: every format shows them as
escapes (`\\x1b`, `\\u202e`). JSON keeps them as JSON escapes (the same data); CSV to a file or a
pipe keeps the data as it is."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]

# A window title (OSC), a colour (CSI), a right-to-left override that shows "Yes no" as
# "on seY", an isolate, a C1 control, DEL, a carriage return; and markup that must stay text.
NASTY = "\x1b]0;pwned\x07 \x1b[31mred\u202eYes no\u2066\x9b\x7f\r [draft]"
SHOWN = "\\x1b]0;pwned\\x07 \\x1b[31mred\\u202eYes no\\u2066\\x9b\\x7f\\x0d [draft]"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def noted(cli: Cli, seeded_db: str) -> str:
    run = cli("--db", seeded_db, "vote", "MOC29-ORIGINAL", "yes", "ARG", "--note", NASTY)
    assert run.exit_code == 0, run.stderr
    assert not UNSAFE.search(run.stdout + run.stderr)
    return seeded_db


def _terminal(args: list[str]) -> str:
    """Run oastrack with its stdout on a terminal; what the terminal received."""
    env = {**os.environ, "COLUMNS": "400", "OASTRACK_ANALYST": "tester"}
    env.pop("OASTRACK_DB", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "oastrack", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
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
    assert process.wait(timeout=120) == 0
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_table_shows_escapes(cli: Cli, noted: str) -> None:
    table = cli("--db", noted, "history", "MOC29-ORIGINAL", "--format", "table").stdout
    assert not UNSAFE.search(table)
    assert "\\x1b]0;pwned\\x07" in table and "\\u202eYes" in table


def test_markdown_shows_escapes_wherever_it_goes(cli: Cli, noted: str) -> None:
    markdown = cli("--db", noted, "history", "MOC29-ORIGINAL", "--format", "markdown").stdout
    assert not UNSAFE.search(markdown)
    assert SHOWN in markdown


def test_json_escapes_them_and_keeps_the_data(cli: Cli, noted: str) -> None:
    found = cli("--db", noted, "history", "MOC29-ORIGINAL", "--format", "json").stdout
    assert not UNSAFE.search(found)
    assert "\\u202e" in found and "\\u009b" in found
    assert [row["note"] for row in json.loads(found) if row["member"] == "ARG"] == [NASTY]


def test_csv_to_a_pipe_keeps_the_data_and_to_a_terminal_shows_escapes(cli: Cli, noted: str) -> None:
    piped = cli("--db", noted, "history", "MOC29-ORIGINAL", "--format", "csv").stdout
    assert NASTY.replace("\r", "") in piped.replace("\r", "")
    shown = _terminal(["--db", noted, "history", "MOC29-ORIGINAL", "--format", "csv"])
    assert not UNSAFE.search(shown.replace("\n", ""))
    assert SHOWN in shown


def test_an_export_to_a_terminal_shows_escapes(cli: Cli, noted: str, tmp_path: Path) -> None:
    for fmt in ("csv", "jsonl"):
        shown = _terminal(["--db", noted, "export", "positions", "--format", fmt])
        assert not UNSAFE.search(shown.replace("\n", "")), fmt
        assert "\\u202eYes" in shown and "pwned" in shown
    lines = _terminal(["--db", noted, "export", "positions", "--format", "jsonl"]).splitlines()
    notes = [json.loads(line)["note"] for line in lines if "pwned" in line]
    assert notes == [NASTY]  # JSON escapes: the same data
    out = tmp_path / "positions.csv"
    assert cli("--db", noted, "export", "positions", "-o", str(out)).exit_code == 0
    assert NASTY in out.read_bytes().decode("utf-8")  # a file keeps the data


def test_a_text_diff_shows_escapes(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    for version, text in enumerate(["The Council calls on the parties.", f"The Council {NASTY}."]):
        f = tmp_path / f"v{version}.txt"
        f.write_bytes(text.encode("utf-8"))
        run = cli("--db", seeded_db, "resolution", "amend", "MOC29-ORIGINAL", "--text-file", str(f))
        assert run.exit_code == 0, run.stderr
    shown = cli("--db", seeded_db, "resolution", "diff", "MOC29-ORIGINAL").stdout
    assert not UNSAFE.search(shown)
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202eYes" in shown
    chunks = json.loads(
        cli("--db", seeded_db, "resolution", "diff", "MOC29-ORIGINAL", "--format", "json").stdout
    )
    stored = f"The Council {NASTY}.".replace("\r", "\n")  # line endings are read as \n
    assert "".join(c["text"] for c in chunks if c["op"] != "delete") == stored


def test_error_messages_show_escapes(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    name = str(tmp_path / "\x1b[2J\u202ecsv.txt")
    run = cli("--db", seeded_db, "import", "positions", name, "--format", "csv")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (f"Error: no such file: {tmp_path}/\\x1b[2J\\u202ecsv.txt")
    run = cli("--db", seeded_db, "vote", "MOC29-ORIGINAL", "\x1b[31mmaybe", "ARG")
    assert run.exit_code == 1 and not UNSAFE.search(run.stderr)
    assert run.stderr.splitlines()[0].startswith("Error: '\\x1b[31mmaybe' is not a position")
