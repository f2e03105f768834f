"""Decision rules: how many yes votes a resolution needs. Integer arithmetic only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RuleName(StrEnum):
    SIMPLE = "simple"
    TWO_THIRDS_VOTING = "two-thirds-voting"
    ABSOLUTE = "absolute"
    TWO_THIRDS = "two-thirds"
    CONSENSUS = "consensus"
    FIXED = "fixed"


RULE_HELP = {
    RuleName.SIMPLE: "yes > no; abstentions and absences do not count",
    RuleName.TWO_THIRDS_VOTING: "yes >= 2/3 of (yes + no)",
    RuleName.ABSOLUTE: "yes >= floor(E/2) + 1 of the eligible members E",
    RuleName.TWO_THIRDS: "yes >= ceil(2E/3) of the eligible members E",
    RuleName.CONSENSUS: "no one votes no (and someone votes yes)",
    RuleName.FIXED: "yes >= N, set with --required N",
}


def parse_rule(raw: str) -> RuleName:
    """Read a rule name; raises ValueError naming the rules that exist."""
    text = raw.strip().lower()
    try:
        return RuleName(text)
    except ValueError:
        names = ", ".join(r.value for r in RuleName)
        raise ValueError(f"{raw!r} is not a decision rule; use one of: {names}") from None


@dataclass(frozen=True)
class Rule:
    """A decision rule with its optional fixed requirement and explicit denominator."""

    name: RuleName
    required: int | None = None
    denominator: int | None = None

    def __post_init__(self) -> None:
        if self.name is RuleName.FIXED and self.required is None:
            raise ValueError("the fixed rule needs a number of votes (--required N)")
        if self.required is not None and self.required < 1:
            raise ValueError(f"required must be at least 1, not {self.required}")
        if self.denominator is not None and self.denominator < 1:
            raise ValueError(f"denominator must be at least 1, not {self.denominator}")

    @property
    def counts_cast_votes(self) -> bool:
        """True when the threshold depends on the yes and no votes cast, not on membership."""
        return self.name in (RuleName.SIMPLE, RuleName.TWO_THIRDS_VOTING, RuleName.CONSENSUS)

    def base(self, eligible: int) -> int:
        """The denominator the rule counts against: explicit, else the eligible members."""
        return self.denominator if self.denominator is not None else eligible

    def required_yes(self, eligible: int, no: int = 0) -> int:
        """The number of yes votes the text needs, given the eligible members and the no votes.

        For `simple` and `two-thirds-voting` the answer depends on the no votes cast; a text
        always needs at least one yes.
        """
        if self.required is not None:
            return self.required
        if self.name is RuleName.ABSOLUTE:
            return self.base(eligible) // 2 + 1
        if self.name is RuleName.TWO_THIRDS:
            return -(-2 * self.base(eligible) // 3)
        if self.name is RuleName.SIMPLE:
            return no + 1
        if self.name is RuleName.TWO_THIRDS_VOTING:
            # 3 * yes >= 2 * (yes + no)  <=>  yes >= 2 * no
            return max(1, 2 * no)
        return 1  # consensus: one yes and no objection

    def passes(self, yes: int, no: int, eligible: int) -> bool:
        """Whether `yes` and `no` votes carry the text among `eligible` members."""
        if self.name is RuleName.CONSENSUS and self.required is None:
            return yes >= 1 and no == 0
        return yes >= self.required_yes(eligible, no)

    def describe(self, eligible: int) -> str:
        """One line for people: the rule and what it means here."""
        if self.required is not None:
            return f"{self.name.value}: {self.required} yes votes"
        if self.name in (RuleName.ABSOLUTE, RuleName.TWO_THIRDS):
            return f"{self.name.value}: {self.required_yes(eligible)} of {self.base(eligible)}"
        return f"{self.name.value}: {RULE_HELP[self.name]}"
