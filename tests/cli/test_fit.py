"""Tables that fit: at 80 and at 200 columns no value is split inside a word, no line is wider
than the terminal, and piped lines end without padding.

Each table is read against its own JSON: every word of every value the JSON holds must appear
whole, as one token, on some line of the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


WIDTHS = ["80", "200"]

# Records with the free text analysts write: a source and a note that must wrap between words.
NOTES = [
    (
        "HTI",
        "lean-yes",
        "call with the permanent mission, 21 June",
        "would move to yes if the mediation paragraph names the Secretary General",
    ),
    (
        "DOM",
        "undecided",
        "statement in the general committee",
        "waiting for instructions from the capital; the foreign minister is travelling",
    ),
    ("SUR", "lean-no", "corridor conversation", None),
]


@pytest.fixture
def day(cli: Cli, seeded_db: str) -> str:
    for member, position, source, note in NOTES:
        args = ["vote", "MOC29-CARICOM", position, member, "--source", source]
        args += ["--confidence", "0.6", "--at", "2017-06-19T10:30"]
        if note:
            args += ["--note", note]
        ok(cli("--db", seeded_db, "--analyst", "maria.fernanda", *args))
    return seeded_db


def words(document: Any) -> Iterator[str]:
    """Every word of every value in a JSON document (keys are not shown in tables)."""
    if isinstance(document, dict):
        for value in document.values():
            yield from words(value)
    elif isinstance(document, list):
        for value in document:
            yield from words(value)
    elif isinstance(document, bool) or document is None:
        return
    elif isinstance(document, int):
        yield f"{document:,}"
    elif isinstance(document, str):
        yield from document.split()


def check_fits(table: str, columns: str) -> set[str]:
    lines = table.splitlines()
    assert lines, "the table is empty"
    assert [line for line in lines if len(line) > int(columns)] == []
    assert [line for line in lines if line != line.rstrip()] == []
    tokens = {token for line in lines for token in line.split()}
    return tokens | {token.rstrip(",") for token in tokens}  # names listed with commas


def table_and_json(cli: Cli, db: str, *command: str) -> tuple[str, Any]:
    table = ok(cli("--db", db, *command)).stdout
    document = json.loads(ok(cli("--db", db, *command, "--format", "json")).stdout)
    return table, document


HEADERS = {"confidence": "Conf.", "analyst": "Analyst", "source": "Source"}


@pytest.mark.parametrize("columns", WIDTHS)
def test_history_keeps_times_codes_and_words_whole(
    cli: Cli, day: str, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    run = ok(cli("--db", day, "history", "MOC29-CARICOM"))
    document = json.loads(ok(cli("--db", day, "history", "MOC29-CARICOM", "-f", "json")).stdout)
    tokens = check_fits(run.stdout, columns)
    # Where words would have to fold, the spare columns give way, and the command says so.
    left_out = {key for key, header in HEADERS.items() if header in run.stderr}
    if columns == "80":
        assert run.stderr == "Not shown at 80 columns: Conf., Analyst (see --format csv).\n"
    else:
        assert run.stderr == ""
    hidden = {"logged_at", *left_out} | ({"confidence"} if "confidence" not in left_out else set())
    shown = [{k: v for k, v in r.items() if k not in hidden} for r in document]
    assert sorted(set(words(shown)) - tokens) == []
    assert {"2017-06-19T10:30:00Z", "undecided", "projection", "DOM"} <= tokens
    if columns == "200":
        assert "maria.fernanda" in tokens and "0.6" in tokens


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_seeded_history_keeps_its_source_whole(
    cli: Cli, seeded_db: str, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    table, document = table_and_json(cli, seeded_db, "history", "MOC29-COMPROMISE")
    tokens = check_fits(table, columns)
    assert sorted(set(words([r["source"] for r in document])) - tokens) == []
    assert "etcetera.com.mx)" in tokens  # the longest word of the seed's source


@pytest.mark.parametrize("columns", WIDTHS)
def test_tally_by_bloc_keeps_codes_and_counts_whole(
    cli: Cli, day: str, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    table, document = table_and_json(cli, day, "tally", "MOC29-COMPROMISE", "--by-bloc")
    tokens = check_fits(table, columns)
    blocs = document["by_bloc"]
    expected = {*blocs, *(key for counts in blocs.values() for key in counts)}
    expected |= set(words([counts for counts in blocs.values()]))
    assert sorted(set(words(sorted(expected))) - tokens) == []
    # the members who could have closed the gap, by name
    closers = [m["name"] for m in document["members"] if m["position"] in ("abstain", "absent")]
    assert len(closers) == 9
    assert sorted(set(words(closers)) - tokens) == []


@pytest.mark.parametrize("columns", WIDTHS)
def test_compare_keeps_codes_names_and_positions_whole(
    cli: Cli, day: str, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    table, document = table_and_json(cli, day, "compare", "MOC29-COMPROMISE", "MOC29-CARICOM")
    tokens = check_fits(table, columns)
    assert len(document["differences"]) == 34
    assert sorted(set(words(document["differences"])) - tokens) == []
    for side in ("left", "right"):
        assert document[side]["resolution"] in tokens
        assert sorted(set(words(document[side]["title"])) - tokens) == []


def test_a_heading_wraps_to_the_terminal_not_to_the_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from oastrack.render import output

    monkeypatch.setenv("COLUMNS", "40")
    title = "Agreement with USA in official votes since 2017-06-19"
    output.table([{"code": "ARG", "votes": 3}], ["code", "votes"], ["Code", "Votes"], title)
    assert capsys.readouterr().out.splitlines() == [
        "Agreement with USA in official votes",
        "since 2017-06-19",
        "Code  Votes",
        "───────────",
        "ARG       3",
    ]


def test_without_a_terminal_a_listing_does_not_wrap(tmp_path: Any, seeded_db: str) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    found = subprocess.run(
        [sys.executable, "-m", "oastrack", "--db", seeded_db, "history", "MOC29-COMPROMISE"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0] == "History of MOC29-COMPROMISE"
    rows = [line for line in lines[3:] if line]
    assert len(rows) == 34  # one line a record: nothing wrapped
    assert all(line.startswith("2017-06-19T00:00:00Z") for line in rows)
    assert max(len(line) for line in rows) > 120  # wider than the old fixed width
