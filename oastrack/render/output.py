"""Every output goes through here: table (Rich, for people), json, csv, markdown (for programs).

JSON is one document on stdout and nothing else: an array for listings, an object for one thing.
User text is escaped before Rich sees it, so a note `[draft]` prints as `[draft]`.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from oastrack.core.values import defuse_cell

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


def console(stderr: bool = False) -> Console:
    """A Rich console on stdout (or stderr); made per call so that tests can capture output.

    On a terminal, the terminal's width. Piped: no colour, and the width of `COLUMNS`, else of
    the terminal the command was typed in (`oastrack history X | less`), else 120 columns.
    """
    from rich.console import Console

    from oastrack.render.table import Trimmed, piped_width

    width = None
    stream: Any = sys.stderr if stderr else sys.stdout
    if not stream.isatty():
        width = piped_width()
        stream = Trimmed(stream, unbounded=width is None)
        width = width or 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


# What a terminal obeys instead of printing, in user text (a note, a name, a text version): C0
# controls but tab and line feed, DEL and C1 (colours, cursor moves, window titles, OSC links),
# and the bidirectional marks, embeddings, overrides and isolates that reorder a line ("Yes no"
# shown as "on seY").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def visible(value: str) -> str:
    """Text with every character a terminal would obey shown as its escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_shown, value)


def escape(value: object) -> str:
    """User text made safe for Rich: control and bidirectional characters shown as escapes,
    markup escaped."""
    from rich.markup import escape as rich_escape

    return rich_escape(visible(text(value)))


def write(output: str) -> None:
    """Write a plain format (CSV, markdown, JSON, SVG) to stdout; on a terminal, with what the
    terminal would obey shown as escapes. A file or a pipe gets the data as it is."""
    sys.stdout.write(visible(output) if sys.stdout.isatty() else output)


class TerminalSafe(io.TextIOBase):
    """A stream to the terminal that shows control and bidirectional characters as escapes;
    for JSON (`json=True`) as JSON escapes, so that the document stays valid and the same."""

    def __init__(self, stream: Any, *, json: bool = False) -> None:
        self._stream = stream
        self._json = json

    def writable(self) -> bool:
        return True

    def write(self, output: str) -> int:
        self._stream.write(_UNSAFE.sub(_json_escape if self._json else _shown, output))
        return len(output)

    def flush(self) -> None:
        self._stream.flush()


def plain(value: object) -> str:
    """User text as it may reach a terminal: what a terminal would obey shown as escapes."""
    return visible(text(value))


def text(value: object) -> str:
    """A value as people read it in a table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    return str(value)


def defuse(value: object) -> object:
    """A CSV cell that a spreadsheet would run as a formula is prefixed with a quote."""
    return defuse_cell(value) if isinstance(value, str) else value


def to_json(document: Any) -> str:
    """JSON with non-ASCII text as it is, but what a terminal would obey (DEL, C1, bidirectional
    controls) as \\u escapes: the same document, safe to print (json escapes C0 itself)."""
    return _UNSAFE.sub(
        _json_escape, json.dumps(document, ensure_ascii=False, indent=2, default=str)
    )


def csv_text(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([defuse(_cell(row.get(key))) for key in keys])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: booleans as true/false (as in JSON), nested values flattened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _flat(value)


def _flat(value: Any) -> Any:
    """One cell for a nested value: codes joined by `;`, anything richer as JSON."""
    if isinstance(value, list | tuple) and not any(isinstance(v, dict | list) for v in value):
        return ";".join(text(v) for v in value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def markdown_text(
    rows: Sequence[dict[str, Any]], keys: Sequence[str], headers: Sequence[str]
) -> str:
    def cell(value: Any) -> str:
        # Markdown is read by people: control characters shown as escapes wherever it goes.
        shown = visible(text(_flat(value)).replace("\\", "\\\\"))
        return shown.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(cell(row.get(k)) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def rows(
    records: Sequence[dict[str, Any]],
    fmt: Format,
    columns: Sequence[tuple[str, str]] | None = None,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    spare: Sequence[str] = (),
) -> None:
    """Print a listing. `columns` are (key, header) pairs for the table; JSON keeps every key.
    `spare` are the keys of columns the table may leave out, in that order, where the others
    would otherwise have to fold words to fit the terminal."""
    keys = [k for k, _ in columns] if columns else (list(records[0]) if records else [])
    headers = [h for _, h in columns] if columns else keys
    if fmt is Format.JSON:
        write(to_json(list(records)) + "\n")
    elif fmt is Format.CSV:
        all_keys = list(records[0]) if records else keys
        write(csv_text(records, all_keys))
    elif fmt is Format.MARKDOWN:
        write(markdown_text(records, keys, headers))
    else:
        if not records:
            console(stderr=True).print(escape(empty))
            return
        table(records, keys, headers, title, spare)


# Above this many rows a terminal gets the fast layout too (the same look, other escape codes).
FAST_ROWS = 200


def table(
    records: Sequence[dict[str, Any]],
    keys: Sequence[str],
    headers: Sequence[str],
    title: str | None,
    spare: Sequence[str] = (),
) -> None:
    """A listing as a Rich-looking table; laid out once (render.table) when piped or long."""
    from oastrack.render import table as fast

    out = console()
    keys, headers, left_out = _fitting(out, records, keys, headers, spare)
    numeric = [
        all(isinstance(r.get(key), int | float) for r in records if r.get(key) is not None)
        for key in keys
    ]
    if out.color_system is None or len(records) > FAST_ROWS:
        cells = [[fast.cell(plain(shown(record.get(key)))) for key in keys] for record in records]
        heads = [fast.cell(plain(header)) for header in headers]
        if fast.unbounded(out):
            # Written to a file with no terminal in sight: every row on one line, unwrapped.
            longest = max((len(line) for line in (title or "").splitlines()), default=0)
            out.width = max(fast.natural_width(cells, heads), longest, 1)
        if fast.laid_out(cells, heads) and fast.column_widths(cells, heads, out.width):
            if title:
                fast.heading(out, fast.cell(plain(title)))
            fast.write(out, cells, heads, numeric)
            _say_left_out(out, left_out)
            return
    rich_table(out, records, keys, headers, numeric, title)
    _say_left_out(out, left_out)


# Codes joined by `;`, as a listing carries a list (sponsors): in a table, a space after each
# `;` so that the list wraps between codes instead of inside one.
_CODE_LIST = re.compile(r"[A-Za-z0-9._-]+(?:;[A-Za-z0-9._-]+)+")


def _fitting(
    out: Console,
    records: Sequence[dict[str, Any]],
    keys: Sequence[str],
    headers: Sequence[str],
    spare: Sequence[str],
) -> tuple[list[str], list[str], list[str]]:
    """The columns that fit without folding a word: the spare ones left out, in their order,
    until the others fit. Returns the keys and headers kept, and the headers left out."""
    from oastrack.render import table as fast

    keys, headers = list(keys), list(headers)
    if not spare or fast.unbounded(out):
        return keys, headers, []
    cells = [[fast.cell(plain(shown(record.get(key)))) for key in keys] for record in records]
    left_out = []
    for key in spare:
        if key not in keys or not fast.plan(cells, headers, out.width)[1]:
            continue
        index = keys.index(key)
        left_out.append(headers.pop(index))
        keys.pop(index)
        for row in cells:
            row.pop(index)
    return keys, headers, left_out


def _say_left_out(out: Console, left_out: Sequence[str]) -> None:
    """Under the table, on standard error: the columns it left out."""
    if not left_out:
        return
    out.file.flush()
    console(stderr=True).print(
        escape(f"Not shown at {out.width} columns: {', '.join(left_out)} (see --format csv)."),
        style="dim",
    )


def shown(value: object) -> object:
    """A table cell: counts with thousands separators (1,234), as every count is printed, and
    lists of codes that wrap between codes."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, str) and ";" in value and _CODE_LIST.fullmatch(value):
        return value.replace(";", "; ")
    return value


def rich_table(
    out: Console,
    records: Sequence[dict[str, Any]],
    keys: Sequence[str],
    headers: Sequence[str],
    numeric: Sequence[bool],
    title: str | None,
) -> None:
    """The listing drawn by Rich itself (a short one on a terminal, cells of several lines),
    with the columns the layout gives them: single words whole, free text wrapped."""
    from oastrack.render import table as fast

    cells = [[fast.cell(plain(shown(record.get(key)))) for key in keys] for record in records]
    widths = fast.column_widths(cells, [fast.cell(plain(h)) for h in headers], out.width)
    drawn = grid()
    for index, (header, right) in enumerate(zip(headers, numeric, strict=True)):
        width = None
        if widths is not None:
            width = widths[index] - (index < len(headers) - 1)
        drawn.add_column(
            escape(header), justify="right" if right else "left", overflow="fold", width=width
        )
    for record in records:
        drawn.add_row(*(escape(shown(record.get(k))) for k in keys))
    print_table(out, drawn, title)


def grid(**options: Any) -> Table:
    """A table in the house style: no outer edge, two spaces between columns, a rule under the
    header (when it has one)."""
    from rich import box
    from rich.table import Table

    settings: dict[str, Any] = {
        "box": box.SIMPLE_HEAD,
        "show_edge": False,
        "pad_edge": False,
        # Without a box there is no divider: the two spaces are all padding.
        "padding": (0, 2 if options.get("box", box.SIMPLE_HEAD) is None else 1, 0, 0),
    }
    return Table(**{**settings, **options})


def print_table(out: Console, drawn: Any, title: str | None = None, style: str = "") -> None:
    """Print a table under its title; the title wraps to the console, not to the table."""
    from oastrack.render import table as fast

    if title:
        if style:
            out.print(escape(title), style=style)
        else:
            fast.heading(out, fast.cell(plain(title)))
    out.print(drawn)


def obj(document: dict[str, Any], fmt: Format, *, title: str | None = None) -> None:
    """Print one thing (a `show`): JSON object, CSV/markdown of its fields, or a field table."""
    if fmt is Format.JSON:
        write(to_json(document) + "\n")
        return
    scalars = {k: v for k, v in document.items() if not isinstance(v, list)}
    lists = {k: v for k, v in document.items() if isinstance(v, list)}
    if fmt is Format.CSV:
        flat = {k: _flat(v) for k, v in document.items()}
        write(csv_text([flat], list(flat)))
        return
    if fmt is Format.MARKDOWN:
        write(
            markdown_text(
                [{"field": k, "value": v} for k, v in document.items()],
                ["field", "value"],
                ["field", "value"],
            )
        )
        return
    out = console()
    table = grid(box=None, show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in scalars.items():
        if value is not None and value != "":
            table.add_row(escape(key), escape(value))
    print_table(out, table, title)
    for key, items in lists.items():
        if not items:
            continue
        if all(isinstance(i, dict) for i in items):
            out.print()
            rows(items, Format.TABLE, [(k, k) for k in items[0]], title=key)
        else:
            table = grid(box=None, show_header=False)
            table.add_column(style="bold")
            table.add_column()
            table.add_row(escape(key), escape(items))
            print_table(out, table)


def svg_escape(value: str) -> str:
    """User text inside an SVG element: XML-escaped, control characters shown as escapes
    (XML 1.0 has none)."""
    from xml.sax.saxutils import escape as xml_escape

    return xml_escape(visible(value))


def svg_attribute(value: str) -> str:
    """User text as a quoted SVG attribute value."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(visible(value))


def svg_open(width: float, height: float, heading: str) -> list[str]:
    """The start of an SVG picture: its size, its title (for screen readers too), a white page."""
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label={svg_attribute(heading)}'
        ' font-family="sans-serif">',
        f"<title>{svg_escape(heading)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
