"""What a session file holds, and what cjmtui leaves beside it, read as the tests check them."""

from __future__ import annotations

from pathlib import Path

from cjmtui.core.lock import lock_path
from cjmtui.core.store import load_session


def leftovers(path: Path) -> list[str]:
    """Temp files (``.NAME.toml.*.tmp`` from atomic saves, or any other ``*.tmp``) and the lock
    file ``.NAME.toml.lock``: all must be gone once cjmtui has exited."""
    names = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    if lock_path(path).exists():
        names.append(lock_path(path).name)
    return sorted(names)


def texts(path: Path, kind: str = "pain") -> list[str]:
    """The texts of the pains (or gains) in the file at ``path``."""
    return [p.text for p in load_session(path).session.pains if p.kind == kind]
