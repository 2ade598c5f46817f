"""Fixtures for the command-line tests: real ``python -m tui_nn.cli`` subprocesses in a temp folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

PYTHON = sys.executable


def _reject(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json(line: str | bytes) -> dict[str, Any]:
    """``json.loads`` that refuses NaN and Infinity; the value must be an object."""
    value = json.loads(line, parse_constant=_reject)
    assert isinstance(value, dict), line
    return value


def read_log(run_dir: Path) -> tuple[list[dict[str, Any]], bytes]:
    """Every complete line of ``metrics.jsonl`` parsed strictly, and the incomplete tail (if any)."""
    data = (run_dir / "metrics.jsonl").read_bytes()
    *lines, tail = data.split(b"\n")
    return [strict_json(line) for line in lines], tail


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class CLI:
    """Runs ``tui-nn`` as a subprocess with ``cwd`` set to a temporary folder."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.env.pop("COLUMNS", None)

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PYTHON, "-m", "tui_nn.cli", *args], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([PYTHON, "-m", "tui_nn.cli", *args], cwd=self.cwd, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def runs(self, out: str = "runs") -> list[Path]:
        folder = self.cwd / out
        return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def wait_run_dir(self, out: str = "runs") -> Path:
        return wait_for(lambda: next(iter(self.runs(out)), None), what="a run folder")

    def records(self, run_dir: Path) -> list[dict[str, Any]]:
        return read_log(run_dir)[0] if (run_dir / "metrics.jsonl").exists() else []


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    return CLI(tmp_path)


@pytest.fixture
def long_run(cli: CLI):
    """Start a long flower run (killed at teardown if still alive); yields (process, run_dir)."""
    procs: list[subprocess.Popen[str]] = []

    def start(*extra: str) -> tuple[subprocess.Popen[str], Path]:
        proc = cli.start("train", "-n", "100000000", "--eval-every", "200", *extra)
        procs.append(proc)
        run_dir = cli.wait_run_dir()
        wait_for(lambda: any(r.get("type") == "eval" for r in cli.records(run_dir)), what="the first eval record")
        return proc, run_dir

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.communicate(timeout=10)


@pytest.fixture
def logs() -> Any:
    """``read_log`` and ``wait_for`` for test modules (conftest cannot be imported in importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(read_log=read_log, wait_for=wait_for)
