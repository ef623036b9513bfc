"""Someone else's save taken in by the app as it happens (issue 22: a note on every screen within
a second, however many type at once)."""

from __future__ import annotations

import asyncio

from cjmtui.core.workspace import Workspace
from cjmtui.ui.app import CjmApp
from factories import two_instances, write_note


async def test_a_save_made_while_a_pull_runs_is_taken_in_without_waiting_for_another(tmp_path):
    """The app remembered the stat of the file *after* its pull, so a save made while the pull
    ran looked already taken in: that note stayed off this screen until someone saved again."""
    path, ana, ben = two_instances(tmp_path)
    app = CjmApp(Workspace.open(path), tmp_path, handle_signals=False)
    workspace = app.workspace
    assert workspace is not None
    pull = workspace.pull
    later = []

    def pull_then_another_save():
        result = pull()
        if not later:  # Ben saves while Ana's app is still taking in Ana's note
            later.append(True)
            write_note(ben, "Ben's note", "Ben")
            assert ben.save().ok
        return result

    workspace.pull = pull_then_another_save
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        write_note(ana, "Ana's note", "Ana")
        assert ana.save().ok
        for _ in range(80):  # well past two looks at the file
            await pilot.pause(0.05)
            texts = {p.text for p in app.session.pains}
            if "Ben's note" in texts:
                break
        await asyncio.sleep(0)
        assert {"Ana's note", "Ben's note"} <= {p.text for p in app.session.pains}
