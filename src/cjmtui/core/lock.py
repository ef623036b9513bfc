"""Who has a session open: a lock file beside it, so a second instance knows about the first.

The lock never blocks anyone; it tells a second cjmtui on the same session (same machine or
another one on a shared folder) who else is editing, and is never taken over from a live
process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .atomic import pid_alive
from .errors import SaveError
from .sidefiles import NotRegularFile, kind, open_lockable, read_regular, side_mode, write_side_file


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.started}"


def real_file(path: Path) -> Path:
    """The session file every path to it leads to (through links, in its real folder): what
    every side file is named after, so a session opened via a link and via its real path share
    one lock, one save lock, one presence folder."""
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    real = real_file(path)
    return real.with_name(f".{real.name}.lock")


MAX_LOCK_BYTES = 4096


def _read_small_file(path: Path) -> bytes | None:
    """A small regular file's bytes; None for anything else (a FIFO, a link, a device, a folder,
    a huge file) — never following a link, never blocking, never reading more than a lock holds."""
    try:
        return read_regular(path, MAX_LOCK_BYTES)
    except OSError:
        return None


def _lock_data(path: Path) -> dict[str, object] | None:
    """The lock file's JSON object, or None for anything else."""
    data = _read_small_file(lock_path(path))
    if data is None or len(data) > MAX_LOCK_BYTES:
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def read_lock(path: Path) -> LockInfo | None:
    """Who else has this session open, if anyone still alive does (a planted or broken lock
    file says nobody)."""
    raw = _lock_data(path)
    pid = raw.get("pid") if raw is not None else None
    if raw is None or not isinstance(pid, int) or isinstance(pid, bool):
        return None
    info = LockInfo(pid, str(raw.get("host", "")), str(raw.get("started", "")))
    if info.host == socket.gethostname() and not pid_alive(info.pid):
        return None  # stale: that process is gone
    if info.host == socket.gethostname() and info.pid == os.getpid():
        return None
    return info


class SessionLock:
    """Marks a session as open by this process. ``other`` is who else had it, if anyone."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.other = read_lock(self.path)
        self._held = False

    def acquire(self) -> LockInfo | None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }
        if self.other is not None:
            return self.other  # theirs stays: when we leave, their lock must still say they are here
        mode, group = side_mode(real_file(self.path))
        with contextlib.suppress(OSError, SaveError):
            # Never through a link: a planted link at the lock name is left as it is.
            write_side_file(lock_path(self.path), json.dumps(info).encode(), mode=mode, group=group)
            self._held = True
        return self.other

    def release(self) -> None:
        if not self._held:
            return
        # Whatever the lock file now holds (someone else's lock, garbage), releasing never fails.
        raw = _lock_data(self.path)
        if raw is not None and raw.get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                lock_path(self.path).unlink()
        self._held = False


# ---------------------------------------------------------------------------------------------
# Saving: one writer at a time


SAVE_LOCK_WAIT = 5.0  # seconds a save waits for another instance's read-merge-write


OPEN_RETRY = 0.5  # seconds a save retries a save lock it cannot open


class SaveLockError(SaveError):
    """The save lock cannot be held: the save does not go ahead (every edit is kept)."""


def save_lock_path(path: Path) -> Path:
    real = real_file(path)
    return real.with_name(f".{real.name}.savelock")


def _why_not(path: Path, exc: OSError) -> str:
    """Why the save lock at ``path`` cannot be used, in words a person can act on."""
    name = path.name
    if isinstance(exc, NotRegularFile):
        try:
            what = kind(os.lstat(path).st_mode)
        except OSError:
            what = "not a regular file"
        return f"{name} (the save lock beside the session) is {what}; remove it so saves can be locked"
    if isinstance(exc, PermissionError):
        try:
            st = os.lstat(path)
            import pwd

            owner = pwd.getpwuid(st.st_uid).pw_name
        except FileNotFoundError:
            return f"you cannot create files in {path.parent} (permission denied)"
        except (OSError, KeyError, ImportError):
            return f"{name} (the save lock) cannot be opened here: permission denied"
        return (
            f"{name} (the save lock) belongs to {owner} with mode {stat.S_IMODE(st.st_mode):04o}; you cannot use "
            f"it. Ask {owner} to make it group-writable (chmod g+w), or remove it"
        )
    if exc.errno == errno.EROFS:
        return "the folder is read-only"
    return f"{name} (the save lock) cannot be used: {exc.strerror or exc}"


@contextlib.contextmanager
def exclusive_save(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an advisory lock (``fcntl.flock``) on ``.NAME.savelock`` beside the session's real
    file while reading, merging and writing it, so two cjmtui instances never interleave their
    saves.

    A save never goes ahead without it: when the lock cannot be had within ``wait`` seconds
    (another instance holds it, or what is at the name is a FIFO, a folder, a link, another
    user's file this one cannot open), :class:`SaveLockError` says why, and the caller keeps
    its edits and tries again later. The lock file is created with the session's permissions
    and group (so every user who may write the session may lock it), is never followed
    through a link, never blocks on open, and is never removed (removing it would let two
    writers lock two files). Without ``fcntl`` (not POSIX) there is nothing to hold.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    wait = SAVE_LOCK_WAIT if wait is None else wait
    target = save_lock_path(path)
    mode, group = side_mode(real_file(path))
    start = time.monotonic()
    deadline = start + wait
    while True:
        try:
            fd = open_lockable(target, mode, group)
            break
        except OSError as exc:
            reason = _why_not(target, exc)
            # A planted FIFO or another user's file stays until someone removes it: the caller
            # retries later (autosave every few seconds); a moment's wait covers a replacement.
            if time.monotonic() > min(deadline, start + OPEN_RETRY) or not target.parent.exists():
                raise SaveLockError(f"{path}: not saved: {reason}") from None
            time.sleep(0.1)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SaveLockError(
                        f"{path}: not saved yet: another cjmtui has been saving it for over {wait:g} s; retrying"
                    ) from None
                time.sleep(0.02)
            except OSError as exc:
                why = exc.strerror or exc
                raise SaveLockError(f"{path}: not saved: the save lock cannot be held ({why})") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
