"""Steering a running ``tui-nn train`` through ``control.json`` in its run folder (stdlib only).

The watcher side (``Controller``) appends a numbered command to the file and
replaces it atomically; the trainer side (``ControlReader``) notices the change
with one ``os.stat`` at most every ``interval`` seconds, reads the commands with
a sequence number above the last one it applied, and ``Steering.apply`` carries
each out and returns the ``ack`` record the trainer writes to the log.

File format::

    {"version": 1, "commands": [
        {"seq": 1, "command": "pause", "time": 1764325800.1},
        {"seq": 2, "command": "set_learning_rate", "learning_rate": 0.5, "time": ...}]}

Commands: ``pause``, ``resume``, ``stop``, ``set_learning_rate``. Commands already
in the file when a trainer starts (or resumes) are old and ignored.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tui_nn.atomic import write_text_atomic
from tui_nn.core.plainjson import PlainDataError, parse_json
from tui_nn.core.safefile import FileRefused, read_regular
from tui_nn.runs.files import CONTROL_NAME, StrictJSONError

__all__ = [
    "COMMANDS", "ControlCommand", "ControlError", "ControlReader", "Controller", "ReadOnlyRunError",
    "Steering", "is_ack_for",
]

COMMANDS: tuple[str, ...] = ("pause", "resume", "stop", "set_learning_rate")
KEEP_COMMANDS = 64
"""The file keeps the most recent commands only."""
MAX_CONTROL_BYTES = 1 << 20
MAX_SEQ = 2**53


class ControlError(Exception):
    """A steering command could not be sent; the message is for a person."""


class ReadOnlyRunError(ControlError):
    """The run folder is not writable by this user: the watcher can only watch."""


@dataclass(frozen=True)
class ControlCommand:
    """One numbered command; ``error`` is set (and ``command`` is "invalid") for a bad entry or file."""

    seq: int | None
    command: str
    learning_rate: float | None = None
    error: str | None = None


def is_ack_for(record: dict[str, Any], seq: int) -> bool:
    """True when a log record acknowledges command number ``seq``."""
    return record.get("type") == "ack" and record.get("seq") == seq


def _parse_file(data: bytes) -> list[dict[str, Any]]:
    """The command entries of a control file: strict, bounded JSON (64-bit integers, finite floats)."""
    try:
        doc = parse_json(data)
    except PlainDataError as e:
        raise StrictJSONError(str(e)) from None
    if not isinstance(doc, dict):
        raise StrictJSONError(f"expected a JSON object, got {type(doc).__name__}")
    commands = doc.get("commands")
    if not isinstance(commands, list):
        raise StrictJSONError('expected {"commands": [...]}')
    return [c for c in commands if isinstance(c, dict)]


def _valid_lr(value: Any) -> bool:
    try:
        return type(value) in (int, float) and math.isfinite(value) and value > 0
    except OverflowError:  # an integer too large for a float
        return False


def _seq(value: Any) -> int | None:
    """A command's sequence number: a whole number ``1 .. MAX_SEQ`` (anything else is unnumbered)."""
    return value if type(value) is int and 1 <= value <= MAX_SEQ else None


def _command_from(entry: dict[str, Any]) -> ControlCommand:
    seq = _seq(entry.get("seq"))
    name = entry.get("command")
    if name not in COMMANDS:
        return ControlCommand(seq, "invalid", error=f"unknown command {str(name)!r:.40}; expected one of {', '.join(COMMANDS)}")
    if name == "set_learning_rate":
        lr = entry.get("learning_rate")
        if not _valid_lr(lr):
            return ControlCommand(seq, "invalid", error=f"set_learning_rate needs a positive learning_rate, got {str(lr)!r:.40}")
        return ControlCommand(seq, name, float(lr))
    return ControlCommand(seq, name)


# --- watcher side ------------------------------------------------------------------------


class Controller:
    """Sends commands to the trainer of ``run_dir``; raises ``ReadOnlyRunError`` without write permission."""

    def __init__(self, run_dir: str | os.PathLike) -> None:
        self.run_dir = Path(run_dir)
        self.path = self.run_dir / CONTROL_NAME

    @property
    def writable(self) -> bool:
        """True when this user may steer the run (it can create files in the run folder)."""
        return os.access(self.run_dir, os.W_OK | os.X_OK) and (not self.path.exists() or os.access(self.path, os.W_OK))

    def _read_only(self, why: str = "") -> ReadOnlyRunError:
        return ReadOnlyRunError(
            f"{self.run_dir} is read-only for this user{why}: watching works, steering (pause, resume, stop, "
            f"learning rate) needs write permission on the run folder"
        )

    def send(self, command: str, learning_rate: float | None = None) -> int:
        """Append a command; returns its sequence number (match it with ``is_ack_for``)."""
        if command not in COMMANDS:
            raise ControlError(f"unknown command {command!r}; expected one of {', '.join(COMMANDS)}")
        entry: dict[str, Any] = {"command": command, "time": time.time()}
        if command == "set_learning_rate":
            if not _valid_lr(learning_rate):
                raise ControlError(f"the learning rate must be a positive number, got {learning_rate}")
            entry["learning_rate"] = float(learning_rate)
        if not self.run_dir.is_dir():
            raise ControlError(f"{self.run_dir}: no such run folder")
        if not self.writable:
            raise self._read_only()
        try:
            lock = os.open(self.run_dir / ".control.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except PermissionError:
            raise self._read_only() from None
        except OSError as e:
            raise ControlError(f"cannot write in {self.run_dir}: {e.strerror or e}") from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            commands = self._commands()
            seqs = [s for s in (_seq(c.get("seq")) for c in commands) if s is not None]
            entry["seq"] = max(seqs, default=0) + 1
            commands = (commands + [entry])[-KEEP_COMMANDS:]
            write_text_atomic(self.path, json.dumps({"version": 1, "commands": commands}, allow_nan=False) + "\n")
        except PermissionError:
            raise self._read_only() from None
        except OSError as e:
            raise ControlError(f"cannot write {self.path}: {e.strerror or e}") from None
        finally:
            os.close(lock)
        return int(entry["seq"])

    def _commands(self) -> list[dict[str, Any]]:
        """The commands already in the file ([] when there is none or it is not valid JSON);
        a control file that is not a regular file (a FIFO, a link to a device) is refused."""
        if not os.path.lexists(self.path):
            return []
        try:
            return _parse_file(read_regular(self.path, MAX_CONTROL_BYTES, "control file"))
        except FileRefused as e:
            if not os.path.lexists(self.path):
                return []
            raise ControlError(f"{e}; not steering through it") from None
        except StrictJSONError:
            return []

    def pause(self) -> int:
        return self.send("pause")

    def resume(self) -> int:
        return self.send("resume")

    def stop(self) -> int:
        return self.send("stop")

    def set_learning_rate(self, learning_rate: float) -> int:
        return self.send("set_learning_rate", learning_rate)


# --- trainer side ------------------------------------------------------------------------


class ControlReader:
    """Notices new commands in ``control.json`` with at most one ``stat`` per ``interval`` seconds."""

    def __init__(self, run_dir: str | os.PathLike, interval: float = 0.1) -> None:
        self.path = Path(run_dir) / CONTROL_NAME
        self.interval = interval
        self.last_seq = 0
        self._next_check = 0.0
        self._signature: tuple[int, int, int] | None = None
        self._read(initial=True)

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _read(self, initial: bool = False) -> list[ControlCommand]:
        self._signature = self._stat()
        if self._signature is None:
            return []
        try:
            entries = _parse_file(read_regular(self.path, MAX_CONTROL_BYTES, "control file"))
        except (FileRefused, StrictJSONError) as e:
            if not os.path.lexists(self.path):
                return []
            return [] if initial else [ControlCommand(None, "invalid", error=f"{CONTROL_NAME} is not valid: {e}")]
        commands = [_command_from(e) for e in entries]
        numbered = [c for c in commands if c.seq is not None]
        if initial:
            self.last_seq = max((c.seq for c in numbered), default=0)  # type: ignore[type-var]
            return []
        new = sorted((c for c in numbered if c.seq > self.last_seq), key=lambda c: c.seq)  # type: ignore[operator]
        if new:
            self.last_seq = new[-1].seq  # type: ignore[assignment]
        return new

    def poll(self, now: float | None = None) -> list[ControlCommand]:
        """New commands in order, or [] (also when called again within ``interval``)."""
        now = time.monotonic() if now is None else now
        if now < self._next_check:
            return []
        self._next_check = now + self.interval
        if self._stat() == self._signature:
            return []
        return self._read()


class _HasLearningRate(Protocol):
    learning_rate: float
    iteration: int


@dataclass
class Steering:
    """The trainer's steering state: paused or stopping, changed by ``apply``."""

    paused: bool = False
    stop_requested: bool = False

    def apply(self, cmd: ControlCommand, trainer: _HasLearningRate) -> dict[str, Any]:
        """Carry out one command on ``trainer`` (between steps) and return its ``ack`` record."""
        ok, message = True, ""
        if cmd.command == "invalid":
            ok, message = False, cmd.error or "invalid command"
        elif cmd.command == "pause":
            message = "already paused" if self.paused else f"paused after {trainer.iteration} iterations"
            self.paused = True
        elif cmd.command == "resume":
            message = "resumed" if self.paused else "was not paused"
            self.paused = False
        elif cmd.command == "stop":
            self.stop_requested = True
            message = f"stopping after {trainer.iteration} iterations"
        elif cmd.command == "set_learning_rate":
            old = trainer.learning_rate
            trainer.learning_rate = float(cmd.learning_rate)  # type: ignore[arg-type]
            message = f"learning rate {old:g} -> {trainer.learning_rate:g}"
        return {
            "type": "ack",
            "time": time.time(),
            "seq": cmd.seq,
            "command": cmd.command,
            "ok": ok,
            "message": message,
            "iteration": trainer.iteration,
            "learning_rate": trainer.learning_rate,
            "paused": self.paused,
        }
