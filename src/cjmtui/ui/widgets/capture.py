"""Quick capture: a one-line entry that stays open, so a room's notes go in as fast as they are said."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from ..text import plain


class QuickCapture(Horizontal):
    """Enter saves the note and clears the entry for the next one; Escape closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close entry", id="capture.close"),
        Binding("ctrl+g", "close", "Close entry", show=False, id="capture.close_alt"),
    ]

    class Captured(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Label("", id="capture-label")
        yield Input(placeholder="type and press Enter; Esc closes", id="capture-input", max_length=2000)

    def open(self, label: str) -> None:
        self.query_one("#capture-label", Label).update(plain(label))
        self.display = True
        self.query_one(Input).focus()

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    @on(Input.Submitted, "#capture-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            self.post_message(self.Captured(text))
        event.input.clear()

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
