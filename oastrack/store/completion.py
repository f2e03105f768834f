"""Codes for shell completion: resolutions, members and blocs, with their titles or names."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from oastrack.store import blocs, members, resolutions
from oastrack.store.db import Database

_BY_KIND: dict[str, Callable[[Database], list[tuple[str, str]]]] = {
    "resolution": resolutions.codes,
    "member": members.codes,
    "bloc": blocs.codes,
}


def codes(db: Database, kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) of every resolution, member or bloc of the kinds asked, for completion."""
    found: list[tuple[str, str]] = []
    for kind in kinds:
        found.extend(_BY_KIND[kind](db))
    return found
