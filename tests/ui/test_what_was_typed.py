"""Issue 21 C and D18: what a person typed is never dropped without a word: F10 and signals
with a half-typed note or an open form, a stale form, a deleted item, no place to rescue to,
a resize storm."""

from __future__ import annotations

import signal
import tempfile

import pytest
from textual.widgets import Input

from cjmtui.core import workspace as workspace_module
from cjmtui.core.edit import add_item, delete_item, update_item
from cjmtui.core.errors import SaveError
from cjmtui.core.model import find
from cjmtui.core.workspace import Workspace
from cjmtui.ui import autosave as saving_module
from cjmtui.ui import main as main_module
from cjmtui.ui.screens.dialogs import Choice
from cjmtui.ui.screens.form import ItemForm
from helpers import SIZE, fill, make_app, notifications, on_disk, screen_text, type_text, wait_for, wait_saved


def _no_watchdog(monkeypatch) -> None:
    """A signal starts a watchdog that ends the process (os._exit) if leaving hangs: not the
    test runner's process."""
    monkeypatch.setattr(saving_module.Autosave, "_hard_exit", lambda self, signum: None)


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
async def test_a_signal_with_the_edit_form_open_applies_the_change(example_copy, signum, monkeypatch):
    """C8: SIGTERM and SIGHUP with the edit form open dropped the change."""
    _no_watchdog(monkeypatch)
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


async def _someone_else_saves(app, pilot, path, change) -> None:
    """Another instance on the same file saves ``change(session)``; this app merges it in."""
    other = Workspace.open(path)
    other.history.apply("their edit", change(other.session))
    assert other.save().ok
    app.autosave.check_disk()
    assert await wait_for(pilot, lambda: app.workspace.fingerprint == other.fingerprint and not app.autosave.saving)


async def test_a_stale_form_asks_theirs_or_yours_and_keeps_what_nobody_else_changed(example_copy):
    """C9: A and B open the same pain's form, A saves, B saves later: A's change was gone and
    nobody was told. Now a field only they changed stays theirs, a field only the form changed
    is applied, and a field both changed is shown side by side before the form closes."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        await _someone_else_saves(
            app,
            pilot,
            path,
            lambda s: update_item(
                s, "pains", pain_id, {"text": "Their words", "validation_note": "They checked"}, actor=None
            )[0],
        )
        await fill(pilot, form.query_one("#f-text", Input), "My words")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, Choice)), "no theirs / yours question"
        shown = screen_text(app)
        assert "Their words" in shown and "My words" in shown, shown
        await pilot.press("t")  # keep theirs
        assert await wait_for(pilot, lambda: not isinstance(app.screen, (Choice, ItemForm)))
        pain = find(app.session, "pains", pain_id)
        assert pain.text == "Their words"
        assert pain.validation_note == "They checked", "the stale form overwrote a field it never changed"

        await pilot.press("e")
        form = app.screen
        await _someone_else_saves(
            app, pilot, path, lambda s: update_item(s, "pains", pain_id, {"text": "Theirs 2"}, actor=None)[0]
        )
        await fill(pilot, form.query_one("#f-text", Input), "Mine 2")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, Choice))
        await pilot.press("y")  # use yours
        assert await wait_for(pilot, lambda: not isinstance(app.screen, (Choice, ItemForm)))
        assert find(app.session, "pains", pain_id).text == "Mine 2"
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", pain_id).text == "Mine 2"


async def test_submitting_a_form_for_an_item_deleted_meanwhile_brings_it_back_with_the_edit(example_copy):
    """C10: A deletes a pain while B's form for it is open: B's submit failed with "no pain with
    id …" and the edit was lost. An edit against a deletion keeps the item, and says so."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        await _someone_else_saves(app, pilot, path, lambda s: delete_item(s, "pains", pain_id, actor=None))
        assert find(app.session, "pains", pain_id) is None
        await fill(pilot, form.query_one("#f-text", Input), "Edited while it was deleted")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ItemForm)), screen_text(app)
        assert find(app.session, "pains", pain_id).text == "Edited while it was deleted"
        assert any("brought it back" in n for n in notifications(app)), notifications(app)
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", pain_id).text == "Edited while it was deleted"


async def test_a_note_captured_at_a_stage_deleted_meanwhile_keeps_its_stage_and_says_so(example_copy):
    """C10: a note typed at a stage someone deleted meanwhile went silently under another stage
    (the entry still showed the old one). The stage comes back, with the note."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        stage_id = app.stage_id
        stage_name = find(app.session, "stages", stage_id).name
        await type_text(pilot, "typed at a stage being deleted")
        await _someone_else_saves(app, pilot, path, lambda s: delete_item(s, "stages", stage_id, actor=None))
        assert find(app.session, "stages", stage_id) is None
        await pilot.press("enter")
        await pilot.pause()
        pain = next(p for p in app.session.pains if p.text == "typed at a stage being deleted")
        assert pain.stage == stage_id
        assert find(app.session, "stages", stage_id).name == stage_name
        assert any("is back" in n for n in notifications(app)), notifications(app)
        await wait_saved(app, pilot)
        assert next(p for p in on_disk(path).pains if p.text == "typed at a stage being deleted").stage == stage_id


async def test_u_in_a_participants_app_never_deletes_the_facilitators_notes_or_ends_silent_writing(example_copy):
    """D15: in ``join --as Bo``, u after a merge undid "merge edits saved by someone else": the
    facilitator's notes were deleted from the file, and one u after their W ended silent writing."""
    from cjmtui.core.live import start_silent_writing

    path = example_copy()
    app = make_app(path, actor="Bo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")

        def facilitator(session):
            session = start_silent_writing(session, actor=None)
            stage = session.stages[0].id
            session = add_item(session, "pains", {"stage": stage, "text": "the facilitator's first"}, actor=None)[0]
            return add_item(session, "pains", {"stage": stage, "text": "the facilitator's second"}, actor=None)[0]

        await _someone_else_saves(app, pilot, path, facilitator)
        assert app.workspace.session.progress.silent
        await pilot.press("u", "u")
        await pilot.pause()
        assert any("Nothing to undo" in n for n in notifications(app)), notifications(app)
        whole = app.workspace.session
        assert {"the facilitator's first", "the facilitator's second"} <= {p.text for p in whole.pains}
        assert whole.progress.silent, "Bo's u ended silent writing for the room"
        await pilot.pause(0.5)
    disk = on_disk(path)
    assert {"the facilitator's first", "the facilitator's second"} <= {p.text for p in disk.pains}
    assert disk.progress.silent


async def test_a_second_instance_is_told_what_happens_now_not_that_saves_are_stopped(example_copy):
    """C14: every join and second instance said "the second save is stopped and you choose",
    though saves merge."""
    import json
    import socket

    from cjmtui.core.lock import lock_path

    path = example_copy()
    # Another live process (pid 1 is always alive) has it open on this machine.
    lock_path(path).write_text(json.dumps({"pid": 1, "host": socket.gethostname(), "started": "09:00"}))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = " ".join(notifications(app))
        assert "also open in" in said, said
        assert "stopped" not in said, said
        assert "merges" in said and "later save" in said, said


async def test_the_person_whose_words_a_later_save_replaced_is_told(example_copy):
    """C14: A saved a pain's words, B saved other words for it later: B (the saver) was told,
    A's words silently changed on A's screen."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        b = Workspace.open(path)
        app.update("pains", pain_id, {"text": "A's words"})
        await wait_saved(app, pilot)
        b.history.apply("B edits", update_item(b.session, "pains", pain_id, {"text": "B's words"}, actor=None)[0])
        assert b.save().ok
        app.autosave.check_disk()
        assert await wait_for(pilot, lambda: find(app.session, "pains", pain_id).text == "B's words")
        assert await wait_for(pilot, lambda: any("A's words" in n for n in notifications(app))), notifications(app)


@pytest.fixture
def full_disk(tmp_path):
    """A real, full tmpfs (root only): every write in it fails with ENOSPC."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "full"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=False).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


async def test_on_a_full_disk_with_no_temporary_folder_sigterm_prints_the_notes(
    example_copy, full_disk, monkeypatch, capsys
):
    """C12 with real faults: the session's folder, the data folder and the current folder on a
    full tmpfs, and no usable temporary folder (tempfile finds none): SIGTERM ended in a
    traceback from tempfile.gettempdir() and the note was lost."""
    import shutil

    _no_watchdog(monkeypatch)

    path = full_disk / "s.toml"
    shutil.copyfile(example_copy(), path)
    with open(full_disk / "filler", "wb") as filler:  # fill what is left of the disk
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    monkeypatch.setenv("XDG_DATA_HOME", str(full_disk / "data"))
    monkeypatch.chdir(full_disk)
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tempfile, "_candidate_tempdir_list", lambda: [str(full_disk)])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "typed on a full disk")
        app.autosave.on_signal(signal.SIGTERM)
        await wait_for(pilot, lambda: not app.is_running, timeout=3)
    code = main_module.leave(app, app.return_value)
    printed = capsys.readouterr()
    assert code != 0
    assert "typed on a full disk" in printed.out


async def test_notes_typed_through_a_resize_storm_that_moves_the_focus_stay_whole(example_copy):
    """D18: during 40 quick resizes, "resize note 120" was saved as "resize n" + "ote 120resize
    note 135". Keys go to the widget focused when each is read, through its own queue: when the
    focus left the entry mid-note and came back (as a resize storm can make it), the letters
    typed meanwhile took the longer way, the Enter overtook them and split the note. Here the
    focus moves away and back in the middle of every note, between resizes, as keys arrive."""
    from textual import events
    from textual.geometry import Size

    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "a")
        screen = app.screen
        entry, table = screen.query_one("#capture-input"), screen.table
        before = len(app.session.pains)
        sizes = [Size(80, 24), Size(50, 12), Size(120, 40), Size(100, 32)]
        notes = [f"resize note {n}" for n in range(120, 130)]
        for i, note in enumerate(notes):
            for char in note[:8]:
                app.post_message(events.Key("space" if char == " " else char, char))
            app.post_message(events.Resize(sizes[i % 4], sizes[i % 4]))
            app.call_later(screen.set_focus, table)  # the focus leaves the entry…
            for char in note[8:]:
                app.post_message(events.Key("space" if char == " " else char, char))
            app.call_later(screen.set_focus, entry)  # …and comes back before the Enter
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert await wait_for(pilot, lambda: len(app.session.pains) >= before + len(notes))
        await pilot.pause(0.2)
        assert [p.text for p in app.session.pains[before:]] == notes
