"""Quick capture: a one-line entry that stays open, so a room's notes go in as fast as they are said."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from ...core.model import MAX_TEXT
from ..paste import clean_paste
from ..text import plain

PLACEHOLDER = "type, Enter; Esc closes"


class CaptureInput(Input):
    """An Input whose Enter is handled in key order.

    Textual runs the Enter *binding* only once the key has bubbled up to the app, after the
    keys typed behind it were inserted; at typing speed over a fast link (or a paste) the next
    note would run into this one. Here Enter takes the text at once, in order.
    """

    def on_mount(self) -> None:
        # A participant's app over ssh (cjmtui serve) keeps its cursor still: each blink is a
        # redraw sent over the network, twice a second, times everyone in the room.
        if getattr(self.app, "restricted", False):
            self.cursor_blink = False

    class Entered(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class PastedLines(Message):
        """A paste of several lines: each non-empty one is a note of its own."""

        def __init__(self, lines: list[str]) -> None:
            self.lines = lines
            super().__init__()

    def on_paste(self, event: events.Paste) -> None:
        """One line goes into the entry; several lines become one note each (with what was typed
        before the paste in front of the first)."""
        lines = clean_paste(event.text).split("\n")
        if len(lines) == 1:
            limit = self.max_length or MAX_TEXT
            if len(self.value) + len(lines[0]) > limit:
                event.prevent_default()
                event.stop()
                self.notify(
                    f"Not pasted: {len(lines[0])} characters would not fit; a note holds at most {limit}.",
                    severity="warning",
                )
            return  # the Input inserts it (already clean: cjmtui's parser cleaned it)
        event.prevent_default()
        event.stop()
        lines[0] = self.value + lines[0]
        self.value = ""
        self.post_message(self.PastedLines([line.strip() for line in lines if line.strip()]))

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
        # The next or previous stage without leaving the entry (pains and processes are per stage).
        Binding("ctrl+down,alt+down", "step(1)", "Next stage", show=False, id="capture.stage_next"),
        Binding("ctrl+up,alt+up", "step(-1)", "Previous stage", show=False, id="capture.stage_prev"),
    ]

    class StepStage(Message):
        def __init__(self, delta: int) -> None:
            self.delta = delta
            super().__init__()

    class Captured(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Label("", id="capture-label")
        yield CaptureInput(placeholder=PLACEHOLDER, id="capture-input", max_length=MAX_TEXT)

    def open(self, label: str, hint: str = "") -> None:
        self.query_one("#capture-label", Label).update(plain(label))
        entry = self.query_one(Input)
        entry.placeholder = f"{PLACEHOLDER} · end with {hint}" if hint else PLACEHOLDER
        self.display = True
        entry.focus()

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    @on(CaptureInput.Entered)
    def _entered(self, event: CaptureInput.Entered) -> None:
        event.stop()
        text = event.text.strip()
        if text:
            self.post_message(self.Captured(text))

    @on(CaptureInput.PastedLines)
    def _pasted(self, event: CaptureInput.PastedLines) -> None:
        event.stop()
        limit = self.query_one(CaptureInput).max_length or MAX_TEXT
        too_long = [line for line in event.lines if len(line) > limit]
        notes = [line for line in event.lines if len(line) <= limit]
        for text in notes:
            self.post_message(self.Captured(text))
        message = f"Added {len(notes)} note{'' if len(notes) == 1 else 's'}, one per pasted line."
        if too_long:
            self.query_one(CaptureInput).value = too_long[0][:limit]
            message += (
                f" {len(too_long)} line{' was' if len(too_long) == 1 else 's were'} over the {limit}-character "
                "limit of a note and not added: the first is in the entry, cut to fit; split it and press Enter."
            )
        self.notify(message, severity="warning" if too_long else "information")

    def action_step(self, delta: int) -> None:
        self.post_message(self.StepStage(delta))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
