"""Decision rules: how many yes votes (and how much weight, and whose no) a resolution needs.

Every rule, named or typed by a user, is a set of pieces (oastrack.core.pieces): the named
rules are instances of the general form, not branches of code. Integer arithmetic only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from oastrack.core.pieces import FORM, Base, Quota, Terms, parse_terms


class RuleName(StrEnum):
    SIMPLE = "simple"
    TWO_THIRDS_VOTING = "two-thirds-voting"
    ABSOLUTE = "absolute"
    TWO_THIRDS = "two-thirds"
    CONSENSUS = "consensus"
    FIXED = "fixed"
    SECURITY_COUNCIL = "security-council"
    SECURITY_COUNCIL_PROCEDURAL = "security-council-procedural"
    QUALIFIED_MAJORITY = "qualified-majority"
    REINFORCED_QUALIFIED_MAJORITY = "reinforced-qualified-majority"


class Custom(StrEnum):
    """The name of a rule given in the general form (its text is `Rule.spec`)."""

    CUSTOM = "custom"


# The rules that count heads, which `parse_rule` reads: the names a resolution's rule column
# accepts today. `parse_rule_spec` reads every rule, the bodies' rules and the general form.
HEAD_COUNT_RULES: tuple[RuleName, ...] = (
    RuleName.SIMPLE,
    RuleName.TWO_THIRDS_VOTING,
    RuleName.ABSOLUTE,
    RuleName.TWO_THIRDS,
    RuleName.CONSENSUS,
    RuleName.FIXED,
)

RULE_HELP = {
    RuleName.SIMPLE: "yes > no; abstentions and absences do not count",
    RuleName.TWO_THIRDS_VOTING: "yes >= 2/3 of (yes + no)",
    RuleName.ABSOLUTE: "yes >= floor(E/2) + 1 of the eligible members E",
    RuleName.TWO_THIRDS: "yes >= ceil(2E/3) of the eligible members E",
    RuleName.CONSENSUS: "no one votes no (and someone votes yes)",
    RuleName.FIXED: "yes >= N, set with --required N",
}

BODY_RULE_HELP = {
    RuleName.SECURITY_COUNCIL: "yes >= 9 (or --required N) and no veto holder votes no",
    RuleName.SECURITY_COUNCIL_PROCEDURAL: "yes >= 9 (or --required N); no veto applies",
    RuleName.QUALIFIED_MAJORITY: (
        "yes >= 55% of the members and their weight >= 65%; deemed attained when fewer "
        "than 4 members do not vote yes"
    ),
    RuleName.REINFORCED_QUALIFIED_MAJORITY: "yes >= 72% of the members and their weight >= 65%",
}


def _share(numerator: int, denominator: int, *, strict: bool = False) -> Quota:
    return Quota(Base.MEMBERS, Fraction(numerator, denominator), strict=strict)


def _percent(base: Base, percent: int) -> Quota:
    return Quota(base, Fraction(percent, 100), percent=True)


_NINE = Terms((Quota(Base.YES, Fraction(9)),))

# Each named rule as its pieces; `fixed` has none of its own: --required N supplies yes >= N.
NAMED_TERMS: dict[RuleName, Terms] = {
    RuleName.SIMPLE: Terms((Quota(Base.VOTING, Fraction(1, 2), strict=True),)),
    RuleName.TWO_THIRDS_VOTING: Terms((Quota(Base.VOTING, Fraction(2, 3)),)),
    RuleName.ABSOLUTE: Terms((_share(1, 2, strict=True),)),
    RuleName.TWO_THIRDS: Terms((_share(2, 3),)),
    RuleName.CONSENSUS: Terms((Quota(Base.VOTING, Fraction(1)),)),
    RuleName.FIXED: Terms(()),
    RuleName.SECURITY_COUNCIL: Terms(_NINE.quotas, veto=True),
    RuleName.SECURITY_COUNCIL_PROCEDURAL: _NINE,
    RuleName.QUALIFIED_MAJORITY: Terms(
        (_percent(Base.MEMBERS, 55), _percent(Base.WEIGHT, 65)), blocking=4
    ),
    RuleName.REINFORCED_QUALIFIED_MAJORITY: Terms(
        (_percent(Base.MEMBERS, 72), _percent(Base.WEIGHT, 65))
    ),
}


def parse_rule(raw: str) -> RuleName:
    """Read the name of a head-counting rule (HEAD_COUNT_RULES); raises ValueError naming them.

    For every rule, the bodies' rules and the general form included, use `parse_rule_spec`.
    """
    text = raw.strip().lower()
    if text in HEAD_COUNT_RULES:
        return RuleName(text)
    names = ", ".join(r.value for r in HEAD_COUNT_RULES)
    raise ValueError(f"{raw!r} is not a decision rule; use one of: {names}")


def parse_rule_spec(
    text: str, *, required: int | None = None, denominator: int | None = None
) -> Rule:
    """Read a rule as a user types it or a database stores it (`Rule.spec`): a rule's name,
    such as `security-council`, or the general form of oastrack.core.pieces, such as the IMF's
    three fifths of the members holding 85% of the voting power::

        members>=3/5 weight>=85%

    Pieces: members>=F (of the eligible members), voting>=F (of yes + no), yes>=N, yes>no,
    no-objection, weight>=F (of the eligible members' total weight), veto, blocking>=K; F is a
    fraction such as 3/5 or a percentage such as 85%, and > asks for strictly more.

    `required` and `denominator` are the resolution's --required and --denominator. Raises
    ValueError with a message fit to show after 'Error: '.
    """
    cleaned = text.strip().lower()
    if cleaned in set(RuleName):
        return Rule(RuleName(cleaned), required=required, denominator=denominator)
    if cleaned and not any(mark in cleaned for mark in (">", " ", "veto", "no-objection")):
        names = ", ".join(r.value for r in RuleName)
        raise ValueError(
            f"{text.strip()!r} is not a decision rule; use one of: {names}, or the general "
            f"form: {FORM}"
        )
    return Rule(Custom.CUSTOM, required=required, denominator=denominator, pieces=parse_terms(text))


@dataclass(frozen=True)
class Rule:
    """A decision rule: a named rule, or `Custom.CUSTOM` with its `pieces` in the general form,
    with the resolution's optional fixed requirement and explicit denominator.

    `required` replaces the rule's count pieces by yes >= N (a veto, weight and blocking stay);
    `denominator` replaces the eligible members E in members>=F.
    """

    name: RuleName | Custom
    required: int | None = None
    denominator: int | None = None
    pieces: Terms | None = None

    def __post_init__(self) -> None:
        if self.name is RuleName.FIXED and self.required is None:
            raise ValueError("the fixed rule needs a number of votes (--required N)")
        if self.required is not None and self.required < 1:
            raise ValueError(f"required must be at least 1, not {self.required}")
        if self.denominator is not None and self.denominator < 1:
            raise ValueError(f"denominator must be at least 1, not {self.denominator}")
        if self.name is Custom.CUSTOM and self.pieces is None:
            raise ValueError(f"a custom rule needs its pieces; use {FORM}")
        if self.name is not Custom.CUSTOM and self.pieces is not None:
            raise ValueError(f"the {self.name.value} rule has its own pieces; name it custom")

    @property
    def own_terms(self) -> Terms:
        """The rule's pieces as named or typed, before --required."""
        return self.pieces if self.pieces is not None else NAMED_TERMS[RuleName(self.name)]

    @cached_property
    def terms(self) -> Terms:
        """The pieces that decide: the rule's own, with --required in place of its counts."""
        own = self.own_terms
        return own if self.required is None else own.with_required(self.required)

    @property
    def spec(self) -> str:
        """The rule as one text: its name, or its general form; parse_rule_spec reads it back."""
        return self.name.value if self.pieces is None else self.pieces.spec

    @property
    def form(self) -> str:
        """The general form of the pieces that decide (--required included)."""
        return self.terms.spec

    @property
    def weighted(self) -> bool:
        """True when the rule weighs the yes members (a weight piece)."""
        return self.terms.weight is not None

    @property
    def has_veto(self) -> bool:
        """True when a veto holder's no sinks the text."""
        return self.terms.veto

    @property
    def counts_cast_votes(self) -> bool:
        """True when the threshold depends on the yes and no votes cast, not on membership."""
        return self.own_terms.voting is not None

    def base(self, eligible: int) -> int:
        """The denominator the rule counts against: explicit, else the eligible members."""
        return self.denominator if self.denominator is not None else eligible

    def required_yes(self, eligible: int, no: int = 0) -> int:
        """The number of yes votes the text needs, given the eligible members and the no votes.

        For rules counting the votes cast the answer depends on the no votes; a text always
        needs at least one yes. Weight and veto are not counted here (`required_weight`).
        """
        return self.terms.least_yes(self.base(eligible), no)

    def required_weight(self, total: int) -> int | None:
        """The yes weight the text needs out of a total weight; None when not weighted."""
        weight = self.terms.weight
        return None if weight is None else weight.least(total)

    def passes(
        self,
        yes: int,
        no: int,
        eligible: int,
        *,
        weight_yes: int = 0,
        weight_total: int = 0,
        vetoed: bool = False,
    ) -> bool:
        """Whether `yes` and `no` votes carry the text among `eligible` members; under a
        weighted rule with the yes weight out of the eligible members' total weight, and
        `vetoed` when a veto holder votes no."""
        return self.terms.holds(
            yes,
            no,
            eligible,
            members=self.base(eligible),
            weight_yes=weight_yes,
            weight_total=weight_total,
            vetoed=vetoed,
        )

    def describe(self, eligible: int, *, total_weight: int | None = None) -> str:
        """One line for people: the rule and what it needs here, e.g. 'security-council: 9 of
        15 and no veto' or 'qualified-majority: 15 of 27 members and 65% of the weight:
        293,168,773' (the required yes weight, with `total_weight` given)."""
        if self.name in HEAD_COUNT_RULES:
            name = RuleName(self.name)
            if self.required is not None:
                return f"{name.value}: {self.required:,} yes votes"
            if name in (RuleName.ABSOLUTE, RuleName.TWO_THIRDS):
                return f"{name.value}: {self.required_yes(eligible):,} of {self.base(eligible):,}"
            return f"{name.value}: {RULE_HELP[name]}"
        return f"{self.spec}: {self._needs(eligible, total_weight)}"

    def _needs(self, eligible: int, total_weight: int | None) -> str:
        terms, parts = self.terms, []
        if any(q.base in (Base.MEMBERS, Base.YES) for q in terms.quotas):
            counted = f"{terms.least_yes(self.base(eligible)):,} of {self.base(eligible):,}"
            parts.append(f"{counted} members" if terms.weight else counted)
        voting = terms.voting
        if voting is not None:
            parts.append(_voting_words(voting))
        weight = terms.weight
        if weight is not None:
            more = "more than " if weight.strict else ""
            figure = "" if total_weight is None else f": {weight.least(total_weight):,}"
            parts.append(f"{more}{weight.words} of the weight{figure}")
        if terms.veto:
            parts.append("no veto")
        blocking = (
            ""
            if terms.blocking is None
            else (f" (deemed attained if fewer than {terms.blocking} do not vote yes)")
        )
        return " and ".join(parts) + blocking


def _voting_words(quota: Quota) -> str:
    if quota.text == "yes>no":
        return "yes > no"
    if quota.text == "no-objection":
        return "no one votes no"
    return f"{'more than ' if quota.strict else ''}{quota.words} of those voting"


def rule_spec(text: str) -> str:
    """A rule as it is stored: its name, or its general form in canonical order. `fixed` stays
    as it is (its number of votes is the resolution's `required`). Raises ValueError."""
    if text.strip().lower() == RuleName.FIXED.value:
        return RuleName.FIXED.value
    return parse_rule_spec(text).spec
