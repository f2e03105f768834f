"""Broken input files: each one is refused with exact `FILE:LINE: reason` lines and exit 1.

The corpus is in tests/io/broken/, one small hand-made file per case (the gzip cases are made by
a fixture from the same text). Every case runs on SQLite and PostgreSQL and checks:

* exit code 1 and nothing on stdout;
* stderr is exactly the problem lines (`FILE:LINE: reason`, the first 20, then
  `… and N more problems`), then `Error: N problems; nothing was imported`, then the hint;
* the database is unchanged: the row count of every table and the full `export positions` in
  JSON Lines are the same before and after.

The cases share one seeded database per back end (module_db): none of them may change it.

FILE is the path exactly as the test passes it, so the expected lines are written with `{f}`.

What a file with a header and no rows does: a CSV with the canonical header and no data rows is
0 rows, not an error (exit 0, `0 rows read … 0 added`); see test_header_only_is_zero_rows. A
header without the required columns is refused whether or not rows follow it.
"""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

BROKEN = Path(__file__).resolve().parent / "broken"
HINT = "Hint: fix the rows above; --dry-run checks a file without writing"
POSITIONS = "yes, lean-yes, undecided, lean-no, no, abstain, absent"
RULES = (
    "simple, two-thirds-voting, absolute, two-thirds, consensus, fixed, security-council, "
    "security-council-procedural, qualified-majority, reinforced-qualified-majority, or the "
    "general form: members>=F, voting>=F, yes>=N, yes>no, no-objection, weight>=F, veto, "
    "blocking>=K (F a fraction such as 3/5 or a percentage such as 85%), for example "
    "'members>=3/5 weight>=85%'"
)
SECTIONS = (
    "organizations, members, memberships, blocs, bloc_members, meetings, resolutions, texts, "
    "positions"
)
TIME_HINT = "write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"


def tail(total: int) -> list[str]:
    """The two lines after the problems."""
    noun = "problem" if total == 1 else "problems"
    return [f"Error: {total} {noun}; nothing was imported", HINT]


@dataclass(frozen=True)
class Case:
    kind: str
    file: str
    problems: tuple[str, ...]  # `{f}` stands for the path as passed
    total: int | None = None  # when more problems than shown

    def expected(self, path: str) -> list[str]:
        shown = [line.replace("{f}", path) for line in self.problems]
        return shown + tail(self.total if self.total is not None else len(shown))


def _bad_positions() -> tuple[str, ...]:
    """positions_25_bad_rows.csv: 37 rows, every third one good; the first 20 bad are shown."""
    shown: list[str] = []
    for i in range(1, 38):
        if i % 3 and len(shown) < 20:
            shown.append(f"{{f}}:{i + 1}: 'nope{i}' is not a position; use one of: {POSITIONS}")
    return (*shown, "… and 5 more problems")


CASES = [
    # -- CSV structure --------------------------------------------------------------------------
    Case(
        "positions",
        "positions_wrong_column_count.csv",
        (
            "{f}:3: expected 9 fields, found 8",
            "{f}:4: expected 9 fields, found 10",
        ),
    ),
    Case(
        "positions",
        "positions_missing_required_column.csv",
        (
            "{f}:1: missing required column 'position' (columns: resolution, member, stance); "
            "map one with --map position=COLUMN",
        ),
    ),
    Case(
        "positions",
        "positions_header_only_wrong_columns.csv",
        (
            "{f}:1: missing required column 'resolution' (columns: country, vote); "
            "map one with --map resolution=COLUMN",
        ),
    ),
    Case(
        "positions",
        "positions_duplicate_header.csv",
        ("{f}:1: the header row names the column 'member' twice",),
    ),
    Case(
        "positions",
        "positions_unterminated_quote.csv",
        ("{f}:3: broken CSV quoting: a quoted field is not closed by the end of the file",),
    ),
    Case(
        "positions",
        "positions_quote_then_text.csv",
        (
            '{f}:2: broken CSV quoting: a closing " must be followed by a comma or the end of '
            "the line",
        ),
    ),
    Case(
        "positions",
        "positions_invalid_utf8.csv",
        ("{f}:3: not valid UTF-8 text (byte 0xe9); save the file as UTF-8",),
    ),
    Case(
        "positions",
        "positions_nul_byte.csv",
        ("{f}:4: the file contains a NUL byte; is it a binary file?",),
    ),
    Case("positions", "positions_empty.csv", ("{f}:1: the file is empty: expected a header row",)),
    Case(
        "positions",
        "positions_blank_lines_only.csv",
        ("{f}:1: the file is empty: expected a header row",),
    ),
    # -- JSON and JSON Lines structure ----------------------------------------------------------
    Case(
        "positions",
        "positions_truncated_array.json",
        ("{f}:4: malformed JSON: the file ends before the array is closed",),
    ),
    Case(
        "positions",
        "positions_truncated_in_string.json",
        ("{f}:3: malformed JSON: Unterminated string",),
    ),
    Case(
        "positions", "positions_object_not_array.json", ("{f}:1: expected a JSON array of objects",)
    ),
    Case(
        "positions",
        "positions_number_element.json",
        (
            "{f}:3: expected a JSON object, found a number",
            "{f}:4: expected a JSON object, found a string",
        ),
    ),
    Case(
        "positions",
        "positions_nested_value.json",
        ("{f}:1: position: a nested object is not allowed here",),
    ),
    Case("positions", "positions_trailing_comma.json", ("{f}:3: malformed JSON: Expecting value",)),
    Case(
        "positions",
        "positions_empty.json",
        ("{f}:1: the file is empty: expected a JSON array of objects",),
    ),
    Case(
        "positions",
        "positions_malformed_line.jsonl",
        (
            "{f}:2: malformed JSON: Expecting value",
            "{f}:4: expected a JSON object, found an array",
        ),
    ),
    # -- position rows --------------------------------------------------------------------------
    Case(
        "positions",
        "positions_unknown_resolution.csv",
        ("{f}:3: unknown resolution 'MOC29-NOPE' (add it first, or use --create-missing)",),
    ),
    Case(
        "positions",
        "positions_unknown_member.csv",
        ("{f}:3: unknown member 'XYZ' (add it first, or use --create-missing)",),
    ),
    Case(
        "positions",
        "positions_member_not_eligible.csv",
        ("{f}:3: CUB is not an active member of OAS on 2017-06-19",),
    ),
    Case(
        "positions",
        "positions_bad_position.csv",
        (f"{{f}}:2: 'maybe' is not a position; use one of: {POSITIONS}",),
    ),
    Case(
        "positions",
        "positions_bad_kind.csv",
        ("{f}:2: 'rumour' is not a kind; use projection or official",),
    ),
    Case(
        "positions",
        "positions_bad_recorded_at.csv",
        (
            f"{{f}}:2: '2017-06-31' is not a time; {TIME_HINT}",
            f"{{f}}:3: '19/06/2017' is not a time; {TIME_HINT}",
        ),
    ),
    Case(
        "positions",
        "positions_confidence_too_high.csv",
        ("{f}:2: confidence '1.5' is outside 0-1",),
    ),
    Case(
        "positions",
        "positions_confidence_not_a_number.jsonl",
        ("{f}:1: confidence 'abc' is not a number between 0 and 1",),
    ),
    Case(
        "positions",
        "positions_missing_value.csv",
        (
            "{f}:2: missing position",
            "{f}:3: missing resolution",
            "{f}:4: missing member",
        ),
    ),
    Case("positions", "positions_25_bad_rows.csv", _bad_positions(), total=25),
    Case(
        "positions",
        "positions_mixed_good_and_bad.csv",
        (
            "{f}:6: confidence 'abc' is not a number between 0 and 1",
            "{f}:8: CUB is not an active member of OAS on 2017-06-19",
        ),
    ),
    # -- members, blocs, meetings, resolutions --------------------------------------------------
    Case(
        "members",
        "members_end_before_start.csv",
        ("{f}:2: end 2019-12-31 comes before start 2020-01-01",),
    ),
    Case(
        "members",
        "members_bad_status.csv",
        ("{f}:3: status 'dormant' is not one of: active, non-participating, suspended, withdrawn",),
    ),
    Case(
        "members",
        "members_bad_date.jsonl",
        ("{f}:1: '2020-02-30' is not a date; write YYYY-MM-DD",),
    ),
    Case("blocs", "blocs_unknown_member.csv", ("{f}:3: no member 'XYZ'",)),
    Case(
        "meetings",
        "meetings_missing_start_column.csv",
        (
            "{f}:1: missing required column 'start' (columns: code, org, title); "
            "map one with --map start=COLUMN",
        ),
    ),
    Case("meetings", "meetings_empty_start.jsonl", ("{f}:2: missing start",)),
    Case(
        "meetings",
        "meetings_end_before_start.csv",
        ("{f}:2: end 2020-05-01 comes before start 2020-05-02",),
    ),
    Case(
        "resolutions",
        "resolutions_required_x.csv",
        (
            "{f}:2: required 'x' is not a whole number",
            "{f}:3: required must be at least 1, not 0",
        ),
    ),
    Case(
        "resolutions",
        "resolutions_unknown_rule.csv",
        (f"{{f}}:3: 'majority' is not a decision rule; use one of: {RULES}",),
    ),
    Case(
        "resolutions", "resolutions_unknown_meeting.csv", ("{f}:2: no meeting 'NO-SUCH-MEETING'",)
    ),
    # The row that names the missing resolution, not line 0.
    Case(
        "resolutions",
        "resolutions_dangling_alternative.csv",
        ("{f}:2: alternative_to names no resolution 'RX-NOWHERE'",),
    ),
    # -- snapshots ------------------------------------------------------------------------------
    Case(
        "snapshot",
        "snapshot_missing_format_key.json",
        ('{f}:1: not an oastrack snapshot: it must start with "oastrack_snapshot": 1',),
    ),
    Case(
        "snapshot",
        "snapshot_empty_object.json",
        ('{f}:1: not an oastrack snapshot: no "oastrack_snapshot"',),
    ),
    Case(
        "snapshot",
        "snapshot_array.json",
        ("{f}:1: malformed snapshot: expected a JSON object (an oastrack snapshot), found '['",),
    ),
    Case(
        "snapshot",
        "snapshot_wrong_version.json",
        ("{f}:1: snapshot version 2 is not supported (this oastrack reads version 1)",),
    ),
    Case(
        "snapshot",
        "snapshot_unknown_section.json",
        (f"{{f}}:5: unknown section 'treaties'; sections are: {SECTIONS}",),
    ),
    Case(
        "snapshot",
        "snapshot_bad_items.json",
        (
            "{f}:4: missing name",
            "{f}:5: each item of members must be an object",
            f"{{f}}:8: 'maybe' is not a position; use one of: {POSITIONS}",
        ),
    ),
    Case(
        "snapshot",
        "snapshot_unclosed.json",
        ("{f}:5: malformed snapshot: expected ',' or ']', found the end of the file",),
    ),
    # The same words as the other JSON reader: no dangling "starting at".
    Case("snapshot", "snapshot_truncated.json", ("{f}:4: malformed JSON: Unterminated string",)),
    # The line of the bad byte, and the same words as the CSV and JSON readers.
    Case(
        "snapshot",
        "snapshot_invalid_utf8.json",
        ("{f}:4: not valid UTF-8 text (byte 0xe9); save the file as UTF-8",),
    ),
    Case(
        "snapshot",
        "snapshot_nul_byte.json",
        ("{f}:4: the file contains a NUL byte; is it a binary file?",),
    ),
    Case(
        "snapshot",
        "snapshot_dangling_alternative.json",
        ("{f}:4: alternative_to names no resolution 'RX-NOWHERE'",),
    ),
]


def state(cli: Cli, db: str) -> tuple[dict[str, int], str]:
    """What must not change: the row count of every table, and every position."""
    positions = cli("--db", db, "export", "positions", "--format", "jsonl")
    assert positions.exit_code == 0, positions.stderr
    return support.row_counts(db), positions.stdout


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def refused(cli: Cli, db: str, kind: str, path: str, *extra: str) -> list[str]:
    """Import `path`, check it is refused with nothing written; the stderr lines."""
    before = state(cli, db)
    run = cli("--db", db, "import", kind, path, *extra)
    assert run.exit_code == 1, run.stderr
    assert run.stdout == ""
    assert state(cli, db) == before
    return lines(run.stderr)


def test_the_corpus_is_all_used() -> None:
    on_disk = sorted(p.name for p in BROKEN.iterdir() if p.is_file())
    assert on_disk == sorted(case.file for case in CASES)
    assert len(on_disk) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_broken_file_is_refused(cli: Cli, module_db: str, case: Case) -> None:
    path = str(BROKEN / case.file)
    assert refused(cli, module_db, case.kind, path) == case.expected(path)


DRY_RUN_FILES = {
    "positions_wrong_column_count.csv",
    "positions_mixed_good_and_bad.csv",
    "resolutions_unknown_rule.csv",
    "snapshot_bad_items.json",
}
DRY_RUN_CASES = [case for case in CASES if case.file in DRY_RUN_FILES]


@pytest.mark.parametrize("case", DRY_RUN_CASES, ids=[case.file for case in DRY_RUN_CASES])
def test_dry_run_reports_the_same_problems(cli: Cli, module_db: str, case: Case) -> None:
    path = str(BROKEN / case.file)
    assert refused(cli, module_db, case.kind, path, "--dry-run") == case.expected(path)


# -- gzip -------------------------------------------------------------------------------------

# Text cases whose gzip'd copy must give the same lines (on SQLite; the reading is the same).
GZ_CASES = [case for case in CASES if case.kind == "positions" or case.kind == "snapshot"]


@pytest.fixture(scope="module")
def sqlite_db(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded SQLite database for the gzip cases (reading gzip is the same on both back ends)."""
    path = tmp_path_factory.mktemp("gz-db") / "oastrack.db"
    shutil.copyfile(sqlite_template, path)
    return str(path)


@pytest.fixture(scope="module")
def gz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gzip'd copies of the corpus, and gzip files broken as gzip."""
    folder = tmp_path_factory.mktemp("broken-gz")
    for case in CASES:
        data = (BROKEN / case.file).read_bytes()
        (folder / f"{case.file}.gz").write_bytes(gzip.compress(data, mtime=0))
    good = b"resolution,member,position\nMOC29-ORIGINAL,ARG,yes\nMOC29-ORIGINAL,BRA,no\n"
    # The deflate stream cut short, and the 8-byte trailer missing.
    whole = gzip.compress(good, mtime=0)
    (folder / "positions_cut.csv.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "positions_no_trailer.csv.gz").write_bytes(whole[:-8])
    # The gzip magic, then an unknown compression method.
    (folder / "positions_bad_method.csv.gz").write_bytes(b"\x1f\x8b\x09\x00" + b"\x00" * 20)
    snapshot = gzip.compress((BROKEN / "snapshot_bad_items.json").read_bytes(), mtime=0)
    (folder / "snapshot_cut.json.gz").write_bytes(snapshot[: len(snapshot) // 2])
    # Big enough that the cut comes after many good rows (more than one 64 KiB chunk).
    rows = "".join(
        f"MOC29-ORIGINAL,ARG,yes,projection,2017-06-{1 + i // 1440:02d}T{i // 60 % 24:02d}:"
        f"{i % 60:02d}:00Z,alice,0.5,bulk,row {i}\n"
        for i in range(6000)
    )
    header = "resolution,member,position,kind,recorded_at,analyst,confidence,source,note\n"
    big = gzip.compress((header + rows).encode(), mtime=0)
    (folder / "positions_big_cut.csv.gz").write_bytes(big[: len(big) * 3 // 4])
    return folder


@pytest.mark.parametrize("case", GZ_CASES, ids=[case.file for case in GZ_CASES])
def test_gzipped_broken_file_gives_the_same_lines(
    cli: Cli, sqlite_db: str, gz_dir: Path, case: Case
) -> None:
    path = str(gz_dir / f"{case.file}.gz")
    assert refused(cli, sqlite_db, case.kind, path) == case.expected(path)


TRUNCATED = "the gzip data ends too early; is the file truncated?"

GZ_BROKEN = [
    Case("positions", "positions_cut.csv.gz", (f"{{f}}:1: {TRUNCATED}",)),
    Case("positions", "positions_no_trailer.csv.gz", (f"{{f}}:1: {TRUNCATED}",)),
    Case(
        "positions",
        "positions_bad_method.csv.gz",
        ("{f}:1: the gzip data is damaged (Unknown compression method)",),
    ),
    Case("snapshot", "snapshot_cut.json.gz", (f"{{f}}:1: {TRUNCATED}",)),
]


@pytest.mark.parametrize("case", GZ_BROKEN, ids=[case.file for case in GZ_BROKEN])
def test_broken_gzip_is_refused(cli: Cli, module_db: str, gz_dir: Path, case: Case) -> None:
    path = str(gz_dir / case.file)
    assert refused(cli, module_db, case.kind, path) == case.expected(path)


def test_gzip_cut_after_many_rows(cli: Cli, module_db: str, gz_dir: Path) -> None:
    """The line is where the data stops: past the first chunk, before the end of the file."""
    path = str(gz_dir / "positions_big_cut.csv.gz")
    got = refused(cli, module_db, "positions", path)
    assert got[1:] == tail(1)
    found = re.fullmatch(rf"{re.escape(path)}:(\d+): {re.escape(TRUNCATED)}", got[0])
    assert found is not None, got[0]
    assert 600 < int(found.group(1)) <= 6001


# -- a header and no rows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("header_only.csv", "resolution,member,position\n"),
        ("header_only_crlf.csv", "resolution,member,position,kind,note\r\n\r\n,,,,\r\n"),
        ("empty_array.json", "[]\n"),
        ("blank.jsonl", "\n\n"),
    ],
)
def test_header_only_is_zero_rows(
    cli: Cli, module_db: str, tmp_path: Path, name: str, text: str
) -> None:
    """No data rows is not an error: exit 0, 0 rows read, nothing added."""
    path = tmp_path / name
    path.write_text(text, newline="")
    before = state(cli, module_db)
    run = cli("--db", module_db, "import", "positions", str(path))
    assert run.exit_code == 0, run.stderr
    [summary] = lines(run.stderr)
    assert re.fullmatch(
        rf"Imported 0 rows read from {re.escape(str(path))}: nothing added, none already present "
        r"\(\d+\.\d s\)\.",
        summary,
    ), summary
    assert state(cli, module_db) == before
