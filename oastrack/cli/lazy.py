"""The commands of `oastrack`, loaded when they are used.

A command's module is imported, and Typer builds its Click command, only when that command
runs or when something lists it (`--help`, shell completion, docs/gen_cli.py): `oastrack tally`
pays for `tally` alone, not for the import reader, the live board or the charts.

To add a command: declare it in its module as before (a `register(app)` function, or an `app`
sub-app for a group) and name it in COMMANDS below, where --help lists it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

# Each command, in the order --help lists it, and the module of oastrack.cli that declares it.
COMMANDS: dict[str, str] = {
    "init": "dbcmd",
    "vote": "votes",
    "retract": "votes",
    "history": "votes",
    "tally": "tally",
    "forecast": "analysis",
    "swing": "analysis",
    "compare": "analysis",
    "align": "align",
    "chart": "chart",
    "import": "io",
    "export": "io",
    "live": "live",
    "db": "dbcmd",
    "member": "members",
    "bloc": "blocs",
    "meeting": "meetings",
    "resolution": "resolutions",
}
# The groups whose module holds them as its `app` (the others' modules have `register(app)`).
SUB_APPS = {"member", "bloc", "meeting", "resolution"}


def load(name: str, *, rich_markup_mode: Any) -> Any:
    """The Click command `name`, built by Typer as the whole tree would build it; the other
    commands of its module are left unbuilt."""
    import typer
    import typer.main

    module_name = COMMANDS[name]
    module = importlib.import_module(f"oastrack.cli.{module_name}")
    staging = typer.Typer(rich_markup_mode=rich_markup_mode, pretty_exceptions_show_locals=False)
    if name in SUB_APPS:
        staging.add_typer(module.app, name=name)
    else:
        module.register(staging)
    commands = {
        info.name or typer.main.get_command_name(getattr(info.callback, "__name__", "")): info
        for info in staging.registered_commands
    }
    groups = {info.name or "": info for info in staging.registered_groups}
    declared = sorted(known for known, home in COMMANDS.items() if home == module_name)
    if name not in SUB_APPS and sorted([*commands, *groups]) != declared:
        # a command added to a module but not to COMMANDS, or one gone from it
        raise RuntimeError(
            f"oastrack.cli.{module_name} declares {sorted([*commands, *groups])}, "
            f"COMMANDS names {declared}"
        )
    staging.registered_commands = [info for known, info in commands.items() if known == name]
    staging.registered_groups = [info for known, info in groups.items() if known == name]
    return typer.main.get_group(staging).commands[name]


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands (Typer's `TyperGroup.commands`): every name is known from
    COMMANDS, a command is built on first use; `finish` is applied to each once built."""

    def __init__(self, finish: Callable[[Any], None], rich_markup_mode: Any) -> None:
        self._built: dict[str, Any] = {}
        self._finish = finish
        self._markup = rich_markup_mode

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            command = load(name, rich_markup_mode=self._markup)
            self._finish(command)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands of oastrack are fixed")

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._built]))
