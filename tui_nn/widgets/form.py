"""Typed config fields for dialogs: a label with its allowed range, a one-line input, and an error line.

A dialog lists ``FieldSpec`` records (one ``RunConfig`` key each), yields one
``FormField`` per spec and calls ``read_config`` on submit: every field's text is
parsed the way its command-line flag is (``tui_nn.flags``), the changes are applied
to the config, which validates them, and each error goes under the field it names.
Empty text means the key's default (``RunConfig``'s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_nn.config import ConfigError, RunConfig
from tui_nn.flags import CONFIG_FLAGS
from tui_nn.safe_text import printable
from tui_nn.widgets.dialog import Dialog, ResultType

PARSERS: dict[str, Callable[[str, str], Any]] = {flag.key: flag.parse for flag in CONFIG_FLAGS}
"""Each config key's text parser, as its command-line flag reads it (errors name the key)."""


def show_value(value: Any) -> str:
    """A config value as the text a field shows (lists comma-separated, an empty one ``none``, None empty)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) if value else "none"  # no hidden layer: logistic regression
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class FieldSpec:
    """One config key in a dialog: its ``label``, the allowed values (``allowed``, shown beside
    it), the default shown when empty (``placeholder``) and, for a key that does not apply to the
    data on screen, ``disabled`` with the reason."""

    key: str
    label: str
    allowed: str
    placeholder: str = ""
    disabled: str = ""


class FormField(Vertical):
    """A labelled one-line input for one config key, with an error line that shows only on error."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Horizontal { height: 1; }
    FormField Label.field-label { width: 14; }
    FormField Input { height: 1; border: none; padding: 0 1; width: 1fr; }
    FormField Input:focus { border: none; }
    FormField Label.field-allowed { width: auto; max-width: 40%; color: $text-muted; padding-left: 1; }
    FormField Static.field-error { display: none; color: $error; height: auto; }
    FormField.-error Static.field-error { display: block; }
    """

    def __init__(self, spec: FieldSpec, value: Any) -> None:
        super().__init__(id=f"field-{spec.key}")
        self.spec = spec
        self._value = value

    def compose(self) -> ComposeResult:
        spec = self.spec
        with Horizontal():
            yield Label(spec.label, classes="field-label")
            yield Input(value=show_value(self._value), placeholder=spec.disabled or spec.placeholder,
                        disabled=bool(spec.disabled), id=f"input-{spec.key}")
            yield Label(spec.allowed, classes="field-allowed", markup=False)
        yield Static("", classes="field-error", markup=False)

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @text.setter
    def text(self, value: str) -> None:
        self.query_one(Input).value = value

    def show_error(self, message: str) -> None:
        """Show ``message`` under the field (empty: clear it)."""
        self.query_one(".field-error", Static).update(printable(message, 300))
        self.set_class(bool(message), "-error")


def _field_of(error: ConfigError, keys: Sequence[str]) -> str | None:
    """The key a ``ConfigError`` names (``"m: must be ..."``, or the first of ``keys`` in
    ``"m, hidden: ..."``), if it is one of ``keys``."""
    text = str(error)
    match = re.match(r"(?:[^:]*: )?(\w+):", text)
    if match and match.group(1) in keys:
        return match.group(1)
    named = re.match(r"([\w, ]+):", text)
    words = [w.strip() for w in named.group(1).split(",")] if named else []
    return next((w for w in words if w in keys), None)


def default_of(key: str) -> Any:
    """``RunConfig``'s default for ``key`` (what an empty field means)."""
    return _DEFAULTS[key]


_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(RunConfig)}

Adjust = Callable[[RunConfig, dict[str, Any]], dict[str, Any]]
"""Completes parsed changes before they are checked (e.g. one activation for every new layer)."""


def read_config(config: RunConfig, form: Sequence[FormField], adjust: Adjust | None = None,
                check: Callable[[RunConfig], None] | None = None) -> tuple[RunConfig | None, dict[str, str]]:
    """``config`` with the enabled fields' values, or None and an error message per key.

    Every field is parsed alone first (so every bad field is reported at once), ``adjust``
    completes the changes, each change is checked on ``config`` with the changes it must
    agree with (``hidden`` with ``activations``), then the whole config is validated (and
    given to ``check``, which raises ``ConfigError`` for a config the data cannot take); an
    error goes under the field it names.
    """
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in form:
        spec = field.spec
        if spec.disabled:
            continue
        text = field.text.strip()
        try:
            changes[spec.key] = default_of(spec.key) if not text else PARSERS[spec.key](spec.key, text)
        except ConfigError as e:
            errors[spec.key] = str(e)
    if adjust is not None:
        changes = adjust(config, changes)
    keys = [f.spec.key for f in form]
    for key, value in changes.items():
        if key in errors:
            continue
        together = {k: changes[k] for k in _PAIRED.get(key, ()) if k in changes and k not in errors}
        try:
            config.with_changes(**{key: value, **together})
        except ConfigError as e:
            errors.setdefault(_field_of(e, keys) or key, str(e))
    if errors:
        return None, errors
    try:
        new = config.with_changes(**changes)
        if check is not None:
            check(new)
    except ConfigError as e:
        return None, {_field_of(e, keys) or keys[0]: str(e)}
    return new, {}


_PAIRED: dict[str, tuple[str, ...]] = {"hidden": ("activations",), "activations": ("hidden",)}
"""Keys whose values are only valid together (a layer count and its activations)."""


class FormDialog(Dialog[ResultType]):
    """A dialog of ``FormField``s: enter in any field calls ``action_apply``, which reads them
    (``read_config``) and shows each error under its field with ``show_errors``."""

    @property
    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def on_mount(self) -> None:
        enabled = [f for f in self.fields if not f.spec.disabled]
        if enabled:
            enabled[0].query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message under the field it names; clear the others."""
        for f in self.fields:
            f.show_error(errors.get(f.spec.key, ""))
