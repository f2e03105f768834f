"""Import and export summaries say what they counted: members and their memberships, blocs and
their members, the sections of a snapshot; a dry run says what it would add."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Cli = Callable[..., Run]
SEED = (
    "3 organizations, 70 members, 79 memberships, 5 blocs, 50 bloc members, 2 meetings,"
    " 3 resolutions and 34 positions"
)


def said(run: Run) -> str:
    """The one summary line a command printed on stderr (the members an import creates are
    named on a line of their own), its timing blanked."""
    assert run.exit_code == 0, run.stderr
    [line] = [
        line
        for line in run.stderr.splitlines()
        if line.strip() and not line.startswith(("Created ", "Would create "))
    ]
    return re.sub(r"\(\d+\.\d s\)", "(… s)", line)


def test_exports_count_things_and_the_rows_they_fill(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    expected = {
        "members": "70 members (79 memberships)",
        "blocs": "5 blocs (50 bloc members)",
        "meetings": "2 meetings",
        "resolutions": "3 resolutions",
        "positions": "34 positions",
    }
    for kind, counts in expected.items():
        path = tmp_path / f"{kind}.csv"
        run = cli("--db", seeded_db, "export", kind, "-o", str(path))
        assert said(run) == f"Exported {counts} to {path}."
    snapshot = tmp_path / "all.json"
    run = cli("--db", seeded_db, "export", "snapshot", "-o", str(snapshot))
    assert said(run) == f"Exported 246 items to {snapshot}: {SEED}."
    popolo = tmp_path / "popolo.json"
    run = cli("--db", seeded_db, "export", "snapshot", "--format", "popolo", "-o", str(popolo))
    assert said(run) == (
        f"Exported 213 items to {popolo}: 80 organizations, 129 memberships, 3 motions"
        " and 1 vote event."
    )


def test_imports_count_what_each_row_adds_and_a_dry_run_what_it_would(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    members = tmp_path / "members.csv"
    members.write_text(
        "code,name,org,start\nXAA,Aland,OAS,2030-01-01\nXBB,Bland,OAS,2030-01-01\n"
        "XBB,Bland,UNSC,2030-01-01\n"
    )
    blocs = tmp_path / "blocs.csv"
    blocs.write_text("bloc,name,member\nNEWB,New,XAA\nNEWB,New,XBB\nNEWC,Other,XAA\n")

    run = cli("--db", seeded_db, "import", "members", str(members))
    assert said(run) == (
        f"Imported 3 rows read from {members}: 2 members and 3 memberships added,"
        " none already present (… s)."
    )
    run = cli("--db", seeded_db, "import", "blocs", str(blocs), "--dry-run")
    assert said(run) == (
        f"Dry run, nothing written: 3 rows read from {blocs} would add 2 blocs and"
        " 3 bloc members, none already present (… s)."
    )
    run = cli("--db", seeded_db, "import", "blocs", str(blocs))
    assert said(run) == (
        f"Imported 3 rows read from {blocs}: 2 blocs and 3 bloc members added,"
        " none already present (… s)."
    )
    run = cli("--db", seeded_db, "import", "blocs", str(blocs))
    assert said(run) == (
        f"Imported 3 rows read from {blocs}: nothing added, 2 blocs and 3 bloc members"
        " already present (… s)."
    )


def test_a_dry_run_of_positions_says_what_it_would_create(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(
        "resolution,member,name,position\nNEW-1,XAA,Aland,yes\nNEW-1,XBB,Bland,no\n"
        "NEW-2,XAA,Aland,yes\n"
    )
    # New members with no start count at 2017's meeting: said so, and allowed here.
    args = [
        *("--db", seeded_db, "import", "positions", str(votes)),
        *("--create-missing", "--allow-past-changes"),
    ]
    run = cli(*args, "--meeting", "MOC-29", "--dry-run")
    assert said(run) == (
        f"Dry run, nothing written: 3 rows read from {votes} would add 3 positions,"
        " none already present; would create 2 resolutions and 2 members (… s)."
    )
    run = cli(*args, "--meeting", "MOC-29")
    assert said(run) == (
        f"Imported 3 rows read from {votes}: 3 positions added, none already present;"
        " created 2 resolutions and 2 members (… s)."
    )
