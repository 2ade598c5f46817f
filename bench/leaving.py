"""How fast the real ``tui-nn`` ends in tmux: ``q`` while training, ``q`` inside a slow step, a lost terminal.

    python bench/leaving.py [--repeat N] [--skip-slow]

Each figure is the time from the event (the ``q`` key sent, ``tmux kill-session``
returned) until the app's process has exited (polled every 10 ms in /proc; a
zombie counts as exited). The slow step is a training step of digits with two
3000-unit hidden layers, several seconds on this project's 2-core machine.
Needs tmux; uses its own tmux server (``-L``), so it never touches other sessions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

TUI_NN = str(Path(sys.executable).with_name("tui-nn"))
SOCKET = f"tui-nn-bench-{os.getpid()}"
SLOW = "--dataset digits --hidden 3000,3000 --activations relu --init he --learning-rate 0.01"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True).stdout


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_for(name: str, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in screen(name):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{text!r} never appeared:\n{screen(name)}")
        time.sleep(0.05)


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def time_until_gone(pid: int, start: float, limit: float = 30.0) -> float:
    while not gone(pid):
        if time.monotonic() - start > limit:
            os.kill(pid, 9)
            return float("inf")
        time.sleep(0.01)
    return time.monotonic() - start


def start_app(args: str, shell: str, cwd: str) -> tuple[str, int]:
    """Start ``tui-nn ARGS`` training in a new session; ``shell``: exec / forwards / ignores (SIGHUP)."""
    name = f"bench-{uuid.uuid4().hex[:6]}"
    command = f"{TUI_NN} {args}"
    command = {"exec": f"exec {command}", "forwards": f"{command}; sleep 30",
               "ignores": f"trap '' HUP; {command}; sleep 30"}[shell]
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "36", "-c", cwd, command)
    wait_for(name, "READY")
    tmux("send-keys", "-t", name, "Space")
    wait_for(name, "RUNNING")
    pane = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
    children = subprocess.run(["pgrep", "-P", str(pane)], capture_output=True, text=True).stdout.split()
    return name, int(children[0]) if children else pane


def quit_time(args: str, cwd: str, settle: float) -> float:
    name, pid = start_app(args, "forwards", cwd)
    time.sleep(settle)
    start = time.monotonic()
    tmux("send-keys", "-t", name, "q")
    elapsed = time_until_gone(pid, start)
    tmux("kill-session", "-t", name)
    return elapsed


def hangup_time(shell: str, cwd: str) -> float:
    name, pid = start_app("--iterations 100000000", shell, cwd)
    time.sleep(1.0)
    start = time.monotonic()
    tmux("kill-session", "-t", name)
    return time_until_gone(pid, start)


def report(label: str, times: list[float]) -> None:
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label:44} median {statistics.median(times):.2f} s   max {max(times):.2f} s   ({shown})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-slow", action="store_true", help="leave out q during a slow step")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("bench/leaving.py needs tmux")
    cwd = tempfile.mkdtemp(prefix="tui-nn-bench-")
    tmux("start-server", ";", "set-option", "-g", "exit-empty", "off")
    try:
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.repeat} runs each", flush=True)
        report("q while training flower", [quit_time("--iterations 100000000", cwd, 1.0) for _ in range(args.repeat)])
        if not args.skip_slow:
            report("q inside a slow step (digits 3000,3000)", [quit_time(SLOW, cwd, 0.5) for _ in range(args.repeat)])
        for shell, label in (("exec", "hang-up, app leads the session"), ("forwards", "hang-up, shell forwards SIGHUP"),
                             ("ignores", "hang-up, shell ignores SIGHUP")):
            report(label, [hangup_time(shell, cwd) for _ in range(args.repeat)])
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        shutil.rmtree(cwd, ignore_errors=True)


if __name__ == "__main__":
    main()
