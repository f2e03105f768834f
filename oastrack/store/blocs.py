"""The `bloc` and `bloc_member` tables: named groups of members, with dated membership."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from oastrack.core.values import as_date, clean_text
from oastrack.errors import Conflict, InvalidInput, NotFound
from oastrack.store import members
from oastrack.store.db import Database
from oastrack.store.sql import covers, day, iso, limit_to


@dataclass(frozen=True)
class AddedBloc:
    """What `bloc add` did: created the bloc, and which of the members named were added."""

    code: str
    name: str
    created: bool
    named: tuple[str, ...]  # the members the command named
    added: tuple[str, ...]  # those not already in the bloc for these dates
    start: date | None
    end: date | None


def find_id(db: Database, code: str) -> int | None:
    found = db.scalar("SELECT id FROM bloc WHERE code = ?", (code,))
    return None if found is None else int(found)


def find(db: Database, code: str) -> tuple[int, str, str, str | None] | None:
    """(id, code, name, note) of the bloc, or None."""
    row = db.one("SELECT id, code, name, note FROM bloc WHERE code = ?", (code,))
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]), row[3])


def get(db: Database, code: str) -> tuple[int, str, str, str | None]:
    found = find(db, code)
    if found is None:
        raise NotFound(f"no bloc {code!r}", hint="see: oastrack bloc list")
    return found


def insert(db: Database, code: str, name: str, note: str | None = None) -> int:
    return db.insert(
        "INSERT INTO bloc (code, name, note) VALUES (?, ?, ?) RETURNING id", (code, name, note)
    )


def member_exists(db: Database, bloc_id: int, member_id: int, start: Any, end: Any) -> bool:
    found = db.scalar(
        "SELECT count(*) FROM bloc_member WHERE bloc_id = ? AND member_id = ?"
        " AND start_date IS NOT DISTINCT FROM ? AND end_date IS NOT DISTINCT FROM ?",
        (bloc_id, member_id, day(start), day(end)),
    )
    return bool(found)


def insert_member(
    db: Database, bloc_id: int, member_id: int, start: Any, end: Any, note: str | None = None
) -> None:
    db.execute(
        "INSERT INTO bloc_member (bloc_id, member_id, start_date, end_date, note)"
        " VALUES (?, ?, ?, ?, ?)",
        (bloc_id, member_id, day(start), day(end), note),
    )


def open_terms(db: Database, bloc_id: int, member_id: int) -> list[tuple[int, Any]]:
    """(id, start) of the member's terms in the bloc with no end."""
    rows = db.all(
        "SELECT id, start_date FROM bloc_member WHERE bloc_id = ? AND member_id = ?"
        " AND end_date IS NULL ORDER BY id",
        (bloc_id, member_id),
    )
    return [(int(r[0]), as_date(r[1])) for r in rows]


def end_term(db: Database, term_id: int, on: date) -> None:
    db.execute("UPDATE bloc_member SET end_date = ? WHERE id = ?", (day(on), term_id))


def members_on(db: Database, bloc_id: int, on: date | None) -> list[tuple[int, str]]:
    """(id, code) of a bloc's members on a date (all that ever were, when no date), by code."""
    rows = db.all(
        "SELECT DISTINCT m.id, m.code FROM bloc_member b JOIN member m ON m.id = b.member_id"
        " WHERE b.bloc_id = ? AND (? IS NULL OR " + covers("b") + ") ORDER BY m.code",
        (bloc_id, day(on), day(on), day(on)),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def blocs_on(db: Database, on: date | None) -> dict[str, list[str]]:
    """Every bloc's member codes on a date (all that ever were, when no date), blocs by code
    (empty blocs left out)."""
    rows = db.all(
        "SELECT bl.code, m.code FROM bloc_member b JOIN bloc bl ON bl.id = b.bloc_id"
        " JOIN member m ON m.id = b.member_id"
        " WHERE (? IS NULL OR " + covers("b") + ") ORDER BY bl.code, m.code",
        (day(on), day(on), day(on)),
    )
    found: dict[str, list[str]] = {}
    for bloc_code, member_code in rows:
        codes = found.setdefault(str(bloc_code), [])
        if member_code not in codes:
            codes.append(str(member_code))
    return found


def codes(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every bloc, by code."""
    return [(str(c), str(n or "")) for c, n in db.all("SELECT code, name FROM bloc ORDER BY code")]


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, name, note) of every bloc, by code."""
    return db.stream("SELECT code, name, note FROM bloc ORDER BY code")


def dump_members(db: Database) -> Iterator[tuple[Any, ...]]:
    """(bloc, member, start, end, note) of every bloc membership, in a stable order."""
    return db.stream(
        "SELECT bl.code, m.code, b.start_date, b.end_date, b.note FROM bloc_member b"
        " JOIN bloc bl ON bl.id = b.bloc_id JOIN member m ON m.id = b.member_id"
        " ORDER BY bl.code, m.code, b.start_date IS NOT NULL, b.start_date, b.end_date"
    )


def export_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    """(bloc, name, member, start, end, note) of every bloc membership."""
    return db.stream(
        "SELECT bl.code, bl.name, m.code, b.start_date, b.end_date, b.note FROM bloc bl"
        " JOIN bloc_member b ON b.bloc_id = bl.id JOIN member m ON m.id = b.member_id"
        " ORDER BY bl.code, m.code, b.start_date IS NOT NULL, b.start_date"
    )


# -- the commands' questions ------------------------------------------------------------------


def list_blocs(db: Database, *, on: date | None, limit: int | None = None) -> list[dict[str, Any]]:
    """Blocs by code with their member count (on a date, or all who ever belonged); the first
    `limit`, if given: two queries."""
    on_date = blocs_on(db, on)
    return [
        {
            "code": code,
            "name": name,
            "size": len(on_date.get(code, [])),
            "members": " ".join(on_date.get(code, [])),
        }
        for code, name in db.all(f"SELECT code, name FROM bloc ORDER BY code{limit_to(limit)}")
    ]


def show_bloc(db: Database, code: str) -> dict[str, Any]:
    bloc_id, bloc_code, name, note = get(db, code)
    rows = db.all(
        "SELECT m.code, m.name, b.start_date, b.end_date, b.note FROM bloc_member b"
        " JOIN member m ON m.id = b.member_id WHERE b.bloc_id = ?"
        " ORDER BY m.code, b.start_date IS NOT NULL, b.start_date",
        (bloc_id,),
    )
    return {
        "code": bloc_code,
        "name": name,
        "note": note,
        "members": [
            {"member": r[0], "name": r[1], "start": iso(r[2]), "end": iso(r[3]), "note": r[4]}
            for r in rows
        ],
    }


def add_bloc(
    db: Database,
    code: str,
    name: str | None,
    member_codes: list[str],
    start: date | None,
    end: date | None,
    note: str | None,
) -> AddedBloc:
    """Create a bloc, or add members to an existing one."""
    name, note = clean_text(name), clean_text(note)
    if start and end and end < start:
        raise InvalidInput(f"the end {end} comes before the start {start}")
    found = find(db, code)
    if found is None:
        if not name:
            raise InvalidInput(f"a new bloc needs a name: oastrack bloc add {code} --name NAME")
        bloc_id = insert(db, code, name, note)
    else:
        bloc_id, name = found[0], found[2]
        if not member_codes:
            raise Conflict(
                f"bloc {code} exists already ({found[2]})",
                hint=f"add members with: oastrack bloc add {code} --member CODE",
            )
    added = []
    for member_code in member_codes:
        member = members.get(db, member_code).id
        if member_exists(db, bloc_id, member, start, end):
            continue
        insert_member(db, bloc_id, member, start, end)
        added.append(member_code)
    return AddedBloc(code, name, found is None, tuple(member_codes), tuple(added), start, end)
