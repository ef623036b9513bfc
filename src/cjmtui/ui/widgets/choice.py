"""A dropdown that takes typing while closed, as a browser's does."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Select


class TypeSelect(Select[Any]):
    """A :class:`Select` that, while closed, picks the next option whose words start with the
    typed letter or digit ("d" → decision, again → the next "d…"; "4" → 4 on a 1–5 rating), so
    a form is filled without opening a single dropdown. Enter or Space still open it."""

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if self.expanded or not char or not char.isprintable() or char.isspace():
            return
        want = char.casefold()
        options = [(label, value) for label, value in self._options if value is not Select.NULL]
        starts = [
            value for label, value in options if str(getattr(label, "plain", label)).strip().casefold().startswith(want)
        ]
        if not starts:
            return
        event.stop()
        event.prevent_default()
        after = starts.index(self.value) + 1 if self.value in starts else 0
        self.value = starts[after % len(starts)]
