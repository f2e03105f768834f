"""The hemicycle as a picture, for the bodies analysts follow: the seeded Cancún vote (34), a
Security Council vote (15) and a UN General Assembly vote (193). Seats sit on the row arcs,
none overlaps another, the title fits the picture; each picture is also rendered to PNG (with
rsvg-convert or cairosvg, where either is installed) into test-pictures/ for a person to look at.
"""

from __future__ import annotations

import csv
import importlib
import math
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from oastrack.core.hemicycle import radii, rows_for
from oastrack.render.chart import MARGIN, TITLE_CHARACTERS, TITLE_SIZE
from tests import support
from tests.conftest import ROOT, Run

Cli = Callable[..., Run]
SVG = "{http://www.w3.org/2000/svg}"
PICTURES = ROOT / "test-pictures"
# A bold sans-serif letter is at most about 0.62 of its size wide, on average over a title.
LETTER = 0.62


def ok(cli: Cli, *args: str) -> Run:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def general_assembly(cli: Cli, db: str, tmp_path: Path) -> str:
    """193 members and a recorded vote of 143 yes, 9 no, 25 abstentions, 16 absent."""
    members = tmp_path / "un.csv"
    with members.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "org", "start"])
        for number in range(193):
            writer.writerow([f"UN{number:03d}", f"Member state {number}", "UNGA", "1945-10-24"])
    ok(cli, "--db", db, "import", "members", str(members))
    ok(cli, "--db", db, "meeting", "add", "UNGA-79", "--org", "UNGA", "--start", "2024-09-10")
    ok(cli, "--db", db, "resolution", "add", "A-RES-79-1", "--meeting", "UNGA-79", "--title",
       "A resolution of the seventy-ninth session, with a title long enough to need more than "
       "one line in the picture", "--rule", "simple")  # fmt: skip
    codes = [f"UN{number:03d}" for number in range(193)]
    at = ["--official", "--at", "2024-09-18T15:00"]
    for position, chosen in (
        ("yes", codes[:143]),
        ("no", codes[143:152]),
        ("abstain", codes[152:177]),
        ("absent", codes[177:]),
    ):
        ok(cli, "--db", db, "vote", "A-RES-79-1", position, *chosen, *at)
    return "A-RES-79-1"


def render_png(svg: Path) -> Path | None:
    """The picture as PNG beside the others, for a person to look at; None without a renderer."""
    PICTURES.mkdir(exist_ok=True)
    png = PICTURES / f"{svg.stem}.png"
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True, timeout=60)
        return png
    try:
        convert: Callable[..., Any] = importlib.import_module("cairosvg").svg2png
    except ImportError:
        return None
    convert(url=str(svg), write_to=str(png))
    return png


@pytest.mark.parametrize("body", ["cancun", "security-council", "general-assembly"])
def test_the_hemicycle_picture(cli: Cli, sqlite_db: str, tmp_path: Path, body: str) -> None:
    if body == "cancun":
        resolution = "MOC29-COMPROMISE"
    elif body == "security-council":
        resolution = support.security_council_vote(sqlite_db)
    else:
        resolution = general_assembly(cli, sqlite_db, tmp_path)
    picture = tmp_path / f"{body}.svg"
    ok(cli, "--db", sqlite_db, "chart", resolution, "--svg", str(picture))
    root = ET.parse(picture).getroot()
    width = float(root.get("width") or 0)
    seats = root.find(f".//{SVG}g[@id='seats']")
    assert seats is not None
    centre_x, centre_y = (float(v) for v in (seats.get("data-centre") or "").split())
    scale = float(seats.get("data-radius") or 0)
    circles = [
        (float(c.get("cx") or 0), float(c.get("cy") or 0), float(c.get("r") or 0))
        for c in seats.iter(f"{SVG}circle")
    ]
    count = {"cancun": 34, "security-council": 15, "general-assembly": 193}[body]
    assert len(circles) == count
    # Every seat on one of the row arcs (to the tenth of a pixel the SVG is written in).
    arcs = [radius * scale for radius in radii(rows_for(count))]
    for x, y, _ in circles:
        distance = math.hypot(x - centre_x, centre_y - y)
        assert min(abs(distance - arc) for arc in arcs) < 0.2, (x, y)
    # No two seats overlap.
    for (x1, y1, r1), (x2, y2, r2) in combinations(circles, 2):
        assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2
    # The title wraps inside the picture, above the seats.
    title = [t for t in root.findall(f"{SVG}text") if t.get("font-weight") == "bold"]
    for line in title:
        text = "".join(line.itertext())
        assert len(text) <= TITLE_CHARACTERS
        assert MARGIN + LETTER * TITLE_SIZE * len(text) <= width - MARGIN
    assert min(y - r for _, y, r in circles) > max(float(t.get("y") or 0) for t in title)
    png = render_png(picture)
    if png is not None:
        assert png.stat().st_size > 1000
