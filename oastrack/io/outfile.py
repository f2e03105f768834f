"""Writing an output file safely: never onto the database, whole or not at all.

Every command that writes a file the user names (`export -o`, `chart --svg`) goes through
here. The checks come before the database is opened, and again just before the new file is
moved into place:

- the target is never the database file or its `-wal`, `-shm` or `-journal` companion (the
  same name, or the same file by device and inode: a hard link, another spelling of the path);
- a symbolic link is refused unless the user says `--force`, and then its target is written;
- a regular file is written into a temporary file beside it and renamed into place, so a full
  disk or a killed process leaves the old file whole and no temporary file behind;
- a device or a pipe (`/dev/null`, a FIFO) is written to directly: there is nothing to replace.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from oastrack.errors import InvalidInput

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def database_files(database: Path | None) -> tuple[Path, ...]:
    """The files that make up a SQLite database: the file and its companions."""
    if database is None:
        return ()
    return tuple(Path(f"{database}{suffix}") for suffix in DATABASE_COMPANIONS)


@dataclass(frozen=True)
class OutFile:
    """Where an output goes: as the user named it, where the bytes land, and how."""

    shown: str  # the path as given, for messages
    real: Path  # the file written: the path, or the target of a link given with --force
    direct: bool  # a device or a pipe: written in place, not replaced
    protected: tuple[Path, ...]  # the database's files, never written


def _same_file(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _refuse_database(out: OutFile) -> None:
    real = os.path.realpath(out.real)
    try:
        found: os.stat_result | None = os.stat(out.real)
    except OSError:
        found = None
    for index, guarded in enumerate(out.protected):
        same = os.path.realpath(guarded) == real
        if not same and found is not None:
            try:
                same = _same_file(found, os.stat(guarded))
            except OSError:
                continue
        if same:
            what = "the database" if index == 0 else f"part of the database {out.protected[0]}"
            raise InvalidInput(
                f"cannot write {out.shown}: it is {what}", hint="name another file for the output"
            )


def plan(path: str | os.PathLike[str], *, protected: Sequence[Path], force: bool) -> OutFile:
    """Check an output path before anything is read or written; raise what is wrong with it."""
    shown = os.fspath(path)
    given = Path(shown)
    if given.is_symlink():
        if not force:
            raise InvalidInput(
                f"cannot write {shown}: it is a symbolic link (to {os.readlink(given)})",
                hint="give --force to write to the file it points to",
            )
        given = Path(os.path.realpath(given))
    out = OutFile(shown, given, direct=False, protected=tuple(protected))
    _refuse_database(out)
    if given.is_dir():
        raise InvalidInput(f"cannot write {shown}: it is a directory")
    if given.exists() and not given.is_file():
        return OutFile(shown, given, direct=True, protected=out.protected)
    if not given.parent.is_dir():
        raise InvalidInput(f"cannot write {shown}: no directory {given.parent}")
    return out


def _temporary(real: Path) -> IO[str]:
    """A new file beside `real`, readable only by its owner until it takes `real`'s place."""
    return tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=real.parent, prefix=f".{real.name}.", delete=False
    )


def _failed(out: OutFile, error: OSError) -> InvalidInput:
    kept = "is as it was" if out.real.exists() else "was not created"
    return InvalidInput(
        f"cannot write {out.shown}: {error.strerror or error}", hint=f"{out.shown} {kept}"
    )


@contextmanager
def open_text(out: OutFile) -> Iterator[IO[str]]:
    """The output as a text stream; the file appears, whole, only when the block ends well."""
    if out.direct:
        try:
            with out.real.open("w", encoding="utf-8", newline="") as direct:
                yield direct
        except OSError as error:
            raise _failed(out, error) from None
        return
    try:
        handle = _temporary(out.real)
    except OSError as error:
        raise _failed(out, error) from None
    try:
        try:
            with handle:
                yield handle
        except OSError as error:
            raise _failed(out, error) from None
        _refuse_database(out)  # again: the path may have changed while the output was made
        umask = os.umask(0)
        os.umask(umask)
        # Keep the mode of the file replaced, else what the umask gives a new file.
        try:
            mode = stat.S_IMODE(out.real.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~umask
        os.chmod(handle.name, mode)
        os.replace(handle.name, out.real)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise
