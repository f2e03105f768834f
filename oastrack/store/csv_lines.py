"""The records in force as lines of CSV written by SQLite: one text per row, fetched and
joined, instead of nine values per row turned into a line in Python (`export positions`).

Only what is proven to give the bytes the csv module gives is said in SQL:

- which characters make the csv module quote a cell is read from the csv module itself, once
  (`quoting`), and the SQL quotes and defuses a cell by that rule (`cell`); without such a rule
  there are no lines;
- codes and analysts are written as they are when none of them needs quoting or defusing (the
  few rows of `member` and `resolution`, the distinct analysts: checked before the export),
  else by `cell`; a record's position and kind are words the schema's checks allow;
- a confidence is SQLite's text of the number where that text is the csv module's for each
  distinct confidence stored, checked before the export; the few that differ are written as
  the csv module writes them (bound as parameters); with many that differ, or a confidence
  that is not a number, there are no lines;
- a time is the stored text (`YYYY-MM-DD HH:MM:SS.ffffff`) shown as `show_time` shows it;
  a row whose time has another length gives its id instead of a line, and the caller writes
  that row from its values (`rows_by_id`).
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

# More confidences than this whose SQLite text is not Python's: the export is not done in SQL.
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
    return all(isinstance(v, str) and csv_cell(defuse_cell(v)) == v for v in values)


def _confidence(values: Iterable[tuple[Any, str, str]]) -> tuple[str, tuple[Any, ...]] | None:
    """SQL for the confidence cell, and its parameters, from each distinct confidence with its
    SQLite type and text; None when it cannot be said."""
    mapped: list[Any] = []
    for value, kind, text in values:
        if kind != "real" or not isinstance(value, float):
            return None
        shown = csv_cell(value)
        if shown != text:
            mapped += [value, shown]
    if len(mapped) > 2 * MAX_MAPPED:
        return None
    # NULL matches no WHEN: CAST gives NULL, which printf writes as nothing.
    cases = "".join(" WHEN ? THEN ?" for _ in range(len(mapped) // 2))
    sql = f"CASE p.confidence{cases} ELSE CAST(p.confidence AS TEXT) END"
    return (sql if cases else "CAST(p.confidence AS TEXT)"), tuple(mapped)


def line_query(db: Database) -> tuple[str, tuple[Any, ...]] | None:
    """The SELECT list of one line per record (without its line break) and its parameters;
    None when the data holds what SQLite would not write as the csv module does."""
    special = quoting()
    if special is None:
        return None
    # One pass over the records for what varies by record: the analysts, the confidences.
    distinct = db.all(
        "SELECT a, c, typeof(c), CAST(c AS TEXT)"
        " FROM (SELECT DISTINCT analyst AS a, confidence AS c FROM position)"
    )
    confidence = _confidence({(c, kind, text) for _, c, kind, text in distinct if c is not None})
    if confidence is None:
        return None
    conf_sql, conf_params = confidence
    analysts = {a for a, *_ in distinct}
    res = "r.code" if _plain(_column(db, "resolution")) else cell("r.code", special)
    member = "m.code" if _plain(_column(db, "member")) else cell("m.code", special)
    analyst = "p.analyst" if _plain(analysts) else cell("p.analyst", special)
    at = "p.recorded_at"
    cells = f"{res}, {member}, p.position, p.kind, replace({at}, ' ', 'T'), {analyst}, {conf_sql}"
    cells += f", {cell('p.source', special)}, {cell('p.note', special)}"
    # A whole second (most records) drops its `.000000`: the first 19 characters and a Z.
    line = (
        f"CASE WHEN substr({at}, 20) = '.000000' THEN printf('{_LINE % '.19'}', {cells})"
        f" WHEN length({at}) = 26 THEN printf('{_LINE % ''}', {cells}) ELSE p.id END"
    )
    return line, conf_params * 2  # the cells are in both branches


def _column(db: Database, table: str) -> list[Any]:
    return [code for (code,) in db.all(f"SELECT code FROM {table}")]


def lines(
    db: Database, resolution_ids: Sequence[int] = (), meeting_ids: Sequence[int] = ()
) -> Iterator[Batch] | None:
    """The records in force, in the order of `records.dump_live`, a batch at a time: each row
    its line of CSV, or its id where the line is the caller's to write (`rows_by_id`); None
    when the export cannot be done in SQL (the caller writes every row)."""
    if db.backend != "sqlite":
        return None
    found = line_query(db)
    if found is None:
        return None
    line, params = found
    sql, chosen = dump_live_query(db, line, resolution_ids, meeting_ids)
    return db.batches(sql, (*params, *chosen), size=10_000)


__all__ = ["MAX_MAPPED", "cell", "csv_cell", "line_query", "lines", "quoting"]
