"""Issue 21 C and D18: what a person typed is never dropped without a word: F10 and signals
with a half-typed note or an open form, a stale form, a deleted item, no place to rescue to,
a resize storm."""

from __future__ import annotations

import signal
import tempfile

import pytest
from textual.widgets import Input

from cjmtui.core import workspace as workspace_module
from cjmtui.core.errors import SaveError
from cjmtui.core.model import find
from cjmtui.ui import autosave as saving_module
from cjmtui.ui import main as main_module
from cjmtui.ui.screens.dialogs import Choice
from cjmtui.ui.screens.form import ItemForm
from helpers import SIZE, fill, make_app, on_disk, type_text, wait_for


async def test_with_nowhere_to_save_or_rescue_the_notes_are_printed_and_the_exit_fails(
    example_copy, monkeypatch, capsys
):
    """C12: no usable temporary folder and nowhere writable: F10 ended in a traceback from
    tempfile.gettempdir() and the note was lost. Now every place is tried, then the notes are
    printed once the terminal is back, and the exit status says it went wrong."""
    path = example_copy()
    app = make_app(path)

    def refuse(target, *args, **kwargs):
        raise SaveError(f"{target}: could not save (No space left on device)")

    def no_temp_folder() -> str:
        raise FileNotFoundError("No usable temporary directory found in ['/tmp', '/var/tmp']")

    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(workspace_module, "save_session", refuse)
        monkeypatch.setattr(tempfile, "gettempdir", no_temp_folder)
        await pilot.press("a")
        await type_text(pilot, "only in memory now")
        await pilot.press("enter", "escape")
        await pilot.press("f10")
        assert await wait_for(pilot, lambda: isinstance(app.screen, Choice))
        await pilot.press("q")  # quit, write a rescue copy (which nothing takes)
        await pilot.pause()
    code = main_module.leave(app, app.return_value)
    printed = capsys.readouterr()
    assert code != 0
    assert "only in memory now" in printed.out
    assert "copy them" in printed.err + printed.out


async def test_f10_with_a_half_typed_note_adds_it_and_says_so(example_copy, monkeypatch):
    """C8: F10 with a note typed in quick capture but not entered quit and dropped it."""
    monkeypatch.setattr(saving_module, "AUTOSAVE_DELAY", 60.0)  # only quitting can save it
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "half typed when the bell rang")
        await pilot.press("f10")
        await pilot.pause()
    assert "half typed when the bell rang" in {p.text for p in on_disk(path).pains}
    assert "half typed when the bell rang" in app.autosave.told


async def test_f10_with_the_edit_form_open_and_changed_applies_the_change(example_copy, monkeypatch):
    """C8: F10 with the edit form open and changed quit and dropped the change."""
    monkeypatch.setattr(saving_module, "AUTOSAVE_DELAY", 60.0)
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        await fill(pilot, form.query_one("#f-text", Input), "Rewritten in the form, never submitted")
        await pilot.press("f10")
        await pilot.pause()
    assert find(on_disk(path), "pains", pain_id).text == "Rewritten in the form, never submitted"
    assert "your changes were saved" in app.autosave.told


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
async def test_a_signal_with_the_edit_form_open_applies_the_change(example_copy, signum):
    """C8: SIGTERM and SIGHUP with the edit form open dropped the change."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        await fill(pilot, form.query_one("#f-text", Input), "Typed as the link dropped")
        app.autosave.on_signal(signum)
        await wait_for(pilot, lambda: not app.is_running, timeout=3)
    assert app.return_value == 128 + signum
    assert find(on_disk(path), "pains", pain_id).text == "Typed as the link dropped"
