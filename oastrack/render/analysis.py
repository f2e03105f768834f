"""The analyst's reports for people and programs: forecast, swing, comparison, alignment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from oastrack.core.findings import Agreement, Comparison, ForecastReport, SwingReport
from oastrack.core.positions import COUNT_KEYS
from oastrack.core.values import show_time
from oastrack.render.output import (
    Format,
    console,
    csv_text,
    escape,
    grid,
    markdown_text,
    print_table,
    rows,
    to_json,
    write,
)
from oastrack.render.tally import to_document

if TYPE_CHECKING:
    from rich.console import Console


def write_json(document: Any) -> None:
    write(to_json(document) + "\n")


def percent(value: Fraction) -> str:
    """A chance for people: `68.75%`; never rounded to a certainty it is not."""
    if value in (0, 1):
        return f"{int(value * 100)}%"
    shown = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    if shown == "0":
        return "<0.01%"
    if shown == "100":
        return ">99.99%"
    return f"{shown}%"


def number(value: Fraction) -> str:
    """An expected count for people: `16.5`, `20`."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def context_line(out: Console, report_code: str, title: str, context: Sequence[str]) -> None:
    out.print(f"[bold]{escape(report_code)}[/] — {escape(title)}")
    out.print(escape(" · ".join(context)), style="dim")


def _as_of(moment: datetime | None) -> str | None:
    return show_time(moment) if moment else None


def _replayed(moment: datetime | None) -> list[str]:
    """The heading's "as of TIME" when history is replayed (as the tally says it)."""
    return [f"as of {show_time(moment)}"] if moment else []


# Show the exact fraction beside the percentage when its denominator is at most this.
SMALL_DENOMINATOR = 1000


def forecast_document(report: ForecastReport) -> dict[str, Any]:
    """`forecast --format json`: the contract's keys, stable for scripts."""
    outlook, res = report.forecast, report.resolution
    return {
        "resolution": res.code,
        "title": res.title,
        "as_of": _as_of(report.as_of),
        "rule": res.rule.spec,
        "eligible": report.result.eligible,
        "required": report.result.required,
        "official": report.official,
        "probability": float(outlook.probability),
        "probability_exact": str(outlook.probability),
        "expected_yes": float(outlook.expected_yes),
        "expected_no": float(outlook.expected_no),
        "members": [
            {
                "code": m.code,
                "name": m.name,
                "position": m.position,
                "confidence": m.confidence,
                "yes_chance": float(m.yes),
            }
            for m in report.members
        ],
    }


def forecast_table(report: ForecastReport) -> None:
    out = console()
    res, outlook, result = report.resolution, report.forecast, report.result
    context_line(
        out,
        res.code,
        res.title,
        [
            f"rule {res.rule.describe(result.eligible, total_weight=result.weight_total)}",
            f"{result.eligible:,} eligible",
            *_replayed(report.as_of),
            "official vote" if report.official else "projections",
        ],
    )
    probability = outlook.probability
    exact = ""
    if 0 < probability < 1 and probability.denominator <= SMALL_DENOMINATOR:
        exact = f" ({probability})"
    style = "bold green" if probability >= Fraction(1, 2) else "bold red"
    line = f"Chance of passing [{style}]{percent(probability)}[/]{exact}"
    if report.official:
        line += " — decided by the official vote"
    out.print(line)
    out.print(
        f"Expected yes [bold]{number(outlook.expected_yes)}[/] of {result.required:,} required"
        f" · expected no {number(outlook.expected_no)}"
    )
    in_doubt = sorted((m for m in report.members if 0 < m.yes < 1), key=lambda m: (-m.yes, m.code))
    if in_doubt:
        table = grid()
        table.add_column("Member")
        table.add_column("Name")
        table.add_column("Position")
        table.add_column("Conf.", justify="right")
        table.add_column("Yes chance", justify="right")
        for m in in_doubt:
            table.add_row(
                escape(m.code),
                escape(m.name),
                escape(m.position),
                escape(m.confidence),
                percent(m.yes),
            )
        out.print()
        print_table(out, table, "Members in doubt")


def swing_document(report: SwingReport) -> dict[str, Any]:
    """`swing --format json`: the contract's keys, stable for scripts."""
    found, res = report.swing, report.resolution
    document: dict[str, Any] = {
        "resolution": res.code,
        "as_of": _as_of(report.as_of),
        "rule": res.rule.spec,
        "eligible": report.result.eligible,
        "required": report.result.required,
        "official": report.official,
        "carried": found.carried,
        "possible": found.possible,
        "needed": found.needed,
        "members": list(found.members),
        "moves": [{"member": m, "from": a, "to": b} for m, a, b in found.moves],
        "pivotal": list(found.pivotal),
    }
    if report.blocs is not None:
        document["blocs"] = [list(combination) for combination in report.blocs]
    return document


def swing_table(report: SwingReport, moving: list[dict[str, Any]]) -> None:
    out = console()
    res, found, result = report.resolution, report.swing, report.result
    counted = "yes" if report.official else "yes with leans"
    yes = result.yes if report.official else result.projected_yes
    context_line(
        out,
        res.code,
        res.title,
        [
            f"rule {res.rule.describe(result.eligible, total_weight=result.weight_total)}",
            f"{yes:,} {counted}",
            *_replayed(report.as_of),
            "official vote" if report.official else "projections",
        ],
    )

    def names(codes: Sequence[str]) -> str:
        return escape(", ".join(f"{c} ({report.stances[c].position})" for c in codes))

    if found.carried:
        out.print("[bold green]Carried[/] as counted: no member needs to move.")
        if found.pivotal:
            out.print(f"Pivotal — any one moving to no would sink it: {names(found.pivotal)}")
    elif not found.possible:
        out.print("[bold red]Cannot be carried[/], even if every member moved to yes.")
    else:
        plural = "s" if found.needed != 1 else ""
        where = " to yes" if all(to == "yes" for _, _, to in found.moves) else ""
        out.print(f"Needs [bold]{found.needed:,}[/] more member{plural} to move{where}:")
        columns = [("code", "Member"), ("name", "Name"), ("position", "Now")]
        rows(moving, Format.TABLE, columns + ([("to", "To")] if where == "" else []))
        if found.pivotal:
            out.print(f"Pivotal — any one alone would carry it: {names(found.pivotal)}")
    if report.blocs is not None:
        if report.blocs:
            combos = "; ".join(" + ".join(combination) for combination in report.blocs)
            out.print(f"Blocs that would carry it (all their members to yes): {escape(combos)}")
        elif not found.carried:
            out.print("No combination of up to 3 blocs would carry it.")


def compare_document(comparison: Comparison) -> dict[str, Any]:
    """`compare --format json`: both tallies (as `tally --format json`) and the differences."""
    return {
        "left": to_document(comparison.left),
        "right": to_document(comparison.right),
        "differences": [
            {"member": d.member, "name": d.name, "left": d.left, "right": d.right}
            for d in comparison.differences
        ],
    }


def compare_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    left, right = document["left"], document["right"]
    rows: list[dict[str, Any]] = [
        {"field": "title", "left": left["title"], "right": right["title"]}
    ]
    for key in ("rule", "eligible"):
        rows.append({"field": key, "left": left[key], "right": right[key]})
    for key in COUNT_KEYS:
        rows.append({"field": key, "left": left["counts"][key], "right": right["counts"][key]})
    for key in ("required", "short_by", "verdict", "projected"):
        rows.append({"field": key, "left": left[key], "right": right[key]})
    return rows


def show_forecast(report: ForecastReport, chosen: Format) -> None:
    document = forecast_document(report)
    summary_keys = [k for k in document if k not in ("title", "members")]
    if chosen is Format.JSON:
        write_json(document)
    elif chosen is Format.CSV:
        write(csv_text([document], summary_keys))
    elif chosen is Format.MARKDOWN:
        summary = [{"field": k, "value": document[k]} for k in summary_keys]
        write(markdown_text(summary, ["field", "value"], ["field", "value"]))
        write("\n")
        keys = ["code", "name", "position", "confidence", "yes_chance"]
        write(markdown_text(document["members"], keys, keys))
    else:
        forecast_table(report)


def show_swing(report: SwingReport, chosen: Format) -> None:
    if chosen is Format.JSON:
        write_json(swing_document(report))
        return
    moves = {member: to for member, _, to in report.swing.moves}
    moving = [
        {
            "code": member,
            "name": report.stances[member].name,
            "position": report.stances[member].position,
            "to": moves.get(member, "yes"),
            "pivotal": member in report.swing.pivotal,
        }
        for member in report.swing.members
    ]
    if chosen in (Format.CSV, Format.MARKDOWN):
        columns = [("code", "code"), ("name", "name"), ("position", "position"), ("to", "to")]
        rows(moving, chosen, [*columns, ("pivotal", "pivotal")])
        return
    swing_table(report, moving)


def show_compare(comparison: Comparison, chosen: Format) -> None:
    document = compare_document(comparison)
    if chosen is Format.JSON:
        write_json(document)
        return
    summary = compare_rows(document)
    left_code, right_code = document["left"]["resolution"], document["right"]["resolution"]
    sides = [("field", "field"), ("left", left_code), ("right", right_code)]
    differences = [("member", "member"), ("name", "name"), ("left", "left"), ("right", "right")]
    if chosen is Format.CSV:
        rows(document["differences"], chosen, differences)
        return
    if chosen is Format.MARKDOWN:
        rows(summary, chosen, sides)
        write("\n")
        rows(document["differences"], chosen, differences)
        return
    rows(summary, Format.TABLE, [("field", ""), *sides[1:]])
    if not document["differences"]:
        console().print("Every member's stance is the same on both.")
        return
    found = [
        {**d, "left": d["left"] or "", "right": d["right"] or ""} for d in document["differences"]
    ]
    rows(
        found,
        Format.TABLE,
        [("member", "Member"), ("name", "Name"), *sides[1:]],
        title=f"{len(found):,} member{'s' if len(found) != 1 else ''} differ",
    )


def show_agreements(found: Sequence[Agreement], chosen: Format, member: str, since: str) -> None:
    """`align`: agreement with one member (`since` is "" or " since DATE")."""
    records = [
        {
            "member": a.member,
            "other": a.other,
            "other_name": a.other_name,
            "agreed": a.agreed,
            "compared": a.compared,
            "agreement": None if a.share is None else float(a.share),
        }
        for a in found
    ]
    if chosen is not Format.TABLE:
        rows(records, chosen)
        return
    shown = [
        {**r, "agreement": "" if a.share is None else percent(a.share)}
        for r, a in zip(records, found, strict=True)
    ]
    rows(
        shown,
        Format.TABLE,
        [
            ("other", "Member"),
            ("other_name", "Name"),
            ("agreement", "Agreement"),
            ("agreed", "Agreed"),
            ("compared", "Compared"),
        ],
        title=f"Agreement with {member} in official votes{since}",
        empty=f"{member} shares no official vote with anyone{since}.",
    )
