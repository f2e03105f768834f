"""What the analyst types on the board's command line, read into commands.

ATG yes                         a projection for one member (or several, or a bloc)
CARICOM lean-yes 0.7 source     with a confidence, then the source, in words
official ATG yes                the recorded vote
undo                            retract the last records this board wrote
assume VEN=yes CAN=no           what if (written nowhere); `assume clear` forgets it
help                            the commands
q                               quit
"""

from __future__ import annotations

from dataclasses import dataclass

from oastrack.core.positions import Position, parse_position
from oastrack.core.values import clean_code, parse_confidence

HELP = (
    "CODE… POSITION [CONFIDENCE] [SOURCE…]  log a projection (a bloc stands for its members) · "
    "official CODE… POSITION  the recorded vote · undo  retract what this board last wrote · "
    "assume CODE=POSITION…  what if (written nowhere) · assume clear · q  quit"
)
WORDS = ("official", "undo", "assume", "help", "quit", "q")


@dataclass(frozen=True)
class Vote:
    codes: tuple[str, ...]
    position: Position
    official: bool = False
    confidence: float | None = None
    source: str | None = None


@dataclass(frozen=True)
class Undo:
    pass


@dataclass(frozen=True)
class Assume:
    """What-if positions; none: forget every assumption."""

    assumed: tuple[tuple[str, Position], ...]


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Quit:
    pass


Command = Vote | Undo | Assume | Help | Quit


def _position(word: str) -> Position | None:
    try:
        return parse_position(word)
    except ValueError:
        return None


def parse(line: str) -> Command:
    """Read one typed line; raises ValueError with a message fit to show after 'Error: '."""
    words = line.split()
    if not words:
        raise ValueError("type a command, or help")
    head = words[0].lower()
    if head in ("q", "quit", "exit"):
        return Quit()
    if head == "help":
        return Help()
    if head == "undo":
        if len(words) > 1:
            raise ValueError("undo takes nothing after it")
        return Undo()
    if head == "assume":
        return _assume(words[1:])
    official = head == "official"
    return _vote(words[1:] if official else words, official)


def _assume(words: list[str]) -> Assume:
    if [w.lower() for w in words] == ["clear"]:
        return Assume(())
    if not words:
        raise ValueError("assume CODE=POSITION… (or assume clear)")
    assumed = []
    for word in words:
        code, equals, raw = word.partition("=")
        position = _position(raw) if equals else None
        if position is None:
            raise ValueError(f"{word!r}: write assume CODE=POSITION, such as assume VEN=yes")
        assumed.append((clean_code(code), position))
    return Assume(tuple(assumed))


def _vote(words: list[str], official: bool) -> Vote:
    at = next((i for i, word in enumerate(words) if _position(word) is not None), None)
    if at is None:
        raise ValueError(f"no position in {' '.join(words)!r}: write CODE… POSITION, or help")
    if at == 0:
        raise ValueError("name the members first: CODE… POSITION, such as ATG yes")
    codes = tuple(clean_code(word) for word in words[:at])
    position = _position(words[at])
    assert position is not None
    rest = words[at + 1 :]
    confidence = None
    if rest:
        try:
            confidence = parse_confidence(rest[0])
            rest = rest[1:]
        except ValueError:
            confidence = None
    return Vote(codes, position, official, confidence, " ".join(rest) or None)


def complete(line: str, codes: list[str]) -> str | None:
    """The line with its last word completed (a command word, a member or bloc code, or a
    position), or None when nothing fits."""
    if not line or line.endswith(" "):
        return None
    head, _, last = line.rpartition(" ")
    first = not head
    key = last.upper()
    prefix, equals, tail = last.partition("=")
    if equals:  # assume CODE=POS: complete the position
        found = next((p.value for p in Position if p.value.startswith(tail.lower())), None)
        return None if found is None else f"{head + ' ' if head else ''}{prefix}={found}"
    candidates: list[str] = []
    if first:
        candidates += [w for w in WORDS if w.startswith(last.lower())]
    candidates += [c for c in codes if c.startswith(key)]
    if not first:
        candidates += [p.value for p in Position if p.value.startswith(last.lower())]
    choice = next((c for c in candidates if c != last), None)
    return None if choice is None else f"{head + ' ' if head else ''}{choice}"
