"""The control file in-process: numbering, stale commands, cheap polling, bad entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_nn.runs.control import ControlCommand, ControlError, ControlReader, Controller, Steering, is_ack_for


class FakeTrainer:
    learning_rate = 1.2
    iteration = 40


def test_commands_are_numbered_and_read_once(tmp_path: Path):
    reader = ControlReader(tmp_path, interval=0)
    assert reader.poll() == []
    c = Controller(tmp_path)
    assert c.pause() == 1 and c.set_learning_rate(0.5) == 2
    cmds = reader.poll()
    assert [(x.seq, x.command, x.learning_rate) for x in cmds] == [(1, "pause", None), (2, "set_learning_rate", 0.5)]
    assert reader.poll() == []
    assert c.resume() == 3
    assert [x.command for x in reader.poll()] == ["resume"]
    doc = json.loads((tmp_path / "control.json").read_text())
    assert [e["seq"] for e in doc["commands"]] == [1, 2, 3]


def test_commands_present_at_start_are_ignored(tmp_path: Path):
    Controller(tmp_path).stop()
    reader = ControlReader(tmp_path, interval=0)
    assert reader.poll() == []
    Controller(tmp_path).pause()
    assert [x.seq for x in reader.poll()] == [2]


def test_polling_is_throttled(tmp_path: Path):
    reader = ControlReader(tmp_path, interval=10.0)
    reader.poll(now=100.0)
    Controller(tmp_path).pause()
    assert reader.poll(now=105.0) == []  # within the interval: not even a stat
    assert [x.command for x in reader.poll(now=110.0)] == ["pause"]


def test_bad_values_are_refused_by_the_sender(tmp_path: Path):
    c = Controller(tmp_path)
    for lr in (0, -1, float("nan"), float("inf"), None):
        with pytest.raises(ControlError, match="learning rate"):
            c.set_learning_rate(lr)  # type: ignore[arg-type]
    with pytest.raises(ControlError, match="unknown command"):
        c.send("explode")
    with pytest.raises(ControlError, match="no such run folder"):
        Controller(tmp_path / "missing").pause()


def test_bad_file_and_entries_are_acknowledged_as_errors(tmp_path: Path):
    reader = ControlReader(tmp_path, interval=0)
    (tmp_path / "control.json").write_text("{not json")
    [cmd] = reader.poll()
    assert cmd.command == "invalid" and "not valid" in cmd.error
    (tmp_path / "control.json").write_text(json.dumps({"commands": [
        {"seq": 1, "command": "jump"}, {"seq": 2, "command": "set_learning_rate", "learning_rate": -3}]}))
    cmds = reader.poll()
    assert [c.command for c in cmds] == ["invalid", "invalid"]
    ack = Steering().apply(cmds[1], FakeTrainer())
    assert ack["ok"] is False and "positive" in ack["message"] and ack["seq"] == 2


def test_steering_applies_commands():
    s, t = Steering(), FakeTrainer()
    ack = s.apply(ControlCommand(1, "pause"), t)
    assert s.paused and ack["ok"] and ack["paused"] and is_ack_for(ack, 1)
    ack = s.apply(ControlCommand(2, "set_learning_rate", 0.3), t)
    assert t.learning_rate == 0.3 and ack["learning_rate"] == 0.3 and "1.2 -> 0.3" in ack["message"]
    s.apply(ControlCommand(3, "resume"), t)
    assert not s.paused
    s.apply(ControlCommand(4, "stop"), t)
    assert s.stop_requested
