"""Keys that arrive faster than dialogs close: repeated answers, and results that come after a dialog closed."""

from __future__ import annotations

import pytest
from textual import events
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Input

from tui_nn.datasets import BUILTINS
from tui_nn.widgets.confirm_screen import ConfirmScreen
from tui_nn.widgets.dataset_picker import DatasetPicker
from tui_nn.widgets.gradcheck_screen import GradCheckScreen, check_gradients
from tui_nn.widgets.help_screen import HelpScreen


def burst(app, *keys: str) -> None:
    """Queue ``keys`` at once, as a terminal delivers a fast typist's or a paste's keys (no waiting between)."""
    for key in keys:
        char = {"enter": "\r", "escape": "\x1b"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def only_the_main_screen(app) -> bool:
    return len(app.screen_stack) == 1 and type(app.screen) is Screen


async def open_dialog(pilot, until, app, key: str, screen_type: type | None = None):
    """Press ``key`` and wait until a screen (of ``screen_type``, if given) is over the main one; returns it."""
    await pilot.press(key)
    await until(pilot, lambda: not only_the_main_screen(app) if screen_type is None else isinstance(app.screen, screen_type))
    return app.screen


@pytest.mark.parametrize("key", ["ctrl+s", "w"])
async def test_a_save_dialog_answered_three_times_saves_once_and_the_app_lives(app_factory, until, tmp_path,
                                                                              monkeypatch, key):
    monkeypatch.chdir(tmp_path)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, key)
        burst(app, "enter", "enter", "enter")
        await until(pilot, lambda: any(n.message.startswith("Saved") for n in app._notifications))
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)
        assert sum(n.message.startswith("Saved") for n in app._notifications) == 1
        # Saving over the file now asks first; racing answers to that question are harmless too.
        await open_dialog(pilot, until, app, key)
        burst(app, "enter", "enter", "y", "y", "enter")
        await pilot.pause(0.5)
        assert app.is_running
        assert only_the_main_screen(app)


@pytest.mark.parametrize("key", ["ctrl+o", "ctrl+l"])
async def test_a_load_dialog_answered_three_times_reports_once_and_the_app_lives(app_factory, until, tmp_path,
                                                                                monkeypatch, key):
    monkeypatch.chdir(tmp_path)  # nothing to load there: one "not loaded" notice
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, key)
        burst(app, "enter", "enter", "enter")
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)
        assert sum(n.severity == "error" for n in app._notifications) == 1


async def test_the_dataset_picker_answered_three_times_switches_once(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "d")
        options = app.screen.query_one("OptionList")
        options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index("xor")
        burst(app, "enter", "enter", "enter")
        await until(pilot, lambda: app.experiment.dataset.name == "xor")
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)


async def test_the_data_dialog_answered_three_times_closes_once(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "D")
        burst(app, "enter", "enter", "enter")
        await until(pilot, lambda: only_the_main_screen(app))
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)


async def test_a_reset_question_answered_twice_resets_once_and_the_app_lives(app_factory, until):
    app = app_factory(iterations=10**7)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("full_stop")
        await until(pilot, lambda: app.trainer.iteration == 1)
        question = await open_dialog(pilot, until, app, "r", ConfirmScreen)
        question.action_answer(True)  # two y keys handled by the dialog before it is gone
        question.action_answer(False)
        await until(pilot, lambda: app.trainer.iteration == 0)
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)
        assert app.generation == 1  # the first answer (yes) counted, once


@pytest.mark.parametrize("key, screen_type", [("c", GradCheckScreen), ("question_mark", HelpScreen)])
async def test_closing_a_view_dialog_twice_closes_it_once(app_factory, until, key, screen_type):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_dialog(pilot, until, app, key, screen_type)
        dialog.dismiss()  # escape twice, both handled by the dialog
        dialog.dismiss()
        await pilot.pause(0.3)
        assert app.is_running
        assert only_the_main_screen(app)
        burst(app, "escape", "escape")
        await pilot.pause(0.2)
        assert app.is_running


async def test_a_gradient_check_that_finishes_after_its_dialog_closed_is_dropped(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_dialog(pilot, until, app, "c", GradCheckScreen)
        await pilot.press("escape")
        await until(pilot, lambda: only_the_main_screen(app))
        result, note = check_gradients(app.experiment, app.trainer.parameters_copy())
        screen.show_result(result, note)  # what the worker does when its check ends late
        screen.show_error("late failure")
        await pilot.pause(0.2)
        assert app.is_running


async def page_keys_on_a_short_terminal(pilot, app, height: int = 4) -> None:
    """Shrink the terminal to ``height`` lines (no line left for a dialog's list), press the page
    and arrow keys, check the app lives, and give it back its 120x36."""
    await pilot.resize_terminal(120, height)
    await pilot.pause(0.2)
    await pilot.press("pagedown", "pageup", "down", "up", "pagedown")
    await pilot.pause(0.2)
    assert app.is_running
    await pilot.resize_terminal(120, 36)
    await pilot.pause(0.2)


async def test_page_keys_in_a_command_palette_without_room_for_its_list_do_not_kill_the_app(app_factory, until):
    """Textual 8.2.8: ``OptionList._move_page`` raises ``KeyError`` while the palette's list has no height."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "ctrl+p", CommandPalette)
        await pilot.press("down")  # the list of commands is shown, the first highlighted
        await page_keys_on_a_short_terminal(pilot, app)
        await pilot.press(*"grad check", "enter")  # the palette still runs commands
        await until(pilot, lambda: isinstance(app.screen, GradCheckScreen))


async def test_page_keys_in_the_theme_picker_without_room_for_its_list_do_not_kill_the_app(app_factory, until):
    """The palette's "Theme" opens a second palette (Textual's ``search_themes``): it is guarded too."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "ctrl+p", CommandPalette)
        await pilot.press(*"theme")
        await pilot.pause(0.5)  # the list shows the match
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette) and "themes" in app.screen.query_one(Input).placeholder)
        await pilot.press("down")
        await page_keys_on_a_short_terminal(pilot, app)
        await pilot.press(*"textual-light", "enter")  # the picker still picks
        await until(pilot, lambda: app.theme == "textual-light")


@pytest.mark.parametrize("height", [4, 6])
async def test_page_keys_in_the_dataset_picker_without_room_for_its_list_do_not_kill_the_app(app_factory, until, height):
    """The dataset picker's list is an ``OptionList`` too: on a terminal too short to show it, page keys do nothing."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "d", DatasetPicker)
        await page_keys_on_a_short_terminal(pilot, app, height)
        await pilot.press("home", "enter")  # the picker still picks: the first built-in
        await until(pilot, lambda: only_the_main_screen(app))
        assert app.experiment.config.dataset == next(iter(BUILTINS))


async def test_page_keys_racing_the_command_palette_open_do_not_kill_the_app(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(5):
            burst(app, "ctrl+p", "pagedown", "pageup", "pagedown", "r", "pagedown", "escape")
            await pilot.pause(0.3)
            assert app.is_running
            if CommandPalette.is_open(app):
                await pilot.press("escape")


async def test_a_palette_command_chosen_with_racing_enters_runs_once(app_factory, until):
    app = app_factory()
    opened: list[object] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "ctrl+p", CommandPalette)
        await pilot.press(*"help")
        await pilot.pause(0.5)  # the list shows the match
        burst(app, "enter", "enter", "enter", "enter")
        for _ in range(20):
            await pilot.pause(0.05)
            opened.extend(s for s in app.screen_stack if isinstance(s, HelpScreen) and s not in opened)
        assert app.is_running
        assert len(opened) == 1, app.screen_stack


async def test_ctrl_p_over_a_dialog_that_opened_over_the_palette_keeps_one_palette(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "ctrl+p", CommandPalette)
        app.push_screen(ConfirmScreen("A question from a worker that finished meanwhile?"))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert app.is_running
        assert sum(isinstance(s, CommandPalette) for s in app.screen_stack) == 1


async def test_a_palette_search_that_runs_after_the_palette_closed_does_not_kill_the_app(app_factory, until):
    """Typed letters queued behind escape start a search on a palette whose list is gone (``NoMatches``)."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_dialog(pilot, until, app, "ctrl+p", CommandPalette)
        palette = app.screen
        await pilot.press("escape")
        await until(pilot, lambda: only_the_main_screen(app))
        palette._gather_commands("grad")  # what a queued Input.Changed does
        await pilot.pause(0.5)
        assert app.is_running


async def test_the_quick_sweep_form_answered_three_times_starts_one_sweep(app_factory, until, tmp_path):
    from tui_nn.widgets.compare_screen import CompareScreen
    from tui_nn.widgets.quick_sweep_dialog import QuickSweepDialog

    app = app_factory(iterations=200, out=str(tmp_path / "runs"))
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_dialog(pilot, until, app, "S", QuickSweepDialog)
        await pilot.press("backspace", "2", ",", "3")  # the units field has the focus, holding 4
        burst(app, "enter", "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        await until(pilot, lambda: app._sweep is None and all(r.ended for r in app.history.records), 120)
        assert form.answered and app.is_running
        assert [r.config.hidden for r in app.history.records] == [(2,), (3,)]
        assert len(list((tmp_path / "runs").iterdir())) == 1  # one sweep folder
        assert sum(isinstance(s, CompareScreen) for s in app.screen_stack) == 1
