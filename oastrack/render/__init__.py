"""Every output: table (Rich, for people), json, csv, markdown (for programs), the tally, the
analyst's reports, the hemicycle and the word diff. Renderers import only the domain."""

from __future__ import annotations

from oastrack.render.output import (
    Format,
    TerminalSafe,
    console,
    csv_text,
    defuse,
    escape,
    markdown_text,
    obj,
    rows,
    text,
    to_json,
    visible,
    write,
)

__all__ = [
    "Format",
    "TerminalSafe",
    "console",
    "csv_text",
    "defuse",
    "escape",
    "markdown_text",
    "obj",
    "rows",
    "text",
    "to_json",
    "visible",
    "write",
]
