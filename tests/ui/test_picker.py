"""The session picker: sessions most recent first, open one, or start a new one from a template."""

from __future__ import annotations

import os
import shutil
import time

from textual.widgets import Input

from cjmtui.core.templates import new_session
from cjmtui.ui.app import CjmApp
from cjmtui.ui.screens.dialogs import AskName, Choice
from cjmtui.ui.screens.picker import PickerScreen
from cjmtui.ui.widgets.topbar import TopBar
from helpers import EXAMPLES, SIZE, fill, make_app, on_disk, screen_text, table_texts, wait_for


def _sessions_folder(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    now = time.time()
    for age, name in ((300, "online-ordering"), (100, "professional-services-onboarding"), (200, "third")):
        source = EXAMPLES / f"{'online-ordering' if name == 'third' else name}.toml"
        target = folder / f"{name}.toml"
        shutil.copyfile(source, target)
        os.utime(target, (now - age, now - age))
    (folder / "notes.txt").write_text("not a session")
    return folder


async def test_picker_lists_sessions_most_recent_first_and_opens_one(tmp_path):
    folder = _sessions_folder(tmp_path)
    app = CjmApp(None, folder, watch_disk=False, handle_signals=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PickerScreen)
        rows = [r.split(" | ")[0] for r in table_texts(app.screen.query_one("#sessions"))]
        assert rows == ["professional-services-onboarding.toml", "third.toml", "online-ordering.toml"]
        await pilot.press("down", "down", "enter")
        assert app.workspace is not None, "Enter did not open the highlighted session"
        assert app.workspace.path == folder / "online-ordering.toml"
        assert type(app.screen).__name__ == "PainsScreen"
        assert "Online ordering — current state" in str(app.screen.query_one(TopBar).render())
        assert app.is_running


async def test_picker_creates_a_session_from_the_buying_template(tmp_path):
    folder = _sessions_folder(tmp_path)
    before = set(folder.glob("*.toml"))
    app = CjmApp(None, folder, watch_disk=False, handle_signals=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, AskName), "n did not ask for a title"
        await fill(pilot, app.screen.query_one(Input), "Spring buying workshop")
        await pilot.press("enter")
        assert isinstance(app.screen, Choice), "no template choice"
        key = next(k for k, _label, value in app.screen.answers if value == "buying")
        await pilot.press(key)

        created = set(folder.glob("*.toml")) - before
        assert len(created) == 1, f"expected one new session file, got {created}"
        path = created.pop()
        session = on_disk(path)
        expected = new_session("Spring buying workshop", "buying")
        assert session.session.title == "Spring buying workshop"
        assert session.session.journey == "buying"
        assert [s.name for s in session.stages] == [s.name for s in expected.stages]
        assert len(session.stages) == 5

        assert app.workspace is not None and app.workspace.path == path, "the new session was not opened"
        assert "Spring buying workshop" in str(app.screen.query_one(TopBar).render())
        assert app.stage_id == expected.stages[0].id


async def test_keys_that_need_a_session_do_nothing_on_the_picker(tmp_path):
    """Issue 10: a screen key on the picker ended the app with an AssertionError traceback."""
    folder = _sessions_folder(tmp_path)
    app = CjmApp(None, folder, watch_disk=False, handle_signals=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1234567890", "t", "T", "N", "p", "L", "S", "u", "U")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, PickerScreen)
        assert app.workspace is None
        bar = str(app.screen.query_one("#keybar").render())
        assert "Screens" not in bar and "Timer" not in bar, bar
        assert "Help" in bar and "Quit" in bar


async def test_palette_new_session_creates_one_and_keeps_the_open_one(tmp_path):
    folder = _sessions_folder(tmp_path)
    first = folder / "online-ordering.toml"
    app = make_app(first)
    async with app.run_test(size=SIZE) as pilot:
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"new session")
        assert await wait_for(pilot, lambda: "New session…" in screen_text(app)), screen_text(app)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, AskName)), "the palette did not ask for a title"
        await fill(pilot, app.screen.query_one(Input), "Autumn workshop")
        await pilot.press("enter")
        assert isinstance(app.screen, Choice), "no template choice"
        await pilot.press("1")
        created = folder / "Autumn-workshop.toml"
        assert await wait_for(pilot, lambda: app.workspace is not None and app.workspace.path == created), (
            sorted(p.name for p in folder.iterdir()),
            screen_text(app),
        )
        assert on_disk(created).session.title == "Autumn workshop"
        assert "Autumn workshop" in str(app.screen.query_one(TopBar).render())
    assert on_disk(first).session.title == "Online ordering — current state", "the open session was damaged"
