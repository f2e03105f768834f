"""Bounded input: a CSV header of at most 1,000 columns, JSON objects of at most 1,000 keys.
Each refusal is one clear `FILE:LINE: reason` line and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support import row_counts

Cli = Callable[..., Run]

HINT = "Hint: fix the rows above; --dry-run checks a file without writing"
REQUIRED = ["resolution", "member", "position"]


def _wide_csv(path: Path, columns: int) -> Path:
    extra = [f"extra{i}" for i in range(columns - len(REQUIRED))]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(REQUIRED + extra) + "\n")
        handle.write(",".join(["MOC29-ORIGINAL", "ARG", "yes"] + [""] * len(extra)) + "\n")
    return path


def _wide_object(keys: int, member: str = "ARG") -> dict[str, str]:
    found = {"resolution": "MOC29-ORIGINAL", "member": member, "position": "yes"}
    found.update({f"extra{i}": "" for i in range(keys - len(REQUIRED))})
    return found


@pytest.mark.parametrize("columns", [1001, 200_000])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_header_wider_than_1000_columns_is_refused(
    cli: Cli, seeded_db: str, tmp_path: Path, columns: int, dry_run: bool
) -> None:
    counts = row_counts(seeded_db)
    f = _wide_csv(tmp_path / "wide.csv", columns)
    run = cli("--db", seeded_db, "import", "positions", str(f), *(["--dry-run"] * dry_run))
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        f"{f}:1: the header row has {columns:,} columns; at most 1,000 are read",
        "Error: 1 problem; nothing was imported",
        HINT,
    ]
    assert row_counts(seeded_db) == counts


def test_a_header_of_1000_columns_is_read(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    f = _wide_csv(tmp_path / "wide.csv", 1000)
    run = cli("--db", seeded_db, "import", "positions", str(f))
    assert run.exit_code == 0, run.stderr
    assert row_counts(seeded_db)["position"] >= 1


@pytest.mark.parametrize("kind", ["jsonl", "json"])
def test_an_object_of_more_than_1000_keys_is_refused(
    cli: Cli, seeded_db: str, tmp_path: Path, kind: str
) -> None:
    counts = row_counts(seeded_db)
    objects = [_wide_object(1000, "BRA"), _wide_object(1001), _wide_object(3, "CHL")]
    f = tmp_path / f"wide.{kind}"
    if kind == "jsonl":
        f.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    else:
        f.write_text("[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]\n", "utf-8")
    line = 2 if kind == "jsonl" else 3
    run = cli("--db", seeded_db, "import", "positions", str(f))
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        f"{f}:{line}: the object has 1,001 keys; at most 1,000 are read",
        "Error: 1 problem; nothing was imported",
        HINT,
    ]
    assert row_counts(seeded_db) == counts
