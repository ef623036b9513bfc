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


async def test_saves_right_after_one_taken_in_come_in_together_and_none_is_missed(tmp_path, monkeypatch):
    """Twenty people pressing Enter within a second: each screen took their notes in one by one,
    a redraw each, and the room's CPU queued for seconds. Saves within TAKE_IN_SPACING of the last
    one taken in come in together, a moment later; every note arrives."""
    import time

    from cjmtui.ui import autosave

    spacing = 1.5  # (longer than the real 0.25 s: a busy machine's pauses stay well inside it)
    monkeypatch.setattr(autosave, "TAKE_IN_SPACING", spacing)
    path, ana, ben = two_instances(tmp_path)
    app = CjmApp(Workspace.open(path), tmp_path, handle_signals=False, watch_disk=False)
    workspace = app.workspace
    assert workspace is not None
    pulls: list[float] = []
    pull = workspace.pull

    def counted_pull():
        pulls.append(time.monotonic())
        return pull()

    workspace.pull = counted_pull
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        write_note(ana, "Ana's note", "Ana")
        assert ana.save().ok
        app.autosave.check_disk()  # (the server's poke)
        await app.workers.wait_for_complete()
        for text, person, ws in (("Ben's note", "Ben", ben), ("Ana's second", "Ana", ana)):
            ws.pull()
            write_note(ws, text, person)
            assert ws.save().ok
            app.autosave.check_disk()
            await pilot.pause(0.1)  # each taken in by itself, were it read at once
        for _ in range(80):
            await pilot.pause(0.05)
            if {"Ben's note", "Ana's second"} <= {p.text for p in app.session.pains}:
                break
        texts = {p.text for p in app.session.pains}
    assert {"Ana's note", "Ben's note", "Ana's second"} <= texts, "a note was not taken in"
    assert len(pulls) == 2, f"the two saves right after the first were read {len(pulls) - 1} times, not once"
    assert pulls[1] - pulls[0] >= spacing * 0.9
