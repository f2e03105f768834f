"""Start-up stays light: --version, --help and completion never load SQLAlchemy or Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "alembic", "sqlmodel", "pydantic", "textual")


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["tally", "--help"], ["import", "--help"]],
    ids=["version", "help", "tally-help", "import-help"],
)
def test_light_commands_do_not_import_the_heavy_layers(args: list[str]) -> None:
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['oastrack', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('oastrack', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print('LOADED', ','.join(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "LOADED"


def test_completion_lists_codes_without_the_heavy_layers(sqlite_template: Path) -> None:
    env = {
        **os.environ,
        "_OASTRACK_COMPLETE": "complete_bash",
        "COMP_WORDS": "oastrack tally MOC29-C",
        "COMP_CWORD": "2",
        "OASTRACK_DB": str(sqlite_template),
    }
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['oastrack']\n"
        "try:\n"
        "    runpy.run_module('oastrack', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print('LOADED', ','.join(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.stdout.split() == ["MOC29-CARICOM", "MOC29-COMPROMISE"]
    assert done.stderr.strip().splitlines()[-1] == "LOADED"
