"""What the store answers to the analyst's questions beyond the tally: forecast, swing,
comparison, cohesion, alignment, the chart's seats and the versions of a text.

Kept apart from `core.reports` so that a tally, the command run most, builds only its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from oastrack.core.reports import ResolutionInfo, Stance, TallyReport

if TYPE_CHECKING:
    from oastrack.core import alignment, forecast, swing, timeline
    from oastrack.core.tally import TallyResult
    from oastrack.core.textdiff import Chunk


@dataclass(frozen=True)
class MemberChance:
    code: str
    name: str
    position: str
    confidence: float | None
    yes: Fraction


@dataclass(frozen=True)
class ForecastReport:
    resolution: ResolutionInfo
    official: bool
    result: TallyResult
    forecast: forecast.Forecast
    members: list[MemberChance]  # every eligible member, by code
    as_of: datetime | None = None  # replayed as the records stood then


@dataclass(frozen=True)
class SwingReport:
    resolution: ResolutionInfo
    official: bool
    result: TallyResult
    swing: swing.Swing
    stances: dict[str, Stance]  # by member code
    blocs: list[tuple[str, ...]] | None
    as_of: datetime | None = None  # replayed as the records stood then


@dataclass(frozen=True)
class Difference:
    member: str
    name: str
    left: str | None  # None: not eligible at that resolution's meeting
    right: str | None


@dataclass(frozen=True)
class Comparison:
    left: TallyReport
    right: TallyReport
    differences: list[Difference]


@dataclass(frozen=True)
class CohesionReport:
    bloc: str
    name: str
    since: date | None
    cohesion: alignment.Cohesion


@dataclass(frozen=True)
class Agreement:
    member: str
    other: str
    other_name: str
    agreed: int
    compared: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.agreed, self.compared) if self.compared else None


@dataclass(frozen=True)
class ChartMember:
    code: str
    name: str
    position: str
    bloc: str | None


@dataclass(frozen=True)
class ChartReport:
    resolution: ResolutionInfo
    official: bool
    members: list[ChartMember]  # in seat order: by position, then bloc, then code
    counts: dict[str, int]
    result: TallyResult | None = None  # the tally: rule, required, verdict for the picture


@dataclass(frozen=True)
class TimelineReport:
    resolution: ResolutionInfo
    eligible: int
    steps: list[timeline.Step]


@dataclass(frozen=True)
class TextVersion:
    version: int
    text: str
    recorded_at: datetime
    analyst: str
    note: str | None


@dataclass(frozen=True)
class TextDiff:
    resolution: str
    old: TextVersion
    new: TextVersion
    chunks: list[Chunk]
