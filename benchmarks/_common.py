"""Shared by the benchmarks: timing whole processes, the machine, recording results."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
WORK = HERE / "work"
SHARED = HERE.parent.parent / "shared" / "data"
UNGA_VOTES = SHARED / "unga" / "un_votes.csv.gz"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A console script of this environment (oastrack, sqlite-utils)."""
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {BIN}: pip install -e '.[dev]'")
    return str(path)


def run(cmd: list[str], *, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command to the end; return (wall seconds, peak resident memory in KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr}")
    return seconds, int(usage.ru_maxrss)


def median_time(cmd: list[str], runs: int) -> float:
    return statistics.median(run(cmd)[0] for _ in range(runs))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def record(section: str, lines: list[str]) -> None:
    """Replace (or add) one section of RESULTS.md, stamped with the date and the machine."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"## {section}", "", f"Measured {stamp} on {machine()}.", "", *lines, ""]
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(f"## {section}\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + "\n".join(body)
    else:
        end = text.find("\n## ", start + 1)
        end = len(text) if end == -1 else end + 1
        text = text[:start] + "\n".join(body) + ("\n" if end < len(text) else "") + text[end:]
    RESULTS.write_text(text.rstrip("\n") + "\n")
    print("\n".join(body))
