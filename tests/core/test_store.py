"""Loading and saving: hostile files give one clear error, saves never lose work."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core import atomic, files, store
from cjmtui.core.edit import update_item
from cjmtui.core.errors import ConflictError, SaveError, SessionFileError
from cjmtui.core.lock import SessionLock, lock_path, read_lock
from cjmtui.core.model import Pain, Session
from cjmtui.core.sidefiles import UMASK
from cjmtui.core.store import Fingerprint, dumps_session, load_session, parse_session, save_session
from factories import CORE, sessions, workshop

VALID_PAIN = '[[stages]]\nid = "find"\nname = "Find"\n\n[[pains]]\nid = "cant-find-part"\nstage = "find"\ntext = "t"\n'


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---------------------------------------------------------------------------------------------
# Save and load


def test_save_then_load_gives_the_same_session(tmp_path):
    path = tmp_path / "supplier.toml"
    s = workshop()
    fp = save_session(path, s)
    assert path.read_text("utf-8") == dumps_session(s)
    loaded = load_session(path)
    assert loaded.session == s
    assert loaded.fingerprint == fp == Fingerprint.of(path.read_bytes())
    assert listing(tmp_path) == {"supplier.toml"}  # no temp file, no backup of nothing


def test_save_is_atomic_temp_in_same_folder_and_keeps_a_backup(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    first = workshop()
    fp = save_session(path, first)
    old_bytes = path.read_bytes()

    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src, dst, *a, **kw):
        replaced.append((str(src), str(dst)))
        # At the moment of the swap the old file is still complete and the new one is whole.
        if str(dst) == str(path):
            assert path.read_bytes() == old_bytes
            assert Path(src).read_text("utf-8") == dumps_session(second)
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", spy)
    second, _ = update_item(first, "pains", "on-hold", {"text": "On hold for an hour"}, actor=None)
    save_session(path, second, fp)
    monkeypatch.undo()

    swaps = [(src, dst) for src, dst in replaced if dst == str(path)]
    assert len(swaps) == 1
    assert Path(swaps[0][0]).parent == tmp_path  # same folder: rename cannot cross filesystems
    assert load_session(path).session == second
    assert (tmp_path / "s.toml.bak").read_bytes() == old_bytes
    assert listing(tmp_path) == {"s.toml", "s.toml.bak"}


def test_save_keeps_file_mode(tmp_path):
    path = tmp_path / "s.toml"
    fp = save_session(path, workshop())
    os.chmod(path, 0o600)
    save_session(path, workshop().model_copy(update={"solutions": []}), fp)
    assert path.stat().st_mode & 0o777 == 0o600


def _running_as_root_ignores_chmod(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.write_text("x")
    except PermissionError:
        return False
    probe.unlink()
    return True


def test_failed_save_in_read_only_folder_leaves_old_file(tmp_path):
    path = tmp_path / "s.toml"
    fp = save_session(path, workshop())
    before = path.read_bytes()
    os.chmod(tmp_path, 0o500)
    try:
        if _running_as_root_ignores_chmod(tmp_path):
            pytest.skip("running as root: chmod does not block writes (see the ENOSPC test)")
        with pytest.raises(SaveError, match=r"s\.toml.*unchanged"):
            save_session(path, workshop().model_copy(update={"pains": []}), fp)
    finally:
        os.chmod(tmp_path, 0o700)
    assert path.read_bytes() == before
    assert listing(tmp_path) == {"s.toml"}


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_failed_save_disk_full_leaves_old_file_and_no_temp(tmp_path, monkeypatch, failing):
    path = tmp_path / "s.toml"
    fp = save_session(path, workshop())
    save_session(path, workshop(hop_decay=0.25), fp, overwrite=True)  # now there is a .bak
    before = {name: (tmp_path / name).read_bytes() for name in listing(tmp_path)}

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FailingFile(fd))
    else:
        monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(SaveError) as info:
        save_session(path, workshop().model_copy(update={"pains": []}), overwrite=True)
    monkeypatch.undo()
    assert str(path) in str(info.value)
    assert "No space left" in str(info.value)
    after = {name: (tmp_path / name).read_bytes() for name in listing(tmp_path)}
    assert after == before  # same files, byte-identical: no temp file, backup untouched


class _FailingFile:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.fd)

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_text_that_cannot_be_encoded_is_refused_and_never_written(tmp_path):
    # The model refuses a lone surrogate outright…
    with pytest.raises(Exception) as info:
        Pain(id="p", stage="s", text="bad \udc80")
    assert "text" in str(info.value)
    # …and if one slipped past validation, saving still refuses it and touches nothing.
    path = tmp_path / "s.toml"
    fp = save_session(path, workshop())
    before = path.read_bytes()
    s = workshop()
    sneaky = s.model_copy(update={"pains": [s.pains[0].model_copy(update={"text": "bad \udc80"})]})
    with pytest.raises(SaveError, match="unchanged"):
        save_session(path, sneaky, fp)
    assert path.read_bytes() == before
    assert listing(tmp_path) == {"s.toml"}


def test_conflict_when_file_changed_on_disk_after_load(tmp_path):
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    loaded = load_session(path)
    # Someone else (another laptop, a text editor) saves in between.
    theirs = dumps_session(workshop(hop_decay=0.9))
    path.write_text(theirs, "utf-8")
    mine, _ = update_item(loaded.session, "pains", "on-hold", {"severity": 5}, actor=None)
    with pytest.raises(ConflictError, match="changed on disk"):
        save_session(path, mine, loaded.fingerprint)
    assert path.read_text("utf-8") == theirs  # their work is not lost
    assert not (tmp_path / "s.toml.bak").exists()
    # Saving exactly what is already there is not a conflict.
    assert save_session(path, workshop(hop_decay=0.9), loaded.fingerprint) == Fingerprint.of(theirs.encode())


def test_save_without_fingerprint_over_existing_file_needs_overwrite(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("# someone's notes\n")
    with pytest.raises(ConflictError, match="already exists"):
        save_session(path, workshop())
    assert path.read_text() == "# someone's notes\n"
    save_session(path, workshop(), overwrite=True)
    assert load_session(path).session == workshop()
    assert (tmp_path / "s.toml.bak").read_text() == "# someone's notes\n"


def test_new_file_created_meanwhile_by_someone_else_is_not_replaced(tmp_path, monkeypatch):
    # Two "new session" dialogs pick the same name: the second save must not clobber the first.
    path = tmp_path / "s.toml"
    real = store.current_state

    def racing(p):
        found = real(p)
        path.write_text("# the other facilitator's session\n")  # lands between check and write
        return found

    monkeypatch.setattr(store, "current_state", racing)
    with pytest.raises(ConflictError, match="already exists"):
        save_session(path, workshop())
    assert path.read_text() == "# the other facilitator's session\n"
    assert listing(tmp_path) == {"s.toml"}


def test_new_file_on_a_filesystem_without_hard_links(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "usb.toml"
    fp = save_session(path, workshop())
    assert load_session(path).session == workshop() and load_session(path).fingerprint == fp
    assert path.stat().st_mode & 0o777 == 0o666 & ~UMASK
    with pytest.raises(ConflictError):
        save_session(path, workshop())  # still exclusive
    fp = save_session(path, workshop(hop_decay=0.1), fp)  # saving over it works (no .bak link)
    assert load_session(path).session == workshop(hop_decay=0.1)
    assert (tmp_path / "usb.toml.bak").read_text() == dumps_session(workshop())
    assert listing(tmp_path) == {"usb.toml", "usb.toml.bak"}


def test_stale_temp_files_of_dead_saves_are_cleaned_others_kept(tmp_path):
    path = tmp_path / "a.toml"
    save_session(path, workshop())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = os.getppid()
    names = {
        f".a.toml.{dead.pid}.abc123_x.tmp": False,  # a killed save: removed
        f".a.toml.bak.{dead.pid}.tmp": False,  # a killed backup link: removed
        f".a.toml.{live}.abc123_x.tmp": True,  # another instance saving right now: kept
        f".a.toml.x.toml.{dead.pid}.abc123_x.tmp": True,  # session "a.toml.x.toml"'s: not ours
        ".a.toml.notes.tmp": True,
    }
    for name in names:
        (tmp_path / name).write_text("partial")
    removed = atomic.clean_stale_temp_files(path)
    assert sorted(p.name for p in removed) == sorted(n for n, keep in names.items() if not keep)
    assert listing(tmp_path) == {"a.toml"} | {n for n, keep in names.items() if keep}


def test_save_into_missing_folder_is_a_save_error(tmp_path):
    with pytest.raises(SaveError, match="unchanged"):
        save_session(tmp_path / "nope" / "s.toml", workshop())


def test_utf8_bom_from_a_windows_editor_is_accepted(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_session(workshop()).encode())
    assert load_session(path).session == workshop()


# ---------------------------------------------------------------------------------------------
# Hostile and broken files: one SessionFileError naming the file, file untouched


HOSTILE = {
    "deep-nesting": ("a = " + "[" * 2000 + "]" * 2000, "nested too deeply"),
    "huge-integer": ("a = " + "9" * 5000, "not valid TOML"),
    "huge-hex-severity": (VALID_PAIN + "severity = 0x" + "f" * 5000 + "\n", "pains[cant-find-part].severity"),
    "huge-hex-version": ("schema_version = 0x" + "f" * 5000, "newer"),
    "invalid-utf8": (b'[session]\ntitle = "caf\xe9"\n', "not UTF-8"),
    "cut-mid-key": (VALID_PAIN + "sever", "not valid TOML"),
    "unknown-key": (VALID_PAIN + 'colour = "red"\n', "pains[cant-find-part].colour: unknown field"),
    "note-1mb": (
        VALID_PAIN.replace('text = "t"', 'text = "' + "x" * 1_000_000 + '"'),
        "pains[cant-find-part].text: Value error, must be at most 2000 characters",
    ),
    "list-100k": (
        '[[stages]]\nid = "s"\nname = "S"\ntouchpoints = [' + '"a",' * 100_000 + "]\n",
        "stages[s].touchpoints",
    ),
    "table-100k": ("pains = [" + "{}," * 100_000 + "]\n", "pains: List should have at most 50000"),
    "wrong-type": (VALID_PAIN + 'severity = "high"\n', "pains[cant-find-part].severity"),
    "number-as-text": (VALID_PAIN + 'severity = "3"\n', "pains[cant-find-part].severity"),
    "bool-as-number": (VALID_PAIN + "severity = true\n", "pains[cant-find-part].severity"),
    "float-as-rating": (VALID_PAIN + "severity = 3.5\n", "pains[cant-find-part].severity"),  # 3.0 is 3 (issue 24)
    "over-vote-budget": (
        '[session]\nvote_budget = 2\n[[solutions]]\nid = "x"\ntext = "t"\n'
        '[[participants]]\nid = "ann"\nname = "Ann"\nsolution_votes = { x = 3 }\n',
        "participants[ann].solution_votes: 3 votes, over the budget of 2",
    ),
    "dangling-cause": (
        VALID_PAIN + 'caused_by = ["ghost"]\n',
        "pains[cant-find-part].caused_by: unknown process 'ghost'",
    ),
    "duplicate-ids": (VALID_PAIN + VALID_PAIN.split("\n\n")[1], "pains[cant-find-part]: duplicate id"),
    "feeds-itself": (
        '[[stages]]\nid = "s"\nname = "S"\n[[processes]]\nid = "p"\nstage = "s"\nname = "P"\nfeeds = ["p"]\n',
        "processes[p].feeds: a process cannot feed itself",
    ),
    "newer-schema": ("schema_version = 99\n", "schema_version 99 was written by a newer cjmtui"),
    "schema-not-int": ('schema_version = "x"\n', "schema_version: must be a whole number"),
    "schema-zero": ("schema_version = 0\n", "not a valid version"),
    "pains-not-array": ('[pains]\nid = "x"\n', "pains: Input should be a valid list"),
    "session-not-table": ('session = "hello"\n', "session: Input should be a valid dictionary"),
    "bad-id-with-escape": ('[[stages]]\nid = "\\u001b[2J"\nname = "S"\n', "stages[#1].id"),
    "hostile-key": ('"\\u001b]0;owned\\u0007" = 1\n', "unknown field"),
    "not-a-date": ("[session]\ndate = 2024-01-01T10:00:00\n", "session.date"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_one_clear_error_and_is_left_alone(tmp_path, name):
    content, expected = HOSTILE[name]
    path = tmp_path / f"{name}.toml"
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    path.write_bytes(data)
    with pytest.raises(SessionFileError) as info:
        load_session(path)
    message = str(info.value)
    assert message.startswith(str(path) + ": ")
    assert expected in message
    assert "\x1b" not in message and "\x07" not in message  # nothing that drives the terminal
    assert len(message) < 2_000  # one readable message, not the file echoed back
    assert info.value.source == str(path)
    assert path.read_bytes() == data
    assert listing(tmp_path) == {path.name}


def test_file_over_16_mib_refused_before_parsing(tmp_path):
    path = tmp_path / "big.toml"
    chunk = b"# " + b"x" * 1022 + b"\n"
    with open(path, "wb") as fh:
        for _ in range(17 * 1024):
            fh.write(chunk)
    size = path.stat().st_size
    with pytest.raises(SessionFileError, match=r"big\.toml: too large \(over 16 MiB\)"):
        load_session(path)
    assert path.stat().st_size == size


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_unreadable_paths_are_session_file_errors(tmp_path, kind):
    path = tmp_path / "x.toml"
    if kind == "folder":
        path.mkdir()
    with pytest.raises(SessionFileError, match=r"x\.toml: "):
        load_session(path)


def test_many_problems_are_listed_but_capped():
    text = "".join(f'[[departments]]\nid = "d{i}"\nname = "D"\ncolour = 1\n' for i in range(30))
    with pytest.raises(SessionFileError) as info:
        parse_session(text, "many.toml")
    message = str(info.value)
    assert message.startswith("many.toml: 30 problems")
    assert "departments[d0].colour: unknown field" in message
    assert "… and 20 more" in message
    assert len(info.value.problems) == 30


def test_empty_file_is_an_empty_untitled_session(tmp_path):
    # A new file touched by the facilitator (or `touch`) opens as a blank session.
    path = tmp_path / "new.toml"
    path.write_bytes(b"")
    s = load_session(path).session
    assert s == Session()
    assert s.session.title == "Untitled session"
    assert s.pains == [] and s.processes == [] and s.solutions == []


def test_top_level_that_is_not_a_table_is_refused():
    with pytest.raises(SessionFileError, match="not a session"):
        store.session_from_data([1, 2, 3], "x.toml")


def test_parse_session_only_ever_raises_session_file_error():
    for text in ["[", "a = 1\na = 2", "[[pains]]\n[pains]", "x = 1979-05-27T07:32:00Z", "\x00"]:
        with pytest.raises(SessionFileError):
            parse_session(text, "t.toml")


# ---------------------------------------------------------------------------------------------
# Locks


def _write_lock(path: Path, pid: int, host: str | None = None) -> None:
    info = {"pid": pid, "host": host or socket.gethostname(), "started": "2024-05-01T09:00:00"}
    lock_path(path).write_text(json.dumps(info))


def test_lock_is_written_and_released(tmp_path):
    path = tmp_path / "s.toml"
    lock = SessionLock(path)
    assert lock.acquire() is None
    raw = json.loads(lock_path(path).read_text())
    assert raw["pid"] == os.getpid()
    assert read_lock(path) is None  # our own lock is not "someone else"
    lock.release()
    assert not lock_path(path).exists()


def test_second_instance_sees_the_first(tmp_path):
    path = tmp_path / "s.toml"
    _write_lock(path, os.getppid())  # a live process that is not us
    lock = SessionLock(path)
    assert lock.other is not None and lock.other.pid == os.getppid()
    assert str(os.getppid()) in lock.other.describe()
    assert lock.acquire() == lock.other  # the UI warns, the user decides


def test_lock_held_by_another_real_process(tmp_path):
    path = tmp_path / "s.toml"
    code = (
        "import sys; from pathlib import Path; from cjmtui.core.lock import SessionLock\n"
        f"lock = SessionLock(Path({str(path)!r})); lock.acquire(); print('held', flush=True)\n"
        "sys.stdin.readline(); lock.release()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        other = SessionLock(path).other
        assert other is not None and other.pid == child.pid
    finally:
        child.communicate("\n", timeout=30)
    assert child.returncode == 0
    assert SessionLock(path).other is None  # released on exit


def test_stale_lock_of_a_dead_process_is_ignored(tmp_path):
    path = tmp_path / "s.toml"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _write_lock(path, dead.pid)
    assert read_lock(path) is None
    assert SessionLock(path).other is None


def test_lock_from_another_machine_is_reported(tmp_path):
    path = tmp_path / "s.toml"
    _write_lock(path, 1234, host="other-laptop")
    assert read_lock(path).host == "other-laptop"


@pytest.mark.parametrize(
    "content",
    [
        "",
        "garbage",
        "[1, 2]",
        '"pid"',
        '{"pid": "x"}',
        b"\xff\xfe",
        '{"pid": 1e999, "host": "h", "started": "s"}',
        '{"pid": 99999999999999999999999, "host": "%HOST%", "started": "s"}',
    ],
)
def test_broken_lock_files_never_crash(tmp_path, content):
    path = tmp_path / "s.toml"
    lock = SessionLock(path)
    lock.acquire()
    if isinstance(content, bytes):
        lock_path(path).write_bytes(content)
    else:
        lock_path(path).write_text(content.replace("%HOST%", socket.gethostname()))
    assert read_lock(path) is None or read_lock(path).host == "h"
    assert SessionLock(path).other is None or SessionLock(path).other.host == "h"
    lock.release()  # must not raise on whatever is in the file now
    assert lock_path(path).exists()  # not ours any more: left alone


def test_release_leaves_someone_elses_lock(tmp_path):
    path = tmp_path / "s.toml"
    lock = SessionLock(path)
    lock.acquire()
    _write_lock(path, os.getppid())  # a second instance took over the lock
    lock.release()
    assert read_lock(path).pid == os.getppid()


# ---------------------------------------------------------------------------------------------
# Where sessions live


def test_list_sessions_newest_first_and_skips_hidden(tmp_path):
    for i, name in enumerate(["a.toml", "b.toml", ".a.toml.lock", "notes.txt", "c.toml.bak"]):
        (tmp_path / name).write_text("")
        os.utime(tmp_path / name, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "dir.toml").mkdir()
    assert [p.name for p in files.list_sessions(tmp_path)] == ["b.toml", "a.toml"]
    assert files.list_sessions(tmp_path / "missing") == []


def test_sessions_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CJMTUI_SESSIONS", str(tmp_path / "env"))
    assert files.sessions_dir("explicit") == Path("explicit")
    assert files.sessions_dir() == tmp_path / "env"
    monkeypatch.delenv("CJMTUI_SESSIONS")
    (tmp_path / "sessions").mkdir()
    assert files.sessions_dir() == Path("sessions")


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os as _os

    from cjmtui.core.errors import SessionFileError as _Err
    from cjmtui.core.store import load_session as _load

    fifo = tmp_path / "pipe.toml"
    _os.mkfifo(fifo)
    with pytest.raises(_Err, match="not a regular file"):
        _load(fifo)


def test_a_second_instance_leaves_the_first_ones_lock_in_place(tmp_path):
    import json as _json
    import os as _os

    from cjmtui.core.lock import SessionLock as _Lock
    from cjmtui.core.lock import lock_path as _lock_path
    from cjmtui.core.lock import read_lock as _read

    path = tmp_path / "s.toml"
    path.write_text("")
    first = {"pid": _os.getppid(), "host": __import__("socket").gethostname(), "started": "earlier"}
    _lock_path(path).write_text(_json.dumps(first))
    second = _Lock(path)
    assert second.acquire() is not None, "the second instance is told who else has it open"
    second.release()
    assert _read(path) is not None and _read(path).pid == _os.getppid(), "the first one's lock survives"


@CORE
@given(sessions(), st.data())
def test_a_save_after_an_edit_writes_what_a_fresh_save_would(session, data):
    """Issue 13: each item's TOML is remembered between saves (only changed items are written
    again); the text must be exactly what serialising from scratch gives, edit after edit."""
    dumps_session(session)  # remember every item
    for _ in range(3):
        tables = [t for t in ("pains", "processes", "solutions", "stages") if getattr(session, t)]
        if not tables:
            break
        table = data.draw(st.sampled_from(tables))
        item = data.draw(st.sampled_from(getattr(session, table)))
        field = "text" if table in ("pains", "solutions") else "name"
        session, _ = update_item(
            session, table, item.id, {field: data.draw(st.text(min_size=1, max_size=30).filter(str.strip))}, actor=None
        )
        remembered = dumps_session(session)
        store._BLOCKS.clear()
        assert remembered == dumps_session(session)
