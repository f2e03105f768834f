"""Forecast and swing under the bodies' rules, against the tally of the same resolution, whole
process against whole process, alternated (median of RUNS each).

Two bodies: the Council of the EU of the seed (27 members weighted by population, qualified
majority) with a count in progress, and a 193-member assembly (two thirds of those voting) with
every member's stance uncertain. Goal: `forecast` and `swing` each under 1.5x `tally`.
Usage: python benchmarks/rules_bench.py [RUNS]
"""

from __future__ import annotations

import random
import statistics
import sys

from _common import WORK, record, run, tool

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 11
EU_STANCES = (
    ["yes"] * 7 + ["lean-yes"] * 7 + ["undecided"] * 5 + ["lean-no"] * 4 + ["no"] * 2
)  # and two unknown


def oastrack(db: str, *args: str) -> list[str]:
    return [tool("oastrack"), "--db", db, *args]


def eu_database() -> str:
    db = str(WORK / "rules-eu.db")
    (WORK / "rules-eu.db").unlink(missing_ok=True)
    run(oastrack(db, "init"))
    run(oastrack(db, "meeting", "add", "ENVI-2025", "--org", "EUCO", "--start", "2025-06-17"))
    run(oastrack(db, "resolution", "add", "EU-DRAFT", "--meeting", "ENVI-2025", "--title", "t"))
    codes = [
        "AUT",
        "BEL",
        "BGR",
        "CYP",
        "CZE",
        "DEU",
        "DNK",
        "ESP",
        "EST",
        "FIN",
        "FRA",
        "GRC",
        "HRV",
        "HUN",
        "IRL",
        "ITA",
        "LTU",
        "LUX",
        "LVA",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
    ]
    rng = random.Random(2025)
    for code, stance in zip(codes, EU_STANCES, strict=False):
        confidence = f"{rng.randint(55, 95) / 100}"
        run(oastrack(db, "vote", "EU-DRAFT", stance, code, "--confidence", confidence))
    return db


def assembly_database() -> str:
    path = WORK / "rules-193.db"
    path.unlink(missing_ok=True)
    db = str(path)
    run(oastrack(db, "init", "--no-seed"))
    members = WORK / "rules-193-members.csv"
    members.write_text(
        "code,name,org\n" + "".join(f"M{i:03d},Member {i},ASSEMBLY\n" for i in range(193))
    )
    run(oastrack(db, "import", "members", str(members)))
    run(oastrack(db, "meeting", "add", "AS-1", "--org", "ASSEMBLY", "--start", "2025-01-01"))
    run(
        oastrack(
            db,
            "resolution",
            "add",
            "AS-DRAFT",
            "--meeting",
            "AS-1",
            "--title",
            "t",
            "--rule",
            "two-thirds-voting",
        )
    )
    rng = random.Random(193)
    stances = ["yes", "lean-yes", "undecided", "lean-no", "no", "abstain"]
    rows = ["resolution,member,position,confidence,recorded_at"]
    for i in range(193):
        rows.append(
            f"AS-DRAFT,M{i:03d},{rng.choice(stances)},{rng.randint(50, 95) / 100},2025-01-01T09:00"
        )
    positions = WORK / "rules-193-positions.csv"
    positions.write_text("\n".join(rows) + "\n")
    run(oastrack(db, "import", "positions", str(positions)))
    return db


def measure(db: str, resolution: str) -> dict[str, float]:
    commands = {
        name: oastrack(db, name, resolution, "--format", "json")
        for name in ("tally", "forecast", "swing")
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(run(command)[0])
    return {name: statistics.median(found) for name, found in times.items()}


def main() -> None:
    WORK.mkdir(exist_ok=True)
    lines = [
        f"Whole processes, median of {RUNS} alternated runs each, `--format json`.",
        "",
        "| body | tally | forecast | swing | forecast / tally | swing / tally |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, db, resolution in (
        ("Council of the EU, 27 weighted, qualified majority", eu_database(), "EU-DRAFT"),
        ("assembly of 193, two-thirds-voting", assembly_database(), "AS-DRAFT"),
    ):
        found = measure(db, resolution)
        tally, forecast, swing = found["tally"], found["forecast"], found["swing"]
        lines.append(
            f"| {label} | {tally * 1000:.0f} ms | {forecast * 1000:.0f} ms |"
            f" {swing * 1000:.0f} ms | {forecast / tally:.2f}x | {swing / tally:.2f}x |"
        )
    lines += ["", "Goal: forecast and swing each under 1.5x the tally of the same resolution."]
    record("Forecast and swing under weighted and veto rules", lines)


if __name__ == "__main__":
    main()
