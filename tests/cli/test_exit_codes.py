"""One exit-code policy, through the real console script: 0 success (a reader that goes away
included), 1 a user error, 2 a usage error, 130 interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OASTRACK = str(Path(sys.executable).with_name("oastrack"))
RES = "MOC29-COMPROMISE"

CASES = [
    # success
    ([], 0),
    (["--help"], 0),
    (["tally", RES], 0),
    # a usage error: unknown command or option, missing argument, a value not among the choices
    (["no-such-command"], 2),
    (["tally", RES, "--no-such-option"], 2),
    (["tally"], 2),
    (["vote", RES], 2),
    (["tally", RES, "--format", "yaml"], 2),
    (["history", RES, "--limit", "0"], 2),
    # a user error: a bad value, an unknown code, a rule of the contract
    (["vote", RES, "maybe", "ARG"], 1),
    (["vote", RES, "yes", "XXX"], 1),
    (["tally", "NOPE"], 1),
    (["vote", RES, "lean-yes", "ARG", "--official"], 1),
    (["vote", RES, "yes", "ARG", "--confidence", "2"], 1),
    (["tally", RES, "--as-of", "yesterday"], 1),
    (["retract", "MOC29-CARICOM", "ARG"], 1),
    (["member", "add", "XNW", "--name", "New", "--org", "OAS"], 1),
    (["resolution", "set", RES], 1),
    (["import", "positions", "/no/such/file.csv"], 1),
]


def run(db: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OASTRACK_DB": db, "COLUMNS": "100"}
    return subprocess.run(
        [OASTRACK, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.mark.parametrize(("args", "code"), CASES, ids=[" ".join(a) or "bare" for a, _ in CASES])
def test_the_exit_code_of_each_kind_of_mistake(sqlite_db: str, args: list[str], code: int) -> None:
    done = run(sqlite_db, args)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    if code == 1:
        assert done.stderr.startswith("Error: "), done.stderr
    if args == []:
        assert "Usage: oastrack" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["export", "positions"],
        ["export", "snapshot"],
        ["resolution", "list", "--format", "json"],
        ["history", RES],
        ["tally", RES, "--format", "csv"],
    ],
)
def test_a_reader_that_goes_away_is_no_error(sqlite_db: str, args: list[str]) -> None:
    """`oastrack … | head -1`: the rest is not wanted; nothing on stderr, exit 0."""
    env = {**os.environ, "OASTRACK_DB": sqlite_db, "COLUMNS": "100"}
    process = subprocess.Popen(
        [OASTRACK, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as head does after its line
    code = process.wait(timeout=60)
    stderr = process.stderr.read().decode()
    assert (code, stderr) == (0, "")


def test_an_interrupted_import_exits_130_and_writes_nothing(sqlite_db: str) -> None:
    env = {**os.environ, "OASTRACK_DB": sqlite_db}
    process = subprocess.Popen(
        [OASTRACK, "import", "positions", "-", "--format", "csv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write("resolution,member,position\nMOC29-CARICOM,ARG,yes\n")
    process.stdin.flush()
    time.sleep(1.5)  # the import is waiting for more input
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    assert code == 130, process.stderr.read() if process.stderr else ""
    history = run(sqlite_db, ["history", "MOC29-CARICOM", "--format", "json"])
    assert history.stdout.strip() == "[]"
