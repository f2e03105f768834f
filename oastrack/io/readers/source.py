"""Opening what is imported: a file, gzip or standard input, read in chunks and decoded as
strict UTF-8 into text and lines, with the line numbers errors are reported at."""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

FORMATS = ("csv", "json", "jsonl")

# Bytes asked of the file at a time: large enough that per-chunk Python overhead vanishes,
# small enough that memory stays flat.
CHUNK = 64 * 1024
# A line (CSV, JSON Lines) or a JSON array element longer than this many characters is refused:
# it is a wrong --format or a binary file, and buffering it would break the flat-memory promise.
MAX_TEXT = 8 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
JSON_WS = re.compile(r"[ \t\n\r]*")


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
            if head == GZIP_MAGIC:
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

    def read(self, size: int = CHUNK) -> bytes:
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


class DecodedText:
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
            return self._source.read(CHUNK)
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
                if pending_len > MAX_TEXT:
                    raise ReadError(
                        self.lines_done + 1,
                        f"a line is longer than {MAX_TEXT:,} characters; is this the right format?",
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
    return DecodedText(source).chunks()
