"""Every command is documented: a help text for each command and option, and docs/cli.md current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT

GENERATOR = ROOT / "docs" / "gen_cli.py"
REGENERATE = "run `python docs/gen_cli.py` and commit docs/cli.md"


@pytest.fixture(scope="module")
def gen_cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def commands(gen_cli: ModuleType) -> list[tuple[tuple[str, ...], Any]]:
    return list(gen_cli.walk(gen_cli.root_command()))


def name(path: tuple[str, ...]) -> str:
    return " ".join(("oastrack", *path))


def test_the_walk_finds_the_contract_commands(commands: list[tuple[tuple[str, ...], Any]]) -> None:
    found = {name(path) for path, _ in commands}
    for required in [
        "oastrack init",
        "oastrack db upgrade",
        "oastrack db current",
        "oastrack member list",
        "oastrack member add",
        "oastrack member show",
        "oastrack member positions",
        "oastrack bloc list",
        "oastrack bloc add",
        "oastrack bloc show",
        "oastrack meeting list",
        "oastrack meeting add",
        "oastrack meeting show",
        "oastrack resolution list",
        "oastrack resolution add",
        "oastrack resolution show",
        "oastrack vote",
        "oastrack tally",
        "oastrack history",
    ]:
        assert required in found


def test_every_command_has_a_help_text(commands: list[tuple[tuple[str, ...], Any]]) -> None:
    missing = [name(path) for path, command in commands if not (command.help or "").strip()]
    assert missing == [], "commands without a docstring (their --help): " + ", ".join(missing)


def test_every_option_and_argument_has_help(commands: list[tuple[tuple[str, ...], Any]]) -> None:
    missing = [
        f"{name(path)} {param.opts[0] if param.opts else param.name}"
        for path, command in commands
        for param in command.params
        if not (getattr(param, "help", None) or "").strip()
    ]
    assert missing == [], "parameters without help: " + ", ".join(missing)


def test_docs_cli_md_is_up_to_date(
    gen_cli: ModuleType, commands: list[tuple[tuple[str, ...], Any]]
) -> None:
    output: Path = gen_cli.OUTPUT
    assert output == ROOT / "docs" / "cli.md"
    assert output.exists(), f"docs/cli.md is missing: {REGENERATE}"
    current = output.read_text(encoding="utf-8")
    undocumented = [name(path) for path, _ in commands if f"\n## {name(path)}\n" not in current]
    assert undocumented == [], f"not in docs/cli.md: {', '.join(undocumented)}; {REGENERATE}"
    assert current == gen_cli.render(), f"docs/cli.md is out of date: {REGENERATE}"


def test_the_docs_show_plain_text(gen_cli: ModuleType) -> None:
    text = gen_cli.OUTPUT.read_text(encoding="utf-8")
    assert "\x1b[" not in text  # no colour codes
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "## oastrack tally\n\n```text\n Usage: oastrack tally [OPTIONS]" in text
