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
    # A temporary table with the position columns and no constraint or index: bulk loads land
    # here first, then move into `position` in one ordered statement.
    types = [
        f"{column.name} {column.type.compile(dialect=postgresql.dialect()).lower()}"  # type: ignore[no-untyped-call]
        for column in position.columns
        if column.name != "id"
    ]
    lines += [
        "",
        "# The staging table of bulk position loads (valid on SQLite and PostgreSQL).",
        "POSITION_STAGING = (",
        '    "CREATE TEMPORARY TABLE position_load ("',
    ]
    for index, column in enumerate(types):
        end = ")" if index == len(types) - 1 else ", "
        lines.append(f'    "{column}{end}"')
    lines.append(")")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = generate()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
