"""Every rule, named or general, with an oracle written here from PRODUCT.md, independently of
oastrack.core: hypothesis strategies for the property tests of the rules, tally, forecast and
swing under weights and vetoes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from oastrack.core.positions import UNKNOWN, Position
from oastrack.core.rules import Rule, RuleName, parse_rule_spec

STANCES = [*(p.value for p in Position), UNKNOWN]

# oracle(yes, no, eligible, weight_yes, weight_total, vetoed) -> carried
Oracle = Callable[[int, int, int, int, int, bool], bool]


@dataclass(frozen=True)
class Case:
    rule: Rule
    oracle: Oracle


def at_least(value: int, numerator: int, denominator: int, of: int, strict: bool) -> bool:
    """value >= numerator/denominator of `of` (or strictly more), in integers."""
    left, right = value * denominator, numerator * of
    return left > right if strict else left >= right


def named_oracle(rule: Rule) -> Oracle:
    """PRODUCT.md's 'passes when' for the named rules, with --required and --denominator."""
    name, required = rule.name, rule.required

    def carried(y: int, n: int, e: int, w: int, total: int, vetoed: bool) -> bool:
        base = rule.denominator if rule.denominator is not None else e
        if name is RuleName.SECURITY_COUNCIL:
            return y >= (required or 9) and not vetoed
        if name is RuleName.SECURITY_COUNCIL_PROCEDURAL:
            return y >= (required or 9)
        if name is RuleName.QUALIFIED_MAJORITY:
            members = y >= required if required else 100 * y >= 55 * base
            return members and y >= 1 and (100 * w >= 65 * total or e - y < 4)
        if name is RuleName.REINFORCED_QUALIFIED_MAJORITY:
            members = y >= required if required else 100 * y >= 72 * base
            return members and y >= 1 and 100 * w >= 65 * total
        if required is not None:
            return y >= required
        if name is RuleName.SIMPLE:
            return y > n
        if name is RuleName.TWO_THIRDS_VOTING:
            return y >= 1 and 3 * y >= 2 * (y + n)
        if name is RuleName.ABSOLUTE:
            return y >= base // 2 + 1
        if name is RuleName.TWO_THIRDS:
            return 3 * y >= 2 * base
        assert name is RuleName.CONSENSUS
        return y >= 1 and n == 0

    return carried


@st.composite
def named_cases(draw: st.DrawFn, max_required: int = 12) -> Case:
    name = draw(st.sampled_from(list(RuleName)))
    required = draw(st.integers(1, max_required)) if name is RuleName.FIXED else None
    if name is not RuleName.FIXED and draw(st.integers(0, 3)) == 0:
        required = draw(st.integers(1, max_required))
    denominator = draw(st.one_of(st.none(), st.integers(1, 14)))
    rule = Rule(name, required=required, denominator=denominator)
    return Case(rule, named_oracle(rule))


@st.composite
def _share(draw: st.DrawFn) -> tuple[str, int, int]:
    """A share as typed (3/5 or 85%) with its numerator and denominator."""
    if draw(st.booleans()):
        percent = draw(st.integers(1, 100))
        return f"{percent}%", percent, 100
    denominator = draw(st.integers(1, 6))
    numerator = draw(st.integers(1, denominator))
    return f"{numerator}/{denominator}", numerator, denominator


@st.composite
def custom_cases(draw: st.DrawFn) -> Case:
    """A random rule in the general form, typed as text, with its oracle."""
    pieces: list[str] = []
    quotas: dict[str, tuple[int, int, bool]] = {}  # kind -> (numerator, denominator, strict)
    kinds = draw(
        st.sets(st.sampled_from(["members", "voting", "yes", "weight"]), min_size=1, max_size=4)
    )
    for kind in sorted(kinds):
        if kind == "yes":
            strict = draw(st.booleans())
            number = draw(st.integers(0 if strict else 1, 8))
            pieces.append(f"yes{'>' if strict else '>='}{number}")
            quotas[kind] = (number, 1, strict)
            continue
        text, numerator, denominator = draw(_share())
        strict = numerator != denominator and draw(st.booleans())
        pieces.append(f"{kind}{'>' if strict else '>='}{text}")
        quotas[kind] = (numerator, denominator, strict)
    veto = draw(st.booleans())
    if veto:
        pieces.append("veto")
    blocking = draw(st.integers(1, 5)) if "weight" in kinds and draw(st.booleans()) else None
    if blocking is not None:
        pieces.append(f"blocking>={blocking}")
    spec = " ".join(draw(st.permutations(pieces)))
    rule = parse_rule_spec(spec, denominator=draw(st.one_of(st.none(), st.integers(1, 14))))

    def carried(y: int, n: int, e: int, w: int, total: int, vetoed: bool) -> bool:
        base = rule.denominator if rule.denominator is not None else e
        against = {"members": base, "voting": y + n, "yes": 1}
        counts = all(
            at_least(y, *quotas[kind][:2], of, quotas[kind][2])
            for kind, of in against.items()
            if kind in quotas
        )
        if y < 1 or (veto and vetoed) or not counts:
            return False
        if "weight" not in quotas or (blocking is not None and e - y < blocking):
            return True
        numerator, denominator, strict = quotas["weight"]
        return at_least(w, numerator, denominator, total, strict)

    return Case(rule, carried)


cases = st.one_of(named_cases(), custom_cases())


@dataclass(frozen=True)
class Body:
    """Members with a stance, a confidence, a weight and maybe a veto."""

    stances: dict[str, str]
    confidences: dict[str, float | None]
    weights: dict[str, int]
    vetoes: frozenset[str]

    def with_stances(self, **changes: str) -> Body:
        return Body({**self.stances, **changes}, self.confidences, self.weights, self.vetoes)


CONFIDENCES = st.one_of(st.none(), st.sampled_from([0.0, 0.2, 0.25, 0.5, 0.6, 0.9, 1.0]))
WEIGHTS = st.one_of(st.integers(0, 12), st.integers(0, 100_000_000))


@st.composite
def bodies(draw: st.DrawFn, max_size: int, stances: list[str] = STANCES) -> Body:
    size = draw(st.integers(1, max_size))
    codes = [f"M{i:02d}" for i in range(size)]
    return Body(
        stances={code: draw(st.sampled_from(stances)) for code in codes},
        confidences={code: draw(CONFIDENCES) for code in codes},
        weights={code: draw(WEIGHTS) for code in codes if draw(st.integers(0, 9))},
        vetoes=frozenset(code for code in codes if draw(st.integers(0, 3)) == 0),
    )


def carries(case: Case, body: Body, *, official: bool) -> bool:
    """Whether the body's stances carry the text as counted (a projection counts the leans)."""
    yes_side = {"yes"} if official else {"yes", "lean-yes"}
    no_side = {"no"} if official else {"no", "lean-no"}
    yes = [code for code, stance in body.stances.items() if stance in yes_side]
    no = [code for code, stance in body.stances.items() if stance in no_side]
    return case.oracle(
        len(yes),
        len(no),
        len(body.stances),
        sum(body.weights.get(code, 0) for code in yes),
        sum(body.weights.get(code, 0) for code in body.stances),
        any(code in body.vetoes for code in no),
    )
