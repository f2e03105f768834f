"""JSON (an array of objects) and JSON Lines, streamed: one `Record` per object."""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable, Iterator
from typing import Any

from oastrack.core.values import check_text, unstorable
from oastrack.io.readers import source as opened
from oastrack.io.readers.source import (
    CHUNK,
    JSON_WS,
    DecodedText,
    ReadError,
    Record,
    Source,
)


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


# The most keys an object may have, as a CSV header may have columns (see csv_records).
MAX_KEYS = 1000


def _json_record(line: int, obj: dict[str, Any]) -> Record:
    """A record from one decoded JSON object."""
    if len(obj) > MAX_KEYS:
        return Record(line, {}, f"the object has {len(obj):,} keys; at most {MAX_KEYS:,} are read")
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


def _checked(record: Record) -> Record:
    """The record, or a problem when a value holds what no database stores (a `\\u0000` or a
    lone `\\ud800` escape); only called for an element whose text has a `\\u` escape."""
    for key, value in record.values.items():
        if value is not None and unstorable(value):
            try:
                check_text(value, key)
            except ValueError as error:
                return Record(record.line, {}, str(error))
        if unstorable(key):
            return Record(record.line, {}, "a key holds a NUL or a lone surrogate")
    return record


def _json_message(exc: json.JSONDecodeError) -> str:
    # json's msg has no position; a few end in a dangling " at" that read badly without one.
    return exc.msg.removesuffix(" starting at").removesuffix(" at")


def read_json_lines(source: Source) -> Iterator[Record]:
    """JSON Lines: one object per non-blank line; a bad line is a problem, not a stop."""
    decode = _DECODER.decode
    for line, raw in enumerate(DecodedText(source).lines(), 1):
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
            record = _json_record(line, obj)
            yield _checked(record) if "\\u" in raw else record
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

    def __init__(self, text: DecodedText) -> None:
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
            self.pos = JSON_WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
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
        space = JSON_WS.match
        nl = self._nl
        p = self.skip_space()
        if p == len(self.buf):
            raise ReadError(1, "the file is empty: expected a JSON array of objects")
        if self.buf[p] != "[":
            raise ReadError(self.line_at(p), "expected a JSON array of objects")
        self.pos = p + 1
        first = True
        while True:
            if len(self.buf) - self.pos < CHUNK:
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
                record = _json_record(self._mark_line, obj)
                yield _checked(record) if buf.find("\\u", p, self.pos) >= 0 else record
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
        if len(self.buf) - p > opened.MAX_TEXT:
            raise ReadError(
                self.line_at(p),
                f"a JSON array element is longer than {opened.MAX_TEXT:,} characters",
            )
        self.pos = p
        self.more()
        return self.pos


def read_json_array(source: Source) -> Iterator[Record]:
    """JSON: one array of objects, parsed element by element."""
    yield from _JsonArray(DecodedText(source)).records()


def json_error_reason(exc: json.JSONDecodeError) -> str:
    """The reason read_records gives for a JSON syntax error: "malformed JSON: ..."."""
    return f"malformed JSON: {_json_message(exc)}"
