"""What a rule weighs besides heads: members' weights and veto holders, checked once.

The tally, the forecast and the swing all take `weights` (member code -> non-negative integer:
population, voting power, shares; a member missing from it weighs 0) and `vetoes` (the codes of
the members holding a veto). A rule without a weight piece ignores the weights, and a rule
without `veto` ignores the vetoes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from oastrack.core.rules import Rule


def weights_of(
    rule: Rule, weights: Mapping[str, int] | None, codes: Iterable[str]
) -> dict[str, int]:
    """Each member's weight under `rule` (0 when missing, all 0 when the rule is not weighted).

    Raises ValueError for a weight that is not a non-negative whole number.
    """
    table: dict[str, int] = {}
    for code in codes:
        value = 0 if weights is None else weights.get(code, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                f"the weight of {code} must be a non-negative whole number, not {value!r}"
            )
        table[code] = value if rule.weighted else 0
    return table


def holders_of(rule: Rule, vetoes: Collection[str], codes: Iterable[str]) -> frozenset[str]:
    """The members among `codes` whose no is a veto under `rule` (none without a veto)."""
    if not rule.has_veto:
        return frozenset()
    return frozenset(code for code in codes if code in vetoes)
