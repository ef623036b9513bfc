"""Where each user was in each session: the screen, the stage and the highlighted item.

This is per user, not workshop data, so it lives outside the session file, in the user's state
folder (``$XDG_STATE_HOME/cjmtui/views.json``, else ``~/.local/state/cjmtui/views.json``), keyed
by the session file's real path. It keeps the 200 most recent sessions. A broken or planted file
is ignored (the app opens where it always did) and replaced on the next save.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import SaveError
from .sidefiles import read_regular, write_side_file

MAX_SESSIONS = 200
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class View:
    mode: str = ""  # the screen
    stage: str | None = None
    table: str | None = None  # the highlighted item's table and id
    item: str | None = None


def state_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "cjmtui" / "views.json"


def _key(session_path: Path) -> str:
    try:
        return str(Path(session_path).resolve())
    except (OSError, RuntimeError):
        return str(Path(session_path).absolute())


def _all() -> dict[str, dict[str, object]]:
    path = state_file()
    try:  # a regular file only: never through a link, never waiting on a FIFO
        data = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def load_view(session_path: Path) -> View | None:
    """Where this user last was in this session, if anywhere."""
    raw = _all().get(_key(session_path))
    if not isinstance(raw, dict):
        return None

    def text(name: str) -> str | None:
        value = raw.get(name)
        return value if isinstance(value, str) else None

    return View(mode=text("mode") or "", stage=text("stage"), table=text("table"), item=text("item"))


def save_view(session_path: Path, view: View) -> bool:
    """Remember ``view`` for this session (the most recent first); False when it cannot be written."""
    views = _all()
    key = _key(session_path)
    views.pop(key, None)
    views = {key: asdict(view), **dict(list(views.items())[: MAX_SESSIONS - 1])}
    try:
        state_file().parent.mkdir(parents=True, exist_ok=True)
        write_side_file(state_file(), json.dumps(views, ensure_ascii=False, indent=1).encode("utf-8"))
    except (OSError, SaveError):
        return False
    return True
