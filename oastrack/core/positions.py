"""Positions a member can take on a resolution, and the kinds of record."""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    """One member's stance on one resolution, from firm support to staying away."""

    YES = "yes"
    LEAN_YES = "lean-yes"
    UNDECIDED = "undecided"
    LEAN_NO = "lean-no"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"


class Kind(StrEnum):
    """A projection is an analyst's reading before the vote; official is the recorded vote."""

    PROJECTION = "projection"
    OFFICIAL = "official"


# The label of an eligible member with no position logged.
UNKNOWN = "unknown"

# The order in which counts are shown: the seven positions, then unknown.
COUNT_KEYS: tuple[str, ...] = (*(p.value for p in Position), UNKNOWN)

# Members who have stated where they stand; the rest (leans, undecided, unknown) are in play.
FIRM: frozenset[str] = frozenset({Position.YES, Position.NO, Position.ABSTAIN, Position.ABSENT})

# The order in which members are likeliest to move to yes (PRODUCT.md, swing).
LIKELIEST_TO_YES: tuple[str, ...] = (
    Position.LEAN_YES,
    Position.UNDECIDED,
    UNKNOWN,
    Position.ABSTAIN,
    Position.ABSENT,
    Position.LEAN_NO,
    Position.NO,
)

_ALIASES = {
    "y": Position.YES,
    "n": Position.NO,
    "a": Position.ABSTAIN,
    "lean_yes": Position.LEAN_YES,
    "leanyes": Position.LEAN_YES,
    "lean_no": Position.LEAN_NO,
    "leanno": Position.LEAN_NO,
}


def parse_position(raw: str) -> Position:
    """Read a position as typed by a person: case and surrounding blanks do not matter.

    Raises ValueError with a message that lists the seven positions.
    """
    text = raw.strip().lower()
    try:
        return Position(text)
    except ValueError:
        pass
    alias = _ALIASES.get(text)
    if alias is not None:
        return alias
    raise ValueError(
        f"{raw!r} is not a position; use one of: {', '.join(p.value for p in Position)}"
    )


def check_recordable(position: str, kind: str) -> None:
    """A recorded vote is yes, no, abstain or absent: leans and undecided are projections."""
    if kind == Kind.OFFICIAL and position not in FIRM:
        raise ValueError(
            f"an official vote is yes, no, abstain or absent, not {position} "
            "(log leans and undecided members as projections)"
        )


def parse_kind(raw: str) -> Kind:
    """Read a record kind (`projection` or `official`), case-insensitively."""
    text = raw.strip().lower()
    try:
        return Kind(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a kind; use projection or official") from None
