"""The fast table layout draws exactly what Rich draws, on generated listings and at any width."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from oastrack.render import output, table

WORDS = st.text(
    alphabet=st.sampled_from([*"abcXYZ019 -_/.,'\"\\[]:()\t", "é", "中", "\u0301", "😀"]),
    max_size=40,
)
VALUES = st.one_of(
    WORDS,
    st.integers(min_value=-(10**9), max_value=10**9),
    st.none(),
    st.sampled_from([":smile: ok", "[bold]x[/]", "2017-06-19T09:05:00Z", "a" * 90]),
)


def drawn(records: list[dict[str, Any]], width: int, title: str | None, fast: bool) -> str:
    """The table on a plain console of `width`, by the fast layout or by Rich."""
    buffer = io.StringIO()
    # As a piped console is made: its lines trimmed of the spaces that pad them.
    trimmed: Any = table.Trimmed(buffer)
    plain = Console(file=trimmed, width=width, highlight=False, soft_wrap=False)
    keys = list(records[0])
    headers = [f"Head {key}" for key in keys]
    if not fast:
        rich_only(records, keys, headers, title, plain)
        return buffer.getvalue()
    original = output.console
    output.console = lambda stderr=False: plain
    try:
        output.table(records, keys, headers, title)
    finally:
        output.console = original
    return buffer.getvalue()


def rich_only(
    records: list[dict[str, Any]],
    keys: list[str],
    headers: list[str],
    title: str | None,
    out: Console,
) -> None:
    """The same listing drawn by Rich's own Table."""
    numeric = [all(isinstance(r[k], int) for r in records if r[k] is not None) for k in keys]
    output.rich_table(out, records, keys, headers, numeric, title)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda columns: st.lists(
            st.fixed_dictionaries({f"c{i}": VALUES for i in range(columns)}), min_size=1, max_size=6
        )
    ),
    st.integers(min_value=8, max_value=130),
    st.one_of(st.none(), WORDS.filter(bool)),
)
def test_the_fast_layout_is_richs_layout(
    records: list[dict[str, Any]], width: int, title: str | None
) -> None:
    assert drawn(records, width, title, fast=True) == drawn(records, width, title, fast=False)


def test_a_long_listing_keeps_its_rows_in_order_and_wraps_like_rich() -> None:
    records = [
        {"code": str(n), "title": f"Title {n} " + "word " * (n % 40), "positions": n * 3}
        for n in range(500)
    ]
    assert drawn(records, 80, "Resolutions", fast=True) == drawn(
        records, 80, "Resolutions", fast=False
    )


def test_a_long_listing_on_a_terminal_looks_as_rich_draws_it() -> None:
    import re

    records = [{"code": f"R{n}", "votes": n} for n in range(output.FAST_ROWS + 1)]

    def on_terminal(fast: bool) -> str:
        buffer = io.StringIO()
        terminal = Console(
            file=buffer, width=60, force_terminal=True, color_system="standard", highlight=False
        )
        original = output.console
        output.console = lambda stderr=False: terminal
        try:
            if fast:
                output.table(records, ["code", "votes"], ["Code", "Votes"], "Listing")
            else:
                rich_only(records, ["code", "votes"], ["Code", "Votes"], "Listing", terminal)
        finally:
            output.console = original
        return buffer.getvalue()

    fast, rich = on_terminal(True), on_terminal(False)
    assert "\x1b[1m" in fast and "\x1b[3m" in fast  # the header bold, the title italic

    def seen(drawn: str) -> list[str]:
        return [line.rstrip() for line in re.sub("\x1b\\[[0-9;]*m", "", drawn).splitlines()]

    assert seen(fast) == seen(rich)
