"""Saving: the top bar's save state, conflicts with changes on disk, quitting, failed saves."""

from __future__ import annotations

import re

from cjmtui.core import workspace as workspace_module
from cjmtui.core.details import update_info
from cjmtui.core.errors import SaveError
from cjmtui.core.model import find
from cjmtui.core.store import dumps_session, load_session
from cjmtui.ui import autosave as saving_module
from cjmtui.ui.screens.dialogs import AskName, Choice
from cjmtui.ui.widgets.topbar import TopBar
from helpers import SIZE, make_app, notifications, on_disk, type_text, wait_for, wait_saved


def _top_bar(app) -> str:
    return str(app.screen.query_one(TopBar).render())


def _change_behind_the_apps_back(path) -> str:
    """Someone else saves a different (valid) version of the session."""
    session = update_info(load_session(path).session, {"title": "Changed by someone else"}, actor=None)
    text = dumps_session(session)
    path.write_text(text, "utf-8")
    return text


async def test_top_bar_shows_saved_time_after_a_change(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert re.search(r"\bsaved\s*$", _top_bar(app).rstrip()), _top_bar(app)
        await pilot.press("g")  # pain → gain
        assert find(app.session, "pains", "search-no-results").kind == "gain"
        await wait_saved(app, pilot)
        await pilot.pause()
        assert re.search(r"saved \d\d:\d\d:\d\d", _top_bar(app)), _top_bar(app)
        assert find(on_disk(path), "pains", "search-no-results").kind == "gain"


async def test_a_change_on_disk_is_merged_without_a_dialog(example_copy):
    """Issue 11: another instance's save used to stop ours with a dialog whose Reload took the
    next Enter or r typed for a note. Now both edits are kept, and nothing asks."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        _change_behind_the_apps_back(path)
        await pilot.press("g")
        await wait_saved(app, pilot)
        assert not isinstance(app.screen, Choice), "a dialog opened by itself"
        disk = on_disk(path)
        assert disk.session.title == "Changed by someone else", "their edit was overwritten"
        assert find(disk, "pains", "search-no-results").kind == "gain", "our edit was dropped"
        assert app.session.session.title == "Changed by someone else"
        await pilot.pause()
        assert "Changed by someone else" in _top_bar(app)


async def test_a_file_that_cannot_be_merged_holds_autosave_and_f2_offers_save_as(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        path.write_text("broken = [", "utf-8")
        await pilot.press("g")
        assert await wait_for(pilot, lambda: "NOT SAVED" in _top_bar(app)), _top_bar(app)
        assert not isinstance(app.screen, Choice), "a dialog opened by itself and would take typed keys"
        await pilot.press("r", "s")  # letters typed for a note reach no dialog
        assert path.read_text("utf-8") == "broken = [", "the file on disk was overwritten"
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, Choice)), "F2 did not ask"
        await pilot.press("s")
        assert isinstance(app.screen, AskName), "s did not ask for a new name"
        await pilot.press("enter")  # the suggested name
        copy = path.parent / "online-ordering-copy.toml"
        assert copy.is_file(), "save as did not create the new file"
        assert find(on_disk(copy), "pains", "search-no-results").kind == "gain"
        assert app.workspace.path == copy
        assert path.read_text("utf-8") == "broken = ["

        await pilot.press("a")
        await type_text(pilot, "after save as")
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot)
        assert any(p.text == "after save as" for p in on_disk(copy).pains)
        assert re.search(r"saved \d\d:\d\d:\d\d", _top_bar(app)), _top_bar(app)


async def test_f10_saves_before_quitting(example_copy, monkeypatch):
    monkeypatch.setattr(saving_module, "AUTOSAVE_DELAY", 60.0)  # only quitting can save it
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "last words before quitting")
        await pilot.press("enter")
        assert app.workspace.dirty
        await pilot.press("f10")
        await pilot.pause()
    assert app.return_code == 0
    assert any(p.text == "last words before quitting" for p in on_disk(path).pains)
    assert not (path.parent / f".{path.name}.lock").exists(), "the lock file was left behind"


async def test_failed_save_keeps_notes_and_recovers(example_copy, monkeypatch):
    path = example_copy()
    before = path.read_bytes()
    app = make_app(path)

    attempts = []

    def refuse(path, *args, **kwargs):
        attempts.append(path)
        raise SaveError(f"{path}: could not save (No space left on device); the file on disk is unchanged")

    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(workspace_module, "save_session", refuse)
        await pilot.press("a")
        await type_text(pilot, "first note")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: not app.save_ok), "the failed save is not reported"
        assert "NOT SAVED" in _top_bar(app), _top_bar(app)
        assert any("No space left" in n for n in notifications(app)), notifications(app)
        assert path.read_bytes() == before

        # Typing goes on; the notes stay in memory and the bar keeps warning.
        await type_text(pilot, "second note")
        await pilot.press("enter")
        assert [p.text for p in app.session.pains][-2:] == ["first note", "second note"]
        assert not app.save_ok, "the top bar stopped warning although nothing was saved"
        assert app.workspace.dirty

        tried = len(attempts)
        assert await wait_for(pilot, lambda: len(attempts) > tried, timeout=4.5), "no retry"
        assert sum("No space left" in n for n in notifications(app)) == 1, "the same failure toasted again"

        monkeypatch.undo()
        await type_text(pilot, "third note")
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot, timeout=4.5)  # the retry after a failure comes within 3 s
        await pilot.pause()
        saved = [p.text for p in on_disk(path).pains]
        assert saved[-3:] == ["first note", "second note", "third note"]
        assert app.save_ok
        assert re.search(r"saved \d\d:\d\d:\d\d", _top_bar(app)), _top_bar(app)


async def test_not_saved_warning_stays_while_typing_goes_on(example_copy, monkeypatch):
    app = make_app(example_copy())

    def refuse(path, *args, **kwargs):
        raise SaveError(f"{path}: could not save (Read-only file system); the file on disk is unchanged")

    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(workspace_module, "save_session", refuse)
        await pilot.press("a")
        await type_text(pilot, "first note")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: not app.save_ok)
        await type_text(pilot, "second note")
        await pilot.press("enter")
        assert "NOT SAVED" in _top_bar(app), _top_bar(app)


async def test_f10_right_after_enter_keeps_the_note(example_copy, monkeypatch):
    """Under load, a note whose Enter came just before F10 was still on its way from the entry to
    the session when the app saved and left: the note was lost (seen in the two-instance e2e test)."""
    from helpers import send_keys

    monkeypatch.setattr(saving_module, "AUTOSAVE_DELAY", 60.0)  # only quitting can save it
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await send_keys(pilot, *"typed just before F10", "enter", "f10")
        await pilot.pause()
    assert any(p.text == "typed just before F10" for p in on_disk(path).pains)


def test_the_watchdog_puts_a_live_terminal_back_as_it_found_it():
    """The signal watchdog ends the process without Textual's teardown: it must still leave the
    alternate screen, show the cursor and restore the terminal's modes (a busy machine's slow
    exit save must not leave a person's terminal raw)."""
    import os
    import pty
    import termios
    import tty

    from cjmtui.ui.terminal import restore_terminal, terminal_modes

    master, slave = pty.openpty()
    try:
        before = terminal_modes(slave)
        assert before is not None
        tty.setraw(slave)
        assert termios.tcgetattr(slave) != before
        restore_terminal(before, slave)
        assert termios.tcgetattr(slave) == before
        written = os.read(master, 4096)
        assert b"\x1b[?1049l" in written and b"\x1b[?25h" in written
    finally:
        os.close(master)
        os.close(slave)


async def test_a_save_lock_that_cannot_be_held_shows_not_saved_and_why(example_copy, monkeypatch):
    """Issue 21 A2: a FIFO planted at the save lock's name used to let every save go ahead
    unlocked. Now nothing is saved without the lock: the top bar says NOT SAVED, a message says
    why, every note stays, and the save goes through once the FIFO is gone."""
    import os

    monkeypatch.setattr(saving_module, "RETRY_DELAY", 0.3)
    path = example_copy()
    before = path.read_bytes()
    savelock = path.parent / f".{path.name}.savelock"
    os.mkfifo(savelock)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "kept while the lock is blocked")
        await pilot.press("enter", "escape")
        assert await wait_for(pilot, lambda: "NOT SAVED" in _top_bar(app), timeout=4), _top_bar(app)
        assert any(".savelock" in n and "pipe" in n and "remove it" in n for n in notifications(app)), notifications(
            app
        )
        assert path.read_bytes() == before, "saved without the save lock"
        assert "kept while the lock is blocked" in {p.text for p in app.session.pains}
        savelock.unlink()
        assert await wait_for(pilot, lambda: not app.workspace.dirty, timeout=4), "no retry after the FIFO went"
        assert "kept while the lock is blocked" in {p.text for p in on_disk(path).pains}


async def test_a_change_on_disk_that_removes_pains_says_how_many_and_how_to_bring_them_back(example_copy):
    """Issue 21 D16: an editor saving a stale copy deleted notes without a word."""
    from cjmtui.core.edit import delete_item

    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        theirs = load_session(path).session
        for pain in theirs.pains[:6]:
            theirs = delete_item(theirs, "pains", pain.id, actor=None)
        path.write_text(dumps_session(theirs), "utf-8")
        await pilot.press("a")
        await type_text(pilot, "typed while an editor saved")
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot)
        assert any("removed 6 pains" in n and "“Bring back”" in n for n in notifications(app)), notifications(app)
        on_disk = [p.text for p in load_session(path).session.pains]
        assert len(on_disk) == len(theirs.pains) + 1  # their deletions are in the file, with the note
        await pilot.press("ctrl+p")
        await type_text(pilot, "Bring back what another")
        await pilot.press("enter")
        await wait_saved(app, pilot)
        back = [p.text for p in load_session(path).session.pains]
        assert len(back) == len(theirs.pains) + 7, "the six pains their save removed are back"
        assert "typed while an editor saved" in back


async def test_an_empty_file_on_disk_shows_not_saved_and_never_wipes_the_session(example_copy, monkeypatch):
    """Issue 21 D16: an editor truncating the file in place made the app merge "everything
    deleted" and save. Now the top bar says NOT SAVED, the message says the file is empty, and
    once the file is whole again the note is saved with everything else."""
    monkeypatch.setattr(saving_module, "RETRY_DELAY", 0.3)
    monkeypatch.setattr(workspace_module, "REWRITE_WAIT", 0.2, raising=False)
    path = example_copy()
    full = path.read_bytes()
    everything = {p.text for p in on_disk(path).pains}
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        path.write_bytes(b"")
        await pilot.press("a")
        await type_text(pilot, "typed while an editor rewrote the file")
        await pilot.press("enter", "escape")
        assert await wait_for(pilot, lambda: "NOT SAVED" in _top_bar(app), timeout=4), _top_bar(app)
        assert any("empty" in n for n in notifications(app)), notifications(app)
        assert path.read_bytes() == b"", "the empty file was merged against and saved over"
        path.write_bytes(full)
        assert await wait_for(pilot, lambda: not app.workspace.dirty, timeout=4), "no retry after the file came back"
        assert {p.text for p in on_disk(path).pains} == everything | {"typed while an editor rewrote the file"}


def test_a_save_of_the_same_size_in_the_same_clock_tick_is_still_noticed(tmp_path):
    """Two participants' notes of the same length saved within one tick of the file system's
    clock gave the same (mtime, size): the disk watcher also compares the inode a save renames in."""
    import os

    from cjmtui.ui.autosave import _stat_key

    path = tmp_path / "s.toml"
    path.write_text("a = 1\n")
    first = os.stat(path)
    tmp = tmp_path / "s.toml.tmp"
    tmp.write_text("a = 2\n")
    os.utime(tmp, ns=(first.st_atime_ns, first.st_mtime_ns))  # the same tick
    os.replace(tmp, path)
    second = os.stat(path)
    assert (second.st_mtime_ns, second.st_size) == (first.st_mtime_ns, first.st_size)
    assert _stat_key(second) != _stat_key(first)
