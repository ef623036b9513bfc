"""The anchor for time to first screen and memory: the smallest real Textual app.

A Header, one Static and a Footer; it shows MARKER. Run: ``python bench/bare_app.py``.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

MARKER = "bare textual app ready"


class BareApp(App[None]):
    TITLE = "bare"
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
