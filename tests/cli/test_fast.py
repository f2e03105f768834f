"""The fast path of `tally` and `vote` (oastrack/cli/fast.py) against the Typer path: the same
arguments, the same environment, a database each in the same state; the same bytes on stdout
and stderr, the same exit code and the same rows written. Arguments the fast path does not take
must reach Typer, and so must its errors, before anything was written."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oastrack.cli import fast, launch
from tests.support import Run, invoke, is_postgresql, query

RES = "MOC29-COMPROMISE"
NOW = re.compile(r"dated now \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)")


def through_launch(args: list[str], env: dict[str, str | None]) -> tuple[Run, bool]:
    """Run the console script's `main` in-process, as a shell would call it; its output, and
    whether the fast path handled the command."""
    handled: list[bool] = []
    real = fast.run

    def watched(args: Sequence[str], environ: Mapping[str, str] | None = None) -> int | None:
        code = real(args, environ)
        handled.append(code is not None)
        return code

    runner = CliRunner()
    saved = sys.argv
    with runner.isolation(env=env) as streams:
        fast.run = watched
        sys.argv = ["oastrack", *args]
        try:
            launch.main()
            exit_code = 0
        except SystemExit as stop:
            code = stop.code
            exit_code = code if isinstance(code, int) else 0 if code is None else 1
        finally:
            fast.run = real
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = (stream.getvalue().decode("utf-8", "replace") for stream in streams[:2])
    return Run(exit_code, stdout, stderr), any(handled)


def same(fast_run: Run, typer_run: Run) -> None:
    """The two runs said the same (a time of now aside, which no two runs share)."""
    assert fast_run.exit_code == typer_run.exit_code, (fast_run, typer_run)
    assert fast_run.stdout == typer_run.stdout
    assert NOW.sub("dated now (T)", fast_run.stderr) == NOW.sub("dated now (T)", typer_run.stderr)


def written(target: str) -> list[tuple[object, ...]]:
    """The positions as logged, without what differs between two runs (times, ids)."""
    return query(
        target,
        "SELECT r.code, m.code, p.position, p.kind, p.analyst, p.confidence, p.source, p.note"
        " FROM position p JOIN member m ON m.id = p.member_id"
        " JOIN resolution r ON r.id = p.resolution_id"
        " ORDER BY r.code, m.code, p.position, p.kind, p.analyst, p.source, p.note",
    )


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str | None]:
    """What every run sees: a width, an analyst, no database from the environment, and a data
    directory of the test's own (where the default database would be)."""
    return {
        "COLUMNS": "100",
        "OASTRACK_ANALYST": "tester",
        "OASTRACK_DB": None,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "_OASTRACK_COMPLETE": None,
    }


@pytest.fixture
def twin(seeded_db: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second seeded database beside `seeded_db`, in the same state."""
    if is_postgresql(seeded_db):
        make = request.getfixturevalue("pg_database")
        yield str(make(request.getfixturevalue("pg_template")))
        return
    path = tmp_path / "twin.db"
    shutil.copyfile(seeded_db, path)
    yield str(path)


# (arguments after `--db DB`, whether the fast path takes them)
TALLIES: list[tuple[list[str], bool]] = [
    (["tally", RES], True),
    (["tally", RES, "--format", "json"], True),
    (["tally", RES, "-f", "json"], True),
    (["tally", RES, "--format=csv"], True),
    (["tally", RES, "-f", "markdown"], True),
    (["tally", RES, "-f", "table"], True),
    (["tally", "-f", "json", RES], True),
    (["tally", RES, "--by-bloc"], True),
    (["tally", RES, "--by-bloc", "-f", "csv"], True),
    (["tally", RES, "--assume", "HTI=no", "--assume=DOM=abstain", "-f", "json"], True),
    (["tally", RES, "--assume", "CARICOM=yes"], True),
    (["tally", RES, "--as-of", "2017-06-18", "-f", "json"], True),
    (["tally", "moc29-compromise", "-f", "csv"], True),
    (["--analyst", "someone", "tally", RES, "-f", "json"], True),
    (["tally", "MOC29-CARICOM"], True),
    # errors of the work: the Typer path says them
    (["tally", "NO-SUCH-TEXT"], False),
    (["tally", "NO-SUCH-TEXT", "-f", "json"], False),
    (["tally", RES, "--assume", "HTI"], False),
    (["tally", RES, "--assume", "HTI=maybe"], False),
    (["tally", RES, "--as-of", "yesterday"], False),
    (["tally", "bad code!"], False),
    # arguments the fast path leaves to Click
    (["tally", RES, "--bogus"], False),
    (["tally", RES, "-f", "JSON"], False),
    (["tally", RES, "-f", "xml"], False),
    (["tally", RES, "-fjson"], False),
    (["tally", RES, "-f"], False),
    (["tally", RES, "--format", "json", "--format", "csv"], False),
    (["tally", RES, "--as-of", "--by-bloc"], False),
    (["tally", RES, "--by-bloc=yes"], False),
    (["tally", RES, "--help"], False),
    (["tally", RES, "-h"], False),
    (["tally", RES, "--", "-f"], False),
    (["tally"], False),
    (["tally", RES, "MOC29-CARICOM"], False),
    (["tally", RES, "--db", "elsewhere.db"], False),
    (["--version", "tally", RES], False),
]


@pytest.mark.parametrize(("args", "handled"), TALLIES, ids=[" ".join(a) for a, _ in TALLIES])
def test_tally_says_what_the_typer_path_says(
    seeded_db: str, environment: dict[str, str | None], args: list[str], handled: bool
) -> None:
    typer_run = invoke("--db", seeded_db, *args, env=environment)
    fast_run, taken = through_launch(["--db", seeded_db, *args], environment)
    same(fast_run, typer_run)
    assert taken is handled


def placed(args: list[str], target: str) -> list[str]:
    """`--db TARGET` before the arguments, unless they name the database (`--db=DB`)."""
    if any(arg.startswith("--db") for arg in args):
        return [f"--db={target}" if arg == "--db=DB" else arg for arg in args]
    return ["--db", target, *args]


# (the commands run in turn on each database, after `--db DB`; whether the fast path takes each)
VOTES: list[tuple[list[list[str]], list[bool]]] = [
    ([["vote", RES, "no", "HTI"]], [True]),
    ([["vote", RES, "lean-yes", "HTI", "DOM", "JAM"]], [True]),
    ([["vote", RES, "abstain", "CARICOM"]], [True]),
    ([["vote", RES, "no", "caricom", "VEN", "ALBA"]], [True]),
    ([["vote", RES, "no", "ALBA"]], [True]),  # CUB, of ALBA, is skipped: not eligible
    ([["vote", RES, "yes", "HTI"], ["vote", RES, "yes", "HTI"]], [True, True]),
    (
        [
            [
                "vote",
                RES,
                "yes",
                "HTI",
                "--official",
                "--at",
                "2017-06-19T15:00",
                "--source",
                "the roll call",
                "--note=read out",
                "--confidence",
                "80%",
            ]
        ],
        [True],
    ),
    ([["--analyst", "ana", "vote", RES, "undecided", "ATG", "--source", "call"]], [True]),
    ([["--analyst", "", "vote", RES, "yes", "HTI"]], [True]),
    ([["--analyst=ana", "--db=DB", "vote", RES, "yes", "HTI"]], [True]),
    ([["--db=", "vote", RES, "yes", "HTI"]], [False]),
    ([["vote", RES, "no", "HTI"], ["tally", RES, "-f", "json"]], [True, True]),
    # errors of the work: the Typer path says them, and nothing is written
    ([["vote", RES, "yes", "RUS"]], [False]),  # not a member of the OAS
    ([["vote", RES, "yes", "HTI", "CUB"]], [False]),  # not eligible, named
    ([["vote", RES, "yes", "HTI", "NOWHERE"]], [False]),
    ([["vote", "NO-SUCH-TEXT", "yes", "HTI"]], [False]),
    ([["vote", RES, "maybe", "HTI"]], [False]),
    ([["vote", RES, "yes", "HTI", "--confidence", "2"]], [False]),
    ([["vote", RES, "yes", "HTI", "--at", "2999-01-01"]], [False]),
    ([["vote", RES, "yes", "HTI", "--at", "soon"]], [False]),
    ([["vote", RES, "yes", "HTI", "--source", "a\x00b"]], [False]),
    # arguments the fast path leaves to Click
    ([["vote", RES, "yes", "HTI", "--bogus"]], [False]),
    ([["vote", RES, "yes"]], [False]),
    ([["vote", RES, "yes", "HTI", "--official=1"]], [False]),
    ([["vote", RES, "yes", "HTI", "--note"]], [False]),
    ([["vote", RES, "yes", "HTI", "--note", "a", "--note", "b"]], [False]),
    ([["vote", "--help"]], [False]),
]


@pytest.mark.parametrize(
    ("steps", "handled"), VOTES, ids=[" / ".join(" ".join(s) for s in v) for v, _ in VOTES]
)
def test_vote_says_and_writes_what_the_typer_path_does(
    seeded_db: str,
    twin: str,
    environment: dict[str, str | None],
    steps: list[list[str]],
    handled: list[bool],
) -> None:
    taken = []
    for args in steps:
        typer_run = invoke(*placed(args, seeded_db), env=environment)
        fast_run, took = through_launch(placed(args, twin), environment)
        same(fast_run, typer_run)
        taken.append(took)
    assert taken == handled
    assert written(twin) == written(seeded_db)


def test_the_database_can_come_from_the_environment(
    seeded_db: str, twin: str, environment: dict[str, str | None]
) -> None:
    for args, handled in (
        (["tally", RES, "-f", "json"], True),
        (["tally", RES], True),
        (["vote", RES, "no", "HTI", "DOM"], True),
    ):
        typer_run = invoke(*args, env={**environment, "OASTRACK_DB": seeded_db})
        fast_run, taken = through_launch(args, {**environment, "OASTRACK_DB": twin})
        same(fast_run, typer_run)
        assert taken is handled
    assert written(twin) == written(seeded_db)
    # --db before the command wins over the environment, on both paths
    args = ["--db", twin, "tally", RES, "-f", "csv"]
    typer_run = invoke(*args, env={**environment, "OASTRACK_DB": "nowhere.db"})
    fast_run, taken = through_launch(args, {**environment, "OASTRACK_DB": "nowhere.db"})
    same(fast_run, typer_run)
    assert taken


@pytest.mark.parametrize(
    "args",
    [["--db"], ["--db", "tally", RES], ["--db="], ["--analyst"], ["--db", "x.db", "--db"]],
    ids=["db-alone", "db-named-tally", "db-empty", "analyst-alone", "db-twice"],
)
def test_global_options_it_does_not_take_reach_click(
    sqlite_db: str, environment: dict[str, str | None], args: list[str]
) -> None:
    typer_run = invoke(*args, env=environment)
    fast_run, taken = through_launch(args, environment)
    same(fast_run, typer_run)
    assert not taken


@pytest.mark.parametrize(
    "where",
    ["missing", "empty-variable", "directory", "not-a-database"],
)
def test_a_database_it_cannot_use_is_reported_by_the_typer_path(
    tmp_path: Path, environment: dict[str, str | None], where: str
) -> None:
    env = dict(environment)
    args = ["tally", RES, "-f", "json"]
    if where == "missing":
        args = ["--db", str(tmp_path / "nowhere.db"), *args]
    elif where == "empty-variable":
        env["OASTRACK_DB"] = ""
    elif where == "directory":
        args = ["--db", str(tmp_path), *args]
    else:
        (tmp_path / "text.db").write_text("not a database\n")
        args = ["--db", str(tmp_path / "text.db"), *args]
    typer_run = invoke(*args, env=env)
    fast_run, taken = through_launch(args, env)
    same(fast_run, typer_run)
    assert typer_run.exit_code == 1 and not taken


def test_an_older_schema_is_reported_by_the_typer_path(
    sqlite_db: str, environment: dict[str, str | None]
) -> None:
    query(sqlite_db, "UPDATE alembic_version SET version_num = '0001'")
    for args in (["tally", RES], ["vote", RES, "yes", "HTI"]):
        typer_run = invoke("--db", sqlite_db, *args, env=environment)
        fast_run, taken = through_launch(["--db", sqlite_db, *args], environment)
        same(fast_run, typer_run)
        assert typer_run.exit_code == 1 and "older than this oastrack" in typer_run.stderr
        assert not taken


def test_the_default_database_is_created_by_the_typer_path(
    tmp_path: Path, environment: dict[str, str | None]
) -> None:
    """No --db: the first use creates and seeds the default database, which is the Typer
    path's work; once it exists, the fast path uses it."""
    first, second = dict(environment), dict(environment)
    first["XDG_DATA_HOME"] = str(tmp_path / "first")
    second["XDG_DATA_HOME"] = str(tmp_path / "second")
    args = ["tally", RES, "-f", "json"]
    typer_run = invoke(*args, env=first)
    fast_run, taken = through_launch(args, second)
    fast_run.stderr = fast_run.stderr.replace(str(tmp_path / "second"), str(tmp_path / "first"))
    same(fast_run, typer_run)
    assert "Created the oastrack database" in typer_run.stderr and not taken
    again, taken = through_launch(args, second)
    assert again.stdout == typer_run.stdout and again.stderr == "" and taken


def test_completion_is_left_to_typer(sqlite_db: str, environment: dict[str, str | None]) -> None:
    env = {**environment, "_OASTRACK_COMPLETE": "complete_bash", "OASTRACK_DB": sqlite_db}
    env |= {"COMP_WORDS": f"oastrack tally {RES}", "COMP_CWORD": "2"}
    run, taken = through_launch(["tally", RES], env)
    assert not taken and run.exit_code == 0 and RES in run.stdout


def test_an_error_after_the_commit_ends_the_vote_without_running_it_again(
    sqlite_db: str, environment: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the vote is committed, a failure (here: the message cannot be written) is said as
    the Typer path says it, and the vote is not run a second time."""
    from oastrack.cli import actions

    def failing(message: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(actions, "done", failing)
    run, taken = through_launch(["--db", sqlite_db, "vote", RES, "no", "HTI"], environment)
    assert taken and run.exit_code == 1
    assert run.stderr == "Error: No space left on device\n"
    assert [row for row in written(sqlite_db) if row[1] == "HTI"].count(
        (RES, "HTI", "no", "projection", "tester", None, None, None)
    ) == 1


# -- the messages, said without Rich when Rich would say just their text ----------------------

MESSAGES = [
    "Logged yes (projection) on MOC29-COMPROMISE for 1 member: HTI.",
    "Skipped (not eligible at this meeting): CUB.",
    "Already recorded, nothing added: HTI DOM.",
    "Warning: MOC-29 ended on 2017-06-19; this record is dated now (2026-12-04T20:02:35Z). "
    "If the position was taken then, retract it and log it again with --at TIME.",
    "",
    "trailing spaces   ",
    "  leading spaces",
    "x:y:z and a :-) face",
    "at 12:30:00, 2:100 and 1234: done",
    "a :thumbs-up-free: word",
]
RICH_ONLY = [
    "a :smile: face",
    ":100: points",
    "count :1234: me",
    "a :thumbs_up: and 12:30:45",
    "a :smile-text: face",
    "a [bold]b[/] c",
    "back\\slash",
    "tab\there",
    "two\nlines",
    "naïve",
    "bidi \u202e mark",
    "bell \x07",
]


def _said(
    say: str, message: str, monkeypatch: pytest.MonkeyPatch, *, rich: bool
) -> tuple[str, bool]:
    """What `say` (note, done) writes on stderr, or (rich) what Rich itself writes for it; and
    whether Rich was used."""
    from oastrack import render
    from oastrack.cli import plain

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    used: list[bool] = []
    real = render.console

    def watched(stderr: bool = False) -> Any:
        used.append(True)
        return real(stderr=stderr)

    monkeypatch.setattr(render, "console", watched)
    if rich:
        style = "green" if say == "done" else None
        render.console(stderr=True).print(render.escape(message), style=style, soft_wrap=True)
    else:
        getattr(plain, say)(message)
    monkeypatch.setattr(render, "console", real)
    return stream.getvalue(), bool(used)


@pytest.mark.parametrize("say", ["note", "done"])
@pytest.mark.parametrize("message", MESSAGES + RICH_ONLY)
@pytest.mark.parametrize("forced", [None, "FORCE_COLOR", "TTY_COMPATIBLE"])
def test_a_message_without_rich_is_what_rich_writes(
    say: str, message: str, forced: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("COLUMNS", "40")  # narrower than the longest: wrapped by neither
    if forced is not None:
        monkeypatch.setenv(forced, "1")
    ours, used = _said(say, message, monkeypatch, rich=False)
    theirs, _ = _said(say, message, monkeypatch, rich=True)
    assert ours == theirs
    assert used is (forced is not None or message in RICH_ONLY)


def test_the_emoji_codes_with_digit_names_are_riches() -> None:
    from rich._emoji_codes import EMOJI

    from oastrack.core.values import DIGIT_EMOJI

    assert {name for name in EMOJI if name.isdigit()} == DIGIT_EMOJI


def test_colours_forced_on_a_pipe_are_the_typer_path_colours(
    seeded_db: str, twin: str, environment: dict[str, str | None]
) -> None:
    env = {**environment, "FORCE_COLOR": "1"}
    for args in (["vote", RES, "no", "ALBA"], ["tally", RES]):
        typer_run = invoke("--db", seeded_db, *args, env=env)
        fast_run, taken = through_launch(["--db", twin, *args], env)
        same(fast_run, typer_run)
        assert taken and "\x1b[" in typer_run.stderr + typer_run.stdout


# -- the console script, in a fresh interpreter ----------------------------------------------

PROBE = """
import sys
from oastrack.cli import fast, launch
if {forced!r}:
    fast.run = lambda args, environ=None: None
sys.argv = ["oastrack", *{args!r}]
code = 0
try:
    launch.main()
except SystemExit as stop:
    code = stop.code
sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def script(args: list[str], *, forced: bool) -> tuple[Run, set[str]]:
    """`oastrack ARGS` in a fresh interpreter, through the fast path or (forced) around it; its
    output and the modules it imported."""
    env = {**os.environ, "COLUMNS": "100", "OASTRACK_ANALYST": "tester"}
    env.pop("OASTRACK_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(forced=forced, args=args)],
        capture_output=True,
        timeout=120,
        env=env,
    )
    stderr, _, modules = done.stderr.decode().rpartition("MODULES ")
    return Run(done.returncode, done.stdout.decode(), stderr), set(modules.split())


SCRIPTED: list[list[str]] = [
    ["tally", RES, "-f", "json"],
    ["tally", RES],
    ["tally", RES, "--by-bloc", "-f", "csv"],
    ["vote", RES, "no", "HTI", "ALBA"],
    ["tally", "NO-SUCH-TEXT"],
]
LIGHT = ("typer", "click", "sqlalchemy", "alembic")


@pytest.mark.parametrize("args", SCRIPTED, ids=[" ".join(a) for a in SCRIPTED])
def test_the_console_script_says_the_same_without_typer(
    seeded_db: str, twin: str, args: list[str]
) -> None:
    typer_run, typer_modules = script(["--db", seeded_db, *args], forced=True)
    fast_run, fast_modules = script(["--db", twin, *args], forced=False)
    same(fast_run, typer_run)
    assert "typer" in typer_modules
    loaded = sorted(m for m in fast_modules if m.split(".")[0] in LIGHT)
    if typer_run.exit_code == 0:
        assert loaded == []
    else:  # an error: said by the Typer path
        assert "typer" in loaded
    assert written(twin) == written(seeded_db)
