"""What the store answers with: plain values of the domain, read by the commands and renderers.

The store fills them from the database; nothing here knows how. They are frozen dataclasses, so
a renderer cannot change what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from oastrack.core import alignment, forecast, swing
from oastrack.core.rules import Rule
from oastrack.core.tally import TallyResult
from oastrack.core.textdiff import Chunk


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    code: str
    organization_id: int
    organization: str
    start: date
    rule: str | None


@dataclass(frozen=True)
class ResolutionInfo:
    id: int
    code: str
    title: str
    status: str
    rule: Rule
    meeting: MeetingInfo


@dataclass(frozen=True)
class Stance:
    code: str
    name: str
    position: str  # a Position value or "unknown"
    kind: str | None
    confidence: float | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class TallyReport:
    resolution: ResolutionInfo
    as_of: datetime | None
    result: TallyResult
    stances: list[Stance]  # every eligible member, by code
    assumed: dict[str, str]
    by_bloc: dict[str, dict[str, int]] | None


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


@dataclass(frozen=True)
class SwingReport:
    resolution: ResolutionInfo
    official: bool
    result: TallyResult
    swing: swing.Swing
    stances: dict[str, Stance]  # by member code
    blocs: list[tuple[str, ...]] | None


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
