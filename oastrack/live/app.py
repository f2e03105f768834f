"""The board itself (Textual): seats by bloc, the count always in view, a command line.

Typed commands go to `live.board.Board`, one transaction each; other writers' records are
seen by a worker thread with its own connection (`store.watch`), which asks for a redraw.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from oastrack.core.tally import IN_PLAY, Verdict
from oastrack.live import commands
from oastrack.live.board import Board, View
from oastrack.render.chart import COLOURS, GLYPHS
from oastrack.render.tally_words import percent_of, powers_line, rule_words
from oastrack.store import watch
from oastrack.store.db import Database, Target

VERDICT_STYLE = {
    Verdict.PASSES: "bold green",
    Verdict.FAILS: "bold red",
    Verdict.OPEN: "bold yellow",
}
POLL_SECONDS = 0.5


class CodeSuggester(Suggester):
    """Completes the last word: a command, a member or bloc code, a position."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.codes = codes

    async def get_suggestion(self, value: str) -> str | None:
        return commands.complete(value, self.codes)


class Seats:
    """Every eligible member as a seat (a letter for its position, then its code), grouped by
    bloc, laid out to the width it is given so that no seat breaks across lines; what-if seats
    reversed, veto holders underlined."""

    def __init__(self, view: View, assumed: set[str]) -> None:
        self.view = view
        self.assumed = assumed

    def __rich_console__(self, console: Any, options: Any) -> Any:
        sizes: dict[str, int] = {}
        for seat in self.view.seats:
            sizes[seat.bloc or ""] = sizes.get(seat.bloc or "", 0) + 1
        groups: dict[str, list[Any]] = {}
        for seat in self.view.seats:  # a bloc of one here is no group: its member joins no bloc
            bloc = seat.bloc if seat.bloc and sizes[seat.bloc] > 1 else ""
            groups.setdefault(bloc, []).append(seat)
        order = sorted(groups, key=lambda bloc: (bloc == "", -len(groups[bloc]), bloc))
        width = max(10, options.max_width)
        for bloc in order:
            members = sorted(groups[bloc], key=lambda m: m.code)
            label = bloc or ("members" if len(order) == 1 else "no bloc")
            yield Text(f"{label} {len(members)}", style="bold")
            line, used = Text(), 0
            for member in members:
                label = f"{GLYPHS[member.position]} {member.code}"
                if used and used + 2 + len(label) > width:
                    yield line
                    line, used = Text(), 0
                if used:
                    line.append("  ")
                    used += 2
                style = COLOURS[member.position]
                if member.code in self.assumed:
                    style += " reverse"
                if member.code in self.view.vetoes:
                    style += " underline"
                line.append(label, style=style)
                used += len(label)
            if used:
                yield line


def panel_text(view: View) -> Text:
    """The count, required, short by, verdict, projected verdict and chance of passing."""
    result = view.report.result
    text = Text()

    def line(label: str, value: str, style: str = "bold") -> None:
        text.append(f"{label:<11}")
        text.append(f"{value}\n", style=style)

    line("Required", f"{result.required}")
    line("Yes", f"{result.yes}")
    line("Short by", f"{result.short_by}")
    line("Verdict", result.verdict.value.upper(), VERDICT_STYLE[result.verdict])
    if not result.official:
        line("Projected", f"{result.projected.value} ({result.projected_yes} yes)")
    if view.probability is not None:
        hundredths = int(view.probability * 10_000)
        line("P(pass)", f"{hundredths // 100}.{hundredths % 100:02d}%")
    if result.weight_total:
        line("Weight", f"{percent_of(result.weight_yes or 0, result.weight_total)}")
    if view.vetoes:
        text.append("Veto       ")
        text.append(" ".join(sorted(view.vetoes)) + "\n", style="underline")
    powers = powers_line(view.report)
    if powers:
        text.append(f"{powers}\n", style="bold red" if result.vetoed_by else "")
    text.append("\n")
    for key, count in result.counts.items():
        if count:
            text.append(f"{GLYPHS[key]} ", style=COLOURS[key])
            text.append(f"{key} {count}\n")
    in_play = [s for s in view.report.stances if s.position in IN_PLAY and s.position != "unknown"]
    if in_play and not result.official:
        text.append("\nIn play\n", style="bold")
        for key in IN_PLAY:
            codes = [s.code for s in in_play if s.position == key]
            if codes:
                text.append(f"{key}: {' '.join(codes)}\n")
    text.rstrip()
    return text


def heading_text(view: View, assumed: dict[str, Any]) -> Text:
    res, result = view.report.resolution, view.report.result
    text = Text()
    text.append(res.code, style="bold")
    text.append(f" — {res.title}\n")
    context = [
        f"{res.meeting.code} ({res.meeting.organization}, {res.meeting.start})",
        f"rule {rule_words(view.report)}",
        f"{result.eligible} eligible",
        "official vote" if result.official else "projections",
    ]
    text.append(" · ".join(context), style="dim")
    if assumed:
        shown = ", ".join(f"{code}={position.value}" for code, position in assumed.items())
        text.append(f"\nWHAT IF {shown} (nothing written)", style="bold magenta")
    return text


class LiveBoard(App[None]):
    """`oastrack live RES`."""

    TITLE = "oastrack live"
    CSS = """
    Screen { layout: vertical; }
    #heading { height: auto; max-height: 4; padding: 0 1; }
    #main { height: 1fr; }
    #seats-box { width: 1fr; padding: 0 1; }
    #panel { width: 34; padding: 0 1; border-left: solid $primary; }
    #message { height: auto; max-height: 3; padding: 0 1; }
    #command { dock: bottom; }
    """
    BINDINGS: ClassVar[list[Any]] = [Binding("ctrl+c", "quit", "Quit", priority=True)]

    def __init__(self, target: Target, resolution: str, analyst: str) -> None:
        super().__init__()
        self.target = target
        self.db = Database.open(target)
        self.board = Board(self.db, resolution, analyst)
        # Seconds the last redraw, the last typed command (with its redraw) and the screen's
        # refresh after it took: the benchmark reads them.
        self.last_redraw = 0.0
        self.last_command = 0.0
        self.last_drawn = 0.0  # from the command typed to the screen refreshed after it

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        with Horizontal(id="main"):
            with VerticalScroll(id="seats-box"):
                yield Static(id="seats")
            yield Static(id="panel")
        yield Static(id="message")
        yield Input(
            placeholder="ATG yes · official ATG yes · undo · assume VEN=yes · help · q",
            suggester=CodeSuggester(self.board.codes()),
            id="command",
        )

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#command", Input).focus()
        self.watch_others()

    def redraw(self) -> None:
        started = time.perf_counter()
        view = self.board.view()
        self.query_one("#heading", Static).update(heading_text(view, self.board.assumed))
        self.query_one("#seats", Static).update(Seats(view, set(view.report.assumed)))
        self.query_one("#panel", Static).update(panel_text(view))
        self.last_redraw = time.perf_counter() - started

    def say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#message", Static).update(Text(message, style="bold red" if error else ""))

    @on(Input.Submitted, "#command")
    def typed(self, event: Input.Submitted) -> None:
        started = time.perf_counter()
        line = event.value.strip()
        event.input.value = ""
        if not line:
            return
        outcome = self.board.run(line)
        if outcome.quit:
            self.exit()
            return
        self.say(outcome.message, error=outcome.error)
        if not outcome.error:
            self.redraw()
        self.last_command = time.perf_counter() - started
        self.call_after_refresh(self._drawn, started)

    def _drawn(self, started: float) -> None:
        self.last_drawn = time.perf_counter() - started

    @work(thread=True, exclusive=True, name="watch")
    def watch_others(self) -> None:
        """Redraw when another analyst or process writes records of this resolution."""
        worker = get_current_worker()
        db = Database.open(self.target)
        try:
            watcher = watch.Watcher(db, self.board.resolution)
            while not worker.is_cancelled:
                time.sleep(POLL_SECONDS)
                if watcher.changed():
                    self.call_from_thread(self.redraw)
        finally:
            db.close()

    def on_unmount(self) -> None:
        self.db.close()
