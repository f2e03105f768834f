"""Every command's options, fuzzed: random text, numbers, dates and codes given to the real
console script, in a subprocess, against a seeded SQLite database. Whatever is typed, the answer
is exit 0, 1 or 2 and never a traceback.

Deterministic (derandomized) and about a minute by default; OASTRACK_FUZZ_EXAMPLES=2000 searches
longer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oastrack.cli.app import app

EXAMPLES = int(os.environ.get("OASTRACK_FUZZ_EXAMPLES", "60"))

# Values a user would plausibly type, so that the commands get past the first look-up.
KNOWN = [
    "MOC29-COMPROMISE",
    "MOC29-CARICOM",
    "MOC-29",
    "ARG",
    "VEN",
    "CARICOM",
    "OAS",
    "UNSC",
    "yes",
    "no",
    "lean-yes",
    "abstain",
    "official",
    "projection",
    "simple",
    "two-thirds",
    "security-council",
    "members>=3/5 weight>=85%",
    "ARG=yes",
    "VEN=no",
    "positions",
    "members",
    "snapshot",
    "csv",
    "json",
    "popolo",
    "0.7",
    "80%",
    "1",
    "2",
]
# Options and arguments that name a file: kept inside the test's own directory.
FILES = {"file", "output", "svg", "text_file"}

_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40
)
# Bytes that are not UTF-8 reach the program as lone surrogates (surrogateescape).
_bytes = st.binary(min_size=1, max_size=12).map(
    lambda raw: raw.replace(b"\x00", b"").decode("utf-8", "surrogateescape") or "x"
)
_numbers = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_dates = st.builds(
    lambda y, m, d, rest: f"{y:04d}-{m:02d}-{d:02d}{rest}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["", "T00:00", "T23:59:59Z", "T23:00-05:00", "T00:00+01:00", "T25:00", "x"]),
)
VALUES = st.one_of(st.sampled_from(KNOWN), _text, _bytes, _numbers, _dates)
PATHS = st.sampled_from(["out.csv", "out.svg", "rows.csv", "text.txt", "-", "missing.csv", "."])


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "list_commands"):
            context = command.context_class(command, info_name="oastrack")
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    walk(sub, (*path, name))
        else:
            found.append((path, command))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    args: list[str] = []
    if draw(st.booleans()):
        args += ["--analyst", draw(VALUES)]
    args += list(path)
    positional: list[str] = []
    for param in command.params:
        is_file = param.name in FILES
        value = PATHS if is_file else VALUES
        choices = getattr(param.type, "choices", None)
        if choices:
            value = st.one_of(st.sampled_from([str(c) for c in choices]), VALUES)
        if param.param_type_name == "argument":
            if param.required or draw(st.booleans()):
                many = draw(st.integers(1, 3)) if param.nargs == -1 else 1
                positional += [draw(value) for _ in range(many)]
            continue
        if getattr(param, "is_flag", False):
            if draw(st.booleans()):
                args.append(param.opts[0])
            continue
        if param.required or draw(st.integers(0, 2)) == 0:
            for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
                args += [param.opts[0], draw(value)]
    return args + positional


@pytest.fixture(scope="module")
def fuzz_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(sqlite_template, where / "fuzz.db")
    (where / "rows.csv").write_text("resolution,member,position\nMOC29-COMPROMISE,ARG,yes\n")
    (where / "text.txt").write_text("The Permanent Council resolves to act.\n")
    return where


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(args=invocations())
def test_no_option_gives_a_traceback(fuzz_db: Path, args: list[str]) -> None:
    env = {
        **os.environ,
        "COLUMNS": "120",
        "OASTRACK_ANALYST": "fuzz",
        "OASTRACK_BUSY_TIMEOUT_MS": "5000",
    }
    env.pop("OASTRACK_DB", None)
    run = subprocess.run(
        [sys.executable, "-m", "oastrack", "--db", str(fuzz_db / "fuzz.db"), *args],
        cwd=fuzz_db,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    out = run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
    assert run.returncode in (0, 1, 2), (args, out[-2000:])
    assert "Traceback" not in out, (args, out[-2000:])
