"""The board's model: what it shows (one read of the database) and what a typed command does
(one transaction, through the same services as `oastrack vote` and `oastrack retract`).

No Textual here: the app (`live.app`) draws a `View` and hands typed lines to `Board.run`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from oastrack.core import forecast
from oastrack.core.findings import ChartMember
from oastrack.core.positions import Kind, Position
from oastrack.core.reports import TallyReport
from oastrack.core.seating import seat_order
from oastrack.errors import InvalidInput, OastrackError
from oastrack.live import commands
from oastrack.store import blocs, members, positions, retractions, tallies
from oastrack.store.db import Database
from oastrack.store.positions import now_utc


@dataclass(frozen=True)
class View:
    """Everything the board shows, read in one transaction."""

    report: TallyReport
    seats: list[ChartMember]  # in seat order: by position, then main bloc, then code
    probability: Fraction | None  # None: too many distinct weights for an exact answer
    expected_yes: Fraction | None
    vetoes: frozenset[str]


@dataclass
class Outcome:
    """What a typed command did, in one line for the board, and whether to quit."""

    message: str
    error: bool = False
    quit: bool = False
    help: bool = False


@dataclass
class Board:
    db: Database
    resolution: str
    analyst: str
    assumed: dict[str, Position] = field(default_factory=dict)
    # The records each typed vote added, newest last: what `undo` takes back.
    written: list[list[int]] = field(default_factory=list)

    def view(self) -> View:
        return self.db.read(self._view)

    def _view(self) -> View:
        report = tallies.tally_resolution(
            self.db, self.resolution, assume=list(self.assumed.items()) or None
        )
        res = report.resolution
        held = tallies.powers(self.db, res)
        chances = {s.code: (s.position, s.confidence) for s in report.stances}
        probability: Fraction | None = None
        expected: Fraction | None = None
        try:
            outlook = forecast.forecast(res.rule, chances, official=report.result.official, **held)
            probability, expected = outlook.probability, outlook.expected_yes
        except ValueError:
            pass  # too many distinct weights for an exact answer: the board shows none
        on_date = blocs.blocs_on(self.db, res.meeting.start)
        vetoes = frozenset(held.get("vetoes", ()))
        return View(report, seat_order(report.stances, on_date), probability, expected, vetoes)

    def codes(self) -> list[str]:
        """Member and bloc codes, for completion."""
        return self.db.read(
            lambda: sorted(
                {c for c, _ in members.codes(self.db)} | {c for c, _ in blocs.codes(self.db)}
            )
        )

    def run(self, line: str) -> Outcome:
        """Do what the line says; a mistake is a message, never an exception."""
        try:
            command = commands.parse(line)
        except ValueError as error:
            return Outcome(f"Error: {error}", error=True)
        try:
            return self._do(command)
        except OastrackError as error:
            hint = f" ({error.hint})" if error.hint else ""
            return Outcome(f"Error: {error.message}{hint}", error=True)

    def _do(self, command: commands.Command) -> Outcome:
        if isinstance(command, commands.Quit):
            return Outcome("", quit=True)
        if isinstance(command, commands.Help):
            return Outcome(commands.HELP, help=True)
        if isinstance(command, commands.Assume):
            return self._assume(command)
        if isinstance(command, commands.Undo):
            return self._undo()
        return self._vote(command)

    def _assume(self, command: commands.Assume) -> Outcome:
        if not command.assumed:
            self.assumed.clear()
            return Outcome("What if: cleared.")
        trial = {**self.assumed, **dict(command.assumed)}
        # Check the codes against the resolution before keeping them (the tally expands blocs).
        self.db.read(
            lambda: tallies.tally_resolution(self.db, self.resolution, assume=list(trial.items()))
        )
        self.assumed = trial
        shown = ", ".join(f"{code}={position.value}" for code, position in self.assumed.items())
        return Outcome(f"What if: {shown} (nothing written).")

    def _vote(self, command: commands.Vote) -> Outcome:
        kind = Kind.OFFICIAL if command.official else Kind.PROJECTION
        logged = self.db.write(
            lambda: positions.log_positions(
                self.db,
                self.resolution,
                command.position,
                list(command.codes),
                kind=kind,
                recorded_at=now_utc(),
                analyst=self.analyst,
                confidence=command.confidence,
                source=command.source,
                note=None,
            )
        )
        if not logged.added:
            return Outcome(f"Already recorded, nothing added: {' '.join(logged.already)}.")
        self.written.append(logged.ids)
        skipped = f" (not eligible: {' '.join(logged.skipped)})" if logged.skipped else ""
        plural = "s" if len(logged.added) != 1 else ""
        return Outcome(
            f"Logged {logged.position} ({logged.kind}) for {len(logged.added)} member{plural}: "
            f"{' '.join(logged.added)}{skipped}."
        )

    def _undo(self) -> Outcome:
        if not self.written:
            raise InvalidInput("nothing to undo: this board has written nothing yet")
        ids = self.written[-1]
        undone = self.db.write(
            lambda: retractions.retract_records(
                self.db,
                ids,
                analyst=self.analyst,
                at=now_utc().replace(microsecond=0),
                note="undone on the live board",
            )
        )
        self.written.pop()
        if not undone:
            return Outcome("Nothing to undo: those records were retracted already.")
        shown = " ".join(f"{r.member} {r.position}" for r in undone)
        return Outcome(f"Undone (retracted): {shown}.")
