"""Label columns to classes: text or numbers in, ``0..K-1`` codes and class names out."""

from __future__ import annotations

import numpy as np

from .base import TASKS, DatasetError, show_token

MAX_INFERRED_CLASSES = 20
"""Whole-number labels with more distinct values than this are read as regression targets
unless a classification task is asked for."""

MAX_CLASSES = 1000


def _name(value: object) -> str:
    """A class name for a label value: whole floats print without ``.0``."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def infer_task(values: np.ndarray, task: str | None, where: str) -> str:
    """The task for a 1-D array of label values (text or float64).

    Text is a classification; numbers are one when every value is whole and
    there are at most ``MAX_INFERRED_CLASSES`` distinct ones, otherwise regression.
    An explicit ``task`` is checked, never overridden.
    """
    if task is not None and task not in TASKS:
        raise DatasetError(f"{where}: unknown task {task!r}; expected one of {', '.join(TASKS)}")
    text = values.dtype.kind in "US"
    if task == "regression":
        if text:
            raise DatasetError(f"{where}: label {show_token(values[0])} is text, but regression needs numbers")
        return task
    if not text:
        fractional = values != np.round(values)
        if fractional.any():
            if task is None:
                return "regression"
            bad = values[np.argmax(fractional)]
            raise DatasetError(f"{where}: label {show_token(_name(bad))} is not a whole number, so it cannot name a {task} class")
    n = np.unique(values).size
    if task is None:
        if not text and n > MAX_INFERRED_CLASSES:
            return "regression"
        return "binary" if n <= 2 else "multiclass"
    return task


def encode_labels(
    values: np.ndarray, task: str, where: str, classes: tuple[str, ...] | None = None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """``(1, m)`` int64 codes and the class names for label ``values`` (1-D).

    Classes are the sorted distinct values (numbers numerically, text by
    code point) unless ``classes`` fixes them; a value outside ``classes`` is an error.
    """
    names = np.array([_name(v) for v in values.tolist()]) if values.size else np.array([], dtype=str)
    if classes is None:
        uniq = np.unique(values)
        classes = tuple(_name(v) for v in uniq.tolist())
        if len(classes) < 2:
            shown = f" {show_token(classes[0])}" if classes else ""
            raise DatasetError(f"{where}: every label is the single class{shown}; a {task} task needs at least 2 classes")
        if task == "binary" and len(classes) > 2:
            listed = ", ".join(show_token(c) for c in classes[:5]) + (", ..." if len(classes) > 5 else "")
            raise DatasetError(f"{where}: {len(classes)} classes ({listed}) where a binary task allows 2")
        if len(classes) > MAX_CLASSES:
            raise DatasetError(f"{where}: {len(classes)} classes, more than the {MAX_CLASSES} supported")
    lookup = {c: i for i, c in enumerate(classes)}
    codes = np.empty(values.size, dtype=np.int64)
    for i, name in enumerate(names.tolist()):
        code = lookup.get(name)
        if code is None:
            raise DatasetError(f"{where}: label {show_token(name)} is not one of the classes {', '.join(map(show_token, classes))}")
        codes[i] = code
    return codes.reshape(1, -1), tuple(classes)
