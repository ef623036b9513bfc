"""The bar at the top: which screen, which session, the room (timer, lens, voter), and whether
every note is saved. It watches the app's state itself; nobody copies state into it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..text import clip


class TopBar(Static):
    screen_title: reactive[str] = reactive("")
    session_title: reactive[str] = reactive("")
    save_state: reactive[str] = reactive("")
    save_ok: reactive[bool] = reactive(True)
    extra: reactive[str] = reactive("")

    def __init__(self, screen_title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.screen_title = screen_title

    def on_mount(self) -> None:
        for source, target in (
            ("session_name", "session_title"),
            ("save_state", "save_state"),
            ("save_ok", "save_ok"),
            ("status_extra", "extra"),
        ):
            self.watch(self.app, source, self._setter(target))

    def _setter(self, name: str) -> Callable[[object], None]:
        def show(value: object) -> None:
            setattr(self, name, value)

        return show

    def render(self) -> Text:
        width = max(20, self.size.width)
        left = Text()
        left.append(" cjmtui ", style="bold reverse")
        left.append(f" {self.screen_title} ", style="bold")
        state = self.save_state
        if state.startswith("saved ") and (
            width < 100 or left.cell_len + len(self.extra) + len(state) + 7 > width
        ):  # the time of the last save is the first thing a narrow terminal (or a long status) drops
            state = "saved"
        saved = Text(f" {state} ", style="" if self.save_ok else "bold reverse")
        right = Text()
        if self.extra:  # clipped at its end so whether every note is saved always shows
            room = width - left.cell_len - saved.cell_len - 3
            if room > 3:
                right.append(f" {clip(self.extra, room)} ", style="bold")
        right.append_text(saved)
        room = width - left.cell_len - right.cell_len - 2
        if room > 3:
            left.append("· " + clip(self.session_title, room - 2))
        pad = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * pad, right, no_wrap=True, overflow="ellipsis")
