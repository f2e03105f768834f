"""Output files (`export -o`, `chart --svg`): never the database, whole or not at all, and a
symbolic link only with --force."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from oastrack.io import outfile
from tests.conftest import Run
from tests.support import is_postgresql, row_counts

Cli = Callable[..., Run]

# Each command that writes a file the user names, with its option for the file.
WRITERS = [
    pytest.param(["export", "positions", "-o"], id="export"),
    pytest.param(["export", "snapshot", "-o"], id="export-snapshot"),
    pytest.param(["chart", "MOC29-COMPROMISE", "--svg"], id="chart"),
    pytest.param(["align", "--matrix", "--svg"], id="align-matrix"),
]


def _first_error(run: Run) -> tuple[int, str]:
    return run.exit_code, run.stderr.splitlines()[0]


def _files_of(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Path:
    path = tmp_path / "t.db"
    path.write_bytes(sqlite_template.read_bytes())
    return path


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_database_and_its_companions_are_never_written(
    cli: Cli, sqlite_db: Path, writer: list[str], suffix: str
) -> None:
    before = sqlite_db.read_bytes()
    # Name the companion as it exists after the database has been opened once.
    target = Path(f"{sqlite_db}{suffix}")
    run = cli("--db", str(sqlite_db), *writer, str(target))
    what = "the database" if not suffix else f"part of the database {sqlite_db}"
    assert _first_error(run) == (1, f"Error: cannot write {target}: it is {what}")
    assert "Traceback" not in run.stderr
    assert sqlite_db.read_bytes() == before
    assert not Path(f"{sqlite_db}-journal").exists()


@pytest.mark.parametrize("writer", WRITERS)
def test_the_database_under_another_name_is_the_database(
    cli: Cli, sqlite_db: Path, writer: list[str], tmp_path: Path
) -> None:
    before = sqlite_db.read_bytes()
    hard = tmp_path / "export.csv"
    os.link(sqlite_db, hard)
    spelled = tmp_path / "sub" / ".." / "t.db"
    (tmp_path / "sub").mkdir()
    for db, target in (
        (str(sqlite_db), hard),  # the same file by device and inode
        (f"sqlite:///{sqlite_db}", spelled),  # a URL, and another spelling of the path
    ):
        run = cli("--db", db, *writer, str(target))
        assert _first_error(run) == (1, f"Error: cannot write {target}: it is the database")
        assert sqlite_db.read_bytes() == before


def test_the_default_database_is_never_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert cli("tally", "MOC29-COMPROMISE").exit_code == 0  # creates the default database
    default = tmp_path / "data" / "oastrack" / "oastrack.db"
    before = default.read_bytes()
    run = cli("export", "members", "-o", str(default))
    assert _first_error(run) == (1, f"Error: cannot write {default}: it is the database")
    assert default.read_bytes() == before


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symbolic_link_is_followed_only_with_force(
    cli: Cli, seeded_db: str, writer: list[str], tmp_path: Path
) -> None:
    counts = row_counts(seeded_db)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    run = cli("--db", seeded_db, *writer, str(link))
    assert _first_error(run) == (
        1,
        f"Error: cannot write {link}: it is a symbolic link (to {target})",
    )
    assert run.stderr.splitlines()[1] == "Hint: give --force to write to the file it points to"
    assert target.read_text() == "keep me\n" and link.is_symlink()
    forced = cli("--db", seeded_db, *writer, str(link), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() != "keep me\n"
    assert _files_of(tmp_path) == sorted(["elsewhere.txt", "link.out", *_db_files(seeded_db)])
    assert row_counts(seeded_db) == counts


def _db_files(target: str) -> list[str]:
    if is_postgresql(target):
        return []
    return [p.name for p in Path(target).parent.iterdir() if p.name.startswith("oastrack.db")]


@pytest.mark.parametrize("writer", WRITERS)
def test_force_never_writes_the_database_through_a_link(
    cli: Cli, sqlite_db: Path, writer: list[str], tmp_path: Path
) -> None:
    before = sqlite_db.read_bytes()
    link = tmp_path / "innocent.csv"
    link.symlink_to(sqlite_db)
    run = cli("--db", str(sqlite_db), *writer, str(link), "--force")
    assert _first_error(run) == (1, f"Error: cannot write {link}: it is the database")
    assert sqlite_db.read_bytes() == before


class _FullDisk:
    """A temporary file on a disk that fills after a few bytes."""

    def __init__(self, real: IO[str]) -> None:
        self._real = real
        self.name = real.name

    def write(self, text: str) -> int:
        self._real.write(text[:10])
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_leaves_the_old_file_whole_and_no_temporary_file(
    cli: Cli, seeded_db: str, writer: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_temporary = outfile._temporary
    monkeypatch.setattr(outfile, "_temporary", lambda path: _FullDisk(real_temporary(path)))
    counts = row_counts(seeded_db)
    old = tmp_path / "old.out"
    old.write_text("the previous export\n")
    listing = _files_of(tmp_path)
    run = cli("--db", seeded_db, *writer, str(old))
    assert _first_error(run) == (1, f"Error: cannot write {old}: No space left on device")
    assert run.stderr.splitlines()[1] == f"Hint: {old} is as it was"
    assert "Traceback" not in run.stderr
    assert old.read_text() == "the previous export\n"
    assert _files_of(tmp_path) == listing
    new = tmp_path / "new.out"
    run = cli("--db", seeded_db, *writer, str(new))
    assert run.stderr.splitlines()[1] == f"Hint: {new} was not created"
    assert _files_of(tmp_path) == listing
    assert row_counts(seeded_db) == counts


def test_a_device_is_written_in_place(cli: Cli, seeded_db: str) -> None:
    run = cli("--db", seeded_db, "export", "members", "-o", os.devnull)
    assert run.exit_code == 0, run.stderr
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def test_a_replaced_file_keeps_its_mode(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    old = tmp_path / "m.csv"
    old.write_text("old\n")
    old.chmod(0o640)
    assert cli("--db", seeded_db, "export", "members", "-o", str(old)).exit_code == 0
    assert old.stat().st_mode & 0o777 == 0o640
    assert old.read_text().startswith("code,name,")
