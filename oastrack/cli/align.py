"""`oastrack align`: how often members vote alike in official votes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from oastrack.cli.common import (
    ForceOption,
    FormatOption,
    LimitOption,
    code,
    done,
    fmt,
    maybe_date,
    open_database,
    output_file,
    write_svg,
)
from oastrack.cli.completion import SinceOption, complete_member, member_argument
from oastrack.render import Format
from oastrack.render.matrix import Cells
from oastrack.store.db import Database

if TYPE_CHECKING:
    from datetime import date

    from oastrack.io.outfile import OutFile


def align(
    ctx: typer.Context,
    member: Annotated[str | None, member_argument("A member's code (none with --matrix).")] = None,
    other: Annotated[
        str | None, member_argument("Another member. Default: every member, most alike first.")
    ] = None,
    since: SinceOption = None,
    limit: LimitOption = None,
    matrix: Annotated[
        bool,
        typer.Option(
            "--matrix",
            help="Every pair of members at once (no CODE): a table of each member's nearest "
            "and farthest, a square CSV, JSON pairs, or a clustered heatmap with --svg.",
        ),
    ] = False,
    members: Annotated[
        list[str] | None,
        typer.Option(
            "--member",
            metavar="CODE",
            help="With --matrix: only these members, in this order (repeat the option); the "
            "table is then a grid of them.",
            autocompletion=complete_member,
            show_default=False,
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            metavar="ORG",
            help="With --matrix: only official votes at this organization's meetings.",
        ),
    ] = None,
    cells: Annotated[
        Cells,
        typer.Option(
            case_sensitive=False,
            help="With --matrix --format csv: what a cell holds: the share agreed (0 to 1, "
            "rounded half up to 4 decimals, empty if never compared), or the count of roll "
            "calls agreed or compared.",
        ),
    ] = Cells.SHARE,
    svg: Annotated[
        str | None,
        typer.Option(
            "--svg",
            metavar="FILE",
            help="With --matrix: write the clustered heatmap as an SVG picture to FILE "
            "(- for standard output).",
        ),
    ] = None,
    format: FormatOption = None,
    force: ForceOption = False,
) -> None:
    """How often members vote alike in official votes.

    Two roll calls are compared when both members voted yes, no or abstain (an absence says
    nothing about agreeing); `agreement` is the share of them on which they voted the same.
    With one member: its agreement with every other member, most alike first.

    With --matrix: the agreement of every pair of members in one pass, the same counts as
    `align A B` gives for each pair, for every member that voted (or those chosen with
    --member, in that order). The table (and markdown) shows each member's nearest and
    farthest member among those compared with it on 10 roll calls or more; with --member, a
    grid of whole percentages instead (80 columns hold about 12 members). CSV is a square
    matrix a spreadsheet opens: a header row of codes, then one row per member, each cell as
    --cells says (a member against itself: its own votes). JSON is an array of the pairs
    compared at least once, each once, with `agreed`, `compared` and `agreement`. --svg draws
    a heatmap with the members ordered by average-linkage clustering of their agreement, so
    that members who vote alike sit together.
    """
    _check_usage(matrix, member, limit, members, org, svg, cells)
    planned = None if svg in (None, "-") else output_file(ctx, svg, force=force)
    db = open_database(ctx)
    from oastrack.store import alignment

    day = maybe_date(since)
    if matrix:
        chosen = list(dict.fromkeys(code(m) for m in members or []))  # each once
        _matrix(db, day, code(org) if org else None, chosen, fmt(format), cells, svg, planned)
        return
    assert member is not None
    first = code(member)
    if other is None:
        found = db.read(lambda: alignment.align_all(db, first, day, limit))
    else:
        second = code(other)
        found = [db.read(lambda: alignment.align_pair(db, first, second, day))]
    from oastrack.render.analysis import show_agreements

    show_agreements(found, fmt(format), first, f" since {day.isoformat()}" if day else "")


def _check_usage(
    matrix: bool,
    member: str | None,
    limit: int | None,
    members: list[str] | None,
    org: str | None,
    svg: str | None,
    cells: Cells,
) -> None:
    """Options that go with --matrix only, and CODE that goes without it: usage errors."""
    if matrix:
        if member is not None:
            raise typer.BadParameter(
                "--matrix takes no CODE: it pairs every member (choose some with --member)",
                param_hint="CODE",
            )
        if limit is not None:
            raise typer.BadParameter("not with --matrix", param_hint="--limit")
        return
    matrix_only = (
        (members, "--member"),
        (org, "--org"),
        (svg, "--svg"),
        (cells is not Cells.SHARE, "--cells"),
    )
    for given, name in matrix_only:
        if given:
            raise typer.BadParameter("only with --matrix", param_hint=name)
    if member is None:
        raise typer.BadParameter("a member's code is needed (or --matrix)", param_hint="CODE")


def _matrix(
    db: Database,
    day: date | None,
    org: str | None,
    chosen: list[str],
    shown: Format,
    cells: Cells,
    svg: str | None,
    planned: OutFile | None,
) -> None:
    from oastrack.render.matrix import show_matrix, svg_matrix
    from oastrack.store import alignment

    found = db.read(lambda: alignment.align_matrix(db, day, org, chosen))
    if svg is None:
        show_matrix(found, shown, cells, grid=bool(chosen))
        return
    write_svg(planned, svg_matrix(found))
    if planned is not None:
        done(f"Wrote {svg}: the agreement of {len(found.members):,} members.")


def register(app: typer.Typer) -> None:
    app.command()(align)
