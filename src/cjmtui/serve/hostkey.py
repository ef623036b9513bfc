"""The server's host key: made once per user and kept in the data folder, so the participants'
``known_hosts`` stay valid from one workshop to the next."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from ..core.errors import CjmError
from .ssh import asyncssh

KEY_NAME = "serve_host_ed25519"


def _read_private(path: Path) -> bytes:
    """The key file's bytes: never through a link, only a regular file of ours, kept 0600."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise CjmError(f"{path}: not a host key file of this user; move it away and start again")
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, 0o600)
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_private(path: Path, data: bytes) -> None:
    """Create ``path`` (0600, never through a link, never over an existing file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def host_key(folder: Path) -> tuple[Any, Path]:
    """The host key kept in ``folder`` (made, 0600, when there is none) and its path."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / KEY_NAME
    try:
        return asyncssh.import_private_key(_read_private(path)), path
    except FileNotFoundError:
        pass
    except (OSError, ValueError, asyncssh.KeyImportError) as exc:
        raise CjmError(f"{path}: cannot read the host key ({exc}); move it away and start again") from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="cjmtui serve")
    try:
        _write_private(path, key.export_private_key())
    except FileExistsError:  # another cjmtui serve made it meanwhile: use theirs
        return asyncssh.import_private_key(_read_private(path)), path
    return key, path


def fingerprint(key: Any) -> str:
    """``SHA256:…`` as ``ssh`` shows it when it first meets the host."""
    return str(key.get_fingerprint("sha256"))
