"""Who has a session open: a lock file beside it, so a second instance knows about the first.

The lock never blocks anyone; it tells a second cjmtui on the same session (same machine or
another one on a shared folder) who else is editing, and is never taken over from a live
process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import SaveError
from .store import pid_alive, write_atomic


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.started}"


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


MAX_LOCK_BYTES = 4096


def _read_small_file(path: Path) -> bytes | None:
    """A small regular file's bytes; None for anything else (a FIFO, a link, a device, a folder,
    a huge file) — never following a link, never blocking, never reading more than a lock holds."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, MAX_LOCK_BYTES + 1)[: MAX_LOCK_BYTES + 1]
    except OSError:
        return None
    finally:
        os.close(fd)


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
        with contextlib.suppress(OSError, SaveError):
            write_atomic(lock_path(self.path), json.dumps(info).encode(), backup=False)
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


def save_lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.savelock")


@contextlib.contextmanager
def exclusive_save(path: Path, wait: float = SAVE_LOCK_WAIT) -> Iterator[bool]:
    """Hold an advisory lock (``fcntl.flock``) on ``.NAME.savelock`` beside the session while
    reading, merging and writing it, so two cjmtui instances never interleave their saves.

    Yields whether the lock is held: where it cannot be had (a read-only folder, a planted
    FIFO or link, no ``fcntl``) the save goes on without it, still refusing to overwrite a file
    that changed since it was read. The lock file is never followed through a link, never
    blocks on open, and is never removed (removing it would let two writers lock two files).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield False
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(save_lock_path(path), flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        yield False
        return
    held = False
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            deadline = time.monotonic() + wait
            while not held:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = True
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.02)
                except OSError:
                    break
        yield held
    finally:
        os.close(fd)  # closing releases the lock
