"""Pop-up notices: they never cover the status line, and the ctrl+c hint fits whole."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tui_nn.widgets.status_line import StatusLine


def toasts(app) -> list[Toast]:
    return list(app.screen.query(Toast))


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (40, 12)])
async def test_a_notice_leaves_the_status_line_visible(app_factory, until, size):
    app = app_factory()
    async with app.run_test(size=size, notifications=True) as pilot:
        app.notify("A notice long enough to wrap onto a few lines on a narrow terminal, like an error about a file.",
                   title="Not saved", severity="error", timeout=30)
        await until(pilot, lambda: toasts(app) and toasts(app)[0].region.height > 0)
        await pilot.pause(0.2)
        status = app.query_one(StatusLine).region
        assert status.height == 1
        for toast in toasts(app):
            assert not toast.region.overlaps(status), (toast.region, status)


@pytest.mark.parametrize("size", [(120, 36), (40, 12)])
async def test_the_ctrl_c_hint_names_the_quit_key_on_one_line(app_factory, until, shown, size):
    app = app_factory()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await until(pilot, lambda: toasts(app) and toasts(app)[0].region.height > 0)
        toast = toasts(app)[0]
        assert app.screen.region.contains_region(toast.region)
        assert "Press q to quit" in shown(toast).splitlines()[-1] or any(
            "Press q to quit" in line for line in shown(toast).splitlines())
        assert app.is_running  # a hint, not a quit


@pytest.mark.parametrize("typed", ["we[d2ac=?ey", "[bold]x[/]", "a\\[b]", "[@click=app.quit]q"])
async def test_a_typed_path_with_brackets_is_shown_literally_in_the_notice(app_factory, until, shown, tmp_path,
                                                                          monkeypatch, typed):
    """Textual's markup parser rejects an unclosed ``[name=`` that Rich's escape leaves alone (it ended the app)."""
    monkeypatch.chdir(tmp_path)
    app = app_factory()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("ctrl+l")
        await until(pilot, lambda: type(app.screen).__name__ == "PathPrompt")
        app.screen.query_one("Input").value = typed
        await pilot.press("enter")
        await until(pilot, lambda: toasts(app) and toasts(app)[0].region.height > 0)
        await pilot.pause(0.2)
        assert app.is_running
        assert f"{typed}: no such config file" in shown(toasts(app)[0]).replace("\n", "")
