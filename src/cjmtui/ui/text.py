"""User text as widgets show it: never markup, never terminal escapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..core.safety import printable

if TYPE_CHECKING:
    from textual.widgets import Static


def plain(value: object, style: str = "") -> Text:
    """A Rich Text that shows ``value`` literally (markup inert, control characters visible)."""
    return Text(printable(str(value)), style=style, no_wrap=False, end="")


def clip(value: object, width: int) -> str:
    text = printable(str(value))
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def show(widget: Static, content: Text, *, layout: bool = True) -> None:
    """``widget.update(content)``, skipped when it shows that already. Each update asks for a
    layout of the whole screen, which redraws all of it: the detail panel and the stage bar are
    shown again whenever someone else's note arrives, and mostly say the same. ``layout=False``
    for a widget whose size its text never changes (one line high across the screen: the stage
    bar, the key bar): only it is redrawn."""
    key = (content.plain, tuple(content.spans), str(content.style))
    if getattr(widget, "_cjm_shown", None) != key:
        widget._cjm_shown = key  # type: ignore[attr-defined]
        widget.update(content, layout=layout)
