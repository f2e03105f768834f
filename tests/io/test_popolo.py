"""`oastrack export snapshot --format popolo`: every item valid against the Popolo schemas
(draft 03, ../shared/data/popolo), the Cancún vote as Popolo counts it, a stable layout, and
memory and queries that do not grow with the number of resolutions."""

from __future__ import annotations

import json
import re
import sqlite3
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT3

from oastrack.io.popolo import SECTIONS, write_popolo
from oastrack.store.db import Database, parse_target
from tests.conftest import IN_CI, POPOLO, Run, need_unga

CLI = Callable[..., Run]

# Each array of the document, and the schema its items must satisfy.
SCHEMA_OF = {
    "organizations": "organization",
    "memberships": "membership",
    "motions": "motion",
    "vote_events": "vote_event",
}
# Every schema the four reference, directly or not: all must be there to resolve the $refs.
NEEDED = (
    "area", "contact_detail", "count", "event", "group_result", "identifier", "link",
    "membership", "motion", "organization", "other_name", "person", "post", "vote",
    "vote_event",
)  # fmt: skip

# RFC 3339 (the draft 03 `date-time` format); jsonschema checks it only with an extra package.
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)
FORMATS = FormatChecker()
FORMATS.checks("date-time")(lambda value: not isinstance(value, str) or bool(RFC3339.match(value)))


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft3Validator]:
    """A draft-03 validator per array, resolving the schemas' http ids to the local files."""
    missing = [name for name in NEEDED if not (POPOLO / f"{name}.json").is_file()]
    if missing:
        reason = f"the Popolo schemas are not at {POPOLO} (missing {', '.join(missing)})"
        if IN_CI:
            pytest.fail(f"{reason}: CI must have them")
        pytest.skip(f"{reason}; they live outside the project")
    schemas = {name: json.loads((POPOLO / f"{name}.json").read_text("utf-8")) for name in NEEDED}
    for name, schema in schemas.items():
        assert schema["id"] == f"http://www.popoloproject.com/schemas/{name}.json#"
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"], DRAFT3.create_resource(schema)) for schema in schemas.values()
    )
    return {
        array: Draft3Validator(schemas[name], registry=registry, format_checker=FORMATS)
        for array, name in SCHEMA_OF.items()
    }


def problems(document: dict[str, Any], validators: dict[str, Draft3Validator]) -> list[str]:
    """Every schema violation of every item, as `array[index] path: message`."""
    found = []
    for array, validator in validators.items():
        for index, item in enumerate(document[array]):
            for error in validator.iter_errors(item):
                where = "/".join(str(p) for p in error.absolute_path)
                found.append(f"{array}[{index}] {where}: {error.message}")
    return found


def export(cli: CLI, db: str, *extra: str) -> str:
    run = cli("--db", db, "export", "snapshot", "--format", "popolo", *extra)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {item["id"]: item for item in items}
    assert len(found) == len(items), "ids must be unique"
    return found


def group_counts(event: dict[str, Any], group: str | None) -> dict[str, int]:
    return {c["option"]: c["value"] for c in event["counts"] if c.get("group_id") == group}


# -- the seed ---------------------------------------------------------------------------------


def test_every_item_is_valid_popolo(
    seeded_db: str, cli: CLI, validators: dict[str, Draft3Validator]
) -> None:
    document = json.loads(export(cli, seeded_db))
    assert list(document) == list(SECTIONS)
    assert problems(document, validators) == []
    # The seed: 3 organizations (OAS, UNSC, EUCO), the OAS's 2 bodies, 70 member states, 5
    # blocs; 37 dated statuses in the OAS, 15 seats of the Security Council, 27 members of the
    # Council of the EU and 50 bloc memberships; 3 resolutions, one with an official vote.
    sizes = {name: len(items) for name, items in document.items()}
    assert sizes == {"organizations": 80, "memberships": 129, "motions": 3, "vote_events": 1}


def test_references_resolve_inside_the_document(seeded_db: str, cli: CLI) -> None:
    document = json.loads(export(cli, seeded_db))
    organizations = by_id(document["organizations"])
    motions = by_id(document["motions"])
    events = by_id(document["vote_events"])
    kinds = {o["classification"] for o in organizations.values()}
    assert kinds == {"intergovernmental organization", "body", "member state", "bloc"}
    for org in organizations.values():
        assert org.get("parent_id") in (None, *organizations)
        if org["classification"] != "body":
            assert org["identifiers"] == [
                {"scheme": "oastrack", "identifier": org["id"].split("/", 1)[1]}
            ]
    for membership in document["memberships"]:
        assert membership["member"]["@type"] == "Organization"
        member = organizations[membership["member"]["id"]]
        assert member["classification"] == "member state"
        assert organizations[membership["organization_id"]]["classification"] in (
            "intergovernmental organization",
            "bloc",
        )
    for motion in motions.values():
        assert motion["organization_id"] in organizations
    for event in events.values():
        assert event["motion_id"] in motions
        assert event["organization_id"] == motions[event["motion_id"]]["organization_id"]
        for count in event["counts"]:
            assert count.get("group_id") in (None, *organizations)
        for result in event["group_results"]:
            assert organizations[result["group_id"]]["classification"] == "bloc"
        for vote in event["votes"]:
            assert vote["vote_event_id"] == event["id"]
            assert organizations[vote["voter_id"]]["classification"] == "member state"
            assert vote.get("group_id") in (None, *organizations)


def test_memberships_keep_statuses_and_dates(seeded_db: str, cli: CLI) -> None:
    memberships = json.loads(export(cli, seeded_db))["memberships"]
    venezuela = [m for m in memberships if m["member"]["id"] == "member/VEN"]
    assert [(m["organization_id"], m["role"], m.get("start_date"), m.get("end_date"))
            for m in venezuela] == [
        ("org/OAS", "active", None, "2019-04-26"),
        ("org/OAS", "withdrawn", "2019-04-27", None),
        ("bloc/ALBA", "member", None, None),
    ]  # fmt: skip
    assert [m["id"] for m in venezuela] == [
        "membership/org/OAS/VEN/1",
        "membership/org/OAS/VEN/2",
        "membership/bloc/ALBA/VEN/1",
    ]
    caricom = [m for m in memberships if m["organization_id"] == "bloc/CARICOM"]
    assert len(caricom) == 14


def test_the_cancun_compromise_vote(seeded_db: str, cli: CLI) -> None:
    document = json.loads(export(cli, seeded_db))
    motions = by_id(document["motions"])
    compromise = motions["motion/MOC29-COMPROMISE"]
    assert compromise == {
        "id": "motion/MOC29-COMPROMISE",
        "identifier": "MOC29-COMPROMISE",
        "classification": "resolution",
        "text": "Chair's compromise text on the situation in Venezuela",
        "organization_id": "body/OAS/Meeting of Consultation of Ministers of Foreign Affairs",
        "legislative_session_id": "meeting/MOC-29",
        "date": "2017-06-19T00:00:00Z",
        "requirement": "two-thirds: 23 of 34",
        "result": "fail",
    }
    assert motions["motion/MOC29-ORIGINAL"]["result"] == "withdrawn"

    (event,) = document["vote_events"]
    assert event["id"] == "vote_event/MOC29-COMPROMISE"
    assert event["motion_id"] == "motion/MOC29-COMPROMISE"
    assert event["start_date"] == "2017-06-19T00:00:00Z"
    assert event["result"] == "fail"
    assert event["counts"][:4] == [
        {"option": "yes", "value": 20},
        {"option": "no", "value": 5},
        {"option": "abstain", "value": 8},
        {"option": "absent", "value": 1},
    ]
    assert group_counts(event, None) == {"yes": 20, "no": 5, "abstain": 8, "absent": 1}
    caricom = group_counts(event, "bloc/CARICOM")
    assert sum(caricom.values()) == 14
    assert len(event["votes"]) == 34
    assert len({v["voter_id"] for v in event["votes"]}) == 34
    assert [v["voter_id"] for v in event["votes"]] == sorted(v["voter_id"] for v in event["votes"])
    options = {v["voter_id"]: v["option"] for v in event["votes"]}
    assert sum(1 for o in options.values() if o == "yes") == 20
    # A member's group is its first bloc by code on the meeting's date (LIMA was founded later).
    groups = {v["voter_id"]: v.get("group_id") for v in event["votes"]}
    assert groups["member/ATG"] == "bloc/ALBA"
    assert groups["member/BHS"] == "bloc/CARICOM"
    assert groups["member/ARG"] is None
    assert "member/CUB" not in options  # non-participating: not eligible, no vote

    # The same numbers as `oastrack tally --by-bloc`, bloc by bloc.
    run = cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--by-bloc", "--format", "json")
    assert run.exit_code == 0, run.stderr
    tally = json.loads(run.stdout)
    assert tally["verdict"] == "fails"
    results = {r["group_id"]: r["result"] for r in event["group_results"]}
    for bloc, counts in tally["by_bloc"].items():
        if bloc == "(no bloc)":
            continue
        nonzero = {k: v for k, v in counts.items() if v}
        popolo = {k: v for k, v in group_counts(event, f"bloc/{bloc}").items() if v}
        assert popolo == nonzero, bloc
        voted = {k: counts[k] for k in ("yes", "no", "abstain")}
        top = max(voted.values())
        leaders = [k for k, v in voted.items() if v == top]
        expected = None if top == 0 else leaders[0] if len(leaders) == 1 else "split"
        assert results.get(f"bloc/{bloc}") == expected, bloc
    assert results["bloc/CARICOM"] == "yes"


def test_the_output_is_stable_and_one_item_per_line(seeded_db: str, cli: CLI) -> None:
    first = export(cli, seeded_db)
    assert export(cli, seeded_db) == first
    lines = first.splitlines()
    assert lines[0] == "{" and lines[-1] == "]}"
    headers = [line for line in lines if line.endswith(": [")]
    assert headers == [f'"{name}": [' for name in SECTIONS]
    items = [line.rstrip(",") for line in lines if line.startswith("{") and line != "{"]
    assert len(items) == 80 + 129 + 3 + 1
    for item in items:
        assert isinstance(json.loads(item), dict)


def test_output_file(seeded_db: str, cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "popolo.json"
    run = cli("--db", seeded_db, "export", "snapshot", "--format", "popolo", "-o", str(path))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert "Exported 213 items" in run.stderr
    assert path.read_text("utf-8") == export(cli, seeded_db)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_popolo_is_only_for_a_snapshot(seeded_db: str, cli: CLI) -> None:
    run = cli("--db", seeded_db, "export", "members", "--format", "popolo")
    assert run.exit_code == 1
    assert "snapshot" in run.stderr


def test_a_split_bloc_a_later_record_and_members_who_did_not_vote(
    seeded_db: str, cli: CLI, validators: dict[str, Draft3Validator]
) -> None:
    steps = [
        ("resolution", "add", "TEST-SPLIT", "--meeting", "GA-47", "--title", "A test text"),
        ("vote", "TEST-SPLIT", "yes", "ATG", "--official", "--at", "2017-06-20T11:00:00Z"),
        ("vote", "TEST-SPLIT", "no", "ATG", "--official", "--at", "2017-06-20T12:00:00Z"),
        ("vote", "TEST-SPLIT", "yes", "BHS", "--official", "--at", "2017-06-20T10:00:00Z"),
        ("vote", "TEST-SPLIT", "yes", "BRB", "--at", "2017-06-20T13:00:00Z"),  # a projection
    ]
    for step in steps:
        run = cli("--db", seeded_db, *step)
        assert run.exit_code == 0, run.stderr
    document = json.loads(export(cli, seeded_db))
    assert problems(document, validators) == []
    motion = by_id(document["motions"])["motion/TEST-SPLIT"]
    assert "result" not in motion  # a draft has no result yet
    assert motion["requirement"] == "absolute: 18 of 34"
    assert motion["organization_id"] == "body/OAS/General Assembly"
    event = by_id(document["vote_events"])["vote_event/TEST-SPLIT"]
    assert event["result"] == "fail"
    assert event["start_date"] == "2017-06-20T10:00:00Z"  # the earliest counted record
    assert group_counts(event, None) == {"yes": 1, "no": 1, "abstain": 0, "absent": 0,
                                         "unknown": 32}  # fmt: skip
    assert group_counts(event, "bloc/CARICOM") == {
        "yes": 1, "no": 1, "abstain": 0, "absent": 0, "unknown": 12,
    }  # fmt: skip
    results = {r["group_id"]: r["result"] for r in event["group_results"]}
    assert results == {"bloc/ALBA": "no", "bloc/CARICOM": "split"}
    assert [(v["voter_id"], v["option"]) for v in event["votes"]] == [
        ("member/ATG", "no"),
        ("member/BHS", "yes"),
    ]


# -- size -------------------------------------------------------------------------------------

RESOLUTIONS, MEMBERS = 800, 60


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with many resolutions, each with an official vote of every member."""
    path = tmp_path_factory.mktemp("popolo") / "big.db"
    from typer.testing import CliRunner

    from oastrack.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(path), "init", "--no-seed"])
    assert result.exit_code == 0, result.stderr
    options = ("yes", "no", "abstain", "absent")
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO organization (id, code, name, rule) VALUES (1, 'UN', 'UN', 'simple')"
        )
        conn.executemany(
            "INSERT INTO member (id, code, name) VALUES (?, ?, ?)",
            [(m, f"M{m:03d}", f"Member {m}") for m in range(1, MEMBERS + 1)],
        )
        conn.executemany(
            "INSERT INTO membership (organization_id, member_id, status) VALUES (1, ?, 'active')",
            [(m,) for m in range(1, MEMBERS + 1)],
        )
        conn.execute("INSERT INTO bloc (id, code, name) VALUES (1, 'EVEN', 'Even members')")
        conn.executemany(
            "INSERT INTO bloc_member (bloc_id, member_id) VALUES (1, ?)",
            [(m,) for m in range(2, MEMBERS + 1, 2)],
        )
        conn.execute(
            "INSERT INTO meeting (id, code, organization_id, body, start_date)"
            " VALUES (1, 'GA', 1, 'General Assembly', '1990-01-01')"
        )
        conn.executemany(
            "INSERT INTO resolution (id, code, meeting_id, title, rule, status)"
            " VALUES (?, ?, 1, ?, 'simple', 'draft')",
            [(r, f"R{r:05d}", f"Resolution {r}") for r in range(1, RESOLUTIONS + 1)],
        )
        conn.executemany(
            "INSERT INTO position (resolution_id, member_id, position, kind, recorded_at,"
            " analyst, fingerprint, logged_at) VALUES (?, ?, ?, 'official',"
            " '1990-01-01 00:00:00.000000', 'test', ?, '2026-01-01 00:00:00.000000')",
            (
                (r, m, options[(r * m) % 4], r * 1000 + m)
                for r in range(1, RESOLUTIONS + 1)
                for m in range(1, MEMBERS + 1)
            ),
        )
        conn.execute("COMMIT")
    return str(path)


class Sink:
    """A text stream that only counts what it is given."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def test_memory_stays_flat(big_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The rows fetched at a time are the stream's own fixed cost (about 1 kB a row here):
    # fetch fewer, so that anything growing with the output would stand out.
    stream = Database.stream

    def small_batches(self: Database, sql: str, params: Any = ()) -> Iterator[Any]:
        return stream(self, sql, params, size=200)

    monkeypatch.setattr(Database, "stream", small_batches)
    db = Database.open(parse_target(big_db))
    sink = Sink()
    tracemalloc.start()
    try:
        count = sum(db.read(lambda: write_popolo(db, sink)).values())  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        db.close()
    assert count == (1 + 1 + MEMBERS + 1) + (MEMBERS + MEMBERS // 2) + 2 * RESOLUTIONS
    assert sink.size > 5_000_000
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for {sink.size / 1e6:.1f} MB out"


def test_queries_do_not_grow_with_resolutions(big_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("all", "one", "scalar", "stream"):
        method = getattr(Database, name)

        def counted(self: Database, sql: str, *args: Any, _m: Any = method, **kw: Any) -> Any:
            calls.append(sql)
            return _m(self, sql, *args, **kw)

        monkeypatch.setattr(Database, name, counted)
    db = Database.open(parse_target(big_db))
    try:
        db.read(lambda: write_popolo(db, Sink()))  # type: ignore[arg-type]
    finally:
        db.close()
    # Two for the memberships held, four for the organizations, two for the memberships, one
    # for the motions, one for the official votes: not one per resolution.
    assert len(calls) == 10, calls


# -- the UN General Assembly ------------------------------------------------------------------


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from handle


@pytest.mark.slow
@pytest.mark.unga
def test_unga_roll_calls(tmp_path: Path, cli: CLI, validators: dict[str, Draft3Validator]) -> None:
    unga = need_unga()
    db = str(tmp_path / "unga.db")
    for step in (
        ("init", "--no-seed"),
        ("meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10", "--rule", "simple"),
        ("import", "positions", str(unga / "un_votes.csv.gz"), "--map", "resolution=rcid",
         "--map", "position=vote", "--map", "member=country_code,country", "--map",
         "name=country", "--kind", "official", "--create-missing", "--meeting", "UNGA"),
    ):  # fmt: skip
        run = cli("--db", db, *step)
        assert run.exit_code == 0, run.stderr
    path = tmp_path / "unga.popolo.json"
    run = cli("--db", db, "export", "snapshot", "--format", "popolo", "-o", str(path))
    assert run.exit_code == 0, run.stderr
    # Read it back line by line: one vote event per line.
    section = None
    events = votes = 0
    for line in _lines(path):
        if line.endswith(": [\n"):
            section = line.split('"')[1]
        elif line.startswith("{") and line != "{\n" and section == "vote_events":
            event = json.loads(line.rstrip(",\n"))
            if events % 500 == 0:
                assert list(validators["vote_events"].iter_errors(event)) == []
            events += 1
            votes += len(event["votes"])
    assert events == 6203
    assert votes == 870_109
