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
import time
from pathlib import Path

from .safety import printable

STALE_AFTER = 12.0  # seconds without a heartbeat: gone (three missed beats)
BEAT_EVERY = 4.0
FACILITATOR = "facilitator"
MAX_NAME = 200


def folder(path: Path) -> Path:
    return path.with_name(f".{path.name}.here")


def _file(path: Path, who: str) -> Path:
    digest = hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]  # any name, a safe file name
    return folder(path) / digest


def beat(path: Path, who: str | None) -> None:
    """Say that ``who`` (a participant's name; None for the facilitator) is here now. Quietly
    does nothing where the folder cannot be written (a read-only place)."""
    name = FACILITATOR if who is None else who
    with contextlib.suppress(OSError):
        folder(path).mkdir(exist_ok=True)
        target = _file(path, name)
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        tmp.write_text(name[:MAX_NAME], encoding="utf-8")
        os.replace(tmp, target)


def leave(path: Path, who: str | None) -> None:
    with contextlib.suppress(OSError):
        _file(path, FACILITATOR if who is None else who).unlink()
    with contextlib.suppress(OSError):
        folder(path).rmdir()  # the last one out takes the folder with them


def here(path: Path, now: float | None = None) -> list[str]:
    """The names of everyone whose heartbeat is fresh, the facilitator first, then by name."""
    now = time.time() if now is None else now
    names: set[str] = set()
    try:
        entries = list(os.scandir(folder(path)))
    except OSError:
        return []
    for entry in entries:
        if entry.name.endswith(".tmp"):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if now - entry.stat().st_mtime <= STALE_AFTER:
                with open(entry.path, encoding="utf-8") as fh:
                    name = printable(fh.read(MAX_NAME)).strip()
                if name:
                    names.add(name)
    return sorted(names, key=lambda n: (n != FACILITATOR, n.casefold()))
