"""Never lose a note in odd places: symlinked sessions, planted lock files, owners, rescue."""

from __future__ import annotations

import os
import threading

import pytest

from cjmtui.core import edit
from cjmtui.core.lock import SessionLock, lock_path, read_lock
from cjmtui.core.store import load_session, save_session
from cjmtui.core.workspace import Workspace
from factories import workshop


def _edit(ws: Workspace, text: str) -> None:
    stage = ws.session.stages[0].id
    ws.history.apply("add", edit.add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=None)[0])


def test_a_symlinked_session_stays_a_link_and_its_target_is_saved(tmp_path):
    (tmp_path / "sync").mkdir()
    (tmp_path / "work").mkdir()
    real = tmp_path / "sync" / "real.toml"
    save_session(real, workshop())
    link = tmp_path / "work" / "s.toml"
    link.symlink_to(os.path.relpath(real, link.parent))
    ws = Workspace.open(link)
    _edit(ws, "saved through the link")
    assert ws.save().ok
    assert link.is_symlink(), "the link was replaced by a plain file"
    assert "saved through the link" in {p.text for p in load_session(real).session.pains}
    assert (tmp_path / "sync" / "real.toml.bak").is_file()
    assert not (tmp_path / "work" / "s.toml.bak").exists()


def test_a_fifo_at_the_lock_name_neither_hangs_nor_stops_opening(tmp_path):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    os.mkfifo(lock_path(path))
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(read_lock(path)), daemon=True)
    worker.start()
    worker.join(5)
    assert done == [None], "reading a FIFO planted at the lock name hung"
    ws = Workspace.open(path)
    assert ws.acquire() is None


def test_a_link_to_a_device_at_the_lock_name_is_not_read(tmp_path):
    """A link at the lock name (here to a file this test made, standing in for a device or
    someone's ~/.bashrc: a test never writes to a real device) is neither read nor written
    through: its target is byte-identical after opening and leaving, and the link stays."""
    (tmp_path / "victim").mkdir()
    victim = tmp_path / "victim" / "bashrc"
    victim.write_bytes(b"# not to be touched\n")
    victim.chmod(0o600)
    path = tmp_path / "room" / "s.toml"
    path.parent.mkdir()
    save_session(path, workshop())
    lock_path(path).symlink_to(os.path.relpath(victim, path.parent))
    assert read_lock(path) is None
    lock = SessionLock(path)
    assert lock.acquire() is None
    lock.release()
    assert victim.read_bytes() == b"# not to be touched\n" and (victim.stat().st_mode & 0o777) == 0o600
    assert lock_path(path).is_symlink(), "the planted link was replaced"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_saving_as_root_keeps_the_files_owner(tmp_path):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    os.chown(path, 1234, 1234)
    ws = Workspace.open(path)
    _edit(ws, "root typed this")
    assert ws.save().ok
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (1234, 1234)


def test_the_rescue_copy_goes_to_the_temporary_folder_when_nothing_else_takes_it(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    ws = Workspace.open(path)
    _edit(ws, "rescue me")
    spare = tmp_path / "tmp"
    spare.mkdir()
    monkeypatch.setenv("TMPDIR", str(spare))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    from cjmtui.core import workspace as workspace_module

    real_save = workspace_module.save_session

    def refuse_elsewhere(target, *args, **kwargs):
        if spare not in target.parents:
            raise workspace_module.SaveError(f"{target}: read-only")
        return real_save(target, *args, **kwargs)

    monkeypatch.setattr(workspace_module, "save_session", refuse_elsewhere)
    where = ws.rescue()
    assert where is not None and where.parent == spare
    assert "rescue me" in {p.text for p in load_session(where).session.pains}


def test_save_as_takes_a_name_or_a_path(tmp_path):
    """Issue 11: a session in a read-only folder could not be saved anywhere else (a path was refused)."""
    from cjmtui.core.errors import ExportError
    from cjmtui.core.files import save_as_target

    folder = tmp_path / "readonly"
    folder.mkdir()
    assert save_as_target(folder, "copy") == folder / "copy.toml"
    (tmp_path / "elsewhere").mkdir()
    assert save_as_target(folder, str(tmp_path / "elsewhere" / "mine.toml")) == tmp_path / "elsewhere" / "mine.toml"
    assert save_as_target(folder, "../elsewhere/mine") == folder / ".." / "elsewhere" / "mine.toml"
    for bad in (str(tmp_path / "elsewhere"), "x/\x1b[2J.toml"):
        with pytest.raises(ExportError):
            save_as_target(folder, bad)


def test_a_workspace_in_a_read_only_place_saves_as_elsewhere(tmp_path):
    from cjmtui.core.files import save_as_target

    path = tmp_path / "s.toml"
    save_session(path, workshop())
    ws = Workspace.open(path)
    _edit(ws, "typed in a read-only room")
    (tmp_path / "home").mkdir()
    target = save_as_target(path.parent, str(tmp_path / "home" / "rescued"))
    assert ws.save_as(target).ok
    assert "typed in a read-only room" in {p.text for p in load_session(target).session.pains}


def test_a_new_session_gets_a_gitignore_for_the_side_files_and_git_ignores_them(tmp_path):
    """Issue 22: ``git add -A`` in a sessions folder never commits a ``.bak``, a lock, the save
    lock or the presence folder; an existing .gitignore is left as it is. Checked with git."""
    import shutil
    import subprocess

    from cjmtui.core.files import create_session_file
    from cjmtui.core.workspace import Workspace

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "sessions"
    path = create_session_file(folder, "Claims workshop")
    ws = Workspace.open(path)
    ws.acquire()
    ws.history.apply("add", ws.session)  # a second save keeps a .bak
    ws.save(force=True)
    (folder / f".{path.name}.here").mkdir(exist_ok=True)
    (folder / f".{path.name}.here" / "beat").write_text("facilitator")
    present = {p.name for p in folder.iterdir()}
    assert {f"{path.name}.bak", f".{path.name}.lock", f".{path.name}.savelock"} <= present, present
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], capture_output=True, text=True).stdout.split()
    ws.release()
    assert path.name in staged and ".gitignore" in staged
    assert not [n for n in staged if n.endswith((".bak", ".lock", ".savelock", ".tmp")) or ".here" in n], staged

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / ".gitignore").write_text("my own rules\n")
    create_session_file(mine, "Another")
    assert (mine / ".gitignore").read_text() == "my own rules\n"
