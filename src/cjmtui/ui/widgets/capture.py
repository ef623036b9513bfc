"""Quick capture: a one-line entry that stays open, so a room's notes go in as fast as they are said."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from ..text import plain


class CaptureInput(Input):
    """An Input whose Enter is handled in key order.

    Textual runs the Enter *binding* only once the key has bubbled up to the app, after the
    keys typed behind it were inserted; at typing speed over a fast link (or a paste) the next
    note would run into this one. Here Enter takes the text at once, in order.
    """

    class Entered(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    def on_key(self, event: events.Key) -> None:
        # Handlers run subclass first; prevent_default keeps Input's own key handling (and its
        # Enter binding) from running after this one.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text = self.value
            self.value = ""
            self.post_message(self.Entered(text))


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
        yield CaptureInput(placeholder="type and press Enter; Esc closes", id="capture-input", max_length=2000)

    def open(self, label: str) -> None:
        self.query_one("#capture-label", Label).update(plain(label))
        self.display = True
        self.query_one(Input).focus()

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    @on(CaptureInput.Entered)
    def _entered(self, event: CaptureInput.Entered) -> None:
        event.stop()
        text = event.text.strip()
        if text:
            self.post_message(self.Captured(text))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
