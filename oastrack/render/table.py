"""A listing as a table, laid out once: the same lines Rich draws, without Rich's per-cell cost.

Rich measures every cell of a table twice and renders each through its segment machinery: a
6,203-row listing took 9-13 s. Here the widths are computed once per column (the maximum cell
width, shrunk by Rich's own rules when the table is wider than the console) and the rows are
written as lines, lazily, so `| head -2` stops after two. A differential test holds this to
Rich's output, byte for byte, on the listings and on generated ones.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

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
    """Each column's width with its padding, as Rich's Table sizes it; None when too narrow."""
    from rich.cells import cell_len
    from rich.table import Table

    count = len(headers)
    available = console_width - (2 + count - 1)  # the two edges and the dividers
    if available < 1:
        return None
    paddings = [_padding(index, count) for index in range(count)]
    longest = [cell_len(header) for header in headers]
    for row in cells:
        for index, cell in enumerate(row):
            # A tab measures nothing (Rich expands it only when it draws the cell).
            width = len(cell) if cell.isascii() and "\t" not in cell else cell_len(cell)
            if width > longest[index]:
                longest[index] = width

    def measured(index: int, limit: int) -> int:
        padding = sum(paddings[index])
        if limit < 1:
            return 0
        if limit - padding < 1:
            return limit
        return min(min(longest[index], limit) + padding, limit)

    widths = [measured(index, available) or 1 for index in range(count)]
    if sum(widths) > available:
        from rich._ratio import ratio_reduce

        widths = Table._collapse_widths(widths, [True] * count, available)
        if sum(widths) > available:
            widths = ratio_reduce(sum(widths) - available, [1] * count, widths, widths)
        widths = [measured(index, width) for index, width in enumerate(widths)]
    if any(width - sum(paddings[index]) < 1 for index, width in enumerate(widths)):
        return None
    return widths


def _padding(index: int, count: int) -> tuple[int, int]:
    """(left, right) padding of a column: one space each side, none at the table's edges."""
    return (0 if index == 0 else 1, 0 if index == count - 1 else 1)


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
    title: str | None,
) -> Iterator[tuple[str, str]]:
    """The table's lines, each with its part ("title", "header" or "" for the rest)."""
    count = len(headers)
    paddings = [_padding(index, count) for index in range(count)]
    table_width = sum(widths) + 2 + count - 1
    if title:
        for line in wrap(title, table_width):
            yield line, "title"
    yield box.get_top(widths), ""

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
        yield box.head_left + box.head_vertical.join(parts) + box.head_right, "header"
    yield box.get_row(widths, "head", edge=True), ""
    last = len(cells) - 1
    for number, values in enumerate(cells):
        if number == last:
            left, divider, right = box.foot_left, box.foot_vertical, box.foot_right
        else:
            left, divider, right = box.mid_left, box.mid_vertical, box.mid_right
        for parts in row(values, top=True):
            yield left + divider.join(parts) + right, ""
    yield box.get_bottom(widths), ""


def write(
    out: Console,
    cells: Sequence[Sequence[str]],
    headers: Sequence[str],
    numeric: Sequence[bool],
    title: str | None,
) -> bool:
    """Write the table on `out` if the fast layout can draw it exactly; False if it cannot."""
    if not laid_out(cells, [*headers, title or ""]):
        return False
    widths = column_widths(cells, headers, out.width)
    if widths is None:
        return False
    from rich import box

    drawn = box.SIMPLE_HEAD.substitute(out.options, safe=out.safe_box)
    styles = {"title": out.get_style("table.title"), "header": out.get_style("table.header")}
    plain = out.color_system is None
    stream = out.file
    batch: list[str] = []
    for line, part in lines(cells, headers, numeric, widths, drawn, title):
        if part and not plain:
            if batch:
                stream.write("".join(batch))
                batch.clear()
            from rich.text import Text

            out.print(Text(line, style=styles[part]), crop=False)
            continue
        batch.append(line + "\n")
        if len(batch) >= 256:
            stream.write("".join(batch))
            batch.clear()
    stream.write("".join(batch))
    stream.flush()
    return True
