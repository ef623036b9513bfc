"""A dropdown that takes typing while closed, as a browser's does."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.widgets import Select

from ..textual_fixes.select import select_options

PAUSE = 1.0  # seconds: keys typed within this of each other make one prefix
FLASH = 0.4  # seconds the field shows "-no-match" after a key that matches nothing


def _keys(label: str) -> list[str]:
    """What a typed prefix may match in ``label``: the label, the label without a leading "+"
    (so ``2`` finds ``+2 very positive``) and each of its words."""
    text = label.strip().casefold()
    return [text, text.lstrip("+"), *text.split()[1:]]


def matches(label: str, typed: str) -> bool:
    want = typed.casefold()
    return any(key.startswith(want) for key in _keys(label))


class TypeSelect(Select[Any]):
    """A :class:`Select` that, while closed, takes what is typed as a native dropdown does:
    keys typed within :data:`PAUSE` of each other make one prefix, and the value becomes the
    first option (from the current one on) whose label, or a word of it, starts with the whole
    prefix (``-1`` → "-1 negative", ``+2``/``2`` → "+2 very positive", ``4`` → 4). The same key
    again cycles through the options starting with it ("d", "d" → the next "d…"). A key that
    makes a prefix nothing matches leaves the value as it was and flashes the field (the
    ``-no-match`` class for a moment). Enter or Space still open it. A printable key never leaves
    a closed dropdown: a stray "9" or "u" cannot switch the screen or undo behind the form."""

    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed = ""
        self._typed_at = 0.0

    def _reset_typing(self) -> None:
        self._typed = ""

    def on_focus(self) -> None:
        self._reset_typing()  # a field reached again starts a new prefix

    def on_blur(self) -> None:
        self._reset_typing()

    def type_ahead(self, char: str) -> bool:
        """Take one typed character; True if the value now matches what was typed."""
        now = self.clock()
        if now - self._typed_at > PAUSE:
            self._typed = ""
        self._typed_at = now
        options = select_options(self)
        typed = self._typed + char
        found = [value for label, value in options if matches(label, typed)]
        if found:
            values = [value for _label, value in options]
            here = values.index(self.value) if self.value in values else -1
            # A new prefix starts after the current option (so one key moves on); a longer one
            # keeps the current option if it still matches.
            start = here + 1 if len(typed) == 1 else max(here, 0)
            ordered = values[start:] + values[:start]
            self._typed = typed
            self.value = next(v for v in ordered if v in found)
            return True
        if typed and len(set(typed.casefold())) == 1:
            # The same key again, and no option spells it out: the next option starting with it.
            self._typed = char
            found = [value for label, value in options if matches(label, char)]
            if found:
                values = [value for _label, value in options]
                here = values.index(self.value) if self.value in values else -1
                ordered = values[here + 1 :] + values[: here + 1]
                self.value = next(v for v in ordered if v in found)
                return True
        self.flash()
        return False

    def flash(self) -> None:
        self.add_class("-no-match")
        self.set_timer(FLASH, lambda: self.remove_class("-no-match"))

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if self.expanded or not char or not char.isprintable() or char.isspace():
            if not self.expanded and event.key not in ("shift",):
                self._reset_typing()
            return
        event.stop()
        event.prevent_default()
        self.type_ahead(char)
