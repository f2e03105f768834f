"""A listing as a table, laid out once: the same lines Rich draws, without Rich's per-cell cost.

Rich measures every cell of a table twice and renders each through its segment machinery: a
6,203-row listing took 9-13 s. Here the widths are computed once per column (the maximum cell
width, shrunk by Rich's own rules when the table is wider than the console) and the rows are
written as lines, lazily, so `| head -2` stops after two. A differential test holds this to
Rich's output, byte for byte, on the listings and on generated ones.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console

_TRAILING_SPACE = re.compile(r"\s+$")


def cell(plain: str) -> str:
    """A cell's text as Rich shows it once escaped: emoji codes (`:smile:`) replaced, and where
    a backslash or a bracket meets them, exactly what Rich's markup makes of it."""
    if "\\" in plain or ("[" in plain and ":" in plain):
        from rich.markup import escape, render

        return render(escape(plain)).plain
    if ":" not in plain:
        return plain
    from rich._emoji_replace import _emoji_replace

    return _emoji_replace(plain)


def laid_out(cells: Sequence[Sequence[str]], headers: Sequence[str]) -> bool:
    """Whether the fast layout draws these cells exactly as Rich would: not cells of several
    lines (a note with line breaks), which are left to Rich."""
    return not any("\n" in value for row in (headers, *cells) for value in row)


def column_widths(
    cells: Sequence[Sequence[str]], headers: Sequence[str], console_width: int
) -> list[int] | None:
    """Each column's width with its padding; None when the console is too narrow for any."""
    return plan(cells, headers, console_width)[0]


def plan(
    cells: Sequence[Sequence[str]], headers: Sequence[str], console_width: int
) -> tuple[list[int] | None, bool]:
    """The columns' widths with their padding (None when the console is too narrow for any),
    and whether a word must fold to fit.

    The columns whose values are single words (times, codes, positions, counts) keep their
    width and never wrap; the free-text ones (titles, names, sources, notes) share what is left,
    the widest giving way first and none below its longest word. Only when that cannot fit do
    the free-text columns fold inside words, and only when even that cannot fit does every
    column shrink as Rich would shrink it.
    """
    count = len(headers)
    paddings = [sum(_padding(index, count)) for index in range(count)]
    available = console_width - (count - 1) - sum(paddings)  # the dividers and the padding
    if available < count:
        return None, True
    natural = [_longest_line(header) for header in headers]
    word = [_longest_word(header) for header in headers]
    free = [False] * count
    for row in cells:
        for index, value in enumerate(row):
            natural[index] = max(natural[index], _longest_line(value))
            if not free[index] and any(space in value for space in " \t\n"):
                free[index] = True
    for row in cells:
        for index, value in enumerate(row):
            if free[index]:
                word[index] = max(word[index], _longest_word(value))
    rigid = [max(natural[i], 1) if not free[i] else 0 for i in range(count)]
    room = available - sum(rigid)
    wanted = [max(natural[i], 1) for i in range(count) if free[i]]
    folded = False
    if room >= sum(wanted):
        inner = [max(width, 1) for width in natural]
    else:
        floors = [min(max(word[i], 1), max(natural[i], 1)) for i in range(count) if free[i]]
        folded = room < sum(floors)
        fitted = _folded(wanted, floors, room) if folded else floors
        if fitted is None:
            return _shrunk(natural, paddings, console_width - (count - 1)), True
        shared = iter(_level(wanted, fitted, room))
        inner = [next(shared) if free[i] else rigid[i] for i in range(count)]
    return [width + paddings[index] for index, width in enumerate(inner)], folded


def _folded(wanted: list[int], floors: list[int], room: int) -> list[int] | None:
    """Floors that fit `room` when words must fold: the widest free text folds first, none
    below four columns; None when even that cannot fit."""
    floors = list(floors)
    deficit = sum(floors) - room
    for index in sorted(range(len(floors)), key=lambda i: -wanted[i]):
        cut = min(deficit, floors[index] - min(floors[index], 4))
        floors[index] -= cut
        deficit -= cut
    return floors if deficit <= 0 else None


def natural_width(cells: Sequence[Sequence[str]], headers: Sequence[str]) -> int:
    """The width at which the table needs no wrapping at all."""
    count = len(headers)
    natural = [_longest_line(header) for header in headers]
    for row in cells:
        for index, value in enumerate(row):
            natural[index] = max(natural[index], _longest_line(value))
    return sum(max(width, 1) for width in natural) + 2 * (count - 1)


def _level(wanted: list[int], floors: list[int], room: int) -> list[int]:
    """Cut the widest of `wanted` down to one level, none below its floor, to fill `room`."""
    low, high = 1, max(wanted)
    while low < high:  # the highest level at which the columns fit
        middle = (low + high + 1) // 2
        if sum(max(f, min(w, middle)) for w, f in zip(wanted, floors, strict=True)) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [max(f, min(w, low)) for w, f in zip(wanted, floors, strict=True)]
    spare = room - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: -wanted[i]):
        if spare <= 0:
            break
        extra = min(spare, wanted[index] - widths[index])
        widths[index] += extra
        spare -= extra
    return widths


def _shrunk(natural: list[int], paddings: list[int], available: int) -> list[int] | None:
    """Every column shrunk as Rich's Table shrinks a table wider than the console."""
    from rich._ratio import ratio_reduce
    from rich.table import Table

    count = len(natural)
    widths = [max(width, 1) + paddings[index] for index, width in enumerate(natural)]
    widths = Table._collapse_widths(widths, [True] * count, available)
    if sum(widths) > available:
        widths = ratio_reduce(sum(widths) - available, [1] * count, widths, widths)
    if any(width - paddings[index] < 1 for index, width in enumerate(widths)):
        return None
    return widths


def _longest_line(value: str) -> int:
    from rich.cells import cell_len

    if value.isascii() and "\t" not in value and "\n" not in value:
        return len(value)
    if "\t" in value:
        value = _expand_tabs(value)
    return max(cell_len(line) for line in value.split("\n"))


def _longest_word(value: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in value.split()), default=0)


def _padding(index: int, count: int) -> tuple[int, int]:
    """(left, right) padding of a column: a space on its right, none after the last."""
    return (0, 0 if index == count - 1 else 1)


def wrap(value: str, width: int, right: bool = False) -> list[str]:
    """One cell's lines at `width`, folded and justified as Rich's Text renders them."""
    if (
        value.isascii()
        and len(value) <= width
        and "\t" not in value
        and (right or not value.endswith(" "))
    ):
        if right:
            stripped = value.rstrip()
            return [" " * (width - len(stripped)) + stripped]
        return [value + " " * (width - len(value))]
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    if "\t" in value:
        value = _expand_tabs(value)
    breaks = [0, *divide_line(value, width, fold=True), len(value)]
    lines = []
    for start, end in itertools.pairwise(breaks):
        line = value[start:end]
        if len(line) > width:  # whitespace beyond the width goes
            found = _TRAILING_SPACE.search(line)
            if found is not None:
                line = line[: len(line) - min(len(found.group(0)), len(line) - width)]
        if right:
            line = line.rstrip()
            if cell_len(line) > width:
                line = set_cell_size(line, width)
            line = " " * (width - cell_len(line)) + line
        else:
            length = cell_len(line)
            if length > width:
                line = set_cell_size(line, width)
            elif length < width:
                line += " " * (width - length)
        lines.append(set_cell_size(line, width))
    return lines


def _expand_tabs(value: str, size: int = 8) -> str:
    """Each tab as a space and then spaces to the next tab stop, as Rich's Text does."""
    from rich.cells import cell_len

    parts = value.split("\t")
    expanded, position = [], 0
    for part in parts[:-1]:
        piece = part + " "
        position += cell_len(piece)
        if position % size:
            piece += " " * (size - position % size)
            position += size - position % size
        expanded.append(piece)
    return "".join([*expanded, parts[-1]])


def lines(
    cells: Sequence[Sequence[str]],
    headers: Sequence[str],
    numeric: Sequence[bool],
    widths: Sequence[int],
    box: Box,
) -> Iterator[tuple[str, str]]:
    """The table's lines, each with its part ("header" or "" for the rest), without edges and
    without the spaces that pad them on the right."""
    count = len(headers)
    paddings = [_padding(index, count) for index in range(count)]

    def row(values: Sequence[str], top: bool) -> list[list[str]]:
        columns = []
        for index, value in enumerate(values):
            left, right = paddings[index]
            inner = widths[index] - left - right
            columns.append(
                [" " * left + line + " " * right for line in wrap(value, inner, numeric[index])]
            )
        height = max(len(column) for column in columns)
        if height == 1:
            return [[column[0] for column in columns]]
        shaped = []
        for index, column in enumerate(columns):
            blank = [" " * widths[index]] * (height - len(column))
            shaped.append(column + blank if top else blank + column)
        return [list(parts) for parts in zip(*shaped, strict=True)]

    for parts in row(headers, top=False):
        yield box.head_vertical.join(parts).rstrip(), "header"
    yield box.get_row(widths, "head", edge=False).rstrip(), ""
    for values in cells:
        for parts in row(values, top=True):
            yield box.mid_vertical.join(parts).rstrip(), ""


def title_lines(title: str, width: int) -> list[str]:
    """A heading wrapped to the console's width (not the table's), without trailing spaces."""
    return [line.rstrip() for line in wrap(title, max(width, 1))]


def heading(out: Console, title: str) -> None:
    """A listing's title on its own lines, wrapped to the console rather than to the table."""
    if out.color_system is None:
        out.file.write("".join(line + "\n" for line in title_lines(title, out.width)))
        return
    from rich.text import Text

    out.print(Text(title, style=out.get_style("table.title")))


def write(
    out: Console,
    cells: Sequence[Sequence[str]],
    headers: Sequence[str],
    numeric: Sequence[bool],
) -> bool:
    """Write the table on `out` if the fast layout can draw it exactly; False if it cannot."""
    if not laid_out(cells, headers):
        return False
    widths = column_widths(cells, headers, out.width)
    if widths is None:
        return False
    from rich import box

    drawn = box.SIMPLE_HEAD.substitute(out.options, safe=out.safe_box)
    style = out.get_style("table.header")
    plain = out.color_system is None
    stream = out.file
    batch: list[str] = []
    for line, part in lines(cells, headers, numeric, widths, drawn):
        if part and not plain:
            if batch:
                stream.write("".join(batch))
                batch.clear()
            from rich.text import Text

            out.print(Text(line, style=style), crop=False)
            continue
        batch.append(line + "\n")
        if len(batch) >= 256:
            stream.write("".join(batch))
            batch.clear()
    stream.write("".join(batch))
    stream.flush()
    return True


def piped_width() -> int | None:
    """The width a piped command should keep to: `COLUMNS`, else the width of a terminal on
    standard error or input; None when there is none (a file, a cron job)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (2, 0):
        try:
            if os.isatty(descriptor):
                return os.get_terminal_size(descriptor).columns
        except OSError:
            continue
    return None


class Trimmed(io.TextIOBase):
    """A piped stream whose lines end without the spaces Rich pads them with."""

    def __init__(self, stream: Any, *, unbounded: bool = False) -> None:
        self.stream = stream
        self.pending = ""
        # No terminal and no COLUMNS (a file, a cron job): a listing need not wrap at all.
        self.unbounded = unbounded

    def writable(self) -> bool:
        return True

    def write(self, output: str) -> int:
        text = self.pending + output
        cut = text.rfind("\n") + 1
        self.pending = text[cut:]
        if cut:
            self.stream.write(_TRAILING.sub("", text[:cut]))
        return len(output)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()


_TRAILING = re.compile(r"[ \t]+(?=\n)")


def unbounded(out: Console) -> bool:
    """Whether `out` writes to a file with no terminal in sight and no `COLUMNS`."""
    return isinstance(out.file, Trimmed) and out.file.unbounded
