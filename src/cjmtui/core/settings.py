"""Per-user settings (the chosen theme), kept in the user config folder as TOML."""

from __future__ import annotations

import contextlib
from pathlib import Path

from . import tomlio
from .errors import CjmError
from .files import user_config_dir
from .sidefiles import read_regular, write_side_file

MAX_SETTINGS_BYTES = 64 * 1024


def settings_path() -> Path:
    return user_config_dir() / "settings.toml"


def load_settings() -> dict[str, str]:
    try:
        # A regular file only: never through a link, never waiting on a FIFO, never huge.
        data = tomlio.loads(read_regular(settings_path(), MAX_SETTINGS_BYTES).decode("utf-8"))
    except (OSError, ValueError, tomlio.TOMLDecodeError, RecursionError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def save_setting(key: str, value: str) -> None:
    """Remember one setting; failure to remember is never an error worth interrupting for."""
    data = load_settings()
    data[key] = value
    text = tomlio.dumps_document(data, [], [])
    with contextlib.suppress(OSError, CjmError):
        settings_path().parent.mkdir(parents=True, exist_ok=True)
        write_side_file(settings_path(), text.encode("utf-8"))
