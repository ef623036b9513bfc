"""Theme files (TOML) registered as Textual themes: bundled ones and the user's own.

Bundled themes live in the repository's ``themes/`` folder and are installed with the package
as ``cjmtui/themes``; user themes go in ``<config>/cjmtui/themes/*.toml``. A broken file is
reported, never fatal.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from ..core import tomlio
from ..core.files import user_config_dir
from ..core.sidefiles import read_regular

DEFAULT_THEME = "cjm-dark"
_FIELDS = {f.name: f.type for f in dataclasses.fields(Theme)}
_COLOR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


def bundled_theme_files() -> list[Path]:
    folder = Path(str(resources.files("cjmtui"))) / "themes"  # installed: cjmtui/themes
    if not folder.is_dir():  # an editable install: the checkout's themes/ folder
        folder = Path(__file__).resolve().parents[3] / "themes"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def user_theme_files() -> list[Path]:
    folder = user_config_dir() / "themes"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def _check_color(value: str) -> None:
    if value.startswith("ansi_"):
        return
    Color.parse(value)


def parse_theme(text: str, source: str) -> Theme:
    """A Theme from TOML text; raises ValueError with a message naming ``source``."""
    try:
        data = tomlio.loads(text)
    except (tomlio.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ValueError(f"{source}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ValueError(f"{source}: unknown key {unknown[0]!r}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ValueError(f"{source}: needs a name")
    if not isinstance(data.get("primary"), str):
        raise ValueError(f"{source}: needs a primary colour")
    for key in _COLOR_FIELDS:
        if key in data:
            if not isinstance(data[key], str):
                raise ValueError(f"{source}: {key} must be a colour string")
            try:
                _check_color(data[key])
            except ColorParseError:
                raise ValueError(f"{source}: {key} = {data[key]!r} is not a colour") from None
    for key in ("dark", "ansi"):
        if key in data and not isinstance(data[key], bool):
            raise ValueError(f"{source}: {key} must be true or false")
    for key in ("luminosity_spread", "text_alpha"):
        if key in data and not isinstance(data[key], (int, float)):
            raise ValueError(f"{source}: {key} must be a number")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ValueError(f"{source}: [variables] must map names to colour strings")
    return Theme(**data)


def load_themes() -> tuple[list[Theme], list[str]]:
    """All bundled and user themes, and one message per file that could not be used."""
    themes: list[Theme] = []
    errors: list[str] = []
    for path in [*bundled_theme_files(), *user_theme_files()]:
        try:
            # A regular file only (a FIFO among the themes never hangs the app), at most 1 MiB.
            themes.append(parse_theme(read_regular(path, 1024 * 1024, follow=True).decode("utf-8"), str(path)))
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{path}: cannot read ({exc})")
        except ValueError as exc:
            errors.append(str(exc))
    return themes, errors
