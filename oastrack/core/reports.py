"""What the store answers with: plain values of the domain, read by the commands and renderers.

The store fills them from the database; nothing here knows how. They are frozen dataclasses, so
a renderer cannot change what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotations: the commands import this module at start-up
    from oastrack.core.rules import Rule
    from oastrack.core.tally import TallyResult


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    code: str
    organization_id: int
    organization: str
    start: date
    rule: str | None
    end: date | None = None  # its last day, when known


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
