"""Who is in the session right now: one small heartbeat file per person beside the session.

Everyone with the session open (the facilitator, and each participant who joined) touches
``.NAME.toml.here/<who>`` every few seconds and removes it on leaving. A file not touched for
:data:`STALE_AFTER` seconds is someone whose link dropped: they no longer count as here. No
server and no lock: a shared folder and file times are enough, on one machine or several.

This module is core: it must never import textual.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from pathlib import Path

from .safety import printable
from .sidefiles import NotRegularFile, make_dir, open_dir, read_regular, side_mode, write_side_file

STALE_AFTER = 12.0  # seconds without a heartbeat: gone (three missed beats)
BEAT_EVERY = 4.0
FACILITATOR = "facilitator"
MAX_NAME = 200
MAX_BEAT_BYTES = 4 * MAX_NAME  # a name of MAX_NAME characters in UTF-8


def folder(path: Path) -> Path:
    """``.NAME.toml.here`` beside the session's real file (every path to it shares one)."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.here")


def _name(who: str) -> str:
    return hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]  # any name, a safe file name


def _file(path: Path, who: str) -> Path:
    return folder(path) / _name(who)


def beat(path: Path, who: str | None) -> str | None:
    """Say that ``who`` (a participant's name; None for the facilitator) is here now.

    The folder and the heartbeat take the session's permissions and group (so everyone who may
    write the session may beat), and are never made or written through a link. Where it cannot
    be written, nothing happens and the reason is returned (for the app to say once); None when
    the beat was written."""
    name = FACILITATOR if who is None else who
    here_dir = folder(path)
    real = here_dir.with_name(here_dir.name[1 : -len(".here")])
    mode, group = side_mode(real, folder=True)
    try:
        make_dir(here_dir, mode, group)
        fd = open_dir(here_dir)
    except NotRegularFile as exc:
        return f"{here_dir.name} is {exc.strerror}: who is here is not shown. Remove it to fix this."
    except OSError as exc:
        return _cannot(here_dir, exc)
    try:
        file_mode = side_mode(real)[0]
        write_side_file(Path(_name(name)), name[:MAX_NAME].encode("utf-8"), mode=file_mode, group=group, dir_fd=fd)
    except OSError as exc:
        return _cannot(here_dir, exc)
    finally:
        os.close(fd)
    return None


def _cannot(here_dir: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        try:
            st = os.lstat(here_dir)
            import pwd

            owner = pwd.getpwuid(st.st_uid).pw_name
            whose = f" (it belongs to {owner}, mode {stat.S_IMODE(st.st_mode):04o})"
        except (OSError, KeyError, ImportError):
            whose = ""
        return (
            f"{here_dir.name}{whose} cannot be written by you: others do not see you here. "
            "Its owner can make it group-writable (chmod g+w) or remove it."
        )
    return f"{here_dir.name}: cannot say you are here ({exc.strerror or exc})"


def leave(path: Path, who: str | None) -> None:
    here_dir = folder(path)
    with contextlib.suppress(OSError):
        fd = open_dir(here_dir)
        try:
            os.unlink(_name(FACILITATOR if who is None else who), dir_fd=fd)
        finally:
            os.close(fd)
    with contextlib.suppress(OSError):
        here_dir.rmdir()  # the last one out takes the folder with them


def here(path: Path, now: float | None = None) -> list[str]:
    """The names of everyone whose heartbeat is fresh, the facilitator first, then by name.
    Only regular files count: each is read without following a link and without blocking (a
    FIFO planted in the folder is skipped, never waited on)."""
    now = time.time() if now is None else now
    names: set[str] = set()
    try:
        fd = open_dir(folder(path))
    except OSError:
        return []
    try:
        entries = list(os.scandir(fd))
        for entry in entries:
            if entry.name.endswith(".tmp"):
                continue
            with contextlib.suppress(OSError, UnicodeDecodeError):
                st = os.stat(entry.name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime <= STALE_AFTER:
                    data = read_regular(entry.name, MAX_BEAT_BYTES, dir_fd=fd)
                    name = printable(data.decode("utf-8")[:MAX_NAME]).strip()
                    if name:
                        names.add(name)
    except OSError:
        return []
    finally:
        os.close(fd)
    return sorted(names, key=lambda n: (n != FACILITATOR, n.casefold()))
