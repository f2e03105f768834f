"""Edge cases found in review: each test is what a user hit, and what they should see."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Cli = Callable[..., Run]


def test_a_dated_suspension_overrides_an_open_active_membership(cli: Cli, seeded_db: str) -> None:
    db = seeded_db
    assert cli("--db", db, "member", "add", "AAA", "--name", "Aaa", "--org", "T").exit_code == 0
    assert (
        cli(
            "--db",
            db,
            "member",
            "add",
            "AAA",
            "--org",
            "T",
            "--status",
            "suspended",
            "--start",
            "2021-01-01",
            "--end",
            "2021-06-30",
        ).exit_code
        == 0
    )
    for meeting, start in (("TM1", "2021-03-01"), ("TM2", "2021-08-01")):
        assert (
            cli("--db", db, "meeting", "add", meeting, "--org", "T", "--start", start).exit_code
            == 0
        )
        assert (
            cli(
                "--db",
                db,
                "resolution",
                "add",
                f"R-{meeting}",
                "--meeting",
                meeting,
                "--title",
                "t",
            ).exit_code
            == 0
        )
    during = cli("--db", db, "vote", "R-TM1", "yes", "AAA")
    assert during.exit_code == 1
    assert during.stderr.splitlines()[0] == (
        "Error: AAA is not an active member of T on 2021-03-01 (suspended)"
    )
    assert cli("--db", db, "vote", "R-TM2", "yes", "AAA").exit_code == 0
    tally = json.loads(cli("--db", db, "tally", "R-TM1", "--format", "json").stdout)
    assert tally["eligible"] == 0


def test_an_official_vote_cannot_be_a_lean(cli: Cli, seeded_db: str) -> None:
    result = cli("--db", seeded_db, "vote", "MOC29-ORIGINAL", "lean-yes", "ARG", "--official")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: an official vote is yes, no, abstain or absent, not lean-yes "
        "(log leans and undecided members as projections)"
    )
    history = cli("--db", seeded_db, "history", "MOC29-ORIGINAL", "--format", "json")
    assert json.loads(history.stdout) == []


def test_consensus_names_the_objections(cli: Cli, seeded_db: str) -> None:
    db = seeded_db
    assert (
        cli(
            "--db",
            db,
            "resolution",
            "add",
            "CONS",
            "--meeting",
            "GA-47",
            "--title",
            "c",
            "--rule",
            "consensus",
        ).exit_code
        == 0
    )
    assert cli("--db", db, "vote", "CONS", "yes", "ARG", "BRA").exit_code == 0
    assert cli("--db", db, "vote", "CONS", "no", "USA").exit_code == 0
    table = cli("--db", db, "tally", "CONS").stdout
    assert "Verdict FAILS" in table
    assert "Blocked by 1 no vote" in table


def test_export_follows_links_with_force_and_refuses_directories_and_gzip(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert cli("--db", seeded_db, "export", "members", "-o", str(link)).exit_code == 1
    assert target.read_text() == "old\n"
    assert cli("--db", seeded_db, "export", "members", "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink()
    assert target.read_text().startswith("code,name,org,status,start,end,veto,weight,note\n")
    directory = cli("--db", seeded_db, "export", "members", "-o", str(tmp_path))
    assert (directory.exit_code, directory.stderr.splitlines()[0]) == (
        1,
        f"Error: cannot write {tmp_path}: it is a directory",
    )
    gz = cli("--db", seeded_db, "export", "members", "-o", str(tmp_path / "m.csv.gz"))
    assert gz.exit_code == 1
    assert "pipe them instead" in gz.stderr
    assert not (tmp_path / "m.csv.gz").exists()


def test_exported_files_follow_the_umask(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert (
            cli("--db", seeded_db, "export", "members", "-o", str(tmp_path / "m.csv")).exit_code
            == 0
        )
    finally:
        os.umask(previous)
    assert (tmp_path / "m.csv").stat().st_mode & 0o777 == 0o644


def test_control_characters_never_reach_the_terminal(cli: Cli, seeded_db: str) -> None:
    assert (
        cli(
            "--db",
            seeded_db,
            "vote",
            "MOC29-ORIGINAL",
            "yes",
            "ARG",
            "--note",
            "\x1b[31mred [draft]",
        ).exit_code
        == 0
    )
    table = cli("--db", seeded_db, "history", "MOC29-ORIGINAL").stdout
    assert "\x1b" not in table
    assert "\\x1b[31mred [draft]" in table


def test_amend_from_stdin_that_is_not_utf8_is_one_clear_line(cli: Cli, seeded_db: str) -> None:
    from typer.testing import CliRunner

    from oastrack.cli.app import app

    result = CliRunner().invoke(
        app,
        ["--db", seeded_db, "resolution", "amend", "MOC29-ORIGINAL", "--text-file", "-"],
        input=b"caf\xe9",
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: cannot read -: it is not UTF-8 text"


def test_a_meeting_rule_cannot_be_fixed(cli: Cli, seeded_db: str) -> None:
    result = cli(
        "--db",
        seeded_db,
        "meeting",
        "add",
        "MX",
        "--org",
        "OAS",
        "--start",
        "2020-01-01",
        "--rule",
        "fixed",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: a meeting's default rule cannot be fixed")
