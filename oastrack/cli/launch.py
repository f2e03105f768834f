"""The console script. `oastrack --version` answers before the commands are loaded, wherever it
stands among the global options (`oastrack --db x.db --version`); the plain cases of `tally`
and `vote` run without Typer (oastrack/cli/fast.py)."""

from __future__ import annotations

import os
import sys

# The global options that take a value: Click gives them the next argument, whatever it is.
_VALUED = ("--db", "--analyst")


def main() -> None:
    """Exit codes: 0 success (a closed pipe included), 1 a user error, 2 a usage error, 130
    interrupted."""
    if asks_version(sys.argv[1:]) and "_OASTRACK_COMPLETE" not in os.environ:
        from oastrack import __version__

        print(f"oastrack {__version__}")
        return
    if not sys.argv[1:]:
        sys.argv.append("--help")  # bare `oastrack`: the help, and success
    if "tally" in sys.argv or "vote" in sys.argv:
        from oastrack.cli import fast  # the plain cases of the two, without Typer

        code = fast.run(sys.argv[1:])
        if code is not None:
            _flush_or_quiet(code)
            if code:
                sys.exit(code)
            return
    from oastrack.cli.app import main as run

    try:
        run()
    except SystemExit as finished:
        _flush_or_quiet(finished.code)
        raise
    _flush_or_quiet(0)


def asks_version(args: list[str]) -> bool:
    """Whether Click would answer these arguments with the version: `--version` among the
    global options (which end at the command's name, or `--`), not after `--help`; when Click
    would refuse an option first (an unknown one, a value missing), the answer is Click's."""
    asked = False
    rest = iter(args)
    for arg in rest:
        if arg == "--version":
            asked = True
        elif arg in ("--help", "-h"):
            if not asked:
                return False  # the help comes first
        elif arg in _VALUED:
            if next(rest, None) is None:
                return False  # `--db` with no value: Click's usage error
        elif arg == "--" or arg == "-" or not arg.startswith("-"):
            return asked  # the command's name: what follows is the command's
        elif not any(arg.startswith(f"{name}=") for name in _VALUED):
            return False  # an option Click refuses, or one it answers itself
    return asked


def _flush_or_quiet(code: object) -> None:
    """Flush what is left for standard output; when the reader has gone (`| head`), say
    nothing and succeed."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0 if code in (0, 1, None) or not isinstance(code, int) else code)
