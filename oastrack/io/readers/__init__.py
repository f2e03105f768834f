"""Streaming readers for bulk import: CSV, JSON (an array of objects) and JSON Lines.

`read_records` turns an open `Source` into `Record`s, one per data row, each with the line on
which it starts, so the importer can report ``FILE:LINE: reason``. The layer is pure standard
library and streams: bytes are read in 64 KiB chunks, decoded incrementally, and nothing holds
more than a chunk plus the row in hand, whatever the size of the file.

Two kinds of trouble are told apart:

* `ReadError` -- the file cannot be read on (bad UTF-8, a NUL byte, broken CSV quoting, malformed
  or truncated JSON, no header, damaged gzip data). Raised from the iterator; the records yielded
  before it were good.
* `Record.problem` -- one row is wrong but the next can still be read (a CSV row with the wrong
  number of fields, a JSON element that is not an object, a malformed JSON Lines line). Such a
  record has empty `values`.

Line breaks are LF or CRLF. A file whose first 64 KiB hold carriage returns but no line feed is
taken for an old Mac (CR-only) file and split on CR instead; line numbers then count CRs.
"""

from __future__ import annotations

from collections.abc import Iterator

from oastrack.io.readers.csv_records import read_csv
from oastrack.io.readers.json_records import json_error_reason, read_json_array, read_json_lines
from oastrack.io.readers.source import (
    FORMATS,
    ReadError,
    Record,
    Source,
    detect_format,
    text_chunks,
)

__all__ = [
    "FORMATS",
    "ReadError",
    "Record",
    "Records",
    "Source",
    "detect_format",
    "json_error_reason",
    "read_records",
    "text_chunks",
]


def read_records(source: Source, fmt: str) -> Records:
    """The records of `source` read as `fmt` ("csv", "json" or "jsonl"), lazily.

    Nothing is read until the first record is asked for. Raises ValueError at once on an
    unknown fmt, and ReadError from the iterator on a structural problem.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use csv, json or jsonl")
    return Records(source, fmt)


class Records(Iterator[Record]):
    """An iterator of records that also tells the CSV header: `columns`.

    `columns` is None until the header row has been read (it is read before the first record
    is yielded), then the stripped column names in file order -- known even for a file with
    a header and no rows. Always None for JSON and JSON Lines, whose objects carry their own
    keys. A `for` loop iterates the underlying generator directly, at no cost per record.
    """

    def __init__(self, source: Source, fmt: str) -> None:
        self.columns: list[str] | None = None
        self._records: Iterator[Record]
        if fmt == "csv":
            self._records = read_csv(source, self._header)
        elif fmt == "json":
            self._records = read_json_array(source)
        else:
            self._records = read_json_lines(source)

    def _header(self, names: list[str]) -> None:
        self.columns = names

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def __next__(self) -> Record:
        return next(self._records)
