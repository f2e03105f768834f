from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A seeded SQLite database, for what does not depend on the back end."""
    path = tmp_path / "oastrack.db"
    shutil.copyfile(sqlite_template, path)
    return str(path)
