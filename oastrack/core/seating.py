"""Where each member sits in the chart: by position, then by its main bloc, then by code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from oastrack.core.findings import ChartMember
from oastrack.core.positions import COUNT_KEYS
from oastrack.core.reports import Stance

_ORDER = {key: index for index, key in enumerate(COUNT_KEYS)}


def main_blocs(codes: Iterable[str], blocs: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each member's bloc for the chart: of the blocs it belongs to, the one with the most of
    these members (then the first by code). Members of no bloc are left out."""
    present = set(codes)
    size = {bloc: len(present.intersection(members)) for bloc, members in blocs.items()}
    chosen: dict[str, str] = {}
    for bloc in sorted(blocs, key=lambda b: (-size[b], b)):
        for member in blocs[bloc]:
            if member in present:
                chosen.setdefault(member, bloc)
    return chosen


def seat_order(stances: Iterable[Stance], blocs: Mapping[str, Sequence[str]]) -> list[ChartMember]:
    """The members in seat order: by position (yes first), then main bloc, then code."""
    listed = list(stances)
    bloc_of = main_blocs((s.code for s in listed), blocs)
    return sorted(
        (ChartMember(s.code, s.name, s.position, bloc_of.get(s.code)) for s in listed),
        key=lambda m: (_ORDER[m.position], m.bloc is None, m.bloc or "", m.code),
    )
