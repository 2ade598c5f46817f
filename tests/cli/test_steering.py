"""Steering a real ``tui-nn train`` through the control file; the terminal progress bar."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time

from tui_nn.runs.control import Controller, is_ack_for
from tui_nn.runs.reader import RunTail


def test_pause_set_learning_rate_resume_stop_round_trip(cli, long_run):
    proc, run_dir = long_run()
    tail = RunTail(run_dir)
    records: list[dict] = []

    def wait_ack(seq: int) -> dict:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            records.extend(tail.poll().records)
            for r in records:
                if is_ack_for(r, seq):
                    return r
            time.sleep(0.02)
        raise AssertionError(f"no ack for command {seq}")

    c = Controller(run_dir)
    assert c.writable
    ack = wait_ack(c.pause())
    assert ack["ok"] and ack["command"] == "pause" and ack["paused"] is True
    paused_at = ack["iteration"]
    time.sleep(0.4)
    assert not [r for r in tail.poll().records if r["type"] == "eval"], "trained while paused"

    ack = wait_ack(c.set_learning_rate(0.3))
    assert ack["ok"] and ack["learning_rate"] == 0.3 and ack["iteration"] == paused_at and ack["paused"]
    ack = wait_ack(c.resume())
    assert ack["ok"] and ack["paused"] is False

    def later_eval():
        records.extend(tail.poll().records)
        after = records[records.index(ack) + 1:]
        return next((r for r in after if r["type"] == "eval"), None)

    deadline = time.monotonic() + 10
    while (rec := later_eval()) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert rec is not None and rec["learning_rate"] == 0.3 and rec["iteration"] >= paused_at
    assert all(r["learning_rate"] == 1.2 for r in records[: records.index(ack)] if r["type"] == "eval")

    ack = wait_ack(c.stop())
    assert ack["ok"] and ack["command"] == "stop"
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    end = cli.records(run_dir)[-1]
    assert end["type"] == "end" and end["state"] == "stopped" and end["learning_rate"] == 0.3
    assert "control #1: pause" in stderr and "stopped" in stdout


def test_progress_bar_on_a_terminal(cli):
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "tui_nn.cli", "train", "-n", "3000"], cwd=cli.cwd,
                                env=cli.env, stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        stdout, _ = proc.communicate(timeout=30)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    err = b"".join(chunks).decode()
    assert proc.returncode == 0 and "finished after 3000 iterations" in stdout
    assert "\r[" in err and "3000/3000" in err and "it/s" in err and "cost" in err
