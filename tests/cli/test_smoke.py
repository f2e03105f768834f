from __future__ import annotations

import json
from collections.abc import Callable

from tests.conftest import Run


def test_seeded_compromise_tally(cli: Callable[..., Run], seeded_db: str) -> None:
    result = cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--format", "json")
    assert result.exit_code == 0, result.stderr
    tally = json.loads(result.stdout)
    assert tally["counts"]["yes"] == 20
    assert tally["required"] == 23
    assert tally["verdict"] == "fails"
    assert tally["short_by"] == 3
