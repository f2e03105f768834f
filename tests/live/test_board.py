"""`oastrack live`: the board driven by Textual's pilot, headless, on both back ends.

Typing a vote writes exactly one record and the count on screen changes; `undo` retracts it;
`assume` writes nothing; a record written by another process appears within two seconds. The
screens at 80x24 and 120x40 are compared with the ones recorded in tests/live/screens (set
OASTRACK_UPDATE_SCREENS=1 to record them again, then look at them).
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from oastrack.live.app import LiveBoard
from oastrack.store.db import Database, parse_target
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]
SCREENS = Path(__file__).parent / "screens"
RES = "MOC29-CARICOM"


def ok(cli: Cli, *args: str) -> Run:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def records(db: str, resolution: str = RES) -> list[tuple[Any, ...]]:
    """(member, position, kind, retracted) of every record of the resolution, by id."""
    conn = Database.open(parse_target(db))
    try:
        return conn.read(
            lambda: conn.all(
                "SELECT m.code, p.position, p.kind, t.id IS NOT NULL FROM position p"
                " JOIN member m ON m.id = p.member_id JOIN resolution r ON r.id = p.resolution_id"
                " LEFT JOIN retraction t ON t.position_id = p.id WHERE r.code = ? ORDER BY p.id",
                (resolution,),
            )
        )
    finally:
        conn.close()


def text_of(app: LiveBoard, widget: str) -> str:
    """What a part of the board shows, as plain text at its width."""
    from rich.console import Console

    found = app.query_one(widget, Static)
    console = Console(width=max(10, found.content_size.width), record=True, file=io.StringIO())
    console.print(found.content)
    return console.export_text().rstrip("\n")


def drive(
    db: str,
    resolution: str,
    steps: Callable[[LiveBoard, Any], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
) -> None:
    async def main() -> None:
        app = LiveBoard(parse_target(db), resolution, "tester")
        async with app.run_test(size=size) as pilot:
            app.query_one("#command", Input).cursor_blink = False
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(main())


async def type_line(pilot: Any, line: str) -> None:
    await pilot.press(*line)
    await pilot.press("enter")
    await pilot.pause()


def test_a_typed_vote_writes_one_record_and_undo_retracts_it(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        assert "Yes        0" in text_of(app, "#panel")
        await type_line(pilot, "ATG yes")
        assert records(seeded_db) == [("ATG", "yes", "projection", False)]
        assert text_of(app, "#message") == "Logged yes (projection) for 1 member: ATG."
        assert "Yes        1" in text_of(app, "#panel")
        assert "Y ATG" in text_of(app, "#seats")
        await type_line(pilot, "undo")
        assert records(seeded_db) == [("ATG", "yes", "projection", True)]
        assert text_of(app, "#message") == "Undone (retracted): ATG yes."
        assert "Yes        0" in text_of(app, "#panel")
        await type_line(pilot, "undo")
        assert text_of(app, "#message") == (
            "Error: nothing to undo: this board has written nothing yet"
        )

    drive(seeded_db, RES, steps)


def test_a_bloc_with_confidence_and_source_and_an_official_vote(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        await type_line(pilot, "SICA lean-no 0.7 SICA statement")
        sica = ["BLZ", "CRI", "DOM", "GTM", "HND", "NIC", "PAN", "SLV"]
        assert [r[:2] for r in records(seeded_db)] == [(code, "lean-no") for code in sica]
        assert text_of(app, "#message") == (
            "Logged lean-no (projection) for 8 members: " + " ".join(sica) + "."
        )
        assert "lean-no: " + " ".join(sica) in " ".join(text_of(app, "#panel").split())
        await type_line(pilot, "official NIC no")
        assert records(seeded_db)[-1] == ("NIC", "no", "official", False)
        assert "Verdict    FAILS" in text_of(app, "#panel")
        assert "official vote" in " ".join(text_of(app, "#heading").split())

    drive(seeded_db, RES, steps)


def test_assume_writes_nothing_and_mistakes_are_one_line(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        await type_line(pilot, "assume CARICOM=yes")
        assert records(seeded_db) == []
        assert "WHAT IF CARICOM=yes (nothing written)" in " ".join(text_of(app, "#heading").split())
        assert "Yes        14" in text_of(app, "#panel")
        await type_line(pilot, "assume clear")
        assert "WHAT IF" not in text_of(app, "#heading")
        for line, message in [
            (
                "XXX yes",
                "Error: no member or bloc 'XXX' (see: oastrack member list, oastrack bloc list)",
            ),
            ("ATG maybe", "Error: no position in 'ATG maybe': write CODE… POSITION, or help"),
            ("assume VEN", "Error: 'VEN': write assume CODE=POSITION, such as assume VEN=yes"),
            (
                "official ATG lean-yes",
                "Error: an official vote is yes, no, abstain or absent, not lean-yes (log leans"
                " and undecided members as projections)",
            ),
        ]:
            await type_line(pilot, line)
            assert " ".join(text_of(app, "#message").split()) == message, line
        assert records(seeded_db) == []

    drive(seeded_db, RES, steps)


def test_completion_of_codes_and_positions(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        command = app.query_one("#command", Input)
        await pilot.press(*"CARI")
        await pilot.pause(0.2)
        await pilot.press("right")
        assert command.value == "CARICOM"
        await pilot.press(*" lean-")
        await pilot.pause(0.2)
        await pilot.press("right")
        assert command.value == "CARICOM lean-yes"

    drive(seeded_db, RES, steps)


def test_a_record_written_by_another_process_appears_within_two_seconds(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        assert "Y HTI" not in text_of(app, "#seats")
        oastrack = Path(sys.executable).with_name("oastrack")
        done = subprocess.run(
            [str(oastrack), "--db", seeded_db, "vote", RES, "yes", "HTI"],
            capture_output=True,
            text=True,
            env={**os.environ, "OASTRACK_ANALYST": "colleague"},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        written = time.monotonic()
        while "Y HTI" not in text_of(app, "#seats"):
            assert time.monotonic() - written < 2.0, "the record did not appear within 2 s"
            await pilot.pause(0.05)

    drive(seeded_db, RES, steps)


def test_quit_with_q(seeded_db: str) -> None:
    async def steps(app: LiveBoard, pilot: Any) -> None:
        await type_line(pilot, "q")
        assert not app.is_running

    drive(seeded_db, RES, steps)


def test_without_a_terminal_it_says_so(cli: Cli, seeded_db: str) -> None:
    run = cli("--db", seeded_db, "live", "MOC29-COMPROMISE")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == "Error: oastrack live needs a terminal"
    unknown = cli("--db", seeded_db, "live", "NOPE")
    assert (unknown.exit_code, unknown.stderr.splitlines()[0]) == (
        1,
        "Error: no resolution 'NOPE'",
    )


# -- the screens ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("which", ["cancun", "security-council"])
def test_the_screen_is_the_one_recorded(
    cli: Cli, sqlite_db: str, which: str, size: tuple[int, int]
) -> None:
    resolution = (
        "MOC29-COMPROMISE" if which == "cancun" else support.security_council_vote(sqlite_db)
    )
    shots: list[str] = []

    async def steps(app: LiveBoard, pilot: Any) -> None:
        shots.append(app.export_screenshot(title=f"oastrack live {resolution}"))

    drive(sqlite_db, resolution, steps, size)
    path = SCREENS / f"{which}-{size[0]}x{size[1]}.svg"
    if os.environ.get("OASTRACK_UPDATE_SCREENS"):
        path.write_text(shots[0], encoding="utf-8")
    assert path.exists(), f"no recorded screen {path.name}: run with OASTRACK_UPDATE_SCREENS=1"
    assert shots[0] == path.read_text(encoding="utf-8"), f"the screen differs from {path.name}"
