"""The tally's table on a pipe or in a file without Rich: the bytes Rich writes there, in the
cases below, and nothing at all (Rich draws it, render/tally.py) in every other.

Importing Rich's console and table costs a third of a whole tally; a tally written to a file
or a pipe rarely needs what they do. `written` is the one decision, and it is taken only when
the outcome is certain:

- standard output is no terminal, in UTF-8, and nothing makes Rich take it for one (no
  FORCE_COLOR, no TTY_COMPATIBLE but 0), not on Windows, not under IPython: Rich then
  writes no colour and no style, at the width of render.table.piped_width() (COLUMNS, a
  terminal on stderr or stdin, else 120), and the piped stream drops the spaces that end
  its lines (render.table.Trimmed);
- every line is printable ASCII without markup's brackets and backslash (beside the `—` and
  `·` oastrack writes itself), and holds no `:name:` Rich could show as an emoji: a code,
  title, name or bloc with any other character leaves the tally to Rich;
- the counts and the blocs fit the width whole (Rich would fold their headers), and a members
  table keeps its first column (the width is at least twice it), so that only the names wrap.

Lines wrap as Rich's Text wraps them (rich._wrap.divide_line, followed step by step for text
of one column a character). A differential test holds this to Rich, byte for byte.
"""

from __future__ import annotations

import builtins
import itertools
import os
import re
import sys
from collections.abc import Sequence

from oastrack.core.gap import blocked_by, gap_closers
from oastrack.core.positions import COUNT_KEYS
from oastrack.core.reports import Stance, TallyReport
from oastrack.core.tally import IN_PLAY
from oastrack.core.values import only_clock_colons
from oastrack.render.tally_words import context_line, powers_line, what_if

# What Rich prints as it is, once escaped: printable ASCII but markup's `[`, `\` and `]`, and
# the dash and the dot of oastrack's own lines (one column each for Rich too).
_PLAIN = re.compile(r"[ -Z^-~—·]*")
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word


class _Unplain(Exception):
    """Something only Rich may draw."""


def written(report: TallyReport) -> bool:
    """Write the tally's table on standard output if it is a case above; whether it was."""
    width = plain_width()
    drawn = None if width is None else lines(report, width)
    if drawn is None:
        return False
    sys.stdout.write("".join(line + "\n" for line in drawn))
    sys.stdout.flush()
    return True


def plain_width() -> int | None:
    """The width Rich would draw at on standard output when it would write plain text there;
    None when it might write anything else."""
    environ = os.environ
    if environ.get("TTY_COMPATIBLE", "") not in ("", "0") or environ.get("FORCE_COLOR"):
        return None
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None  # a legacy console, or Jupyter: Rich's own ways
    stream = sys.stdout
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8":
        return None
    from oastrack.render.table import piped_width

    return piped_width() or 120


def lines(report: TallyReport, width: int) -> list[str] | None:
    """The tally's table as Rich writes it at `width` on a pipe; None when Rich must draw it."""
    try:
        return _lines(report, width)
    except _Unplain:
        return None


def _lines(report: TallyReport, width: int) -> list[str]:
    result, res = report.result, report.resolution
    drawn: list[str] = []

    def say(line: str) -> None:
        drawn.extend(wrap(_checked(line), width))

    say(f"{res.code} — {res.title}")
    say(context_line(report))
    if res.status in ("withdrawn", "rejected", "adopted"):
        say(f"Status: {res.status}")
    if report.assumed:
        say(f"What if: {what_if(report)} (nothing written)")
    drawn.append("")
    drawn += grid(list(COUNT_KEYS), [[f"{result.counts[k]:,}" for k in COUNT_KEYS]], width)
    drawn.append("")
    line = (
        f"Required {result.required:,}   Yes {result.yes:,}   Short by {result.short_by:,}   "
        f"Verdict {result.verdict.value.upper()}"
    )
    if not result.official:
        line += f"   Projected {result.projected.value} ({result.projected_yes} yes with leans)"
    no = blocked_by(result)
    if no:
        line += f"   Blocked by {no} no vote{'s' if no != 1 else ''}"
    say(line)
    powers = powers_line(report)
    if powers:
        say(powers)
    in_play = [s for s in report.stances if s.position in IN_PLAY]
    if in_play and not result.official:
        drawn += members("Still in play", IN_PLAY, in_play, width)
    closers = gap_closers(result, report.stances)
    if closers is not None:
        drawn += members(closers.title, closers.order, list(closers.members), width)
    if report.by_bloc is not None:
        rows = [
            [bloc, *(f"{counts[k]:,}" for k in COUNT_KEYS)]
            for bloc, counts in report.by_bloc.items()
        ]
        drawn += ["", *wrap(_checked("By bloc (blocs overlap)"), width)]
        drawn += grid(["bloc", *COUNT_KEYS], rows, width, left=1)
    return drawn


def _checked(line: str) -> str:
    """The line if Rich prints it as it is, else _Unplain."""
    if _PLAIN.fullmatch(line) is None or not only_clock_colons(line):
        raise _Unplain
    return line


def grid(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, left: int = 0
) -> list[str]:
    """A table in the house style (render.output.grid) whose columns fit whole: the header, the
    rule under it, the rows; the first `left` columns justified left, the others right."""
    count = len(headers)
    if not rows:
        raise _Unplain
    cells = [[_checked(value) for value in row] for row in [headers, *rows]]
    if any(value != value.strip() for row in cells for value in row):
        raise _Unplain
    natural = [max(len(row[index]) for row in cells) or 1 for index in range(count)]
    # Each column but the last is padded by a space on its right, and a space divides them.
    if sum(natural) + 2 * (count - 1) > width:
        raise _Unplain

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            value.ljust(natural[i]) if i < left else value.rjust(natural[i])
            for i, value in enumerate(row)
        ).rstrip()

    return [line(cells[0]), "─" * (sum(natural) + 2 * (count - 1)), *map(line, cells[1:])]


def members(title: str, order: Sequence[str], stances: Sequence[Stance], width: int) -> list[str]:
    """A titled table of members by position (render/tally.py `_members_table`): the positions,
    then two spaces, then the codes and names, wrapped."""
    rows = []
    for position in order:
        names = [f"{s.code} {s.name}" for s in stances if s.position == position]
        if names:
            rows.append((_checked(position), _checked(", ".join(names))))
    if not rows:
        raise _Unplain
    first = max(len(position) for position, _ in rows) + 2
    second = max(len(text) for _, text in rows)
    if first + second > width:
        if width < 2 * first:
            raise _Unplain  # Rich would narrow the positions too
        second = width - first
    drawn = ["", *wrap(_checked(title), width)]
    for position, text in rows:
        for index, piece in enumerate(wrap(text, second)):
            drawn.append(((position if index == 0 else "").ljust(first) + piece).rstrip())
    return drawn


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` at `width` as Rich's Text folds them, without their trailing
    spaces: words as rich._wrap.divide_line reads them (with the spaces after them), a word
    that does not fit the rest of a line on the next, one longer than a line cut in pieces."""
    breaks: list[int] = []
    offset = 0
    for found in _WORD.finditer(text):
        start, word = found.start(), found.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for piece in pieces:
                if start:
                    breaks.append(start)
                start += len(piece)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    edges = [0, *breaks, len(text)]
    return [text[a:b].rstrip(" ") for a, b in itertools.pairwise(edges)]
