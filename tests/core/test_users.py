"""Issue 21 B7: separate Unix users on one session (a facilitator and participants in group
``workshop``, folder mode 2775) — side files take the session's permissions and group, so every
user who may write the session may lock it and say they are here, and notes saved together are
never lost. A side file that cannot be used is reported plainly.

Real users: run as root, the test adds throwaway users and a group (a unique prefix) and removes
them afterwards; each user's work runs in a forked child that drops to that user. Skipped, with
the reason, when not root. The shared folder is the test's own temp folder (in the system
temporary folder, so the users can reach it), removed afterwards.
"""

from __future__ import annotations

import codecs
import contextlib
import grp
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cjmtui.core import edit, presence
from cjmtui.core.lock import lock_path, save_lock_path
from cjmtui.core.store import load_session, save_session
from cjmtui.core.workspace import Workspace
from factories import workshop

# The users cannot read this interpreter's own folders (they may be private to root): what the
# children need later is loaded now.
codecs.lookup("utf-8-sig")

pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("groupadd") is None,
        reason="needs root with useradd/groupadd to make real separate Unix users (.ci/run runs it as root)",
    ),
    # useradd and groupadd lock /etc/passwd and /etc/group: one test at a time (pytest-xdist).
    pytest.mark.xdist_group("unix-users"),
]


@dataclass(frozen=True)
class Room:
    folder: Path
    group: int
    users: dict[str, int]  # name -> uid


@pytest.fixture
def room() -> Iterator[Room]:
    prefix = f"cjt{secrets.token_hex(3)}"
    group = f"{prefix}ws"
    names = [f"{prefix}{who}" for who in ("fac", "ana", "bo")]
    made: list[str] = []
    group_made = False
    folder = Path(tempfile.mkdtemp(prefix="cjmtui-users-"))
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        group_made = True
        for name in names:
            subprocess.run(
                ["useradd", "-M", "-N", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", "-G", group, name],
                check=True,
                capture_output=True,
            )
            made.append(name)
        gid = grp.getgrnam(group).gr_gid
        os.chown(folder, 0, gid)
        os.chmod(folder, 0o2775)
        yield Room(folder, gid, {n[len(prefix) :]: pwd.getpwnam(n).pw_uid for n in names})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for name in made:
            subprocess.run(["userdel", name], check=False, capture_output=True)
        if group_made:
            subprocess.run(["groupdel", group], check=False, capture_output=True)


def as_user(room: Room, who: str, work: Callable[[], object], *, umask: int = 0o022) -> object:
    """Run ``work`` in a child process as the user ``who`` (in the room's group); its result
    (JSON) comes back through a pipe."""
    uid = room.users[who]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            os.close(read_end)
            os.setgroups([room.group])
            os.setgid(pwd.getpwuid(uid).pw_gid)
            os.setuid(uid)
            os.umask(umask)
            result = work()
            os.write(write_end, json.dumps(result).encode())
            code = 0
        except BaseException as exc:
            os.write(write_end, json.dumps({"error": repr(exc)}).encode())
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    out = json.loads(b"".join(chunks) or b"null")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, out
    return out


def _add(ws: Workspace, text: str) -> None:
    stage = ws.session.stages[0].id
    ws.history.apply("add", edit.add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=None)[0])


def _session_of_the_facilitator(room: Room) -> Path:
    path = room.folder / "s.toml"

    def create() -> None:
        save_session(path, workshop())
        os.chmod(path, 0o664)  # a group-writable session, as a shared workshop has

    as_user(room, "fac", create)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    return path


def test_side_files_take_the_sessions_permissions_so_every_participant_can_lock_and_be_seen(room):
    """The facilitator (umask 022) opens and saves: the save lock, lock file and presence folder
    are usable by every member of the group; a participant's heartbeat is seen by all."""
    path = _session_of_the_facilitator(room)

    def facilitator() -> None:
        ws = Workspace.open(path)
        ws.acquire()
        presence.beat(path, None)
        _add(ws, "facilitator's note")
        assert ws.save().ok

    as_user(room, "fac", facilitator)

    def participant() -> dict[str, object]:
        ws = Workspace.open(path)
        problem = presence.beat(path, "Ana")
        _add(ws, "Ana's note")
        result = ws.save()
        return {"ok": result.ok, "message": result.message, "problem": problem}

    out = as_user(room, "ana", participant)
    assert out == {"ok": True, "message": "saved", "problem": None}, out
    assert presence.here(path) == ["facilitator", "Ana"], "the participant's heartbeat was not written"
    assert {"facilitator's note", "Ana's note"} <= {p.text for p in load_session(path).session.pains}
    for side, mode in ((save_lock_path(path), 0o664), (lock_path(path), 0o664), (presence.folder(path), 0o2775)):
        st = os.lstat(side)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (mode, room.group), f"{side.name}: {oct(st.st_mode)}"


def test_notes_from_three_users_pressing_save_together_are_all_kept(room):
    path = _session_of_the_facilitator(room)
    rounds = 8
    go_r, go_w = os.pipe()

    def writer(who: str) -> Callable[[], object]:
        def work() -> object:
            ws = Workspace.open(path)
            ws.acquire()
            for n in range(rounds):
                os.read(go_r, 1)  # everyone presses Enter at once
                _add(ws, f"{who} {n}")
                deadline = time.monotonic() + 30
                while not ws.save().ok and time.monotonic() < deadline:
                    time.sleep(0.02)
            ws.release()
            return [p.text for p in ws.session.pains]

        return work

    pids = []
    for who in room.users:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            code = 1
            with contextlib.suppress(BaseException):
                as_user(room, who, writer(who))
                code = 0
            os._exit(code)
        pids.append(pid)
    for _ in range(rounds):
        os.write(go_w, b"x" * len(pids))
        time.sleep(0.15)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    os.close(go_r)
    os.close(go_w)
    texts = {p.text for p in load_session(path).session.pains}
    lost = {f"{who} {n}" for who in room.users for n in range(rounds)} - texts
    assert not lost, f"{len(lost)} notes lost: {sorted(lost)}"


def test_another_users_save_lock_that_cannot_be_opened_is_reported_plainly_and_nothing_is_saved_unlocked(room):
    """A save lock made by an older cjmtui (mode 0644, the facilitator's): a participant cannot
    open it; the save does not go ahead without it, and the message says whose it is and what
    to do."""
    path = _session_of_the_facilitator(room)

    def old_lock() -> None:
        os.close(os.open(save_lock_path(path), os.O_CREAT | os.O_WRONLY, 0o644))

    as_user(room, "fac", old_lock)
    before = path.read_bytes()

    def participant() -> dict[str, object]:
        ws = Workspace.open(path)
        _add(ws, "Bo's note")
        result = ws.save()
        return {"ok": result.ok, "message": result.message, "dirty": ws.dirty}

    out = as_user(room, "bo", participant)
    assert isinstance(out, dict)
    assert out["ok"] is False and out["dirty"] is True, out
    facilitator = pwd.getpwuid(room.users["fac"]).pw_name
    assert facilitator in out["message"] and "chmod g+w" in out["message"], out["message"]
    assert path.read_bytes() == before, "saved without the save lock"


def test_a_presence_folder_others_cannot_write_is_reported_and_its_owner_opens_it_up(room):
    """An older cjmtui made `.NAME.toml.here/` 2755: no participant's heartbeat was ever written
    and nobody was told. Now the participant is told plainly, and the facilitator's next beat
    gives the folder the session's permissions, so everyone is seen."""
    path = _session_of_the_facilitator(room)

    def old_folder() -> None:
        os.mkdir(presence.folder(path), 0o755)

    as_user(room, "fac", old_folder)
    facilitator = pwd.getpwuid(room.users["fac"]).pw_name
    problem = as_user(room, "ana", lambda: presence.beat(path, "Ana"))
    assert isinstance(problem, str) and "cannot be written by you" in problem and facilitator in problem, problem
    assert as_user(room, "fac", lambda: presence.beat(path, None)) is None
    assert stat.S_IMODE(os.lstat(presence.folder(path)).st_mode) == 0o2775
    assert as_user(room, "ana", lambda: presence.beat(path, "Ana")) is None
    assert presence.here(path) == ["facilitator", "Ana"]
