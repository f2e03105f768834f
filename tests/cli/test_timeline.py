"""`chart --timeline`: the count after every moment a member moved, checked against
`tally --as-of` at each moment, on both back ends."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from tests.conftest import Run

Cli = Callable[..., Run]
RES = "MOC29-CARICOM"
SVG = "{http://www.w3.org/2000/svg}"

# A morning of projections, a mistake retracted, then the recorded vote.
VOTES = [
    ("2017-06-19T09:00", "lean-yes", ["ATG", "DMA", "GRD"], []),
    ("2017-06-19T09:30", "yes", ["JAM", "BHS"], []),
    ("2017-06-19T09:45", "no", ["VEN", "BOL"], []),
    ("2017-06-19T10:00", "yes", ["ATG"], []),
    ("2017-06-19T10:15", "no", ["JAM"], ["--note", "wrong member"]),
    ("2017-06-19T12:00", "yes", ["ATG", "DMA", "JAM"], ["--official"]),
    ("2017-06-19T12:00", "no", ["VEN"], ["--official"]),
]


def ok(cli: Cli, *args: str) -> Run:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def negotiate(cli: Cli, db: str) -> None:
    for at, position, codes, extra in VOTES:
        ok(cli, "--db", db, "vote", RES, position, *codes, "--at", at, *extra)
    ok(cli, "--db", db, "retract", RES, "JAM")  # takes back the 12:00 official yes of JAM


def steps(cli: Cli, db: str) -> list[dict[str, Any]]:
    found = json.loads(ok(cli, "--db", db, "chart", RES, "--timeline", "-f", "json").stdout)
    assert (found["resolution"], found["eligible"]) == (RES, 34)
    result: list[dict[str, Any]] = found["steps"]
    return result


def test_every_step_is_the_tally_as_of_that_moment(cli: Cli, seeded_db: str) -> None:
    negotiate(cli, seeded_db)
    found = steps(cli, seeded_db)
    # One step per moment: the two official votes at 12:00 are one moment.
    assert [s["at"] for s in found] == [
        "2017-06-19T09:00:00Z",
        "2017-06-19T09:30:00Z",
        "2017-06-19T09:45:00Z",
        "2017-06-19T10:00:00Z",
        "2017-06-19T10:15:00Z",
        "2017-06-19T12:00:00Z",
    ]
    for step in found:
        then = json.loads(
            ok(cli, "--db", seeded_db, "tally", RES, "--as-of", step["at"], "-f", "json").stdout
        )
        assert (step["yes"], step["projected_yes"], step["required"]) == (
            then["yes"],
            then["projected_yes"],
            then["required"],
        ), step["at"]
        assert (step["verdict"], step["official"]) == (then["verdict"], then["official"])
    assert found[3]["moves"] == [
        {"member": "ATG", "from": "lean-yes", "to": "yes", "kind": "projection"}
    ]
    # At the official vote the count switches to official records: the retracted JAM is not one.
    assert found[-1]["moves"] == [
        {"member": "ATG", "from": "yes", "to": "yes", "kind": "official"},
        {"member": "DMA", "from": "lean-yes", "to": "yes", "kind": "official"},
        {"member": "VEN", "from": "no", "to": "no", "kind": "official"},
    ]
    assert (found[-1]["yes"], found[-1]["official"]) == (2, True)


def test_the_svg_names_who_moved_at_each_moment(cli: Cli, seeded_db: str) -> None:
    negotiate(cli, seeded_db)
    root = ET.fromstring(
        ok(cli, "--db", seeded_db, "chart", RES, "--timeline", "--svg", "-").stdout
    )
    moments = root.findall(f".//{SVG}g[@id='moments']/{SVG}circle")
    labels = [c.findtext(f"{SVG}title") for c in moments]
    assert len(labels) == 6
    assert labels[3] == (
        "2017-06-19T10:00:00Z: ATG lean-yes → yes · yes 3, projected 5, required 23"
    )
    assert {p.get("id") for p in root.iter(f"{SVG}path")} == {"yes", "projected", "required"}


def test_the_terminal_step_chart(cli: Cli, seeded_db: str) -> None:
    negotiate(cli, seeded_db)
    lines = ok(cli, "--db", seeded_db, "chart", RES, "--timeline").stdout.splitlines()
    assert lines[1] == "34 eligible · rule two-thirds"
    assert any(line.startswith("   23 ─") for line in lines)  # the required line
    assert "Now: yes 2, projected 2, required 23 · FAILS" in lines
    assert lines[-1] == "  2017-06-19T12:00:00Z  ATG yes → yes, DMA lean-yes → yes, VEN no → no"


def test_a_resolution_with_no_records_has_no_steps(cli: Cli, seeded_db: str) -> None:
    assert steps(cli, seeded_db) == []
    assert "No records yet." in ok(cli, "--db", seeded_db, "chart", RES, "--timeline").stdout
