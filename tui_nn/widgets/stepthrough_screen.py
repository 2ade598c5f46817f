"""The step-through dialog: one training step of this network, one equation at a time.

The dialog asks the app (``Compute``) to build the step in a worker and shows the
pages it gets back (``show_view``); it never computes on the UI thread. It
dismisses with the request it showed when the user applies it, or None.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui_nn.safe_text import markup_safe, printable
from tui_nn.step_pages import Page, apply_summary
from tui_nn.step_request import DEFAULT_EXAMPLES, StepRequest, StepView, parse_examples
from tui_nn.widgets.dialog import Dialog
from tui_nn.widgets.path_prompt import PathPrompt


def page_text(page: Page) -> Text:
    """A page as styled text: the equation bold, verdicts coloured."""
    text = Text()
    for i, line in enumerate(page.lines):
        style = "bold" if i == 0 and page.section not in ("graph", "apply") else ""
        if line.strip().startswith("relative error"):
            style = "green" if line.endswith(" ok") else "bold red"
        text.append(line + "\n", style=style)
    return text


class StepThroughScreen(Dialog[StepRequest | None]):
    """Walks one step; ``a`` dismisses with the request shown, escape with None."""

    BINDINGS = [
        Binding("right,n", "move(1)", "Next"),
        Binding("left,p", "move(-1)", "Back"),
        Binding("f", "jump('forward')", "Forward"),
        Binding("b", "jump('backward')", "Backward"),
        Binding("u", "jump('update')", "Update"),
        Binding("k", "ask_examples", "Examples k"),
        Binding("m", "all_examples", "All m"),
        Binding("a", "apply", "Apply"),
        Binding("escape,q", "close", "Close"),
    ]

    class Compute(Message):
        """Asks the app to compute ``request`` off the UI thread and call ``show_view``."""

        def __init__(self, dialog: "StepThroughScreen", request: StepRequest) -> None:
            super().__init__()
            self.dialog = dialog
            self.request = request

    def __init__(self, request: StepRequest) -> None:
        super().__init__()
        self.request = request
        """The step asked for last; a view of an older request is ignored."""
        self.view: StepView | None = None
        self.page = 0
        self._small_k = request.examples if request.examples < request.trainer.m else DEFAULT_EXAMPLES

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog stepthrough"):
            yield Static(id="step-header", markup=False)
            yield Static(id="step-apply", markup=False)
            yield Static("computing the step…", id="step-title", markup=False)
            with VerticalScroll(id="step-scroll"):
                yield Static(id="step-body", markup=False)
            yield Static("←/→ equation  f/b/u forward/backward/update  ↑↓ scroll  k/m examples  esc",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#step-scroll").focus()
        self._ask(self.request)

    def _ask(self, request: StepRequest) -> None:
        self.request = request
        self.query_one("#step-header", Static).update(request.header() + "  ·  computing…")
        summary = apply_summary(request.examples, request.trainer)
        self.query_one("#step-apply", Static).update(Text(summary, style="" if request.exact else "bold yellow"))
        self.post_message(self.Compute(self, request))

    # --- called by the app with the worker's result ---------------------------------

    def show_view(self, view: StepView) -> None:
        """Show a computed step (ignored if a newer one has been asked for since)."""
        if view.request is not self.request or not self.is_attached:
            return
        self.view = view
        self.page = min(self.page, len(view.pages) - 1)
        self.query_one("#step-header", Static).update(view.request.header())
        self._show_page()

    def show_error(self, request: StepRequest, message: str) -> None:
        if request is self.request and self.is_attached:
            self.query_one("#step-title", Static).update(Text(printable(message, 300)))

    def _show_page(self) -> None:
        page = self.view.pages[self.page]
        title = f"{page.title}    [{self.page + 1}/{len(self.view.pages)}]"
        self.query_one("#step-title", Static).update(Text(title, style="bold"))
        self.query_one("#step-body", Static).update(page_text(page))
        self.query_one("#step-scroll", VerticalScroll).scroll_home(animate=False)

    # --- keys ---------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.view is not None:
            self.page = min(max(self.page + delta, 0), len(self.view.pages) - 1)
            self._show_page()

    def action_jump(self, section: str) -> None:
        if self.view is not None:
            self.page = next(i for i, p in enumerate(self.view.pages) if p.section == section)
            self._show_page()

    def action_ask_examples(self) -> None:
        m = self.request.trainer.m
        self.app.push_screen(PathPrompt(f"Examples k for the step (1 to {m}, or all):", str(self.request.examples)),
                             self._examples_typed)

    def _examples_typed(self, text: str | None) -> None:
        if text is None:
            return
        try:
            k = parse_examples(text, self.request.trainer.m)
        except ValueError as e:
            self.app.notify(markup_safe(e), title="Examples", severity="error")
            return
        self._set_examples(k)

    def action_all_examples(self) -> None:
        """All m examples, or back to the small k."""
        m = self.request.trainer.m
        self._set_examples(self._small_k if self.request.examples == m else m)

    def _set_examples(self, k: int) -> None:
        if k < self.request.trainer.m:
            self._small_k = k
        if k != self.request.examples:
            self._ask(self.request.with_examples(k))

    def action_apply(self) -> None:
        if self.view is None or self.view.request is not self.request:
            self.app.notify("The step is still being computed.")
            return
        self.dismiss(self.request)

    def action_close(self) -> None:
        self.dismiss(None)
