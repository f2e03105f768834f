"""The pieces every decision rule is made of, the one evaluator over them, and their text form.

A rule is a few pieces, all of which must hold, and it always needs at least one yes vote:

=================  ========================================================================
piece              holds when
=================  ========================================================================
``members>=F``     yes >= F of the eligible members E (or of the resolution's denominator)
``voting>=F``      yes >= F of the members voting yes or no (abstentions are not votes)
``yes>=N``         yes >= N, a fixed number
``weight>=F``      the yes members' weight >= F of the eligible members' total weight
``veto``           no member holding a veto votes no (its abstention or absence is no veto)
``blocking>=K``    with fewer than K eligible members not voting yes, the weight pieces are
                   deemed met (a blocking minority needs K members)
``yes>no``         short for ``voting>1/2``
``no-objection``   short for ``voting>=1/1``: nobody votes no
=================  ========================================================================

F is a fraction (``3/5``) or a whole percentage (``85%``); ``>`` instead of ``>=`` asks for
strictly more. Pieces are separated by spaces, in any order, each kind at most once.

Example, the IMF (Articles of Agreement, Art. XXVIII): an amendment needs three fifths of the
members holding 85% of the total voting power::

    members>=3/5 weight>=85%

The named rules are instances of this form: ``simple`` is ``yes>no``, ``two-thirds-voting``
``voting>=2/3``, ``absolute`` ``members>1/2``, ``two-thirds`` ``members>=2/3``, ``consensus``
``no-objection``, ``security-council`` ``yes>=9 veto``, ``security-council-procedural``
``yes>=9``, ``qualified-majority`` ``members>=55% weight>=65% blocking>=4`` and
``reinforced-qualified-majority`` ``members>=72% weight>=65%``.

Every comparison is in integers: ``members>=55%`` holds when 100 x yes >= 55 x E.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction


class Base(StrEnum):
    """What a quota counts the yes votes against."""

    MEMBERS = "members"
    VOTING = "voting"
    YES = "yes"
    WEIGHT = "weight"


# The order of the pieces in the text form, and of the quotas in Terms.
_ORDER = (Base.MEMBERS, Base.VOTING, Base.YES, Base.WEIGHT)

FORM = (
    "members>=F, voting>=F, yes>=N, yes>no, no-objection, weight>=F, veto, blocking>=K "
    "(F a fraction such as 3/5 or a percentage such as 85%), "
    "for example 'members>=3/5 weight>=85%'"
)


@dataclass(frozen=True)
class Quota:
    """yes (or the yes weight) against a base: at least `share` of it, or strictly more.

    For `Base.YES` the share is the fixed number itself, counted against 1. `percent` only
    says how the share is written back.
    """

    base: Base
    share: Fraction
    strict: bool = False
    percent: bool = False

    def met(self, value: int, of: int) -> bool:
        """Whether `value` meets the quota against `of`: value x den >= num x of, in integers."""
        left, right = value * self.share.denominator, self.share.numerator * of
        return left > right if self.strict else left >= right

    def least(self, of: int) -> int:
        """The least value that meets the quota against `of` (a ceiling, in integers)."""
        product, den = self.share.numerator * of, self.share.denominator
        return product // den + 1 if self.strict else -(-product // den)

    @property
    def text(self) -> str:
        """The piece as written in the general form."""
        op = ">" if self.strict else ">="
        if self.base is Base.VOTING and not self.percent:
            if self.share == Fraction(1, 2) and self.strict:
                return "yes>no"
            if self.share == 1 and not self.strict:
                return "no-objection"
        if self.base is Base.YES:
            return f"yes{op}{self.share.numerator}"
        if self.percent:
            return f"{self.base.value}{op}{self.share * 100}%"
        return f"{self.base.value}{op}{self.share.numerator}/{self.share.denominator}"

    @property
    def words(self) -> str:
        """The share for people: 85%, 3/5, or the number."""
        if self.base is Base.YES:
            return str(self.share.numerator)
        if self.percent:
            return f"{self.share * 100}%"
        return f"{self.share.numerator}/{self.share.denominator}"


@dataclass(frozen=True)
class Terms:
    """The pieces of one rule: quotas (one per base, in the text form's order), veto, blocking.

    `holds` is the one evaluator of every rule, named or general.
    """

    quotas: tuple[Quota, ...]
    veto: bool = False
    blocking: int | None = None

    def __post_init__(self) -> None:
        bases = [quota.base for quota in self.quotas]
        if len(set(bases)) != len(bases) or bases != sorted(bases, key=_ORDER.index):
            raise ValueError("a rule has at most one quota of each kind, in the usual order")
        if self.blocking is not None and self.weight is None:
            raise ValueError("blocking>=K needs a weight piece: it says when weight is waived")

    def quota(self, base: Base) -> Quota | None:
        """The quota against `base`, if the rule has one."""
        return next((quota for quota in self.quotas if quota.base is base), None)

    @property
    def weight(self) -> Quota | None:
        """The weight quota, if the rule is weighted."""
        return self.quota(Base.WEIGHT)

    @property
    def voting(self) -> Quota | None:
        """The quota against the yes and no votes cast, if any."""
        return self.quota(Base.VOTING)

    def holds(
        self,
        yes: int,
        no: int,
        eligible: int,
        *,
        members: int,
        weight_yes: int = 0,
        weight_total: int = 0,
        vetoed: bool = False,
    ) -> bool:
        """Whether a vote carries: `members` is the base of `members>=` (E or a denominator)."""
        if yes < self.floor or (self.veto and vetoed):
            return False
        of = {Base.MEMBERS: members, Base.VOTING: yes + no, Base.YES: 1}
        if not all(q.met(yes, of[q.base]) for q in self.quotas if q.base is not Base.WEIGHT):
            return False
        weight = self.weight
        if weight is None or (self.blocking is not None and eligible - yes < self.blocking):
            return True
        return weight.met(weight_yes, weight_total)

    @property
    def floor(self) -> int:
        """At least one yes, always: members>=F and yes>=N already ask for one in any body
        with members (and 0 of 0 members carries, as it always has), the others need it."""
        counted = any(q.base in (Base.MEMBERS, Base.YES) for q in self.quotas)
        return 0 if counted else 1

    def least_yes(self, members: int, no: int = 0) -> int:
        """The fewest yes votes the count quotas allow, given the no votes.

        Under `no-objection` no number of yes votes overcomes a no; the answer is then 1.
        """
        least = self.floor
        for quota in self.quotas:
            if quota.base in (Base.MEMBERS, Base.YES):
                least = max(least, quota.least(members if quota.base is Base.MEMBERS else 1))
            elif quota.base is Base.VOTING:
                # den x yes >= num x (yes + no)  <=>  (den - num) x yes >= num x no
                gain = quota.share.denominator - quota.share.numerator
                if gain:
                    product = quota.share.numerator * no
                    least = max(least, product // gain + 1 if quota.strict else -(-product // gain))
        return least

    def with_required(self, required: int) -> Terms:
        """The same rule with its count quotas replaced by yes >= `required` (veto and weight
        stay): what `--required N` means under every rule."""
        quotas = (
            Quota(Base.YES, Fraction(required)),
            *(q for q in self.quotas if q.base is Base.WEIGHT),
        )
        return replace(self, quotas=quotas)

    @property
    def spec(self) -> str:
        """The canonical text form: parse_terms(spec) gives these terms back."""
        parts = [quota.text for quota in self.quotas]
        if self.veto:
            parts.append("veto")
        if self.blocking is not None:
            parts.append(f"blocking>={self.blocking}")
        return " ".join(parts)


_PIECE = re.compile(r"^(members|voting|yes|weight|blocking)(>=|>)(.+)$")
_ALIASES = {
    "yes>no": Quota(Base.VOTING, Fraction(1, 2), strict=True),
    "no-objection": Quota(Base.VOTING, Fraction(1)),
}


def _share(piece: str, raw: str) -> tuple[Fraction, bool]:
    """A fraction `a/b` or a whole percentage `N%`, strictly above 0 and at most 1."""
    match = re.fullmatch(r"(\d+)/(\d+)|(\d+)%", raw)
    if match is None:
        raise ValueError(f"{piece!r}: write the share as a fraction such as 3/5 or as 85%")
    numerator, denominator, percent = match.groups()
    if percent is not None:
        share, is_percent = Fraction(int(percent), 100), True
    elif int(denominator) == 0:
        raise ValueError(f"{piece!r}: a fraction cannot have 0 below the line")
    else:
        share, is_percent = Fraction(int(numerator), int(denominator)), False
    if not 0 < share <= 1:
        raise ValueError(f"{piece!r}: the share must be above 0 and at most 1 (100%)")
    return share, is_percent


def _piece(piece: str) -> tuple[str, Quota | int | None]:
    """One piece, as (its kind, its value): a quota, the blocking number, or None for veto."""
    if piece in _ALIASES:
        return Base.VOTING.value, _ALIASES[piece]
    if piece == "veto":
        return piece, None
    match = _PIECE.match(piece)
    if match is None:
        raise ValueError(f"{piece!r} is not a piece of a decision rule; use {FORM}")
    name, op, raw = match.groups()
    if name == "blocking" and op != ">=":
        raise ValueError(f"{piece!r}: write blocking>=K, as in blocking>=4")
    if name in ("yes", "blocking"):
        if not raw.isdigit() or int(raw) < (1 if op == ">=" else 0):
            raise ValueError(f"{piece!r}: {name} takes a whole number, as in {name}>=4")
        if name == "blocking":
            return name, int(raw)
        return name, Quota(Base.YES, Fraction(int(raw)), strict=op == ">")
    share, percent = _share(piece, raw)
    if op == ">" and share == 1:
        raise ValueError(f"{piece!r} can never be met: nothing is more than all")
    return name, Quota(Base(name), share, strict=op == ">", percent=percent)


def parse_terms(text: str) -> Terms:
    """Read the general form (see the module docstring), e.g. 'members>=3/5 weight>=85%'.

    Raises ValueError with a message fit to show after 'Error: ' that says what is wrong and
    shows the form.
    """
    # Blanks around an operator are allowed: 'members >= 3/5' is 'members>=3/5'.
    pieces = re.sub(r"\s*(>=|>)\s*", r"\1", text.strip().lower()).split()
    shown = " ".join(pieces)
    if not pieces:
        raise ValueError(f"a decision rule cannot be empty; use {FORM}")
    read: dict[str, Quota | int | None] = {}
    for piece in pieces:
        kind, value = _piece(piece)
        if kind in read:
            raise ValueError(f"{shown!r} gives {kind} twice; each kind of piece comes once")
        read[kind] = value
    quotas = tuple(q for base in _ORDER if isinstance(q := read.get(base.value), Quota))
    if not quotas:
        raise ValueError(f"{shown!r} says nothing about the yes votes needed; use {FORM}")
    blocking = read.get("blocking")
    if blocking is not None and "weight" not in read:
        raise ValueError(f"{shown!r}: blocking>=K only waives a weight piece; add weight>=F")
    return Terms(
        quotas, veto="veto" in read, blocking=blocking if isinstance(blocking, int) else None
    )
