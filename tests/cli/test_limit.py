"""`--limit N` on every listing: the first N rows of the listing as it would be, in every
format, nothing else said on stdout; N below 1 is a usage error."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]

LISTINGS = [
    "member list --at 2017-06-19",
    "member list --org UNSC --at 2025-01-01",
    "bloc list",
    "bloc list --at 2017-06-19",
    "meeting list",
    "resolution list",
    "resolution list --meeting MOC-29",
    "history MOC29-COMPROMISE",
    "history MOC29-COMPROMISE VEN",
    "align USA",
    "member positions ATG",
]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def run_ok(cli: Cli, db: str, command: str, *args: str) -> Run:
    return ok(cli("--db", db, *command.split(), *args))


def as_list(run: Run) -> list[dict[str, Any]]:
    found = json.loads(ok(run).stdout)
    assert isinstance(found, list)
    return found


@pytest.mark.parametrize("listing", LISTINGS)
def test_the_first_n_rows_of_the_listing(cli: Cli, seeded_db: str, listing: str) -> None:
    whole = as_list(run_ok(cli, seeded_db, listing, "--format", "json"))
    assert whole, "a listing with something to cut"
    for limit in (1, 2, 1000):
        cut = run_ok(cli, seeded_db, listing, "--limit", str(limit), "--format", "json")
        assert json.loads(cut.stdout) == whole[:limit]  # a pure array, nothing else on stdout
        assert cut.stderr == ""
    first = next(iter(whole[0]))  # the listing's first column
    cut_csv = run_ok(cli, seeded_db, listing, "--limit", "2", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(cut_csv)))
    assert [row[first] for row in rows] == [str(item[first]) for item in whole[:2]]


def test_the_seed_cut_short(cli: Cli, seeded_db: str) -> None:
    table = run_ok(cli, seeded_db, "resolution list --limit 1").stdout
    assert table.splitlines()[1:4] == [
        "Code           Meeting  Title                                               Rule"
        "        Status    Sponsors  Positions",
        "─" * 117,
        "MOC29-CARICOM  MOC-29   CARICOM draft: dialogue and mediation on Venezuela  two-thirds"
        "  rejected  CARICOM           0",
    ]
    assert "MOC29-COMPROMISE" not in table
    two = as_list(run_ok(cli, seeded_db, "resolution list --limit 2 -f json"))
    # the sponsors of the resolutions listed, read with the cut
    assert [(r["code"], r["sponsors"]) for r in two] == [
        ("MOC29-CARICOM", "CARICOM"),
        ("MOC29-COMPROMISE", "GTM"),
    ]
    assert run_ok(cli, seeded_db, "bloc list --limit 2 -f csv").stdout.splitlines() == [
        "code,name,size,members",
        "ALBA,Bolivarian Alliance for the Peoples of Our America,11,"
        "ATG BOL CUB DMA ECU GRD KNA LCA NIC VCT VEN",
        "CARICOM,Caribbean Community (OAS members),14,"
        "ATG BHS BLZ BRB DMA GRD GUY HTI JAM KNA LCA SUR TTO VCT",
    ]
    history = as_list(run_ok(cli, seeded_db, "history MOC29-COMPROMISE --limit 3 -f json"))
    assert [(r["member"], r["position"]) for r in history] == [
        ("ARG", "yes"),
        ("ATG", "abstain"),
        ("BHS", "yes"),
    ]


@pytest.mark.parametrize("listing", ["member list", "resolution list", "history MOC29-COMPROMISE"])
@pytest.mark.parametrize(
    ("value", "why"),
    [("0", "0 is not in the range x>=1"), ("-3", "-3 is not in the range x>=1"),
     ("two", "'two' is not a valid int range")],
)  # fmt: skip
def test_a_limit_below_one_is_a_usage_error(
    cli: Cli, seeded_db: str, listing: str, value: str, why: str
) -> None:
    run = cli("--db", seeded_db, *listing.split(), "--limit", value, "--format", "json")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "Usage: oastrack" in run.stderr
    assert f"Invalid value for '--limit': {why}." in run.stderr
