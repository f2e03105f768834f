"""What an import is asked to do, what it reports, and the row importer every kind builds on.

A bad row is collected as `FILE:LINE: reason` (the first 20, then a count); a problem with the
whole import (`Stop`) is reported with its line and stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from oastrack.core.positions import Kind, Position
from oastrack.core.values import code_from_name, undefuse_cell
from oastrack.errors import ImportFailed, OastrackError
from oastrack.io.readers import Record
from oastrack.io.snapshot import SECTIONS
from oastrack.store.db import Database

KINDS = ("members", "blocs", "meetings", "resolutions", "positions", "snapshot")

# Canonical columns of each kind; the required ones first.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "members": (("code", "name", "org"), ("status", "start", "end", "veto", "weight", "note")),
    "blocs": (("bloc", "member"), ("name", "start", "end", "note")),
    "meetings": (("code", "org", "start"), ("body", "title", "end", "venue", "rule", "note")),
    "resolutions": (
        ("code", "meeting", "title"),
        tuple(k for k in SECTIONS["resolutions"] if k not in ("code", "meeting", "title")),
    ),
    "positions": (
        ("resolution", "member", "position"),
        ("kind", "recorded_at", "analyst", "confidence", "source", "note", "name", "title"),
    ),
}

MAX_SHOWN = 20
# The fields that hold a code.
CODE_FIELDS = frozenset(("code", "org", "member", "bloc", "meeting", "resolution"))


@dataclass
class ImportSpec:
    """What to import and how to read it."""

    kind: str
    path: str
    fmt: str | None = None
    mapping: dict[str, list[str]] = field(default_factory=dict)  # field -> columns, first wins
    values: dict[str, Position] = field(default_factory=dict)  # raw text (lower) -> position
    constants: dict[str, str] = field(default_factory=dict)  # field -> value where a row has none
    create_missing: bool = False
    dry_run: bool = False
    analyst: str = "unknown"
    default_kind: Kind = Kind.PROJECTION
    allow_past_changes: bool = False  # --create-missing may change recorded tallies
    meeting: str | None = None  # where --create-missing puts new resolutions
    rule: str | None = None  # the rule of resolutions it creates (name or general form)


@dataclass
class ImportResult:
    kind: str
    name: str
    rows: int = 0
    added: int = 0
    present: int = 0
    created: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    seconds: float = 0.0
    ignored: list[str] = field(default_factory=list)  # columns that are no field of the kind
    # What `added` and `present` count, by snapshot section (members, memberships, ...).
    added_by: dict[str, int] = field(default_factory=dict)
    present_by: dict[str, int] = field(default_factory=dict)
    created_members: list[str] = field(default_factory=list)  # codes, in file order


Progress = Callable[[int, int], None]  # (bytes read, rows read)


class Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.shown: list[str] = []
        self.total = 0

    def add(self, line: int, reason: str) -> None:
        self.total += 1
        if len(self.shown) < MAX_SHOWN:
            self.shown.append(f"{self.name}:{line}: {reason}")

    def raise_if_any(self) -> None:
        if self.total:
            shown = list(self.shown)
            if self.total > len(shown):
                shown.append(f"… and {self.total - len(shown):,} more problems")
            raise ImportFailed(
                shown,
                self.total,
                hint="fix the rows above; --dry-run checks a file without writing",
            )


class Stop(OastrackError):
    """A problem with the whole import, found on a row: reported with its line, then stop."""


class RowImporter:
    """Turns records of one kind into writes; collects per-row problems."""

    def __init__(
        self,
        db: Database,
        spec: ImportSpec,
        result: ImportResult,
        problems: Problems,
        csv_input: bool,
    ) -> None:
        self.db = db
        self.spec = spec
        self.result = result
        self.problems = problems
        self.csv_input = csv_input
        required, optional = COLUMNS[spec.kind]
        self.required = required
        self.columns = {f: spec.mapping.get(f, [f]) for f in (*required, *optional)}
        # Columns that hold names: a code `--map` takes from one is turned into a code
        # (`--map member=country_code,country --map name=country`: "Yemen Arab Republic").
        self.name_columns = {
            column for f in ("name", "title") if f in spec.mapping for column in self.columns[f]
        }

    def note_columns(self, columns: list[str]) -> None:
        """Remember the columns of the file that feed no field (reported, not silently lost)."""
        used = {column for mapped in self.columns.values() for column in mapped}
        self.result.ignored = [column for column in columns if column not in used]

    def check_header(self, header: list[str]) -> None:
        """A CSV file must have every required column (or one mapped to it) in its header."""
        self.note_columns(header)
        present = set(header)
        for name in self.required:
            if name in self.spec.constants:
                continue
            if not any(column in present for column in self.columns[name]):
                shown = ", ".join(header) or "none"
                self.problems.add(
                    1,
                    f"missing required column {name!r} (columns: {shown}); "
                    f"map one with --map {name}=COLUMN",
                )
                self.problems.raise_if_any()

    def get(self, record: Record, name: str) -> str | None:
        if self.name_columns and name in CODE_FIELDS:
            return self.code(record, name)
        values = record.values
        for column in self.columns[name]:
            value = values.get(column)
            if value:
                return undefuse_cell(value) if self.csv_input else value
        return self.spec.constants.get(name)

    def code(self, record: Record, name: str) -> str | None:
        """A code field: as written, or turned into a code when it comes from a name column."""
        values = record.values
        for column in self.columns[name]:
            value = values.get(column)
            if value:
                if column in self.name_columns and name not in ("name", "title"):
                    return code_from_name(value)
                return undefuse_cell(value) if self.csv_input else value
        return self.spec.constants.get(name)

    def need(self, record: Record, name: str) -> str:
        value = self.get(record, name)
        if value is None:
            raise ValueError(f"missing {name}")
        return value

    def load(self, record: Record) -> None:
        """One row: a ValueError or OastrackError is that row's problem (the import goes on to
        the next), a Stop ends the import there (importer._rows)."""
        raise NotImplementedError

    def finish(self) -> None:
        pass
