"""A database's errors as the user should see them: one line, saying what happened to which
database, with any password taken out. SQLAlchemy and Alembic errors are read through to the
driver's error they wrap; nothing here imports either."""

from __future__ import annotations

from oastrack.errors import DatabaseError, OastrackError
from oastrack.store.targets import scrub

AGAIN = "free some space, then run the command again"


def first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0].strip() if lines else "unknown error"


def _from_layer(error: BaseException) -> bool:
    return type(error).__module__.split(".")[0] in ("sqlalchemy", "alembic")


def translate_error(error: BaseException, where: str | None = None) -> OastrackError | None:
    """A driver's, SQLAlchemy's or Alembic's error as one line for the user (naming `where`,
    the database as it may be shown, when known); None when the error is not the database's."""
    import sqlite3

    if _from_layer(error):
        inner = getattr(error, "orig", None)  # SQLAlchemy's wrapper of a driver's error
        if isinstance(inner, BaseException):
            found = translate_error(inner, where)
            if found is not None:
                return found
        if type(error).__name__ == "CommandError":  # Alembic's: a revision it cannot find
            return DatabaseError(f"cannot migrate {where or 'the database'}: {_line(error)}")
        return OastrackError(f"database error: {_line(error)}")
    if isinstance(error, sqlite3.Error):
        return _sqlite(error, where)
    if type(error).__module__.startswith("psycopg"):
        return _postgresql(error, where)
    return None


def _line(error: BaseException) -> str:
    return scrub(first_line(str(error)))


def _sqlite(error: BaseException, where: str | None) -> OastrackError:
    name = str(getattr(error, "sqlite_errorname", ""))
    it = where or "the database"
    if name == "SQLITE_FULL":
        return DatabaseError(
            f"the disk holding {it} is full; nothing was written ({error})", hint=AGAIN
        )
    if name.startswith("SQLITE_IOERR"):
        return DatabaseError(f"cannot read or write {it}: {error}; nothing was written")
    if name.startswith("SQLITE_READONLY"):
        return DatabaseError(
            f"{it} cannot be written: {error}; nothing was written",
            hint="check the permissions of the file and of its directory",
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return DatabaseError(f"{it} is damaged or not a database: {error}")
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseError(f"cannot open {it}: {error}")
    return OastrackError(f"database error: {scrub(str(error).strip())}")


def _postgresql(error: BaseException, where: str | None) -> OastrackError:
    sqlstate = str(getattr(error, "sqlstate", "") or "")
    it = where or "the database"
    reason = _line(error)
    if sqlstate == "42501":  # insufficient_privilege
        return DatabaseError(
            f"not allowed on {it}: {reason}",
            hint="connect as a role that holds the privilege "
            "(oastrack init needs CREATE on the schema: run it as the database's owner)",
        )
    if sqlstate == "53100":  # disk_full
        return DatabaseError(
            f"the disk of the server holding {it} is full; nothing was written ({reason})",
            hint=AGAIN,
        )
    if sqlstate.startswith("08") or (not sqlstate and type(error).__name__ == "OperationalError"):
        return DatabaseError(f"lost the connection to {it}: {reason}")
    return OastrackError(f"database error: {reason}")
