"""The step-through dialog (s): every number it shows is the core's, and "apply" is a '.' step."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tui_nn.core import compute_cost, get_activation, l2_cost, model_backward, model_forward, update_parameters
from tui_nn.step_pages import trainer_agreement
from tui_nn.widgets.help_screen import HelpScreen, keys_table
from tui_nn.widgets.path_prompt import PathPrompt
from tui_nn.widgets.stepthrough_screen import StepThroughScreen

NUMBER = r"[+-](?:\d+\.\d+(?:e[+-]\d+)?|inf)|nan"
HEADER = re.compile(rf"^  (.+?) \((\d+),(\d+)\)  min ({NUMBER})  max ({NUMBER})  mean ({NUMBER})$")
CHECK = re.compile(rf"^    \((\d+),(\d+)\)  backprop\s+({NUMBER})\s+numerical\s+({NUMBER})$")


def tolerance(text: str) -> float:
    """Half a unit in the last place shown: ``+1.234e-05`` → 5e-9, ``+0.01234`` → 5e-6."""
    if "e" in text:
        return 0.5 * 10.0 ** (int(text.split("e")[1]) - 3) * 1.0001
    return 0.5e-5 * 1.0001


def assert_shown(text: str, value: float, what: str) -> None:
    assert abs(float(text) - value) <= tolerance(text) + 1e-15, f"{what}: shown {text}, core {value!r}"


def blocks(lines: list[str]) -> list[tuple[str, tuple[int, int], list[str], list[list[str]]]]:
    """``(name, shape, [min, max, mean], rows of numbers)`` for every array a page shows."""
    found = []
    for i, line in enumerate(lines):
        match = HEADER.match(line)
        if not match:
            continue
        rows = []
        for row in lines[i + 1 :]:
            cells = re.findall(NUMBER, row)
            if not row.startswith("    ") or not cells or "backprop" in row:
                break
            rows.append(cells)
        found.append((match[1], (int(match[2]), int(match[3])), [match[4], match[5], match[6]], rows))
    return found


def reference(trainer, k: int, lr: float, lambd: float) -> dict[str, np.ndarray]:
    """Every array the pages may name, from the core's public blocks on the first k examples."""
    spec, P = trainer.spec, trainer.parameters_copy()
    X, Y = trainer.X[:, :k], trainer.Y[:, :k]
    AL, caches = model_forward(X, P, spec.activations)
    grads = model_backward(AL, Y, caches, spec.activations, lambd)
    after = update_parameters(P, grads, lr)
    L = spec.L
    ref = {"Y": Y, "A[0]": X}
    for l, c in enumerate(caches, start=1):
        ref |= {f"W[{l}]": c.W, f"b[{l}]": c.b, f"Z[{l}]": c.Z, f"A[{l}]": c.A}
        ref |= {f"dW[{l}]": grads[f"dW{l}"], f"db[{l}]": grads[f"db{l}"]}
        ref |= {f"W[{l}] before": P[f"W{l}"], f"W[{l}] after": after[f"W{l}"]}
        ref |= {f"b[{l}] before": P[f"b{l}"], f"b[{l}] after": after[f"b{l}"]}
    if spec.output == "sigmoid":
        s = 1 / (1 + np.exp(-caches[-1].Z))
        ref[f"dA[{L}]"] = -(Y / AL - (1 - Y) / (1 - AL))  # the course's formula
        ref[f"dZ[{L}] chain"] = ref[f"dA[{L}]"] * s * (1 - s)
    elif spec.output == "linear":
        ref[f"dA[{L}]"] = ref[f"dZ[{L}] chain"] = AL - Y  # half squared error; g' = 1
    ref[f"dZ[{L}] = A[{L}] - Y"] = ref[f"dZ[{L}]"] = AL - Y
    for l in range(L, 1, -1):
        ref[f"dA[{l - 1}]"] = caches[l - 1].W.T @ ref[f"dZ[{l}]"]
        c = caches[l - 2]
        ref[f"dZ[{l - 1}]"] = get_activation(spec.activations[l - 2]).backward(ref[f"dA[{l - 1}]"], c.Z, c.A)
    ref["J"] = np.array(compute_cost(caches[-1].Z, Y, spec.output) + l2_cost(P, lambd, k, L))
    return ref


def assert_page_matches(title: str, lines: list[str], ref: dict[str, np.ndarray]) -> int:
    """Check every block, every J and every numerical check on a page; returns how many numbers were compared."""
    compared = 0
    for name, shape, stats, rows in blocks(lines):
        assert name in ref, f"{title}: unknown array {name}"
        a = ref[name]
        assert shape == a.shape, (title, name)
        for text, value in zip(stats, (a.min(), a.max(), a.mean())):
            assert_shown(text, float(value), f"{title} {name} summary")
        assert len(rows) == min(a.shape[0], 4), (title, name)
        for i, row in enumerate(rows):
            assert len(row) == min(a.shape[1], 5), (title, name)
            for j, text in enumerate(row):
                assert_shown(text, float(a[i, j]), f"{title} {name}[{i},{j}]")
                compared += 1
    for line in lines:
        if match := re.match(r"^  J = (\S+)$", line):
            assert float(match[1]) == pytest.approx(float(ref["J"]), abs=1e-10)
    checked = re.search(r"numerical check of (\S+):", "\n".join(lines))
    if checked:
        grad = ref[checked[1]]
        entries = [CHECK.match(line) for line in lines if CHECK.match(line)]
        assert entries, title
        for match in entries:
            r, c = int(match[1]), int(match[2])
            assert_shown(match[3], float(grad[r, c]), f"{title} check {checked[1]}")
            assert_shown(match[4], float(grad[r, c]), f"{title} numerical {checked[1]}")
        error = re.search(r"relative error (\S+)  ok$", "\n".join(lines), re.M)
        assert error and float(error[1]) < 1e-7, title
    return compared


def body_lines(screen) -> list[str]:
    return str(screen.query_one("#step-body").render()).rstrip("\n").split("\n")


async def open_step(pilot, until, app) -> StepThroughScreen:
    await pilot.press("s")
    await until(pilot, lambda: isinstance(app.screen, StepThroughScreen) and app.screen.view is not None)
    return app.screen


async def walk(pilot, screen) -> list[tuple[str, list[str]]]:
    """Every page, reached with the right arrow only."""
    pages = []
    for i in range(len(screen.view.pages)):
        assert screen.page == i
        title = str(screen.query_one("#step-title").render())
        assert f"[{i + 1}/{len(screen.view.pages)}]" in title
        pages.append((title, body_lines(screen)))
        await pilot.press("right")
    return pages


@pytest.mark.parametrize("changes", [
    {},
    {"hidden": (5, 3), "activations": ("relu", "tanh"), "init": "he", "l2": 0.7, "learning_rate": 0.3},
    {"hidden": (), "activations": ()},
    {"dataset": "spiral3", "hidden": (6,), "activations": ("relu",), "init": "he", "learning_rate": 0.5},
    {"dataset": "plane", "hidden": (3,), "activations": ("tanh",), "learning_rate": 0.05},
], ids=["flower-2-4-1", "2-5-3-1-relu-tanh-l2", "logistic", "softmax", "regression"])
async def test_every_value_shown_equals_the_core_arrays(app_factory, until, changes):
    app = app_factory(**changes)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("full_stop")  # from trained, not initial, parameters
        await until(pilot, lambda: app.trainer.iteration == 1 and app.state == "paused")
        screen = await open_step(pilot, until, app)
        assert screen.request.examples == 5
        ref = reference(app.trainer, 5, app.config.learning_rate, app.config.l2)
        pages = await walk(pilot, screen)
        compared = sum(assert_page_matches(title, lines, ref) for title, lines in pages)
        L = app.experiment.spec.L
        sections = [p.section for p in screen.view.pages]
        assert sections.count("forward") == 2 * L and sections.count("update") == L
        softmax = app.experiment.spec.output == "softmax"  # no element-wise dA[L]
        assert sections.count("backward") == 4 * L - softmax  # dA[l], dZ[l], dW[l], db[l] for every layer
        assert compared > 50
        titles = " ".join(t for t, _ in pages)
        for l in range(1, L + 1):
            assert f"dW[{l}]" in titles and f"Update, layer {l} of {L}" in titles
        shapes = "\n".join(line for _, lines in pages for line in lines if "shapes" in line)
        n1 = app.experiment.spec.layer_dims[1]
        n0 = app.experiment.spec.n_x
        assert f"({n1},{n0})·({n0},5) + ({n1},1) → ({n1},5)" in shapes


async def test_logistic_regression_shows_its_computation_graph(app_factory, until):
    app = app_factory(hidden=(), activations=())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, until, app)
        assert screen.view.pages[0].section == "graph"
        text = "\n".join(body_lines(screen))
        for box in ("│ z = wᵀx + b  │───▶│   a = σ(z)   │───▶│   L(a, y)    │", "◀───"):
            assert box in text
        P, t = app.trainer.parameters_copy(), app.trainer
        x, y = t.X[:, 0], float(t.Y[0, 0])
        z = float(P["W1"][0] @ x + P["b1"][0, 0])
        a = 1 / (1 + np.exp(-z))
        shown = {k: float(re.search(rf"^  {re.escape(k)}\s+.*?({NUMBER})$", text, re.M)[1]) for k in
                 ("z = wᵀx + b", "a = σ(z) = 1 / (1 + e^-z)", "da = -y/a + (1-y)/(1-a)", "dz = da · a(1 - a) = a - y", "db = dz")}
        assert shown["z = wᵀx + b"] == pytest.approx(z, abs=5e-6)
        assert shown["a = σ(z) = 1 / (1 + e^-z)"] == pytest.approx(a, abs=5e-6)
        assert shown["da = -y/a + (1-y)/(1-a)"] == pytest.approx(-y / a + (1 - y) / (1 - a), abs=5e-6)
        assert shown["dz = da · a(1 - a) = a - y"] == pytest.approx(a - y, abs=5e-6)
        assert shown["db = dz"] == pytest.approx(a - y, abs=5e-6)
        dw = [float(v) for v in re.findall(NUMBER, re.search(r"^  dw = x dz\s+(\[.*\])$", text, re.M)[1])]
        np.testing.assert_allclose(dw, x * (a - y), atol=5e-6)
        await pilot.press("right")
        text = "\n".join(body_lines(screen))
        assert "│ Z = wᵀX + b  │" in text and "dw = (1/m) X dZᵀ   (2,5)·(5,1) → (2,1)" in text


async def _params_after(app_factory, until, keys: list[str], **changes) -> tuple[dict, object, str]:
    """Press ``keys`` (s opens the dialog and waits for it); returns the parameters after one step,
    the dialog and what its apply line said just before "a"."""
    app = app_factory(**changes)
    async with app.run_test(size=(120, 36)) as pilot:
        screen, said = None, ""
        for key in keys:
            if key == "a":
                said = str(screen.query_one("#step-apply").render())
            if key == "s":
                screen = await open_step(pilot, until, app)
            elif key in ("m", "k"):
                await pilot.press(key)
                await until(pilot, lambda: screen.view.request is screen.request)
            else:
                await pilot.press(key)
        await until(pilot, lambda: app.trainer.iteration == 1 and app.state == "paused")
        assert not isinstance(app.screen, StepThroughScreen)
        return app.trainer.parameters_copy(), screen, said


async def test_apply_is_a_dot_step_bit_for_bit_and_the_update_shown(app_factory, until):
    dot, _, _ = await _params_after(app_factory, until, ["full_stop"])
    applied, screen, said = await _params_after(app_factory, until, ["s", "m", "a"])
    view = screen.view
    assert view.step.m == 400 and view.request.exact
    assert "takes exactly this step" in said
    for key in dot:
        np.testing.assert_array_equal(applied[key], dot[key])
        np.testing.assert_array_equal(applied[key], view.trainer_after[key])  # the preview the pages compare with
        np.testing.assert_allclose(applied[key], view.step.after[key], rtol=1e-12, atol=1e-15)  # the update on screen
    # The pages say how the trainer's own arithmetic compares with the course's W - α dW (0 today: bit for bit).
    difference = max(float(np.max(np.abs(applied[k] - view.step.after[k]))) for k in applied)
    last = " ".join(" ".join(view.pages[-1].lines).split())
    assert " ".join(trainer_agreement(difference).split()) in last


async def test_with_k_examples_apply_says_it_takes_the_full_dot_step(app_factory, until):
    dot, _, _ = await _params_after(app_factory, until, ["full_stop"])
    applied, screen, said = await _params_after(app_factory, until, ["s", "a"])
    assert screen.view.step.m == 5 and not screen.view.request.exact and screen.view.trainer_after is None
    assert "all 400 examples, not 5" in said
    last = "\n".join(screen.view.pages[-1].lines)
    assert "first 5 of the 400" in last and "on all 400, not the step shown" in last
    for key in dot:
        np.testing.assert_array_equal(applied[key], dot[key])
    assert not np.array_equal(applied["W1"], screen.view.step.after["W1"])  # not the 5-example step


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
async def test_with_momentum_or_adam_apply_is_the_trainers_own_step(app_factory, until, optimizer):
    dot, _, _ = await _params_after(app_factory, until, ["full_stop"], optimizer=optimizer, learning_rate=0.01)
    applied, screen, said = await _params_after(app_factory, until, ["s", "m", "a"], optimizer=optimizer,
                                                learning_rate=0.01)
    assert f"instead: {optimizer}" in said
    assert f"The screen shows plain gradient descent" in "\n".join(screen.view.pages[-1].lines)
    for key in dot:
        np.testing.assert_array_equal(applied[key], dot[key])
    assert not np.array_equal(applied["W1"], screen.view.step.after["W1"])


async def test_k_is_editable_and_escape_changes_nothing(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.trainer.parameters_copy()
        screen = await open_step(pilot, until, app)
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one("Input").value = ""
        await pilot.press("1", "2", "enter")
        await until(pilot, lambda: screen.view.request.examples == 12)
        assert "first 12 of 400 examples" in str(screen.query_one("#step-header").render())
        assert "(4,2)·(2,12) + (4,1) → (4,12)" in "\n".join(body_lines(screen))
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one("Input").value = "lots"
        await pilot.press("enter")
        await until(pilot, lambda: any("k must be a whole number from 1 to 400" in str(n.message) for n in app._notifications))
        assert screen.request.examples == 12
        await pilot.press("m")
        await until(pilot, lambda: screen.view.request.examples == 400)
        await pilot.press("m")
        await until(pilot, lambda: screen.view.request.examples == 12)
        await pilot.press("u")
        assert screen.view.pages[screen.page].section == "update"
        await pilot.press("b")
        assert screen.view.pages[screen.page].title.endswith("dA[2]")
        await pilot.press("f")
        assert screen.page == 0
        await pilot.press("left")
        assert screen.page == 0
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, StepThroughScreen))
        assert app.trainer.iteration == 0
        for k, v in before.items():
            np.testing.assert_array_equal(app.trainer.parameters_copy()[k], v)


async def test_opening_pauses_a_run_and_a_stale_step_is_not_applied(app_factory, until):
    app = app_factory(iterations=10_000_000)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.trainer.iteration > 5)
        screen = await open_step(pilot, until, app)
        assert app.state == "paused"
        await until(pilot, lambda: app.training is None or not app.training.running)
        if all(np.array_equal(v, screen.request.parameters[k]) for k, v in app.trainer.parameters_copy().items()):
            app.trainer.step()  # stands in for a step that finished after the copy was taken
        done = app.trainer.iteration
        await pilot.press("a")
        await until(pilot, lambda: any("parameters changed" in str(n.message) for n in app._notifications))
        await pilot.pause(0.3)
        assert app.trainer.iteration == done


async def test_the_key_is_in_help_and_the_palette(app_factory, until):
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        assert "Step through (s)" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = " ".join(str(c) for col in keys_table(app.screen._keys).columns for c in col._cells)
        assert "Step through" in rows


async def test_the_dialog_survives_any_terminal_size_and_a_large_input(app_factory, until):
    """Digits (64 inputs, 10 classes): corners with ⋮ and …; resized down to 20x5 and back while walking."""
    app = app_factory(dataset="digits", hidden=(16,), activations=("relu",), init="he", learning_rate=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, until, app)
        text = "\n".join(body_lines(screen))
        assert "A[0] (64,5)" in text and "⋮" in text and "(16,64)·(64,5) + (16,1) → (16,5)" in text
        for size in [(40, 12), (20, 5), (30, 8), (120, 36)]:
            await pilot.resize_terminal(*size)
            await pilot.press("right", "down", "end", "u", "b")
        assert isinstance(app.screen, StepThroughScreen) and screen.view.pages[screen.page].title.endswith("dZ[2]")
