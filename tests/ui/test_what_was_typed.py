"""Issue 21 C and D18: what a person typed is never dropped without a word: F10 and signals
with a half-typed note or an open form, a stale form, a deleted item, no place to rescue to,
a resize storm."""

from __future__ import annotations

import tempfile

from cjmtui.core import workspace as workspace_module
from cjmtui.core.errors import SaveError
from cjmtui.ui import main as main_module
from cjmtui.ui.screens.dialogs import Choice
from helpers import SIZE, make_app, type_text, wait_for


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
