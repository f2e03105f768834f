"""Corrections and the working day: a mistake undone without editing the past.

`retract` takes back a member's latest record, `resolution set` corrects the register, `member
end` and `bloc leave` end a term on its last day, and `member add` to an organization that has
met asks for a start. Each is checked as a user would: exit code, the lines printed, the tally.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.conftest import Run

Cli = Callable[..., Run]
RES = "MOC29-CARICOM"  # in the seed, with no positions logged


def ok(cli: Cli, *args: str) -> Run:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def refused(cli: Cli, *args: str) -> str:
    """The first line of stderr of a command that must fail with exit 1."""
    run = cli(*args)
    assert run.exit_code == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    return run.stderr.splitlines()[0]


def as_json(cli: Cli, db: str, *args: str) -> Any:
    return json.loads(ok(cli, "--db", db, *args, "--format", "json").stdout)


def tally(cli: Cli, db: str, res: str = RES, *extra: str) -> dict[str, Any]:
    found: dict[str, Any] = as_json(cli, db, "tally", res, *extra)
    return found


def projections(cli: Cli, db: str) -> None:
    """A live count on the CARICOM draft: five projections, in the morning of 19 June 2017."""
    for position, codes in (("yes", ["ATG", "DMA", "GRD"]), ("lean-no", ["MEX"])):
        ok(cli, "--db", db, "vote", RES, position, *codes, "--at", "2017-06-19T09:00")
    ok(cli, "--db", db, "vote", RES, "lean-yes", "HTI", "--at", "2017-06-19T09:30")


# -- retract ------------------------------------------------------------------------------------


def test_a_mistaken_official_record_retracted_gives_back_the_projection_tally(
    cli: Cli, seeded_db: str
) -> None:
    projections(cli, seeded_db)
    before = tally(cli, seeded_db)
    forecast = as_json(cli, seeded_db, "forecast", RES)
    assert (before["official"], before["verdict"], before["counts"]["yes"]) == (False, "open", 3)

    ok(cli, "--db", seeded_db, "vote", RES, "yes", "HTI", "--official", "--at", "2017-06-19T10:00")
    mistaken = tally(cli, seeded_db)
    assert (mistaken["official"], mistaken["verdict"], mistaken["counts"]["unknown"]) == (
        True,
        "fails",
        33,
    )

    run = ok(cli, "--db", seeded_db, "retract", RES, "HTI", "--note", "not the recorded vote")
    assert run.stderr.splitlines() == [
        "Retracted HTI's yes (official, 2017-06-19T10:00:00Z) on MOC29-CARICOM; it is now "
        "lean-yes (projection, 2017-06-19T09:30:00Z)."
    ]
    assert tally(cli, seeded_db) == before
    assert as_json(cli, seeded_db, "forecast", RES) == forecast


def test_retract_goes_back_one_record_at_a_time_then_to_unknown(cli: Cli, seeded_db: str) -> None:
    projections(cli, seeded_db)
    ok(cli, "--db", seeded_db, "vote", RES, "no", "ATG", "--at", "2017-06-19T11:00")
    assert tally(cli, seeded_db)["counts"]["yes"] == 2
    ok(cli, "--db", seeded_db, "retract", RES, "ATG")
    assert tally(cli, seeded_db)["counts"]["yes"] == 3
    run = ok(cli, "--db", seeded_db, "retract", RES, "ATG")
    assert run.stderr.strip().endswith("it now has no record (unknown).")
    found = tally(cli, seeded_db)
    assert (found["counts"]["yes"], found["counts"]["unknown"]) == (2, 30)
    assert refused(cli, "--db", seeded_db, "retract", RES, "ATG") == (
        "Error: ATG has no record on MOC29-CARICOM to retract"
    )


def test_a_retraction_of_nothing_is_an_error_and_writes_nothing(cli: Cli, seeded_db: str) -> None:
    projections(cli, seeded_db)
    history = as_json(cli, seeded_db, "history", RES)
    # One member with nothing to retract fails the whole command: DMA keeps its record.
    assert refused(cli, "--db", seeded_db, "retract", RES, "DMA", "VEN") == (
        "Error: VEN has no record on MOC29-CARICOM to retract"
    )
    assert refused(cli, "--db", seeded_db, "retract", RES, "XXX") == (
        "Error: no member or bloc 'XXX'"
    )
    assert refused(cli, "--db", seeded_db, "retract", "NOPE", "DMA") == (
        "Error: no resolution 'NOPE'"
    )
    assert as_json(cli, seeded_db, "history", RES) == history


def test_a_bloc_retracts_the_records_of_its_members_that_have_one(cli: Cli, seeded_db: str) -> None:
    projections(cli, seeded_db)
    run = ok(cli, "--db", seeded_db, "retract", RES, "CARICOM")
    retracted = [line.split("'")[0].removeprefix("Retracted ") for line in run.stderr.splitlines()]
    assert retracted == ["ATG", "DMA", "GRD", "HTI"]
    assert tally(cli, seeded_db)["counts"]["yes"] == 0
    assert refused(cli, "--db", seeded_db, "retract", RES, "CARICOM") == (
        "Error: none of CARICOM has a record on MOC29-CARICOM to retract"
    )


def test_history_shows_the_record_its_retraction_and_who_did_it(cli: Cli, seeded_db: str) -> None:
    ok(cli, "--db", seeded_db, "--analyst", "ann", "vote", RES, "yes", "ATG", "--at", "2017-06-19")
    ok(cli, "--db", seeded_db, "--analyst", "bob", "retract", RES, "ATG", "--note", "wrong draft")
    entries = as_json(cli, seeded_db, "history", RES)
    assert [(e["member"], e["kind"], e["analyst"]) for e in entries] == [
        ("ATG", "projection", "ann"),
        ("ATG", "retraction", "bob"),
    ]
    record, retraction = entries
    assert record["retracted_at"] == retraction["recorded_at"]
    assert retraction["retracts"] == "2017-06-19T00:00:00Z"
    assert (retraction["position"], retraction["note"]) == ("yes", "wrong draft")
    table = ok(cli, "--db", seeded_db, "history", RES).stdout
    assert "projection, retracted" in table
    assert "retracts 2017-06-19T00:00:00Z: wrong draft" in " ".join(table.split())
    # The filters: by kind, by analyst, from a time on.
    only = as_json(cli, seeded_db, "history", RES, "--kind", "retraction")
    assert [e["kind"] for e in only] == ["retraction"]
    assert [e["analyst"] for e in as_json(cli, seeded_db, "history", RES, "--analyst", "ann")] == [
        "ann"
    ]
    assert as_json(cli, seeded_db, "history", RES, "--since", "2017-06-20") == [retraction]
    assert refused(cli, "--db", seeded_db, "history", RES, "--kind", "rumour") == (
        "Error: unknown kind 'rumour'; use one of: projection, official, retraction"
    )


def test_exports_leave_retracted_records_out_of_the_counts(cli: Cli, seeded_db: str) -> None:
    """Export positions writes the records in force (a retracted one would count again on
    import); the Popolo vote event counts the record before the retracted one."""
    ok(cli, "--db", seeded_db, "vote", "MOC29-COMPROMISE", "no", "ATG", "--official")
    ok(cli, "--db", seeded_db, "retract", "MOC29-COMPROMISE", "ATG")
    rows = ok(cli, "--db", seeded_db, "export", "positions", "--format", "jsonl").stdout
    atg = [json.loads(r) for r in rows.splitlines() if '"ATG"' in r]
    assert [(r["resolution"], r["position"]) for r in atg] == [("MOC29-COMPROMISE", "abstain")]
    popolo = json.loads(
        ok(cli, "--db", seeded_db, "export", "snapshot", "--format", "popolo").stdout
    )
    (event,) = [e for e in popolo["vote_events"] if e["motion_id"] == "motion/MOC29-COMPROMISE"]
    counts = {c["option"]: c["value"] for c in event["counts"] if "group_id" not in c}
    assert (counts["yes"], counts["no"], counts["abstain"]) == (20, 5, 8)
    assert [v["option"] for v in event["votes"] if v["voter_id"] == "member/ATG"] == ["abstain"]


# -- resolution set -----------------------------------------------------------------------------


def test_resolution_set_records_each_change_and_the_tally_follows(cli: Cli, seeded_db: str) -> None:
    projections(cli, seeded_db)
    assert tally(cli, seeded_db)["required"] == 23
    run = ok(
        cli,
        "--db",
        seeded_db,
        "--analyst",
        "ann",
        "resolution",
        "set",
        RES,
        "--rule",
        "absolute",
        "--title",
        "CARICOM draft (corrected)",
        "-s",
        "CARICOM",
        "-s",
        "USA",
    )
    assert run.stderr.splitlines() == [
        "MOC29-CARICOM: title CARICOM draft: dialogue and mediation on Venezuela -> "
        "CARICOM draft (corrected).",
        "MOC29-CARICOM: rule two-thirds -> absolute.",
        "MOC29-CARICOM: sponsors CARICOM -> CARICOM;USA.",
    ]
    shown = as_json(cli, seeded_db, "resolution", "show", RES)
    assert (shown["title"], shown["rule"], shown["sponsors"]) == (
        "CARICOM draft (corrected)",
        "absolute",
        ["CARICOM", "USA"],
    )
    assert [(c["field"], c["old"], c["new"], c["analyst"]) for c in shown["changes"]] == [
        (
            "title",
            "CARICOM draft: dialogue and mediation on Venezuela",
            "CARICOM draft (corrected)",
            "ann",
        ),
        ("rule", "two-thirds", "absolute", "ann"),
        ("sponsors", "CARICOM", "CARICOM;USA", "ann"),
    ]
    found = tally(cli, seeded_db)
    assert (found["required"], found["counts"]["yes"]) == (18, 3)
    # A fixed requirement, then removed again with `none`.
    ok(cli, "--db", seeded_db, "resolution", "set", RES, "--required", "20")
    assert tally(cli, seeded_db)["required"] == 20
    ok(cli, "--db", seeded_db, "resolution", "set", RES, "--required", "none")
    assert tally(cli, seeded_db)["required"] == 18
    # Saying what is already so changes nothing and records nothing.
    again = ok(cli, "--db", seeded_db, "resolution", "set", RES, "--rule", "absolute")
    assert again.stderr.strip() == "MOC29-CARICOM already says so: nothing changed."
    assert len(as_json(cli, seeded_db, "resolution", "show", RES)["changes"]) == 5


def test_resolution_set_refuses_bad_input_and_changes_nothing(cli: Cli, seeded_db: str) -> None:
    before = as_json(cli, seeded_db, "resolution", "show", RES)
    assert refused(cli, "--db", seeded_db, "resolution", "set", RES) == "Error: nothing to change"
    assert refused(cli, "--db", seeded_db, "resolution", "set", RES, "--rule", "fixed") == (
        "Error: the fixed rule needs a number of votes (--required N)"
    )
    assert refused(cli, "--db", seeded_db, "resolution", "set", RES, "--status", "lost") == (
        "Error: 'lost' is not a status; use one of: draft, adopted, rejected, withdrawn"
    )
    assert refused(cli, "--db", seeded_db, "resolution", "set", RES, "-s", "ATG", "-s", "NOPE") == (
        "Error: sponsor 'NOPE' is neither a member nor a bloc"
    )
    assert refused(cli, "--db", seeded_db, "resolution", "set", RES, "--title", "  ") == (
        "Error: a resolution's title cannot be empty"
    )
    assert as_json(cli, seeded_db, "resolution", "show", RES) == before


def test_an_official_vote_leaves_the_status_to_the_user_and_the_tally_says_it(
    cli: Cli, seeded_db: str
) -> None:
    ok(cli, "--db", seeded_db, "resolution", "set", RES, "--status", "draft")
    ok(cli, "--db", seeded_db, "vote", RES, "yes", "ATG", "--official", "--at", "2017-06-19T12:00")
    assert as_json(cli, seeded_db, "resolution", "show", RES)["status"] == "draft"
    assert "Status:" not in ok(cli, "--db", seeded_db, "tally", RES).stdout
    ok(cli, "--db", seeded_db, "resolution", "set", RES, "--status", "withdrawn")
    lines = ok(cli, "--db", seeded_db, "tally", RES).stdout.splitlines()
    assert lines[2] == "Status: withdrawn"
    assert tally(cli, seeded_db)["status"] == "withdrawn"
    # `resolution status` is the same correction, recorded the same way.
    ok(cli, "--db", seeded_db, "resolution", "status", RES, "rejected")
    changes = as_json(cli, seeded_db, "resolution", "show", RES)["changes"]
    assert [(c["old"], c["new"]) for c in changes] == [
        ("rejected", "draft"),
        ("draft", "withdrawn"),
        ("withdrawn", "rejected"),
    ]


# -- terms --------------------------------------------------------------------------------------


def test_member_add_after_2017_leaves_the_2017_tallies_untouched(cli: Cli, seeded_db: str) -> None:
    before = tally(cli, seeded_db, "MOC29-COMPROMISE")
    assert refused(
        cli, "--db", seeded_db, "member", "add", "XNW", "--name", "New", "--org", "OAS"
    ) == (
        "Error: OAS has met since 2017-06-19: with no start, XNW would count as a member at every "
        "meeting, and past tallies would change"
    )
    assert refused(cli, "--db", seeded_db, "member", "show", "XNW") == "Error: no member 'XNW'"
    ok(
        cli,
        "--db",
        seeded_db,
        "member",
        "add",
        "XNW",
        "--name",
        "New",
        "--org",
        "OAS",
        "--start",
        "2024-01-01",
    )
    assert tally(cli, seeded_db, "MOC29-COMPROMISE") == before
    assert "23 of 34" in ok(cli, "--db", seeded_db, "tally", "MOC29-COMPROMISE").stdout
    # --since-always says it was always a member: then the 2017 count includes it, as asked.
    ok(
        cli,
        "--db",
        seeded_db,
        "member",
        "add",
        "XAL",
        "--name",
        "Always",
        "--org",
        "OAS",
        "--since-always",
    )
    assert tally(cli, seeded_db, "MOC29-COMPROMISE")["eligible"] == 35
    assert (
        refused(
            cli,
            "--db",
            seeded_db,
            "member",
            "add",
            "XAL",
            "--org",
            "OAS",
            "--since-always",
            "--start",
            "2020-01-01",
        )
        == "Error: give --start or --since-always, not both"
    )


def test_member_end_ends_a_term_without_rewriting_the_past(cli: Cli, seeded_db: str) -> None:
    ok(cli, "--db", seeded_db, "meeting", "add", "GA-2024", "--org", "OAS", "--start", "2024-06-26")
    ok(
        cli,
        "--db",
        seeded_db,
        "resolution",
        "add",
        "GA24-X",
        "--meeting",
        "GA-2024",
        "--title",
        "X",
    )
    before = tally(cli, seeded_db, "MOC29-COMPROMISE")
    assert tally(cli, seeded_db, "GA24-X")["eligible"] == 32
    assert refused(
        cli, "--db", seeded_db, "member", "end", "ARG", "--org", "OAS", "--on", "2017-06-18"
    ) == ("Error: ARG has records at meetings of OAS after 2017-06-18: MOC29-COMPROMISE")
    run = ok(cli, "--db", seeded_db, "member", "end", "ARG", "--org", "OAS", "--on", "2023-11-18")
    assert run.stderr.strip() == "ARG's membership of OAS ends on 2023-11-18."
    assert tally(cli, seeded_db, "MOC29-COMPROMISE") == before
    assert tally(cli, seeded_db, "GA24-X")["eligible"] == 31
    assert refused(cli, "--db", seeded_db, "vote", "GA24-X", "yes", "ARG") == (
        "Error: ARG is not a member of OAS on 2024-06-26"
    )
    assert refused(
        cli, "--db", seeded_db, "member", "end", "ARG", "--org", "OAS", "--on", "2024-01-01"
    ) == ("Error: ARG has no open-ended membership of OAS to end")


def test_bloc_leave_ends_a_bloc_term_on_its_last_day(cli: Cli, seeded_db: str) -> None:
    ok(cli, "--db", seeded_db, "meeting", "add", "GA-2024", "--org", "OAS", "--start", "2024-06-26")
    ok(
        cli,
        "--db",
        seeded_db,
        "resolution",
        "add",
        "GA24-X",
        "--meeting",
        "GA-2024",
        "--title",
        "X",
    )
    run = ok(cli, "--db", seeded_db, "bloc", "leave", "CARICOM", "HTI", "--on", "2020-12-31")
    assert run.stderr.strip() == "HTI leaves CARICOM on 2020-12-31: its last day in the bloc."
    logged = ok(cli, "--db", seeded_db, "vote", "GA24-X", "yes", "CARICOM").stderr
    assert "HTI" not in logged
    logged_2017 = ok(
        cli, "--db", seeded_db, "vote", RES, "yes", "CARICOM", "--at", "2017-06-19"
    ).stderr
    assert " HTI " in logged_2017
    members = as_json(cli, seeded_db, "bloc", "show", "CARICOM")["members"]
    assert [m["end"] for m in members if m["member"] == "HTI"] == ["2020-12-31"]
    assert refused(
        cli, "--db", seeded_db, "bloc", "leave", "CARICOM", "HTI", "--on", "2021-01-01"
    ) == ("Error: HTI has no open-ended membership of bloc CARICOM to end")


def test_a_vote_dated_now_on_a_meeting_long_over_warns(cli: Cli, seeded_db: str) -> None:
    run = ok(cli, "--db", seeded_db, "vote", RES, "yes", "ATG")
    warning = run.stderr.splitlines()[1]
    assert warning.startswith("Warning: MOC-29 ended on 2017-06-19; this record is dated now (")
    assert warning.endswith("retract it and log it again with --at TIME.")
    quiet = ok(cli, "--db", seeded_db, "vote", RES, "yes", "DMA", "--at", "2017-06-19T12:00")
    assert "Warning" not in quiet.stderr


def test_member_positions_and_the_timeline_skip_a_retracted_record(
    cli: Cli, seeded_db: str
) -> None:
    projections(cli, seeded_db)
    ok(cli, "--db", seeded_db, "vote", RES, "no", "HTI", "--official", "--at", "2017-06-19T10:00")
    ok(cli, "--db", seeded_db, "retract", RES, "HTI")
    listed = as_json(cli, seeded_db, "member", "positions", "HTI")
    mine = [row for row in listed if row["resolution"] == RES]
    assert [(r["position"], r["kind"]) for r in mine] == [("lean-yes", "projection")]
    steps = as_json(cli, seeded_db, "chart", RES, "--timeline")["steps"]
    assert all(not step["official"] for step in steps)
