"""What a person types: keys reach quick capture in the order they were typed, and on every way
out what was typed and not entered yet is kept (docs/reliability.md, "What a person typed").

:class:`WhatIsTyped` is part of the app (:class:`cjmtui.ui.app.CjmApp` inherits it): it overrides
the app's own event handling, which only the app can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.css.query import NoMatches
from textual.widgets import Input

from .textual_fixes.key_order import forward_key, priority_binding_ran

if TYPE_CHECKING:
    from .screens.base import WorkshopScreen

TYPED = ("enter", "backspace", "space")  # keys of a note besides printable ones (quick capture)


class WhatIsTyped(App[int]):
    """Quick capture's keys in the order typed (:meth:`on_event`); what was typed kept on the way
    out (:meth:`collect_typed`)."""

    async def on_event(self, event: events.Event) -> None:
        """Quick capture takes what is typed in the order it was typed, wherever the focus is.

        Textual hands each key to the widget focused when the key is read, through that
        widget's own queue. When the focus left the entry and came back in the middle of a
        note (a resize storm), the letters typed meanwhile travelled another way, the Enter
        behind them overtook them, and a note was split in two ("resize n" + "ote 120…"). So,
        here, in key order: ``a`` and ``p`` open the entry (as the screen's own keys would), and
        while it is open every letter, space, Backspace and Enter goes into the entry's queue.
        Priority keys (F10) still act as keys."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            found = self._capture()
            if found is not None:
                screen, entry = found
                typed = event.is_printable or event.key in TYPED
                if entry is not None and typed and self.focused is not entry:
                    if not await priority_binding_ran(self, event.key):
                        forward_key(entry, event)
                    return
                if entry is None and event.key in ("a", "p") and not isinstance(self.focused, Input):
                    if not await priority_binding_ran(self, event.key):
                        screen.action_capture() if event.key == "a" else screen.action_park()
                    return
        await super().on_event(event)

    def _capture(self) -> tuple[WorkshopScreen, Input | None] | None:
        """The current workshop screen and its quick-capture entry (None while it is closed)."""
        from .screens.base import WorkshopScreen
        from .widgets.capture import CaptureInput, QuickCapture

        screen = self.screen
        if not isinstance(screen, WorkshopScreen):
            return None
        try:
            capture = screen.query_one(QuickCapture)
            return screen, capture.query_one(CaptureInput) if capture.is_open else None
        except NoMatches:
            return None

    def collect_typed(self) -> list[str]:
        """On every way out (F10, the palette's quit, SIGTERM, SIGHUP, a lost terminal): what the
        person typed and did not enter yet goes into the session: a half-typed note becomes a
        note, as Enter would make it; an open form's changes are applied. Returns what was kept
        (or, for a form that cannot be applied, what was typed), in words, for the exit message."""
        from .screens.base import WorkshopScreen
        from .screens.form import ItemForm

        said: list[str] = []
        for screen in list(self.screen_stack):
            try:
                if isinstance(screen, WorkshopScreen):
                    note = screen.flush_capture()
                    if note:
                        said.append(f"Your half-typed note “{note}” was added.")
                elif isinstance(screen, ItemForm):
                    kept = screen.keep_typed()
                    if kept:
                        said.append(kept)
            except Exception as exc:  # one screen failing never stops the others
                said.append(f"Something typed could not be kept: {exc}")
        return said
