"""CSV files with a header: numeric feature columns and one label column chosen by name.

The file is read as a stream, one row at a time into a preallocated ``(n_x, rows)``
float64 array, so loading takes about the size of the numbers (not a Python
string per cell); the memory is checked against the budget from the row count
before the array exists. Numbers have one strict syntax: ASCII digits with an
optional sign, point and exponent (no ``1_000``, no other scripts' digits, no
NaN or infinity); a BOM at the start is dropped, as for JSON and TOML files.
"""

from __future__ import annotations

import csv
import io
import math
import os
from array import array
from contextlib import closing
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO, Iterator

import numpy as np

from .assemble import assemble
from .base import Dataset, DatasetError, show_token
from .budget import check_load
from .files import file_label, open_checked, sha256
from .split import DEV_FRACTION

NONFINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
CHUNK = 1 << 20


def _bad_utf8(f: BinaryIO, where: str) -> DatasetError:
    """The error naming the line of the first byte that is not UTF-8 (a slow pass, only on error)."""
    f.seek(0)
    for number, line in enumerate(f, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            return DatasetError(f"{where}: line {number}: byte 0x{line[e.start]:02x} is not UTF-8 text")
    return DatasetError(f"{where}: the file is not UTF-8 text")


def _count_lines(f: BinaryIO, where: str) -> int:
    """Newlines in the file (an upper bound on its rows), read in chunks; a NUL byte is refused."""
    f.seek(0)
    lines = 0
    for chunk in iter(lambda: f.read(CHUNK), b""):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = lines + chunk.count(b"\n", 0, nul) + 1
            raise DatasetError(f"{where}: line {line}: contains a NUL byte (is it a binary file?)")
        lines += chunk.count(b"\n")
    return lines


def _delimiter(first_line: str) -> str:
    """Comma, unless the header has none and has tabs or semicolons."""
    if "," in first_line:
        return ","
    for d in ("\t", ";"):
        if d in first_line:
            return d
    return ","


def _records(f: BinaryIO, where: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on, decoded as they are read."""
    f.seek(0)
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        reader = csv.reader(chain([first], text), delimiter=_delimiter(first), strict=True)
        start = 1
        for record in reader:
            if record and any(cell.strip() for cell in record) or len(record) > 1:
                yield start, record
            start = reader.line_num + 1
    except UnicodeDecodeError:
        raise _bad_utf8(f, where) from None
    except csv.Error as e:
        msg = str(e)
        if "NUL" in msg:
            reason = "contains a NUL byte (is it a binary file?)"
        elif "field larger" in msg:
            reason = "a cell is longer than the CSV reader allows"
        else:
            reason = "malformed CSV (check the quotes)"
        raise DatasetError(f"{where}: line {start}: {reason}") from None
    finally:
        text.detach()  # the caller's file stays open (for its checksum)


def _number(token: str, where: str, line: int, column: str, what: str = "a number") -> float:
    """``token`` as a finite float in the strict syntax, or a ``DatasetError`` naming line, column and token."""
    at = f"{where}: line {line}, column {show_token(column)}"
    if not token.strip():
        raise DatasetError(f"{at}: the cell is empty; expected {what}")
    if not _plain(token):
        raise DatasetError(f"{at}: {show_token(token)} is not {what} (only ASCII digits, sign, point and exponent)")
    try:
        value = float(token)
    except ValueError:
        raise DatasetError(f"{at}: {show_token(token)} is not {what}") from None
    if not math.isfinite(value):
        if token.strip().lower() in NONFINITE:
            raise DatasetError(f"{at}: {show_token(token)} is not a finite number (NaN and infinity are refused)")
        raise DatasetError(f"{at}: {show_token(token)} overflows a 64-bit float")
    return value


def _plain(text: str) -> bool:
    """True when ``text`` has no character ``float`` would accept beyond plain ASCII decimal syntax."""
    return text.isascii() and "_" not in text


def is_number(token: str) -> bool:
    """Whether ``token`` is a number in the strict syntax (what ``float`` reads, in plain ASCII)."""
    if not _plain(token):
        return False
    try:
        float(token)
    except ValueError:
        return False
    return True


def load_csv(
    path: str | os.PathLike,
    label: str | None = None,
    *,
    task: str | None = None,
    seed: int = 1,
    dev_fraction: float = DEV_FRACTION,
) -> Dataset:
    """A ``Dataset`` from a CSV with a header row.

    Every column but ``label`` (default: the last) is a numeric feature. A label
    column of text is a classification with the sorted distinct values as classes;
    a numeric one is a classification when its values are few whole numbers and a
    regression otherwise (``task`` overrides, and is checked). Features are
    standardised on a seeded, stratified train/dev split.
    """
    where = file_label(path)
    with open_checked(path) as f:
        table = _Table.read(f, where, label)
        digest = sha256(f)
    names, j = table.names, table.label_column
    return assemble(
        os.path.basename(where) or where,
        table.X,
        table.targets(where, task),
        where=where,
        label_name=f"column {show_token(names[j])}",
        task=task,
        feature_names=tuple(n for k, n in enumerate(names) if k != j),
        seed=seed,
        dev_fraction=dev_fraction,
        description=f"CSV file {where}: {table.X.shape[1]} rows, label column {names[j]!r}",
        provenance={"path": os.path.abspath(where), "format": "csv", "label": names[j], "sha256": digest},
    )


class _Table:
    """A CSV's header, features ``X (n_x, m)`` float64, and label tokens with their lines."""

    def __init__(self, names: list[str], label_column: int, X: np.ndarray, labels: list[str], lines: array) -> None:
        self.names = names
        self.label_column = label_column
        self.X = X
        self.labels = labels
        """The label cell of each row, stripped (equal tokens share one string)."""
        self.lines = lines
        """The line each row starts on."""

    @classmethod
    def read(cls, f: BinaryIO, where: str, label: str | None) -> "_Table":
        """Read the whole file: the header, then each row straight into the feature array."""
        capacity = _count_lines(f, where) + 1
        with closing(_records(f, where)) as rows:
            return cls._read_rows(rows, capacity, label, where)

    @classmethod
    def _read_rows(cls, rows: Iterator[tuple[int, list[str]]], capacity: int, label: str | None, where: str) -> "_Table":
        header_line, names = _header(rows, where)
        if len(names) < 2:
            raise DatasetError(f"{where}: line {header_line}: the header has one column; expected features and a label column")
        j = _label_column(names, label, header_line, where)
        features = [k for k in range(len(names)) if k != j]
        check_load(where, capacity * len(names))
        X = np.empty((len(features), capacity))
        labels: list[str] = []
        lines = array("q")
        shared: dict[str, str] = {}
        for line, record in _data_rows(rows, names, where):
            token = record.pop(j).strip()
            if not token:
                raise DatasetError(f"{where}: line {line}, column {show_token(names[j])}: the label is empty")
            X[:, len(labels)] = _row(record, features, names, where, line)
            labels.append(shared.setdefault(token, token))
            lines.append(line)
        if not labels:
            raise DatasetError(f"{where}: only a header (line {header_line}), no data rows")
        return cls(names, j, X[:, : len(labels)], labels, lines)

    def targets(self, where: str, task: str | None) -> np.ndarray:
        """``Y (1, m)``: numbers when every label is one (or for regression), else the text."""
        distinct = list(dict.fromkeys(self.labels))
        if task != "regression" and not all(is_number(t) for t in distinct):
            return np.array([self.labels])
        column = self.names[self.label_column]
        value = {}
        for token in distinct:  # in order of first use, so the first bad one is the earliest
            value[token] = _number(token, where, self.lines[self.labels.index(token)], column)
        return np.fromiter((value[t] for t in self.labels), dtype=np.float64, count=len(self.labels)).reshape(1, -1)


def _header(rows: Iterator[tuple[int, list[str]]], where: str) -> tuple[int, list[str]]:
    """The header's line and column names (blank names become ``column N``, duplicates refused)."""
    first = next(rows, None)
    if first is None:
        raise DatasetError(f"{where}: the file is empty")
    line, header = first
    names = [cell.strip() or f"column {i + 1}" for i, cell in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DatasetError(f"{where}: line {line}: the header names column {show_token(name)} twice")
        seen.add(name)
    return line, names


def _data_rows(rows: Iterator[tuple[int, list[str]]], names: list[str], where: str) -> Iterator[tuple[int, list[str]]]:
    """The data records, each checked to be as long as the header."""
    for line, record in rows:
        if len(record) != len(names):
            kind = "short" if len(record) < len(names) else "long"
            raise DatasetError(f"{where}: line {line}: {len(record)} cells, expected {len(names)} as in the header (row too {kind})")
        yield line, record


def _label_column(names: list[str], label: str | None, header_line: int, where: str) -> int:
    if label is None:
        return len(names) - 1
    if label in names:
        return names.index(label)
    raise DatasetError(
        f"{where}: no column {show_token(label)}; the header (line {header_line}) has: "
        + ", ".join(show_token(n) for n in names[:20])
        + (", ..." if len(names) > 20 else "")
    )


def _row(cells: list[str], features: list[int], names: list[str], where: str, line: int) -> list[float]:
    """One row's feature cells as finite floats; the first bad cell is reported."""
    try:
        values = [float(c) for c in cells]
    except ValueError:
        values = None
    if values is None or not _plain("".join(cells)) or not all(map(math.isfinite, values)):
        values = [_number(t, where, line, names[k]) for k, t in zip(features, cells)]
    return values


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and data records as text, each record as long as the header
    (``tui-nn predict`` picks columns by the names a model recorded)."""

    where: str
    header_line: int
    names: list[str]
    rows: list[tuple[int, list[str]]]
    """Non-blank data records with the line each starts on."""


TEXT_CELL_VALUES = 2
"""A cell kept as text (a short ``str`` and its list slot, about 64 bytes) is budgeted as two values."""


def read_table(path: str | os.PathLike) -> CsvTable:
    """The header and the data rows of a CSV, as text, after the same checks as ``load_csv``
    (regular file, UTF-8, quoting, row lengths) and a memory check from the row count."""
    where = file_label(path)
    with open_checked(path) as f:
        capacity = _count_lines(f, where) + 1
        with closing(_records(f, where)) as records:
            header_line, names = _header(records, where)
            check_load(where, capacity * len(names) * TEXT_CELL_VALUES)
            rows = list(_data_rows(records, names, where))
    if not rows:
        raise DatasetError(f"{where}: only a header (line {header_line}), no data rows")
    return CsvTable(where, header_line, names, rows)


def numeric_columns(data: list[tuple[int, list[str]]], columns: list[int], names: list[str], where: str) -> np.ndarray:
    """The cells of ``columns`` as ``X (len(columns), m)`` float64 in the strict syntax; the first bad
    cell is reported with its line and column name."""
    X = np.empty((len(columns), len(data)))
    for i, (line, record) in enumerate(data):
        X[:, i] = _row([record[k] for k in columns], columns, names, where, line)
    return X
