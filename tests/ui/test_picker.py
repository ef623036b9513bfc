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
from helpers import EXAMPLES, SIZE, fill, make_app, on_disk, screen_text, table_texts, type_text, wait_for, wait_saved


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
        await pilot.press(_key(app.screen, "blank"))
        created = folder / "Autumn-workshop.toml"
        assert await wait_for(pilot, lambda: app.workspace is not None and app.workspace.path == created), (
            sorted(p.name for p in folder.iterdir()),
            screen_text(app),
        )
        assert on_disk(created).session.title == "Autumn workshop"
        assert "Autumn workshop" in str(app.screen.query_one(TopBar).render())
    assert on_disk(first).session.title == "Online ordering — current state", "the open session was damaged"


def _key(choice: Choice, value: str) -> str:
    return next(k for k, _label, v in choice.answers if v == value)


async def test_start_empty_and_run_a_workshop_without_deleting_anything(tmp_path):
    """Issue 10: "start empty" (journey type only), then departments, a persona, stages, processes,
    pains with their cause and a solution, all by capture, ranked on the summary; nothing to delete."""
    folder = tmp_path / "sessions"
    app = CjmApp(None, folder, watch_disk=False, handle_signals=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await fill(pilot, app.screen.query_one(Input), "Motor claims")
        await pilot.press("enter")
        assert isinstance(app.screen, Choice)
        assert "nothing prefilled" in screen_text(app), "the templates do not say what they prefill"
        await pilot.press(_key(app.screen, "empty"))
        assert isinstance(app.screen, Choice) and "What kind of journey?" in screen_text(app)
        await pilot.press(_key(app.screen, "service"))
        assert await wait_for(pilot, lambda: app.workspace is not None)
        path = folder / "Motor-claims.toml"
        assert on_disk(path).departments == [] and on_disk(path).stages == []

        async def capture(screen: str, *notes: str) -> None:
            await pilot.press(screen, "a")
            for note in notes:
                await type_text(pilot, note)
                await pilot.press("enter")
            await pilot.press("escape")

        await capture("8", "Claims handling", "Assessors")
        await capture("1", "Policyholder")
        await capture("2", "Report the claim /a@cl", "Get the car repaired /o@as")
        await pilot.press("home")
        await capture("4", "Log the claim")  # owned by the stage's owner
        await pilot.press("right_square_bracket")
        await capture("4", "Book an assessor @as")
        await capture("3", "Nobody told me what happens next !54@p#log", "I waited a week for anyone to call !44#book")
        await capture("5", "Text the policyholder when the claim is logged #log!18")
        await pilot.press("7")
        await wait_saved(app, pilot)

        session = on_disk(path)
        assert session.session.journey == "service"
        assert [d.name for d in session.departments] == ["Claims handling", "Assessors"]
        assert [(s.name, s.phase, s.owners) for s in session.stages] == [
            ("Report the claim", "awareness", [session.departments[0].id]),
            ("Get the car repaired", "onboarding", [session.departments[1].id]),
        ]
        log, book = session.processes
        assert (log.name, log.stage, log.owner) == ("Log the claim", session.stages[0].id, session.departments[0].id)
        assert (book.stage, book.owner) == (session.stages[1].id, session.departments[1].id)
        pains = {p.text: p for p in session.pains}
        assert pains["Nobody told me what happens next"].caused_by == [log.id]
        assert pains["Nobody told me what happens next"].personas == [session.personas[0].id]
        assert pains["I waited a week for anyone to call"].caused_by == [book.id]
        (solution,) = session.solutions
        assert solution.targets == [log.id] and solution.effort == 1
        text = screen_text(app)
        assert "Text the policyholder when the claim is logged" in text, text
