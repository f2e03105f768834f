"""The records in force as lines of CSV written by SQLite: one text per row, fetched and
joined, instead of nine values per row turned into a line in Python (`export positions`).

Only what is proven to give the bytes the csv module gives is said in SQL:

- which characters make the csv module quote a cell is read from the csv module itself, once
  (`quoting`), and the SQL quotes and defuses a cell by that rule (`cell`); without such a rule
  there are no lines;
- codes are written as they are when none of them needs quoting or defusing (checked, on the
  few rows of `member` and `resolution`), else by `cell`; an analyst seen among the first and
  the last records (`SAMPLE`) that needs neither is written as it is, any other by `cell`; a
  record's position and kind are words the schema's checks allow;
- a confidence seen among those records is written as the csv module writes it (bound as a
  parameter); a row with another gives its id instead of a line, and the caller writes that
  row from its values (`records.dump_by_id`); with many confidences seen, or one that is not a
  number, there are no lines;
- a time is the text `core.values.stored_time` writes, which every writer stores
  (`YYYY-MM-DD HH:MM:SS.ffffff`), shown as `show_time` shows it; a row whose time has
  another length gives its id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from oastrack.core.values import QUOTED_START, defuse_cell
from oastrack.store.db import Database
from oastrack.store.records import dump_live_query

# How many of the first and of the last records tell which analysts and confidences to expect.
SAMPLE = 10_000
# More distinct confidences than this among them: the export is not done in SQL.
MAX_MAPPED = 64
# Characters whose effect on the csv module is read (each alone, leading, inside, trailing):
# ASCII and Latin-1, and the Unicode line and paragraph separators.
_PROBED = [chr(code) for code in range(1, 0x100)] + ["\u2028", "\u2029"]

Batch = list[tuple[str | int]]
# The line of a record, for printf: the time's precision is to be filled in.
_LINE = "%%s,%%s,%%s,%%s,%%%ssZ,%%s,%%s,%%s,%%s"


def csv_cell(value: Any) -> str:
    """The text the csv module writes for one cell, in a row of more than one, with `\\n` as
    the line terminator (as the export writes)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value, ""])
    return buffer.getvalue()[: -len(",\n")]


def _quoted(text: str, special: frozenset[str]) -> str:
    if any(char in special for char in text):
        return '"' + text.replace('"', '""') + '"'
    return text


@cache
def quoting() -> frozenset[str] | None:
    """The characters that make the csv module quote a cell (the whole cell, in double quotes,
    each double quote doubled), or None if it does anything else with the characters read."""
    special = frozenset(c for c in _PROBED if csv_cell(c + "x") != c + "x")
    if '"' not in special or csv_cell("") != "":
        return None
    for char in _PROBED:
        for text in (char, "a" + char, char + "b", "a" + char + "b", char + '"' + char):
            if csv_cell(text) != _quoted(text, special):
                return None
    return special


def _literal(char: str) -> str:
    """A character as an SQL expression."""
    if char == "'":
        return "''''"
    return f"'{char}'" if " " <= char <= "~" else f"char({ord(char)})"


def cell(expr: str, special: frozenset[str]) -> str:
    """SQL: the text expression as the export writes it — defused where it starts like a
    formula (`core.values.defuse_cell`), then quoted as the csv module quotes it; NULL stays
    NULL (`printf` writes it as nothing)."""
    starts = ", ".join(_literal(c) for c in QUOTED_START)
    defused = f"CASE WHEN substr({expr}, 1, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"
    needs = " OR ".join(f"instr({expr}, {_literal(c)})" for c in sorted(special))
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL WHEN {needs}"
        f" THEN '\"' || replace({defused}, '\"', '\"\"') || '\"' ELSE {defused} END"
    )


def _plain(values: Iterable[Any]) -> bool:
    """Whether the csv module writes each of the values as it is (no quoting, no defusing)."""
    return all(_is_plain(v) for v in values)


def _is_plain(value: Any) -> bool:
    return isinstance(value, str) and csv_cell(defuse_cell(value)) == value


def line_query(db: Database) -> tuple[str, tuple[Any, ...]] | None:
    """The SELECT list of one line per record (without its line break) and its parameters;
    None when the data holds what SQLite would not write as the csv module does."""
    special = quoting()
    if special is None:
        return None
    # The analysts and confidences of the first and the last records stand for the rest: the
    # others are still written alike, by `cell` or by the caller.
    seen = db.all(
        "SELECT DISTINCT analyst, confidence, typeof(confidence) FROM (SELECT * FROM"
        f" (SELECT analyst, confidence FROM position ORDER BY id LIMIT {SAMPLE:d}) UNION ALL"
        " SELECT * FROM"
        f" (SELECT analyst, confidence FROM position ORDER BY id DESC LIMIT {SAMPLE:d}))"
    )
    numbers = {c for _, c, kind in seen if kind != "null"}
    if any(kind not in ("real", "null") for *_, kind in seen) or len(numbers) > MAX_MAPPED:
        return None
    confidences = sorted(numbers)
    shown = [csv_cell(c) for c in confidences]
    analysts = sorted({a for a, *_ in seen if _is_plain(a)})[:MAX_MAPPED]
    # A confidence not seen above: the row's id, and the caller writes the row.
    unseen = "p.confidence IS NOT NULL" + (
        f" AND p.confidence NOT IN ({', '.join('?' for _ in confidences)})" if confidences else ""
    )
    conf = "".join(" WHEN ? THEN ?" for _ in confidences)
    conf = f"CASE p.confidence{conf} END" if conf else "NULL"
    analyst = cell("p.analyst", special)
    if analysts:
        analyst = f"CASE p.analyst{' WHEN ? THEN p.analyst' * len(analysts)} ELSE {analyst} END"
    res = "r.code" if _plain(_column(db, "resolution")) else cell("r.code", special)
    member = "m.code" if _plain(_column(db, "member")) else cell("m.code", special)
    at = "p.recorded_at"
    cells = f"{res}, {member}, p.position, p.kind, replace({at}, ' ', 'T'), {analyst}, {conf}"
    cells += f", {cell('p.source', special)}, {cell('p.note', special)}"
    params = (*analysts, *(x for pair in zip(confidences, shown, strict=True) for x in pair))
    # A whole second (most records) drops its `.000000`: the first 19 characters and a Z.
    line = (
        f"CASE WHEN {unseen} THEN p.id"
        f" WHEN substr({at}, 20) = '.000000' THEN printf('{_LINE % '.19'}', {cells})"
        f" WHEN length({at}) = 26 THEN printf('{_LINE % ''}', {cells}) ELSE p.id END"
    )
    return line, (*confidences, *params, *params)  # the cells are in both branches


def _column(db: Database, table: str) -> list[Any]:
    return [code for (code,) in db.all(f"SELECT code FROM {table}")]


def lines(
    db: Database, resolution_ids: Sequence[int] = (), meeting_ids: Sequence[int] = ()
) -> Iterator[Batch] | None:
    """The records in force, in the order of `records.dump_live`, a batch at a time: each row
    its line of CSV, or its id where the line is the caller's to write (`records.dump_by_id`); None
    when the export cannot be done in SQL (the caller writes every row)."""
    if db.backend != "sqlite":
        return None
    found = line_query(db)
    if found is None:
        return None
    line, params = found
    sql, chosen = dump_live_query(db, line, resolution_ids, meeting_ids)
    return db.batches(sql, (*params, *chosen), size=10_000)


__all__ = ["MAX_MAPPED", "SAMPLE", "cell", "csv_cell", "line_query", "lines", "quoting"]
