"""The live board on the whole UNGA data set: from Enter to the board redrawn, over 100 typed
commands (a projection, then `undo`, alternately), median and 95th percentile.

Goal: under 100 ms. Runs the board headless (Textual's pilot) at 120x40 on a roll call of the
2010s (193 members); builds benchmarks/work/live-unga.db the first time.
Usage: python benchmarks/live_bench.py [COMMANDS]
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time

from _common import WORK, record, tool
from import_bench import IMPORT_ARGS

from oastrack.live.app import LiveBoard
from oastrack.store.db import parse_target

COMMANDS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
ROLL_CALL = "9001"


def build() -> str:
    db = WORK / "live-unga.db"
    if not db.exists():
        oastrack = tool("oastrack")
        meeting = ["meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10"]
        for args in (["init", "--no-seed"], [*meeting, "--rule", "simple"], IMPORT_ARGS):
            subprocess.run([oastrack, "--db", str(db), *args], check=True, capture_output=True)
    return str(db)


async def measure(db: str) -> tuple[list[float], list[float], list[float], list[float], int, float]:
    app = LiveBoard(parse_target(db), ROLL_CALL, "bench")
    enter_to_drawn: list[float] = []
    handler: list[float] = []
    refreshed: list[float] = []
    empty: list[float] = []  # Enter on an empty line: what the pilot and Textual cost alone
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        members = len(app.board.view().seats)
        started = time.perf_counter()
        app.redraw()
        first = time.perf_counter() - started
        for index in range(COMMANDS):
            line = "USA lean-yes 0.6 bench" if index % 2 == 0 else "undo"
            app.query_one("#command").value = line  # type: ignore[attr-defined]
            started = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            enter_to_drawn.append(time.perf_counter() - started)
            handler.append(app.last_command)
            refreshed.append(app.last_drawn)
            started = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            empty.append(time.perf_counter() - started)
    return enter_to_drawn, handler, refreshed, empty, members, first


def main() -> None:
    WORK.mkdir(exist_ok=True)
    db = build()
    drawn, handled, refreshed, empty, members, first = asyncio.run(measure(db))

    def ms(values: list[float], q: float) -> str:
        ordered = sorted(values)
        return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f} ms"

    lines = [
        f"The UNGA data set (870,109 records); roll call {ROLL_CALL}, {members} members; "
        f"{COMMANDS} typed commands (a projection for USA, then undo, alternately) on the board "
        "at 120x40, headless.",
        "",
        "| measure | median | 95th percentile |",
        "| --- | --- | --- |",
        f"| Enter to the screen refreshed (inside the board: the command, its transaction, the "
        f"redraw and Textual's refresh after it) | {statistics.median(refreshed) * 1000:.0f} ms |"
        f" {ms(refreshed, 0.95)} |",
        f"| Enter to the board redrawn (the pilot's press and pause) | "
        f"{statistics.median(drawn) * 1000:.0f} ms | {ms(drawn, 0.95)} |",
        f"| the command itself: one transaction, then the redraw's read | "
        f"{statistics.median(handled) * 1000:.0f} ms | {ms(handled, 0.95)} |",
        f"| Enter on an empty line (the pilot and Textual alone) | "
        f"{statistics.median(empty) * 1000:.0f} ms | {ms(empty, 0.95)} |",
        "",
        f"One redraw alone: {first * 1000:.0f} ms. Goal: under 100 ms.",
    ]
    record("Live board: from Enter to the board redrawn", lines)


if __name__ == "__main__":
    main()
