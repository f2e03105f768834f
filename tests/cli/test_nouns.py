"""The nouns on the command line: init, members, blocs, meetings, resolutions, and vote's errors.

Exit codes, the exact lines on stderr, and what is in the database afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from oastrack import __version__
from oastrack.store import schema
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

SEED_COUNTS = {
    "organization": 3,
    "member": 70,
    "membership": 79,
    "bloc": 5,
    "bloc_member": 50,
    "meeting": 2,
    "resolution": 3,
    "sponsor": 7,
    "position": 34,
    "resolution_text": 0,
    "alembic_version": 1,
}
POSITIONS_TEXT = "yes, lean-yes, undecided, lean-no, no, abstain, absent"
FORMATS = ("table", "json", "csv", "markdown")


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A seeded SQLite database, for behaviour that does not depend on the back end."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(sqlite_template, path)
    return str(path)


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


# -- init -------------------------------------------------------------------------------------


def test_init_on_an_empty_target_then_again_changes_nothing(cli: Cli, empty_db: str) -> None:
    first = ok(cli("--db", empty_db, "init"))
    display = empty_db
    assert lines(first.stderr) == [
        f"Schema upgraded from nothing to {schema.HEAD} in {display}.",
        "Reference data loaded: 3 organizations, 70 members, 79 memberships, 5 blocs, "
        "50 bloc members, 2 meetings, 3 resolutions and 34 positions.",
    ]
    assert first.stdout == ""
    before = support.row_counts(empty_db)
    assert {table: before.get(table) for table in SEED_COUNTS} == SEED_COUNTS

    second = ok(cli("--db", empty_db, "init"))
    assert lines(second.stderr) == [
        f"Schema at revision {schema.HEAD} (newest) in {display}.",
        "Reference data already present: nothing added.",
    ]
    assert support.row_counts(empty_db) == before


def test_init_no_seed_then_init_loads_the_seed(cli: Cli, empty_db: str) -> None:
    ok(cli("--db", empty_db, "init", "--no-seed"))
    assert support.count(empty_db, "member") == 0
    listing = ok(cli("--db", empty_db, "member", "list", "--format", "json"))
    assert json.loads(listing.stdout) == []
    ok(cli("--db", empty_db, "init"))
    assert support.count(empty_db, "member") == 70


def test_init_makes_a_private_sqlite_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "new" / "oastrack.db"
    ok(cli("--db", str(path), "init"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- members ----------------------------------------------------------------------------------


def test_member_list_and_show(cli: Cli, seeded_db: str) -> None:
    run = ok(cli("--db", seeded_db, "member", "list", "--org", "OAS", "--format", "json"))
    members = json.loads(run.stdout)
    assert len(members) == 35
    assert len({m["code"] for m in members}) == 35
    assert {m["org"] for m in members} == {"OAS"}
    # Every member of every organization: the OAS, the Security Council, the Council of the EU.
    run = ok(cli("--db", seeded_db, "member", "list", "--at", "2025-06-01", "--format", "json"))
    members = json.loads(run.stdout)
    assert len({m["code"] for m in members}) == 70
    assert {m["org"] for m in members} == {"OAS", "UNSC", "EUCO"}
    vetoes = sorted(m["code"] for m in members if m["org"] == "UNSC" and m["veto"])
    assert vetoes == ["CHN", "FRA", "GBR", "RUS", "USA"]
    weights = {m["code"]: m["weight"] for m in members if m["org"] == "EUCO"}
    assert (len(weights), weights["DEU"], sum(weights.values())) == (27, 1849, 10001)

    args = ["member", "list", "--org", "OAS", "--at", "2017-06-19", "--format", "json"]
    run = ok(cli("--db", seeded_db, *args))
    status = {m["code"]: m["status"] for m in json.loads(run.stdout)}
    assert status["CUB"] == "non-participating"
    assert status["VEN"] == "active"
    assert sum(s == "active" for s in status.values()) == 34
    later = ok(cli("--db", seeded_db, "member", "list", "--at", "2024-07-31", "--format", "json"))
    status = {m["code"]: m["status"] for m in json.loads(later.stdout)}
    assert (status["VEN"], status["NIC"], status["CUB"]) == (
        "withdrawn",
        "withdrawn",
        "non-participating",
    )

    shown = json.loads(ok(cli("--db", seeded_db, "member", "show", "ven", "-f", "json")).stdout)
    assert [(m["status"], m["start"], m["end"]) for m in shown["memberships"]] == [
        ("active", None, "2019-04-26"),
        ("withdrawn", "2019-04-27", None),
    ]

    # nested values (a member's memberships) do not come out as Python reprs
    for fmt in ("csv", "markdown"):
        run = ok(cli("--db", seeded_db, "member", "show", "VEN", "--format", fmt))
        assert "None" not in run.stdout, run.stdout
        assert "{'" not in run.stdout, run.stdout

    run = cli("--db", seeded_db, "member", "show", "XXX")
    assert run.exit_code == 1
    assert lines(run.stderr) == ["Error: no member 'XXX'", "Hint: see: oastrack member list"]
    assert run.stdout == ""


# -- resolutions ------------------------------------------------------------------------------


def test_resolution_show(cli: Cli, seeded_db: str) -> None:
    table = ok(cli("--db", seeded_db, "resolution", "show", "MOC29-COMPROMISE"))
    assert "two-thirds: 23 of 34" in table.stdout
    shown = json.loads(
        ok(
            cli("--db", seeded_db, "resolution", "show", "moc29-compromise", "--format", "json")
        ).stdout
    )
    assert shown["code"] == "MOC29-COMPROMISE"
    assert shown["rule"] == "two-thirds"
    assert shown["rule_means"] == "two-thirds: 23 of 34"
    assert shown["eligible"] == 34
    assert shown["sponsors"] == ["GTM"]
    assert shown["alternative_to"] == "MOC29-CARICOM"
    assert shown["positions"] == 34

    run = cli("--db", seeded_db, "resolution", "show", "NOPE")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert lines(run.stderr) == [
        "Error: no resolution 'NOPE'",
        "Hint: see: oastrack resolution list",
    ]


BAD_RESOLUTIONS = [
    (
        ["--rule", "majority"],
        "Error: 'majority' is not a decision rule; use one of: simple, two-thirds-voting, "
        "absolute, two-thirds, consensus, fixed, security-council, security-council-procedural, "
        "qualified-majority, reinforced-qualified-majority, or the general form: members>=F, "
        "voting>=F, yes>=N, yes>no, no-objection, weight>=F, veto, blocking>=K (F a fraction "
        "such as 3/5 or a percentage such as 85%), for example 'members>=3/5 weight>=85%'",
    ),
    (["--required", "0"], "Error: required must be at least 1, not 0"),
    (["--denominator", "x"], "Error: denominator 'x' is not a whole number"),
    (["--rule", "fixed"], "Error: the fixed rule needs a number of votes (--required N)"),
    (
        ["--sponsor", "ARG", "--sponsor", "ZZZ"],
        "Error: sponsor 'ZZZ' is neither a member nor a bloc",
    ),
    (
        ["--status", "passed"],
        "Error: 'passed' is not a status; use one of: draft, adopted, rejected, withdrawn",
    ),
]


def test_adding_resolutions_and_what_is_refused(cli: Cli, seeded_db: str) -> None:
    def run(command: str, *extra: str) -> Run:
        return cli("--db", seeded_db, *command.split(), *extra)

    ok(run("resolution add R-FIX --meeting GA-47 --title Fixed --required 20"))
    ok(run("resolution add R-DEN --meeting GA-47 --title Den --rule two-thirds --denominator 35"))
    fixed = json.loads(ok(run("resolution show R-FIX -f json")).stdout)
    assert (fixed["rule"], fixed["required"], fixed["rule_means"]) == (
        "fixed",
        20,
        "fixed: 20 yes votes",
    )
    denominator = json.loads(ok(run("resolution show R-DEN -f json")).stdout)
    assert denominator["rule_means"] == "two-thirds: 24 of 35"
    tally = json.loads(ok(run("tally R-DEN --format json")).stdout)
    assert (tally["eligible"], tally["required"]) == (34, 24)

    # refused, and nothing written
    before = support.row_counts(seeded_db)
    for args, message in BAD_RESOLUTIONS:
        refused = run("resolution add R-BAD --meeting GA-47 --title Bad", *args)
        assert (refused.exit_code, lines(refused.stderr)[0]) == (1, message), args

    # codes are unique
    for command, message in [
        ("member add ARG --name Argentina", "Error: member ARG exists already (Argentina)"),
        ("meeting add GA-47 --org OAS --start 2017-06-19", "Error: meeting GA-47 exists already"),
        (
            "resolution add MOC29-COMPROMISE --meeting MOC-29 --title again",
            "Error: resolution MOC29-COMPROMISE exists already",
        ),
    ]:
        refused = run(command)
        assert (refused.exit_code, lines(refused.stderr)[0]) == (1, message), command
    assert support.row_counts(seeded_db) == before


# -- add, then show and list in every format --------------------------------------------------


def check_show(cli: Cli, db: str, noun: str, code: str) -> None:
    for fmt in FORMATS:
        run = ok(cli("--db", db, noun, "show", code, "--format", fmt))
        if fmt == "json":
            document = json.loads(run.stdout)
            assert isinstance(document, dict)
            assert document["code"] == code
        elif fmt == "csv":
            reader = csv.DictReader(io.StringIO(run.stdout))
            assert reader.fieldnames is not None and "code" in reader.fieldnames
            assert [row["code"] for row in reader] == [code]
        elif fmt == "markdown":
            assert any(line.startswith("|---") for line in run.stdout.splitlines())
            assert f"| code | {code} |" in run.stdout
        else:
            assert code in run.stdout


def check_list(cli: Cli, db: str, noun: str, code: str) -> None:
    for fmt in FORMATS:
        run = ok(cli("--db", db, noun, "list", "--format", fmt))
        if fmt == "json":
            document = json.loads(run.stdout)
            assert isinstance(document, list)
            assert code in [row["code"] for row in document]
        elif fmt == "csv":
            reader = csv.DictReader(io.StringIO(run.stdout))
            assert reader.fieldnames is not None and reader.fieldnames[0] == "code"
            assert code in [row["code"] for row in reader]
        elif fmt == "markdown":
            markdown = run.stdout.splitlines()
            assert markdown[0].startswith("| Code |")
            assert markdown[1].startswith("|---")
            assert any(line.startswith(f"| {code} |") for line in markdown)
        else:
            assert code in run.stdout


def test_add_then_show_and_list_every_noun(cli: Cli, seeded_db: str) -> None:
    db = seeded_db
    added = ok(
        cli(
            "--db",
            db,
            "member",
            "add",
            "XYZ",
            "--name",
            "Xyzland",
            "--org",
            "OAS",
            "--start",
            "2020-01-01",
        )
    )
    assert lines(added.stderr) == ["added member XYZ (Xyzland), active in OAS from 2020-01-01."]
    added = ok(
        cli("--db", db, "bloc", "add", "TESTB", "--name", "Test bloc", "-m", "ARG", "-m", "XYZ")
    )
    assert lines(added.stderr) == ["added bloc TESTB (Test bloc): 2 members added (ARG XYZ)."]
    added = ok(
        cli(
            "--db",
            db,
            "meeting",
            "add",
            "GA-99",
            "--org",
            "OAS",
            "--start",
            "2030-01-01",
            "--title",
            "Test meeting",
            "--venue",
            "Nowhere",
        )
    )
    assert lines(added.stderr) == ["added meeting GA-99 of OAS, 2030-01-01."]
    added = ok(
        cli(
            "--db",
            db,
            "resolution",
            "add",
            "R-1",
            "--meeting",
            "GA-99",
            "--title",
            "Test text",
            "--rule",
            "absolute",
            "--sponsor",
            "ARG",
            "--sponsor",
            "TESTB",
        )
    )
    # in 2030: 35 seeded, less CUB (non-participating), NIC and VEN (withdrawn), plus XYZ
    assert lines(added.stderr) == ["added resolution R-1 at GA-99 (absolute: 17 of 33)."]

    for noun, code in [
        ("member", "XYZ"),
        ("bloc", "TESTB"),
        ("meeting", "GA-99"),
        ("resolution", "R-1"),
    ]:
        check_show(cli, db, noun, code)
        check_list(cli, db, noun, code)

    member = json.loads(ok(cli("--db", db, "member", "show", "XYZ", "-f", "json")).stdout)
    assert member["memberships"] == [
        {
            "org": "OAS",
            "status": "active",
            "start": "2020-01-01",
            "end": None,
            "veto": False,
            "weight": None,
            "note": None,
        }
    ]
    assert [b["bloc"] for b in member["blocs"]] == ["TESTB"]
    bloc = json.loads(ok(cli("--db", db, "bloc", "show", "TESTB", "-f", "json")).stdout)
    assert [m["member"] for m in bloc["members"]] == ["ARG", "XYZ"]
    resolution = json.loads(ok(cli("--db", db, "resolution", "show", "R-1", "-f", "json")).stdout)
    assert resolution["sponsors"] == ["ARG", "TESTB"]
    assert resolution["meeting"] == "GA-99"
    meeting = json.loads(ok(cli("--db", db, "meeting", "show", "GA-99", "-f", "json")).stdout)
    assert [r["code"] for r in meeting["resolutions"]] == ["R-1"]
    assert meeting["venue"] == "Nowhere"
    listed = json.loads(
        ok(cli("--db", db, "resolution", "list", "--meeting", "GA-99", "-f", "json")).stdout
    )
    assert [r["code"] for r in listed] == ["R-1"]


def test_user_text_comes_out_as_typed_and_harmless(cli: Cli, seeded_db: str) -> None:
    ok(
        cli(
            "--db",
            seeded_db,
            "member",
            "add",
            "XFM",
            "--name",
            '=HYPERLINK("x")',
            "--org",
            "OAS",
            "--since-always",
        )
    )
    run = ok(cli("--db", seeded_db, "member", "list", "--format", "csv"))
    row = next(r for r in csv.DictReader(io.StringIO(run.stdout)) if r["code"] == "XFM")
    assert row["name"] == '\'=HYPERLINK("x")'
    # JSON is for programs: the name comes back as typed
    listed = json.loads(ok(cli("--db", seeded_db, "member", "list", "-f", "json")).stdout)
    assert next(m for m in listed if m["code"] == "XFM")["name"] == '=HYPERLINK("x")'

    # markup in user text prints as typed
    ok(
        cli(
            "--db",
            seeded_db,
            "resolution",
            "add",
            "R-MK",
            "--meeting",
            "GA-47",
            "--title",
            "[draft] text",
        )
    )
    ok(
        cli(
            "--db",
            seeded_db,
            "vote",
            "R-MK",
            "yes",
            "ARG",
            "--note",
            "[draft]",
            "--source",
            "[bold]call[/bold]",
        )
    )
    history = ok(cli("--db", seeded_db, "history", "R-MK"))
    assert "[draft]" in history.stdout
    assert "[bold]call[/bold]" in history.stdout
    shown = ok(cli("--db", seeded_db, "resolution", "show", "R-MK"))
    assert "R-MK — [draft] text" in shown.stdout


def test_version(cli: Cli) -> None:
    run = ok(cli("--version"))
    assert run.stdout == f"oastrack {__version__}\n"


# -- vote: what is refused, and nothing written -----------------------------------------------


C = "MOC29-COMPROMISE"
NO_CODE = ["Error: no member or bloc 'XXX'", "Hint: see: oastrack member list, oastrack bloc list"]
BAD_VOTES: list[tuple[list[str], list[str]]] = [
    (
        [C, "yes", "CUB"],
        ["Error: CUB is not an active member of OAS on 2017-06-19 (non-participating)"],
    ),
    ([C, "maybe", "ARG"], [f"Error: 'maybe' is not a position; use one of: {POSITIONS_TEXT}"]),
    ([C, "yes", "ARG", "--confidence", "1.5"], ["Error: confidence '1.5' is outside 0-1"]),
    (
        [C, "yes", "ARG", "--confidence", "high"],
        ["Error: confidence 'high' is not a number between 0 and 1"],
    ),
    ([C, "yes", "XXX"], NO_CODE),
    # a bad code after good ones: the good ones are not logged either
    ([C, "yes", "ARG", "BRA", "XXX"], NO_CODE),
    # an ineligible member after eligible ones, likewise
    (
        [C, "yes", "ARG", "CUB"],
        ["Error: CUB is not an active member of OAS on 2017-06-19 (non-participating)"],
    ),
    (
        [C, "yes", "ARG", "--at", "June 19"],
        ["Error: 'June 19' is not a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"],
    ),
    (
        ["NOPE", "yes", "ARG"],
        ["Error: no resolution 'NOPE'", "Hint: see: oastrack resolution list"],
    ),
]


def test_vote_refuses_bad_input_and_writes_nothing(cli: Cli, seeded_db: str) -> None:
    history = ok(cli("--db", seeded_db, "history", C, "-f", "json")).stdout
    before = support.row_counts(seeded_db)
    for args, expected in BAD_VOTES:
        run = cli("--db", seeded_db, "vote", *args)
        assert (run.exit_code, lines(run.stderr), run.stdout) == (1, expected, ""), args
    assert support.row_counts(seeded_db) == before
    assert ok(cli("--db", seeded_db, "history", C, "-f", "json")).stdout == history


@pytest.mark.parametrize(
    "args",
    [
        ["vote", "MOC29-COMPROMISE"],
        ["vote"],
        ["tally"],
        ["resolution", "show"],
        ["member", "add"],
        ["meeting", "add", "GA-99", "--org", "OAS"],
        ["tally", "MOC29-COMPROMISE", "--no-such-option"],
        ["tally", "MOC29-COMPROMISE", "--format", "yaml"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(cli: Cli, sqlite_db: str, args: list[str]) -> None:
    # Typer's own errors, before any database work: one back end is enough
    before = support.row_counts(sqlite_db)
    run = cli("--db", sqlite_db, *args)
    assert run.exit_code == 2, run.stderr
    assert "Usage:" in run.stderr
    assert run.stdout == ""
    assert support.row_counts(sqlite_db) == before


def test_missing_argument_names_it(cli: Cli, sqlite_db: str) -> None:
    run = cli("--db", sqlite_db, "vote", "MOC29-COMPROMISE")
    assert run.exit_code == 2
    assert "Missing argument 'POSITION'" in run.stderr


# -- the default database ---------------------------------------------------------------------


def test_default_database_is_created_and_seeded_on_first_use(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "oastrack" / "oastrack.db"
    assert not expected.exists()

    first = ok(cli("member", "list", "--org", "OAS", "--format", "json"))
    assert len(json.loads(first.stdout)) == 35
    assert lines(first.stderr) == [
        f"Created the oastrack database at {expected} (reference data loaded: the OAS, the UN"
        " Security Council, the Council of the EU)."
    ]
    assert expected.is_file()
    assert stat.S_IMODE(expected.stat().st_mode) == 0o600

    second = ok(cli("tally", "MOC29-COMPROMISE", "--format", "json"))
    assert second.stderr == ""
    assert json.loads(second.stdout)["counts"]["yes"] == 20
    assert support.count(str(expected), "member") == 70
