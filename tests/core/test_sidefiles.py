"""Issue 21 A, B6, D16: side files never written through links, never saved without the save
lock, never a stalled writer's older file over a newer one, never a FIFO waited on, one lock
for every path to a session, never an empty file merged against.

Every planted link points at a file this test made in its own temp folder; the victim is
compared byte for byte afterwards. Nothing outside the temp folder is touched.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cjmtui.core import edit, lock, presence, settings, store, viewstate
from cjmtui.core.lock import lock_path, save_lock_path
from cjmtui.core.merge import merge
from cjmtui.core.store import load_session, save_session
from cjmtui.core.workspace import Workspace
from factories import workshop


def _add(ws: Workspace, text: str) -> None:
    stage = ws.session.stages[0].id
    ws.history.apply("add", edit.add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=None)[0])


def _texts(path: Path) -> set[str]:
    return {p.text for p in load_session(path).session.pains}


def _victim(tmp_path: Path, name: str = "bashrc") -> tuple[Path, bytes]:
    folder = tmp_path / "victim"
    folder.mkdir(exist_ok=True)
    victim = folder / name
    content = f"# {name}: not to be touched\n".encode()
    victim.write_bytes(content)
    victim.chmod(0o600)
    return victim, content


# A1 ----------------------------------------------------------------------------------------------


def test_links_planted_at_every_side_file_name_leave_their_targets_untouched(tmp_path, monkeypatch):
    """`ln -s ../victim/bashrc .s.toml.lock`: opening, saving and leaving never write through it."""
    room = tmp_path / "room"
    room.mkdir()
    path = room / "s.toml"
    save_session(path, workshop())
    victims = {}
    for name in (".s.toml.lock", ".s.toml.savelock", "s.toml.bak"):
        victim, content = _victim(tmp_path, name.strip("."))
        (room / name).symlink_to(victim)
        victims[victim] = content
    here_target = tmp_path / "victim" / "here-dir"
    here_target.mkdir()
    (room / ".s.toml.here").symlink_to(here_target)
    state, config = tmp_path / "state", tmp_path / "config"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (state / "cjmtui").mkdir(parents=True)
    (config / "cjmtui").mkdir(parents=True)
    for link in (state / "cjmtui" / "views.json", config / "cjmtui" / "settings.toml"):
        victim, content = _victim(tmp_path, link.name)
        link.symlink_to(victim)
        victims[victim] = content

    ws = Workspace.open(path)
    ws.acquire()
    presence.beat(path, "Ana")
    presence.here(path)
    _add(ws, "typed in the room")
    result = ws.save()
    viewstate.save_view(path, viewstate.View(mode="map"))
    settings.save_setting("theme", "dark")
    presence.leave(path, "Ana")
    ws.release()

    for victim, content in victims.items():
        assert victim.read_bytes() == content, f"{victim.name} was written through a planted link"
        assert stat.S_IMODE(victim.stat().st_mode) == 0o600
    assert list(here_target.iterdir()) == [], "a heartbeat was written through the linked presence folder"
    for name in (".s.toml.lock", ".s.toml.savelock", "s.toml.bak", ".s.toml.here"):
        assert (room / name).is_symlink(), f"{name}: the planted link was replaced"
    # The save lock cannot be held (a link is at its name): the save waits for it to be removed.
    assert not result.ok and ".s.toml.savelock" in result.message and "link" in result.message
    (room / ".s.toml.savelock").unlink()
    assert ws.save().ok
    assert "typed in the room" in _texts(path)


# A2 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("planted", ["fifo", "folder", "link"])
def test_a_save_lock_that_cannot_be_held_stops_the_save_and_keeps_the_notes(tmp_path, planted):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    before = path.read_bytes()
    ws = Workspace.open(path)
    target = save_lock_path(path)
    if planted == "fifo":
        os.mkfifo(target)
    elif planted == "folder":
        target.mkdir()
    else:
        victim, content = _victim(tmp_path)
        target.symlink_to(victim)
    _add(ws, "not lost")
    result = ws.save()
    assert not result.ok, "saved without the save lock"
    assert ".s.toml.savelock" in result.message and "remove it" in result.message
    assert path.read_bytes() == before
    assert ws.dirty and "not lost" in {p.text for p in ws.session.pains}
    if planted == "link":
        assert victim.read_bytes() == content, "the save lock was opened through the link"
    if planted == "folder":
        target.rmdir()
    else:
        target.unlink()
    assert ws.save().ok
    assert "not lost" in _texts(path)


def _hold_save_lock(path: Path) -> tuple[int, int]:
    """A child process that holds the save lock until killed; returns (pid, read end)."""
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(ready_r)
            with lock.exclusive_save(path):
                os.write(ready_w, b"x")
                time.sleep(60)
        finally:
            os._exit(0)
    os.close(ready_w)
    assert os.read(ready_r, 1) == b"x"
    return pid, ready_r


def test_a_save_never_goes_ahead_while_another_process_holds_the_save_lock(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    ws = Workspace.open(path)
    monkeypatch.setattr(lock, "SAVE_LOCK_WAIT", 0.3)
    pid, fd = _hold_save_lock(path)
    try:
        before = path.read_bytes()
        _add(ws, "waits for the lock")
        result = ws.save()
        assert not result.ok and "another cjmtui" in result.message
        assert path.read_bytes() == before, "written while another process held the save lock"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert ws.save().ok and "waits for the lock" in _texts(path)


# A3 ----------------------------------------------------------------------------------------------


def _stop_before(path: Path, call: str, text: str, lock_wait: float | None = None) -> tuple[int, int]:
    """A child that opens ``path``, adds ``text``, and saves, stopping itself (SIGSTOP) right
    before ``call`` ("replace": the final rename; "fsync": writing its temp file). Returns
    (pid, read end of its exit report)."""
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            os.close(report_r)
            ws = Workspace.open(path)
            _add(ws, text)
            real = getattr(os, call)
            stopped = []

            def stall(*args, **kwargs):
                if not stopped and (call != "replace" or Path(args[1]) == path):
                    stopped.append(1)
                    os.kill(os.getpid(), signal.SIGSTOP)
                return real(*args, **kwargs)

            setattr(os, call, stall)
            result = ws.save()
            setattr(os, call, real)
            for _ in range(20):
                if result.ok:
                    break
                time.sleep(0.1)
                result = ws.save()
            os.write(report_w, b"ok" if result.ok else result.message.encode()[:200])
            code = 0
        finally:
            os._exit(code)
    os.close(report_w)
    return pid, report_r


def _wait_stopped(pid: int) -> None:
    _, status = os.waitpid(pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the writer did not stop where it should"


def _finish(pid: int, report: int) -> bytes:
    os.kill(pid, signal.SIGCONT)
    _, status = os.waitpid(pid, 0)
    out = os.read(report, 300)
    os.close(report)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return out


def test_a_writer_stopped_before_its_rename_never_replaces_a_newer_file(tmp_path, monkeypatch):
    """Issue 21 A3: writer A is SIGSTOPped right before its rename, longer than the lock wait; B
    must not save unlocked meanwhile, and A's resumed rename must not drop B's note."""
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    b = Workspace.open(path)
    monkeypatch.setattr(lock, "SAVE_LOCK_WAIT", 0.3)
    pid, report = _stop_before(path, "replace", "from A")
    _wait_stopped(pid)
    _add(b, "from B")
    first = b.save()  # A holds the lock, stopped: B waits 0.3 s and does not save
    assert _finish(pid, report) == b"ok"
    for _ in range(5):  # B's autosave tries again
        if b.save().ok and not b.dirty:
            break
    assert {"from A", "from B"} <= _texts(path), "A's older file replaced B's note"
    assert not first.ok, "B saved while A held the save lock"


def test_a_file_rewritten_by_another_program_before_the_rename_is_merged_again(tmp_path):
    """A writer that does not lock (an editor) saves while a cjmtui save is between its check
    and its rename (the cjmtui writer is SIGSTOPped there): the editor's change is merged, not
    replaced."""
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    pid, report = _stop_before(path, "fsync", "from cjmtui")
    _wait_stopped(pid)
    other = load_session(path).session
    stage = other.stages[0].id
    other = edit.add_item(other, "pains", {"stage": stage, "text": "from the editor"}, actor=None)[0]
    path.write_bytes(store.session_bytes(other))  # in place, as an editor writes
    assert _finish(pid, report) == b"ok"
    assert {"from cjmtui", "from the editor"} <= _texts(path)


# A5 ----------------------------------------------------------------------------------------------


def _returns_within(fn, seconds: float = 5.0):
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    return done


def _unblock(fifo: Path) -> None:
    """Let a reader stuck on ``fifo`` (today's code) go: open its writing end once."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_a_fifo_planted_in_the_presence_folder_never_hangs(tmp_path):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    presence.beat(path, "Ana")
    fifo = presence.folder(path) / "0123456789abcdef"
    os.mkfifo(fifo)
    try:
        done = _returns_within(lambda: presence.here(path))
        assert done == [["Ana"]], "reading who is here hung on a FIFO"
        assert _returns_within(lambda: presence.beat(path, "Bo")) == [None]
    finally:
        _unblock(fifo)


def test_a_fifo_at_the_settings_or_views_file_never_hangs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    fifos = [viewstate.state_file(), settings.settings_path()]
    for fifo in fifos:
        fifo.parent.mkdir(parents=True)
        os.mkfifo(fifo)
    try:
        assert _returns_within(settings.load_settings) == [{}], "reading settings hung on a FIFO"
        assert _returns_within(lambda: viewstate.load_view(tmp_path / "s.toml")) == [None]
        settings.save_setting("theme", "dark")
        assert all(stat.S_ISFIFO(os.lstat(f).st_mode) for f in fifos), "a FIFO was replaced"
    finally:
        for fifo in fifos:
            _unblock(fifo)


def test_a_fifo_swapped_in_at_the_session_name_is_refused_not_waited_on(tmp_path):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    ws = Workspace.open(path)
    path.unlink()
    os.mkfifo(path)  # swapped for a FIFO while open: the next save checks it, never waits on it
    try:
        _add(ws, "kept")
        done = _returns_within(ws.save)
        assert len(done) == 1, "saving hung on a FIFO at the session's name"
        assert not done[0].ok and stat.S_ISFIFO(os.lstat(path).st_mode)
    finally:
        _unblock(path)


# B6 ----------------------------------------------------------------------------------------------


def _writer(path: Path, who: str, rounds: int, go: int) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            os.read(go, 1)
            ws = Workspace.open(path)
            for n in range(rounds):
                _add(ws, f"{who} {n}")
                while not ws.save().ok:
                    time.sleep(0.05)
            code = 0
        finally:
            os._exit(code)
    return pid


def test_a_session_opened_via_a_link_and_via_its_real_path_shares_one_lock(tmp_path):
    """Issue 21 B6: side files are named after the real file, so the second instance is told
    about the first and their saves never race."""
    (tmp_path / "sync").mkdir()
    (tmp_path / "work").mkdir()
    real = tmp_path / "sync" / "s.toml"
    save_session(real, workshop())
    link = tmp_path / "work" / "s.toml"
    link.symlink_to(os.path.relpath(real, link.parent))

    first = Workspace.open(link)
    assert first.acquire() is None
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child: a second cjmtui, via the real path
            seen = Workspace.open(real).acquire()
            os._exit(0 if seen is not None and seen.pid == os.getppid() else 3)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0, "the instance via the real path was not told about the one via the link"
    finally:
        first.release()

    go_r, go_w = os.pipe()
    rounds = 25
    pids = [_writer(link, "link", rounds, go_r), _writer(real, "real", rounds, go_r)]
    os.write(go_w, b"gg")
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    texts = _texts(real)
    lost = {f"{who} {n}" for who in ("link", "real") for n in range(rounds)} - texts
    assert not lost, f"{len(lost)} acknowledged notes lost"
    assert link.is_symlink()
    assert not (tmp_path / "work" / ".s.toml.savelock").exists()
    assert save_lock_path(link) == save_lock_path(real) and lock_path(link) == lock_path(real)
    assert presence.folder(link) == presence.folder(real)


# D16 ---------------------------------------------------------------------------------------------

EDITOR = """
import sys, time
path = sys.argv[1]
data = open(path, "rb").read()
with open(path, "r+b") as fh:
    fh.truncate(0)
    fh.flush()
    print("truncated", flush=True)
    time.sleep(0.4)
    fh.write(data)
"""


def test_an_editor_rewriting_the_file_in_place_never_wipes_the_session(tmp_path):
    """Issue 21 D16: an editor truncates the file, pauses, writes it again; a save in the gap
    must not merge the empty file as "everything deleted"."""
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    everything = _texts(path)
    ws = Workspace.open(path)
    _add(ws, "typed meanwhile")
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert editor.stdout is not None and editor.stdout.readline() == "truncated\n"
        result = ws.save()
    finally:
        editor.wait(10)
    if not result.ok:  # a slow machine: the editor still writing after the wait; held, then retried
        assert "empty" in result.message and "NOT SAVED" in result.message
        result = ws.save()
    assert result.ok
    assert _texts(path) == everything | {"typed meanwhile"}, "notes were deleted by an empty file"
    assert load_session(path).session.session.title == workshop().session.title


def test_an_empty_file_on_disk_holds_the_save_and_keeps_every_note(tmp_path, monkeypatch):
    from cjmtui.core import workspace as workspace_module

    monkeypatch.setattr(workspace_module, "REWRITE_WAIT", 0.2, raising=False)
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    full = path.read_bytes()
    ws = Workspace.open(path)
    _add(ws, "typed meanwhile")
    path.write_bytes(b"")
    result = ws.save()
    assert not result.ok and not result.conflict
    assert "empty" in result.message and "retrying" in result.message
    assert path.read_bytes() == b"", "an empty file was merged against and saved over"
    path.write_bytes(full)
    assert ws.save().ok
    assert _texts(path) == {p.text for p in workshop().pains} | {"typed meanwhile"}


def test_a_merge_says_what_the_other_sides_save_removed():
    base = workshop()
    theirs = base
    for pain in base.pains[1:]:
        theirs = edit.delete_item(theirs, "pains", pain.id, actor=None)
    result = merge(base, base, theirs)
    assert dict(result.removed) == {"pains": len(base.pains) - 1}
