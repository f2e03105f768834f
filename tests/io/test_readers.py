"""The streaming readers: formats, sources, line numbers, values and the reasons they give."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oastrack.io import readers
from oastrack.io.readers import (
    FORMATS,
    ReadError,
    Record,
    Source,
    detect_format,
    json_error_reason,
    read_records,
    text_chunks,
)

Row = tuple[int, dict[str, str | None], str | None]


def rows_of(records: list[Record]) -> list[Row]:
    return [(r.line, r.values, r.problem) for r in records]


def read(tmp_path: Path, data: bytes | str, fmt: str, name: str | None = None) -> list[Row]:
    """Write `data` to a file and read it back as `fmt`."""
    path = tmp_path / (name or f"input.{fmt}")
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    with Source(path) as source:
        return rows_of(list(read_records(source, fmt)))


def fail(tmp_path: Path, data: bytes | str, fmt: str, name: str | None = None) -> tuple[int, str]:
    """Read `data` expecting a ReadError; return its (line, reason)."""
    with pytest.raises(ReadError) as caught:
        read(tmp_path, data, fmt, name)
    return caught.value.line, caught.value.reason


class FakeStdin:
    """Stands in for sys.stdin: only .buffer is used."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def read_stdin(data: bytes, fmt: str) -> list[Row]:
    with mock.patch.object(sys, "stdin", FakeStdin(data)), Source("-") as source:
        return rows_of(list(read_records(source, fmt)))


# --- detect_format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("members.csv", "csv"),
        ("MEMBERS.CSV", "csv"),
        ("dir.d/members.json", "json"),
        ("votes.jsonl", "jsonl"),
        ("votes.ndjson", "jsonl"),
        ("votes.csv.gz", "csv"),
        ("votes.JSONL.GZ", "jsonl"),
        ("votes.json.gz", "json"),
    ],
)
def test_format_from_the_extension(name: str, fmt: str) -> None:
    assert detect_format(name, None) == fmt


@pytest.mark.parametrize(
    ("explicit", "fmt"), [("CSV", "csv"), ("json", "json"), ("NDJSON", "jsonl"), ("jsonl", "jsonl")]
)
def test_an_explicit_format_wins(explicit: str, fmt: str) -> None:
    assert detect_format("members.json", explicit) == fmt
    assert detect_format("-", explicit) == fmt


def test_standard_input_needs_a_format() -> None:
    with pytest.raises(ValueError) as caught:
        detect_format("-", None)
    assert str(caught.value) == (
        "cannot tell the format of standard input; add --format csv|json|jsonl"
    )


@pytest.mark.parametrize("name", ["members.txt", "members", "members.gz", "csv"])
def test_an_unknown_extension_needs_a_format(name: str) -> None:
    with pytest.raises(ValueError) as caught:
        detect_format(name, None)
    assert str(caught.value) == f"cannot tell the format of {name}; add --format csv|json|jsonl"


def test_an_unknown_explicit_format() -> None:
    with pytest.raises(ValueError) as caught:
        detect_format("a.csv", "xml")
    assert str(caught.value) == "unknown format 'xml'; use csv, json or jsonl"


def test_read_records_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        read(tmp_path, "a\n1\n", "xml")
    assert FORMATS == ("csv", "json", "jsonl")


# --- Source ----------------------------------------------------------------------------------


def test_a_plain_file_source(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    data = b"code\n" + b"".join(b"M%06d\n" % i for i in range(30_000))
    path.write_bytes(data)
    with Source(path) as source:
        assert source.name == str(path)
        assert source.total_bytes == len(data)
        assert not source.compressed
        records = read_records(source, "csv")
        next(records)
        # Reading is chunked: after the first record only part of the file has been read.
        assert 0 < source.bytes_read < len(data)
        assert sum(1 for _ in records) == 29_999
        assert source.bytes_read == len(data)


def test_a_gzip_source_reports_compressed_progress(tmp_path: Path) -> None:
    path = tmp_path / "m.csv.gz"
    data = gzip.compress(b"code\n" + b"".join(b"M%06d\n" % i for i in range(30_000)))
    path.write_bytes(data)
    with Source(str(path)) as source:
        assert source.name == str(path)
        assert source.total_bytes == len(data)
        assert source.compressed
        assert sum(1 for _ in read_records(source, "csv")) == 30_000
        assert source.bytes_read == len(data)


def test_gzip_is_told_by_its_magic_not_its_name(tmp_path: Path) -> None:
    expected = [(2, {"a": "1"}, None)]
    assert read(tmp_path, gzip.compress(b"a\n1\n"), "csv", name="packed.csv") == expected
    # A ".gz" that a browser already unpacked is read as it is.
    assert read(tmp_path, b"a\n1\n", "csv", name="unpacked.csv.gz") == expected


def test_concatenated_gzip_members(tmp_path: Path) -> None:
    data = gzip.compress(b"a\n1\n") + gzip.compress(b"2\n")
    assert read(tmp_path, data, "csv", name="x.csv.gz") == [
        (2, {"a": "1"}, None),
        (3, {"a": "2"}, None),
    ]


def test_a_truncated_gzip_file(tmp_path: Path) -> None:
    data = gzip.compress(b"a\n" + b"1\n" * 1000)
    assert fail(tmp_path, data[:-12], "csv", name="x.csv.gz") == (
        1,
        "the gzip data ends too early; is the file truncated?",
    )


def test_damaged_gzip_data(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b"a\n" + b"1\n" * 1000))
    data[-6] ^= 0xFF  # the CRC-32 and length trailer no longer match
    line, reason = fail(tmp_path, bytes(data), "csv", name="x.csv.gz")
    assert line == 1
    assert reason.startswith("the gzip data is damaged (")


def test_reading_starts_with_the_first_record(tmp_path: Path) -> None:
    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(b"a\n1\n")[:-12])
    with Source(path) as source:
        records = read_records(source, "csv")  # nothing is read yet: no error
        assert source.bytes_read == 2  # the gzip magic
        with pytest.raises(ReadError):
            next(records)


def test_a_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        Source("/nonexistent/members.csv")


def test_reading_a_source_directly(tmp_path: Path) -> None:
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(b"a\n1\n"))
    with Source(path) as source:
        assert source.read(3) == b"a\n1"
        assert source.read() == b"\n"
        assert source.read() == b""
    path.write_bytes(b"a\n1\n")
    with Source(path) as source:
        assert source.read(1) == b"a"
        assert source.read(-1) == b"\n1\n"
    with Source(path) as source:
        assert source.read(-1) == b"a\n1\n"


def test_close_is_idempotent_and_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    source = Source(path)
    source.close()
    source.close()
    with pytest.raises(ValueError):
        source.read()


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = FakeStdin(b"code,name\r\nFR,France\r\n\r\nDE,Germany\r\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    with Source("-") as source:
        assert source.name == "<stdin>"
        assert source.total_bytes is None
        assert rows_of(list(read_records(source, "csv"))) == [
            (2, {"code": "FR", "name": "France"}, None),
            (4, {"code": "DE", "name": "Germany"}, None),
        ]
        assert source.bytes_read == len(stdin.buffer.getvalue())
    assert not stdin.buffer.closed  # stdin is not ours to close


def test_gzip_on_standard_input() -> None:
    data = gzip.compress(b'[\n  {"a": 1},\n  {"a": 2}\n]\n')
    assert read_stdin(data, "json") == [(2, {"a": "1"}, None), (3, {"a": "2"}, None)]


def test_a_tiny_standard_input() -> None:
    assert read_stdin(b"a", "csv") == []
    assert read_stdin(b"\x1f", "jsonl") == [(1, {}, "malformed JSON: Expecting value")]


# --- Text: encoding, BOM, line breaks --------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_byte_order_mark_is_dropped(tmp_path: Path, fmt: str) -> None:
    text = {"csv": "code\nFR\n", "json": '[{"code": "FR"}]\n', "jsonl": '{"code": "FR"}\n'}[fmt]
    line = 2 if fmt == "csv" else 1
    assert read(tmp_path, b"\xef\xbb\xbf" + text.encode(), fmt) == [(line, {"code": "FR"}, None)]


def test_invalid_utf8_names_the_line_and_byte(tmp_path: Path) -> None:
    data = "code,name\nCI,Côte d\u2019Ivoire\n".encode() + b"FR,Fran\xe7e\nDE,Germany\n"
    assert fail(tmp_path, data, "csv") == (
        3,
        "not valid UTF-8 text (byte 0xe7); save the file as UTF-8",
    )


def test_invalid_utf8_far_into_the_file(tmp_path: Path) -> None:
    # Past several 64 KiB chunks, with multi-byte characters straddling chunk ends.
    good = "é,ü\n" * 50_000
    data = b"a,b\n" + good.encode() + b"x,\xff\n"
    assert fail(tmp_path, data, "csv") == (
        50_002,
        "not valid UTF-8 text (byte 0xff); save the file as UTF-8",
    )


def test_a_character_cut_short_at_the_end(tmp_path: Path) -> None:
    assert fail(tmp_path, b"a\n\xe2\x82", "csv") == (
        2,
        "not valid UTF-8 text (byte 0xe2); save the file as UTF-8",
    )


def test_a_broken_character_before_a_line_break(tmp_path: Path) -> None:
    # The decoder holds the first bytes of a character back; the bad sequence is on line 2.
    assert fail(tmp_path, b"a\n\xe2\x82\nb\n", "jsonl") == (
        2,
        "not valid UTF-8 text (byte 0xe2); save the file as UTF-8",
    )


def test_utf16_is_refused(tmp_path: Path) -> None:
    data = "code\nFR\n".encode("utf-16")
    assert fail(tmp_path, data, "csv") == (
        1,
        "not valid UTF-8 text (byte 0xff); save the file as UTF-8",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_nul_byte(tmp_path: Path, fmt: str) -> None:
    assert fail(tmp_path, b"a\nb\nc\x00d\n", fmt) == (
        3,
        "the file contains a NUL byte; is it a binary file?",
    )


def test_a_line_longer_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.source, "MAX_TEXT", 100_000)
    data = "a\n1\n" + "x" * 300_000
    assert fail(tmp_path, data, "jsonl") == (
        3,
        "a line is longer than 100,000 characters; is this the right format?",
    )


def test_text_chunks_for_other_readers(tmp_path: Path) -> None:
    path = tmp_path / "doc.json.gz"
    text = '{"members": [\n' + '  {"code": "ünï"},\n' * 20_000 + "]}\n"
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + text.encode()))
    with Source(path) as source:
        chunks = list(text_chunks(source))
    assert len(chunks) > 1
    assert "".join(chunks) == text
    path.write_bytes(b'{"a":\n"\xff"}')
    with Source(path) as source, pytest.raises(ReadError) as caught:
        list(text_chunks(source))
    assert (caught.value.line, caught.value.reason) == (
        2,
        "not valid UTF-8 text (byte 0xff); save the file as UTF-8",
    )


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ('{"a": "x', "malformed JSON: Unterminated string"),
        ('{"a": "x\ty"}', "malformed JSON: Invalid control character"),
        ('{"a" 1}', "malformed JSON: Expecting ':' delimiter"),
    ],
)
def test_json_error_reason(doc: str, reason: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(doc)
    assert json_error_reason(caught.value) == reason


# --- CSV -------------------------------------------------------------------------------------


def test_csv_values(tmp_path: Path) -> None:
    data = ' code , name ,note\nFR,  France ,\n DE ,"Germany"," "\n'
    assert read(tmp_path, data, "csv") == [
        (2, {"code": "FR", "name": "France", "note": None}, None),
        (3, {"code": "DE", "name": "Germany", "note": None}, None),
    ]


def test_csv_without_a_final_line_break(tmp_path: Path) -> None:
    assert read(tmp_path, "a,b\n1,2", "csv") == [(2, {"a": "1", "b": "2"}, None)]


def test_csv_header_only(tmp_path: Path) -> None:
    assert read(tmp_path, "a,b\n", "csv") == []


def test_the_csv_columns_are_known_once_the_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n code , name\nFR,France\n")
    with Source(path) as source:
        records = read_records(source, "csv")
        assert records.columns is None  # nothing read yet
        first = next(records)
        assert records.columns == ["code", "name"]
        assert first.values == {"code": "FR", "name": "France"}
        assert list(records) == []
    path.write_text("country,vote\n")  # no rows: the header is still told
    with Source(path) as source:
        records = read_records(source, "csv")
        assert list(records) == []
        assert records.columns == ["country", "vote"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_has_no_columns(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"a.{fmt}"
    path.write_text('[{"a": "1"}]' if fmt == "json" else '{"a": "1"}')
    with Source(path) as source:
        records = read_records(source, fmt)
        assert [r.values for r in records] == [{"a": "1"}]
        assert records.columns is None


@pytest.mark.parametrize("data", ["", "\n\n", " \r\n\t\n", "\ufeff"])
def test_an_empty_csv(tmp_path: Path, data: str) -> None:
    assert fail(tmp_path, data, "csv") == (1, "the file is empty: expected a header row")


def test_the_header_is_the_first_non_empty_row(tmp_path: Path) -> None:
    assert read(tmp_path, "\n  \n,,\ncode\nFR\n", "csv") == [(5, {"code": "FR"}, None)]


def test_a_header_column_without_a_name(tmp_path: Path) -> None:
    assert fail(tmp_path, "code, ,name\n", "csv") == (1, "column 2 of the header row has no name")


def test_a_header_column_named_twice(tmp_path: Path) -> None:
    assert fail(tmp_path, "code,name, code\n", "csv") == (
        1,
        "the header row names the column 'code' twice",
    )


def test_a_row_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    data = "a,b,c\n1,2\n1,2,3,4\n1,2,3\n1,2,\n"
    assert read(tmp_path, data, "csv") == [
        (2, {}, "expected 3 fields, found 2"),
        (3, {}, "expected 3 fields, found 4"),
        (4, {"a": "1", "b": "2", "c": "3"}, None),
        (5, {"a": "1", "b": "2", "c": None}, None),
    ]


def test_blank_lines_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    data = "a,b\n\n1,2\n   \n,\n , \n,,,\n\r\n3,4\n\n"
    assert read(tmp_path, data, "csv") == [
        (3, {"a": "1", "b": "2"}, None),
        (9, {"a": "3", "b": "4"}, None),
    ]


def test_csv_quoted_fields_spanning_lines(tmp_path: Path) -> None:
    data = 'code,note\nFR,"one\ntwo\n\nthree"\nDE,"a ""quoted"" word, and a comma"\nIT,"\n"\nES,x\n'
    assert read(tmp_path, data, "csv") == [
        (2, {"code": "FR", "note": "one\ntwo\n\nthree"}, None),
        (6, {"code": "DE", "note": 'a "quoted" word, and a comma'}, None),
        (7, {"code": "IT", "note": None}, None),
        (9, {"code": "ES", "note": "x"}, None),
    ]


def test_csv_with_crlf_line_breaks(tmp_path: Path) -> None:
    data = b'code,note\r\nFR,"one\r\ntwo"\r\n\r\nDE,\r\n'
    assert read(tmp_path, data, "csv") == [
        (2, {"code": "FR", "note": "one\r\ntwo"}, None),
        (5, {"code": "DE", "note": None}, None),
    ]


def test_csv_with_old_mac_line_breaks(tmp_path: Path) -> None:
    data = b'code,note\rFR,"one\rtwo"\r\rDE,x\r'
    assert read(tmp_path, data, "csv") == [
        (2, {"code": "FR", "note": "one\rtwo"}, None),
        (5, {"code": "DE", "note": "x"}, None),
    ]


def test_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfcode,name\r\nFR,France\r\n"
    assert read(tmp_path, data, "csv") == [(2, {"code": "FR", "name": "France"}, None)]


def test_gzip_csv_line_numbers(tmp_path: Path) -> None:
    data = gzip.compress(b'a,b\n1,"x\ny"\n\n2,z\n')
    assert read(tmp_path, data, "csv", name="in.csv.gz") == [
        (2, {"a": "1", "b": "x\ny"}, None),
        (5, {"a": "2", "b": "z"}, None),
    ]


def test_csv_unicode_values(tmp_path: Path) -> None:
    data = "code,name\nCI,Côte d\u2019Ivoire\nCN,中国\n"
    assert read(tmp_path, data, "csv") == [
        (2, {"code": "CI", "name": "Côte d\u2019Ivoire"}, None),
        (3, {"code": "CN", "name": "中国"}, None),
    ]


def test_csv_across_many_chunks(tmp_path: Path) -> None:
    # Multi-line quoted fields and multi-byte characters land on chunk boundaries somewhere.
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["n", "text"])
    expected: list[Row] = []
    line = 2
    for i in range(20_000):
        text = f"ünï {i}\n{'x' * (i % 7)}." if i % 3 else f"plain {i}"
        writer.writerow([i, text])
        expected.append((line, {"n": str(i), "text": text}, None))
        line += text.count("\n") + 1
    assert read(tmp_path, out.getvalue(), "csv") == expected


def test_a_quote_never_closed(tmp_path: Path) -> None:
    data = 'a,b\n1,2\n3,"four\n5,6\n7,8\n'
    assert fail(tmp_path, data, "csv") == (
        3,
        "broken CSV quoting: a quoted field is not closed by the end of the file",
    )


def test_a_quote_never_closed_in_a_big_file(tmp_path: Path) -> None:
    # csv's field size limit stops the runaway field long before the end of the file.
    data = 'a,b\n1,"2\n' + "3,4\n" * 100_000
    assert fail(tmp_path, data, "csv") == (
        2,
        'broken CSV quoting: a field is longer than 131072 characters; is a closing " missing?',
    )


def test_text_after_a_closing_quote(tmp_path: Path) -> None:
    data = 'a,b\n1,2\n3,"four" five\n'
    assert fail(tmp_path, data, "csv") == (
        3,
        'broken CSV quoting: a closing " must be followed by a comma or the end of the line',
    )


def test_quotes_inside_an_unquoted_field_are_text(tmp_path: Path) -> None:
    assert read(tmp_path, 'a,b\n5\'10",x "y"\n', "csv") == [
        (2, {"a": "5'10\"", "b": 'x "y"'}, None)
    ]


def test_a_bare_carriage_return_in_a_field(tmp_path: Path) -> None:
    assert fail(tmp_path, "a,b\n1,2\n3,x\ry\n", "csv") == (
        3,
        "broken CSV quoting: a carriage return inside an unquoted field",
    )


def test_records_before_a_read_error_are_yielded(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('a\n1\n2\n"3\n')
    seen = []
    with Source(path) as source, pytest.raises(ReadError):
        for record in read_records(source, "csv"):
            seen.append(record.values["a"])
    assert seen == ["1", "2"]


# --- JSON ------------------------------------------------------------------------------------


def test_json_pretty_printed(tmp_path: Path) -> None:
    rows = [{"code": "FR", "name": "France"}, {"code": "DE", "name": "Germany"}]
    assert read(tmp_path, json.dumps(rows, indent=2), "json") == [
        (2, {"code": "FR", "name": "France"}, None),
        (6, {"code": "DE", "name": "Germany"}, None),
    ]


def test_json_on_one_line(tmp_path: Path) -> None:
    assert read(tmp_path, '[{"a":"1"},{"a":"2"}]', "json") == [
        (1, {"a": "1"}, None),
        (1, {"a": "2"}, None),
    ]


def test_json_values(tmp_path: Path) -> None:
    obj = {
        " code ": "  FR ",
        "empty": "",
        "blank": "   ",
        "null": None,
        "yes": True,
        "no": False,
        "int": 42,
        "negative": -7,
        "float": 0.75,
        "float2": 1.50,
        "exp": 1e2,
        "sponsors": ["FR", " DE ", "", None, 3, True],
        "none": [],
    }
    assert read(tmp_path, json.dumps([obj]), "json") == [
        (
            1,
            {
                "code": "FR",
                "empty": None,
                "blank": None,
                "null": None,
                "yes": "true",
                "no": "false",
                "int": "42",
                "negative": "-7",
                "float": "0.75",
                "float2": "1.5",
                "exp": "100.0",
                "sponsors": "FR;DE;3;true",
                "none": None,
            },
            None,
        )
    ]


def test_json_number_spellings(tmp_path: Path) -> None:
    data = '[{"big": 123456789012345678901234567890, "e": 2.5E-3, "nan": NaN, "inf": -Infinity}]'
    assert read(tmp_path, data, "json") == [
        (
            1,
            {
                "big": "123456789012345678901234567890",
                "e": "0.0025",
                "nan": "NaN",
                "inf": "-Infinity",
            },
            None,
        )
    ]


def test_an_int_longer_than_python_converts(tmp_path: Path) -> None:
    digits = "9" * 5000
    assert read(tmp_path, f'[{{"n": {digits}}}]', "json") == [(1, {"n": digits}, None)]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('{"x": 1}', "a: a nested object is not allowed here"),
        ("[1, [2]]", "a: a nested object is not allowed here"),
        ('[{"x": 1}]', "a: a nested object is not allowed here"),
    ],
)
def test_json_nested_values(tmp_path: Path, value: str, reason: str) -> None:
    data = f'[{{"code": "FR", "a": {value}}}, {{"code": "DE"}}]'
    assert read(tmp_path, data, "json") == [(1, {}, reason), (1, {"code": "DE"}, None)]


@pytest.mark.parametrize(
    ("element", "kind"),
    [
        ("1", "a number"),
        ("-2.5", "a number"),
        ('"FR"', "a string"),
        ("[1]", "an array"),
        ("null", "null"),
        ("true", "true"),
        ("false", "false"),
    ],
)
def test_a_json_element_that_is_not_an_object(tmp_path: Path, element: str, kind: str) -> None:
    data = f'[\n  {element},\n  {{"a": "x"}}\n]'
    assert read(tmp_path, data, "json") == [
        (2, {}, f"expected a JSON object, found {kind}"),
        (3, {"a": "x"}, None),
    ]


def test_an_empty_json_array(tmp_path: Path) -> None:
    assert read(tmp_path, " [ \n ] \n", "json") == []


@pytest.mark.parametrize("data", ["", "  \n\n", "\ufeff"])
def test_an_empty_json_file(tmp_path: Path, data: str) -> None:
    assert fail(tmp_path, data, "json") == (
        1,
        "the file is empty: expected a JSON array of objects",
    )


@pytest.mark.parametrize("data", ['{"a": 1}', '"a"', "1", "null", "x"])
def test_json_that_is_not_an_array(tmp_path: Path, data: str) -> None:
    assert fail(tmp_path, data, "json") == (1, "expected a JSON array of objects")


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        ('[\n{"a": 1},\n{"a": 1 "b": 2}\n]', 3, "malformed JSON: Expecting ',' delimiter"),
        ('[\n{"a": 1}\n{"b": 2}\n]', 3, "malformed JSON: Expecting ',' delimiter"),
        ('[\n{"a": 1},\n]', 3, "malformed JSON: Expecting value"),
        ("[\n,\n]", 2, "malformed JSON: Expecting value"),
        ('[{"a": 1}]\n\n[]', 3, "malformed JSON: Extra data"),
        ('[{"a": "x\ny"}]', 1, "malformed JSON: Invalid control character"),
        ('[\n{"a": tru}]', 2, "malformed JSON: Expecting value"),
        ("[\n{'a': 1}]", 2, "malformed JSON: Expecting property name enclosed in double quotes"),
        ('[{"a": "\\q"}]', 1, "malformed JSON: Invalid \\escape"),
    ],
)
def test_malformed_json(tmp_path: Path, data: str, line: int, reason: str) -> None:
    assert fail(tmp_path, data, "json") == (line, reason)


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        ("[", 1, "malformed JSON: the file ends before the array is closed"),
        ('[\n{"a": 1},\n', 3, "malformed JSON: the file ends before the array is closed"),
        ('[\n{"a": 1}\n\n', 4, "malformed JSON: the file ends before the array is closed"),
        ('[\n{"a": 1,\n "b": ', 3, "malformed JSON: the file ends before the array is closed"),
        ('[\n{"a": "abc', 2, "malformed JSON: Unterminated string"),
    ],
)
def test_truncated_json(tmp_path: Path, data: str, line: int, reason: str) -> None:
    assert fail(tmp_path, data, "json") == (line, reason)


def test_records_before_malformed_json_are_yielded(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"a": "1"}, {"a": "2"}, {"a": 3,}]')
    seen = []
    with Source(path) as source, pytest.raises(ReadError) as caught:
        for record in read_records(source, "json"):
            seen.append(record.values["a"])
    assert seen == ["1", "2"]
    assert (
        caught.value.reason == "malformed JSON: Expecting property name enclosed in double quotes"
    )


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    data = '[{"a": "1"},\n{"a": ' + "[" * 100_000 + "]" * 100_000 + "}]"
    assert fail(tmp_path, data, "json") == (2, "malformed JSON: nested too deeply")


def test_json_across_many_chunks(tmp_path: Path) -> None:
    texts = [f"ünï\n{i}" * (i % 5) for i in range(20_000)]
    rows = [{"n": i, "text": text, "list": [i, "x"]} for i, text in enumerate(texts)]
    # indent=1 puts each element on 8 lines: {, n, text, list [, its two items, ], }.
    expected: list[Row] = [
        (2 + 8 * i, {"n": str(i), "text": text or None, "list": f"{i};x"}, None)
        for i, text in enumerate(texts)
    ]
    assert read(tmp_path, json.dumps(rows, indent=1, ensure_ascii=False), "json") == expected


def test_a_json_element_bigger_than_a_chunk(tmp_path: Path) -> None:
    big = "é" * 200_000 + "\\n" + "x" * 100_000
    data = f'[\n{{"a": "1"}},\n{{"big": "{big}"}},\n{{"a": "2"}}\n]'
    assert read(tmp_path, data, "json") == [
        (2, {"a": "1"}, None),
        (3, {"big": "é" * 200_000 + "\n" + "x" * 100_000}, None),
        (4, {"a": "2"}, None),
    ]


def test_a_bare_number_longer_than_a_chunk(tmp_path: Path) -> None:
    # Longer than the two chunks the buffer holds, so raw_decode sees it cut short.
    digits = "1" * 140_000
    data = f'[\n{{"a": "1"}},\n{digits},\n{{"a": "2"}}\n]'
    assert read(tmp_path, data, "json") == [
        (2, {"a": "1"}, None),
        (3, {}, "expected a JSON object, found a number"),
        (4, {"a": "2"}, None),
    ]


def test_a_json_element_longer_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers.source, "MAX_TEXT", 100_000)
    data = '[\n{"a": "1"},\n{"big": "' + "x" * 300_000 + '"}]'
    assert fail(tmp_path, data, "json") == (
        3,
        "a JSON array element is longer than 100,000 characters",
    )


@pytest.mark.parametrize("shift", range(-20, 21, 3))
def test_malformed_json_near_a_chunk_boundary(tmp_path: Path, shift: int) -> None:
    # The broken spot falls just before, on and just after the end of the first 64 KiB chunk:
    # it must be told from an element the buffer merely cuts short.
    pad = " " * (65_536 - 30 + shift)
    data = '[\n{"a": "1"},' + pad + '\n{"a": 1 "b": 2},\n{"a": "3"}]'
    assert fail(tmp_path, data, "json") == (3, "malformed JSON: Expecting ',' delimiter")


@pytest.mark.parametrize("shift", range(-20, 21, 3))
def test_good_json_near_a_chunk_boundary(tmp_path: Path, shift: int) -> None:
    pad = " " * (65_536 - 30 + shift)
    data = '[\n{"a": "1"},' + pad + '\n{"a": true, "b": -1.5e3, "c": "\\u00e9"},\n{"a": "3"}]'
    assert read(tmp_path, data, "json") == [
        (2, {"a": "1"}, None),
        (3, {"a": "true", "b": "-1500.0", "c": "é"}, None),
        (4, {"a": "3"}, None),
    ]


def test_json_with_crlf_and_bom(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf[\r\n  {"a": "1"},\r\n\r\n  {"a": "2"}\r\n]\r\n'
    assert read(tmp_path, data, "json") == [(2, {"a": "1"}, None), (4, {"a": "2"}, None)]


def test_gzip_json_line_numbers(tmp_path: Path) -> None:
    rows = [{"a": str(i)} for i in range(3)]
    data = gzip.compress(json.dumps(rows, indent=4).encode())
    assert read(tmp_path, data, "json", name="in.json.gz") == [
        (2, {"a": "0"}, None),
        (5, {"a": "1"}, None),
        (8, {"a": "2"}, None),
    ]


def test_json_on_standard_input() -> None:
    assert read_stdin(b'[\n\n{"a": "1"}]', "json") == [(3, {"a": "1"}, None)]


# --- JSON Lines ------------------------------------------------------------------------------


def test_json_lines(tmp_path: Path) -> None:
    data = '{"a": "1", " b ": 2}\n\n   \n{"a": null, "b": [1, 2]}\n'
    assert read(tmp_path, data, "jsonl") == [
        (1, {"a": "1", "b": "2"}, None),
        (4, {"a": None, "b": "1;2"}, None),
    ]


def test_json_lines_carry_on_past_a_bad_line(tmp_path: Path) -> None:
    data = '{"a": "1"}\n{"a": 1 "b": 2}\n[1]\n{"a": {"b": 1}}\n{"a": "x"} {"b": 2}\n{"a": "5"}'
    assert read(tmp_path, data, "jsonl") == [
        (1, {"a": "1"}, None),
        (2, {}, "malformed JSON: Expecting ',' delimiter"),
        (3, {}, "expected a JSON object, found an array"),
        (4, {}, "a: a nested object is not allowed here"),
        (5, {}, "malformed JSON: Extra data"),
        (6, {"a": "5"}, None),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [("7", "a number"), ('"x"', "a string"), ("  null", "null"), ("false", "false")],
)
def test_a_json_line_that_is_not_an_object(tmp_path: Path, line: str, kind: str) -> None:
    assert read(tmp_path, line + "\n", "jsonl") == [
        (1, {}, f"expected a JSON object, found {kind}")
    ]


def test_json_lines_too_deep_is_a_problem_of_that_line(tmp_path: Path) -> None:
    data = '{"a": ' + "[" * 100_000 + "]" * 100_000 + '}\n{"a": "2"}\n'
    assert read(tmp_path, data, "jsonl") == [
        (1, {}, "malformed JSON: nested too deeply"),
        (2, {"a": "2"}, None),
    ]


def test_json_lines_with_crlf_bom_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b'\xef\xbb\xbf{"a": "1"}\r\n\r\n{"a": "2"}')
    assert read(tmp_path, data, "jsonl", name="in.jsonl.gz") == [
        (1, {"a": "1"}, None),
        (3, {"a": "2"}, None),
    ]


def test_json_lines_on_standard_input() -> None:
    assert read_stdin(b'\n{"a": "1"}\n', "jsonl") == [(2, {"a": "1"}, None)]


# --- Properties ------------------------------------------------------------------------------

# Non-empty text with no surrounding whitespace (reading strips values and turns "" to None).
_values = (
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1)
    .map(str.strip)
    .filter(bool)
)
_tables = st.lists(_values, min_size=1, max_size=5, unique=True).flatmap(
    lambda names: st.tuples(
        st.just(names),
        st.lists(st.lists(_values, min_size=len(names), max_size=len(names)), max_size=8),
    )
)


def _csv_text(names: list[str], rows: list[list[str]]) -> tuple[str, list[int]]:
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # "\r\n" line ends, quoting when needed
    writer.writerow(names)
    lines = []
    for row in rows:
        lines.append(out.getvalue().count("\n") + 1)
        writer.writerow(row)
    return out.getvalue(), lines


@settings(max_examples=150, deadline=None)
@given(table=_tables, fmt=st.sampled_from(FORMATS), ascii_only=st.booleans())
def test_round_trip(table: tuple[list[str], list[list[str]]], fmt: str, ascii_only: bool) -> None:
    names, rows = table
    if fmt == "csv":
        text, lines = _csv_text(names, rows)
    elif fmt == "json":
        items = [
            json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=ascii_only) for row in rows
        ]
        text = "[\n" + ",\n".join(items) + "\n]\n"
        lines = [i + 2 for i in range(len(rows))]
    else:
        items = [
            json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=ascii_only) for row in rows
        ]
        text = "".join(item + "\n" for item in items)
        lines = [i + 1 for i in range(len(rows))]
    expected = [
        (line, dict(zip(names, row, strict=True)), None)
        for line, row in zip(lines, rows, strict=True)
    ]
    assert read_stdin(text.encode(), fmt) == expected


_text_like = st.text(alphabet='[]{}",:\n\r \t0a\\tnul-.e\x00é\ufeff').map(str.encode)
_garbage = st.one_of(
    st.binary(max_size=300),
    _text_like,
    _text_like.map(gzip.compress),
    st.binary(max_size=300).map(gzip.compress).map(lambda b: b[: len(b) // 2]),
    st.binary(max_size=300).map(lambda b: b"\x1f\x8b" + b),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_garbage, fmt=st.sampled_from(FORMATS))
def test_any_bytes_give_records_or_a_read_error(data: bytes, fmt: str) -> None:
    try:
        records = read_stdin(data, fmt)
    except ReadError as error:
        assert error.line >= 1
        assert error.reason
        return
    for line, values, problem in records:
        assert line >= 1
        assert all(v is None or (isinstance(v, str) and v) for v in values.values())
        assert problem is None or not values


# --- Resources -------------------------------------------------------------------------------


def test_memory_stays_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("resolution,member,position,note\n")
        for i in range(200_000):
            out.write(f'A/RES/{i},M{i % 193:03d},yes,"a note, with a comma {i}"\n')
    tracemalloc.start()
    try:
        count = 0
        with Source(path) as source:
            for record in read_records(source, "csv"):
                count += record.problem is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_memory_stays_flat_for_json(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"big.{fmt}"
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n" if fmt == "json" else "")
        for i in range(20_000):
            sep = ",\n" if fmt == "json" and i else "\n" if i else ""
            out.write(f'{sep}{{"resolution": "A/RES/{i}", "member": "M{i % 193}", "n": {i}}}')
        out.write("\n]\n" if fmt == "json" else "\n")
    # Past a dozen chunks, and bigger than the peak allowed: reading it whole would show.
    assert path.stat().st_size > 1_100_000
    tracemalloc.start()
    try:
        with Source(path) as source:
            count = sum(1 for record in read_records(source, fmt) if record.problem is None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_the_readers_import_only_the_standard_library() -> None:
    code = (
        "import sys, oastrack.io.readers\n"
        "heavy = {'typer', 'rich', 'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
