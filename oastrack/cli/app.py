"""The `oastrack` command: global options, the error boundary, and the sub-apps."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from oastrack import __version__
from oastrack.cli import (
    align,
    analysis,
    blocs,
    chart,
    dbcmd,
    io,
    meetings,
    members,
    resolutions,
    tally,
    votes,
)
from oastrack.cli.common import State
from oastrack.core.values import unstorable
from oastrack.errors import ImportFailed, OastrackError


def report(error: OastrackError) -> None:
    """One line per problem on stderr, then the hint."""
    from oastrack.render import console, escape

    err = console(stderr=True)
    if isinstance(error, ImportFailed):
        for problem in error.problems:
            err.print(escape(problem), soft_wrap=True)
    err.print(f"[bold red]Error:[/] {escape(error.message)}", soft_wrap=True)
    if error.hint:
        err.print(f"[dim]Hint: {escape(error.hint)}[/]", soft_wrap=True)


class Boundary(TyperGroup):
    """The one place where a user's mistakes become `Error: …` and exit 1, never a traceback."""

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
        except OastrackError as error:
            report(error)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            raise  # the reader went away (`| head`): nothing to say
        except Exception as error:
            from oastrack.store.db import translate_error

            translated = translate_error(error)
            if translated is not None:
                report(translated)
                raise typer.Exit(1) from None
            if isinstance(error, OSError):  # a full disk, an unwritable output, a refusing device
                where = f" ({error.filename})" if error.filename else ""
                report(OastrackError(f"{error.strerror or error}{where}"))
                raise typer.Exit(1) from None
            raise


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
    for name, value in (("--db", db), ("--analyst", analyst)):
        if value is not None and unstorable(value):
            raise typer.BadParameter(f"{value!a} is not valid text", param_hint=name)
    ctx.obj = State(db=db, analyst=analyst)


dbcmd.register(app)
app.add_typer(members.app, name="member")
app.add_typer(blocs.app, name="bloc")
app.add_typer(meetings.app, name="meeting")
app.add_typer(resolutions.app, name="resolution")
votes.register(app)
tally.register(app)
analysis.register(app)
align.register(app)
chart.register(app)
io.register(app)


def main() -> None:
    app()
