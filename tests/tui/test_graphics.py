"""Maps as pictures on terminals that draw them; detection that never hangs a terminal that does not answer."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
import uuid

import numpy as np
import pytest

from tui_nn.graphics import worth_asking
from tui_nn.palettes import palette_for


class FakeTty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


TTY, PIPE = FakeTty(True), FakeTty(False)


def test_only_terminals_known_to_draw_pictures_are_asked():
    kitty = {"TERM": "xterm-kitty"}
    assert worth_asking(kitty, TTY, TTY)
    assert worth_asking({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, TTY, TTY)
    assert worth_asking({"TERM": "xterm", "XTERM_VERSION": "XTerm(390)"}, TTY, TTY)
    assert not worth_asking({"TERM": "xterm-256color"}, TTY, TTY)  # an unknown terminal: half-blocks, no question
    assert not worth_asking(kitty, PIPE, TTY)  # stdin is not a terminal: nobody could answer
    assert not worth_asking(kitty, TTY, PIPE)
    assert not worth_asking({**kitty, "TMUX": "/tmp/tmux-0/default,1,0"}, TTY, TTY)  # tmux does not pass pictures
    assert not worth_asking({"TERM": "screen-256color", "KITTY_WINDOW_ID": "1"}, TTY, TTY)
    assert not worth_asking({**kitty, "TUI_NN_GRAPHICS": "off"}, TTY, TTY)
    assert worth_asking({"TERM": "dumb", "TUI_NN_GRAPHICS": "query"}, TTY, TTY)


DETECT = "from tui_nn.graphics import detect_graphics; print('graphics:', detect_graphics(), flush=True)"


def run_on_silent_pty(stdin_is_pty: bool) -> str:
    """Run the detection with stdout on a terminal that never answers (a pty nobody replies on);
    returns what it wrote to the terminal."""
    pytest.importorskip("textual_image")
    master, slave = pty.openpty()
    env = {**os.environ, "TUI_NN_GRAPHICS": "query", "TERM": "xterm-kitty"}
    stdin = slave if stdin_is_pty else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-c", DETECT], stdin=stdin, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 120  # a hang detector, not a speed limit
    while time.monotonic() < deadline:
        ready = select.select([master], [], [], 0.2)[0]
        if ready:
            try:
                out += os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal (it exited)
                break
        elif proc.poll() is not None:
            break
    os.close(master)
    try:
        proc.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("graphics detection hung on a terminal that never answers")
    assert proc.returncode == 0, proc.stderr.read().decode()
    return out.decode(errors="replace")


def test_a_terminal_that_never_answers_gets_half_blocks_without_a_hang():
    assert "graphics: None" in run_on_silent_pty(stdin_is_pty=True)


def test_stdin_that_is_not_a_terminal_is_never_asked():
    out = run_on_silent_pty(stdin_is_pty=False)
    assert "graphics: None" in out
    assert "\x1b_G" not in out and "\x1b[c" not in out  # no question was sent


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")
def test_the_app_starts_in_tmux_even_when_told_to_ask_the_terminal():
    """tmux answers the device-attributes question itself and never the kitty one: the app must
    still start, with half-blocks."""
    pytest.importorskip("textual_image")
    script = os.path.join(os.path.dirname(sys.executable), "tui-nn")
    name = f"tui-nn-graphics-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", name]  # a server of its own: no other client resizes the window
    command = f"TUI_NN_GRAPHICS=query {script} --iterations 200; echo EXITED-$?; sleep 30"
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "36", command], check=True)

    def wait_for(text: str) -> str:
        screen, deadline = "", time.monotonic() + 60
        while text not in screen and time.monotonic() < deadline:
            time.sleep(0.2)
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
        assert text in screen, screen
        return screen

    try:
        wait_for("READY")
        subprocess.run([*tmux, "send-keys", "-t", name, "4", "e"], check=True)  # 4: the map, at any width
        screen = wait_for("FINISHED")
        assert "▀" in screen and "unsure" in screen  # half-blocks and the legend
        subprocess.run([*tmux, "send-keys", "-t", name, "q"], check=True)
        wait_for("EXITED-0")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


@pytest.mark.parametrize("protocol", ["tgp", "sixel"])
async def test_with_graphics_the_map_is_a_picture_at_pixel_resolution(protocol, until, shown, trained_map):
    pytest.importorskip("textual_image")
    from tui_nn.app import TuiNNApp
    from tui_nn.config import RunConfig
    from tui_nn.experiment import build_experiment

    app = TuiNNApp(build_experiment(RunConfig(iterations=300)), graphics=protocol)
    async with app.run_test(size=(120, 36)) as pilot:
        pane, view = await trained_map(pilot, app)
        image = pane.query_one("#map-image")
        width, height = pane.content_size
        rows, cols = view.values.shape
        assert rows > 2 * (height - 1) and cols > width  # finer than half-blocks
        assert rows / cols == pytest.approx(app._view_request.pixels[0] / app._view_request.pixels[1], rel=0.02)
        pixels = image.pixels
        assert pixels.shape == (rows, cols, 3)
        palette = palette_for("truecolor")
        sure0 = np.unravel_index(np.argmin(view.values), view.values.shape)
        assert view.values[sure0] < 0.4
        assert tuple(pixels[sure0]) in {palette.region(0, s) for s in range(palette.steps)} | {palette.points[0], palette.points[1]}
        colours = {tuple(c) for c in pixels.reshape(-1, 3).tolist()}
        assert palette.points[0] in colours and palette.points[1] in colours  # the training points
        assert "unsure" in shown(pane).rstrip().split("\n")[-1]  # the legend stays text
        await pilot.press("p")  # dev points as rings change the picture
        await until(pilot, lambda: image.pixels is not pixels)
