"""The console script. `oastrack --version` answers before the commands are loaded."""

from __future__ import annotations

import sys


def main() -> None:
    """Exit codes: 0 success (a closed pipe included), 1 a user error, 2 a usage error, 130
    interrupted."""
    if sys.argv[1:] == ["--version"]:
        from oastrack import __version__

        print(f"oastrack {__version__}")
        return
    if not sys.argv[1:]:
        sys.argv.append("--help")  # bare `oastrack`: the help, and success
    from oastrack.cli.app import main as run

    try:
        run()
    except SystemExit as finished:
        _flush_or_quiet(finished.code)
        raise
    _flush_or_quiet(0)


def _flush_or_quiet(code: object) -> None:
    """Flush what is left for standard output; when the reader has gone (`| head`), say
    nothing and succeed."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0 if code in (0, 1, None) or not isinstance(code, int) else code)
