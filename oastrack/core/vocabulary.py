"""The fixed words of the domain that are not positions or rules."""

from __future__ import annotations

# A member's status in an organization; only `active` members may vote.
STATUSES: tuple[str, ...] = ("active", "non-participating", "suspended", "withdrawn")

# Where a draft resolution stands.
RESOLUTION_STATUSES: tuple[str, ...] = ("draft", "adopted", "rejected", "withdrawn")
