from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A seeded SQLite database: the recorded screens need one back end only."""
    path = tmp_path / "oastrack.db"
    shutil.copyfile(sqlite_template, path)
    return str(path)
