"""Column lists of the schema, generated from oastrack/store/models.py: do not edit.

Regenerate with `python -m oastrack.store.gen_columns`.
"""

from __future__ import annotations

# Each table's columns in schema order, without its id.
COLUMNS: dict[str, tuple[str, ...]] = {
    "bloc": (
        "code",
        "name",
        "note",
    ),
    "member": (
        "code",
        "name",
        "note",
    ),
    "organization": (
        "code",
        "name",
        "rule",
        "note",
    ),
    "bloc_member": (
        "bloc_id",
        "member_id",
        "start_date",
        "end_date",
        "note",
    ),
    "meeting": (
        "code",
        "organization_id",
        "body",
        "title",
        "start_date",
        "end_date",
        "venue",
        "rule",
        "note",
    ),
    "membership": (
        "organization_id",
        "member_id",
        "status",
        "start_date",
        "end_date",
        "note",
        "veto",
        "weight",
    ),
    "resolution": (
        "code",
        "meeting_id",
        "title",
        "rule",
        "required",
        "denominator",
        "status",
        "alternative_to_id",
        "note",
        "source",
    ),
    "position": (
        "resolution_id",
        "member_id",
        "position",
        "kind",
        "recorded_at",
        "analyst",
        "confidence",
        "source",
        "note",
        "fingerprint",
        "logged_at",
    ),
    "resolution_change": (
        "resolution_id",
        "field",
        "old_value",
        "new_value",
        "changed_at",
        "analyst",
    ),
    "resolution_text": (
        "resolution_id",
        "version",
        "text",
        "recorded_at",
        "analyst",
        "note",
    ),
    "sponsor": (
        "resolution_id",
        "ordinal",
        "member_id",
        "bloc_id",
    ),
    "retraction": (
        "position_id",
        "retracted_at",
        "analyst",
        "note",
    ),
}

# The fields of a position that staged rows share through an identity, in schema order.
IDENTITY_FIELDS: tuple[str, ...] = (
    "position",
    "kind",
    "recorded_at",
    "analyst",
    "confidence",
    "source",
    "note",
    "fingerprint",
)

# The staging tables of bulk position loads (valid on SQLite and PostgreSQL).
POSITION_STAGING = (
    "CREATE TEMPORARY TABLE position_load ("
    "resolution_id integer, "
    "member_id integer, "
    "identity_id integer)"
)
POSITION_IDENTITY = (
    "CREATE TEMPORARY TABLE position_identity (id integer PRIMARY KEY, "
    "position varchar, "
    "kind varchar, "
    "recorded_at timestamp without time zone, "
    "analyst varchar, "
    "confidence float, "
    "source text, "
    "note text, "
    "fingerprint bigint)"
)

# The indexes of `position`, unique first, as they are created.
POSITION_INDEXES: dict[str, str] = {
    "uq_position_resolution_id_member_id_fingerprint": (
        "CREATE UNIQUE INDEX uq_position_resolution_id_member_id_fingerprint"
        " ON position (resolution_id, member_id, fingerprint)"
    ),
}
