"""User text as widgets show it: never markup, never terminal escapes."""

from __future__ import annotations

from rich.text import Text

from ..core.safety import printable


def plain(value: object, style: str = "") -> Text:
    """A Rich Text that shows ``value`` literally (markup inert, control characters visible)."""
    return Text(printable(str(value)), style=style, no_wrap=False, end="")


def clip(value: object, width: int) -> str:
    text = printable(str(value))
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
