"""Streaming reader of a snapshot document: `{"oastrack_snapshot": 1, "members": [...], …}`.

Items are yielded one at a time as (section, line, item), whatever the size of the document;
the document is never held whole in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from oastrack.io.readers import ReadError, Source, json_error_reason, text_chunks
from oastrack.io.snapshot import FORMAT_KEY, FORMAT_VERSION, SECTIONS

_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()


class _Cursor:
    """A sliding window over the decoded text, with the line number of its start."""

    def __init__(self, source: Source) -> None:
        self.chunks = text_chunks(source)  # UTF-8, BOM, NUL and gzip checks as for other files
        self.text = ""
        self.pos = 0
        self.line = 1  # line of text[0]
        self.eof = False

    def _more(self) -> bool:
        if self.eof:
            return False
        decoded = next(self.chunks, None)
        if decoded is None:
            self.eof = True
            return False
        # Drop what has been consumed, counting its lines.
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + decoded
        self.pos = 0
        return True

    def line_at(self, index: int) -> int:
        return self.line + self.text.count("\n", 0, index)

    def skip_ws(self) -> None:
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text) or not self._more():
                return

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise ReadError(
                self.line_at(self.pos), f"malformed snapshot: expected {what}, found {shown}"
            )
        self.pos += 1

    def value(self) -> tuple[int, Any]:
        """Decode one JSON value, reading more text until it is complete."""
        self.skip_ws()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self._more():
                    continue
                raise ReadError(self.line_at(error.pos), json_error_reason(error)) from None
            except RecursionError:  # the decoder's own bound on nesting
                raise ReadError(
                    self.line_at(self.pos), "malformed JSON: nested too deeply"
                ) from None
            # A number or literal at the end of the window may continue in the next chunk.
            if end == len(self.text) and not self.eof and self._more():
                continue
            line = self.line_at(self.pos)
            self.pos = end
            return line, value


def read_snapshot(source: Source) -> Iterator[tuple[str, int, Any]]:
    """Yield (section, line, item) for every item of every section, in document order."""
    cursor = _Cursor(source)
    cursor.expect("{", "a JSON object (an oastrack snapshot)")
    seen_format = False
    first = True
    while True:
        if cursor.peek() == "}":
            cursor.pos += 1
            break
        if not first:
            cursor.expect(",", "',' or '}'")
        first = False
        line, key = cursor.value()
        if not isinstance(key, str):
            raise ReadError(line, "malformed snapshot: expected a key")
        cursor.expect(":", "':'")
        if key == FORMAT_KEY:
            line, version = cursor.value()
            if version != FORMAT_VERSION:
                raise ReadError(
                    line,
                    f"snapshot version {version!r} is not supported "
                    f"(this oastrack reads version {FORMAT_VERSION})",
                )
            seen_format = True
            continue
        if not seen_format:
            raise ReadError(
                line,
                f'not an oastrack snapshot: it must start with "{FORMAT_KEY}": {FORMAT_VERSION}',
            )
        if key not in SECTIONS:
            raise ReadError(line, f"unknown section {key!r}; sections are: {', '.join(SECTIONS)}")
        cursor.expect("[", f"an array for {key}")
        if cursor.peek() == "]":
            cursor.pos += 1
            continue
        while True:
            line, item = cursor.value()
            yield key, line, item
            if cursor.peek() == ",":
                cursor.pos += 1
                continue
            cursor.expect("]", "',' or ']'")
            break
    if cursor.peek():
        raise ReadError(cursor.line_at(cursor.pos), "unexpected text after the snapshot")
    if not seen_format:
        raise ReadError(1, f'not an oastrack snapshot: no "{FORMAT_KEY}"')
