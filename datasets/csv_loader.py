"""CSV files with a header: numeric feature columns and one label column chosen by name."""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass

import numpy as np

from .assemble import assemble
from .base import Dataset, DatasetError, show_token
from .files import file_label, read_bytes, sha256
from .split import DEV_FRACTION

NONFINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _text(data: bytes, where: str) -> str:
    """UTF-8 (an optional BOM dropped); a bad byte is reported with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DatasetError(f"{where}: line {line}: byte 0x{data[e.start]:02x} is not UTF-8 text") from None


def _delimiter(first_line: str) -> str:
    """Comma, unless the header has none and has tabs or semicolons."""
    if "," in first_line:
        return ","
    for d in ("\t", ";"):
        if d in first_line:
            return d
    return ","


def _rows(text: str, where: str) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record) or len(record) > 1:
                rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as e:
        msg = str(e)
        if "NUL" in msg:
            reason = "contains a NUL byte (is it a binary file?)"
        elif "field larger" in msg:
            reason = "a cell is longer than the CSV reader allows"
        else:
            reason = "malformed CSV (check the quotes)"
        raise DatasetError(f"{where}: line {start}: {reason}") from None
    return rows


def _number(token: str, where: str, line: int, column: str, what: str = "a number") -> float:
    """``token`` as a finite float, or a ``DatasetError`` naming line, column and token."""
    at = f"{where}: line {line}, column {show_token(column)}"
    if not token.strip():
        raise DatasetError(f"{at}: the cell is empty; expected {what}")
    try:
        value = float(token)
    except ValueError:
        raise DatasetError(f"{at}: {show_token(token)} is not {what}") from None
    if not math.isfinite(value):
        if token.strip().lower() in NONFINITE:
            raise DatasetError(f"{at}: {show_token(token)} is not a finite number (NaN and infinity are refused)")
        raise DatasetError(f"{at}: {show_token(token)} overflows a 64-bit float")
    return value


def is_number(token: str) -> bool:
    """Whether ``float(token)`` accepts ``token``."""
    try:
        float(token)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and data records, each record as long as the header."""

    where: str
    header_line: int
    names: list[str]
    rows: list[tuple[int, list[str]]]
    """Non-blank data records with the line each starts on."""


def read_table(path: str | os.PathLike) -> CsvTable:
    """The header (blank names become ``column N``, duplicates refused) and the data rows of a CSV.

    Raises ``DatasetError`` naming the file and line for an empty file, a bad byte,
    malformed quoting, a header without data or a row of the wrong length.
    """
    where = file_label(path)
    text = _text(read_bytes(path), where)
    if not text.strip():
        raise DatasetError(f"{where}: the file is empty")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DatasetError(f"{where}: line {line}: contains a NUL byte (is it a binary file?)")
    rows = _rows(text, where)
    if not rows:
        raise DatasetError(f"{where}: the file is empty")
    header_line, header = rows[0]
    names = [cell.strip() or f"column {i + 1}" for i, cell in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DatasetError(f"{where}: line {header_line}: the header names column {show_token(name)} twice")
        seen.add(name)
    data = rows[1:]
    if not data:
        raise DatasetError(f"{where}: only a header (line {header_line}), no data rows")
    for line, record in data:
        if len(record) != len(names):
            kind = "short" if len(record) < len(names) else "long"
            raise DatasetError(f"{where}: line {line}: {len(record)} cells, expected {len(names)} as in the header (row too {kind})")
    return CsvTable(where, header_line, names, data)


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
    table = read_table(path)
    where, header_line, names, seen = table.where, table.header_line, table.names, set(table.names)
    if len(names) < 2:
        raise DatasetError(f"{where}: line {header_line}: the header has one column; expected features and a label column")
    if label is None:
        j = len(names) - 1
    elif label in seen:
        j = names.index(label)
    else:
        raise DatasetError(
            f"{where}: no column {show_token(label)}; the header (line {header_line}) has: "
            + ", ".join(show_token(n) for n in names[:20])
            + (", ..." if len(names) > 20 else "")
        )
    data = table.rows
    features = [k for k in range(len(names)) if k != j]
    X = numeric_columns(data, features, names, where)
    labels = [record[j].strip() for _, record in data]
    for (line, _), token in zip(data, labels):
        if not token:
            raise DatasetError(f"{where}: line {line}, column {show_token(names[j])}: the label is empty")
    if task == "regression" or all(is_number(t) for t in labels):
        Y = np.array([[_number(t, where, line, names[j]) for (line, _), t in zip(data, labels)]])
    else:
        Y = np.array([labels])
    return assemble(
        os.path.basename(where) or where,
        X,
        Y,
        where=where,
        label_name=f"column {show_token(names[j])}",
        task=task,
        feature_names=tuple(names[k] for k in features),
        seed=seed,
        dev_fraction=dev_fraction,
        description=f"CSV file {where}: {len(data)} rows, label column {names[j]!r}",
        provenance={"path": os.path.abspath(where), "format": "csv", "label": names[j], "sha256": sha256(path)},
    )


def numeric_columns(data: list[tuple[int, list[str]]], columns: list[int], names: list[str], where: str) -> np.ndarray:
    """The cells of ``columns`` as ``X (len(columns), m)`` float64; the first bad cell is reported
    with its line and column name."""
    cells = [[record[k] for k in columns] for _, record in data]
    try:
        X = np.array(cells, dtype=np.float64).reshape(len(data), len(columns))
        ok = bool(np.isfinite(X).all())
    except (ValueError, OverflowError):
        ok = False
    if not ok:  # the slow path finds and reports the first bad cell
        X = np.array(
            [[_number(t, where, line, names[k]) for k, t in zip(columns, row)] for (line, _), row in zip(data, cells)]
        ).reshape(len(data), len(columns))
    return X.T.copy()
