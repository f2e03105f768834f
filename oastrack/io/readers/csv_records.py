"""CSV with a header row, streamed: one `Record` per data row, with the line it starts on."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

from oastrack.io.readers.source import DecodedText, ReadError, Record, Source

# The widest header read: a real export has dozens of columns; hundreds of thousands are an
# attack or a wrong file, and each column costs memory on every row.
MAX_COLUMNS = 1000


def read_csv(source: Source, on_header: Callable[[list[str]], None]) -> Iterator[Record]:
    """CSV with a header row; see the module docstring for the two kinds of trouble.

    The reader is strict: without strict, a quote that is never closed makes csv swallow the
    rest of the file into one field and report nothing, and a stray character after a closing
    quote is silently glued on. Real exports (Excel, LibreOffice, pandas, R) never produce
    either, so refusing both with the line number is the useful answer. csv's own field size
    limit (131,072 characters) also caps what an unclosed quote can swallow.
    """
    reader = csv.reader(DecodedText(source).lines(), strict=True)
    prev = 0  # reader.line_num after the previous row: the next row starts on prev + 1
    try:
        names: list[str] | None = None
        for row in reader:
            line = prev + 1
            prev = reader.line_num
            if any(f.strip() for f in row):
                names = _csv_header(row, line)
                on_header(names)
                break
        if names is None:
            raise ReadError(1, "the file is empty: expected a header row")
        width = len(names)
        strip = str.strip
        for row in reader:
            line = prev + 1
            prev = reader.line_num
            if len(row) == width:
                # The hot loop: zip, map and dict run in C; only a row with an empty field
                # takes the second pass that turns "" into None.
                # The width is checked just above; zip(strict=True) would cost a third more.
                values: dict[str, str | None] = dict(zip(names, map(strip, row)))  # noqa: B905
                if "" in values.values():
                    # Rows of nothing but separators (",,,", left by spreadsheets) carry no data.
                    if not any(values.values()):
                        continue
                    values = {name: field or None for name, field in values.items()}
                yield Record(line, values)
            elif any(f.strip() for f in row):
                yield Record(line, {}, f"expected {width} fields, found {len(row)}")
    except csv.Error as exc:
        raise _csv_error(exc, prev + 1, reader.line_num) from None


def _csv_header(row: list[str], line: int) -> list[str]:
    if len(row) > MAX_COLUMNS:
        raise ReadError(
            line, f"the header row has {len(row):,} columns; at most {MAX_COLUMNS:,} are read"
        )
    names = [f.strip() for f in row]
    seen: set[str] = set()
    for i, name in enumerate(names, 1):
        if not name:
            raise ReadError(line, f"column {i} of the header row has no name")
        if name in seen:
            raise ReadError(line, f"the header row names the column {name!r} twice")
        seen.add(name)
    return names


def _csv_error(exc: csv.Error, start: int, current: int) -> ReadError:
    """Turn csv's terse message into a reason a user can act on."""
    msg = str(exc)
    if msg == "unexpected end of data":
        return ReadError(
            start, "broken CSV quoting: a quoted field is not closed by the end of the file"
        )
    if msg.startswith("field larger than field limit"):
        return ReadError(
            start,
            f"broken CSV quoting: a field is longer than {csv.field_size_limit()} characters; "
            'is a closing " missing?',
        )
    if msg.startswith("new-line character seen in unquoted field"):
        return ReadError(current, "broken CSV quoting: a carriage return inside an unquoted field")
    if "expected after" in msg:
        return ReadError(
            current,
            'broken CSV quoting: a closing " must be followed by a comma or the end of the line',
        )
    return ReadError(current, f"broken CSV quoting: {msg}")
