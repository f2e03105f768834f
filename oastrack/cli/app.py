"""The `oastrack` command: global options, the error boundary, and the sub-apps."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from oastrack import __version__
from oastrack.cli.common import State
from oastrack.cli.lazy import LazyCommands
from oastrack.cli.plain import ending, report
from oastrack.core.values import unstorable
from oastrack.errors import OastrackError


class Boundary(TyperGroup):
    """The one place where a user's mistakes become `Error: …` and exit 1, never a traceback.

    Its commands are loaded on first use (oastrack/cli/lazy.py)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(_unwrap, self.rich_markup_mode)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which no database stores:
        # noted here, refused in invoke (so that it is one `Error:` line and exit 1).
        bad = next((arg for arg in args if unstorable(arg)), None)
        if bad is not None:
            ctx.meta["oastrack.bad_argument"] = bad
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:  # click.Context, vendored by newer Typer
        bad = ctx.meta.get("oastrack.bad_argument")
        if bad is not None:
            report(
                OastrackError(
                    f"the argument {bad!a} is not valid text (not UTF-8, or holds NUL)",
                    hint="check the bytes the shell passed",
                )
            )
            raise typer.Exit(1)
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as error:
            code = ending(error)  # said as the fast path says it (oastrack/cli/plain.py)
            if code is None:
                raise
            raise typer.Exit(code) from None


app = typer.Typer(
    cls=Boundary,
    name="oastrack",
    help="Track member states' positions on draft resolutions and count the votes.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals can hold a database URL with its password
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"oastrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="OASTRACK_DB",
            metavar="TARGET",
            show_default=False,
            help="The database: a SQLite file path or a SQLAlchemy URL "
            "(sqlite:///x.db, postgresql+psycopg://user@host/db). "
            "Default: oastrack.db in your user data directory.",
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option(
            "--analyst",
            envvar="OASTRACK_ANALYST",
            show_default=False,
            help="Who is logging: recorded with every position. Default: your login name.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track member states' positions on draft resolutions and count the votes.

    Start with [bold]oastrack init[/], then [bold]oastrack tally MOC29-COMPROMISE[/].
    """
    if db is None and os.environ.get("OASTRACK_DB") == "":
        db = ""  # Click reads an empty variable as unset; oastrack refuses it (`--db ''` too)
    for name, value in (("--db", db), ("--analyst", analyst)):
        if value is not None and unstorable(value):
            raise typer.BadParameter(f"{value!a} is not valid text", param_hint=name)
    ctx.obj = State(db=db, analyst=analyst)


EXAMPLE_WIDTH = 72  # an example's lines fit an 80-column terminal inside the help panel


def paragraphs(text: str | None) -> str | None:
    """A help text as paragraphs that Rich wraps to the terminal: the line breaks of the source
    are dropped inside a paragraph; an example (`Example: oastrack …`) becomes a block of its
    own, its command split only between arguments (`\\` at the end of a line, each line short
    enough for 80 columns), so that it is never broken inside a quoted argument; the lines of
    a paragraph that starts with \\b stay as written.
    """
    if not text:
        return text
    import inspect

    kept = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):  # lines kept as written (Typer's rich help keeps them)
            kept.append(paragraph.removeprefix("\b").lstrip("\n"))
            continue
        joined = " ".join(line.strip() for line in paragraph.splitlines())
        before, marker, command = joined.partition("Example: oastrack ")
        if before.strip():
            kept.append(before.strip())
        if marker:
            kept.append(_example("oastrack " + command))
    return "\n\n".join(kept)


def _example(command: str) -> str:
    """A command as a block: `Example:`, then the command, continued with `\\`."""
    import shlex

    words = [shlex.quote(word) if word != "" else "''" for word in shlex.split(command)]
    shown: list[str] = []  # an option stays with its value on one line
    for word in words:
        if shown and shown[-1].startswith("--") and " " not in shown[-1] and word[0] != "-":
            shown[-1] += f" {word}"
        else:
            shown.append(word)
    lines: list[str] = []
    line = " "
    for word in shown:
        if len(line) + 1 + len(word) > EXAMPLE_WIDTH - 2 and line.strip():
            lines.append(line + " \\")
            line = "    "
        line = f"{line} {word}" if line.strip() else f"{line}{word}"
    lines.append(line)
    # Typer's rich help keeps the line breaks of every paragraph but the first: no \\b needed.
    return "Example:\n" + "\n".join(lines)


def _unwrap(command: Any, *, deep: bool = True) -> None:
    command.help = paragraphs(command.help)
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = paragraphs(param.help)
    if deep:
        for sub in getattr(command, "commands", {}).values():
            _unwrap(sub)


def command() -> Any:
    """The Click command tree of `oastrack` (Typer's), its help texts as paragraphs."""
    import typer.main

    built = typer.main.get_command(app)
    _unwrap(built, deep=False)  # the commands themselves when they are loaded
    return built


def main() -> None:
    command()(prog_name="oastrack")
