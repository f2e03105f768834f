"""Help that reads: paragraphs that wrap to the terminal, examples that never break inside an
argument, nothing that points at documents a user does not have."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support import invoke

INTERNAL = re.compile(r"PRODUCT|ENGINEERING|seed\.json|\.\./shared")


def _gen_cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _gen_cli()
PATHS = [path for path, _ in GEN.walk(GEN.root_command())]


def help_at(path: tuple[str, ...], columns: int, monkeypatch: Any) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    run = invoke(*path, "--help")
    assert run.exit_code == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "oastrack" for p in PATHS])
def test_help_at_80_columns(path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_at(path, 80, monkeypatch)
    assert not INTERNAL.search(text), INTERNAL.search(text)
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip() != "Example:":
            continue
        for example in lines[index + 1 :]:
            if not example.strip():
                break
            assert len(example.rstrip()) <= 80
            assert example.count("'") % 2 == 0, f"a quoted argument broken: {example!r}"
            assert example.count('"') % 2 == 0, f"a quoted argument broken: {example!r}"


def test_paragraphs_wrap_to_the_terminal_not_to_the_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wide = help_at(("import",), 200, monkeypatch)
    (line,) = [line for line in wide.splitlines() if "A bad row is reported" in line]
    assert "adds nothing the second time." in line  # two lines of the source, one here
    narrow = help_at(("import",), 60, monkeypatch)
    assert all(len(line) <= 60 for line in narrow.splitlines())
    # The column list keeps its lines.
    assert "   blocs        bloc*, name, member*, start, end" in [
        row.rstrip() for row in wide.splitlines()
    ]
