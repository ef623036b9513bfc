"""Writing a file so that nothing is ever lost: atomically, with the previous version kept.

:func:`write_atomic` writes a temp file in the same folder, fsyncs it, ``os.replace``s it over
the old file and fsyncs the folder; the previous version is kept as ``NAME.bak``. A failed
write leaves the old file byte-identical and no temp file behind; the temp files of a process
that was killed meanwhile are cleared the next time the file is opened
(:func:`clean_stale_temp_files`). The store (:mod:`cjmtui.core.store`) saves sessions with it,
and exports write their files with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ConflictError, SaveError
from .sidefiles import NONBLOCK, UMASK, kind, read_regular, write_side_file


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be opened or synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def real_path(path: Path) -> Path:
    """Where a save to ``path`` goes: through a symlink to the file it points at (the link stays
    a link); any other path as it is."""
    try:
        return path.resolve(strict=True) if path.is_symlink() else path
    except (OSError, RuntimeError):  # a dangling link or a loop: write nothing through it
        return path


def _keep_owner(tmp: str, old: os.stat_result) -> None:
    """The new file keeps the old one's mode, and its owner and group where this process may."""
    with contextlib.suppress(OSError):
        os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only root may give a file away; a member may keep the group
            os.chown(tmp, old.st_uid, old.st_gid)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    backup: bool = True,
    exclusive: bool = False,
    stream: bool = False,
    unchanged: Callable[[], bool] | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically. On failure the old file is untouched.

    Through a symlink, the file it points at is replaced (a temp file and the ``.bak`` beside
    it), so the link stays a link. The new file keeps the old one's mode, owner and group where
    the process may; a hard link to the old file keeps the old content (it is a new file).

    Only a regular file is ever replaced: anything else at ``path`` (or where a link leads) is
    refused (:class:`SaveError`), except that with ``stream`` (an export's output) a device or a
    pipe is written to directly, as ``>`` in a shell would (a pipe nobody reads is refused).

    ``unchanged``, called right before the final rename, says whether the file is still the
    one the data was made from; when not, nothing is written (:class:`ConflictError`).

    With ``exclusive``, the file must not exist yet: it is created with a hard link (or, where
    there are none, an ``O_EXCL`` placeholder), which fails (:class:`ConflictError`) if another
    process created the name in the meantime.
    """
    path = real_path(Path(path))
    folder = path.parent if str(path.parent) else Path(".")
    if _streamed(path, data, stream=stream and not exclusive):
        return
    tmp = ""
    try:
        tmp = _write_temp(path, folder, data)
        if exclusive:
            _create_exclusive(tmp, path)
            created, tmp = tmp, ""
            with contextlib.suppress(OSError):  # saved already: a leftover link is harmless
                os.unlink(created)
        else:
            if backup and path.exists():
                _keep_backup(path)
            if unchanged is not None and not unchanged():
                raise ConflictError(f"{path}: changed on disk while saving; nothing written")
            if not stat.S_ISREG(os.lstat(path).st_mode if os.path.lexists(path) else stat.S_IFREG):
                raise SaveError(f"{path}: is no longer a regular file; not replaced, nothing written")
            os.replace(tmp, path)
        tmp = ""
        _fsync_dir(folder)
    except OSError as exc:
        raise SaveError(f"{path}: could not save ({exc.strerror or exc}); the file on disk is unchanged") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _streamed(path: Path, data: bytes, *, stream: bool) -> bool:
    """Whether ``data`` went to a device or a pipe at ``path`` (only with ``stream``); refused
    (:class:`SaveError`) when anything else but a regular file is there. False: write a file."""
    try:
        st = os.stat(path)  # through a link: what it leads to
    except OSError:
        return False
    if stat.S_ISREG(st.st_mode):
        return False
    if stream and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        _write_stream(path, data)
        return True
    raise SaveError(f"{path}: is {kind(st.st_mode)}, not a regular file; not replaced, nothing written")


def _write_temp(path: Path, folder: Path, data: bytes) -> str:
    """A temp file beside ``path`` holding ``data``, synced to disk, with the old file's mode,
    owner and group (a new file's mode: the umask's). Its name is returned; on failure nothing
    is left behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            _keep_owner(tmp, path.stat())
        except OSError:
            os.chmod(tmp, 0o666 & ~UMASK)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _write_stream(path: Path, data: bytes) -> None:
    """Write to a device or a pipe as it is: no create, no truncate, no rename; a pipe with no
    reader is refused at once rather than waited on."""
    try:
        fd = os.open(path, os.O_WRONLY | NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise SaveError(f"{path}: is a pipe nobody is reading; nothing written") from None
        raise SaveError(f"{path}: could not write ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise SaveError(f"{path}: changed while writing; nothing written")
        os.set_blocking(fd, True)  # a reader that is slower than us is waited for
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise SaveError(f"{path}: could not write ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _create_exclusive(tmp: str, path: Path) -> None:
    """Give the finished ``tmp`` the name ``path``, failing if that name exists already."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise ConflictError(f"{path}: already exists; choose another name") from None
    except OSError:
        pass  # no hard links here (FAT, exFAT, some network shares): reserve the name instead
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise ConflictError(f"{path}: already exists; choose another name") from None
    try:
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)  # the empty placeholder we made, never someone's file
        raise


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):  # OverflowError: a pid no process can have
        return False
    return True


# ".NAME.<pid>.<random>.tmp" (write_atomic) and ".NAME.bak.<pid>.tmp" (_keep_backup)
_TEMP_REST = re.compile(r"(?:bak\.)?(\d+)\.(?:[A-Za-z0-9_]+\.)?tmp")


def clean_stale_temp_files(path: Path) -> list[Path]:
    """Remove temp files a killed cjmtui left beside ``path`` (their process is gone).

    Temp files are named ``.NAME.<pid>.<random>.tmp``; one whose process still runs is another
    instance's save in progress and is left alone. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        candidates = list(path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
        candidates += list(path.parent.glob(f".{glob_escape(path.name)}.bak.*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        # Only our own temp names: ".a.toml.x.toml.<pid>.<random>.tmp" belongs to another
        # session (``x.toml`` of ``a.toml.x.toml``), and may be its save in progress.
        match = _TEMP_REST.fullmatch(tmp.name[len(path.name) + 2 :])
        if match is None:
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _keep_backup(path: Path) -> None:
    """Keep the current file as ``NAME.toml.bak`` (a hard link: no copy, never torn). What is at
    the ``.bak`` name is replaced only when it is a regular file, never followed as a link."""
    bak = path.with_name(path.name + ".bak")
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.lstat(bak).st_mode):
            return  # a link, a pipe or a device planted there: no backup rather than through it
    link = bak.with_name(f".{bak.name}.{os.getpid()}.tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        os.link(path, link, follow_symlinks=False)
        os.replace(link, bak)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(link)
        with contextlib.suppress(OSError):  # a filesystem without hard links
            old = os.stat(path)
            write_side_file(bak, read_regular(path), mode=stat.S_IMODE(old.st_mode))
