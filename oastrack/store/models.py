"""The schema, as SQLModel tables: the one source Alembic compares its migrations against.

Imported by the migrations and the tests; commands talk to the database through
`oastrack.store.db`, which does not import SQLAlchemy (it costs 0.45 s at start-up).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from oastrack.core.positions import Kind, Position
from oastrack.core.vocabulary import RESOLUTION_STATUSES, STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Constraint names are computed when a constraint is attached, so this comes first.
SQLModel.metadata.naming_convention = NAMING_CONVENTION

POSITIONS = tuple(position.value for position in Position)
KINDS = tuple(kind.value for kind in Kind)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    # A rule's name or its general form (oastrack.core.pieces), checked where it comes in.
    rule: str = Field(default="absolute")
    note: str | None = Field(default=None, sa_type=Text)


class Member(SQLModel, table=True):
    __tablename__ = "member"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    note: str | None = Field(default=None, sa_type=Text)


class Membership(SQLModel, table=True):
    """A member's status in an organization from `start_date` (none: always) to `end_date`
    (none: still), both days included."""

    __tablename__ = "membership"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    status: str = Field(default="active")
    start_date: date | None = None
    end_date: date | None = None
    note: str | None = Field(default=None, sa_type=Text)
    # A permanent member's veto, and a weight (population, voting power), for these dates.
    veto: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    weight: int | None = Field(default=None, sa_type=BigInteger)

    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"
        ),
        CheckConstraint("weight IS NULL OR weight >= 0", name="weight"),
    )


class Bloc(SQLModel, table=True):
    __tablename__ = "bloc"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    note: str | None = Field(default=None, sa_type=Text)


class BlocMember(SQLModel, table=True):
    __tablename__ = "bloc_member"

    id: int | None = Field(default=None, primary_key=True)
    bloc_id: int = Field(foreign_key="bloc.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    start_date: date | None = None
    end_date: date | None = None
    note: str | None = Field(default=None, sa_type=Text)

    __table_args__ = (
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"
        ),
    )


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    body: str | None = None
    title: str | None = None
    start_date: date
    end_date: date | None = None
    venue: str | None = None
    rule: str | None = None
    note: str | None = Field(default=None, sa_type=Text)

    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),)


class Resolution(SQLModel, table=True):
    __tablename__ = "resolution"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    title: str
    rule: str
    required: int | None = None
    denominator: int | None = None
    status: str = Field(default="draft")
    alternative_to_id: int | None = Field(default=None, foreign_key="resolution.id")
    note: str | None = Field(default=None, sa_type=Text)
    source: str | None = Field(default=None, sa_type=Text)

    __table_args__ = (
        CheckConstraint(_one_of("status", RESOLUTION_STATUSES), name="status"),
        CheckConstraint("required IS NULL OR required >= 1", name="required"),
        CheckConstraint("denominator IS NULL OR denominator >= 1", name="denominator"),
    )


class Sponsor(SQLModel, table=True):
    """A sponsor of a resolution: a member or a bloc, in the order given."""

    __tablename__ = "sponsor"

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    ordinal: int
    member_id: int | None = Field(default=None, foreign_key="member.id")
    bloc_id: int | None = Field(default=None, foreign_key="bloc.id")

    __table_args__ = (
        CheckConstraint("(member_id IS NULL) <> (bloc_id IS NULL)", name="member_or_bloc"),
        UniqueConstraint("resolution_id", "ordinal"),
    )


class PositionRecord(SQLModel, table=True):
    """One logged position. Append-only: rows are never updated; the latest one is current.

    `fingerprint` hashes what makes two records the same (everything but the analyst and the
    id), so that importing a file twice adds nothing the second time.
    """

    __tablename__ = "position"

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id")
    member_id: int = Field(foreign_key="member.id")
    position: str
    kind: str = Field(default="projection")
    recorded_at: datetime = Field(sa_type=DateTime())  # UTC, without a zone
    analyst: str
    confidence: float | None = None
    source: str | None = Field(default=None, sa_type=Text)
    note: str | None = Field(default=None, sa_type=Text)
    fingerprint: int = Field(sa_column=Column(BigInteger, nullable=False))
    # When this database received the record (UTC); `recorded_at` is when the stance was taken.
    logged_at: datetime = Field(sa_type=DateTime())

    __table_args__ = (
        CheckConstraint(_one_of("position", POSITIONS), name="position"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence"
        ),
        # Serves the tally (all records of one resolution, by member) and the dedup on import.
        # An index, not a table constraint, so that a bulk load into an empty table can drop
        # it and build it once afterwards (SQLite cannot drop a constraint's index).
        Index(
            "uq_position_resolution_id_member_id_fingerprint",
            "resolution_id",
            "member_id",
            "fingerprint",
            unique=True,
        ),
        # No (member, resolution) index: a member's records are found through this one (SQLite
        # skip-scans it over resolutions), as fast on the UN data, and writes pay for one index.
    )


class ResolutionText(SQLModel, table=True):
    """One version of a resolution's text, numbered from 1."""

    __tablename__ = "resolution_text"

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id")
    version: int
    text: str = Field(sa_type=Text)
    recorded_at: datetime = Field(sa_type=DateTime())  # UTC, without a zone
    analyst: str
    note: str | None = Field(default=None, sa_type=Text)

    __table_args__ = (UniqueConstraint("resolution_id", "version"),)


class Retraction(SQLModel, table=True):
    """The retraction of one logged position: the record stays, and no count uses it again.

    Append-only like the records themselves; a record is retracted at most once.
    """

    __tablename__ = "retraction"

    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", unique=True)
    retracted_at: datetime = Field(sa_type=DateTime())  # UTC, without a zone
    analyst: str
    note: str | None = Field(default=None, sa_type=Text)


class ResolutionChange(SQLModel, table=True):
    """One correction of a resolution's register entry (`resolution set`): which field, what it
    was, what it became, who changed it and when. Values are stored as the text shown."""

    __tablename__ = "resolution_change"

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    field: str
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    changed_at: datetime = Field(sa_type=DateTime())  # UTC, without a zone
    analyst: str
