"""Build data/seed.json from the reference facts: the OAS (members.csv, blocs.csv and the 2017
vote), and the UN Security Council and the Council of the EU (unsc-members.csv,
eu-council-2025.csv).

Run from the top of the repository: python data/build_seed.py PATH/TO/oas PATH/TO/bodies
The facts carry over as they are; the notes and sources stay with the rows they qualify. Where a
fact needed reading, the choice is written in a note (end dates are the last day a status holds).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SEED_SOURCE = "OAS reference facts (oastrack data/seed.json)"
SEED_ANALYST = "oastrack seed"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def none(text: str) -> str | None:
    return text or None


def build(facts: Path, bodies: Path) -> dict[str, list[dict[str, object]]]:
    members: list[dict[str, object]] = []
    memberships: list[dict[str, object]] = []
    for row in read(facts / "members.csv"):
        members.append({"code": row["code"], "name": row["name"], "note": None})
        code, note = row["code"], none(row["note"])
        if code == "NIC":
            # Denunciation effective 2023-11-19: active through the day before.
            memberships.append(_ms(code, "active", None, "2023-11-18", note))
            memberships.append(_ms(code, "withdrawn", "2023-11-19", None, note))
        elif code == "VEN":
            # Withdrawal effective 2019-04-27 (contested): active through the day before.
            memberships.append(_ms(code, "active", None, "2019-04-26", note))
            memberships.append(_ms(code, "withdrawn", "2019-04-27", None, note))
        else:
            memberships.append(_ms(code, row["status"], none(row["start"]), none(row["end"]), note))
    blocs: dict[str, dict[str, object]] = {}
    bloc_members: list[dict[str, object]] = []
    for row in read(facts / "blocs.csv"):
        blocs.setdefault(row["bloc"], {"code": row["bloc"], "name": row["name"], "note": None})
        bloc_members.append(
            {
                "bloc": row["bloc"],
                "member": row["member"],
                "start": none(row["start"]),
                "end": none(row["end"]),
                "note": none(row["note"]),
            }
        )
    positions: list[dict[str, object]] = [
        {
            "resolution": row["resolution"],
            "member": row["member"],
            "position": row["position"],
            "kind": row["kind"],
            "recorded_at": row["recorded_at"] + "T00:00:00Z",
            "analyst": SEED_ANALYST,
            "confidence": None,
            "source": none(row["source"]),
            "note": none(row["note"]),
        }
        for row in read(facts / "moc29-compromise-votes.csv")
    ]
    known = {str(m["code"]) for m in members}
    for row in read(bodies / "unsc-members.csv"):
        if row["code"] not in known:
            members.append({"code": row["code"], "name": row["name"], "note": None})
            known.add(row["code"])
        veto = row["veto"] == "true"
        note = (
            "permanent member, holds a veto (UN Charter Art. 23, 27(3))"
            if veto
            else f"elected member, term {row['start'][:4]}-{row['end'][:4]} (UN Charter Art. 23)"
        )
        memberships.append(
            {
                **_ms(row["code"], row["status"], none(row["start"]), none(row["end"]), note),
                "org": "UNSC",
                "veto": veto,
            }
        )
    for row in read(bodies / "eu-council-2025.csv"):
        if row["code"] not in known:
            members.append({"code": row["code"], "name": row["name"], "note": None})
            known.add(row["code"])
        # The weight is the member's 2025 share of the EU population in hundredths of a
        # percent (Germany 18.49% -> 1849): the Council's Annex III figures in persons for 2025
        # were not to hand; the shares are as published (they add up to 100.01).
        share = row["share_percent_2025"]
        whole, _, cents = share.partition(".")
        memberships.append(
            {
                **_ms(row["code"], row["status"], none(row["start"]), none(row["end"]), None),
                "org": "EUCO",
                "weight": int(whole) * 100 + int(cents.ljust(2, "0")),
                "note": f"population share {share}% in 2025 (Agence Europe, 12 December 2024)",
            }
        )
    return {
        "organizations": [
            {
                "code": "EUCO",
                "name": "Council of the European Union",
                "rule": "qualified-majority",
                "note": "qualified majority: 55% of the members (15 of 27) representing 65% of "
                "the population, deemed attained when fewer than four members do not vote yes "
                "(TEU Art. 16(4), TFEU Art. 238(3)); weights are the 2025 population shares in "
                "hundredths of a percent",
            },
            {
                "code": "OAS",
                "name": "Organization of American States",
                "rule": "absolute",
                "note": "OAS Charter: the General Assembly and the Permanent Council decide by an "
                "absolute majority of the member states (18 of 34)",
            },
            {
                "code": "UNSC",
                "name": "United Nations Security Council",
                "rule": "security-council",
                "note": "nine affirmative votes including the concurring votes of the permanent "
                "members (UN Charter Art. 27(3)); a permanent member's abstention or absence is "
                "no veto (Council practice); procedural matters: nine votes (Art. 27(2))",
            },
        ],
        "members": sorted(members, key=lambda m: str(m["code"])),
        "memberships": sorted(
            memberships, key=lambda m: (str(m["org"]), str(m["member"]), str(m["start"] or ""))
        ),
        "blocs": sorted(blocs.values(), key=lambda b: str(b["code"])),
        "bloc_members": sorted(
            bloc_members, key=lambda b: (str(b["bloc"]), str(b["member"]), str(b["start"] or ""))
        ),
        "meetings": MEETINGS,
        "resolutions": RESOLUTIONS,
        "texts": [],
        "positions": sorted(positions, key=lambda p: (str(p["resolution"]), str(p["member"]))),
    }


def _ms(
    code: str, status: str, start: str | None, end: str | None, note: str | None
) -> dict[str, object]:
    return {
        "org": "OAS",
        "member": code,
        "status": status,
        "start": start,
        "end": end,
        "veto": False,
        "weight": None,
        "note": note,
    }


MEETINGS: list[dict[str, object]] = [
    {
        "code": "GA-47",
        "org": "OAS",
        "body": "General Assembly",
        "title": "Forty-seventh regular session of the OAS General Assembly",
        "start": "2017-06-19",
        "end": "2017-06-21",
        "venue": "Cancún, Mexico",
        "rule": "absolute",
        "note": "decides by an absolute majority of member states (18 of 34)",
    },
    {
        "code": "MOC-29",
        "org": "OAS",
        "body": "Meeting of Consultation of Ministers of Foreign Affairs",
        "title": "29th Meeting of Consultation of Ministers of Foreign Affairs (Venezuela)",
        "start": "2017-06-19",
        "end": "2017-06-19",
        "venue": "Cancún, Mexico",
        "rule": "two-thirds",
        "note": "opened 2017-05-31 in Washington, D.C., and continued on 2017-06-19 in Cancún; "
        "decisions needed two thirds of the 34 active member states (23)",
    },
]

RESOLUTIONS: list[dict[str, object]] = [
    {
        "code": "MOC29-CARICOM",
        "meeting": "MOC-29",
        "title": "CARICOM draft: dialogue and mediation on Venezuela",
        "rule": "two-thirds",
        "required": None,
        "denominator": None,
        "status": "rejected",
        "sponsors": ["CARICOM"],
        "alternative_to": "MOC29-ORIGINAL",
        "note": "milder draft of the 14 CARICOM states, resubmitted by Saint Vincent and the "
        "Grenadines; reported totals 8 yes, 14 no, 11 abstain, 1 absent; no per-state "
        "record found",
        "source": "press reports of the 19 June 2017 votes",
    },
    {
        "code": "MOC29-COMPROMISE",
        "meeting": "MOC-29",
        "title": "Chair's compromise text on the situation in Venezuela",
        "rule": "two-thirds",
        "required": None,
        "denominator": None,
        "status": "rejected",
        "sponsors": ["GTM"],
        "alternative_to": "MOC29-CARICOM",
        "note": "the chair's (Guatemala) text reconciling the two drafts; 20 yes, 5 no, 8 abstain, "
        "1 absent: 23 needed, three short. Seven of the 34 votes are inferred from the "
        "totals (see their notes)",
        "source": "press reports of the 19 June 2017 vote (WIC News; Breitbart; etcetera.com.mx)",
    },
    {
        "code": "MOC29-ORIGINAL",
        "meeting": "MOC-29",
        "title": "Draft on Venezuela: release of political prisoners, talks towards free elections",
        "rule": "two-thirds",
        "required": None,
        "denominator": None,
        "status": "withdrawn",
        "sponsors": ["PER", "CAN", "USA", "MEX", "PAN"],
        "alternative_to": None,
        "note": "sponsored by Peru, Canada, the United States, Mexico and Panama (Costa Rica as "
        "co-sponsor reported but unconfirmed); withdrawn by Peru on 2017-06-19",
        "source": None,
    },
]


def main() -> None:
    facts = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/oas")
    bodies = Path(sys.argv[2]) if len(sys.argv) > 2 else facts.parent / "bodies"
    seed = build(facts, bodies)
    out = Path(__file__).resolve().parent / "seed.json"
    from oastrack.io.snapshot import write_snapshot_document

    with out.open("w", encoding="utf-8", newline="\n") as handle:
        write_snapshot_document(handle, seed)
    print(f"wrote {out}: " + ", ".join(f"{len(v)} {k}" for k, v in seed.items()))


if __name__ == "__main__":
    main()
