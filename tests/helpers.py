"""Shared helpers for the Pilot tests of the cjmtui app."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from cjmtui.core.store import load_session
from cjmtui.core.workspace import Workspace
from cjmtui.ui.app import CjmApp

SIZE = (100, 32)
_SVG_TEXT = re.compile(
    r'<text[^>]*\sx="(?P<x>[\d.]+)"[^>]*\sy="(?P<y>[\d.]+)"[^>]*textLength="(?P<length>[\d.]+)"[^>]*>(?P<text>.*?)</text>',
    re.S,
)
EXAMPLES = Path(__file__).resolve().parents[1] / "sessions"


def make_app(
    path: Path, *, clock: Callable[[], float] | None = None, now: dt.datetime | None = None, **kwargs: Any
) -> CjmApp:
    """An app on the session at ``path``, without the disk watcher or signal handlers.

    ``clock`` drives the agenda's timer (a :class:`factories.FakeClock`); ``now`` fixes the
    wall clock shown in "saved HH:MM:SS" (snapshots)."""
    kwargs.setdefault("watch_disk", False)
    kwargs.setdefault("handle_signals", False)
    if clock is not None:
        kwargs["clock"] = clock
    app = CjmApp(Workspace.open(path), path.parent, **kwargs)
    if now is not None:
        app.now = lambda: now
    shown: list[tuple[str, str, str]] = []
    notify = app.notify

    def record(message: str, *, title: str = "", severity: str = "information", **options: Any) -> None:
        shown.append((severity, title or "", message))
        notify(message, title=title, severity=severity, **options)

    app.notify = record  # type: ignore[method-assign]
    app.shown_notifications = shown  # type: ignore[attr-defined]
    return app


async def wait_for(pilot: Pilot, condition, timeout: float = 2.0, step: float = 0.05) -> bool:
    """Pause until ``condition()`` is true; returns whether it became true within ``timeout``."""
    waited = 0.0
    while not condition():
        if waited >= timeout:
            return False
        await pilot.pause(step)
        waited += step
    return True


async def wait_saved(app: CjmApp, pilot: Pilot, timeout: float = 1.5) -> None:
    """Pause until the workspace has nothing unsaved and the save has been reported; fail after ``timeout``."""
    await pilot.pause()

    def saved() -> bool:
        return app.workspace is not None and not app.workspace.dirty and not app.autosave.saving

    ok = await wait_for(pilot, saved, timeout)
    assert ok, f"autosave did not finish within {timeout}s (save state: {app.save_state!r})"


async def send_keys(pilot: Pilot, *keys: str) -> None:
    """Send keys as fast as a typist, a paste or key repeat does, then let the app catch up.

    The key events are queued in order without waiting between them (``pilot.press`` idles
    ~60 ms per key). Use ``pilot.press`` for keys that move the focus or open screens.
    """
    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else None
        if char is not None and not char.isalnum():
            key = _character_to_key(char)
        app.post_message(events.Key(key, char))  # queued in order, as the terminal driver does
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` into the focused widget (see :func:`send_keys`)."""
    await send_keys(pilot, *text)


def on_disk(path: Path):
    """The session as stored in the file right now."""
    return load_session(path).session


def table_texts(table) -> list[str]:
    """Every row of a DataTable as one string of its cells' plain text."""
    rows = []
    for row in table.ordered_rows:
        cells = table.get_row(row.key)
        rows.append(" | ".join(getattr(c, "plain", str(c)) for c in cells))
    return rows


def screen_lines(app: CjmApp) -> list[str]:
    """The lines of text currently on screen, as the terminal would show them (read from
    Textual's own screenshot, so what a dialog covers is what the terminal would show)."""
    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    for match in _SVG_TEXT.finditer(svg):
        text = html.unescape(re.sub("<[^>]+>", "", match["text"])).replace("\xa0", " ")
        if not text:
            continue
        column = round(float(match["x"]) / (float(match["length"]) / len(text)))  # cells are equal width
        row = rows.setdefault(float(match["y"]), {})
        for i, char in enumerate(text):
            row[column + i] = char
    return ["".join(row.get(i, " ") for i in range(max(row) + 1)).rstrip() for _y, row in sorted(rows.items())]


def screen_text(app: CjmApp) -> str:
    """The current screen as text, one line per terminal row (modal screens include what is behind)."""
    return "\n".join(screen_lines(app))


def static_text(widget) -> str:
    """The plain text a Static currently shows."""
    content = widget.render()
    return getattr(content, "plain", str(content))


def notifications(app: CjmApp, severity: str | None = None) -> list[str]:
    """Every notification shown so far (of ``severity``, if given), as "title message"
    (recorded by :func:`make_app`)."""
    shown = getattr(app, "shown_notifications", [])
    return [f"{title} {message}" for level, title, message in shown if severity in (None, level)]


def rendered_segments(app: CjmApp) -> list[Any]:
    """The Rich segments of the current screen, with their styles and meta.

    Textual has no public API for what its compositor draws with the style meta (where a
    ``[@click=…]`` would hide); this is the one place the tests read it.
    """
    return [segment for strip in app.screen._compositor.render_strips() for segment in strip]


async def fill(pilot: Pilot, widget, text: str) -> None:
    """Focus an Input, erase what it holds (End, ctrl+u) and type ``text``."""
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert widget.value == text, f"typing into {widget.id} gave {widget.value!r}"
