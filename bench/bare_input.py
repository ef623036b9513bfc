"""The anchor for key-to-screen latency: a bare Textual app with one focused Input.

Shows MARKER once it is up; typing goes straight into the Input. Run: ``python bench/bare_input.py``.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, Static

MARKER = "bare input ready"


class BareInput(App[None]):
    TITLE = "bare input"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)
        yield Input(placeholder="type here")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()


if __name__ == "__main__":
    BareInput().run()
