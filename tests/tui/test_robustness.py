"""Keys while a text field has focus, an error in the worker, and the command palette."""

from __future__ import annotations

from tui_nn.training import TrainingDriver
from tui_nn.widgets.path_prompt import PathPrompt
from tui_nn.widgets.status_line import StatusLine


async def test_printable_keys_type_into_a_text_field_instead_of_acting(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, PathPrompt))
        field = app.screen.query_one("Input")
        field.value = ""
        await pilot.press("q", "space", "r", "a", "plus", "full_stop")
        assert field.value == "q ra+."
        assert app.is_running and app.state == "ready" and app.trainer.iteration == 0
        assert app.experiment.spec.layer_dims == (2, 4, 1)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PathPrompt))


async def test_an_error_in_the_worker_is_shown_and_the_app_stays_usable(app_factory, until, monkeypatch):
    calls = {"n": 0}
    real_step = TrainingDriver._one_step

    def failing_once(self):
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("simulated: out of memory in the third step")
        return real_step(self)

    monkeypatch.setattr(TrainingDriver, "_one_step", failing_once)
    app = app_factory(iterations=10**7)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: any("out of memory" in str(n.message) for n in app._notifications))
        assert app.state == "paused"
        done = app.trainer.iteration
        await pilot.press("full_stop")  # a new worker takes over from the same trainer
        await until(pilot, lambda: app.trainer.iteration == done + 1)
        assert app.query_one(StatusLine).iteration == done + 1


async def test_every_key_is_in_the_command_palette(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 36)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("Run (space)", "Step (.)", "Reset (r)", "LR x2 (+)", "Add layer (a)", "Dataset (d)",
                         "Grad check (c)", "Save model (ctrl+s)", "Quit (q)"):
            assert expected in titles, expected
        # Textual's own Quit is the same command: listed once, with its key.
        assert [t for t in titles if t.startswith("Quit")] == ["Quit (q)"]
        assert "Theme" in titles
