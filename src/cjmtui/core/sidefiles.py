"""Opening, creating and writing files without being led somewhere else.

A shared workshop folder is written by several people, so anything in it may be a planted link,
a FIFO or a device. Every file the program reads, and every side file it writes beside a session
(the lock, the save lock, the presence folder and its heartbeats, the ``.bak``, temp files,
rescue copies) and in the user's folders (``views.json``, settings), goes through these:

- :func:`read_regular`: a regular file only, opened non-blocking (a FIFO never hangs), with a
  size cap (:data:`MAX_FILE_BYTES`), through a link only when asked (a session opened via a link);
- :func:`open_lockable`: the save lock, created or opened without following a link;
- :func:`write_side_file`: an atomic write that never follows a link and never replaces
  anything but a regular file;
- :func:`make_dir`: a folder made (or found) without following a link;
- :func:`side_mode`: the permissions side files take from the session and its folder.

This module is core: it must never import textual.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

MAX_FILE_BYTES = 16 * 1024 * 1024

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """What is at a name is a link, a FIFO, a device or a folder where a regular file belongs."""

    def __init__(self, path: str | os.PathLike[str], what: str = "") -> None:
        super().__init__(errno.EINVAL, what or "not a regular file (a link, a pipe or a device?)", os.fspath(path))


class TooLarge(OSError):
    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        shown = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
        super().__init__(errno.EFBIG, f"too large (over {shown})", os.fspath(path))


def kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str], *, follow: bool = False, dir_fd: int | None = None) -> int:
    """A read-only descriptor on the regular file at ``path``: never blocks (a FIFO with no
    writer), never follows a final link unless ``follow``; anything else raises
    :class:`NotRegularFile` (an :class:`OSError`)."""
    flags = os.O_RDONLY | NONBLOCK | CLOEXEC | (0 if follow else NOFOLLOW)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotRegularFile(path, "a link, not a regular file; not followed") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, f"{kind(mode)}, not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_fd(fd: int, path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """Up to ``limit`` bytes from ``fd``; :class:`TooLarge` when there are more."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TooLarge(path, limit)
    return b"".join(chunks)


def read_regular(
    path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES, *, follow: bool = False, dir_fd: int | None = None
) -> bytes:
    """The bytes of the regular file at ``path`` (see :func:`open_regular`), at most ``limit``."""
    fd = open_regular(path, follow=follow, dir_fd=dir_fd)
    try:
        return read_fd(fd, path, limit)
    finally:
        os.close(fd)


def read_regular_stat(path: str | os.PathLike[str], *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular` and the file's status (of the same open file)."""
    fd = open_regular(path, follow=follow)
    try:
        return read_fd(fd, path), os.fstat(fd)
    finally:
        os.close(fd)


# Permissions ---------------------------------------------------------------------------------


def side_mode(session: Path, *, folder: bool = False) -> tuple[int, int]:
    """(mode, group) a side file of ``session`` takes: the session's read/write bits (so whoever
    may write the session may write its lock and heartbeat; never wider), group the session
    folder's when it is setgid, else the session's; a folder also gets x where r and the
    folder's setgid bit. -1 for the group: leave it. Falls back to 0o644 / 0o755."""
    try:
        st = os.stat(session)
        mode = stat.S_IMODE(st.st_mode) & 0o666
        group = st.st_gid
    except OSError:
        mode, group = 0o644, -1
    with contextlib.suppress(OSError):
        parent = os.stat(session.parent if str(session.parent) else ".")
        if parent.st_mode & stat.S_ISGID:
            group = parent.st_gid
            if folder:
                mode |= stat.S_ISGID
    mode |= stat.S_IRUSR | stat.S_IWUSR  # never one we cannot use ourselves
    if folder:
        mode |= stat.S_IXUSR | ((mode & 0o044) >> 2)
    return mode, group


def set_mode(fd: int, mode: int | None, group: int = -1) -> None:
    """Give what ``fd`` holds ``mode`` and ``group`` (explicitly: the umask cannot widen them);
    where this process may not, it stays as it is."""
    if group >= 0 and hasattr(os, "fchown"):
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, group)
    if mode is not None:
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)


# Creating and writing ------------------------------------------------------------------------


def open_lockable(path: Path, mode: int = 0o644, group: int = -1) -> int:
    """A read-write descriptor on the regular file ``path`` (created with ``mode`` and ``group``
    when missing), never following a link and never blocking; anything but a regular file
    raises :class:`NotRegularFile`."""
    flags = os.O_RDWR | NONBLOCK | CLOEXEC | NOFOLLOW
    created = False
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
        created = True
    except FileExistsError:
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise NotRegularFile(path) from None
            raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, f"{kind(st.st_mode)}, not a regular file")
        mine = st.st_uid == os.geteuid()
        if created or (mine and (stat.S_IMODE(st.st_mode), st.st_gid) != (mode, group if group >= 0 else st.st_gid)):
            set_mode(fd, mode, group)  # one an older cjmtui made 0644: others may use it from now on
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_exclusive(path: str | os.PathLike[str], mode: int = 0o600, *, dir_fd: int | None = None) -> int:
    """A new file at ``path`` (write-only); fails if anything, even a dangling link, is there."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC, mode, dir_fd=dir_fd)


def _refuse_non_regular(name: str | os.PathLike[str], dir_fd: int | None) -> None:
    try:
        st = os.lstat(name, dir_fd=dir_fd) if dir_fd is not None else os.lstat(name)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(name, f"{kind(st.st_mode)} is there; it is not replaced")


def write_side_file(
    path: Path, data: bytes, *, mode: int | None = None, group: int = -1, dir_fd: int | None = None
) -> None:
    """Write ``data`` to ``path`` atomically (a temp file made with ``O_EXCL``, then a rename),
    never through a link: a link, FIFO, device or folder at ``path`` raises
    :class:`NotRegularFile` and stays as it is. With ``dir_fd``, ``path`` is a name in that
    folder. ``mode`` (default: 0o666 less the umask) is set explicitly."""
    name = path.name if dir_fd is not None else str(path)
    tmp_name = f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    tmp = tmp_name if dir_fd is not None else str(path.with_name(tmp_name))
    _refuse_non_regular(name, dir_fd)
    fd = create_exclusive(tmp, 0o600, dir_fd=dir_fd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            set_mode(fd, (0o666 & ~UMASK) if mode is None else mode, group)
        finally:
            os.close(fd)
        _refuse_non_regular(name, dir_fd)  # planted meanwhile: still never replaced
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        tmp = ""
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)


def make_dir(path: Path, mode: int = 0o755, group: int = -1) -> bool:
    """Make the folder ``path`` (``mode`` and ``group`` set explicitly), or accept one that is
    there and really is a folder (not a link to one). Returns whether it was made here."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode):
            raise NotRegularFile(path, f"{kind(st.st_mode)}, not a folder; not used") from None
        wanted = (mode, group if group >= 0 else st.st_gid)
        if st.st_uid == os.geteuid() and (stat.S_IMODE(st.st_mode), st.st_gid) != wanted:
            fd = open_dir(path)  # one an older cjmtui made 2755: others may use it from now on
            try:
                set_mode(fd, mode, group)
            finally:
                os.close(fd)
        return False
    fd = open_dir(path)
    try:
        set_mode(fd, mode, group)
    finally:
        os.close(fd)
    return True


def open_dir(path: str | os.PathLike[str]) -> int:
    """A descriptor on the folder ``path``, never through a final link."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | NOFOLLOW | CLOEXEC)


def _read_umask() -> int:
    # Read once, at import (single-threaded): os.umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()
