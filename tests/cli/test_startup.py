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


# Modules of other commands, which `tally` and `vote` must not pay for.
UNRELATED = (
    "oastrack.live",
    "oastrack.io.importer",
    "oastrack.render.chart",
    "oastrack.cli.io",
    "oastrack.cli.chart",
    "oastrack.cli.live",
    "oastrack.cli.members",
    "oastrack.cli.resolutions",
    "textual",
)


def _probe(args: list[str]) -> str:
    """A program that runs oastrack with these arguments, then lists on stderr the modules it
    imported, and exits as oastrack did."""
    return (
        "import sys, runpy\n"
        f"sys.argv = ['oastrack', *{args!r}]\n"
        "code = 0\n"
        "try:\n"
        "    runpy.run_module('oastrack', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )


def _run_and_list_modules(args: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run oastrack with these arguments in a fresh interpreter; its exit and the modules it
    imported."""
    done = subprocess.run(
        [sys.executable, "-c", _probe(args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100"},
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("MODULES "), done.stderr
    return done, set(last.split()[1:])


@pytest.mark.parametrize(
    "args",
    [
        ["tally", "MOC29-COMPROMISE", "--format", "json"],
        ["tally", "MOC29-COMPROMISE"],
        ["vote", "MOC29-COMPROMISE", "yes", "HTI"],
    ],
    ids=["tally-json", "tally-table", "vote"],
)
def test_small_commands_import_only_their_own(sqlite_db: str, args: list[str]) -> None:
    done, modules = _run_and_list_modules(["--db", sqlite_db, *args])
    assert done.returncode == 0, done.stderr
    assert "MOC29-COMPROMISE" in done.stdout + done.stderr
    assert sorted(modules & {*UNRELATED, *HEAVY}) == []


# What the plain cases of `tally` and `vote` run without (oastrack/cli/fast.py).
FRAMEWORK = ("typer", "click", "sqlalchemy", "alembic", "sqlmodel", "pydantic", "textual")


@pytest.mark.parametrize(
    "args",
    [
        ["tally", "MOC29-COMPROMISE", "--format", "json"],
        ["tally", "MOC29-COMPROMISE", "-f", "csv"],
        ["tally", "MOC29-COMPROMISE"],
        ["tally", "moc29-compromise", "--assume", "HTI=no", "--as-of", "2017-06-19"],
        ["vote", "MOC29-COMPROMISE", "yes", "HTI"],
        ["vote", "MOC29-COMPROMISE", "no", "CARICOM", "--source", "a call", "--official"],
    ],
    ids=["tally-json", "tally-csv", "tally-table", "tally-options", "vote", "vote-options"],
)
def test_plain_tally_and_vote_run_without_typer(sqlite_db: str, args: list[str]) -> None:
    done, modules = _run_and_list_modules(["--db", sqlite_db, *args])
    assert done.returncode == 0, done.stderr
    assert "MOC29-COMPROMISE" in done.stdout + done.stderr
    assert sorted(m for m in modules if m.split(".")[0] in FRAMEWORK) == []
    assert "oastrack.cli.fast" in modules
    # JSON, CSV, the plain table (render/plain_tally.py) and vote's messages on a pipe: not
    # even Rich
    assert sorted(m for m in modules if m.startswith("rich")) == []
    assert "_hashlib" not in modules  # OpenSSL's hashes: not for a tally nor a vote


@pytest.mark.parametrize(
    "args",
    [["tally", "NO-SUCH-TEXT"], ["tally", "MOC29-COMPROMISE", "--bogus"], ["vote", "--help"]],
    ids=["not-found", "unknown-option", "help"],
)
def test_what_the_fast_path_leaves_runs_through_typer(sqlite_db: str, args: list[str]) -> None:
    done, modules = _run_and_list_modules(["--db", sqlite_db, *args])
    assert done.returncode in (0, 1, 2)
    assert "typer" in modules


def test_a_tally_written_to_a_file_imports_no_rich(sqlite_db: str, tmp_path: Path) -> None:
    """`oastrack --db DB tally RES > file`, no COLUMNS: the table Rich would write, without it."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    written = tmp_path / "tally.txt"
    with written.open("w", encoding="utf-8") as file:
        done = subprocess.run(
            [sys.executable, "-c", _probe(["--db", sqlite_db, "tally", "MOC29-COMPROMISE"])],
            stdout=file,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
            env=env,
        )
    assert done.returncode == 0, done.stderr
    modules = set(done.stderr.strip().splitlines()[-1].split()[1:])
    assert "oastrack.cli.fast" in modules
    assert sorted(m for m in modules if m.split(".")[0] == "rich") == []
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "MOC29-COMPROMISE — Chair's compromise text on the situation in Venezuela"
    assert "Required 23   Yes 20   Short by 3   Verdict FAILS" in lines
    assert all(line == line.rstrip() for line in lines)


def test_tally_as_json_draws_no_table(sqlite_db: str) -> None:
    done, modules = _run_and_list_modules(
        ["--db", sqlite_db, "tally", "MOC29-COMPROMISE", "--format", "json"]
    )
    assert done.returncode == 0, done.stderr
    assert '"resolution": "MOC29-COMPROMISE"' in done.stdout
    assert sorted(m for m in modules if m.startswith("rich.table")) == []


@pytest.mark.parametrize(
    "args",
    [["--db", "nowhere.db", "--version"], ["--version", "--db", "nowhere.db"]],
    ids=["after-db", "before-db"],
)
def test_version_after_other_options_loads_no_command(args: list[str]) -> None:
    from oastrack import __version__

    done, modules = _run_and_list_modules(args)
    assert (done.returncode, done.stdout) == (0, f"oastrack {__version__}\n")
    loaded = sorted(m for m in modules if m.startswith(("oastrack.cli.", "sqlalchemy", "typer")))
    assert loaded == ["oastrack.cli.launch"]


@pytest.mark.parametrize(
    ("args", "answered"),
    [
        (["--version"], True),
        (["--db", "x.db", "--version"], True),
        (["--db=x.db", "--analyst", "ana", "--version"], True),
        (["--version", "--db", "x.db"], True),
        (["--version", "tally", "--bogus"], True),  # Click answers before the command
        (["--version", "--help"], True),
        (["--help", "--version"], False),  # the help
        (["--version", "--db"], False),  # Click's usage error: --db needs a value
        (["--db", "--version"], False),  # --version is the database's name
        (["--bogus", "--version"], False),  # Click's usage error
        (["--version=1"], False),  # Click's usage error
        (["tally", "--version"], False),  # tally has no such option
        ([], False),
    ],
)
def test_version_is_answered_early_exactly_when_click_would(
    args: list[str], answered: bool
) -> None:
    from oastrack.cli.launch import asks_version

    assert asks_version(args) is answered


def test_every_listed_command_loads_with_its_help() -> None:
    from oastrack.cli.app import command
    from oastrack.cli.lazy import COMMANDS

    root = command()
    context = root.context_class(root, info_name="oastrack")
    assert root.list_commands(context) == list(COMMANDS)
    for name in COMMANDS:
        loaded = root.get_command(context, name)
        assert loaded is not None and loaded.name == name and loaded.help
    assert root.get_command(context, "nonesuch") is None
