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

import codecs
import csv
import gzip
import io
import itertools
import json
import json.scanner
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

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

FORMATS = ("csv", "json", "jsonl")

# Bytes asked of the file at a time: large enough that per-chunk Python overhead vanishes,
# small enough that memory stays flat.
_CHUNK = 64 * 1024
# A line (CSV, JSON Lines) or a JSON array element longer than this many characters is refused:
# it is a wrong --format or a binary file, and buffering it would break the flat-memory promise.
_MAX_TEXT = 8 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_JSON_WS = re.compile(r"[ \t\n\r]*")


class ReadError(Exception):
    """A structural problem after which the file cannot be read on.

    Broken quoting, bad encoding, truncated or malformed JSON, no header. `line` is the 1-based
    line of the (decompressed) file where the problem is; `reason` says what is wrong.
    """

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(slots=True)
class Record:
    """One data row: where it starts, its values by column, and a per-row problem if any."""

    line: int
    values: dict[str, str | None]
    problem: str | None = None


def detect_format(name: str, explicit: str | None) -> str:
    """Return "csv", "json" or "jsonl" for the input `name` ("-" is stdin).

    An explicit format wins (case-insensitive; "ndjson" means jsonl). Otherwise the extension
    decides, ignoring a trailing ".gz". Raises ValueError with a user-facing message when the
    format is unknown or cannot be told.
    """
    if explicit is not None:
        fmt = explicit.strip().lower()
        if fmt == "ndjson":
            fmt = "jsonl"
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {explicit!r}; use csv, json or jsonl")
        return fmt
    if name == "-":
        raise ValueError("cannot tell the format of standard input; add --format csv|json|jsonl")
    base = name.lower()
    if base.endswith(".gz"):
        base = base[:-3]
    ext = os.path.splitext(base)[1]
    found = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(ext)
    if found is None:
        raise ValueError(f"cannot tell the format of {name}; add --format csv|json|jsonl")
    return found


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _CountingReader:
    """The on-disk byte stream, counting what has been taken from it (for a progress bar).

    `prefix` holds bytes already read to sniff the gzip magic: stdin cannot seek back.
    """

    __slots__ = ("_prefix", "_raw", "count")

    def __init__(self, raw: _Readable, prefix: bytes, count: int) -> None:
        self._raw = raw
        self._prefix = prefix
        self.count = count

    def read(self, size: int = -1, /) -> bytes:
        prefix = self._prefix
        if prefix:
            self._prefix = b""
            if size < 0:
                return prefix + self.read()
            if size <= len(prefix):
                self._prefix = prefix[size:]
                return prefix[:size]
            return prefix + self.read(size - len(prefix))
        data = self._raw.read(size)
        self.count += len(data)
        return data

    def seek(self, offset: int, /) -> int:
        # GzipFile's protocol names seek, but only uses it to rewind, which reading never does.
        raise io.UnsupportedOperation("seek")


class Source:
    """An open input: a path, or "-" for standard input (read as binary).

    Gzip is decompressed transparently when the data starts with the gzip magic bytes (1f 8b).
    The magic, not the name, decides: a "x.csv.gz" that a browser already unpacked is read as
    plain text. A missing file raises FileNotFoundError from the constructor.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        self._owned: BinaryIO | None = None
        raw: _Readable
        if self._path == "-":
            self._name = "<stdin>"
            self._total: int | None = None
            raw = sys.stdin.buffer
        else:
            self._name = self._path
            self._owned = open(self._path, "rb")  # noqa: SIM115 -- closed by close()
            raw = self._owned
        self._gzip: gzip.GzipFile | None = None
        self._closed = False
        try:
            if self._owned is not None:
                st = os.fstat(self._owned.fileno())
                # A pipe or FIFO given by name has no meaningful size.
                self._total = st.st_size if stat.S_ISREG(st.st_mode) else None
            head = raw.read(2)
            self._counter = _CountingReader(raw, head, len(head))
            if head == _GZIP_MAGIC:
                self._gzip = gzip.GzipFile(fileobj=self._counter, mode="rb")
        except BaseException:
            self.close()
            raise

    @property
    def name(self) -> str:
        """The input as named in messages: the path as given, or "<stdin>"."""
        return self._name

    @property
    def total_bytes(self) -> int | None:
        """Size of the file on disk (compressed size for gzip); None for stdin or a pipe."""
        return self._total

    @property
    def bytes_read(self) -> int:
        """How far into the on-disk file reading has got (compressed position for gzip)."""
        return self._counter.count

    @property
    def compressed(self) -> bool:
        """True when the input is gzip data."""
        return self._gzip is not None

    def read(self, size: int = _CHUNK) -> bytes:
        """Up to `size` bytes of the (decompressed) content; b"" at the end."""
        if self._gzip is not None:
            return self._gzip.read(size)
        return self._counter.read(size)

    def close(self) -> None:
        """Close the file (stdin is left open). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._gzip is not None:
            self._gzip.close()
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Text:
    """The decoded text of a source, as chunks and as physical lines, with line accounting."""

    def __init__(self, source: Source) -> None:
        self._source = source
        # Lines completed by the text handed out so far; the line being read is lines_done + 1.
        self.lines_done = 0
        self._first = self._read_raw()
        # Old Mac files end lines with CR alone. Judged on the first chunk: a CRLF or LF file
        # has a line feed there unless its first line is longer than a chunk.
        cr_only = b"\n" not in self._first and b"\r" in self._first
        self.nl = "\r" if cr_only else "\n"

    def _read_raw(self) -> bytes:
        try:
            return self._source.read(_CHUNK)
        except EOFError:
            raise ReadError(
                self.lines_done + 1, "the gzip data ends too early; is the file truncated?"
            ) from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise ReadError(self.lines_done + 1, f"the gzip data is damaged ({exc})") from None

    def chunks(self) -> Iterator[str]:
        """Decoded text in chunks: strict UTF-8, byte-order mark dropped, NUL refused."""
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        nl = self.nl
        nl_byte = nl.encode()
        data = self._first
        self._first = b""
        at_start = True
        while True:
            final = not data
            try:
                text = decoder.decode(data, final)
            except UnicodeDecodeError as exc:
                # exc.object is the decoder's carried-over bytes plus `data`; the carried-over
                # bytes are the start of one character, so they hold no line break.
                line = self.lines_done + 1 + exc.object.count(nl_byte, 0, exc.start)
                raise ReadError(
                    line,
                    f"not valid UTF-8 text (byte 0x{exc.object[exc.start]:02x}); "
                    "save the file as UTF-8",
                ) from None
            if text:
                if at_start:
                    at_start = False
                    if text[0] == "\ufeff":
                        text = text[1:]
                if "\x00" in text:
                    line = self.lines_done + 1 + text.count(nl, 0, text.index("\x00"))
                    raise ReadError(line, "the file contains a NUL byte; is it a binary file?")
                self.lines_done += text.count(nl)
                if text:
                    yield text
            if final:
                return
            data = self._read_raw()

    def _blocks(self) -> Iterator[str]:
        """Text in runs of whole lines (each run ends with a line break, bar the last)."""
        nl = self.nl
        pending: list[str] = []
        pending_len = 0
        for text in self.chunks():
            cut = text.rfind(nl) + 1
            if not cut:
                # No line ends in this chunk: keep it until one does (joined once, not per chunk).
                pending.append(text)
                pending_len += len(text)
                if pending_len > _MAX_TEXT:
                    raise ReadError(
                        self.lines_done + 1,
                        f"a line is longer than {_MAX_TEXT:,} characters; "
                        "is this the right format?",
                    )
                continue
            if pending:
                pending.append(text[:cut])
                yield "".join(pending)
                pending = []
            else:
                yield text[:cut]
            if cut < len(text):
                pending.append(text[cut:])
                pending_len = len(text) - cut
            else:
                pending_len = 0
        if pending:
            yield "".join(pending)

    def lines(self) -> Iterator[str]:
        """Physical lines, each with its line break (the last may lack one)."""
        if self.nl == "\n":
            # StringIO iteration splits in C; with newline="\n" it splits on LF only and keeps
            # CRLF intact, which csv and json both accept.
            return itertools.chain.from_iterable(
                io.StringIO(block, newline="\n") for block in self._blocks()
            )
        return _split_keeping(self._blocks(), self.nl)


def _split_keeping(blocks: Iterator[str], nl: str) -> Iterator[str]:
    for block in blocks:
        parts = block.split(nl)
        last = parts.pop()
        for part in parts:
            yield part + nl
        if last:
            yield last


def text_chunks(source: Source) -> Iterator[str]:
    """The decoded text of `source` in chunks of about 64 KiB, for readers of other documents.

    The same checks as read_records: strict UTF-8, byte-order mark dropped, NUL refused,
    damaged gzip reported -- each as a ReadError with its line (lines end at LF, or at CR in
    a CR-only file).
    """
    return _Text(source).chunks()


def json_error_reason(exc: json.JSONDecodeError) -> str:
    """The reason read_records gives for a JSON syntax error: "malformed JSON: ..."."""
    return f"malformed JSON: {_json_message(exc)}"


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
            self._records = _read_csv(source, self)
        elif fmt == "json":
            self._records = _read_json_array(source)
        else:
            self._records = _read_json_lines(source)

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def __next__(self) -> Record:
        return next(self._records)


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(source: Source, records: Records) -> Iterator[Record]:
    """CSV with a header row; see the module docstring for the two kinds of trouble.

    The reader is strict: without strict, a quote that is never closed makes csv swallow the
    rest of the file into one field and report nothing, and a stray character after a closing
    quote is silently glued on. Real exports (Excel, LibreOffice, pandas, R) never produce
    either, so refusing both with the line number is the useful answer. csv's own field size
    limit (131,072 characters) also caps what an unclosed quote can swallow.
    """
    reader = csv.reader(_Text(source).lines(), strict=True)
    prev = 0  # reader.line_num after the previous row: the next row starts on prev + 1
    try:
        names: list[str] | None = None
        for row in reader:
            line = prev + 1
            prev = reader.line_num
            if any(f.strip() for f in row):
                names = records.columns = _csv_header(row, line)
                break
        if names is None:
            raise ReadError(1, "the file is empty: expected a header row")
        width = len(names)
        first = names[0]
        build = _row_builder(names)
        for row in reader:
            line = prev + 1
            prev = reader.line_num
            if len(row) == width:
                values = build(row)
                # Rows of nothing but separators (",,,", left by spreadsheets) carry no data.
                # (Looking at the first column first spares the any() on almost every row.)
                if values[first] is not None or any(values.values()):
                    yield Record(line, values)
            elif any(f.strip() for f in row):
                yield Record(line, {}, f"expected {width} fields, found {len(row)}")
    except csv.Error as exc:
        raise _csv_error(exc, prev + 1, reader.line_num) from None


def _csv_header(row: list[str], line: int) -> list[str]:
    names = [f.strip() for f in row]
    seen: set[str] = set()
    for i, name in enumerate(names, 1):
        if not name:
            raise ReadError(line, f"column {i} of the header row has no name")
        if name in seen:
            raise ReadError(line, f"the header row names the column {name!r} twice")
        seen.add(name)
    return names


def _row_builder(names: list[str]) -> Callable[[list[str]], dict[str, str | None]]:
    """A function turning a row of `len(names)` fields into its values dict.

    It is compiled for the header, as namedtuple and dataclasses do, because it is the hot
    loop: a dict display with one `r[i].strip() or None` per column runs about three times
    faster than `dict(zip(names, [f.strip() or None for f in row]))`. The names enter the
    source only through repr(), which always yields a plain string literal.
    """
    items = ", ".join(f"{name!r}: r[{i}].strip() or None" for i, name in enumerate(names))
    build: Callable[[list[str]], dict[str, str | None]] = eval(f"lambda r: {{{items}}}", {})
    return build


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


# --- JSON ------------------------------------------------------------------------------------


def _float_text(text: str) -> str:
    return repr(float(text))


# Shared decoder. Numbers become text in the decoder itself: an int keeps its JSON spelling
# (str(int) of it, bar "-0"), which skips building an int only to print it and lifts Python's
# 4,300-digit limit on int conversion; a float becomes repr(float). NaN and Infinity, which
# Python's json accepts though JSON does not, are kept as their spelling.
_DECODER = json.JSONDecoder(parse_int=str, parse_float=_float_text, parse_constant=str)
# Its C scanner, called directly on the hot path: raw_decode is a Python wrapper around it.
# (typeshed types its argument as a scanner; it takes any object with the decoder's attributes.)
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]


# What a JSON value is, told by its first character (numbers arrive as text, see _DECODER).
_KIND_BY_FIRST = {
    '"': "a string",
    "[": "an array",
    "{": "an object",
    "t": "true",
    "f": "false",
    "n": "null",
}


def _not_an_object(line: int, first: str) -> Record:
    return Record(
        line, {}, f"expected a JSON object, found {_KIND_BY_FIRST.get(first, 'a number')}"
    )


def _scalar_text(value: object) -> str | None:
    """The text of a decoded JSON scalar; None for a nested array or object."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return None


def _json_record(line: int, obj: dict[str, Any]) -> Record:
    """A record from one decoded JSON object."""
    try:
        # The common case, every value a string, in one comprehension; a null, boolean, array
        # or object has no .strip and takes the long way below.
        return Record(line, {k.strip(): v.strip() or None for k, v in obj.items()})
    except AttributeError:
        pass
    values: dict[str, str | None] = {}
    for key, value in obj.items():
        key = key.strip()
        if type(value) is list:
            texts = [_scalar_text(v) for v in value]
            if None in texts:
                return Record(line, {}, f"{key}: a nested object is not allowed here")
            # A list is how JSON spells a ;-separated column (sponsors); empty items vanish.
            values[key] = ";".join(t for t in texts if t) or None
        else:
            text = _scalar_text(value)
            if text is None:
                return Record(line, {}, f"{key}: a nested object is not allowed here")
            values[key] = text or None
    return Record(line, values)


def _json_message(exc: json.JSONDecodeError) -> str:
    # json's msg has no position; a few end in a dangling " at" that read badly without one.
    return exc.msg.removesuffix(" starting at").removesuffix(" at")


def _read_json_lines(source: Source) -> Iterator[Record]:
    """JSON Lines: one object per non-blank line; a bad line is a problem, not a stop."""
    decode = _DECODER.decode
    for line, raw in enumerate(_Text(source).lines(), 1):
        # isspace() is quick but also true of \x1c-\x1f, which json does not count as blank.
        if not raw or (raw.isspace() and not raw.strip(" \t\r\n")):
            continue
        try:
            obj = decode(raw)
        except json.JSONDecodeError as exc:
            yield Record(line, {}, json_error_reason(exc))
            continue
        except (ValueError, RecursionError) as exc:
            yield Record(line, {}, f"malformed JSON: {_other_json_error(exc)}")
            continue
        if type(obj) is dict:
            yield _json_record(line, obj)
        else:
            yield _not_an_object(line, raw.lstrip()[0])


def _other_json_error(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)  # a safety net: the decoder raises nothing else on any input we know


class _JsonArray:
    """Incremental parser for one JSON array of elements, over a sliding text buffer.

    The array's punctuation is walked here; each element is handed to raw_decode. The buffer
    keeps at least one chunk of look-ahead, so an element smaller than a chunk decodes at the
    first try; a bigger one fails near the buffer's end and is retried with more text.
    """

    def __init__(self, text: _Text) -> None:
        self._chunks = text.chunks()
        self._nl = text.nl
        self.buf = ""
        self.pos = 0  # next unread index in buf
        self._mark = 0  # an index in buf whose line is _mark_line; only ever moves forward
        self._mark_line = 1
        self.eof = False

    def line_at(self, index: int) -> int:
        """Line of buf[index]; index must not be before the last one asked."""
        self._mark_line += self.buf.count(self._nl, self._mark, index)
        self._mark = index
        return self._mark_line

    def more(self) -> bool:
        """Append the next chunk, dropping what is before pos. False at the end of the file."""
        if self.eof:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self.eof = True
            return False
        self.line_at(self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = self._mark = 0
        return True

    def skip_space(self) -> int:
        """Move pos to the next non-blank character, reading on; len(buf) at the end."""
        while True:
            self.pos = _JSON_WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.pos

    def truncated(self) -> ReadError:
        return ReadError(
            self.line_at(len(self.buf)),
            "malformed JSON: the file ends before the array is closed",
        )

    def records(self) -> Iterator[Record]:
        # The loop runs once per element, so the common case is inlined: whitespace skipped
        # within the buffer, the element scanned by _SCAN. Anything unusual -- the buffer
        # running out, an error -- goes the slow way, through _space_or_end and _element.
        scan = _SCAN
        space = _JSON_WS.match
        nl = self._nl
        p = self.skip_space()
        if p == len(self.buf):
            raise ReadError(1, "the file is empty: expected a JSON array of objects")
        if self.buf[p] != "[":
            raise ReadError(self.line_at(p), "expected a JSON array of objects")
        self.pos = p + 1
        first = True
        while True:
            if len(self.buf) - self.pos < _CHUNK:
                self.more()
            buf = self.buf
            p = space(buf, self.pos).end()  # type: ignore[union-attr]
            if p == len(buf):
                p, buf = self._space_or_end(p)
            c = buf[p]
            if c == "]":
                break
            if not first:
                if c != ",":
                    raise ReadError(self.line_at(p), "malformed JSON: Expecting ',' delimiter")
                p = space(buf, p + 1).end()  # type: ignore[union-attr]
                if p == len(buf):
                    p, buf = self._space_or_end(p)
                if buf[p] == "]":  # [1,] -- json's own words for a trailing comma
                    raise ReadError(self.line_at(p), "malformed JSON: Expecting value")
            first = False
            try:
                obj, end = scan(buf, p)
            except (StopIteration, ValueError, RecursionError):
                obj, p = self._element(p)
                buf = self.buf
            else:
                if end == len(buf) and not self.eof:
                    obj, p = self._element(p)  # may go on in the next chunk
                    buf = self.buf
                else:
                    self.pos = end
            # The line of buf[p], counted on from the last element (self.line_at, inlined).
            self._mark_line += buf.count(nl, self._mark, p)
            self._mark = p
            if type(obj) is dict:
                yield _json_record(self._mark_line, obj)
            else:
                yield _not_an_object(self._mark_line, buf[p])
        self.pos = p + 1
        p = self.skip_space()
        if p < len(self.buf):
            raise ReadError(self.line_at(p), "malformed JSON: Extra data")

    def _space_or_end(self, p: int) -> tuple[int, str]:
        """Skip blanks past the buffer's end; raise if the file ends first."""
        self.pos = p
        p = self.skip_space()
        if p == len(self.buf):
            raise self.truncated()
        return p, self.buf

    def _element(self, p: int) -> tuple[Any, int]:
        """Decode the element at buf[p] the careful way: read on while it may be incomplete,
        raise ReadError when it is broken. Leave pos after it; return (value, its start)."""
        decode = _DECODER.raw_decode
        while True:
            try:
                obj, end = decode(self.buf, p)
            except json.JSONDecodeError as exc:
                # Near the end of the buffer (or inside a string the buffer cuts short) the
                # element may just be incomplete: read on and retry. Elsewhere it is broken.
                maybe_cut = exc.pos >= len(self.buf) - 16 or exc.msg.startswith("Unterminated")
                if maybe_cut and not self.eof:
                    p = self._read_on(p)
                    continue
                if maybe_cut and exc.pos >= len(self.buf):
                    raise self.truncated() from None
                raise ReadError(self.line_at(exc.pos), json_error_reason(exc)) from None
            except (ValueError, RecursionError) as exc:
                raise ReadError(
                    self.line_at(p), f"malformed JSON: {_other_json_error(exc)}"
                ) from None
            if end == len(self.buf) and not self.eof:
                # A bare number can end at the buffer's end and still go on in the next chunk.
                p = self._read_on(p)
                continue
            self.pos = end
            return obj, p

    def _read_on(self, p: int) -> int:
        """Add a chunk to the element starting at buf[p]; return where it now starts."""
        if len(self.buf) - p > _MAX_TEXT:
            raise ReadError(
                self.line_at(p), f"a JSON array element is longer than {_MAX_TEXT:,} characters"
            )
        self.pos = p
        self.more()
        return self.pos


def _read_json_array(source: Source) -> Iterator[Record]:
    """JSON: one array of objects, parsed element by element."""
    yield from _JsonArray(_Text(source)).records()
