"""Write `oastrack/store/columns.py` from the schema (SQLModel.metadata).

The commands do not import SQLAlchemy (it costs more than a whole tally), so the column lists
and the staging table that the bulk paths need are generated from the one schema instead of
written out by hand: a new column is one edit in models.py, one migration, and
`python -m oastrack.store.gen_columns`. tests/store/test_schema.py checks the file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).with_name("columns.py")
# The columns of a staged position row that name other tables.
REFERENCES = ("resolution_id", "member_id")


def generate() -> str:
    """The text of columns.py."""
    from sqlalchemy.dialects import postgresql
    from sqlmodel import SQLModel

    import oastrack.store.models  # noqa: F401  (the tables register themselves)

    lines = [
        '"""Column lists of the schema, generated from oastrack/store/models.py: do not edit.',
        "",
        "Regenerate with `python -m oastrack.store.gen_columns`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "# Each table's columns in schema order, without its id.",
        "COLUMNS: dict[str, tuple[str, ...]] = {",
    ]
    for table in SQLModel.metadata.sorted_tables:
        names = [column.name for column in table.columns if column.name != "id"]
        lines.append(f'    "{table.name}": (')
        lines.extend(f'        "{name}",' for name in names)
        lines.append("    ),")
    lines.append("}")
    position = SQLModel.metadata.tables["position"]
    types = {
        column.name: column.type.compile(dialect=postgresql.dialect()).lower()  # type: ignore[no-untyped-call]
        for column in position.columns
    }
    # Bulk loads stage narrow rows: the resolution, the member, and the number of an identity
    # (every other field but logged_at, which is the load's own), each identity once. The rows
    # then move into `position` in one statement that joins them to their identities.
    identity = [name for name in types if name not in ("id", *REFERENCES, "logged_at")]
    lines += [
        "",
        "# The fields of a position that staged rows share through an identity, in schema order.",
        "IDENTITY_FIELDS: tuple[str, ...] = (",
        *(f'    "{name}",' for name in identity),
        ")",
        "",
        "# The staging tables of bulk position loads (valid on SQLite and PostgreSQL).",
        "POSITION_STAGING = (",
        '    "CREATE TEMPORARY TABLE position_load ("',
        *(f'    "{name} {types[name]}, "' for name in REFERENCES),
        '    "identity_id integer)"',
        ")",
        "POSITION_IDENTITY = (",
        '    "CREATE TEMPORARY TABLE position_identity (id integer PRIMARY KEY, "',
    ]
    for index, name in enumerate(identity):
        end = ")" if index == len(identity) - 1 else ", "
        lines.append(f'    "{name} {types[name]}{end}"')
    lines.append(")")
    # A bulk load into an empty table builds these after the rows (SQLite: positions.py),
    # the unique one first: a file holding a record twice fails there, before the other.
    lines += [
        "",
        "# The indexes of `position`, unique first, as they are created.",
        "POSITION_INDEXES: dict[str, str] = {",
    ]
    for found in sorted(position.indexes, key=lambda i: (not i.unique, str(i.name))):
        unique = "UNIQUE " if found.unique else ""
        keys = ", ".join(found.columns.keys())
        lines += [
            f'    "{found.name}": (',
            f'        "CREATE {unique}INDEX {found.name}"',
            f'        " ON position ({keys})"',
            "    ),",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = generate()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
