"""The console script. `oastrack --version` answers before the commands are loaded."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from oastrack import __version__

        print(f"oastrack {__version__}")
        return
    from oastrack.cli.app import main as run

    run()
