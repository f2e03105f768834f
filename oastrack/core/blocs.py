"""Counting by bloc: the positions of each bloc's eligible members (blocs overlap)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from oastrack.core.tally import count_positions

NO_BLOC = "(no bloc)"


def counts_by_bloc(
    stances: Mapping[str, str], blocs: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, int]]:
    """Each bloc's counts over its eligible members (members: code -> stance), blocs in the
    order given; members of no bloc are counted under "(no bloc)", if there are any."""
    found: dict[str, dict[str, int]] = {}
    in_any: set[str] = set()
    for bloc, codes in blocs.items():
        present = [code for code in codes if code in stances]
        if present:
            found[bloc] = count_positions(stances[code] for code in present)
            in_any.update(present)
    rest = [stance for code, stance in stances.items() if code not in in_any]
    if rest:
        found[NO_BLOC] = count_positions(rest)
    return found
