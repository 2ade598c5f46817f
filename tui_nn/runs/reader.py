"""Tail a run's ``metrics.jsonl`` while another process writes it, and summarise run folders.

Stdlib only (no NumPy, no Textual), so ``tui-nn runs`` starts fast and the
watcher can poll from its UI thread. Never writes: a read-only run folder works.

``RunTail`` keeps a byte offset at the end of the last complete line:

- a half-written last line is left for the next poll and read once, when complete;
- a file that shrank below the offset (truncated), was replaced (another inode)
  or whose first bytes changed is reported with ``reset=True`` and read from the start;
- a complete line that is not a strict-JSON object, or whose record does not
  match its type's schema (``tui_nn.runs.records``), is counted in ``malformed``
  (with a message in ``problems``) and skipped; it never raises;
- a line longer than ``MAX_LINE_BYTES`` is skipped unread, however long it grows;
- a log that is not a regular file (a FIFO, a link to a device) is refused, never opened.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_nn.core.safefile import FileRefused, open_regular
from tui_nn.runs.files import LOCK_NAME, LOG_NAME, MAX_LINE_BYTES, StrictJSONError, from_plain_json, strict_loads
from tui_nn.runs.records import RecordError, validate_record

__all__ = ["RunSummary", "RunTail", "TailUpdate", "is_run_dir", "list_runs", "log_path", "read_run_summary"]
MAX_PROBLEMS = 100
"""``poll_all`` keeps the first this many malformed-line messages (``malformed`` counts them all)."""
HEAD_BYTES = 64
"""Bytes at the start of the log compared on each poll to notice a replaced or rewritten file."""


@dataclass(frozen=True)
class TailUpdate:
    """What one ``RunTail.poll()`` found.

    ``records`` are the new complete records in file order, each checked against
    its type's schema (``tui_nn.runs.records``), with non-finite floats restored (``{"cost": None, "cost_str": "nan"}`` reads back as
    ``{"cost": nan}``). When ``reset`` is true the log was truncated or replaced:
    drop everything read before; ``records`` start from the new file's first line.
    ``malformed`` counts skipped complete lines in this update and ``problems``
    says why, e.g. ``"line 7: column 12: Expecting ',' delimiter"``. ``more`` is
    true when ``max_bytes`` cut the read short (poll again). ``error`` is set when
    the log cannot be read at all (missing yet, permission denied).
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    reset: bool = False
    malformed: int = 0
    problems: tuple[str, ...] = ()
    more: bool = False
    error: str | None = None


def log_path(run: str | os.PathLike) -> Path:
    """The log of a run folder, or ``run`` itself when it names a file."""
    p = Path(run)
    return p if p.suffix == ".jsonl" or p.is_file() else p / LOG_NAME


class RunTail:
    """Incremental reader of one run log; call ``poll()`` as often as you like (cheap when idle)."""

    def __init__(self, run: str | os.PathLike, max_bytes: int = 8 << 20) -> None:
        """``run`` is a run folder or a ``.jsonl`` file; ``max_bytes`` caps one poll's read
        (a single line longer than that, up to ``MAX_LINE_BYTES``, is still read whole)."""
        self.path = log_path(run)
        self.max_bytes = max_bytes
        self.offset = 0
        """Byte offset just past the last complete line consumed."""
        self.line_number = 0
        """Complete lines consumed since the last reset (1-based numbering of the next is this + 1)."""
        self.malformed_total = 0
        """Malformed lines since the last reset."""
        self._file: Any = None
        self._ident: tuple[int, int] | None = None
        self._head = b""
        self._skipping = False
        """True inside a line longer than ``MAX_LINE_BYTES``: bytes are dropped up to its newline."""

    def close(self) -> None:
        """Close the file handle (``poll`` reopens it)."""
        if self._file is not None:
            self._file.close()
        self._file = None

    def __enter__(self) -> "RunTail":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _restart(self) -> None:
        self.close()
        self._ident = None
        self.offset = 0
        self.line_number = 0
        self.malformed_total = 0
        self._head = b""
        self._skipping = False

    def poll(self) -> TailUpdate:
        """Read what was appended since the last poll."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            had = self._ident is not None
            if had:
                self._restart()
            return TailUpdate(reset=had, error=f"{self.path}: no log yet")
        except OSError as e:
            return TailUpdate(error=f"{self.path}: {e.strerror or e}")
        reset = False
        ident = (st.st_dev, st.st_ino)
        if self._ident is not None and (ident != self._ident or st.st_size < self.offset or self._head_changed()):
            reset = True
            self._restart()
        if self._file is None:
            try:
                self._file = open_regular(self.path, what="run log")
            except FileRefused as e:
                return TailUpdate(reset=reset, error=str(e))
            st = os.fstat(self._file.fileno())
            self._ident = (st.st_dev, st.st_ino)
        if st.st_size == self.offset:
            return TailUpdate(reset=reset)
        data, more = self._read(self.max_bytes)
        if len(self._head) < HEAD_BYTES and self.offset == 0:
            self._head = data[:HEAD_BYTES]
        problems: list[str] = []
        if self._skipping:
            data, finished = self._skip(data)
            if not finished:
                return TailUpdate(reset=reset, more=more)
            problems.append(f"line {self.line_number}: longer than {MAX_LINE_BYTES} bytes, skipped")
        end = data.rfind(b"\n")
        if end < 0 and more and len(data) <= MAX_LINE_BYTES:  # one line longer than a poll's read: finish it
            data, _ = self._read(MAX_LINE_BYTES + 1)
            end = data.rfind(b"\n")
        if end < 0:
            if len(data) > MAX_LINE_BYTES:
                self._skipping = True
                self.line_number += 1
                self.offset += len(data)
                more = True
            self.malformed_total += len(problems)
            return TailUpdate([], reset, len(problems), tuple(problems), more)
        records = self._parse(data[: end + 1], problems)
        self.offset += end + 1
        self.malformed_total += len(problems)
        return TailUpdate(records, reset, len(problems), tuple(problems), more)

    def _read(self, size: int) -> tuple[bytes, bool]:
        """Up to ``size`` bytes from the offset, and whether that filled the request."""
        self._file.seek(self.offset)
        data = self._file.read(size)
        return data, len(data) == size

    def _skip(self, data: bytes) -> tuple[bytes, bool]:
        """Drop the rest of an over-long line; returns what follows it and whether its end was found."""
        newline = data.find(b"\n")
        if newline < 0:
            self.offset += len(data)
            return b"", False
        self.offset += newline + 1
        self._skipping = False
        return data[newline + 1:], True

    def _parse(self, block: bytes, problems: list[str]) -> list[dict[str, Any]]:
        """The valid records among the complete lines of ``block``; the others go to ``problems``."""
        records: list[dict[str, Any]] = []
        for raw in block.split(b"\n")[:-1]:
            self.line_number += 1
            line = raw.rstrip(b"\r")
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                problems.append(f"line {self.line_number}: longer than {MAX_LINE_BYTES} bytes, skipped")
                continue
            try:
                records.append(validate_record(from_plain_json(strict_loads(line))))
            except (StrictJSONError, RecordError) as e:
                problems.append(f"line {self.line_number}: {e}")
        return records

    def poll_all(self) -> TailUpdate:
        """Poll until nothing more is immediately available; one merged update."""
        records: list[dict[str, Any]] = []
        problems: list[str] = []
        reset = False
        malformed = 0
        while True:
            u = self.poll()
            if u.reset:
                reset, records, problems, malformed = True, [], [], 0
            records.extend(u.records)
            problems.extend(u.problems[: max(0, MAX_PROBLEMS - len(problems))])
            malformed += u.malformed
            if not u.more or u.error:
                return TailUpdate(records, reset, malformed, tuple(problems), False, u.error)

    def _head_changed(self) -> bool:
        """True when the log's first bytes differ from those read before (rewritten in place)."""
        if not self._head or self._file is None:
            return False
        try:
            return os.pread(self._file.fileno(), len(self._head), 0) != self._head
        except OSError:
            return False


# --- run summaries -----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """What ``tui-nn runs`` shows about one run folder."""

    path: Path
    run_id: str
    dataset: str
    state: str
    """finished | converged | diverged | stopped | terminated (from the end record),
    running | paused (a live process holds the lock), crashed (no end record, nobody training),
    empty (no readable header)."""
    iterations: int
    """Steps done, as far as the log tells."""
    target_iterations: int | None
    best_dev_accuracy: float | None
    best_train_accuracy: float | None
    last_cost: float | None
    started: float | None
    """Unix time of the header record."""
    updated: float
    """Modification time of the log."""
    malformed: int = 0
    detail: str = ""
    """The end record's reason, or a note (e.g. malformed lines)."""
    config: dict[str, Any] | None = None
    """The run's config from its header (or latest resume) record, as logged."""


def is_run_dir(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder with a ``metrics.jsonl``."""
    return (Path(path) / LOG_NAME).is_file()


def is_training(run_dir: str | os.PathLike) -> bool:
    """True when a process holds the run's ``train.lock`` (works on a read-only folder)."""
    try:
        fd = os.open(Path(run_dir) / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as e:
        return e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)
    finally:
        os.close(fd)
    return False


def _best(current: float | None, value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return value if current is None else max(current, value)
    return current


def summarize_records(path: Path, records: list[dict[str, Any]], malformed: int, updated: float,
                      first_problem: str = "") -> RunSummary:
    """Fold a run's validated records into a ``RunSummary`` (state without looking at the lock);
    ``first_problem`` says why the first malformed line was skipped."""
    run_id, dataset, started, target = path.name, "?", None, None
    iterations, best_dev, best_train, last_cost = 0, None, None, None
    end: dict[str, Any] | None = None
    paused = False
    config: dict[str, Any] | None = None
    for r in records:
        kind = r.get("type")
        if kind == "header":
            run_id = str(r.get("run_id", run_id))
            started = r.get("time") if isinstance(r.get("time"), (int, float)) else None
            ds = r.get("dataset")
            dataset = str(ds.get("name", "?")) if isinstance(ds, dict) else "?"
            cfg = r.get("config")
            target = cfg.get("iterations") if isinstance(cfg, dict) else None
            config = cfg if isinstance(cfg, dict) else None
            end, paused = None, False
        elif kind == "eval":
            it = r.get("iteration")
            if isinstance(it, int):
                iterations = it + 1
            best_dev = _best(best_dev, r.get("dev_accuracy"))
            best_train = _best(best_train, r.get("train_accuracy"))
            cost = r.get("cost")
            last_cost = cost if isinstance(cost, (int, float)) else last_cost
        elif kind == "resume":
            end, paused = None, False
            if isinstance(r.get("iteration"), int):
                iterations = r["iteration"]
            cfg = r.get("config")
            if isinstance(cfg, dict) and isinstance(cfg.get("iterations"), int):
                target = cfg["iterations"]
            config = cfg if isinstance(cfg, dict) else config
        elif kind == "ack" and r.get("ok"):
            paused = bool(r.get("paused", paused))
        elif kind == "end":
            end = r
            if isinstance(r.get("iterations"), int):
                iterations = r["iterations"]
            best_dev = _best(best_dev, r.get("best_dev_accuracy"))
            cost = r.get("cost")
            last_cost = cost if isinstance(cost, (int, float)) else last_cost
    if end is not None:
        state, detail = str(end.get("state", "ended")), str(end.get("reason", ""))
    elif started is None:
        state, detail = "empty", "no header record"
    else:
        state, detail = ("paused" if paused else "running"), ""
    if malformed:
        detail = (detail + "; " if detail else "") + f"{malformed} malformed line(s)" + (f", {first_problem}" if first_problem else "")
    return RunSummary(path, run_id, dataset, state, iterations, target, best_dev, best_train, last_cost, started, updated,
                      malformed, detail, config)


def read_run_summary(run_dir: str | os.PathLike) -> RunSummary:
    """Read a whole run log and summarise it. A log without an end record whose
    lock nobody holds is reported as ``crashed`` (killed, or the machine went down)."""
    run_dir = Path(run_dir)
    tail = RunTail(run_dir)
    try:
        update = tail.poll_all()
    finally:
        tail.close()
    try:
        updated = os.stat(tail.path).st_mtime
    except OSError:
        updated = time.time()
    summary = summarize_records(run_dir, update.records, update.malformed, updated, next(iter(update.problems), ""))
    if summary.state in ("running", "paused") and not is_training(run_dir):
        from dataclasses import replace

        summary = replace(summary, state="crashed", detail=summary.detail or "no end record and no process training it")
    return summary


def list_runs(folder: str | os.PathLike) -> list[RunSummary]:
    """Summaries of the run folders directly inside ``folder`` (or ``folder`` itself), oldest first."""
    folder = Path(folder)
    if is_run_dir(folder):
        return [read_run_summary(folder)]
    runs = [read_run_summary(p) for p in sorted(folder.iterdir()) if p.is_dir() and is_run_dir(p)]
    runs.sort(key=lambda s: (s.started or s.updated, s.path.name))
    return runs
