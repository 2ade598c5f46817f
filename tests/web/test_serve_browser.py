"""``tui-nn serve`` in a real headless Chromium: the page shows the app, space trains, the cost appears."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tui_nn.serve import app_command, exposure_warning, is_loopback

from .browser import Browser, find_chromium

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TUI_NN_TEST_ARTIFACTS", REPO / "test-artifacts"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise AssertionError(f"tui-nn serve exited with {server.returncode}: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


async def wait_for_screen(browser: Browser, pattern: str, timeout: float = 60.0) -> re.Match:
    """Poll the page's terminal until ``pattern`` matches its text."""
    deadline = time.monotonic() + timeout
    text = None
    while time.monotonic() < deadline:
        text = await browser.screen_text()
        found = re.search(pattern, text or "")
        if found:
            return found
        await asyncio.sleep(0.25)
    raise AssertionError(f"the page never showed {pattern!r}; it showed:\n{text}")


@pytest.fixture
def server():
    if importlib.util.find_spec("textual_serve") is None:
        pytest.skip("tui-nn serve needs textual-serve (pip install -e '.[web]')")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_nn", "serve", "--port", str(port), "--iterations", "50000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and the app processes it started
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_app_in_a_browser_trains_on_space_and_shows_the_cost(server):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("headless Chromium is not installed (.ci/run installs Debian's chromium)")
    url, process = server

    async def scenario() -> tuple[int, float, Path]:
        browser = Browser(chromium)
        try:
            await browser.connect()
            await browser.open(url)
            await wait_for_screen(browser, r"READY\s+iter 0/50000")
            assert "iters 50000" in await browser.screen_text()  # the flag reached the served app
            await browser.press_space()
            found = await wait_for_screen(browser, r"iter ([1-9]\d*)/50000\s+J (\d+\.\d+)")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = await browser.screenshot(ARTIFACTS / "serve-browser.png")
            return int(found.group(1)), float(found.group(2)), shot
        finally:
            await browser.close()

    iteration, cost, shot = asyncio.run(scenario())
    assert iteration > 0
    assert 0 < cost < 0.7  # the flower net starts at ln 2 = 0.693 and falls
    assert shot.read_bytes().startswith(b"\x89PNG")
    print(f"\nscreenshot of the served app: {shot}", file=sys.__stderr__)


def test_serving_beyond_loopback_warns_and_the_app_gets_the_flags_quoted():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert exposure_warning("127.0.0.1", 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert "anyone who can reach this port can drive the app" in warning

    class Args:
        dataset = "my data.csv"
        hidden = "8,8"

    command = app_command(Args())
    assert command.endswith("-m tui_nn --dataset 'my data.csv' --hidden 8,8")


def test_serve_refuses_a_bad_flag_before_listening(capsys):
    from tui_nn.cli import main

    assert main(["serve", "--hidden", "0,x"]) == 2
    assert "hidden:" in capsys.readouterr().err
