"""Per-user settings (the chosen theme), kept in the user config folder as TOML."""

from __future__ import annotations

import contextlib
from pathlib import Path

from . import tomlio
from .errors import CjmError
from .files import user_config_dir
from .store import write_atomic


def settings_path() -> Path:
    return user_config_dir() / "settings.toml"


def load_settings() -> dict[str, str]:
    try:
        data = tomlio.loads(settings_path().read_text("utf-8"))
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
        write_atomic(settings_path(), text.encode("utf-8"), backup=False)
