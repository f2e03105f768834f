"""The tally in words, as the Rich table, the plain table (render/plain_tally.py), the chart and
the live board say it: the rule with its numbers, the context of the count, the assumptions,
the veto and the weight."""

from __future__ import annotations

from oastrack.core.reports import TallyReport
from oastrack.core.values import show_time


def rule_words(report: TallyReport) -> str:
    """The rule in words with its numbers for this meeting (`9 of 15 and no veto`)."""
    result = report.result
    return report.resolution.rule.describe(result.eligible, total_weight=result.weight_total)


def percent_of(part: int, whole: int) -> str:
    """A weight as a share for people, two decimals, never rounded up to what it is not."""
    hundredths = 10_000 * part // whole if whole else 0
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def powers_line(report: TallyReport) -> str | None:
    """The veto and the weight in words: `vetoed by RUS`, `weight 64.08% of 65% needed`."""
    result, rule = report.result, report.resolution.rule
    parts = []
    if rule.has_veto:
        vetoes = result.vetoed_by or result.projected_vetoed_by
        if result.vetoed_by:
            parts.append(f"vetoed by {' '.join(result.vetoed_by)}")
        elif vetoes:
            parts.append(f"projected veto by {' '.join(vetoes)}")
        else:
            parts.append("no veto")
    if rule.weighted and result.weight_total is not None:
        total, needed = result.weight_total, result.weight_required or 0
        parts.append(
            f"weight {percent_of(result.weight_yes or 0, total)}"
            f" of {percent_of(needed, total)} needed"
            f" ({result.weight_yes or 0:,} of {needed:,})"
        )
    return " · ".join(parts) if parts else None


def context_line(report: TallyReport) -> str:
    """The line under the heading: the meeting, the rule, who is eligible, as of when, and
    whether the count is the official vote."""
    result, res = report.result, report.resolution
    context = [
        f"{res.meeting.code} ({res.meeting.organization}, {res.meeting.start})",
        f"rule {rule_words(report)}",
        f"{result.eligible:,} eligible",
    ]
    if report.as_of:
        context.append(f"as of {show_time(report.as_of)}")
    context.append("official vote" if result.official else "projections")
    return " · ".join(context)


def what_if(report: TallyReport) -> str:
    """The positions assumed for this tally (`--assume`), as `HTI=no, JAM=yes`."""
    return ", ".join(f"{m}={p}" for m, p in report.assumed.items())
