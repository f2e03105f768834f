"""`resolution diff` for people: the new text with deletions struck and insertions marked."""

from __future__ import annotations

from oastrack.core.findings import TextDiff
from oastrack.render.output import console, escape, visible


def show_text_diff(found: TextDiff) -> None:
    """`resolution diff` for people: the new text with deletions struck and insertions marked."""
    from rich.text import Text

    from oastrack.core.textdiff import Op, changed
    from oastrack.core.values import show_time

    out = console()
    out.print(
        f"[bold]{escape(found.resolution)}[/]: version {found.old.version}"
        f" → version {found.new.version}"
    )
    for version in (found.old, found.new):
        line = f"  v{version.version}  {show_time(version.recorded_at)}  {version.analyst}"
        if version.note:
            line += f"  — {version.note}"
        out.print(escape(line), style="dim")
    out.print()
    coloured = out.is_terminal and out.color_system is not None and not out.no_color
    text = Text()
    for chunk in found.chunks:
        # The text is the user's: what a terminal would obey is shown as escapes.
        shown = visible(chunk.text)
        if chunk.op is Op.EQUAL:
            text.append(shown)
            continue
        # Spaces around the words stay outside the marks.
        body = shown.strip()
        start = shown.index(body[0])
        text.append(shown[:start])
        if chunk.op is Op.DELETE:
            text.append(body if coloured else f"[-{body}-]", style="red strike")
        else:
            text.append(body if coloured else f"{{+{body}+}}", style="green")
        text.append(shown[start + len(body) :])
    text.rstrip()
    out.print(text)
    deleted, inserted = changed(found.chunks)
    out.print()
    if deleted or inserted:
        out.print(f"{deleted} word{'s' if deleted != 1 else ''} deleted, {inserted} inserted.")
    else:
        out.print("The wording is the same (spacing aside).")
