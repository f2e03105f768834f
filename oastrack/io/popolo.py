"""`oastrack export snapshot --format popolo`: the database in the Popolo vocabulary.

The output is one JSON object with four arrays, in this order, each item on a line of its own
and each valid against its Popolo JSON Schema (draft 03, ../shared/data/popolo):

``organizations``
    In this order: each organization (``org/OAS``, classification "intergovernmental
    organization"); each distinct body that meets in it (``body/OAS/General Assembly``,
    classification "body", ``parent_id`` its organization); each member state
    (``member/ARG``, classification "member state"); each bloc (``bloc/CARICOM``,
    classification "bloc"). Organizations, member states and blocs carry their code as
    ``identifiers: [{"scheme": "oastrack", "identifier": CODE}]``; a body has no code of its
    own, so none.

``memberships``
    A member state in an organization (``organization_id`` ``org/OAS``), one per dated status
    record, ``role`` the status (``active``, ``non-participating``, ``suspended``,
    ``withdrawn``); then a member state in a bloc (``organization_id`` ``bloc/CARICOM``,
    ``role`` "member"). The member is ``member: {"@type": "Organization", "id":
    "member/ARG"}`` (Popolo's ``person_id`` is for people only; the schema lets ``member`` be
    any object). ``start_date``/``end_date`` are ISO dates, both days included; no start means
    a member since before any meeting, no end means still a member. Ids are
    ``membership/org/OAS/ARG/1`` and ``membership/bloc/CARICOM/ATG/1`` (numbered in date order).

``motions``
    Each resolution: ``motion/CODE``, ``identifier`` the code, ``text`` the title,
    ``classification`` "resolution", ``organization_id`` the meeting's body (else the
    organization), ``legislative_session_id`` ``meeting/CODE`` (meetings are not exported as
    Popolo events: the contract names four arrays, so this is a reference only), ``date`` the
    meeting's start, ``requirement`` the decision rule in words with the numbers it implies on
    the meeting's date (``two-thirds: 23 of 34``), ``result`` from the status (adopted →
    ``pass``, rejected → ``fail``, withdrawn → ``withdrawn``; a draft has none).

``vote_events``
    One per resolution with official records from members eligible on the meeting's date
    (the tally's own test): ``vote_event/CODE``, ``identifier`` the code, ``motion_id``,
    ``organization_id`` and ``legislative_session_id`` as the motion's, ``start_date`` the
    earliest of the counted records' times, ``result`` ``pass`` or ``fail`` from the official
    tally (`oastrack.core.tally.tally` with the resolution's rule and the members eligible on
    the meeting's date; each member's latest official record counts, later time then later
    record winning, as in `oastrack tally`).

    ``counts``: ``yes``, ``no``, ``abstain``, ``absent`` always, then any other tally key
    that is not zero (``unknown``: an eligible member with no official record; a lean or
    undecided only if one was recorded as official). Then the same per bloc, with
    ``group_id`` ``bloc/CODE``, for every bloc with eligible members on the meeting's date
    (bloc membership is dated; a member may be counted in several blocs).

    ``group_results``: for every bloc at least one of whose members voted (``yes``, ``no`` or
    ``abstain``, as for `bloc cohesion`: an absence says nothing), the option most of its
    voting members chose, or ``split`` when two options tie for most.

    ``votes``: each eligible member's counted record, by member code: ``voter_id``
    ``member/ARG``, ``option`` the position, and ``group_id`` the first (by code) bloc the
    member belongs to on the meeting's date, if any.

Times: Popolo's ``date``/``start_date`` of motions and vote events are ``date-time``, so a
date is written as midnight UTC (``2017-06-19T00:00:00Z``), the same reading oastrack gives a
date wherever it expects a time. Keys whose value is unknown are left out, not written as null.

Memory stays flat: every section is streamed from the database, one query at a time (the
official votes in one ordered query, grouped here by resolution); only the memberships and the
bloc memberships (a few hundred rows) are held, to decide eligibility and blocs per date.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from oastrack.core import eligibility
from oastrack.core.alignment import VOTED
from oastrack.core.positions import COUNT_KEYS, UNKNOWN, Position
from oastrack.core.tally import Verdict, count_positions, tally
from oastrack.core.values import as_date, as_time, show_time
from oastrack.store import blocs, meetings, members, organizations, records, resolutions
from oastrack.store.db import Database

SCHEME = "oastrack"
SECTIONS: tuple[str, ...] = ("organizations", "memberships", "motions", "vote_events")

# The options every vote event counts, in this order (others only when someone chose them).
OPTIONS: tuple[str, ...] = (Position.YES, Position.NO, Position.ABSTAIN, Position.ABSENT)

MOTION_RESULTS: dict[str, str] = {"adopted": "pass", "rejected": "fail", "withdrawn": "withdrawn"}

Item = dict[str, Any]


def write_popolo(db: Database, out: IO[str]) -> dict[str, int]:
    """Write the database as one Popolo JSON document, one item per line; returns the items
    written, by section."""
    context = _Context.load(db)
    sections: dict[str, Iterator[Item]] = {
        "organizations": _organizations(db),
        "memberships": _memberships(db),
        "motions": _motions(db, context),
        "vote_events": _vote_events(db, context),
    }
    counts = dict.fromkeys(SECTIONS, 0)
    out.write("{")
    for index, name in enumerate(SECTIONS):
        out.write(f'{"" if index == 0 else ","}\n"{name}": [')
        first = True
        # Sections are generators, run one after the other: one streaming query at a time.
        for item in sections[name]:
            out.write("\n" if first else ",\n")
            out.write(json.dumps(item, ensure_ascii=False))
            first = False
            counts[name] += 1
        out.write("]" if first else "\n]")
    out.write("}\n")
    return counts


# -- ids --------------------------------------------------------------------------------------


def org_id(code: str) -> str:
    return f"org/{code}"


def body_id(org: str, body: str) -> str:
    return f"body/{org}/{body}"


def member_id(code: str) -> str:
    return f"member/{code}"


def bloc_id(code: str) -> str:
    return f"bloc/{code}"


def _identifiers(code: str) -> list[Item]:
    return [{"scheme": SCHEME, "identifier": code}]


def _compact(item: Item) -> Item:
    """The item without its unknown (None) values."""
    return {key: value for key, value in item.items() if value is not None}


def _date_time(value: Any) -> str | None:
    """A stored date as a Popolo date-time: midnight UTC."""
    found = as_date(value)
    return None if found is None else show_time(datetime.combine(found, time()))


def _iso(value: Any) -> str | None:
    found = as_date(value)
    return None if found is None else found.isoformat()


def _body(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


# -- what is held: memberships, for eligibility and blocs on a date ---------------------------


@dataclass
class _Context:
    """The memberships and bloc memberships (small), and what they give on a date (cached)."""

    memberships: list[tuple[int, str, str, date | None, date | None, bool, int]]
    bloc_members: list[tuple[str, str, date | None, date | None]]
    _eligible: dict[tuple[int, date], tuple[str, ...]] = field(default_factory=dict)
    _blocs: dict[date, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def load(cls, db: Database) -> _Context:
        memberships = [
            (org, code, status, as_date(start), as_date(end), veto, weight)
            for org, code, status, start, end, veto, weight in members.statuses(db)
        ]
        bloc_members = [
            (str(r[0]), str(r[1]), as_date(r[2]), as_date(r[3])) for r in blocs.dump_members(db)
        ]
        return cls(memberships, bloc_members)

    def eligible(self, organization: int, on: date) -> tuple[str, ...]:
        """The codes of the members eligible in the organization on the date, sorted."""
        key = (organization, on)
        found = self._eligible.get(key)
        if found is None:
            rows = [row[1:5] for row in self.memberships if row[0] == organization]
            found = tuple(sorted(eligibility.eligible(rows, on)))
            self._eligible[key] = found
        return found

    def powers(self, organization: int, on: date) -> dict[str, Any]:
        """The vetoes and weights of the members eligible on the date (as `members.powers`)."""
        eligible = set(self.eligible(organization, on))
        held = [
            (code, veto, weight)
            for org, code, _, start, end, veto, weight in self.memberships
            if org == organization and code in eligible and eligibility.covers(start, end, on)
        ]
        weights: dict[str, int] = {}
        for code, _, weight in held:
            weights[code] = max(weights.get(code, 0), weight)
        return {"vetoes": frozenset(c for c, veto, _ in held if veto), "weights": weights}

    def blocs_on(self, on: date) -> dict[str, tuple[str, ...]]:
        """Each bloc's member codes on the date, blocs by code (as `store.blocs.blocs_on`)."""
        found = self._blocs.get(on)
        if found is None:
            members: dict[str, set[str]] = {}
            for bloc, code, start, end in self.bloc_members:
                if eligibility.covers(start, end, on):
                    members.setdefault(bloc, set()).add(code)
            found = {bloc: tuple(sorted(members[bloc])) for bloc in sorted(members)}
            self._blocs[on] = found
        return found


# -- organizations and memberships ------------------------------------------------------------


def _organizations(db: Database) -> Iterator[Item]:
    for code, name, _, _ in organizations.dump(db):
        yield {
            "id": org_id(code),
            "name": name,
            "classification": "intergovernmental organization",
            "identifiers": _identifiers(code),
        }
    bodies = meetings.bodies(db)
    seen: set[tuple[str, str]] = set()
    for org, raw in bodies:
        body = _body(raw)
        if body is None or (org, body) in seen:
            continue
        seen.add((org, body))
        yield {
            "id": body_id(org, body),
            "name": body,
            "classification": "body",
            "parent_id": org_id(org),
        }
    for rows, make_id, classification in (
        (members.dump(db), member_id, "member state"),
        (blocs.dump(db), bloc_id, "bloc"),
    ):
        for code, name, _ in rows:
            yield {
                "id": make_id(code),
                "name": name,
                "classification": classification,
                "identifiers": _identifiers(code),
            }


def _numbered(rows: Iterable[Any], kind: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Give each (group, member, …) row an id numbered within its group and member."""
    previous: tuple[str, str] | None = None
    number = 0
    for row in rows:
        key = (str(row[0]), str(row[1]))
        number = number + 1 if key == previous else 1
        previous = key
        yield f"membership/{kind}/{key[0]}/{key[1]}/{number}", tuple(row)


def _memberships(db: Database) -> Iterator[Item]:
    rows = (row[:5] for row in members.dump_memberships(db))
    for identifier, (org, code, status, start, end) in _numbered(rows, "org"):
        yield _compact(
            {
                "id": identifier,
                "member": {"@type": "Organization", "id": member_id(code)},
                "organization_id": org_id(org),
                "role": status,
                "start_date": _iso(start),
                "end_date": _iso(end),
            }
        )
    rows = (row[:4] for row in blocs.dump_members(db))
    for identifier, (bloc, code, start, end) in _numbered(rows, "bloc"):
        yield _compact(
            {
                "id": identifier,
                "member": {"@type": "Organization", "id": member_id(code)},
                "organization_id": bloc_id(bloc),
                "role": "member",
                "start_date": _iso(start),
                "end_date": _iso(end),
            }
        )


# -- motions ----------------------------------------------------------------------------------


def _motions(db: Database, context: _Context) -> Iterator[Item]:
    rows = resolutions.motions(db)
    for row in rows:
        code, title, rule, required, denominator, status, meeting, org, start, body, org_code = row
        on = as_date(start)
        assert on is not None  # a meeting always has a start
        yield _compact(
            {
                "id": f"motion/{code}",
                "identifier": code,
                "classification": "resolution",
                "text": title,
                "organization_id": _voting_body(org_code, body),
                "legislative_session_id": f"meeting/{meeting}",
                "date": _date_time(on),
                "requirement": _requirement(context, rule, required, denominator, int(org), on),
                "result": MOTION_RESULTS.get(status),
            }
        )


def _requirement(
    context: _Context, spec: str, required: Any, denominator: Any, org: int, on: date
) -> str:
    """The rule in words with its numbers on the meeting's date (`two-thirds: 23 of 34`)."""
    rule = resolutions.rule_of(spec, required, denominator)
    total = sum(context.powers(org, on)["weights"].values()) if rule.weighted else None
    return rule.describe(len(context.eligible(org, on)), total_weight=total)


def _voting_body(org_code: str, body: Any) -> str:
    name = _body(body)
    return org_id(org_code) if name is None else body_id(org_code, name)


# -- vote events ------------------------------------------------------------------------------


def _vote_events(db: Database, context: _Context) -> Iterator[Item]:
    current: str | None = None
    meta: tuple[Any, ...] = ()
    votes: list[tuple[str, Any, int, tuple[str, Any]]] = []
    for entered, row in enumerate(records.official_votes(db)):
        if row[0] != current:
            if current is not None:
                event = _vote_event(context, meta, eligibility.latest(votes))
                if event is not None:
                    yield event
            current, meta, votes = row[0], tuple(row[:9]), []
        votes.append((row[9], row[11], entered, (row[10], row[11])))
    if current is not None:
        event = _vote_event(context, meta, eligibility.latest(votes))
        if event is not None:
            yield event


def _counts(stances: Iterable[str], group: str | None = None) -> list[Item]:
    counted = count_positions(stances)
    keys = [*OPTIONS, *(key for key in COUNT_KEYS if key not in OPTIONS and counted[key])]
    return [_compact({"option": key, "value": counted[key], "group_id": group}) for key in keys]


def _group_result(options: Iterable[str]) -> str | None:
    """The option most voting members chose; `split` on a tie; None if none voted."""
    voted = Counter(option for option in options if option in VOTED)
    if not voted:
        return None
    ranked = voted.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "split"
    return str(ranked[0][0])


def _vote_event(
    context: _Context, meta: tuple[Any, ...], latest: dict[str, tuple[str, Any]]
) -> Item | None:
    code, rule, required, denominator, meeting, org, start, body, org_code = meta
    on = as_date(start)
    assert on is not None
    eligible = context.eligible(int(org), on)
    counted = {member: latest[member] for member in eligible if member in latest}
    if not counted:  # no official record from an eligible member: no official vote
        return None
    stances = {member: counted.get(member, (UNKNOWN, None))[0] for member in eligible}
    held = context.powers(int(org), on)
    result = tally(resolutions.rule_of(rule, required, denominator), stances, official=True, **held)
    event_id = f"vote_event/{code}"
    groups = {
        bloc: [member for member in codes if member in stances]
        for bloc, codes in context.blocs_on(on).items()
    }
    groups = {bloc: codes for bloc, codes in groups.items() if codes}
    first_bloc: dict[str, str] = {}
    for bloc, codes in groups.items():  # blocs by code: the first one seen is the first
        for member in codes:
            first_bloc.setdefault(member, bloc)
    counts = _counts(stances.values())
    group_results: list[Item] = []
    for bloc, codes in groups.items():
        counts.extend(_counts((stances[m] for m in codes), bloc_id(bloc)))
        outcome = _group_result(stances[m] for m in codes)
        if outcome is not None:
            group_results.append({"group_id": bloc_id(bloc), "result": outcome})
    votes: list[Item] = []
    for member, (position, _) in sorted(counted.items()):
        vote: Item = {"vote_event_id": event_id, "voter_id": member_id(member), "option": position}
        if member in first_bloc:
            vote["group_id"] = bloc_id(first_bloc[member])
        votes.append(vote)
    # Stored times sort as times on both back ends (fixed-width text on SQLite).
    started = as_time(min(at for _, at in counted.values()))
    return {
        "id": event_id,
        "identifier": code,
        "motion_id": f"motion/{code}",
        "organization_id": _voting_body(org_code, body),
        "legislative_session_id": f"meeting/{meeting}",
        "start_date": show_time(started),
        "result": "pass" if result.verdict is Verdict.PASSES else "fail",
        "counts": counts,
        "group_results": group_results,
        "votes": votes,
    }


__all__ = ["SECTIONS", "write_popolo"]
